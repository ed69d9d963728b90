// The core's workflow audit on real projects' workflows and actions, read
// from the mirrors `fetch github:<owner>/<repo>` made (nothing is copied):
// findings per rule and severity, every finding at medium or above listed for
// review (`--details file.json`), and the time to parse and audit 200
// workflows (real files, repeated). Target (issue 12): 200 workflows well
// under a second.
//   node bench/workflow-audit.mjs [--details out.json]
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { catFiles } from './lib/git-batch.mjs';
import { loadWorkflowAudit, printTable } from './lib/workflow-audit.mjs';

/** Projects and the commit audited (HEAD of the mirror when none is named). */
export const PROJECTS = [
  { repo: 'numpy/numpy' },
  { repo: 'scipy/scipy' },
  { repo: 'astropy/astropy' },
  { repo: 'pydata/xarray' },
  { repo: 'jupyterlab/jupyterlab' },
  { repo: 'scikit-image/scikit-image' },
  { repo: 'networkx/networkx' },
  { repo: 'dask/dask' },
  { repo: 'zarr-developers/zarr-python' },
  { repo: 'sunpy/sunpy' },
  { repo: 'ipython/ipython' },
  // The commit before the fix of the December 2024 compromise (#303, 89c1f380).
  { repo: 'ultralytics/actions', ref: '63d2cd98a098f45d5532e3b1ee7715bae66280c2' }
];

const mirror = (repo) => `/work/.mirror/${repo.replace('/', '+')}/repo`;
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** Workflow and action metadata files of a repository at a commit. */
export function filesAt(repo, ref = 'HEAD') {
  const dir = mirror(repo);
  const git = (args) => execFileSync('git', ['-C', dir, ...args], { maxBuffer: 1 << 28 });
  const commit = git(['rev-parse', ref]).toString().trim();
  const paths = git(['ls-tree', '-r', '--name-only', commit])
    .toString()
    .split('\n')
    .filter((p) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p) || /(^|\/)action\.ya?ml$/.test(p))
    .filter((p) => !/(^|\/)(node_modules|vendor|third_party|tests?\/fixtures?)\//.test(p));
  if (!paths.length) return { commit, files: [] };
  const blobs = catFiles(
    dir,
    paths.map((p) => `${commit}:${p}`)
  );
  const files = paths.map((path, i) => ({ path, text: blobs[i].toString('utf8') }));
  return { commit, files };
}

const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export async function run() {
  const { module: wa, bytes } = await loadWorkflowAudit();
  const rows = [];
  const details = [];
  const all = [];
  for (const p of PROJECTS) {
    if (!existsSync(mirror(p.repo))) {
      rows.push({ project: p.repo, commit: '-', files: 0, findings: 'not checked: no mirror' });
      continue;
    }
    const { commit, files } = filesAt(p.repo, p.ref);
    all.push(...files.map((f) => ({ ...f, path: `${p.repo}/${f.path}` })));
    const r = wa.auditWorkflows(files, { visibility: 'public' });
    const bySev = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const f of r.findings) bySev[f.severity]++;
    for (const f of r.findings.filter((x) => RANK[x.severity] >= RANK.medium))
      details.push({
        repo: p.repo,
        commit,
        rule: f.ruleId,
        severity: f.severity,
        file: f.location?.file,
        line: f.location?.line,
        message: f.message
      });
    rows.push({
      project: p.repo,
      commit: commit.slice(0, 12),
      files: files.length,
      critical: bySev.critical,
      high: bySev.high,
      medium: bySev.medium,
      low: bySev.low,
      info: bySev.info,
      errors: r.errors.length
    });
  }
  // Speed: 200 real workflows (the files above, repeated), parsed and audited in one call.
  const workflows = all.filter((f) => f.path.includes('/.github/workflows/'));
  if (workflows.length) {
    // Paths differ per run, so no run reuses another's parse (documents are cached by path and text).
    const batchOf = (run) =>
      Array.from({ length: 200 }, (_, i) => ({
        ...workflows[i % workflows.length],
        path: `r${run}/w${i}/${workflows[i % workflows.length].path}`
      }));
    const batch = batchOf(0);
    // Wall time depends on what else the machine runs; CPU time (user + system) of this process less so.
    const wall = [];
    const cpu = [];
    for (let i = 0; i < 7; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      wa.auditWorkflows(batchOf(i), { visibility: 'public' });
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    // The first run is cold (as in one `scan`); the others show the steady state.
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const r = (x) => Math.round(x);
    rows.push({
      project: `speed: 200 workflows (${(batch.reduce((n, f) => n + f.text.length, 0) / 1e6).toFixed(2)} MB)`,
      commit: `cold: wall ${r(wall[0])} ms, CPU ${r(cpu[0])} ms; warm median: wall ${r(med(wall.slice(1)))} ms, CPU ${r(med(cpu.slice(1)))} ms`,
      files: 200,
      critical: `bundle ${r(bytes / 1024)} KiB`,
      ok: cpu[0] < 1000
    });
  }
  const out = arg('--details');
  if (out) writeFileSync(out, JSON.stringify(details, null, 1));
  // Every row with every column, for bench/run.mjs's table.
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return {
    title: 'Workflow audit on real projects',
    rows: rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? ''])))
  };
}

if (import.meta.url === `file://${process.argv[1]}`) printTable(await run());
