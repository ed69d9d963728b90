// access-audit at org scale: a generated 1,000-repository org audited by the
// bundled action against the fake GitHub with 50 ms latency per request, then
// the same org as two shards merged. Targets (issue 15): under 30 s, at most
// 2 API requests per audited repository on average (issue 6's were 2 minutes
// and 4), and the merged shards give the same findings and not-checked
// entries as the single run. With BENCH_ACCESS_AUDIT_ANCHOR=<dir holding
// another build's index.js> the same org is first audited by that build (e.g.
// main's dist, `git archive main actions/access-audit/dist | tar -x -C DIR`),
// the anchor measured in the same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGitHub } from '../test/fakes/github/server.mjs';
import { recordFindings } from './lib/snapshot.mjs';
import { bigWorld } from '../test/access-audit/big-world.mjs';
import { fmt, mib } from './lib/stats.mjs';

const root = join(import.meta.dirname, '..');
const N = Number(process.env.BENCH_REPOS ?? 1000);
const LATENCY = 50;

async function runBundle(gh, dir, name, inputs, bundle = join(root, 'actions/access-audit/dist/index.js')) {
  const out = join(dir, `${name}-output`);
  for (const f of [out, join(dir, 'summary'), join(dir, `${name}-rss`)]) writeFileSync(f, '');
  const all = {
    TOKEN: 'bench-token',
    ORG: 'big',
    'FAIL-ON': 'none',
    // Its not-checked entries (no previous report, no badge service) would fail the step; the rows compare them instead.
    'FAIL-ON-NOT-CHECKED': 'false',
    ISSUE: 'false',
    'INACTIVE-DAYS': '180',
    'INCLUDE-ARCHIVED': 'false',
    'INCLUDE-FORKS': 'false',
    'REPORT-FILE': join(dir, `${name}.json`),
    CONFIG: '.github/security-actions.yml',
    ...inputs
  };
  const env = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    GITHUB_API_URL: gh.url,
    GITHUB_GRAPHQL_URL: gh.graphqlUrl,
    GITHUB_REPOSITORY: 'big/audit',
    BENCH_RSS_FILE: join(dir, `${name}-rss`),
    ...Object.fromEntries(Object.entries(all).map(([k, v]) => [`INPUT_${k}`, v]))
  };
  const before = gh.requests.length;
  const started = performance.now();
  const code = await new Promise((resolve) => {
    spawn(process.execPath, ['--import', join(root, 'bench/lib/rss.mjs'), bundle], { env, stdio: 'ignore' }).on(
      'close',
      resolve
    );
  });
  const wall = performance.now() - started;
  // GITHUB_OUTPUT's heredoc form: `name<<DELIM`, value lines, `DELIM`.
  const outputs = {};
  const lines = readFileSync(out, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (m) {
      const v = [];
      while (++i < lines.length && lines[i] !== m[2]) v.push(lines[i]);
      outputs[m[1]] = v.join('\n');
    } else if (lines[i].includes('='))
      outputs[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
  }
  const report = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  recordFindings(`access-audit ${name}`, report);
  const rss = Number(
    readFileSync(join(dir, `${name}-rss`), 'utf8')
      .trim()
      .split('\n')
      .pop()
  );
  return { code, wall, report, outputs, rss, requests: gh.requests.length - before };
}

export async function run() {
  const gh = await startFakeGitHub({ world: bigWorld(N), latencyMs: LATENCY });
  const dir = mkdtempSync(join(tmpdir(), 'bench-access-audit-'));
  try {
    const anchorDir = process.env.BENCH_ACCESS_AUDIT_ANCHOR;
    const anchor = anchorDir && (await runBundle(gh, dir, 'anchor', {}, join(anchorDir, 'index.js')));
    const single = await runBundle(gh, dir, 'single', {});
    const s1 = await runBundle(gh, dir, 'shard1', { SHARD: '1/2' });
    const s2 = await runBundle(gh, dir, 'shard2', { SHARD: '2/2' });
    const merged = await runBundle(gh, dir, 'merged', {
      'MERGE-REPORTS': `${join(dir, 'shard1.json')}\n${join(dir, 'shard2.json')}`
    });
    const audited = Number(single.outputs['repos-audited']);
    const key = (r) =>
      JSON.stringify([
        r.findings.map((f) => f.fingerprint).sort(),
        r.notChecked.map((n) => `${n.check} ${n.target} ${n.reason}`).sort()
      ]);
    const same = key(merged.report) === key(single.report);
    const perRepo = single.requests / audited;
    const notAudited = single.report.notChecked.filter((n) => n.check === 'repository').length;
    const ok = single.wall < 30_000 && perRepo <= 2 && same && notAudited === 0 && single.code === 0;
    // One table row per run; `extra` overrides the columns that differ (the single run's and the merge's).
    const row = (run, r, extra = {}) => ({
      run,
      'wall time': fmt(r.wall),
      'peak RSS': mib(r.rss),
      'repos audited': r.outputs['repos-audited'],
      'repos skipped': r.outputs['repos-skipped'],
      'API requests': r.requests,
      'requests per repo': (r.requests / Number(r.outputs['repos-audited'])).toFixed(2),
      findings: r.report.findings.length,
      'not audited': '-',
      'same as single': '-',
      ok: r.code === 0,
      ...extra
    });
    return {
      title: `access-audit: ${N}-repository org, fake GitHub with ${LATENCY} ms latency per request`,
      rows: [
        ...(anchor
          ? [
              row('anchor (other build, single)', anchor, {
                'same as single': key(anchor.report) === key(single.report) ? 'yes' : 'NO'
              })
            ]
          : []),
        row('single', single, { 'not audited': notAudited, ok }),
        row('shard 1/2', s1),
        row('shard 2/2', s2),
        row('merge', merged, { 'requests per repo': '-', 'same as single': same ? 'yes' : 'NO', ok: same })
      ]
    };
  } finally {
    await gh.close();
  }
}
