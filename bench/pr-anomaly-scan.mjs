// pr-anomaly-scan end to end through its bundle, as the runner starts it, on a
// realistic generated PR (bench/lib/pr-gen.mjs: 10,000 files, about 108 MB of
// Python, JavaScript, JSON, notebooks with PNG outputs and binaries) and a
// typical 20-file one. Targets (issue 15): the large PR in under 2 s, the engine
// at 100 MB/s or more per core, peak memory under 3 times the PR; the small PR
// in under 300 ms. Anchors measured in the same run: node alone, the plain
// secretlint library and anti-trojan-source over the same files.
//
// The findings must not change when the code gets faster: each PR's findings
// are compared with bench/baselines/ (taken before optimising), and every run's
// findings with the first's. BENCH_BASELINE=write re-takes the baseline; do
// that only for a change meant to alter findings, and say so in the commit.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LARGE, SMALL } from './lib/pr-gen.mjs';
import { prRepo } from './lib/pr-repo.mjs';
import { findingsTsv, recordFindings } from './lib/snapshot.mjs';
import { fmt, mib, summarise } from './lib/stats.mjs';

const root = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// The anchors over the same files (anti-trojan-source takes half a minute) run in the first rounds only.
const ANCHOR_RUNS = Math.min(RUNS, Number(process.env.BENCH_ANCHOR_RUNS ?? 3));
// The bundle measured: the committed one, or another build (BENCH_PR_BUNDLE=path/index.js) to compare.
const BUNDLE = process.env.BENCH_PR_BUNDLE ?? join(root, 'actions/pr-anomaly-scan/dist/index.js');
const BASELINES = join(import.meta.dirname, 'baselines');
const PRELOAD = ['--import', join(root, 'bench/lib/rss.mjs'), '--import', join(root, 'bench/lib/cpu.mjs')];

/** Spawns node with `args` (rss and CPU recorded); resolves wall ms, CPU ms, peak KiB and stdout. */
function measured(args, opts = {}) {
  const temp = mkdtempSync(join(tmpdir(), 'bench-run-'));
  const env = { ...opts.env, PATH: process.env.PATH, HOME: process.env.HOME };
  Object.assign(env, { BENCH_RSS_FILE: join(temp, 'rss'), BENCH_CPU_FILE: join(temp, 'cpu') });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...PRELOAD, ...args], {
      env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'ignore']
    });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const read = (f) => Number(readFileSync(join(temp, f), 'utf8').trim());
      const result = { ms, cpu: read('cpu'), kib: read('rss'), code, stdout: Buffer.concat(out).toString(), temp };
      resolve(opts.keep ? result : (rmSync(temp, { recursive: true, force: true }), result));
    });
  });
}

/** One run of the bundled action on `base...head` of the repository. */
async function runAction(repo, base = repo.base) {
  const temp = mkdtempSync(join(tmpdir(), 'bench-act-'));
  const out = join(temp, 'out');
  writeFileSync(out, '');
  const env = {
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: join(temp, 'summary'),
    GITHUB_WORKSPACE: repo.dir,
    RUNNER_TEMP: temp,
    INPUT_BASE: base,
    INPUT_HEAD: repo.head,
    INPUT_PATH: '.',
    'INPUT_FAIL-ON': 'none',
    INPUT_CONFIG: '.github/security-actions.yml'
  };
  const r = await measured([BUNDLE], { env });
  const report = JSON.parse(readFileSync(join(temp, 'pr-anomaly-scan-report.json'), 'utf8'));
  const ok = /findings-count/.test(readFileSync(out, 'utf8')) && !report.errors.length;
  rmSync(temp, { recursive: true, force: true });
  return { ...r, report, ok };
}

const median = (runs, k) => summarise(runs.map((r) => r[k])).median;
const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1000);
const fmtRate = (x) => `${x.toFixed(1)} MB/s`;

/** Planted lines no finding reports (a planted file with no finding of the planted line's rule). */
const missedPlants = (repo, report) =>
  repo.plants.filter((p) => p.rule && !report.findings.some((f) => f.ruleId === p.rule && f.location?.file === p.path));

/** The findings of every run equal each other and the baseline (written instead when BENCH_BASELINE=write). */
function sameFindings(name, runs) {
  const tsv = runs.map((r) => findingsTsv(r.report));
  recordFindings(`pr-anomaly-scan ${name}`, runs[0].report);
  const file = join(BASELINES, `pr-anomaly-scan-${name}.tsv`);
  if (process.env.BENCH_BASELINE === 'write') writeFileSync(file, tsv[0]);
  const expected = readFileSync(file, 'utf8');
  const lines = new Set(expected.split('\n'));
  const changed = tsv[0].split('\n').filter((l) => !lines.has(l)).length;
  const same = tsv.every((t) => t === expected);
  if (!same) {
    const got = join(tmpdir(), `pr-anomaly-scan-${name}.tsv`);
    writeFileSync(got, tsv[0]);
    console.error(`pr-anomaly-scan ${name}: findings differ from ${file} (${changed} line(s) new; see ${got})`);
  }
  return { same, findings: runs[0].report.findings.length };
}

/** A row of the table. */
const row = (what, runs, extra) => ({
  measure: what,
  'wall (median)': runs ? fmt(median(runs, 'ms')) : '',
  'wall (p95)': runs ? fmt(summarise(runs.map((r) => r.ms)).p95) : '',
  'CPU (median)': runs ? fmt(median(runs, 'cpu')) : '',
  'peak RSS': runs ? mib(Math.max(...runs.map((r) => r.kib))) : '',
  throughput: '',
  'vs anchor': '',
  target: '',
  ok: undefined,
  ...extra
});

