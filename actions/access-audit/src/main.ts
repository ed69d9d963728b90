// access-audit adapter. The audit engine is not implemented in this version:
// the action validates its inputs and reports the audit as not checked, so a
// scheduled run never reads silence as "clean".
import { type ActionDefinition, type ActionRuntime, UserError, actionsRuntime, runAction } from '@security-actions/core';

export const definition: ActionDefinition = {
  name: 'access-audit',
  async run(ctx) {
    const { inputs } = ctx;
    inputs.string('token', { required: true });
    inputs.string('org');
    inputs.list('repositories');
    inputs.boolean('include-archived', false);
    inputs.boolean('include-forks', false);
    inputs.integer('inactive-days', 180, { min: 1 });
    inputs.boolean('issue', true);
    inputs.string('issue-token');
    inputs.string('previous-report');
    inputs.lines('merge-reports');
    inputs.url('pypi-url', 'https://pypi.org');
    const shard = inputs.string('shard');
    if (shard && !/^\d+\/\d+$/.test(shard)) throw new UserError(`Input 'shard' must look like i/n (e.g. 2/4); got '${shard}'.`);
    return {
      rules: [],
      findings: [],
      notChecked: [{ check: 'access-audit', reason: 'the audit engine is not part of this version; inputs were validated only' }]
    };
  }
};

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
