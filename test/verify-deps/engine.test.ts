import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { HttpClient, PyPIClient } from '@security-actions/core';
import { type VerifyOptions, verifyDeps } from '../../actions/verify-deps/src/engine';
import { EMPTY_POLICY, parsePolicyFile } from '../../actions/verify-deps/src/policy';
import { startFakePyPI } from '../fakes/pypi/server.mjs';
import { expectFires, expectQuiet } from '../helpers/rules';
import { TJ_BAD, lineOf, reported, workflow } from './worlds';

const FIX = resolve(import.meta.dirname, '..', 'fixtures', 'verify-deps', 'python');
const REAL = resolve(import.meta.dirname, '..', 'fixtures', 'real');
const fixture = (f: string) => ({ path: f, text: readFileSync(resolve(FIX, f), 'utf8') });
const OFFLINE: VerifyOptions = {
  checks: new Set(['pinning', 'typosquats', 'actions', 'vulnerabilities', 'provenance']),
  offline: true,
  provenance: 'warn',
  policy: EMPTY_POLICY,
  now: new Date('2026-01-01T00:00:00Z')
};
/** A sha256 digest of the right length. */
const H = (c: string) => `sha256:${c.repeat(64)}`;
const byRule = (fs: { ruleId: string; location?: { file: string; line?: number } }[]) =>
  fs.map((f) => `${f.ruleId} ${f.location?.file}:${f.location?.line}`).sort();