export async function run() {
  const large = prRepo(LARGE);
  const small = prRepo(SMALL);
  const list = join(mkdtempSync(join(tmpdir(), 'bench-list-')), 'files');
  writeFileSync(list, large.textFiles.join('\n') + '\n');
  try {
    // Rounds, each measuring everything once, so that load on the machine falls on all alike.
    const [node, empty, big, typical, sl, ats] = [[], [], [], [], [], []];
    await runAction(large); // warm the page cache
    await runAction(small);
    for (let i = 0; i < RUNS; i++) {
      node.push(await measured(['-e', '']));
      // The same bundle on an empty range: start-up, inputs, config and reports, so the rest is the scan.
      empty.push(await runAction(large, large.head));
      big.push(await runAction(large));
      typical.push(await runAction(small));
      if (i >= ANCHOR_RUNS) continue;
      sl.push(await measured([join(root, 'bench/lib/secretlint-plain.mjs'), large.dir, list]));
      const cli = join(root, 'node_modules/anti-trojan-source/bin/anti-trojan-source.js');
      ats.push(await measured([cli, '--files=**/*.{py,js,json,ipynb}'], { cwd: large.dir }));
    }
    const bigSame = sameFindings('large', big);
    const smallSame = sameFindings('small', typical);
    const missed = [...missedPlants(large, big[0].report), ...missedPlants(small, typical[0].report)];
    for (const p of missed) console.error(`planted ${p.kind} in ${p.path} not reported (${p.rule})`);
    const engineCpu = median(big, 'cpu') - median(empty, 'cpu');
    const engine = mbps(large.bytes, engineCpu);
    // BENCH_ANCHOR_RUNS=0 leaves the anchors out (a quicker run to compare bundles): their rows say so.
    const anchored = sl.length > 0;
    const slRate = anchored ? mbps(large.textBytes, median(sl, 'cpu') - median(node, 'cpu')) : NaN;
    const atsRate = anchored ? mbps(large.textBytes, median(ats, 'cpu') - median(node, 'cpu')) : NaN;
    const peak = Math.max(...big.map((r) => r.kib)) * 1024;
    const sl0 = anchored ? JSON.parse(sl[0].stdout) : { files: large.textFiles.length };
    const mix = Object.entries(large.mix)
      .map(([k, v]) => `${v.files} ${k} (${(v.bytes / 1e6).toFixed(1)} MB)`)
      .join(', ');
    console.error(
      `large PR: ${large.files} files, ${(large.bytes / 1e6).toFixed(1)} MB: ${mix}; sha256 ${large.digest}`
    );
    return {
      title: 'pr-anomaly-scan on a realistic PR (bundled action, anchors in the same run)',
      rows: [
        row('node alone (`node -e ""`)', node),
        row('action on an empty range (start-up)', empty),
        row(`action, ${large.files} files / ${(large.bytes / 1e6).toFixed(1)} MB`, big, {
          throughput: `${fmtRate(mbps(large.bytes, median(big, 'ms')))} wall`,
          'vs anchor': `peak ${(peak / large.bytes).toFixed(2)}× the PR; ${bigSame.findings} findings, ${bigSame.same ? 'same as baseline' : '**differ from baseline**'}; ${large.plants.filter((p) => p.rule).length} planted, ${missed.length} missed`,
          target: '< 2 s, peak < 3× PR',
          ok:
            big.every((r) => r.ok) &&
            bigSame.same &&
            !missed.length &&
            median(big, 'ms') < 2000 &&
            peak < 3 * large.bytes
        }),
        row('engine (action CPU minus start-up CPU)', undefined, {
          'CPU (median)': fmt(engineCpu),
          throughput: `${fmtRate(engine)} per core`,
          'vs anchor': anchored
            ? `${(engine / slRate).toFixed(1)}× plain secretlint, ${(engine / atsRate).toFixed(1)}× anti-trojan-source`
            : 'anchors not run',
          target: '≥ 100 MB/s per core',
          ok: engine >= 100
        }),
        row(`plain secretlint, recommended preset, ${sl0.files} text files`, anchored ? sl : undefined, {
          throughput: anchored ? `${fmtRate(slRate)} per core` : 'not run',
          'vs anchor': anchored ? `${sl0.messages} messages, profiler ${sl0.profiler ? 'on' : 'off'}` : ''
        }),
        row(
          `anti-trojan-source ${JSON.parse(readFileSync(join(root, 'node_modules/anti-trojan-source/package.json'))).version}, same text files`,
          anchored ? ats : undefined,
          {
            throughput: anchored ? `${fmtRate(atsRate)} per core` : 'not run',
            'vs anchor': anchored ? `exit ${ats[0].code}` : ''
          }
        ),
        row(`action, typical ${small.files}-file PR / ${(small.bytes / 1e3).toFixed(0)} kB`, typical, {
          'vs anchor': `+${fmt(median(typical, 'ms') - median(node, 'ms'))} over node; ${smallSame.findings} findings, ${smallSame.same ? 'same as baseline' : '**differ from baseline**'}`,
          target: '< 300 ms',
          ok: typical.every((r) => r.ok) && smallSame.same && median(typical, 'ms') < 300
        })
      ]
    };
  } finally {
    rmSync(join(list, '..'), { recursive: true, force: true });
    large.remove();
    small.remove();
  }
}
