// The core workflow audit as a check of `scan`.
import { WORKFLOW_AUDIT_REGISTRY, workflowAuditDefinition } from '@security-actions/core/workflow';
import type { Check } from './types';

/**
 * The core workflow audit as a check of `scan`: every rule of it that none of
 * `others` reports (verify-deps reports the pin rules with its policy), so
 * each finding is made once, in one category.
 */
export function workflowAuditCheck(others: Check[]): Check {
  const elsewhere = WORKFLOW_AUDIT_REGISTRY.list()
    .filter((r) => others.some((c) => c.definition.rules.get(r.id) === r))
    .map((r) => r.id);
  return {
    definition: workflowAuditDefinition,
    fixed: { disable: elsewhere.join(',') },
    inputs: {},
    looksFor: 'workflow (.github/workflows/*.yml) or action (action.yml) file'
  };
}
