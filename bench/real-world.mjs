// Detection on public history nobody here wrote (issue 13):
//   prs        pr-anomaly-scan, through its bundle as the runner starts it, on the last BENCH_PRS (100) merges of
//              REAL_WORLD_PROJECTS (each merge's first-parent diff is the PR that was merged). Targets: no finding at
//              high or above that the hand judgement does not call right, at most 5% of PRs with a finding at medium.
//   incidents  the same scan on real incident commits of the mirrors and on the reconstructed tj-actions bundle of
//              test/fixtures/real/. Target: each one has a finding at high or above.
//   trees      the content pass of `sp-security scan` (analyseFile, the function it runs on every file) over every
//              file of HEAD of the scientific mirrors (at least 30). Target: no finding at high or above.
// Findings at medium and above are printed with a key; bench/real-world-judged.json holds the hand judgement of
// each (true alarm or false alarm, with a reason), from which the precision per rule is computed.
// Needs the mirrors under /work/.mirror (fetch github:numpy/numpy, github:scipy/scipy, github:astropy/astropy,
// github:tukaani-project/xz, github:ultralytics/actions and the scientific repositories).
//   node bench/real-world.mjs [prs] [incidents] [trees]    (npm run bench -- real-world runs all three)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MIRRORS, blobs, git, gitCommitting, headOf, load, repoDir } from './lib/mirrors.mjs';
import { recordFindings } from './lib/snapshot.mjs';

const root = join(import.meta.dirname, '..');
// The bundle measured: the committed one, or another build (BENCH_PR_BUNDLE=path/index.js) to compare.
const BUNDLE = process.env.BENCH_PR_BUNDLE ?? join(root, 'actions/pr-anomaly-scan/dist/index.js');
// The first three were the projects the rules were tuned on; the next eight were added (stop 24), then twelve and
// ten more (stop 25, two rounds) to judge them on projects they were not tuned on, each first run judged before any
// fix. (arviz, judged in the second round, is left out: its mirror lacks objects two of its merges need.)
const PROJECTS = (
  process.env.REAL_WORLD_PROJECTS ??
  [
    'numpy+numpy,scipy+scipy,astropy+astropy',
    'pydata+xarray,scikit-image+scikit-image,dask+dask,napari+napari,jupyterlab+jupyterlab,networkx+networkx,mne-tools+mne-python,sympy+sympy',
    'ipython+ipython,jupyter+jupyter_client,jupyter+nbconvert,jupyter+notebook,jupyter-server+jupyter_server,h5py+h5py',
    'numba+numba,statsmodels+statsmodels,sunpy+sunpy,zarr-developers+zarr-python,shapely+shapely,nipy+nibabel',
    'geopandas+geopandas,dask+distributed,jupyterhub+jupyterhub,ipython+ipykernel,astropy+astroquery,numpy+numpydoc',
    'pydata+pydata-sphinx-theme,scikit-hep+pyhf,pyro-ppl+numpyro,jupyter+nbformat'
  ].join(',')
).split(',');
const PRS = Number(process.env.BENCH_PRS ?? 100);
const WORKERS = 2;
const JUDGED = join(import.meta.dirname, 'real-world-judged.json');
/**
 * Incident and tool repositories among the mirrors: not real projects' ordinary trees (PyPI's warehouse keeps
 * PyArmor-packed samples as tests of its malware scanner).
 */
const NOT_SCIENTIFIC =
  /^(?:DataDog\+guarddog|pypi\+warehouse|SAP-samples\+.*|tj-actions\+.*|reviewdog\+.*|ultralytics\+.*|tukaani-project\+xz|zizmorcore\+zizmor|pypa\+gh-action-pypi-publish|conda-forge\+.*|hugovk\+.*)$/;
const INCIDENTS = [
  {
    name: 'xz: backdoor test files added (CVE-2024-3094)',
    mirror: 'tukaani-project+xz',
    head: 'cf44e4b7f5dfdbf8c78aef377c10f71e274f63c0'
  },
  {
    name: 'xz: backdoor test files updated (CVE-2024-3094)',
    mirror: 'tukaani-project+xz',
    head: '6e636819e8f070330d835fce46289a3ff72a7b89'
  },
  {
    name: 'xz: Landlock feature test sabotaged',
    mirror: 'tukaani-project+xz',
    head: '328c52da8a2bbb81307644efdb58db2c422d9ba7'
  },
  {
    name: 'Ultralytics: head ref newly in a shell step',
    mirror: 'ultralytics+actions',
    head: 'c1365cedb65b86d4f77cabc192873ee4b6b33276'
  },
  { name: 'tj-actions: shell payload in dist/index.js (reconstructed)', fixture: 'tj-actions-dist-shell' }
];

const RANK = ['info', 'low', 'medium', 'high', 'critical'];
const atLeast = (sev, min) => RANK.indexOf(sev) >= RANK.indexOf(min);
const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '–');
const judged = existsSync(JUDGED) ? JSON.parse(readFileSync(JUDGED, 'utf8')).judged : {};
/** What the hand judgement of a finding is keyed by: where it is and what it says. */
const keyOf = (where, f) => `${where}:${f.location?.file ?? ''}:${f.location?.line ?? ''} ${f.ruleId}`;

