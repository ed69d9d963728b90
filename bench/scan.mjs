// `sp-security scan` end to end through the CLI bundle on a large checkout:
// 5,000 files with 200 workflows, built deterministically from real projects'
// files read from the mirrors `fetch` made (nothing is committed): workflows,
// action metadata, Python, notebooks, JavaScript, dependency files, binaries
// (images, NumPy, FITS, HDF5 test data) and text with non-ASCII characters.
// Each run spawns the bundle as a user's shell would and is timed from spawn
// to exit; peak memory is read by a preloaded module. Target (issue 12): under
// 3 s end to end.
//   node bench/scan.mjs
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { catFiles } from './lib/git-batch.mjs';
import { recordFindings } from './lib/snapshot.mjs';
import { printTable } from './lib/workflow-audit.mjs';
import { fmt, mib, summarise } from './lib/stats.mjs';

const root = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TOTAL = 5000;
const WORKFLOWS = 200;
const MAX_BYTES = 256 * 1024;

/** The projects files are taken from, in this order (a mirror that is missing is skipped). */
const REPOS = [
  'numpy/numpy',
  'scipy/scipy',
  'astropy/astropy',
  'scikit-image/scikit-image',
  'jupyterlab/jupyterlab',
  'napari/napari',
  'pydata/xarray',
  'dask/dask',
  'networkx/networkx',
  'zarr-developers/zarr-python',
  'scikit-hep/awkward',
  'sunpy/sunpy',
  'ipython/ipython',
  'jupyter/notebook',
  'mne-tools/mne-python',
  'numba/numba',
  'h5py/h5py',
  'statsmodels/statsmodels',
  'ultralytics/actions',
  'tj-actions/changed-files'
];

/** Kinds of file, each with how many the checkout gets (the rest of TOTAL are other text files). */
const KINDS = [
  { kind: 'workflow', quota: WORKFLOWS, test: (p) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p) },
  { kind: 'action', quota: 20, test: (p) => /(^|\/)action\.ya?ml$/.test(p) },
  { kind: 'python', quota: 2200, test: (p) => /\.pyi?$/.test(p) },
  { kind: 'notebook', quota: 150, test: (p) => /\.ipynb$/.test(p) },
  { kind: 'javascript', quota: 600, test: (p) => /\.(m?js|ts|tsx)$/.test(p) },
  { kind: 'dependencies', quota: 40, test: (p) => /(^|\/)(pyproject\.toml|requirements[^/]*\.txt)$/.test(p) },
  { kind: 'binary', quota: 500, test: (p) => /\.(png|npy|npz|fits|h5|hdf5|mat|gz|jpg|whl)$/i.test(p) },
  // Restructured text and Markdown: only files with non-ASCII characters are kept (checked once read).
  { kind: 'non-ASCII text', quota: 300, test: (p) => /\.(rst|md|txt)$/.test(p), nonAscii: true }
];
// Not a workflow: the checkout's 200 are the workflow kind's.
const OTHER = {
  kind: 'other text',
  test: (p) => /\.(c|h|cfg|toml|yml|yaml|json|css|sh|pyx|ini)$/.test(p) && !p.startsWith('.github/workflows/')
};

const mirror = (repo) => `/work/.mirror/${repo.replace('/', '+')}/repo`;

/** A repository's files at HEAD that are small enough: path and size, sorted. */
function treeOf(repo) {
  const out = execFileSync('git', ['-C', mirror(repo), 'ls-tree', '-r', '-l', 'HEAD'], { maxBuffer: 1 << 28 });
  return out
    .toString()
    .split('\n')
    .map((l) => /^\d+ blob ([0-9a-f]+) +(\d+)\t(.+)$/.exec(l))
    .filter((m) => m && Number(m[2]) <= MAX_BYTES)
    .map((m) => ({ repo, sha: m[1], path: m[3] }));
}

/** Blob contents by id, through one `git cat-file --batch` per repository. */
function readBlobs(repo, shas) {
  const blobs = catFiles(mirror(repo), shas);
  return new Map(shas.map((sha, i) => [sha, blobs[i]]));
}

/** Round-robin over the repositories, so every project contributes to every kind. */
function pick(candidates, quota) {
  const byRepo = REPOS.map((r) => candidates.filter((c) => c.repo === r));
  const out = [];
  for (let i = 0; out.length < quota && byRepo.some((l) => i < l.length); i++)
    for (const l of byRepo) if (i < l.length && out.length < quota) out.push(l[i]);
  return out;
}

