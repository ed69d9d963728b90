// Loopback fakes of Sigstore's Fulcio (CA), Rekor v1 (transparency log) and TSA
// (RFC 3161 timestamps), each on its own port as the real services are on their
// own hosts. Certificates, log entries and timestamps come from @sigstore/mock's
// handlers; this layer adds what the real services check and the mock does not
// (OIDC token signature/issuer/audience/expiry and proof of possession at Fulcio,
// duplicate entries and entry retrieval at Rekor), and exports a TrustedRoot for
// @sigstore/verify. See docs/fakes/sigstore.md.
import { createHash, createPublicKey, generateKeyPairSync, verify as verifySignature } from 'node:crypto';
import { writeFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
// Deep imports keep @sigstore/mock's nock-based entry point (which patches node:http) out.
import mockFulcio from '@sigstore/mock/dist/fulcio/index.js';
import mockRekor from '@sigstore/mock/dist/rekor/index.js';
import mockTSA from '@sigstore/mock/dist/timestamp/index.js';
import { startServer, parseArgs, runUntilSignalled } from '../common.mjs';
import { startFakeOIDC } from './oidc.mjs';

/** Claims Fulcio's GitHub principal cannot be built without (fulcio pkg/identity/github). */
const GITHUB_REQUIRED_CLAIMS = ['job_workflow_ref', 'sha', 'event_name', 'repository', 'workflow', 'ref'];
// Rekor v1 entry kinds (rekor pkg/types).
const REKOR_KINDS = new Set([
  'alpine',
  'cose',
  'dsse',
  'hashedrekord',
  'helm',
  'intoto',
  'jar',
  'rekord',
  'rfc3161',
  'rpm',
  'tuf'
]);
// Where the mock puts the certificate subject: a claim we add after verifying the token.
const SAN_CLAIM = 'fake_fulcio_san';

class HttpError extends Error {
  constructor(status, body, headers = {}) {
    super(body.message);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}
// Fulcio answers through grpc-gateway: InvalidArgument -> 400 {code: 3, message}.
const fulcioInvalid = (message) => new HttpError(400, { code: 3, message });
const INVALID_TOKEN = 'There was an error processing the identity token';

/** Verifies an RS256 identity token the way Fulcio's issuer pool does; returns its claims. */
function authenticate(token, trustedIssuers, nowSeconds) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) throw fulcioInvalid(INVALID_TOKEN);
  let header, claims;
  try {
    [header, claims] = parts.slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
  } catch {
    throw fulcioInvalid(INVALID_TOKEN);
  }
  const issuer = trustedIssuers.find((i) => i.issuer === claims.iss);
  const jwk = issuer?.jwks.keys.find((k) => !header.kid || k.kid === header.kid);
  if (header.alg !== 'RS256' || !jwk) throw fulcioInvalid(INVALID_TOKEN);
  const signed = verifySignature(
    'sha256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(parts[2], 'base64url')
  );
  const audiences = [claims.aud].flat();
  const timely = typeof claims.exp === 'number' && nowSeconds < claims.exp && !(claims.nbf > nowSeconds + 300); // go-oidc allows nbf skew
  if (!signed || !audiences.includes('sigstore') || !timely) throw fulcioInvalid(INVALID_TOKEN);
  if (!GITHUB_REQUIRED_CLAIMS.every((c) => typeof claims[c] === 'string')) throw fulcioInvalid(INVALID_TOKEN);
  return claims;
}

/** Adapts a @sigstore/mock HandlerFn result to common.mjs's response shape. */
const fromMock = ({ statusCode, response, contentType }) => ({
  status: statusCode,
  headers: { 'content-type': contentType ?? 'text/plain' },
  body: response
});

const errorResponse = (e) => {
  if (!(e instanceof HttpError)) throw e;
  return { status: e.status, headers: e.headers, body: e.body };
};

/**
 * Starts Fulcio, Rekor and the TSA.
 * @param {{trustedIssuers?: {issuer: string, jwks: {keys: object[]}}[], port?: number, latencyMs?: number,
 *          faults?: {fulcio?: import('../common.mjs').Fault[], rekor?: import('../common.mjs').Fault[],
 *          tsa?: import('../common.mjs').Fault[]}, certify?: (claims: Record<string, unknown>) => string}} [opts]
 *   `trustedIssuers`: OIDC issuers Fulcio accepts tokens from (a startFakeOIDC()
 *   result fits). `port` N binds Fulcio, Rekor and the TSA to N, N+1, N+2 (0: any).
 *   `certify(claims)`: the URI SAN Fulcio puts in the certificate; by default, as the
 *   real Fulcio, the workflow of the token (`https://github.com/<job_workflow_ref>`).
 *   Another function makes a Fulcio that certifies someone else, to test the guards
 *   that a certificate carries the run's own identity.
 */
