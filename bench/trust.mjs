// Contributor trust at ecosystem scale (issue 17): trust paths for 100
// distinct authors over an ecosystem of 50 repositories (5 organisations of
// 10) and 2,000 people, against the fake GitHub in its own process with
// 20 ms latency per request. Measured in a child process: requests per author
// (target at most 3; the vouch files are read once per run on top), time per
// author and peak memory. Twice: over plain fetch (the model's own cost), and
// through the suite's GitHub client for 10 authors (Octokit's throttling
// spaces GraphQL requests a second apart, which is what a PR scan waits).
//   node bench/trust.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ecosystemWorld } from '../test/helpers/trust-world.mjs';
import { pathToFileURL } from 'node:url';
import { bundle } from './lib/bundle.mjs';
import { fmt, mib, summarise } from './lib/stats.mjs';

const root = join(import.meta.dirname, '..');
const AUTHORS = 100;
const CLIENT_AUTHORS = 10;
const LATENCY = 20;

/** The model's I/O over plain fetch, with Octokit's error shapes (GraphQL errors carry `data`, HTTP errors `status`). */
function fetchIO(url, now) {
  const headers = { authorization: 'token bench', 'content-type': 'application/json' };
  return {
    now: () => now,
    async graphql(query) {
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
      const body = await res.json();
      if (!res.ok) throw Object.assign(new Error(body.message), { status: res.status });
      if (body.errors) throw Object.assign(new Error(body.errors[0].message), body);
      return body.data;
    },
    async rest(route, params) {
      const path = route.replace(/^GET /, '').replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(params[k]));
      const res = await fetch(`${url}${path}`, { headers });
      if (!res.ok) throw Object.assign(new Error(res.statusText), { status: res.status });
      return { data: await res.json() };
    }
  };
}

/** In the child: check every author, one checker (and cache) for the run, as a scan of many PRs would. */
async function measure(url, inputFile) {
  const { authors, orgs, modules } = JSON.parse(readFileSync(inputFile, 'utf8'));
  const now = new Date();
  const [trust, github] = await Promise.all(modules.map((f) => import(pathToFileURL(f).href)));
  const eco = trust.ecosystemFrom({ orgs });
  const run = async (io, logins) => {
    const checker = new trust.TrustChecker(io, eco);
    const rows = [];
    for (const login of logins) {
      const started = performance.now();
      const r = await checker.check(login);
      rows.push({ ms: performance.now() - started, requests: r.requests, standing: r.standing });
    }
    return { rows, total: checker.requests };
  };
  const plain = await run(fetchIO(url, now), authors);
  const client = await github.createGitHubClient({ token: 'bench', apiUrl: url });
  const octokit = await run(
    trust.clientIO(client, () => now),
    authors.slice(0, CLIENT_AUTHORS)
  );
  process.stdout.write(JSON.stringify({ plain, octokit, maxRssKiB: process.resourceUsage().maxRSS }));
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-trust-'));
  const { world, logins, orgs } = ecosystemWorld(new Date());
  const step = Math.floor(logins.length / AUTHORS);
  const authors = Array.from({ length: AUTHORS }, (_, i) => logins[i * step]);
  const pulls = Object.values(world.repos).reduce((n, r) => n + r.pulls.length, 0);
  const modules = [];
  for (const entry of ['packages/core/src/trust/index.ts', 'packages/core/src/github.ts'])
    modules.push((await bundle(entry)).file);
  writeFileSync(join(dir, 'world.json'), JSON.stringify(world));
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ authors, orgs, modules }));

  const fake = spawn(
    process.execPath,
    [join(root, 'test/fakes/github/server.mjs'), '--world', join(dir, 'world.json'), '--latency', String(LATENCY)],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
  const [url] = await once(createInterface({ input: fake.stdout }), 'line');
  try {
    const child = spawn(process.execPath, [import.meta.filename, '--measure', url, join(dir, 'input.json')], {
      stdio: ['ignore', 'pipe', 'inherit']
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const [code] = await once(child, 'close');
    if (code !== 0) throw new Error(`the measuring process exited with ${code}`);
    const { plain, octokit, maxRssKiB } = JSON.parse(out);
    const requests = plain.rows.map((r) => r.requests);
    const time = summarise(plain.rows.map((r) => r.ms));
    const clientTime = summarise(octokit.rows.map((r) => r.ms));
    const standings = Object.entries(
      plain.rows.reduce((m, r) => ({ ...m, [r.standing]: (m[r.standing] ?? 0) + 1 }), {})
    )
      .map(([s, n]) => `${s} ${n}`)
      .join(', ');
    const maxRequests = Math.max(...requests);
    return {
      title: `Contributor trust: ${AUTHORS} authors, ${Object.keys(world.repos).length - orgs.length} repositories in ${orgs.length} organisations, ${logins.length} people, ${pulls} merged PRs (\`bench/trust.mjs\`)`,
      rows: [
        {
          measure: 'requests per author (max / mean)',
          value: `${maxRequests} / ${(requests.reduce((a, b) => a + b, 0) / requests.length).toFixed(2)}`,
          target: 'at most 3',
          ok: maxRequests <= 3
        },
        {
          measure: 'requests for the run (vouch files once, then every author)',
          value: String(plain.total),
          target: '',
          ok: true
        },
        {
          measure: `time per author, plain fetch, ${LATENCY} ms latency (median / p95 / max)`,
          value: `${fmt(time.median)} / ${fmt(time.p95)} / ${fmt(time.max)}`,
          target: '',
          ok: true
        },
        {
          measure: `time per author through the suite's client (${CLIENT_AUTHORS} authors; median / max)`,
          value: `${fmt(clientTime.median)} / ${fmt(clientTime.max)}`,
          target: '',
          ok: true
        },
        { measure: 'peak memory of the measuring process', value: mib(maxRssKiB), target: '', ok: true },
        { measure: 'standings found', value: standings, target: '', ok: true }
      ]
    };
  } finally {
    fake.kill();
  }
}

if (process.argv[2] === '--measure') await measure(process.argv[3], process.argv[4]);
else if (import.meta.filename === process.argv[1]) {
  const { printTable } = await import('./lib/workflow-audit.mjs');
  printTable(await run());
}
