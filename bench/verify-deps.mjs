// verify-deps at lockfile scale: a 1,000-package pylock.toml fully verified
// (pins, OSV, PEP 740 provenance of every locked file, yanked, plus a few
// pinned actions) by the bundled action, against loopback fakes of PyPI, OSV
// and GitHub that add 20 ms latency to every request. The attestations are
// real Sigstore bundles made in the set-up against the fake Fulcio and Rekor,
// verified against that fake's trusted root (Rekor `intoto` entries: the fake
// Rekor stores `dsse` entries uncanonicalised, which no verifier accepts; the
// real PyPI attestations, `dsse` entries, are verified in the tests). Targets (issue 15): under 4 s,
// at most ceil(n/1000) OSV batches plus one request per distinct advisory,
// the Sigstore trust material built once per run.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness } from '@sigstore/sign';
import { startFakeGitHub } from '../test/fakes/github/server.mjs';
import { startFakeOSV } from '../test/fakes/osv/server.mjs';
import { startFakePyPI } from '../test/fakes/pypi/server.mjs';
import { startFakeOIDC } from '../test/fakes/sigstore/oidc.mjs';
import { startFakeSigstore } from '../test/fakes/sigstore/server.mjs';
import { findingsTsv, recordFindings } from './lib/snapshot.mjs';
import { fmt, mib, summarise } from './lib/stats.mjs';

const root = join(import.meta.dirname, '..');
const N = Number(process.env.BENCH_PACKAGES ?? 1000);
const LATENCY = 20;
const ADVISORIES = Math.min(5, N);
const REPO = 'scientific-python/bench-dep';
const sha256 = (b) => createHash('sha256').update(b).digest('hex');
// BENCH_VERIFY_DEPS_ANCHOR=DIR (a checkout of an earlier commit, e.g. a git worktree) also runs that
// checkout's bundle against the same fakes, round for round alternated with ours (BENCH_ROUNDS rounds).
const ANCHOR = process.env.BENCH_VERIFY_DEPS_ANCHOR;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);

async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    })
  );
  return out;
}

/**
 * CPU per thread of a running process, in ms: /proc/PID/task/TID/stat read every 20 ms, the last reading of
 * each thread kept (a thread's final 20 ms may be missed). Threads by name: Node's main thread, the worker
 * thread, V8's helpers (parallel and concurrent GC, background compilation) and the rest (libuv's pool).
 */
function sampleThreads(pid) {
  const seen = new Map();
  const tick = 1000 / 100; // USER_HZ
  const read = () => {
    let tids = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      return;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        seen.set(tid, { name, ms: (Number(f[11]) + Number(f[12])) * tick });
      } catch {
        // the thread ended between the listing and the read
      }
    }
  };
  const timer = setInterval(read, 20);
  return () => {
    clearInterval(timer);
    const by = { main: 0, worker: 0, v8: 0, other: 0 };
    const bucket = { MainThread: 'main', WorkerThread: 'worker', V8Worker: 'v8' };
    for (const { name, ms } of seen.values()) by[bucket[name] ?? 'other'] += ms;
    return by;
  };
}

/** One run of the bundled action at `script`: times, CPU per thread, requests, the report. */
async function runAction(script, env, dir, osv, pypi) {
  for (const f of ['github_output', 'summary', 'rss', 'cpu']) writeFileSync(join(dir, f), '');
  const osvBefore = osv.counts();
  const pypiBefore = pypi.requests.length;
  const started = performance.now();
  let threads;
  const code = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', join(root, 'bench/lib/rss.mjs'), '--import', join(root, 'bench/lib/cpu.mjs'), script],
      { env, stdio: 'ignore' }
    );
    const stop = sampleThreads(child.pid);
    child.on('exit', () => (threads = stop()));
    child.on('close', resolve);
  });
  const wall = performance.now() - started;
  const osvCounts = osv.counts();
  const report = JSON.parse(readFileSync(join(dir, 'verify-deps-report.json'), 'utf8'));
  const batches = osvCounts.querybatch - osvBefore.querybatch;
  const records = osvCounts.vulns - osvBefore.vulns;
  const pypiRequests = pypi.requests.length - pypiBefore;
  return {
    code,
    wall,
    ...threads,
    cpuMs: Number(readFileSync(join(dir, 'cpu'), 'utf8').trim().split('\n').pop()),
    rssKiB: Number(readFileSync(join(dir, 'rss'), 'utf8').trim().split('\n').pop()),
    batches,
    records,
    pypiRequests,
    // Issue 15's request budget counts these; PEP 740 provenance is a second request per attested file.
    all: pypiRequests + batches + records + Number(report.stats['API requests'] ?? 0),
    findings: findingsTsv(report),
    report
  };
}

/**
 * The anchor: a bare node process making the action's PyPI requests (each
 * project's Simple API page, then the provenance it names) with the action's
 * concurrency, no verification. The floor the fakes' latency and this
 * machine's load set for the run.
 */