export async function startFakeSigstore({
  trustedIssuers = [],
  port = 0,
  latencyMs = 0,
  faults = {},
  certify = (claims) => `https://github.com/${claims.job_workflow_ref}`
} = {}) {
  // Protobuf timestamps have second precision; certificates issued from now on start no earlier.
  const validFrom = new Date(Math.floor(Date.now() / 1000) * 1000);
  const key = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ctlog = await mockFulcio.initializeCTLog(key());
  const ca = await mockFulcio.initializeCA(key(), ctlog);
  const tsa = await mockTSA.initializeTSA(key());
  // Sigstore's timestamp authority (Go encoding/asn1) writes genTime in whole
  // seconds; the mock's pkijs writes milliseconds without trailing zeros
  // ("…05.12Z"), which @sigstore/core rejects, so one timestamp in ten failed.
  tsa.getCurrentTime = () => new Date(Math.floor(Date.now() / 1000) * 1000);
  const fulcioFn = mockFulcio.fulcioHandler(ca, { subjectClaim: SAN_CLAIM }).fn;
  const tsaFn = mockTSA.tsaHandler(tsa).fn;
  let rekorFn; // needs Rekor's own URL: the checkpoint origin is its host
  const at = (offset) => (port ? port + offset : 0);
  const opts = (name, offset) => ({ port: at(offset), latencyMs, faults: faults[name] ?? [], name: `fake-${name}` });

  const fulcio = await startServer(
    async (req, url, raw) => {
      if (req.method !== 'POST' || url.pathname !== '/api/v2/signingCert')
        return { status: 404, body: { code: 5, message: 'Not Found' } };
      try {
        let request;
        try {
          request = JSON.parse(raw.toString('utf8'));
        } catch {
          throw fulcioInvalid('Invalid JSON payload received.');
        }
        const claims = authenticate(request.credentials?.oidcIdentityToken, trustedIssuers, Date.now() / 1000);
        let publicKey;
        try {
          publicKey = createPublicKey(request.publicKeyRequest?.publicKey?.content);
        } catch {
          throw fulcioInvalid('The public key supplied in the request could not be parsed');
        }
        // Proof of possession: the token's subject signed with the key to be certified.
        const pop = Buffer.from(request.publicKeyRequest?.proofOfPossession ?? '', 'base64');
        if (!verifySignature('sha256', Buffer.from(claims.sub ?? ''), publicKey, pop)) {
          throw fulcioInvalid('The signature supplied in the request could not be verified');
        }
        // GitHub principal: the URI SAN is the workflow that ran the job (the "Build Signer URI").
        const forMock = { ...claims, [SAN_CLAIM]: certify(claims) };
        const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(forMock)).toString('base64url')}.`;
        const body = JSON.stringify({ ...request, credentials: { oidcIdentityToken: unsigned } });
        return fromMock(await fulcioFn(body));
      } catch (e) {
        return errorResponse(e);
      }
    },
    opts('fulcio', 0)
  );

  /** uuid -> stored `{uuid: entry}` response; the body index finds duplicates. */
  const entries = new Map();
  const byBody = new Map();
  const byIndex = new Map();
  const rekor = await startServer(
    async (req, url, raw) => {
      try {
        const one = (uuid) => {
          if (!uuid || !entries.has(uuid)) throw new HttpError(404, { code: 404, message: 'entry not found' });
          return { status: 200, body: { [uuid]: entries.get(uuid) } };
        };
        if (req.method === 'GET' && url.pathname.startsWith('/api/v1/log/entries/'))
          return one(url.pathname.split('/').pop());
        if (req.method === 'GET' && url.pathname === '/api/v1/log/entries' && url.searchParams.has('logIndex')) {
          return one(byIndex.get(Number(url.searchParams.get('logIndex'))));
        }
        if (req.method !== 'POST' || url.pathname !== '/api/v1/log/entries')
          return { status: 404, body: { code: 404, message: 'Not Found' } };
        let proposed;
        try {
          proposed = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new HttpError(400, { code: 400, message: 'unable to parse proposed entry' });
        }
        if (
          !REKOR_KINDS.has(proposed?.kind) ||
          typeof proposed.apiVersion !== 'string' ||
          typeof proposed.spec !== 'object'
        ) {
          throw new HttpError(400, { code: 400, message: `unsupported or malformed entry kind: ${proposed?.kind}` });
        }
        const created = await rekorFn(raw.toString('utf8'));
        if (created.statusCode !== 201) return fromMock(created);
        const [[uuid, entry]] = Object.entries(JSON.parse(created.response));
        // Rekor refuses to log the same canonical entry twice: 409 pointing at the first one.
        const existing = byBody.get(entry.body);
        if (existing) {
          throw new HttpError(
            409,
            { code: 409, message: `an equivalent entry already exists in the transparency log with UUID ${existing}` },
            { location: `/api/v1/log/entries/${existing}` }
          );
        }
        entries.set(uuid, entry);
        byBody.set(entry.body, uuid);
        byIndex.set(entry.logIndex, uuid);
        return { status: 201, headers: { location: `/api/v1/log/entries/${uuid}` }, body: { [uuid]: entry } };
      } catch (e) {
        return errorResponse(e);
      }
    },
    opts('rekor', 1)
  );
  const tlog = await mockRekor.initializeTLog(rekor.url, key());
  rekorFn = mockRekor.rekorHandler(tlog).fn;

  const tsaServer = await startServer(
    async (req, url, raw) => {
      if (req.method !== 'POST' || url.pathname !== '/api/v1/timestamp')
        return { status: 404, body: { message: 'Not Found' } };
      return fromMock(await tsaFn(raw.toString('utf8')));
    },
    opts('tsa', 2)
  );

  const b64 = (buf) => Buffer.from(buf).toString('base64');
  const start = validFrom.toISOString();
  const logKey = (spki) => ({ rawBytes: b64(spki), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } });
  // protobuf-specs TrustedRoot, JSON form (what a trusted_root.json file holds).
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: rekor.url,
        hashAlgorithm: 'SHA2_256',
        publicKey: logKey(tlog.publicKey),
        logId: { keyId: b64(createHash('sha256').update(tlog.publicKey).digest()) }
      }
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: fulcio.url,
        certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
        validFor: { start }
      }
    ],
    // The CT log runs inside the fake Fulcio (it embeds the SCT), so it has no URL of its own.
    ctlogs: [
      {
        baseUrl: fulcio.url,
        hashAlgorithm: 'SHA2_256',
        publicKey: logKey(ctlog.publicKey),
        logId: { keyId: b64(ctlog.logID) }
      }
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'tsa' },
        uri: tsaServer.url,
        certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
        validFor: { start }
      }
    ]
  };

  const servers = { fulcio, rekor, tsa: tsaServer };
  return {
    fulcioURL: fulcio.url,
    rekorURL: rekor.url,
    tsaURL: tsaServer.url,
    trustedRoot,
    requests: { fulcio: fulcio.requests, rekor: rekor.requests, tsa: tsaServer.requests },
    /** Requests each service received, faulted ones included. */
    counts: () => ({ fulcio: fulcio.requests.length, rekor: rekor.requests.length, tsa: tsaServer.requests.length }),
    /** @param {'fulcio'|'rekor'|'tsa'} service */
    setFaults: (service, next) => servers[service].setFaults(next),
    /** @param {'fulcio'|'rekor'|'tsa'} service */
    addFault: (service, fault) => servers[service].addFault(fault),
    close: () => Promise.all(Object.values(servers).map((s) => s.close())).then(() => undefined)
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args['trusted-root-out'] !== 'string') {
    console.error(
      'usage: node test/fakes/sigstore/server.mjs --trusted-root-out FILE [--port N] [--claims FILE.json] [--latency-ms N]'
    );
    process.exit(2);
  }
  const claims = typeof args.claims === 'string' ? JSON.parse(readFileSync(args.claims, 'utf8')) : {};
  const oidc = await startFakeOIDC({ claims });
  const fake = await startFakeSigstore({
    trustedIssuers: [oidc],
    port: Number(args.port ?? 0),
    latencyMs: Number(args['latency-ms'] ?? 0)
  });
  writeFileSync(args['trusted-root-out'], `${JSON.stringify(fake.trustedRoot, null, 2)}\n`);
  console.log(JSON.stringify({ fulcioURL: fake.fulcioURL, rekorURL: fake.rekorURL, tsaURL: fake.tsaURL, ...oidc.env }));
  runUntilSignalled({ close: () => Promise.all([fake.close(), oidc.close()]) });
}
