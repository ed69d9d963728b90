// Sigstore bundle verification throughput, ours against plain @sigstore/verify
// measured in the same run. Two sets: the conformance suite's must-pass cases
// (../shared/corpora/sigstore-conformance, each with its own root, key or
// identity) and the 9 real sigstore-js bundles (public-good, embedded root).
// Each side runs in its own process, alternating, ROUNDS times; a process
// verifies its set over and over for about a second of CPU and reports bundles
// per CPU-second (one thread, so per core) and its peak memory. "plain" is the
// library as published: a copy of node_modules/@sigstore with the project's
// patches (patches/@sigstore+*.patch) reversed. Every round also classifies
// all 70 conformance cases with ours: must-pass verify, `_fail` cases throw.
// Target (issue 15): at least 200 bundles/s per core on both sets, 70/70.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle } from './lib/bundle.mjs';
import { mib, summarise } from './lib/stats.mjs';

const root = join(import.meta.dirname, '..');
const CORPORA = resolve(root, '..', 'shared', 'corpora');
const CASES = join(CORPORA, 'sigstore-conformance', 'bundle-verify');
const JS_BUNDLES = join(CORPORA, 'sigstore-js-bundles');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CPU_MS = Number(process.env.BENCH_CPU_MS ?? 1000);
const IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const GITHUB = 'https://token.actions.githubusercontent.com';

/** Every case of a set as data: bundle JSON, artifact, policy, root text (undefined: the embedded root). */
function loadSet(set) {
  if (set === 'js') {
    const statement = JSON.parse(readFileSync(join(JS_BUNDLES, 'statement.json'), 'utf8'));
    return readdirSync(JS_BUNDLES)
      .filter((f) => f.endsWith('.sigstore'))
      .sort()
      .map((f) => ({
        name: f,
        bundle: JSON.parse(readFileSync(join(JS_BUNDLES, f), 'utf8')),
        artifact: { digest: `sha512:${statement.subject[0].digest.sha512}` },
        policy: { identity: 'brian@dehamer.com', issuer: 'https://github.com/login/oauth' },
        pass: true
      }));
  }
  return readdirSync(CASES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && (set === 'all' || !d.name.endsWith('_fail')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const file = (n) => join(CASES, name, n);
      const text = (n) => (existsSync(file(n)) ? readFileSync(file(n), 'utf8') : undefined);
      const key = text('key.pub');
      let bundleJson;
      try {
        bundleJson = JSON.parse(text('bundle.sigstore.json'));
      } catch {
        bundleJson = null; // bundle-malformed-json_fail: rejected by both sides before any work
      }
      return {
        name,
        bundle: bundleJson,
        artifact: { bytes: readFileSync(existsSync(file('artifact')) ? file('artifact') : join(CASES, 'a.txt')) },
        policy: key
          ? { key }
          : { identity: text('identity')?.trim() ?? IDENTITY, issuer: text('issuer')?.trim() ?? GITHUB },
        root: text('trusted_root.json'),
        pass: !name.endsWith('_fail')
      };
    });
}

/** Ours: the core's BundleVerifier (bundled from the sources), one per root and key, built before timing. */
async function oursVerifier(moduleFile) {
  const m = await import(pathToFileURL(moduleFile).href);
  const verifiers = new Map();
  return (c) => {
    const id = `${c.root ?? ''}\n${c.policy.key ?? ''}`;
    return () => {
      if (!verifiers.has(id))
        verifiers.set(
          id,
          new m.BundleVerifier(c.root ? m.parseTrustedRoot(c.root) : m.embeddedTrustedRoot(), c.policy.key)
        );
      return verifiers.get(id).verify(c.bundle, c.artifact, c.policy);
    };
  };
}

/** Plain: @sigstore/verify as its README shows, from the unpatched copy, with the same policy. */
async function plainVerifier(modulesDir) {
  const req = createRequire(join(modulesDir, 'x.js'));
  const { Verifier, toTrustMaterial, toSignedEntity } = req('@sigstore/verify');
  const { bundleFromJSON } = req('@sigstore/bundle');
  const { TrustedRoot } = req('@sigstore/protobuf-specs');
  const { crypto } = req('@sigstore/core');
  const seeds = req('@sigstore/tuf/seeds.json');
  const embedded = Buffer.from(
    seeds['https://tuf-repo-cdn.sigstore.dev'].targets['trusted_root.json'],
    'base64'
  ).toString();
  const verifiers = new Map();
  return (c) => {
    const id = `${c.root ?? ''}\n${c.policy.key ?? ''}`;
    const build = () => {
      const trusted = TrustedRoot.fromJSON(JSON.parse(c.root ?? embedded));
      const publicKey = c.policy.key && crypto.createPublicKey(c.policy.key);
      const trust = publicKey
        ? toTrustMaterial(trusted, () => ({ publicKey, validFor: () => true }))
        : toTrustMaterial(trusted);
      verifiers.set(id, new Verifier(trust));
    };
    const policy = c.policy.key
      ? undefined
      : { subjectAlternativeName: c.policy.identity, extensions: { issuer: c.policy.issuer } };
    return () => {
      if (!verifiers.has(id)) build();
      const b = bundleFromJSON(c.bundle);
      verifiers.get(id).verify(toSignedEntity(b, c.artifact.bytes), policy);
    };
  };
}

