// sign-release at release scale: 100 artifacts signed, attested (one SLSA
// statement over all of them) and verified by the bundled action, against
// loopback Fulcio, Rekor and TSA fakes and a fake OIDC endpoint. Target
// (issue 5): exactly one Fulcio request, at most one log entry per signature
// (101), under 10 s wall time for the whole step.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGitHub } from '../test/fakes/github/server.mjs';
import { startFakeOIDC } from '../test/fakes/sigstore/oidc.mjs';
import { startFakeSigstore } from '../test/fakes/sigstore/server.mjs';
import { fmt, mib } from './lib/stats.mjs';

const root = join(import.meta.dirname, '..');
const FILES = Number(process.env.BENCH_FILES ?? 100);
const SIZE = 64 * 1024;
const TOKEN = 'ghs_benchsignrelease0000000000000000000';

export async function run() {
  const oidc = await startFakeOIDC({ claims: { repository: 'scientific-python/bench', ref: 'refs/tags/v1.0.0' } });
  const sigstore = await startFakeSigstore({ trustedIssuers: [oidc] });
  // The pre-flight reads the release commit's signature status from GitHub.
  const commit = 'a'.repeat(40);
  const gh = await startFakeGitHub({
    world: {
      tokens: { [TOKEN]: { login: 'github-actions[bot]', type: 'app', permissions: { contents: 'write' } } },
      users: { alice: {} },
      repos: {
        'scientific-python/bench': {
          commits: [
            {
              sha: commit,
              message: 'Release',
              author: { login: 'alice' },
              verification: { verified: true, reason: 'valid' }
            }
          ]
        }
      }
    }
  });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'bench-sign-release-'));
    mkdirSync(join(dir, 'dist'));
    for (let i = 0; i < FILES; i++) writeFileSync(join(dir, 'dist', `pkg-${i}.whl`), randomBytes(SIZE));
    const rootFile = join(dir, 'trusted_root.json');
    writeFileSync(rootFile, JSON.stringify(sigstore.trustedRoot));
    const out = join(dir, 'github_output');
    writeFileSync(out, '');
    writeFileSync(join(dir, 'summary'), '');
    writeFileSync(join(dir, 'rss'), '');
    const input = {
      FILES: 'dist/*.whl',
      PROVENANCE: 'true',
      VERIFY: 'true',
      CHECKSUMS: 'true',
      'ALLOWED-EVENTS': 'release,workflow_dispatch',
      'FULCIO-URL': sigstore.fulcioURL,
      'REKOR-URL': sigstore.rekorURL,
      'TSA-URL': sigstore.tsaURL,
      'TRUSTED-ROOT': rootFile,
      TOKEN,
      'FAIL-ON': 'high',
      CONFIG: '.github/security-actions.yml'
    };
    const env = {
      PATH: process.env.PATH,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_WORKSPACE: dir,
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_REPOSITORY: 'scientific-python/bench',
      GITHUB_SHA: commit,
      GITHUB_API_URL: gh.url,
      GITHUB_REF: 'refs/heads/main',
      RUNNER_TEMP: dir,
      BENCH_RSS_FILE: join(dir, 'rss'),
      ...oidc.env,
      ...Object.fromEntries(Object.entries(input).map(([k, v]) => [`INPUT_${k}`, v]))
    };
    const started = performance.now();
    const { code, stdout } = await new Promise((resolve) => {
      let stdout = '';
      const child = spawn(
        process.execPath,
        ['--import', join(root, 'bench/lib/rss.mjs'), join(root, 'actions/sign-release/dist/index.js')],
        { env, cwd: dir }
      );
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (code) => resolve({ code, stdout }));
    });
    const ms = performance.now() - started;
    if (process.env.BENCH_DEBUG) console.error(stdout);
    const outputs = readFileSync(out, 'utf8');
    const signed = /^bundles<<(.+)\n([\s\S]*?)\n\1$/m.exec(outputs)?.[2] ?? '[]';
    const bundles = JSON.parse(signed).length;
    const counts = sigstore.counts();
    const rss = Math.max(...readFileSync(join(dir, 'rss'), 'utf8').trim().split('\n').map(Number));
    const verified = /verified (\d+) bundle/.exec(stdout)?.[1] ?? '0';
    const ok =
      code === 0 &&
      bundles === FILES &&
      counts.fulcio === 1 &&
      counts.rekor <= FILES + 1 &&
      Number(verified) === FILES + 1 &&
      ms < 10_000;
    return {
      title: `sign-release: ${FILES} artifacts of ${SIZE / 1024} KiB signed, attested and verified against loopback fakes (Node ${process.versions.node})`,
      rows: [
        {
          'wall time': fmt(ms),
          'exit code': String(code),
          'bundles written': String(bundles),
          'bundles verified': verified,
          'Fulcio requests': String(counts.fulcio),
          'Rekor entries': String(counts.rekor),
          'TSA requests': String(counts.tsa),
          'peak RSS': mib(rss),
          ok
        }
      ]
    };
  } finally {
    await Promise.all([sigstore.close(), oidc.close(), gh.close()]);
  }
}
