// sign-release adapter. Signing is not implemented in this version: the
// action validates its inputs and fails, because a release workflow that
// expects signatures must never continue as if it had them.
import { type ActionDefinition, type ActionRuntime, UserError, actionsRuntime, runAction } from '@security-actions/core';

export const definition: ActionDefinition = {
  name: 'sign-release',
  async run(ctx) {
    const { inputs } = ctx;
    if (!inputs.lines('files').length) throw new UserError("Input 'files' is required.");
    inputs.boolean('provenance', true);
    inputs.boolean('verify', true);
    inputs.boolean('checksums', true);
    inputs.boolean('overwrite', false);
    inputs.boolean('require-signed-tag', false);
    inputs.list('allowed-events');
    inputs.string('release-tag');
    inputs.string('output-dir');
    inputs.string('token');
    inputs.string('trusted-root');
    inputs.string('identity-token');
    inputs.url('fulcio-url', 'https://fulcio.sigstore.dev');
    inputs.url('rekor-url', 'https://rekor.sigstore.dev');
    if (inputs.string('tsa-url')) inputs.url('tsa-url', '');
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