/** The measuring child: `node sigstore-verify.mjs ours|plain FILE_OR_DIR SET`; prints one JSON line. */
async function child(side, target, set) {
  const make = side === 'ours' ? await oursVerifier(target) : await plainVerifier(target);
  const cases = loadSet(set);
  const runs = cases.map((c) => ({ c, run: make(c) }));
  const outcome = runs.map(({ c, run }) => {
    try {
      run();
      return c.pass ? 'right' : `accepted ${c.name}`;
    } catch (e) {
      return c.pass ? `rejected ${c.name}: ${String(e.message).split('\n')[0]}` : 'right';
    }
  });
  const wrong = outcome.filter((o) => o !== 'right');
  let verified = 0;
  const t0 = process.cpuUsage();
  let cpu = 0;
  while (cpu < CPU_MS * 1000) {
    for (const { c, run } of runs)
      if (c.pass && !wrong.some((w) => w.includes(c.name))) {
        run();
        verified++;
      }
    const t = process.cpuUsage(t0);
    cpu = t.user + t.system;
  }
  const perSecond = verified / (cpu / 1e6);
  process.stdout.write(
    JSON.stringify({
      perSecond,
      right: outcome.length - wrong.length,
      of: outcome.length,
      wrong,
      rssKiB: process.resourceUsage().maxRSS
    }) + '\n'
  );
}

function measure(side, target, set) {
  return new Promise((resolveRun, reject) => {
    let out = '';
    const p = spawn(process.execPath, [import.meta.filename, side, target, set], {
      stdio: ['ignore', 'pipe', 'inherit']
    });
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) =>
      code === 0 ? resolveRun(JSON.parse(out)) : reject(new Error(`${side} ${set} exited ${code}`))
    );
  });
}

/** node_modules/@sigstore as published: copied, with the project's patches reversed. */
function pristineSigstore() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sigstore-plain-'));
  cpSync(join(root, 'node_modules', '@sigstore'), join(dir, 'node_modules', '@sigstore'), { recursive: true });
  const patches = existsSync(join(root, 'patches')) ? readdirSync(join(root, 'patches')) : [];
  for (const p of patches.filter((f) => f.startsWith('@sigstore+')))
    execFileSync('git', ['apply', '-R', join(root, 'patches', p)], { cwd: dir });
  return join(dir, 'node_modules');
}

export async function run() {
  const { file } = await bundle('packages/core/src/sigstore/verify.ts');
  const plainDir = pristineSigstore();
  const sets = [
    ['conformance must-pass', 'must-pass'],
    ['sigstore-js real bundles', 'js'],
    ['all 70 conformance cases (classification)', 'all']
  ];
  const rows = [];
  for (const [label, set] of sets) {
    const ours = [];
    const plain = [];
    for (let i = 0; i < ROUNDS; i++) {
      ours.push(await measure('ours', file, set));
      plain.push(await measure('plain', plainDir, set));
    }
    const med = (rs) => summarise(rs.map((r) => r.perSecond)).median;
    const ratios = ours.map((o, i) => o.perSecond / plain[i].perSecond);
    const last = ours[ours.length - 1];
    rows.push({
      set: label,
      'ours (bundles/s per core, median)': med(ours).toFixed(0),
      'plain @sigstore/verify (same run)': med(plain).toFixed(0),
      'ratio (median of paired rounds)': summarise(ratios).median.toFixed(2),
      'classified right (ours / plain)': `${last.right}/${last.of} / ${plain[plain.length - 1].right}/${last.of}`,
      'peak RSS (ours / plain)': `${mib(Math.max(...ours.map((r) => r.rssKiB)))} / ${mib(Math.max(...plain.map((r) => r.rssKiB)))}`,
      ok: set === 'all' ? last.right === last.of : med(ours) >= 200 && last.right === last.of
    });
  }
  return { title: `Sigstore verification (${ROUNDS} paired rounds, ~${CPU_MS} ms of CPU each)`, rows };
}

if (process.argv[1] === import.meta.filename) await child(process.argv[2], process.argv[3], process.argv[4]);
