// One Fulcio certificate per run, renewed only when it is about to expire.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { X509Certificate } from '@sigstore/core';
import { ReusableCertificateSigner } from '../../actions/sign-release/src/signer';
import { startFakeOIDC } from '../fakes/sigstore/oidc.mjs';
import { startFakeSigstore } from '../fakes/sigstore/server.mjs';

describe('ReusableCertificateSigner', () => {
  let oidc: Awaited<ReturnType<typeof startFakeOIDC>>;
  let sigstore: Awaited<ReturnType<typeof startFakeSigstore>>;
  beforeAll(async () => {
    oidc = await startFakeOIDC({ claims: { repository: 'org/proj' } });
    sigstore = await startFakeSigstore({ trustedIssuers: [oidc] });
  });
  afterAll(async () => {
    await Promise.all([oidc.close(), sigstore.close()]);
  });

  const make = (now: () => number) => {
    const token = oidc.mint({ aud: 'sigstore' });
    return new ReusableCertificateSigner(
      { fulcioURL: sigstore.fulcioURL, identityProvider: { getToken: async () => token } },
      now
    );
  };

  it('asks Fulcio once for concurrent first signatures and reuses the certificate', async () => {
    const before = sigstore.counts().fulcio;
    const signer = make(Date.now);
    const sigs = await Promise.all(Array.from({ length: 10 }, (_, i) => signer.sign(Buffer.from(`artifact ${i}`))));
    expect(sigstore.counts().fulcio - before).toBe(1);
    expect(signer.requested).toBe(1);
    expect(new Set(sigs.map((s) => (s.key.$case === 'x509Certificate' ? s.key.certificate : '')))).toEqual(
      new Set([await signer.certificatePem()])
    );
  });

  it('renews the certificate for the same key a minute before it expires', async () => {
    let now = Date.now();
    const signer = make(() => now);
    const first = await signer.certificatePem();
    const notAfter = X509Certificate.parse(first).notAfter.getTime();
    now = notAfter - 61_000;
    expect(await signer.certificatePem()).toBe(first);
    now = notAfter - 59_000;
    const second = await signer.certificatePem();
    expect(second).not.toBe(first);
    expect(signer.requested).toBe(2);
    expect(X509Certificate.parse(second).publicKey).toEqual(X509Certificate.parse(first).publicKey);
  });

  it('does not keep a failed request: the next signature asks again', async () => {
    sigstore.setFaults('fulcio', [{ status: 400 }]);
    const signer = make(Date.now);
    try {
      await expect(signer.sign(Buffer.from('x'))).rejects.toThrow();
    } finally {
      sigstore.setFaults('fulcio', []);
    }
    await expect(signer.sign(Buffer.from('x'))).resolves.toMatchObject({ key: { $case: 'x509Certificate' } });
    expect(signer.requested).toBe(2);
  });
});