/**
 * pr-anomaly-scan's bundle on base..head of a git directory (bare or not), with no token, as a runner starts it;
 * `mirror` (`owner+name`) names the repository as GITHUB_REPOSITORY would.
 */
function scanPr(dir, base, head, mirror) {
  const temp = mkdtempSync(join(tmpdir(), 'real-world-'));
  const out = join(temp, 'out');
  writeFileSync(out, '');
  writeFileSync(join(temp, 'summary'), '');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: join(temp, 'summary'),
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: temp,
    INPUT_BASE: base,
    INPUT_HEAD: head,
    INPUT_PATH: '.',
    'INPUT_FAIL-ON': 'none',
    INPUT_CONFIG: '.github/security-actions.yml',
    ...(mirror && { GITHUB_REPOSITORY: mirror.replace('+', '/') })
  };
  return new Promise((resolve) => {
    const child = spawn('nice', [process.execPath, BUNDLE], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', () => {
      let report;
      try {
        report = JSON.parse(readFileSync(join(temp, 'pr-anomaly-scan-report.json'), 'utf8'));
      } catch {
        report = { findings: [], notChecked: [], stats: {}, errors: [`no report: ${err.trim().split('\n').pop()}`] };
      }
      rmSync(temp, { recursive: true, force: true });
      const active = report.findings.filter((f) => !f.suppression);
      const top = active.reduce((m, f) => (atLeast(f.severity, m) ? f.severity : m), 'info');
      resolve({ report, active, top: active.length ? top : 'none', score: report.stats['risk score'] ?? '?' });
    });
  });
}

/** Runs jobs WORKERS at a time, in order of the results. */
async function pool(items, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return out;
}

const listed = [];
const byRule = new Map();
/** Counts a finding at medium or above under its rule with its judgement, and lists it. */
function note(where, f) {
  const key = keyOf(where, f);
  const j = judged[key];
  const r = byRule.get(f.ruleId) ?? { n: 0, right: 0, wrong: 0 };
  r.n++;
  if (j?.verdict === 'true') r.right++;
  if (j?.verdict === 'false') r.wrong++;
  byRule.set(f.ruleId, r);
  listed.push(
    `${f.severity.padEnd(8)} ${key}  ${f.message.slice(0, 160)}${j ? `  [judged ${j.verdict}: ${j.why}]` : '  [not judged]'}`
  );
}

async function prs() {
  const rows = [];
  for (const name of PROJECTS) {
    const repo = repoDir(name);
    if (!existsSync(repo)) {
      rows.push({
        set: name,
        scanned: 0,
        'at medium': '–',
        'at high or critical': 'not checked: no mirror',
        errors: 0,
        target: 'no high',
        ok: false
      });
      continue;
    }
    const merges = git(repo, 'log', '--first-parent', '--merges', '--format=%H', '-n', String(PRS), 'HEAD')
      .toString()
      .split('\n')
      .filter(Boolean);
    const results = await pool(merges, (sha) => scanPr(repo, `${sha}^1`, sha, name));
    let medium = 0;
    let high = 0;
    let unjustified = 0; // PRs with a high finding that the hand judgement does not call right
    let errors = 0;
    let inputErrors = 0;
    results.forEach((r, i) => {
      const where = `${name}@${merges[i].slice(0, 12)}`;
      // `file:line: …` is the project's own malformed file, reported as the suite reports bad input (geopandas once
      // committed a requirements file holding `pip install sphinx_rtd_theme`); anything else is the scan failing.
      const own = r.report.errors.filter((e) => /^[^\s:][^:]*:\d+: /.test(e));
      if (own.length) inputErrors++;
      if (r.report.errors.length > own.length) errors++;
      // A PR at medium counts against the 5% unless the hand judgement calls its findings right (pydata-sphinx-theme's
      // 5 PRs hold one, a plain-HTTP installer, right: 20% of five says nothing about noise).
      const mediums = r.active.filter((f) => f.severity === 'medium');
      if (r.top === 'medium' && mediums.some((f) => judged[keyOf(where, f)]?.verdict !== 'true')) medium++;
      if (atLeast(r.top, 'high') && r.top !== 'none') {
        high++;
        const highs = r.active.filter((f) => atLeast(f.severity, 'high'));
        if (highs.some((f) => judged[keyOf(where, f)]?.verdict !== 'true')) unjustified++;
      }
      for (const f of r.active) if (atLeast(f.severity, 'medium')) note(where, f);
    });
    recordFindings(`real-world prs ${name}`, {
      findings: results.flatMap((r) => r.active),
      notChecked: [],
      errors: results.flatMap((r) => r.report.errors)
    });
    rows.push({
      set: `${name.replace('+', '/')} @ ${headOf(repo).slice(0, 12)}: last ${merges.length} merged PRs`,
      scanned: merges.length,
      'at medium': `${medium} (${pct(medium, merges.length)})`,
      'at high or critical': high ? `${high} (${high - unjustified} judged right)` : 0,
      errors: inputErrors ? `${errors} (and ${inputErrors} with the project's own malformed files)` : errors,
      // A benign PR may add what the SPECs forbid (a new action pinned by tag): high then, if judged right.
      target: 'no high unless judged right, ≤ 5% at medium unless judged right',
      ok: unjustified === 0 && medium <= 0.05 * merges.length && errors === 0
    });
  }
  return rows;
}

