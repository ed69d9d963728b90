// The core workflow audit as a check of `scan`.
import { WORKFLOW_AUDIT_REGISTRY } from '@security-actions/core/workflow-rules';
import type { Check } from './types';

/**
 * The core workflow audit as a check of `scan`: every rule of it that none of
 * `others` reports (verify-deps reports the pin rules with its policy), so
 * each finding is made once, in one category.
 */
export function workflowAuditCheck(others: Check[]): Check {
  return {
    name: WORKFLOW_AUDIT_REGISTRY.owner,
    // The audit (YAML model, expression parser, context data) is loaded only when the check runs.
    load: () => import('@security-actions/core/workflow').then((m) => m.workflowAuditDefinition),
    fixed: async () => {
      const defs = await Promise.all(others.map((c) => c.load()));
      const elsewhere = WORKFLOW_AUDIT_REGISTRY.list().filter((r) => defs.some((d) => d.rules.get(r.id) === r));
      return { disable: elsewhere.map((r) => r.id).join(',') };
    },
    inputs: {},
    looksFor: 'workflow (.github/workflows/*.yml) or action (action.yml) file'
  };
}
