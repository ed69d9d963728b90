// The sign-release engine without a runner: real signing against the loopback
// Sigstore fakes, a stub GitHub, and in-memory files.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BundleVerifier } from '@security-actions/core/sigstore';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { type Deps, type Options, type RunInfo, signRelease } from '../../actions/sign-release/src/engine';
import type { ReleaseApi, Upload } from '../../actions/sign-release/src/github';
import { expectFires, expectQuiet } from '../helpers/rules';
import { decodeClaims } from '../../actions/sign-release/src/provenance';
import { SigningSession } from '../../actions/sign-release/src/signer';
import { startFakeOIDC } from '../fakes/sigstore/oidc.mjs';
import { startFakeSigstore } from '../fakes/sigstore/server.mjs';

const OPTS: Options = {
  provenance: true,
  verify: true,
  checksums: true,
  overwrite: false,
  requireSignedTag: false,
  allowedEvents: ['release', 'workflow_dispatch'],
  outputDir: '/out',
  releaseTag: 'v1.0.0'
};
const RUN: RunInfo = {
  eventName: 'release',
  repository: 'org/proj',
  sha: 'a'.repeat(40),
  tag: 'v1.0.0',
  serverUrl: 'https://github.com'
};

describe('signRelease engine', () => {
  let oidc: Awaited<ReturnType<typeof startFakeOIDC>>;
  let sigstore: Awaited<ReturnType<typeof startFakeSigstore>>;
  let token: string;

  beforeAll(async () => {
    oidc = await startFakeOIDC({ claims: { repository: 'org/proj', ref: 'refs/tags/v1.0.0' } });
    sigstore = await startFakeSigstore({ trustedIssuers: [oidc] });
    token = oidc.mint({ aud: 'sigstore' });
  });
  afterAll(async () => {
    await Promise.all([oidc.close(), sigstore.close()]);
  });

  function setup(over: { attest?: (s: any) => object; github?: Partial<ReleaseApi>; sigstore?: typeof sigstore } = {}) {
    const fake = over.sigstore ?? sigstore;
    const files: Record<string, Buffer> = { '/dist/a.whl': Buffer.from('a'), '/dist/b.tar.gz': Buffer.from('b') };
    const written: Record<string, string> = {};
    const attached: Upload[][] = [];
    let verifierCalls = 0;
    const github: ReleaseApi = {
      commitSignature: async () => ({ verified: true, reason: 'valid' }),
      tagSignature: async () => ({ verified: true, reason: 'valid' }),
      attach: async (_tag, uploads) => {
        attached.push(uploads);
        return uploads.map((u) => ({ name: u.name, action: 'uploaded' as const }));
      },
      storeAttestation: async () => '1',
      ...over.github
    };
    const deps: Deps = {
      files: Object.keys(files),
      readFile: async (p) => files[p],
      writeFile: async (p, d) => {
        written[p] = d;
      },
      signing: async () => {
        const session = new SigningSession({
          fulcioURL: fake.fulcioURL,
          rekorURL: fake.rekorURL,
          identityProvider: { getToken: async () => token }
        });
        return {
          claims: decodeClaims(token),
          signFile: (d) => session.signFile(d),
          attest: (s) => session.attest(over.attest ? over.attest(s) : s),
          certificatePem: () => session.signer.certificatePem()
        };
      },
      verifier: async () => {
        verifierCalls++;
        return new BundleVerifier(TrustedRoot.fromJSON(fake.trustedRoot));
      },
      github,
      log: () => undefined
    };
    return { deps, written, attached, verifierCalls: () => verifierCalls };
  }

  it('signs, attests, checksums and verifies, then attaches everything', async () => {
    const s = setup();
    const r = await signRelease(OPTS, RUN, s.deps);
    expect(r.errors).toEqual([]);
    expect(r.notChecked).toEqual([]);
    expect(Object.keys(s.written).sort()).toEqual([
      '/out/SHA256SUMS',
      '/out/a.whl.sigstore.json',
      '/out/b.tar.gz.sigstore.json',
      '/out/multiple.intoto.jsonl'
    ]);
    expect(s.attached[0].map((u) => u.name)).toEqual([
      'a.whl.sigstore.json',
      'b.tar.gz.sigstore.json',
      'multiple.intoto.jsonl',
      'SHA256SUMS'
    ]);
    expect(r.outputs.identity).toBe('https://github.com/org/proj/.github/workflows/release.yml@refs/tags/v1.0.0');
    // Signed and verified tag and commit: neither signature rule fires.
    expectQuiet(r.findings, 'release/unsigned-tag');
    expectQuiet(r.findings, 'release/unsigned-commit');
  });

  it('reports a release commit and tag that GitHub does not verify, at medium, and still signs', async () => {
    const s = setup({
      github: {
        commitSignature: async () => ({ verified: false, reason: 'unsigned' }),
        tagSignature: async () => ({ verified: false, reason: 'unsigned' })
      }
    });
    const r = await signRelease(OPTS, RUN, s.deps);
    expectFires(r.findings, 'release/unsigned-commit', 1);
    expectFires(r.findings, 'release/unsigned-tag', 1);
    expect(r.findings.map((f) => f.severity)).toEqual(['medium', 'medium']);
    expect(Object.keys(s.written)).toContain('/out/a.whl.sigstore.json');
  });

  it('fails and attaches nothing when the provenance does not name the files with their digests', async () => {
    const s = setup({
      attest: (st) => ({ ...st, subject: st.subject.map((x: any) => ({ ...x, digest: { sha256: '0'.repeat(64) } })) })
    });
    const r = await signRelease(OPTS, RUN, s.deps);
    expect((r.errors ?? []).join('\n')).toMatch(
      /multiple\.intoto\.jsonl: verification failed: the artifact \(sha256:[0-9a-f]{64}\) is not a subject/
    );
    expect(s.attached).toEqual([]);
    expect(r.notChecked.map((n) => n.check)).toEqual(['release-upload']);
  });

  it('verifies the files as they are on disk after signing: one changed in between fails', async () => {
    const s = setup();
    let reads = 0;
    const read = s.deps.readFile;
    s.deps.readFile = async (p) => (p === '/dist/a.whl' && reads++ > 0 ? Buffer.from('swapped') : read(p));
    const r = await signRelease(OPTS, RUN, s.deps);
    expect(r.errors).toEqual([expect.stringMatching(/^a\.whl\.sigstore\.json: verification failed: /)]);
    expect(s.attached).toEqual([]);
  });

  it.each([true, false])(
    'a Fulcio that certifies another identity: an error naming both, nothing attached (verify: %s)',
    async (verify) => {
      const other = 'https://github.com/evil/proj/.github/workflows/release.yml@refs/heads/main';
      const rogue = await startFakeSigstore({ trustedIssuers: [oidc], certify: () => other });
      try {
        const s = setup({ sigstore: rogue });
        const r = await signRelease({ ...OPTS, verify }, RUN, s.deps);
        const own = `https://github.com/${decodeClaims(token).job_workflow_ref}`;
        expect(r.errors).toContain(`Fulcio certified ${other}, not this run's identity ${own}`);
        expect(s.attached).toEqual([]);
        expect(r.notChecked).toContainEqual({
          check: 'release-upload',
          reason: 'not attached: the bundles did not verify'
        });
      } finally {
        await rogue.close();
      }
    }
  );

  it('with verify: false, says so and does not load a trusted root', async () => {
    const s = setup();
    const r = await signRelease({ ...OPTS, verify: false }, RUN, s.deps);
    expect(s.verifierCalls()).toBe(0);
    expect(r.notes).toContain('verify: false, so the bundles were not verified before finishing.');
    expect(r.preamble).toMatch(/verification turned off/);
  });

  it('reports an unreadable tag as not checked, and with require-signed-tag signs nothing', async () => {
    const forbidden = Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
    const s = setup({ github: { tagSignature: async () => Promise.reject(forbidden) } });
    const r = await signRelease({ ...OPTS, requireSignedTag: true }, RUN, s.deps);
    expect(r.notChecked).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'release/unsigned-tag', reason: 'needs contents: read (GitHub answered 403)' })
      ])
    );
    expect(Object.keys(s.written)).toEqual([]);
    expect(r.outputs.bundles).toBeUndefined();
  });

  it('refuses two files with the same name (subjects and assets are named by file name)', async () => {
    const s = setup();
    s.deps.files = ['/a/x.whl', '/b/x.whl'];
    await expect(signRelease(OPTS, RUN, s.deps)).rejects.toThrow(/two files are named x\.whl/);
  });
});
