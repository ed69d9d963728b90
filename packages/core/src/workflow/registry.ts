// Every workflow audit, in one list: the engine runs them in this order, the
// docs and the tests enumerate them, and the registry owns their rule ids.
import { RuleRegistry, rulesOf } from '../rules';
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

/** Ids the audit's rules replaced (verify-deps', access-audit's, pr-anomaly-scan's); configs written for them keep working. */
export const WORKFLOW_RULE_ALIASES: Record<string, string> = {
  'actions/unpinned': 'workflow/unpinned-uses',
  'publish/unpinned-action': 'workflow/unpinned-uses',
  'actions/docker-unpinned': 'workflow/unpinned-images',
  'actions/no-version-comment': 'workflow/no-version-comment',
  'actions/compromised': 'workflow/compromised-action',
  'workflow/self-hosted-pr': 'workflow/self-hosted-runner'
};

export const WORKFLOW_AUDIT_REGISTRY = new RuleRegistry(
  'workflow-audit',
  rulesOf(...WORKFLOW_AUDITS.map((a) => a.rules)),
  WORKFLOW_RULE_ALIASES
);

/**
 * The `disable` option that leaves only the given rules: every audit that raises none of them,
 * and the other rules of those that raise some (for an action that reports part of the audit).
 */
export function disableAllBut(ruleIds: readonly string[]): string[] {
  return WORKFLOW_AUDITS.flatMap((a) => {
    const ids = rulesOf(a.rules).map((r) => r.id);
    return ids.some((id) => ruleIds.includes(id)) ? ids.filter((id) => !ruleIds.includes(id)) : [a.id];
  });
}
