// sign-release's bundle outside a signing run (no OIDC token, no event): it
// validates its inputs, signs nothing, reports that as not checked (never as
// a pass) and fails the step.
import { describe, expect, it } from '@jest/globals';
import { runAction } from '../harness/run-action';

describe.each([['sign-release', { files: 'dist/*' }]])('%s bundle without OIDC', (name, inputs) => {
  it('runs under the harness and reports itself as not checked', async () => {
    const r = await runAction(name, { inputs });
    expect(r.outputs['findings-count']).toBe('0');
    expect(r.outputs['highest-severity']).toBe('none');
    expect(r.report.notChecked.length).toBeGreaterThan(0);
    expect(r.summary).toContain('Not checked');
    expect(r.summary).toContain('they are not passes');
  });
});

describe('sign-release without OIDC', () => {
  it('fails, because nothing was signed', async () => {
    const r = await runAction('sign-release', { inputs: { files: 'dist/*' } });
    expect(r.exitCode).toBe(1);
  });
  it('requires files', async () => {
    const r = await runAction('sign-release', {});
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("Input 'files' is required.");
  });
});
