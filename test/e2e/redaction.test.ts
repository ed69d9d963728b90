// No credential of a URL reaches anything the verify-deps bundle prints or
// writes (stdout, stderr, outputs, the job summary, annotations, SARIF, JSON),
// whether it comes from a requirement, an index option or the service inputs,
// offline and online against the loopback fakes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOSV } from '../fakes/osv/server.mjs';
import { startFakePyPI } from '../fakes/pypi/server.mjs';
import { type RunResult, runAction } from '../harness/run-action';
import { SDIST, SDIST_BYTES, pylock, pypiWorld, sha256 } from '../verify-deps/pypi-world';

const SECRETS = ['req-pw-71', 'index-pw-72', 'index-tok-73', 'pypi-pw-74', 'osv-pw-75'];
const REQUIREMENTS = [
  `--extra-index-url https://build:${SECRETS[1]}@idx.example.com/simple?token=${SECRETS[2]}`,
  `private-pkg @ https://deploy:${SECRETS[0]}@files.example.com/private_pkg-1.0.tar.gz`,
  ''
].join('\n');

async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'redaction-'));
  for (const [p, text] of Object.entries(files)) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), text);
  }
  return dir;
}

/**
 * Everything the step left behind, as one string. `::add-mask::` commands are
 * the runner's masking (it consumes them; they never reach the log).
 */
async function everything(r: RunResult): Promise<string> {
  const files = [];
  for (const k of ['sarif-file', 'report-file']) if (r.outputs[k]) files.push(await readFile(r.outputs[k], 'utf8'));
  const stdout = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  return [stdout, r.stderr, r.summary, JSON.stringify(r.outputs), ...files].join('\n');
}

const withCredentials = (url: string, user: string, password: string) => url.replace('://', `://${user}:${password}@`);

describe('verify-deps bundle: credentials in URLs', () => {
  let osv: Awaited<ReturnType<typeof startFakeOSV>>;
  let pypi: Awaited<ReturnType<typeof startFakePyPI>>;
  let trustedRoot: string;
  beforeAll(async () => {
    osv = await startFakeOSV({ vulns: [] });
    pypi = await startFakePyPI({ world: pypiWorld() });
    const seeds = createRequire(import.meta.url)('@sigstore/tuf/seeds.json');
    trustedRoot = join(await mkdtemp(join(tmpdir(), 'redaction-root-')), 'trusted_root.json');
    await writeFile(
      trustedRoot,
      Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev'].targets['trusted_root.json'], 'base64')
    );
  });
  afterAll(async () => {
    await Promise.all([osv?.close(), pypi?.close()]);
  });

  it('offline: the findings about the URLs name them without their credentials', async () => {
    const r = await runAction('verify-deps', {
      workspace: await workspace({ 'requirements.txt': REQUIREMENTS }),
      inputs: {
        offline: 'true',
        'fail-on': 'none',
        'pypi-url': withCredentials('https://pypi.example.com', 'mirror', SECRETS[3]),
        'osv-url': withCredentials('https://osv.example.com', 'mirror', SECRETS[4])
      }
    });
    const all = await everything(r);
    expect(r.report.findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual([
      'python/extra-index-url',
      'python/url-dependency'
    ]);
    expect(all).toContain('https://***@files.example.com/private_pkg-1.0.tar.gz');
    expect(all).toContain('https://***@idx.example.com/simple?token=***');
    for (const s of SECRETS) expect(all).not.toContain(s);
  });

  it('online: services reached through credentialed URLs, and nothing printed carries them', async () => {
    const r = await runAction('verify-deps', {
      workspace: await workspace({
        'requirements.txt': REQUIREMENTS,
        'pylock.toml': pylock([
          { name: 'pypi-attestations', version: '0.0.19', filename: SDIST, sha256: sha256(SDIST_BYTES) }
        ])
      }),
      inputs: {
        'fail-on': 'none',
        'trusted-root': trustedRoot,
        'pypi-url': withCredentials(pypi.url, 'mirror', SECRETS[3]),
        'osv-url': withCredentials(osv.url, 'mirror', SECRETS[4])
      }
    });
    const all = await everything(r);
    // The services answered (the credentials went as a header), so the network checks ran.
    const basic = (pw: string) => `Basic ${Buffer.from(`mirror:${pw}`).toString('base64')}`;
    expect(pypi.requests.map((q: { headers: Record<string, unknown> }) => q.headers.authorization)).toContain(
      basic(SECRETS[3])
    );
    expect(osv.requests.map((q: { headers: Record<string, unknown> }) => q.headers.authorization)).toContain(
      basic(SECRETS[4])
    );
    expect(r.report.notChecked.filter((n: { check: string }) => n.check !== 'actions')).toEqual([]);
    for (const s of [...SECRETS, basic(SECRETS[3]).slice(6), basic(SECRETS[4]).slice(6)]) expect(all).not.toContain(s);
  });
});
