// The workflow audit as a check of a checkout (`sp-security scan`): every
// workflow, reusable workflow and action metadata file of the tree, audited
// together so the inputs of a local action or reusable workflow are followed
// to what each caller passes. The shared runner applies the config and writes
// the reports, as for an action.
import type { ActionDefinition } from '../action';
import { discoverWorkflowFiles, readTextFiles } from '../workflows';
import { auditWorkflows } from './audit';
import { WORKFLOW_AUDIT_REGISTRY } from './rules';

export const workflowAuditDefinition: ActionDefinition = {
  name: 'workflow-audit',
  rules: WORKFLOW_AUDIT_REGISTRY,
  async run(ctx) {
    // Audit or rule ids left to another check of the same run (scan leaves the pin rules to verify-deps).
    const disable = ctx.inputs.list('disable');
    const { workflows, actions } = await discoverWorkflowFiles(ctx.workspace);
    const read = await readTextFiles(ctx.workspace, [...workflows, ...actions]);
    const r = auditWorkflows(read.files, { disable });
    return {
      rules: WORKFLOW_AUDIT_REGISTRY.list().filter((rule) => !disable.includes(rule.id)),
      findings: r.findings,
      // A file that does not parse is an error; an audit that failed on a file is not checked.
      notChecked: r.notChecked.filter((n) => !r.errors.includes(n.reason)),
      errors: [...read.errors, ...r.errors],
      examined: workflows.length + actions.length,
      stats: { 'workflow files': workflows.length, 'action files': actions.length },
      target: ctx.workspace
    };
  }
};
