// sign-release adapter. Signing is not implemented in this version: the
// action validates its inputs and fails, because a release workflow that
// expects signatures must never continue as if it had them.
import { type ActionDefinition, type ActionRuntime, actionsRuntime, runAction } from '@security-actions/core';

export const definition: ActionDefinition = {
  name: 'sign-release',
  async run(ctx) {
    const { inputs } = ctx;
    inputs.lines('files').length || inputs.string('files', { required: true });
    for (const b of ['provenance', 'verify', 'checksums']) inputs.boolean(b, true);
    for (const b of ['overwrite', 'require-signed-tag']) inputs.boolean(b, false);
    inputs.list('allowed-events');
    return {
      rules: [],
      findings: [],
      notChecked: [{ check: 'sign-release', reason: 'signing is not part of this version; nothing was signed' }]
    };
  },
  failOnNotChecked: () => true
};

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