describe('Python pinning checks', () => {
  it('requirements.txt: unpinned, hash rule, VCS, URL, path and extra index', async () => {
    const r = await verifyDeps(
      { python: [fixture('requirements.txt')], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expect(byRule(r.findings)).toEqual([
      'python/extra-index-url requirements.txt:8',
      'python/missing-hashes requirements.txt:16', // requests: others have --hash, so pip refuses the file
      'python/unpinned requirements.txt:16',
      'python/url-dependency requirements.txt:21', // a wheel URL without a hash
      'python/url-dependency requirements.txt:22', // ./vendor/localpkg
      'python/url-dependency requirements.txt:23', // name @ URL without a hash
      'python/vcs-unpinned requirements.txt:19' // -e git+...@v1.2
    ]);
    expectFires(r.findings, 'python/extra-index-url', 1);
    expectFires(r.findings, 'python/unpinned', 1);
    expectFires(r.findings, 'python/url-dependency', 3);
    expectFires(r.findings, 'python/vcs-unpinned', 1); // not the git URL pinned to a full commit (line 20)
    expect(r.count).toBe(8);
  });

  it('pinned sources pass: a full-commit VCS URL, a hashed archive URL, one --index-url', async () => {
    const text = [
      '--index-url https://proxy.example.org/simple',
      'other @ git+https://github.com/example/other.git@0123456789abcdef0123456789abcdef01234567',
      `foo @ https://example.org/foo-1.0.tar.gz --hash=${H('a')}`,
      `a==1.0 --hash=${H('b')}`,
      ''
    ].join('\n');
    const r = await verifyDeps(
      { python: [{ path: 'requirements.txt', text }], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expectQuiet(r.findings, 'python/vcs-unpinned');
    expectQuiet(r.findings, 'python/url-dependency');
    expectQuiet(r.findings, 'python/extra-index-url');
    expect(r.findings).toEqual([]);
  });

  it('a hashed pip-compile file passes; the same without hashes gets one file-level finding', async () => {
    const hashed = `a==1.0 \\\n    --hash=${H('a')}\nb==2.0 --hash=${H('b')}\n`;
    const passes = await verifyDeps(
      { python: [{ path: 'requirements.txt', text: hashed }], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expectQuiet(passes.findings, 'python/missing-hashes');
    expectQuiet(passes.findings, 'python/unpinned');
    expect(passes.findings).toEqual([]);
    const bare = async (path: string) =>
      (
        await verifyDeps(
          { python: [{ path, text: 'a==1.0\nb==2.0\n' }], actions: [] },
          { ...OFFLINE, checks: new Set(['pinning']) }
        )
      ).findings.map((f) => [f.ruleId, f.severity, f.location?.line, f.message]);
    // What installs the release gets medium; a test or docs list low.
    expect(await bare('requirements/release.txt')).toEqual([
      [
        'python/missing-hashes',
        'medium',
        1,
        'None of the 2 pinned requirements in requirements/release.txt has a `--hash`.'
      ]
    ]);
    expect(await bare('requirements/test.txt')).toEqual([
      [
        'python/missing-hashes',
        'low',
        1,
        'None of the 2 pinned requirements in requirements/test.txt has a `--hash` (it does not install the release build, so this is low).'
      ]
    ]);
  });

  it('malformed hashes do not count: md5, "nohash", a short digest', async () => {
    const text = `a==1.0 --hash=md5:zz\nb==1.0 --hash=nohash\nc==1.0 --hash=${H('c')}\n`;
    const r = await verifyDeps(
      { python: [{ path: 'requirements.txt', text }], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.location?.line])).toEqual([
      ['python/missing-hashes', 'high', 1],
      ['python/missing-hashes', 'high', 2]
    ]);
    expect(r.findings[0].message).toContain('(its hash `md5:zz` is not a sha256, sha384 or sha512 digest)');
    const lock = `version = 1\n\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\nsdist = { url = "https://x/a-1.0.tar.gz", hash = "nohash" }\n`;
    const locked = await verifyDeps(
      { python: [{ path: 'uv.lock', text: lock }], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expectFires(locked.findings, 'python/missing-hashes', 1);
    expect(locked.findings[0].message).toBe(
      'a 1.0 is locked with 1 file(s) without a hash (a-1.0.tar.gz) (its hash `nohash` is not a sha256, sha384 or sha512 digest).'
    );
  });

  it('locks: a git source without a commit and a registry package without hashes', async () => {
    const lock =
      'version = 1\n\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\nsdist = { url = "https://x/a-1.0.tar.gz" }\n\n[[package]]\nname = "b"\nversion = "2.0"\nsource = { git = "https://github.com/o/b?branch=main" }\n';
    const r = await verifyDeps(
      { python: [{ path: 'uv.lock', text: lock }], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expect(byRule(r.findings)).toEqual(['python/missing-hashes uv.lock:3', 'python/vcs-unpinned uv.lock:9']);
    expectFires(r.findings, 'python/vcs-unpinned', 1);
  });

  it('the real-shaped uv, poetry and PEP 751 locks pass the pinning checks (their git sources carry commits)', async () => {
    const r = await verifyDeps(
      { python: [fixture('uv.lock'), fixture('poetry.lock'), fixture('pylock.toml')], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expectQuiet(r.findings, 'python/vcs-unpinned');
    expectQuiet(r.findings, 'python/missing-hashes');
    expect(r.findings).toEqual([]);
  });

  it('a pyproject.toml without any lock gets python/no-lock; ranges in it are not unpinned findings', async () => {
    const r = await verifyDeps(
      { python: [fixture('pyproject.toml')], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expect(byRule(r.findings)).toEqual(['python/no-lock pyproject.toml:1']);
    expectFires(r.findings, 'python/no-lock', 1);
    expectQuiet(r.findings, 'python/unpinned');
    const withLock = await verifyDeps(
      { python: [fixture('pyproject.toml'), fixture('uv.lock')], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expectQuiet(withLock.findings, 'python/no-lock');
    expect(withLock.findings).toEqual([]);
  });

  it('environment.yml: pip part checked, conda part stated as not covered', async () => {
    const r = await verifyDeps(
      { python: [fixture('environment.yml')], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expect(byRule(r.findings)).toEqual([
      'python/extra-index-url environment.yml:9',
      'python/unpinned environment.yml:11' // one low summary: a development environment of ranges
    ]);
    expect(r.notes?.join('\n')).toContain('3 conda package(s) are not covered');
  });

  it('a malformed file is not checked, in one line naming file and line; the others are still checked', async () => {
    const r = await verifyDeps(
      {
        python: [
          { path: 'requirements.txt', text: 'ok==1\nbad ===\n' },
          { path: 'pylock.toml', text: "lock-version = '1.0'\n[[packages]\nname='x'\n" },
          fixture('pyproject.toml')
        ],
        actions: []
      },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expect(r.errors).toEqual([]);
    expect(r.notChecked.map((n) => [n.check, n.input, n.reason.split(':').slice(0, 2).join(':')])).toEqual([
      ['python dependencies', true, 'requirements.txt:2'],
      ['python dependencies', true, 'pylock.toml:2']
    ]);
    expect(r.notChecked[1].reason).toMatch(/^pylock\.toml:2: invalid TOML/);
    expect(byRule(r.findings)).toEqual(['python/no-lock pyproject.toml:1']);
  });

  it('a cookiecutter or copier template is skipped with a note, not reported as invalid TOML', async () => {
    const path = 'cookie/{{cookiecutter.project_name}}/pyproject.toml';
    const text = readFileSync(resolve(REAL, path), 'utf8');
    const r = await verifyDeps(
      {
        python: [
          { path: path.slice('cookie/'.length), text },
          { path: 'template/pyproject.toml', text: text.replace(/cookiecutter\./g, '') }
        ],
        actions: []
      },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expect([r.errors, r.notChecked, r.findings]).toEqual([[], [], []]);
    expect(r.notes).toEqual([
      'Skipped 2 templates, dependency files only once rendered: {{cookiecutter.project_name}}/pyproject.toml (cookiecutter), template/pyproject.toml (Jinja).'
    ]);
  });

  it('`-r` and `-c` targets it cannot follow are not checked, with the reason', async () => {
    const text = '-r ../shared.txt\n-r https://example.org/reqs.txt\n-c constraints.txt\n-r test.txt\na==1.0\n';
    const r = await verifyDeps(
      {
        python: [
          { path: 'requirements-ci.txt', text },
          { path: 'test.txt', text: 'b>=1\n' }
        ],
        actions: []
      },
      { ...OFFLINE, checks: new Set(['pinning']) }
    );
    expect(r.notChecked.map((n) => `${n.target} ${n.reason}`)).toEqual([
      'requirements-ci.txt:1 `-r ../shared.txt` is a path outside the checkout; the requirements it holds are not checked.',
      'requirements-ci.txt:2 `-r https://example.org/reqs.txt` is a URL, read at install time; the requirements it holds are not checked.',
      'requirements-ci.txt:3 `-c constraints.txt` is not found in the checkout; the requirements it holds are not checked.'
    ]);
  });
});

describe('ranges in requirements files (real projects)', () => {
  const pinning = (python: { path: string; text: string }[], actions: { path: string; text: string }[] = []) =>
    verifyDeps({ python, actions }, { ...OFFLINE, checks: new Set(['pinning']) });
  const real = (path: string) => ({ path, text: readFileSync(resolve(REAL, path), 'utf8') });
  const strip = (f: { path: string; text: string }, prefix: string) => ({ ...f, path: f.path.slice(prefix.length) });

  it('a list generated from pyproject.toml is a declaration, like the pyproject: its ranges are not findings', async () => {
    const r = await pinning([strip(real('networkx/requirements/default.txt'), 'networkx/')]);
    expectQuiet(r.findings, 'python/unpinned');
    expect(r.findings).toEqual([]);
  });

  it('a docs list of ranges is one low finding; `-e .[doc]` is the project itself, not a URL dependency', async () => {
    const r = await pinning([strip(real('ipython/docs/requirements.txt'), 'ipython/')]);
    expectQuiet(r.findings, 'python/url-dependency');
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.location?.line])).toEqual([['python/unpinned', 'low', 2]]);
    expect(r.findings[0].message).toMatch(
      /^12 requirements of 12 in docs\/requirements\.txt are ranges \(`sphinx >7`, /
    );
    expectQuiet(
      r.findings.filter((f) => f.severity !== 'low'),
      'python/unpinned'
    );
  });

  it('the same ranges in a file a publishing workflow installs are medium, one per range', async () => {
    const wf = strip(real('guarddog/.github/workflows/pypi-publish.yml'), 'guarddog/');
    const docs = strip(real('ipython/docs/requirements.txt'), 'ipython/');
    const published = { ...docs, path: '.github/workflows/requirements.txt' };
    const r = await pinning([published], [wf]);
    expectFires(r.findings, 'python/unpinned', 12);
    expect(r.findings.every((f) => f.severity === 'medium')).toBe(true);
    expect(r.findings[0].message).toBe(
      '`sphinx >7` is not pinned to one version, in a file that installs the release build.'
    );
  });

  it('a pinned file without hashes that the release job installs is medium (DataDog/guarddog)', async () => {
    const r = await pinning(
      [strip(real('guarddog/.github/workflows/requirements.txt'), 'guarddog/')],
      [strip(real('guarddog/.github/workflows/pypi-publish.yml'), 'guarddog/')]
    );
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      [
        'python/missing-hashes',
        'medium',
        'The pinned requirement in .github/workflows/requirements.txt has a `--hash`.'
      ]
    ]);
  });
});

describe('typosquats', () => {
  it('flags direct dependencies near popular names, honours the allow list', async () => {
    const r = await verifyDeps(
      { python: [fixture('pyproject.toml'), fixture('uv.lock')], actions: [] },
      { ...OFFLINE, checks: new Set(['typosquats']) }
    );
    expect(r.findings.map((f) => [f.ruleId, f.properties?.package, f.properties?.target, f.location?.line])).toEqual([
      ['python/typosquat', 'reqeusts', 'requests', 11]
    ]);
    expect(r.findings[0].message).toBe(
      '`reqeusts` looks like a typo of the popular `requests` (swapped characters), and is not an established project the check knows of.'
    );
    expect(r.findings[0].spec).toEqual(['S8-16']);
    expectFires(r.findings, 'python/typosquat', 1);
    expect(r.notChecked).toEqual([
      {
        check: 'python/typosquat',
        target: 'reqeusts',
        reason: 'offline: telling an established project from a fresh squat needs PyPI (age and release count)'
      }
    ]);
    const allowed = await verifyDeps(
      { python: [fixture('pyproject.toml')], actions: [] },
      {
        ...OFFLINE,
        checks: new Set(['typosquats']),
        policy: { ...EMPTY_POLICY, typosquatAllow: new Set(['reqeusts']) }
      }
    );
    expectQuiet(allowed.findings, 'python/typosquat');
    expect(allowed.findings).toEqual([]);
    expect(allowed.notChecked).toEqual([]);
  });

  it("SciPy's own dependency groups (marray, uarray) are not typosquats", async () => {
    const text = readFileSync(resolve(REAL, 'scipy', 'pyproject.toml'), 'utf8');
    const r = await verifyDeps(
      { python: [{ path: 'pyproject.toml', text }], actions: [] },
      { ...OFFLINE, checks: new Set(['typosquats']) }
    );
    expectQuiet(r.findings, 'python/typosquat');
    expect(r.notChecked).toEqual([]);
  });

  it('a name the project has locked for months is not a squat; one locked last week still is', async () => {
    const lock = (uploaded: string) =>
      `version = 1\n\n[[package]]\nname = "demo"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "reqeusts" }]\n\n[[package]]\nname = "reqeusts"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\nsdist = { url = "https://x/reqeusts-1.0.tar.gz", hash = "sha256:${'a'.repeat(64)}", upload-time = "${uploaded}" }\n`;
    const at = async (uploaded: string) =>
      (
        await verifyDeps(
          { python: [fixture('pyproject.toml'), { path: 'uv.lock', text: lock(uploaded) }], actions: [] },
          { ...OFFLINE, checks: new Set(['typosquats']) }
        )
      ).findings.map((f) => f.properties?.package);
    expect(await at('2025-03-01T00:00:00Z')).toEqual([]); // 306 days before OFFLINE.now
    expect(await at('2025-12-25T00:00:00Z')).toEqual(['reqeusts', 'reqeusts']); // the pyproject and the lock
  });

  it('online, PyPI tells an established project from a fresh squat and a free name', async () => {
    const file = (name: string, version: string, upload_time: string) => ({
      version,
      files: [{ filename: `${name}-${version}.tar.gz`, content: `${name} ${version}`, upload_time }]
    });
    const world = {
      projects: [
        { name: 'reqeusts', releases: [file('reqeusts', '2.32.5', '2025-12-30T00:00:00Z')] },
        {
          name: 'numpi',
          releases: ['2019-01-01', '2020-01-01', '2021-01-01'].map((d, i) => file('numpi', `1.${i}`, `${d}T00:00:00Z`))
        }
      ]
    };
    const fake = await startFakePyPI({ world });
    try {
      const text = '[project]\nname = "demo"\ndependencies = ["reqeusts", "numpi", "pandaz"]\n';
      const r = await verifyDeps(
        { python: [{ path: 'pyproject.toml', text }], actions: [] },
        { ...OFFLINE, offline: false, checks: new Set(['typosquats']) },
        { pypi: new PyPIClient(fake.url, new HttpClient('PyPI', { retries: 0 })) }
      );
      expect(r.findings.map((f) => [f.properties?.package, f.confidence, f.message.replace(/^.*\. /, '')])).toEqual([
        ['reqeusts', 'high', 'On PyPI: 1 release, first uploaded 2025-12-30 (2 days ago).'],
        ['pandaz', 'high', 'PyPI has no such project: the install fails today, and anyone can register the name.']
      ]);
      expect(r.notes).toContain(
        'Typosquat candidates that PyPI shows as established projects (at least 3 releases, first upload over 180 days ago), not reported: numpi.'
      );
      expect(r.notChecked).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('a failed PyPI look-up keeps the candidate and says it was not checked', async () => {
    const fake = await startFakePyPI({ world: { projects: [] }, faults: [{ match: 'GET /simple/*', status: 503 }] });
    try {
      const r = await verifyDeps(
        { python: [{ path: 'requirements.txt', text: 'reqeusts==1.0\n' }], actions: [] },
        { ...OFFLINE, offline: false, checks: new Set(['typosquats']) },
        { pypi: new PyPIClient(fake.url, new HttpClient('PyPI', { retries: 0 })) }
      );
      expectFires(r.findings, 'python/typosquat', 1);
      expect(r.notChecked.map((n) => [n.check, n.target])).toEqual([['python/typosquat', 'reqeusts']]);
    } finally {
      await fake.close();
    }
  });
});

describe('offline mode and the shipped indicators', () => {
  it('still flags a known-compromised SHA, and lists the network checks as not checked', async () => {
    const text = workflow([`tj-actions/changed-files@${TJ_BAD} # v45.0.7`]);
    const r = await verifyDeps(
      {
        python: [{ path: 'requirements.txt', text: `a==1.0 --hash=${H('a')}\n` }],
        actions: [{ path: '.github/workflows/ci.yml', text }]
      },
      OFFLINE
    );
    expect(r.findings.map((f) => [f.ruleId, f.location?.line])).toEqual([
      ['actions/compromised', lineOf(text, TJ_BAD)]
    ]);
    expect(r.notChecked.map((n) => n.check).sort()).toEqual(['actions', 'provenance', 'vulnerabilities']);
    expect(r.notChecked.every((n) => n.reason.startsWith('offline:'))).toBe(true);
  });
});

describe('PR mode', () => {
  it('reports only what the change introduces', async () => {
    const before = 'a==1.0\nb>=2\n';
    const after = 'a==1.0\nb>=2\nc>=3\n';
    const wfBefore = workflow(['actions/checkout@v4']);
    const wfAfter = workflow(['actions/checkout@v4', 'actions/setup-python@v5']);
    const r = await verifyDeps(
      {
        python: [{ path: 'requirements/release.txt', text: after }],
        actions: [{ path: '.github/workflows/ci.yml', text: wfAfter }],
        base: {
          python: [{ path: 'requirements/release.txt', text: before }],
          actions: [{ path: '.github/workflows/ci.yml', text: wfBefore }]
        }
      },
      { ...OFFLINE, checks: new Set(['pinning', 'actions']) }
    );
    expect(r.findings.map((f) => [f.ruleId, f.location?.line])).toEqual([
      ['python/unpinned', 3],
      ['actions/unpinned', lineOf(wfAfter, 'setup-python')]
    ]);
  });
});

describe('policy', () => {
  const POLICY = `publishers:\n  Pypi_Attestations:\n    kind: GitHub\n    repository: trailofbits/pypi-attestations\n    workflow: release.yml\nallow-tags:\n  - actions\n  - { owner: github, severity: info }\nignore:\n  - rule: python/unpinned\n    package: b\n    reason: resolved by the constraints file\n    expires: 2099-01-01\n  - rule: python/unpinned\n    package: c\n    reason: this one expired long ago\n    expires: 2020-01-01\ncooldown-days: 3\ntyposquat-allow: [reqeusts]\n`;
  it('parses every key', () => {
    const p = parsePolicyFile(POLICY, 'policy.yml');
    expect(p.publishers['pypi-attestations']).toEqual([
      { kind: 'GitHub', repository: 'trailofbits/pypi-attestations', workflow: 'release.yml', environment: undefined }
    ]);
    expect(p.allowTags).toEqual([
      { owner: 'actions', severity: 'low' },
      { owner: 'github', severity: 'info' }
    ]);
    expect(p.cooldownDays).toBe(3);
    expect(p.ignores).toEqual([
      {
        rule: 'python/unpinned',
        properties: { package: 'b' },
        reason: 'resolved by the constraints file',
        expires: '2099-01-01',
        source: 'policy.yml:10'
      },
      {
        rule: 'python/unpinned',
        properties: { package: 'c' },
        reason: 'this one expired long ago',
        expires: '2020-01-01',
        source: 'policy.yml:14'
      }
    ]);
  });
  it('returns its ignores as suppressions; the shared runner applies them, with reason and expiry', async () => {
    const r = await verifyDeps(
      { python: [{ path: 'requirements/release.txt', text: 'b>=2\nc>=3\n' }], actions: [] },
      { ...OFFLINE, checks: new Set(['pinning']), policy: parsePolicyFile(POLICY, 'policy.yml') }
    );
    expect(r.findings.filter((f) => f.suppression)).toEqual([]); // engines never suppress
    const report = reported(r);
    expect(report.findings.map((f) => [f.properties?.package, f.suppression?.reason])).toEqual([
      ['b', 'resolved by the constraints file'],
      ['c', undefined]
    ]);
    expectFires(report.findings, 'python/unpinned', 1);
    expect(report.notes.join('\n')).toContain('The ignore at policy.yml:14 expired on 2020-01-01');
  });
  it('matches a package by its PEP 503 name, and a rule alone', async () => {
    const policy = parsePolicyFile(
      'ignore:\n  - package: Some_Pkg\n    reason: vendored, reviewed by hand\n  - rule: python/no-lock\n    reason: a library, not an application\n',
      'policy.yml'
    );
    const r = await verifyDeps(
      {
        python: [
          { path: 'requirements/release.txt', text: 'some.pkg>=1\nother>=1\n' },
          { path: 'pyproject.toml', text: '[project]\nname = "x"\ndependencies = ["numpy"]\n' }
        ],
        actions: []
      },
      { ...OFFLINE, checks: new Set(['pinning']), policy }
    );
    const report = reported(r);
    expect(report.findings.map((f) => `${f.ruleId} ${f.properties?.package} ${f.suppression?.source}`).sort()).toEqual([
      'python/no-lock undefined policy.yml:4',
      'python/unpinned other undefined',
      'python/unpinned some-pkg policy.yml:2'
    ]);
    expectQuiet(report.findings, 'python/no-lock');
  });
  it.each([
    ['nope: 1\n', 'policy.yml:1: nope: unknown key'],
    ['ignore:\n  - rule: x\n    reason: why\n', "policy.yml:2: ignore.0: needs a 'reason'"],
    [
      'ignore:\n  - rule: python/unpinned\n    reason: because\n    expires: 2025-02-30\n',
      'policy.yml:4: ignore.0.expires'
    ],
    ['allow-tags:\n  - owner: x\n    severity: huge\n', 'policy.yml:3: allow-tags.0.severity'],
    ['publishers:\n  foo:\n    kind: GitHub\n', "policy.yml:3: publishers.foo: needs 'repository'"]
  ])('rejects %j with file and line', (text, msg) => {
    expect(() => parsePolicyFile(text, 'policy.yml')).toThrow(msg);
  });
});

describe('policy in the shared config file', () => {
  it('is validated by the core schema and read by verify-deps; provenance takes the stricter mode', async () => {
    const { parseConfig } = await import('../../packages/core/src/config');
    const { policyFromData, stricterProvenance } = await import('../../actions/verify-deps/src/policy');
    const c = parseConfig(
      'verify-deps:\n  provenance: require\n  allow-tags: [actions]\n  cooldown-days: 2\n',
      '.github/security-actions.yml'
    );
    const p = policyFromData(c.sections['verify-deps'], c.file!, () => undefined);
    expect(p).toMatchObject({
      provenance: 'require',
      cooldownDays: 2,
      allowTags: [{ owner: 'actions', severity: 'low' }]
    });
    expect(stricterProvenance('warn', p.provenance)).toBe('require');
    expect(stricterProvenance('require', 'off')).toBe('require');
    expect(() => parseConfig('verify-deps:\n  cooldown-days: -1\n', '.github/security-actions.yml')).toThrow(
      /security-actions\.yml:2:/
    );
  });
});
