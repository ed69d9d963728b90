// disclosure-coordinator at ecosystem scale: a generated organization of 500
// repositories (2,000 dependency files) tracked and mapped by the bundled
// action against the fake GitHub with 50 ms latency per request, under a
// 5,000-request hourly budget (a personal access token's; an App installation
// on 500 repositories gets 12,500). Targets (issue 16): every repository
// tracked and every file mapped within the budget, nothing left "not checked"
// for want of requests; requests per repository and peak memory recorded.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGitHub } from '../test/fakes/github/server.mjs';
import { BIG_TOKEN, bigWorld } from '../test/disclosure-coordinator/big-world.mjs';
import { recordFindings } from './lib/snapshot.mjs';
import { fmt, mib } from './lib/stats.mjs';

const root = join(import.meta.dirname, '..');
const N = Number(process.env.BENCH_REPOS ?? 500);
const LATENCY = 50;
const BUDGET = 5000;

export async function run() {
  const world = bigWorld(N);
  world.rate_limit = { core: { limit: BUDGET, remaining: BUDGET } };
  const gh = await startFakeGitHub({ world, latencyMs: LATENCY });
  const dir = mkdtempSync(join(tmpdir(), 'bench-disclosure-'));
  try {
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github/security-actions.yml'), 'disclosure-coordinator:\n  orgs: [eco]\n');
    const out = join(dir, 'output');
    const rssFile = join(dir, 'rss');
    for (const f of [out, rssFile, join(dir, 'summary')]) writeFileSync(f, '');
    const inputs = {
      TOKEN: BIG_TOKEN,
      APPLY: 'false',
      ISSUE: 'false',
      'FAIL-ON': 'none',
      'REPORT-FILE': join(dir, 'report.json'),
      CONFIG: '.github/security-actions.yml'
    };
    const env = {
      PATH: process.env.PATH,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_WORKSPACE: dir,
      RUNNER_TEMP: dir,
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: 'eco/security',
      BENCH_RSS_FILE: rssFile,
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k}`, v]))
    };
    const started = performance.now();
    const code = await new Promise((resolve) => {
      spawn(
        process.execPath,
        ['--import', join(root, 'bench/lib/rss.mjs'), join(root, 'actions/disclosure-coordinator/dist/index.js')],
        { cwd: dir, env, stdio: 'ignore' }
      ).on('close', resolve);
    });
    const wall = performance.now() - started;
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    recordFindings('disclosure-coordinator', report);
    const requests = gh.requests.length;
    const s = report.stats;
    const budgetSkips = report.notChecked.filter((n) => /rate budget/.test(n.reason)).length;
    const byRule = (id) => report.findings.filter((f) => f.ruleId === id).length;
    const ok =
      code === 0 &&
      s['repositories tracked'] === N &&
      s['downstream repositories mapped'] === N &&
      s['dependency files read'] === 4 * N &&
      budgetSkips === 0 &&
      requests <= BUDGET;
    return {
      title: `disclosure-coordinator: ${N} repositories, ${4 * N} dependency files, fake GitHub with ${LATENCY} ms latency, ${BUDGET}-request budget`,
      rows: [
        {
          'wall time': fmt(wall),
          'peak RSS': mib(Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop())),
          'repos tracked': s['repositories tracked'],
          'repos mapped': s['downstream repositories mapped'],
          'files read': s['dependency files read'],
          'API requests': requests,
          'requests per repo': (requests / N).toFixed(2),
          'budget left': gh.state.rate_limit.core.remaining,
          'not checked (budget)': budgetSkips,
          'pins affected': byRule('downstream/pins-affected'),
          'invites proposed': byRule('embargo/invite-pending'),
          'notices pending': byRule('notify/pending'),
          ok
        }
      ]
    };
  } finally {
    await gh.close();
  }
}
