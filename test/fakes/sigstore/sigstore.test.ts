import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sign } from 'sigstore';
import { CIContextProvider } from '@sigstore/sign';
import { bundleFromJSON } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { startFakeSigstore } from './server.mjs';
import { GITHUB_ISSUER, startFakeOIDC } from './oidc.mjs';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
type Json = Record<string, any>;
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Json;
const fastRetry = (retries: number) => ({ retries, minTimeout: 5, maxTimeout: 5 });
const ext = (cert: X509Certificate, oid: string) =>
  cert.extension(`1.3.6.1.4.1.57264.1.${oid}`)?.valueObj.subs[0].value.toString('utf8');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('fake GitHub Actions OIDC token endpoint', () => {
  let oidc: Awaited<ReturnType<typeof startFakeOIDC>>;
  beforeAll(async () => {
    oidc = await startFakeOIDC({ claims: { repository: 'scientific-python/example' } });
  });
  afterAll(() => oidc.close());

  const request = (query: string, token = oidc.requestToken) =>
    fetch(`${oidc.requestURL}${query}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });

  it('issues an RS256 GitHub-shaped token for the requested audience, verifiable with its JWKS', async () => {
    const res = await request('&audience=sigstore');
    expect(res.status).toBe(200);
    const { value } = (await res.json()) as { value: string };
    const claims = claimsOf(value);
    expect(claims).toMatchObject({
      iss: GITHUB_ISSUER,
      aud: 'sigstore',
      sub: 'repo:scientific-python/example:ref:refs/tags/v1.0.0',
      repository: 'scientific-python/example',
      repository_owner: 'scientific-python',
      ref: 'refs/tags/v1.0.0',
      ref_type: 'tag',
      workflow_ref: 'scientific-python/example/.github/workflows/release.yml@refs/tags/v1.0.0',
      job_workflow_ref: 'scientific-python/example/.github/workflows/release.yml@refs/tags/v1.0.0',
      event_name: 'push',
      runner_environment: 'github-hosted'
    });
    expect([claims.exp - claims.iat, claims.iat - claims.nbf]).toEqual([300, 600]);
    const [h, p, s] = value.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({
      alg: 'RS256',
      typ: 'JWT',
      kid: oidc.jwks.keys[0].kid
    });
    const key = createPublicKey({ key: oidc.jwks.keys[0] as any, format: 'jwk' });
    expect(cryptoVerify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('defaults the audience to the owner URL, as GitHub does', async () => {
    const { value } = (await (await request('')).json()) as { value: string };
    expect(claimsOf(value).aud).toBe('https://github.com/scientific-python');
  });

  it('rejects a wrong or missing request token with 401', async () => {
    expect((await request('&audience=sigstore', 'wrong')).status).toBe(401);
    expect((await fetch(`${oidc.requestURL}&audience=sigstore`)).status).toBe(401);
  });

  it('derives sub from the environment and lets claims be overridden', async () => {
    const other = await startFakeOIDC({
      claims: {
        repository: 'o/r',
        environment: 'pypi',
        job_workflow_ref: 'o/shared/.github/workflows/publish.yml@refs/heads/main'
      },
      audience: 'custom'
    });
    try {
      const claims = claimsOf(other.mint());
      expect(claims).toMatchObject({
        sub: 'repo:o/r:environment:pypi',
        environment: 'pypi',
        aud: 'custom',
        workflow_ref: 'o/r/.github/workflows/release.yml@refs/tags/v1.0.0'
      });
      expect(claims.job_workflow_ref).toBe('o/shared/.github/workflows/publish.yml@refs/heads/main');
    } finally {
      await other.close();
    }
  });
});

describe('fake Sigstore (Fulcio, Rekor, TSA)', () => {
  let oidc: Awaited<ReturnType<typeof startFakeOIDC>>;
  let sigstore: Awaited<ReturnType<typeof startFakeSigstore>>;
  const artifact = Buffer.from('scientific_python_example-1.0.0-py3-none-any.whl bytes');
  beforeAll(async () => {
    oidc = await startFakeOIDC({ claims: { repository: 'scientific-python/example', ref: 'refs/tags/v1.0.0' } });
    sigstore = await startFakeSigstore({ trustedIssuers: [oidc] });
  });
  afterAll(async () => {
    await Promise.all([sigstore.close(), oidc.close()]);
  });

  const urls = () => ({ fulcioURL: sigstore.fulcioURL, rekorURL: sigstore.rekorURL, tsaServerURL: sigstore.tsaURL });
  const verifier = (root: object, options = {}) => new Verifier(toTrustMaterial(TrustedRoot.fromJSON(root)), options);

  it('signs with the runner token and verifies offline against the fake’s trusted root', async () => {
    // The runner contract end to end: sigstore's own CI identity provider reads the two variables.
    const saved = { ...process.env };
    Object.assign(process.env, oidc.env);
    let bundle;
    try {
      bundle = await sign(artifact, {
        ...urls(),
        identityProvider: new CIContextProvider('sigstore'),
        retry: fastRetry(0)
      });
    } finally {
      process.env = saved;
    }
    expect(sigstore.counts()).toEqual({ fulcio: 1, rekor: 1, tsa: 1 });

    const identity = `https://github.com/${oidc.claims.job_workflow_ref}`;
    // Two timestamps: the Rekor integrated time and the TSA's RFC 3161 token.
    const signer = verifier(sigstore.trustedRoot, { timestampThreshold: 2 }).verify(
      toSignedEntity(bundleFromJSON(bundle), artifact),
      {
        subjectAlternativeName: `^${escape(identity)}$`,
        extensions: { issuer: GITHUB_ISSUER }
      }
    );
    expect(signer.identity?.subjectAlternativeName).toBe(identity);
    expect(signer.identity?.extensions?.issuer).toBe(GITHUB_ISSUER);

    // Fulcio's GitHub extensions carry the workflow identity from the claims.
    const cert = X509Certificate.parse(
      Buffer.from(bundle.verificationMaterial.x509CertificateChain!.certificates[0].rawBytes, 'base64')
    );
    expect({
      buildSignerURI: ext(cert, '9'),
      sourceRepositoryURI: ext(cert, '12'),
      sourceRepositoryDigest: ext(cert, '13'),
      sourceRepositoryRef: ext(cert, '14'),
      buildConfigURI: ext(cert, '18'),
      buildTrigger: ext(cert, '20'),
      runInvocationURI: ext(cert, '21')
    }).toEqual({
      buildSignerURI: identity,
      sourceRepositoryURI: 'https://github.com/scientific-python/example',
      sourceRepositoryDigest: oidc.claims.sha,
      sourceRepositoryRef: 'refs/tags/v1.0.0',
      buildConfigURI: `https://github.com/${oidc.claims.workflow_ref}`,
      buildTrigger: 'push',
      runInvocationURI: 'https://github.com/scientific-python/example/actions/runs/1234567890/attempts/1'
    });

    // The verifier really checks: other bytes, another identity, another instance's root all fail.
    const entity = toSignedEntity(bundleFromJSON(bundle), artifact);
    expect(() =>
      verifier(sigstore.trustedRoot).verify(toSignedEntity(bundleFromJSON(bundle), Buffer.from('tampered')))
    ).toThrow();
    expect(() =>
      verifier(sigstore.trustedRoot).verify(entity, { subjectAlternativeName: '^https://github\\.com/other/' })
    ).toThrow();
    const stranger = await startFakeSigstore({ trustedIssuers: [oidc] });
    try {
      expect(() => verifier(stranger.trustedRoot).verify(entity)).toThrow();
    } finally {
      await stranger.close();
    }
  });

  it('surfaces a Fulcio 503 as a signing error after the client’s retries', async () => {
    const before = sigstore.counts().fulcio;
    sigstore.setFaults('fulcio', [{ status: 503 }]);
    try {
      await expect(
        sign(artifact, { ...urls(), identityToken: oidc.mint({ aud: 'sigstore' }), retry: fastRetry(1) })
      ).rejects.toThrow(/signing certificate/);
    } finally {
      sigstore.setFaults('fulcio', []);
    }
    expect(sigstore.counts().fulcio - before).toBe(2);
    expect(sigstore.requests.fulcio.slice(-2).map((r) => r.status)).toEqual([503, 503]);

    // A single transient failure is absorbed by one retry.
    sigstore.setFaults('fulcio', [{ status: 503, times: 1 }]);
    await expect(
      sign(artifact, { ...urls(), identityToken: oidc.mint({ aud: 'sigstore' }), retry: fastRetry(1) })
    ).resolves.toHaveProperty('mediaType');
    sigstore.setFaults('fulcio', []);
  });

  it('refuses identity tokens real Fulcio would refuse', async () => {
    const untrusted = await startFakeOIDC();
    try {
      const now = Math.floor(Date.now() / 1000);
      const refused = [
        oidc.mint({ aud: 'not-sigstore' }),
        oidc.mint({ aud: 'sigstore', exp: now - 1 }),
        oidc.mint({ aud: 'sigstore', iss: 'https://attacker.example' }),
        untrusted.mint({ aud: 'sigstore' }), // same issuer name, key Fulcio does not know
        oidc.mint({ aud: 'sigstore', job_workflow_ref: undefined }) // no GitHub principal without it
      ];
      for (const token of refused) {
        const before = sigstore.counts().fulcio;
        await expect(sign(artifact, { ...urls(), identityToken: token, retry: fastRetry(0) })).rejects.toThrow();
        expect([sigstore.counts().fulcio - before, sigstore.requests.fulcio.at(-1)?.status]).toEqual([1, 400]);
      }
    } finally {
      await untrusted.close();
    }
  });

  it('checks proof of possession of the key it certifies', async () => {
    const token = oidc.mint({ aud: 'sigstore' });
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const request = (signed: string) =>
      fetch(`${sigstore.fulcioURL}/api/v2/signingCert`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          credentials: { oidcIdentityToken: token },
          publicKeyRequest: {
            publicKey: { algorithm: 'ECDSA', content: publicKey.export({ type: 'spki', format: 'pem' }) },
            proofOfPossession: cryptoSign('sha256', Buffer.from(signed), privateKey).toString('base64')
          }
        })
      });
    const bad = await request('not the subject');
    expect([bad.status, await bad.json()]).toEqual([
      400,
      { code: 3, message: 'The signature supplied in the request could not be verified' }
    ]);
    const good = await request(claimsOf(token).sub);
    expect(good.status).toBe(201);
    expect(((await good.json()) as Json).signedCertificateEmbeddedSct.chain.certificates).toHaveLength(2);
  });

  it('answers a duplicate Rekor entry with 409 and serves entries by uuid and log index', async () => {
    const entry = {
      kind: 'hashedrekord',
      apiVersion: '0.0.1',
      spec: {
        data: { hash: { algorithm: 'sha256', value: 'ab'.repeat(32) } },
        signature: { content: 'c2ln', publicKey: { content: 'a2V5' } }
      }
    };
    const post = () =>
      fetch(`${sigstore.rekorURL}/api/v1/log/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(entry)
      });
    const first = await post();
    expect(first.status).toBe(201);
    const created = (await first.json()) as Json;
    const [uuid] = Object.keys(created);
    const again = await post();
    expect([again.status, again.headers.get('location')]).toEqual([409, `/api/v1/log/entries/${uuid}`]);
    expect(await (await fetch(`${sigstore.rekorURL}${again.headers.get('location')}`)).json()).toEqual(created);
    expect(
      await (await fetch(`${sigstore.rekorURL}/api/v1/log/entries?logIndex=${created[uuid].logIndex}`)).json()
    ).toEqual(created);
    expect((await fetch(`${sigstore.rekorURL}/api/v1/log/entries/${'0'.repeat(64)}`)).status).toBe(404);
    const junk = await fetch(`${sigstore.rekorURL}/api/v1/log/entries`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'nope', apiVersion: '1', spec: {} })
    });
    expect(junk.status).toBe(400);
  });

  it('keeps the services apart: each one answers only its own routes', async () => {
    const posts = [
      [sigstore.rekorURL, '/api/v2/signingCert'],
      [sigstore.fulcioURL, '/api/v1/log/entries'],
      [sigstore.fulcioURL, '/api/v1/timestamp']
    ];
    for (const [base, route] of posts)
      expect((await fetch(`${base}${route}`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('standalone Sigstore fake', () => {
  it('prints the service URLs and runner variables, and writes a usable trusted root', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fake-sigstore-'));
    const rootFile = path.join(dir, 'trusted_root.json');
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'test/fakes/sigstore/server.mjs'), '--port', '0', '--trusted-root-out', rootFile],
      {
        stdio: ['ignore', 'pipe', 'inherit']
      }
    );
    try {
      const line = (await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value as string;
      const info = JSON.parse(line) as Json;
      expect(Object.keys(info).sort()).toEqual([
        'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
        'ACTIONS_ID_TOKEN_REQUEST_URL',
        'fulcioURL',
        'rekorURL',
        'tsaURL'
      ]);
      const root = JSON.parse(readFileSync(rootFile, 'utf8'));
      expect(root.tlogs[0].baseUrl).toBe(info.rekorURL);
      expect(() => toTrustMaterial(TrustedRoot.fromJSON(root))).not.toThrow();
      const tokenRes = await fetch(`${info.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sigstore`, {
        headers: { Authorization: `Bearer ${info.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` }
      });
      const { value } = (await tokenRes.json()) as { value: string };
      const bundle = await sign(Buffer.from('x'), {
        fulcioURL: info.fulcioURL,
        rekorURL: info.rekorURL,
        tsaServerURL: info.tsaURL,
        identityToken: value
      });
      expect(() =>
        new Verifier(toTrustMaterial(TrustedRoot.fromJSON(root))).verify(
          toSignedEntity(bundleFromJSON(bundle), Buffer.from('x'))
        )
      ).not.toThrow();
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
