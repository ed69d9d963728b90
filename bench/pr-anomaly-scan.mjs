// pr-anomaly-scan end to end through its bundle, as the runner starts it:
// a PR of 10,000 changed files / 100 MB (target: under 5 s) and a typical
// 20-file PR (target: under 1 s), with the peak memory of the action process
// (the diff is streamed: a 100 MB PR must not need ten times that).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gitCommitting as git } from './lib/mirrors.mjs';
import { recordFindings } from './lib/snapshot.mjs';
import { fmt, mib, summarise } from './lib/stats.mjs';

const root = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function rand(n, seed) {
  const b = Buffer.alloc(n);
  let x = seed || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** A repository whose head changes `files` files totalling about `bytes` (1% binary by count, 20% by size). */
function makeRepo(files, bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pr-'));
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  const base = git(dir, 'rev-parse', 'HEAD');
  const binaries = Math.max(1, Math.floor(files / 100));
  const binSize = Math.floor((bytes * 0.2) / binaries);
  const textSize = Math.floor((bytes * 0.8) / (files - binaries));
  const line = 'def compute(values, alpha=0.5):  # ordinary code line of a scientific module\n';
  const text = line.repeat(Math.ceil(textSize / line.length)).slice(0, textSize);
  for (let i = 0; i < files; i++) {
    const p = join(dir, 'pkg', `m${i % 100}`, i < binaries ? `data${i}.bin` : `mod${i}.py`);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(
      p,
      i < binaries ? Buffer.concat([Buffer.from('\x93NUMPY', 'latin1'), rand(binSize, i + 1)]) : `# ${i}\n${text}`
    );
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'head');
  return { dir, base, head: git(dir, 'rev-parse', 'HEAD') };
}

function runAction(repo) {
  const temp = mkdtempSync(join(tmpdir(), 'bench-run-'));
  const out = join(temp, 'out');
  const rss = join(temp, 'rss');
  writeFileSync(out, '');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: join(temp, 'summary'),
    GITHUB_WORKSPACE: repo.dir,
    RUNNER_TEMP: temp,
    BENCH_RSS_FILE: rss,
    INPUT_BASE: repo.base,
    INPUT_HEAD: repo.head,
    INPUT_PATH: '.',
    'INPUT_FAIL-ON': 'none',
    INPUT_CONFIG: '.github/security-actions.yml'
  };
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--import', join(root, 'bench/lib/rss.mjs'), join(root, 'actions/pr-anomaly-scan/dist/index.js')],
      { env, stdio: 'ignore' }
    );
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const outputs = readFileSync(out, 'utf8');
      const kib = Number(readFileSync(rss, 'utf8').trim());
      const report = JSON.parse(readFileSync(join(temp, 'pr-anomaly-scan-report.json'), 'utf8'));
      rmSync(temp, { recursive: true, force: true });
      resolve({
        ms,
        kib,
        code,
        report,
        files: report.stats['files changed'],
        ok: /findings-count/.test(outputs) && !report.errors.length
      });
    });
  });
}

async function measure(name, repo, targetMs, bytes) {
  await runAction(repo); // warm the page cache
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runAction(repo));
  recordFindings(`pr-anomaly-scan ${name}`, runs[0].report);
  const t = summarise(runs.map((r) => r.ms));
  const peak = Math.max(...runs.map((r) => r.kib));
  return {
    name,
    'files changed': runs[0].files,
    'PR size': mib(bytes / 1024),
    'wall (median)': fmt(t.median),
    'wall (p95)': fmt(t.p95),
    'peak RSS': mib(peak),
    target: `< ${targetMs / 1000} s`,
    ok: runs.every((r) => r.ok) && t.median < targetMs && peak * 1024 < 10 * bytes + 200 * 1024 * 1024
  };
}

export async function run() {
  const big = makeRepo(10_000, 100 * 1024 * 1024);
  const small = makeRepo(20, 200 * 1024);
  try {
    return {
      title: 'pr-anomaly-scan end to end (bundled action)',
      rows: [
        await measure('10,000 files / 100 MB', big, 5000, 100 * 1024 * 1024),
        await measure('typical 20-file PR', small, 1000, 200 * 1024)
      ]
    };
  } finally {
    rmSync(big.dir, { recursive: true, force: true });
    rmSync(small.dir, { recursive: true, force: true });
  }
}
