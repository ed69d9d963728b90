// pr-anomaly-scan adapter. The detection engine is not implemented in this
// version: the action validates its inputs and reports every check as not
// checked, so a workflow adopting it now never reads silence as "clean".
import { type ActionDefinition, type ActionRuntime, actionsRuntime, runAction } from '@security-actions/core';

export const definition: ActionDefinition = {
  name: 'pr-anomaly-scan',
  async run(ctx) {
    const { inputs } = ctx;
    inputs.string('base');
    inputs.string('head');
    inputs.string('path', { default: '.' });
    inputs.list('trusted-orgs');
    inputs.boolean('comment', false);
    inputs.string('token');
    return {
      rules: [],
      findings: [],
      notChecked: [{ check: 'pr-anomaly-scan', reason: 'the PR scan engine is not part of this version; inputs were validated only' }]
    };
  }
};

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
