// The workflow audit's rules without the audit: ids, titles, severities and
// advice, the registry and the retired ids. An action's rules.ts imports this
// ('@security-actions/core/workflow-rules'), which loads neither the YAML
// parser nor the expression library nor the context data; the audits
// (../registry.ts) are loaded only by a run that reads a workflow.
import { RuleRegistry, rulesOf } from '../../rules';
import { ARTIPACKED } from './artipacked';
import { BOT_CONDITIONS } from './bot-conditions';
import { CACHE_POISONING } from './cache-poisoning';
import { UNSOUND_CONDITIONS } from './conditions';
import { CONTAINER_CREDENTIALS } from './container-credentials';
import { DANGEROUS_TRIGGERS } from './dangerous-triggers';
import { GITHUB_ENV } from './github-env';
import { INSECURE_COMMANDS } from './insecure-commands';
import { KNOWN_COMPROMISED } from './known-compromised';
import { OBFUSCATION } from './obfuscation';
import { PERMISSIONS } from './permissions';
import { PUBLISH } from './publish';
import { SECRETS } from './secrets';
import { SELF_HOSTED_RUNNER } from './self-hosted';
import { TEMPLATE_INJECTION } from './template-injection';
import { TRUSTED_PUBLISHING } from './trusted-publishing';
import { UNPINNED_IMAGES } from './unpinned-images';
import { UNPINNED_USES } from './unpinned-uses';
import { UNTRUSTED_TRIGGER } from './untrusted-trigger';

/** Each audit's id and rules, in the order the audits run (WORKFLOW_AUDITS holds the same objects' rules). */
export const WORKFLOW_AUDIT_RULES = [
  TEMPLATE_INJECTION,
  DANGEROUS_TRIGGERS,
  PERMISSIONS,
  ARTIPACKED,
  UNPINNED_USES,
  UNPINNED_IMAGES,
  KNOWN_COMPROMISED,
  CACHE_POISONING,
  SELF_HOSTED_RUNNER,
  SECRETS,
  OBFUSCATION,
  UNSOUND_CONDITIONS,
  BOT_CONDITIONS,
  GITHUB_ENV,
  INSECURE_COMMANDS,
  CONTAINER_CREDENTIALS,
  PUBLISH,
  TRUSTED_PUBLISHING,
  UNTRUSTED_TRIGGER
] as const;

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
  rulesOf(...WORKFLOW_AUDIT_RULES.map((a) => a.rules)),
  WORKFLOW_RULE_ALIASES
);

/**
 * The `disable` option that leaves only the given rules: every audit that raises none of them,
 * and the other rules of those that raise some (for an action that reports part of the audit).
 */
export function disableAllBut(ruleIds: readonly string[]): string[] {
  return WORKFLOW_AUDIT_RULES.flatMap((a) => {
    const ids = rulesOf(a.rules).map((r) => r.id);
    return ids.some((id) => ruleIds.includes(id)) ? ids.filter((id) => !ruleIds.includes(id)) : [a.id];
  });
}