async function networkFloor(dir, pypiUrl, pkgs) {
  const script = join(dir, 'floor.mjs');
  writeFileSync(
    script,
    `const names = ${JSON.stringify(pkgs.map((p) => p.name))};
const get = (url, accept) => fetch(url, { headers: { accept } }).then((r) => r.json());
let next = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: 32 }, async () => {
  while (next < names.length) {
    const simple = await get(${JSON.stringify(pypiUrl)} + '/simple/' + names[next++] + '/', 'application/vnd.pypi.simple.v1+json');
    await get(new URL(simple.files[0].provenance, ${JSON.stringify(pypiUrl)}).href, 'application/vnd.pypi.integrity.v1+json');
  }
}));
console.log(performance.now() - t0);
`
  );
  const out = await new Promise((resolve) => {
    let text = '';
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => (text += d));
    child.on('close', () => resolve(text));
  });
  return { wall: Number(out.trim()) };
}

export async function run() {
  const oidc = await startFakeOIDC({ claims: { repository: REPO, ref: 'refs/tags/v1.0.0' } });
  const sigstore = await startFakeSigstore({ trustedIssuers: [oidc] });
  const builder = new DSSEBundleBuilder({
    signer: new FulcioSigner({
      fulcioBaseURL: sigstore.fulcioURL,
      identityProvider: { getToken: async () => oidc.mint({ aud: 'sigstore' }) }
    }),
    witnesses: [new RekorWitness({ rekorBaseURL: sigstore.rekorURL, entryType: 'intoto' })]
  });

  const setupStart = performance.now();
  const pkgs = Array.from({ length: N }, (_, i) => {
    const name = `bench-pkg-${String(i).padStart(4, '0')}`;
    const filename = `${name.replace(/-/g, '_')}-1.0.0-py3-none-any.whl`;
    const content = `wheel of ${name}`;
    return { name, filename, content, digest: sha256(content) };
  });
  const provenance = await mapLimit(pkgs, 16, async (p) => {
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: p.filename, digest: { sha256: p.digest } }],
      predicateType: 'https://docs.pypi.org/attestations/publish/v1',
      predicate: null
    };
    const b = bundleToJSON(
      await builder.create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' })
    );
    const vm = b.verificationMaterial;
    const cert = vm.certificate?.rawBytes ?? vm.x509CertificateChain.certificates[0].rawBytes;
    const attestation = {
      version: 1,
      verification_material: { certificate: cert, transparency_entries: vm.tlogEntries },
      envelope: { statement: b.dsseEnvelope.payload, signature: b.dsseEnvelope.signatures[0].sig }
    };
    return {
      version: 1,
      attestation_bundles: [
        {
          publisher: {
            kind: 'GitHub',
            repository: REPO,
            workflow: oidc.claims.workflow_ref?.split('@')[0].split('/').pop() ?? 'release.yml',
            environment: null
          },
          attestations: [attestation]
        }
      ]
    };
  });
  const setupMs = performance.now() - setupStart;

  const vulns = Array.from({ length: ADVISORIES }, (_, i) => ({
    id: `BENCH-2099-${i}`,
    modified: '2099-01-01T00:00:00Z',
    summary: 'synthetic advisory for the benchmark',
    affected: [
      {
        package: { ecosystem: 'PyPI', name: pkgs[i].name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }]
      }
    ]
  }));
  const world = {
    projects: pkgs.map((p, i) => ({
      name: p.name,
      releases: [{ version: '1.0.0', files: [{ filename: p.filename, content: p.content, provenance: provenance[i] }] }]
    }))
  };
  const sha = 'b'.repeat(40);
  const [pypi, osv, gh] = await Promise.all([
    startFakePyPI({ world, latencyMs: LATENCY }),
    startFakeOSV({ vulns, latencyMs: LATENCY }),
    startFakeGitHub({
      world: {
        users: { alice: {} },
        repos: {
          'actions/checkout': {
            commits: [{ sha, author: { login: 'alice' } }],
            branches: { main: sha },
            tags: { 'v4.2.2': sha }
          }
        }
      },
      latencyMs: LATENCY
    })
  ]);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'bench-verify-deps-'));
    const lock = `lock-version = '1.0'\ncreated-by = 'bench'\n\n${pkgs.map((p) => `[[packages]]\nname = '${p.name}'\nversion = '1.0.0'\n[[packages.wheels]]\nname = '${p.filename}'\nurl = 'https://files.example/${p.filename}'\nhashes = { sha256 = '${p.digest}' }\n`).join('\n')}`;
    writeFileSync(join(dir, 'pylock.toml'), lock);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.github/workflows/ci.yml'),
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${Array.from({ length: 5 }, () => `      - uses: actions/checkout@${sha} # v4.2.2\n`).join('')}`
    );
    const rootFile = join(dir, 'trusted_root.json');
    writeFileSync(rootFile, JSON.stringify(sigstore.trustedRoot));
    const input = {
      TOKEN: 'bench-token',
      'OSV-URL': osv.url,
      'PYPI-URL': pypi.url,
      'TRUSTED-ROOT': rootFile,
      PROVENANCE: 'warn',
      CHECKS: 'all',
      'FAIL-ON': 'critical',
      'FAIL-ON-NOT-CHECKED': 'true',
      PATH: '.',
      OFFLINE: 'false',
      CONFIG: '.github/security-actions.yml'
    };
    const env = {
      PATH: process.env.PATH,
      GITHUB_OUTPUT: join(dir, 'github_output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_WORKSPACE: dir,
      RUNNER_TEMP: dir,
      GITHUB_API_URL: gh.url,
      BENCH_RSS_FILE: join(dir, 'rss'),
      BENCH_CPU_FILE: join(dir, 'cpu'),
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the action's process
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      ...Object.fromEntries(Object.entries(input).map(([k, v]) => [`INPUT_${k}`, v]))
    };
    const side = (script) => ({ script, runs: [] });
    const sides = [side(join(root, 'actions/verify-deps/dist/index.js'))];
    if (ANCHOR) sides.push(side(join(ANCHOR, 'actions/verify-deps/dist/index.js')));
    const floors = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so neither always meets the same minute's load.
      for (const s of round % 2 ? [...sides].reverse() : sides)
        s.runs.push(await runAction(s.script, env, dir, osv, pypi));
      floors.push((await networkFloor(dir, pypi.url, pkgs)).wall);
    }
    const ours = sides[0].runs;
    const last = ours.at(-1);
    const { report } = last;
    recordFindings('verify-deps', report);
    const findingsDiffer = sides.flatMap((s) => s.runs).some((r) => r.findings !== last.findings);
    const byRule = (id) => report.findings.filter((f) => f.ruleId === id).length;
    const verified =
      N -
      ['invalid', 'missing', 'regression'].reduce((n, k) => n + byRule(`python/provenance-${k}`), 0) -
      byRule('python/publisher-mismatch') -
      report.notChecked.length;
    // OSV queries: one per package plus one for the pinned action repository.
    const maxBatches = Math.ceil((N + 1) / 1000);
    const budget = N + maxBatches + ADVISORIES;
    const wall = summarise(ours.map((r) => r.wall));
    const ok =
      wall.median < 4_000 &&
      ours.every((r) => r.batches <= maxBatches && r.records <= ADVISORIES) &&
      byRule('python/vulnerable') === ADVISORIES &&
      report.notChecked.length === 0 &&
      verified === N &&
      !findingsDiffer &&
      Number(report.stats['Sigstore trust material builds']) === 1;
    const floor = summarise(floors);
    const row = (label, runs) => {
      const w = summarise(runs.map((r) => r.wall));
      const med = (k) => fmt(summarise(runs.map((r) => r[k])).median);
      const r0 = runs[0];
      return {
        side: label,
        runs: runs.length,
        'wall median / p95': `${fmt(w.median)} / ${fmt(w.p95)}`,
        'CPU all threads (median)': med('cpuMs'),
        'CPU main / worker / V8 helpers / other threads (median)': `${med('main')} / ${med('worker')} / ${med('v8')} / ${med('other')}`,
        'peak RSS (max)': mib(Math.max(...runs.map((r) => r.rssKiB))),
        'OSV batches': `${r0.batches} (max ${maxBatches} for ${N + 1} queries)`,
        'OSV records': `${r0.records} (distinct ${ADVISORIES})`,
        'PyPI requests': Math.max(...runs.map((r) => r.pypiRequests)),
        'GitHub requests': r0.report.stats['API requests'],
        'requests (all)': Math.max(...runs.map((r) => r.all)),
        exit: [...new Set(runs.map((r) => r.code))].join(', '),
        'ratio to node alone (median wall)': (w.median / floor.median).toFixed(2)
      };
    };
    return {
      title: `verify-deps: ${N}-package pylock.toml, every check, fakes with ${LATENCY} ms latency per request`,
      rows: sides.map((x, i) => ({
        ...row(i ? `anchor (${ANCHOR})` : 'ours', x.runs),
        'node alone, same PyPI requests (median)': fmt(floor.median),
        'provenance verified': i ? '' : `${verified}/${N}`,
        'trust material builds': i ? '' : report.stats['Sigstore trust material builds'],
        'findings the same every run': findingsDiffer ? 'NO' : 'yes',
        'issue 15 budget (packages + batches + advisories)': budget,
        'set-up (signing)': fmt(setupMs),
        ok: i ? undefined : ok
      }))
    };
  } finally {
    await Promise.all([pypi.close(), osv.close(), gh.close(), sigstore.close(), oidc.close()]);
  }
}