/** Writes the checkout; returns what it holds. */
function buildCheckout(dir) {
  const repos = REPOS.filter((r) => existsSync(mirror(r)));
  const trees = repos.flatMap(treeOf);
  const chosen = new Set();
  const counts = {};
  const files = [];
  for (const k of [...KINDS, { ...OTHER, quota: Infinity }]) {
    const candidates = trees.filter((f) => !chosen.has(f) && k.test(f.path));
    let list = pick(candidates, k.quota === Infinity ? TOTAL - files.length : k.nonAscii ? k.quota * 4 : k.quota);
    if (k.kind === 'workflow' && list.length < WORKFLOWS) throw new Error(`only ${list.length} workflows found`);
    for (const f of list) chosen.add(f);
    const texts = new Map(
      repos.flatMap((r) => {
        const shas = list.filter((f) => f.repo === r).map((f) => f.sha);
        return shas.length ? [...readBlobs(r, shas)] : [];
      })
    );
    if (k.nonAscii) list = list.filter((f) => /[^\x00-\x7f]/.test(texts.get(f.sha).toString('utf8'))).slice(0, k.quota);
    counts[k.kind] = list.length;
    for (const f of list) files.push({ ...f, kind: k.kind, bytes: texts.get(f.sha) });
  }
  let bytes = 0;
  for (const f of files) {
    const slug = f.repo.replace('/', '-');
    // Workflows go where GitHub reads them, named by project; everything else under its project's folder.
    const path = f.kind === 'workflow' ? `.github/workflows/${slug}-${f.path.split('/').pop()}` : `${slug}/${f.path}`;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), f.bytes);
    bytes += f.bytes.length;
  }
  return { files: files.length, counts, bytes, repos: repos.length };
}

function scanOnce(dir, out) {
  const files = { rss: join(out, 'rss'), cpu: join(out, 'cpu'), json: join(out, 'report.json') };
  for (const f of [files.rss, files.cpu]) writeFileSync(f, '');
  const args = [
    '--import',
    join(root, 'bench/lib/rss.mjs'),
    '--import',
    join(root, 'bench/lib/cpu.mjs'),
    join(root, 'packages/cli/bin/sp-security.js'),
    'scan',
    '--repo',
    dir,
    '--json',
    files.json,
    '--fail-on',
    'none',
    '--quiet'
  ];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BENCH_RSS_FILE: files.rss, BENCH_CPU_FILE: files.cpu },
      stdio: ['ignore', 'ignore', 'pipe']
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const wall = performance.now() - started;
      // 2 is a report with errors (a real file that does not parse): the scan still ran and wrote its report.
      if (code !== 0 && code !== 2) return reject(new Error(`scan exited ${code}: ${err}`));
      resolve({
        wall,
        code,
        cpu: Number(readFileSync(files.cpu, 'utf8').trim()),
        rss: Number(readFileSync(files.rss, 'utf8').trim()),
        report: JSON.parse(readFileSync(files.json, 'utf8'))
      });
    });
  });
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-scan-checkout-'));
  const out = mkdtempSync(join(tmpdir(), 'bench-scan-out-'));
  try {
    const built = buildCheckout(dir);
    await scanOnce(dir, out); // warm-up: the file system cache, as on a second run
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await scanOnce(dir, out));
    const report = runs[0].report;
    recordFindings('scan', report);
    const wall = summarise(runs.map((r) => r.wall));
    const active = report.findings.filter((f) => !f.suppression);
    return {
      title: `sp-security scan end to end (CLI bundle): ${built.files} files from ${built.repos} real projects`,
      rows: [
        {
          files: built.files,
          workflows: built.counts.workflow,
          'action files': built.counts.action,
          'Python / notebooks / JS': `${built.counts.python} / ${built.counts.notebook} / ${built.counts.javascript}`,
          'binaries / non-ASCII text': `${built.counts.binary} / ${built.counts['non-ASCII text']}`,
          size: mib(built.bytes / 1024),
          'wall (median)': fmt(wall.median),
          'wall (p95)': fmt(wall.p95),
          'CPU (median)': fmt(summarise(runs.map((r) => r.cpu)).median),
          'peak RSS': mib(Math.max(...runs.map((r) => r.rss))),
          findings: active.length,
          'input errors': report.errors.length,
          target: '< 3 s',
          ok: wall.median < 3000
        }
      ]
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printTable(await run());
