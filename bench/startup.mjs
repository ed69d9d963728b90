// Start-up cost and size of each bundle: time from spawning
// `node actions/<name>/dist/index.js` (as the runner does) to the first line
// in GITHUB_OUTPUT and to exit, peak memory, and the size of the JavaScript
// shipped in dist/; for the CLI, `sp-security --version` to its first byte on
// stdout. The anchor, measured in the same run: node alone writing one output.
// Targets (issue 15): first output under 100 ms; every bundle at most 2 MB.
// BENCH_STARTUP_ANCHOR=DIR (a checkout of an earlier commit, e.g. a git worktree)
// also measures that checkout's bundles, run for run alternated with ours.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, mib, summarise } from './lib/stats.mjs';

const root = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
// Each action is started on a run that needs no network, so what is timed is
// loading the bundle, the core's input, config and report path, and the first
// output: verify-deps offline on an empty checkout, sign-release stopped by
// its event guard (a push is not an allowed event), pr-anomaly-scan without a
// base commit, access-audit with an invalid shard, disclosure-coordinator
// without its token.
const INPUTS = {
  'disclosure-coordinator': {},
  'access-audit': { TOKEN: 'bench', SHARD: 'not-a-shard' },
  'sign-release': { FILES: 'dist/*' },
  'verify-deps': { OFFLINE: 'true' },
  'pr-anomaly-scan': {}
};
const EVENT = { GITHUB_EVENT_NAME: 'push' };

const CLI = join(root, 'packages/cli/bin/sp-security.js');
const ANCHOR = process.env.BENCH_STARTUP_ANCHOR;

function runOnce(name, dir, script = join(root, 'actions', name, 'dist/index.js'), args = []) {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  writeFileSync(out, '');
  const env = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    BENCH_RSS_FILE: join(dir, 'rss'),
    BENCH_CPU_FILE: join(dir, 'cpu'),
    ...EVENT,
    ...Object.fromEntries(Object.entries(INPUTS[name] ?? {}).map(([k, v]) => [`INPUT_${k}`, v]))
  };
  return new Promise((resolve) => {
    const started = performance.now();
    let first;
    const poll = setInterval(() => {
      if (first === undefined && statSync(out).size > 0) first = performance.now() - started;
    }, 1);
    const child = spawn(
      process.execPath,
      ['--import', join(root, 'bench/lib/rss.mjs'), '--import', join(root, 'bench/lib/cpu.mjs'), script, ...args],
      {
        env,
        stdio: ['ignore', 'pipe', 'ignore']
      }
    );
    // The CLI's first output is on stdout; an action's is its first line in GITHUB_OUTPUT (it logs before).
    if (args.length) child.stdout.once('data', () => (first ??= performance.now() - started));
    child.stdout.resume();
    child.on('close', () => {
      const exit = performance.now() - started;
      clearInterval(poll);
      resolve({ first: first ?? exit, exit });
    });
  });
}

/** Node itself writing one output line: the floor under every action's start-up. */
async function baseline(dir) {
  const script = join(dir, 'baseline.mjs');
  writeFileSync(
    script,
    "import { appendFileSync } from 'node:fs'; appendFileSync(process.env.GITHUB_OUTPUT, 'x=1\\n');\n"
  );
  writeFileSync(join(dir, 'cpu'), '');
  const firsts = [];
  for (let i = 0; i < RUNS; i++) firsts.push((await runOnce('baseline', dir, script)).first);
  return { first: summarise(firsts).median, cpu: cpuMedian(dir) };
}

/** Median CPU time (user + system) of the runs recorded in `dir`: much less sensitive to load than wall time. */
const cpuMedian = (dir) => summarise(readFileSync(join(dir, 'cpu'), 'utf8').trim().split('\n').map(Number)).median;

export async function run() {
  const results = [];
  const floor = await baseline(mkdtempSync(join(tmpdir(), 'bench-baseline-')));
  results.push({
    name: '(node alone, writing one output)',
    'first output (median)': fmt(floor.first),
    'first output (p95)': '',
    'exit (median)': '',
    'CPU (median)': fmt(floor.cpu),
    'peak RSS': '',
    'bundle JS': '',
    'ratio to node alone': '1.0',
    ...(ANCHOR ? { 'anchor: first output / CPU / JS': '', 'CPU ratio (ours / anchor)': '' } : {}),
    ok: true
  });
  const targets = [
    ...readdirSync(join(root, 'actions')).map((name) => ({ name, dist: join(root, 'actions', name, 'dist') })),
    { name: 'sp-security (CLI)', dist: join(root, 'packages/cli/dist'), script: CLI, args: ['--version'] }
  ];
  for (const { name, dist, script, args } of targets) {
    // Ours and, when given, the anchor's bundle of the same action, alternated run for run.
    const sides = [{ base: root, dist, script }];
    if (ANCHOR) {
      const rel = (p) => p && join(ANCHOR, p.slice(root.length));
      sides.push({
        base: ANCHOR,
        dist: rel(dist),
        script: rel(script) ?? join(ANCHOR, 'actions', name, 'dist/index.js')
      });
    }
    for (const side of sides) {
      side.dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
      side.script ??= join(side.base, 'actions', name, 'dist/index.js');
      await runOnce(name, side.dir, side.script, args); // warm the file cache
      writeFileSync(join(side.dir, 'rss'), '');
      writeFileSync(join(side.dir, 'cpu'), '');
      side.firsts = [];
      side.exits = [];
    }
    for (let i = 0; i < RUNS; i++)
      for (const side of sides) {
        const r = await runOnce(name, side.dir, side.script, args);
        side.firsts.push(r.first);
        side.exits.push(r.exit);
      }
    const [ours, anchor] = sides;
    const jsBytes = (d) =>
      readdirSync(d)
        .filter((f) => f.endsWith('.js'))
        .reduce((n, f) => n + statSync(join(d, f)).size, 0);
    const rss = readFileSync(join(ours.dir, 'rss'), 'utf8').trim().split('\n').map(Number);
    const f = summarise(ours.firsts);
    const bytes = jsBytes(dist);
    results.push({
      name,
      'first output (median)': fmt(f.median),
      'first output (p95)': fmt(f.p95),
      'exit (median)': fmt(summarise(ours.exits).median),
      'CPU (median)': fmt(cpuMedian(ours.dir)),
      'peak RSS': mib(Math.max(...rss)),
      'bundle JS': `${(bytes / 1e6).toFixed(2)} MB`,
      'ratio to node alone': (f.median / floor.first).toFixed(1),
      ...(anchor
        ? {
            'anchor: first output / CPU / JS': `${fmt(summarise(anchor.firsts).median)} / ${fmt(cpuMedian(anchor.dir))} / ${(jsBytes(anchor.dist) / 1e6).toFixed(2)} MB`,
            'CPU ratio (ours / anchor)': (cpuMedian(ours.dir) / cpuMedian(anchor.dir)).toFixed(2)
          }
        : {}),
      ok: f.median < 100 && bytes <= 2e6
    });
  }
  return { title: `Action start-up (${RUNS} runs each, Node ${process.versions.node})`, rows: results };
}
