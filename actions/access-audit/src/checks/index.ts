// Every check of the audit, in the order they run: the organization checks
// once, the repository checks for each audited repository, then the checks
// over what the repositories gathered. Adding a check is one file and one line
// here; rules.ts takes its rules from this list.
import type { Check } from '../types';
import { actionsPolicy } from './actions-policy';
import { apps } from './apps';
import { bestPractices } from './best-practices';
import { collaborators } from './collaborators';
import { deployKeys } from './deploy-keys';
import { environments } from './environments';
import { inactivity } from './inactivity';
import { orgSettings } from './org-settings';
import { owners } from './owners';
import { protection } from './protection';
import { publishing } from './publish';
import { releaseArtifacts } from './release-artifacts';
import { pypiPackages } from './pypi-packages';
import { rotation } from './rotation';
import { runnerGroups } from './runner-groups';
import { secrets } from './secrets';
import { securityDocs } from './security-docs';
import { securityFeatures } from './security-features';
import { securityPolicy } from './security-policy';
import { selfHostedRunners } from './self-hosted-runners';
import { tokens } from './tokens';
import { twoFactor } from './two-factor';
import { webhooks } from './webhooks';

export const CHECKS: readonly Check[] = [
  // Organization: `GET /orgs/{org}` first (the engine reads it), then one or a few REST lists each.
  orgSettings,
  actionsPolicy,
  owners,
  twoFactor,
  apps,
  tokens,
  webhooks,
  runnerGroups,
  // Each repository, from its batched GraphQL answer; REST only where GraphQL has no field.
  protection,
  collaborators,
  deployKeys,
  environments,
  securityPolicy,
  publishing,
  securityFeatures,
  selfHostedRunners,
  pypiPackages,
  secrets,
  // The self-assessment's documents, releases and badge (the badge: one request to its service).
  securityDocs,
  releaseArtifacts,
  bestPractices,
  // After every repository.
  inactivity,
  rotation
];
