// verify-deps through its committed bundle, run as the runner runs it.
import { describe, expect, it } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { runAction } from '../harness/run-action';

const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

async function repoWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vd-repo-'));
  for (const [p, text] of Object.entries(files)) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), text);
  }
  return dir;
}

const WORKFLOW = `name: ci
on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA} # v4.2.2
      - uses: actions/setup-python@v5
      - uses: ./.github/actions/local
  reuse:
    uses: octo-org/workflows/.github/workflows/build.yml@main
`;

describe('verify-deps bundle', () => {
  it('flags unpinned action refs with file and line, writes every report, and fails at fail-on', async () => {
    const workspace = await repoWith({ '.github/workflows/ci.yml': WORKFLOW });
    const r = await runAction('verify-deps', { workspace, inputs: { offline: 'true' } });

    expect(r.exitCode).toBe(1);
    expect(r.outputs['findings-count']).toBe('2');
    expect(r.outputs['highest-severity']).toBe('high');
    expect(r.outputs['dependencies-count']).toBe('3'); // the local ref is exempt
    const lineOf = (needle: string) => WORKFLOW.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const expected = [lineOf('setup-python@v5'), lineOf('build.yml@main')].map(String).sort();
    const lines = r.report.findings.map((f: any) => `${f.ruleId}@${f.location.line}`).sort();
    expect(lines).toEqual(expected.map((l) => `actions/unpinned@${l}`));
    expect(r.sarif.runs[0].results).toHaveLength(2);
    expect(r.summary).toContain('verify-deps: 2 findings (2 high)');
    expect(r.summary).toContain('Not checked');
    expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.properties.line).sort()).toEqual(expected);
    expect(r.stdout).toContain('::error::verify-deps: 2 high finding(s) at or above fail-on: high');
  });

  it('passes with fail-on none and reports none when everything is pinned', async () => {
    const workspace = await repoWith({
      '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${SHA} # v4.2.2\n`
    });
    const r = await runAction('verify-deps', { workspace, inputs: { 'fail-on': 'none' } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['findings-count']).toBe('0');
    expect(r.outputs['highest-severity']).toBe('none');
  });

  it('reports malformed YAML as one line naming file and line, and still writes the reports', async () => {
    const workspace = await repoWith({ '.github/workflows/bad.yml': 'on: push\njobs:\n  a: [unclosed\n' });
    const r = await runAction('verify-deps', { workspace, inputs: { 'fail-on': 'none' } });
    expect(r.exitCode).toBe(1);
    expect(r.report.errors).toHaveLength(1);
    expect(r.report.errors[0]).toMatch(/^\.github\/workflows\/bad\.yml:3: invalid YAML: [^\n]+$/);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    expect(r.outputs['sarif-file']).toBeTruthy();
  });

  it('rejects an invalid input with one line naming it', async () => {
    const r = await runAction('verify-deps', { inputs: { 'fail-on': 'severe' } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("Input 'fail-on' must be one of none|info|low|medium|high|critical; got 'severe'.");
    expect(r.outputs['report-file']).toBeTruthy();
  });

  it('rejects a malformed event payload with one line, without crashing', async () => {
    const workspace = await repoWith({ '.github/workflows/ci.yml': WORKFLOW });
    const r = await runAction('verify-deps', { workspace, event: '{"pull_request": ', inputs: { 'fail-on': 'none' } });
    expect(r.exitCode).toBe(1);
    expect(r.report.errors.join('\n')).toMatch(/event\.json: the event payload is not valid JSON/);
    expect(r.report.findings.length).toBeGreaterThan(0); // the scan itself still ran
  });
});