/** A throw-away repository of a test/fixtures/real case: its base side, then its head side, as two commits. */
function fixtureRepo(name) {
  const dir = mkdtempSync(join(tmpdir(), 'real-world-fixture-'));
  const run = (...a) => gitCommitting(dir, ...a);
  run('init', '-q', '-b', 'main');
  const side = (s) => {
    for (const n of readdirSync(dir)) if (n !== '.git') rmSync(join(dir, n), { recursive: true, force: true });
    execFileSync('cp', ['-r', `${join(root, 'test/fixtures/real', name, s)}/.`, dir]);
    run('add', '-A');
    run('commit', '-qm', s, '--allow-empty');
    return run('rev-parse', 'HEAD');
  };
  return { dir, base: side('base'), head: side('head') };
}

async function incidents() {
  const rows = [];
  for (const c of INCIDENTS) {
    let r;
    if (c.fixture) {
      const repo = fixtureRepo(c.fixture);
      r = await scanPr(repo.dir, repo.base, repo.head);
      rmSync(repo.dir, { recursive: true, force: true });
    } else if (existsSync(repoDir(c.mirror))) r = await scanPr(repoDir(c.mirror), `${c.head}^1`, c.head, c.mirror);
    else {
      rows.push({
        set: c.name,
        scanned: 0,
        'at medium': '–',
        'at high or critical': 'not checked: no mirror',
        errors: 0,
        target: 'high',
        ok: false
      });
      continue;
    }
    const high = r.active.filter((f) => atLeast(f.severity, 'high'));
    rows.push({
      set: `${c.name} (${c.fixture ? `test/fixtures/real/${c.fixture}` : `${c.mirror.replace('+', '/')}@${c.head.slice(0, 12)}`})`,
      scanned: 1,
      'at medium': `risk ${r.score}`,
      'at high or critical': [...new Set(high.map((f) => `${f.ruleId} (${f.severity})`))].join(', ') || 'none',
      errors: r.report.errors.length,
      target: 'a finding at high or above',
      ok: high.length > 0 && r.report.errors.length === 0
    });
  }
  return rows;
}

async function trees() {
  const content = await load('packages/core/src/content/index.ts');
  const names = readdirSync(MIRRORS).filter((n) => !NOT_SCIENTIFIC.test(n) && existsSync(repoDir(n)));
  let files = 0;
  let medium = 0;
  let high = 0;
  for (const name of names) {
    const repo = repoDir(name);
    const where = `${name}@${headOf(repo).slice(0, 12)}`;
    for await (const { path, bytes } of blobs(repo)) {
      files++;
      for (const f of await content.analyseFile(path, bytes)) {
        if (!atLeast(f.severity, 'medium')) continue;
        medium++;
        if (atLeast(f.severity, 'high')) high++;
        note(where, f);
      }
    }
  }
  return [
    {
      set: `content pass of scan over HEAD of ${names.length} scientific repositories`,
      scanned: `${files} files`,
      'at medium': `${medium} findings`,
      'at high or critical': high,
      errors: 0,
      target: '≥ 30 trees, no high',
      ok: names.length >= 30 && high === 0
    }
  ];
}

/** Precision per rule at medium and above, from the hand judgements; a rule with an unjudged finding is not met. */
function precision() {
  return [...byRule].map(([rule, r]) => ({
    set: `precision of \`${rule}\` (≥ medium, PRs and trees)`,
    scanned: r.n,
    'at medium': `${r.right} right, ${r.wrong} wrong, ${r.n - r.right - r.wrong} not judged`,
    'at high or critical': pct(r.right, r.right + r.wrong),
    errors: 0,
    target: '≥ 9 in 10 right',
    ok: r.right + r.wrong === r.n && r.right >= 0.9 * r.n
  }));
}

export async function run(parts = ['prs', 'incidents', 'trees']) {
  const rows = [];
  if (parts.includes('prs')) rows.push(...(await prs()));
  if (parts.includes('incidents')) rows.push(...(await incidents()));
  if (parts.includes('trees')) rows.push(...(await trees()));
  rows.push(...precision());
  if (listed.length) console.log(`\nFindings at medium and above (key, message, judgement):\n${listed.join('\n')}\n`);
  return { title: 'Real history and real trees (issue 13)', rows };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const parts = process.argv.slice(2);
  const { title, rows } = await run(parts.length ? parts : undefined);
  console.log(`## ${title}\n`);
  const cols = Object.keys(rows[0]);
  console.log(`| ${cols.join(' | ')} |\n| ${cols.map(() => '---').join(' | ')} |`);
  for (const r of rows)
    console.log(`| ${cols.map((c) => (c === 'ok' ? (r[c] ? 'yes' : '**NO**') : r[c])).join(' | ')} |`);
}
