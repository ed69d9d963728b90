// verify-deps through its committed bundle, run as the runner runs it, against the loopback fakes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { startFakeOSV } from '../fakes/osv/server.mjs';
import { startFakePyPI } from '../fakes/pypi/server.mjs';
import { runAction } from '../harness/run-action';
import { SDIST, SDIST_BYTES, pylock, pypiWorld, sha256 } from '../verify-deps/pypi-world';
import { A, B, COMPOSITE, F, GITHUB_WORLD, TJ_BAD, lineOf, workflow } from '../verify-deps/worlds';

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

describe('verify-deps bundle (offline)', () => {
  it('flags unpinned action refs with file and line, writes every report, and fails at fail-on', async () => {
    const workspace = await repoWith({ '.github/workflows/ci.yml': WORKFLOW });
    const r = await runAction('verify-deps', { workspace, inputs: { offline: 'true' } });

    expect(r.exitCode).toBe(1);
    expect(r.outputs['findings-count']).toBe('2');
    expect(r.outputs['highest-severity']).toBe('high');
    expect(r.outputs['dependencies-count']).toBe('3'); // the local ref is exempt
    const expected = [lineOf(WORKFLOW, 'setup-python@v5'), lineOf(WORKFLOW, 'build.yml@main')].map(String).sort();
    const lines = r.report.findings.map((f: any) => `${f.ruleId}@${f.location.line}`).sort();
    expect(lines).toEqual(expected.map((l) => `workflow/unpinned-uses@${l}`));
    expect(r.sarif.runs[0].results).toHaveLength(2);
    expect(r.summary).toContain('verify-deps: 2 findings (2 high)');
    expect(r.summary).toContain('Not checked');
    expect(
      r.annotations
        .filter((a) => a.level === 'error')
        .map((a) => a.properties.line)
        .sort()
    ).toEqual(expected);
    expect(r.stdout).toContain('::error::verify-deps: 2 high finding(s) at or above fail-on: high');
  });

  it("applies the config section's ignores through the shared runner", async () => {
    const workspace = await repoWith({
      '.github/workflows/ci.yml': WORKFLOW,
      '.github/security-actions.yml':
        'verify-deps:\n  ignore:\n    - package: Actions/Setup_Python\n      reason: moved to a SHA pin next release\n      expires: 2099-01-01\n'
    });
    const r = await runAction('verify-deps', { workspace, inputs: { offline: 'true' } });
    expect(r.outputs['findings-count']).toBe('1');
    const suppressed = r.report.findings.filter((f: any) => f.suppression);
    expect(suppressed.map((f: any) => [f.ruleId, f.location.line, f.suppression.reason])).toEqual([
      ['workflow/unpinned-uses', lineOf(WORKFLOW, 'setup-python@v5'), 'moved to a SHA pin next release']
    ]);
    expect(r.summary).toContain('1 suppressed');
  });

  it('offline lists the network checks as not checked without failing the step', async () => {
    const workspace = await repoWith({
      '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${SHA} # v4.2.2\n`
    });
    const r = await runAction('verify-deps', { workspace, inputs: { offline: 'true' } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['findings-count']).toBe('0');
    expect(r.report.notChecked.map((n: any) => n.check)).toEqual(['actions']);
  });

  it('reports malformed YAML and TOML as one line naming file and line, and still writes the reports', async () => {
    const workspace = await repoWith({
      '.github/workflows/bad.yml': 'on: push\njobs:\n  a: [unclosed\n',
      'pyproject.toml': '[project]\ndependencies = [\n  "a",\n  = "b"\n]\n'
    });
    const r = await runAction('verify-deps', { workspace, inputs: { 'fail-on': 'none', offline: 'true' } });
    expect(r.exitCode).toBe(1); // the workflow: an action check's input error
    expect(r.report.errors).toEqual([expect.stringMatching(/^\.github\/workflows\/bad\.yml:3: invalid YAML: [^\n]+$/)]);
    // The dependency file is not checked, in one line naming file and line (see the next test for the verdict).
    expect(
      r.report.notChecked.filter((n: { input?: boolean }) => n.input).map((n: { reason: string }) => n.reason)
    ).toEqual([expect.stringMatching(/^pyproject\.toml:4: invalid TOML: [^\n]+$/)]);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    expect(r.outputs['sarif-file']).toBeTruthy();
  });

  it('a dependency file that does not parse fails the step at any fail-on but none', async () => {
    const workspace = await repoWith({ 'pyproject.toml': '[project]\ndependencies = [\n  "a",\n  = "b"\n]\n' });
    const none = await runAction('verify-deps', { workspace, inputs: { 'fail-on': 'none', offline: 'true' } });
    expect(none.exitCode).toBe(0);
    expect(none.outputs['report-file']).toBeTruthy();
    const high = await runAction('verify-deps', { workspace, inputs: { offline: 'true' } });
    expect(high.exitCode).toBe(1);
    expect(high.stdout).toContain('1 input file(s) could not be read');
  });

  it('rejects an invalid input with one line naming it', async () => {
    const r = await runAction('verify-deps', { inputs: { 'fail-on': 'severe' } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("Input 'fail-on' must be one of none|info|low|medium|high|critical; got 'severe'.");
    expect(r.outputs['report-file']).toBeTruthy();
  });

  it('rejects a malformed event payload with one line, without crashing', async () => {
    const workspace = await repoWith({ '.github/workflows/ci.yml': WORKFLOW });
    const r = await runAction('verify-deps', {
      workspace,
      event: '{"pull_request": ',
      inputs: { 'fail-on': 'none', offline: 'true' }
    });
    expect(r.exitCode).toBe(1);
    expect(r.report.errors.join('\n')).toMatch(/event\.json: the event payload is not valid JSON/);
    expect(r.report.findings.length).toBeGreaterThan(0); // the scan itself still ran
  });
});

describe('verify-deps bundle against the fakes', () => {
  const VULNS = createRequire(import.meta.url)('../fakes/osv/example-vulns.json');
  let gh: any;
  let osv: any;
  let pypi: any;
  let trustedRoot: string;
  beforeAll(async () => {
    gh = await startFakeGitHub({ world: GITHUB_WORLD });
    osv = await startFakeOSV({ vulns: VULNS });
    const world = pypiWorld();
    world.projects.push({
      name: 'Jinja2',
      releases: [
        {
          version: '3.1.2',
          files: [{ filename: 'Jinja2-3.1.2-py3-none-any.whl', content: 'jinja', provenance: undefined as any }]
        }
      ]
    } as any);
    pypi = await startFakePyPI({ world });
    const seeds = createRequire(import.meta.url)('@sigstore/tuf/seeds.json');
    const dir = await mkdtemp(join(tmpdir(), 'vd-root-'));
    trustedRoot = join(dir, 'trusted_root.json');
    await writeFile(
      trustedRoot,
      Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev'].targets['trusted_root.json'], 'base64')
    );
  });
  afterAll(async () => {
    await Promise.all([gh?.close(), osv?.close(), pypi?.close()]);
  });
  const inputs = (extra: Record<string, string> = {}) => ({
    token: 'test-token',
    'osv-url': osv.url,
    'pypi-url': pypi.url,
    'trusted-root': trustedRoot,
    ...extra
  });
  const LOCK = pylock([
    { name: 'pypi-attestations', version: '0.0.19', filename: SDIST, sha256: sha256(SDIST_BYTES) },
    { name: 'jinja2', version: '3.1.2', filename: 'Jinja2-3.1.2-py3-none-any.whl', sha256: sha256('jinja') }
  ]);
  const WF = workflow([
    `actions/checkout@${B} # v4.2.2`,
    `actions/checkout@${A} # v4.2.2`,
    `actions/checkout@${F} # v4.2.2`,
    `tj-actions/changed-files@${TJ_BAD} # v45.0.7`,
    `octo/composite@${COMPOSITE} # v1.0.0`
  ]);

  it('full scan: every check, with file and line', async () => {
    const workspace = await repoWith({ '.github/workflows/ci.yml': WF, 'pylock.toml': LOCK });
    const r = await runAction('verify-deps', { workspace, apiUrl: gh.url, inputs: inputs() });
    const got = r.report.findings.map((f: any) => `${f.ruleId} ${f.location.file}:${f.location.line}`).sort();
    expect(got).toEqual(
      [
        `workflow/compromised-action .github/workflows/ci.yml:${lineOf(WF, TJ_BAD)}`, // shipped list (the audit)
        `actions/vulnerable .github/workflows/ci.yml:${lineOf(WF, TJ_BAD)}`, // OSV GHSA-mrrh-fwg8-r2c3 (< 46.0.1) for the tag v45.0.7
        `actions/impostor-commit .github/workflows/ci.yml:${lineOf(WF, F)}`,
        `actions/version-mismatch .github/workflows/ci.yml:${lineOf(WF, F)}`, // the fork commit is not v4.2.2 either
        `actions/nested-unpinned .github/workflows/ci.yml:${lineOf(WF, COMPOSITE)}`,
        `actions/version-mismatch .github/workflows/ci.yml:${lineOf(WF, A)}`,
        `python/provenance-missing pylock.toml:${lineOf(LOCK, "name = 'jinja2'") - 1}`, // the [[packages]] header
        `python/vulnerable pylock.toml:${lineOf(LOCK, "name = 'jinja2'") - 1}`
      ].sort()
    );
    expect(r.report.notChecked).toEqual([]);
    expect(r.outputs['dependencies-count']).toBe('7');
    expect(r.outputs['highest-severity']).toBe('critical');
    expect(r.exitCode).toBe(1);
  });

  it.each([
    ['offline', { offline: 'true' }],
    ['online with a token', {}],
    ['online with an empty token input', { token: '' }]
  ])('reports a known-compromised pin %s, with fail-on-not-checked: false', async (_path, extra) => {
    const wf = workflow([`tj-actions/changed-files@${TJ_BAD} # v45.0.7`]);
    const workspace = await repoWith({ '.github/workflows/ci.yml': wf });
    const r = await runAction('verify-deps', {
      workspace,
      apiUrl: gh.url,
      inputs: inputs({ 'fail-on': 'critical', 'fail-on-not-checked': 'false', ...extra })
    });
    const compromised = r.report.findings.filter((f: any) => f.ruleId === 'workflow/compromised-action');
    expect(compromised.map((f: any) => `${f.severity} ${f.location.line}`)).toEqual([`critical ${lineOf(wf, TJ_BAD)}`]);
    expect(r.exitCode).toBe(1);
  });

  it('a clean project passes', async () => {
    const workspace = await repoWith({
      '.github/workflows/ci.yml': workflow([`actions/checkout@${B} # v4.2.2`]),
      'pylock.toml': pylock([
        { name: 'pypi-attestations', version: '0.0.19', filename: SDIST, sha256: sha256(SDIST_BYTES) }
      ])
    });
    const r = await runAction('verify-deps', { workspace, apiUrl: gh.url, inputs: inputs() });
    expect(r.report.findings).toEqual([]);
    expect(r.report.notChecked).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  it.each([
    ['OSV 5xx', () => osv.setFaults([{ match: 'POST /v1/querybatch', status: 503 }]), 'vulnerabilities', /503/],
    [
      'OSV 429',
      () => osv.setFaults([{ match: 'POST /v1/querybatch', status: 429, headers: { 'retry-after': '0' } }]),
      'vulnerabilities',
      /429/
    ],
    [
      'OSV truncated JSON',
      () => osv.setFaults([{ match: 'POST /v1/querybatch', kind: 'truncate' }]),
      'vulnerabilities',
      /request failed|malformed JSON/
    ],
    [
      'OSV garbage JSON',
      () => osv.setFaults([{ match: 'POST /v1/querybatch', status: 200, body: '{"results": [' }]),
      'vulnerabilities',
      /malformed JSON/
    ],
    [
      'PyPI truncated JSON',
      () => pypi.setFaults([{ match: 'GET /simple/*', kind: 'truncate' }]),
      'provenance',
      /request failed|malformed JSON/
    ],
    [
      'PyPI connection reset',
      () => pypi.setFaults([{ match: 'GET /integrity/*', kind: 'reset' }]),
      'provenance',
      /request failed/
    ]
  ])('%s ends in "not checked" and fails the step, never a pass', async (_name, inject, check, reason) => {
    const workspace = await repoWith({
      'pylock.toml': pylock([
        { name: 'pypi-attestations', version: '0.0.19', filename: SDIST, sha256: sha256(SDIST_BYTES) }
      ])
    });
    inject();
    try {
      const r = await runAction('verify-deps', { workspace, apiUrl: gh.url, inputs: inputs({ 'fail-on': 'none' }) });
      expect(r.report.notChecked.map((n: any) => n.check)).toContain(check);
      expect(r.report.notChecked.map((n: any) => n.reason).join('\n')).toMatch(reason);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(/check\(s\) could not run/);
      const optedOut = await runAction('verify-deps', {
        workspace,
        apiUrl: gh.url,
        inputs: inputs({ 'fail-on': 'none', 'fail-on-not-checked': 'false' })
      });
      expect(optedOut.exitCode).toBe(0);
      expect(optedOut.report.notChecked.length).toBeGreaterThan(0);
    } finally {
      osv.setFaults([]);
      pypi.setFaults([]);
    }
  });
});
