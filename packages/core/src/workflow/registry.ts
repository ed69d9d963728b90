// Every workflow audit, in one list: the engine runs them in this order and
// the tests enumerate them. Their rules, the registry and the retired ids are
// ./rules (light, for the actions' registries); each audit carries its rules.
import { artipacked } from './audits/artipacked';
import { botConditions } from './audits/bot-conditions';
import { cachePoisoning } from './audits/cache-poisoning';
import { unsoundConditions } from './audits/conditions';
import { containerCredentials } from './audits/container-credentials';
import { dangerousTriggers } from './audits/dangerous-triggers';
import { githubEnv } from './audits/github-env';
import { insecureCommands } from './audits/insecure-commands';
import { knownCompromised } from './audits/known-compromised';
import { obfuscation } from './audits/obfuscation';
import { permissions } from './audits/permissions';
import { publish } from './audits/publish';
import { secrets } from './audits/secrets';
import { selfHostedRunner } from './audits/self-hosted';
import { templateInjection } from './audits/template-injection';
import { trustedPublishing } from './audits/trusted-publishing';
import { unpinnedImages } from './audits/unpinned-images';
import { unpinnedUses } from './audits/unpinned-uses';
import { untrustedTrigger } from './audits/untrusted-trigger';
import type { WorkflowAudit } from './types';

export const WORKFLOW_AUDITS: readonly WorkflowAudit[] = [
  templateInjection,
  dangerousTriggers,
  permissions,
  artipacked,
  unpinnedUses,
  unpinnedImages,
  knownCompromised,
  cachePoisoning,
  selfHostedRunner,
  secrets,
  obfuscation,
  unsoundConditions,
  botConditions,
  githubEnv,
  insecureCommands,
  containerCredentials,
  publish,
  trustedPublishing,
  untrustedTrigger
];
