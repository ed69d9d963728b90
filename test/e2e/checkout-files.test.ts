// A checkout with a FIFO where a workflow or dependency file is expected: the
// verify-deps bundle finishes (it blocked forever before), checks the rest and
// writes every report.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runAction } from '../harness/run-action';

describe('verify-deps bundle: special files in the checkout', () => {
  it('passes over a FIFO workflow and a FIFO requirements file, and scans the rest', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'fifo-checkout-'));
    await mkdir(join(workspace, '.github', 'workflows'), { recursive: true });
    await writeFile(
      join(workspace, '.github', 'workflows', 'ci.yml'),
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v5\n'
    );
    execFileSync('mkfifo', [join(workspace, '.github', 'workflows', 'blocked.yml')]);
    execFileSync('mkfifo', [join(workspace, 'requirements.txt')]);
    const r = await runAction('verify-deps', {
      workspace,
      inputs: { offline: 'true', 'fail-on': 'none' },
      timeoutMs: 20_000
    });
    expect(r.exitCode).toBe(0);
    expect(
      r.report.findings.map((f: { ruleId: string; location: { file: string } }) => [f.ruleId, f.location.file])
    ).toEqual([['workflow/unpinned-uses', '.github/workflows/ci.yml']]);
    expect(r.outputs['sarif-file']).toBeTruthy();
  });
});
