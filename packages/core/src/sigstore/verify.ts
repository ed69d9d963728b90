// Sigstore bundle verification shared by sign-release (self-verification), the
// CLI (`verify`, `verify-bundle`) and, for PEP 740 attestations, verify-deps.
// It wraps @sigstore/verify and adds what the library leaves to its callers:
// an exact identity match (the library's SAN policy is an unanchored regex, so
// `…@refs/tags/v1.0.1` would accept `…@refs/tags/v1.0.10`), in-toto subjects
// checked against the artifact (the library ignores the artifact for DSSE), and
// a trusted root whose validity bounds are present (the library reads a
// missing start as "since the beginning of time").
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Bundle, bundleFromJSON } from '@sigstore/bundle';
import { type X509Certificate, crypto as sigCrypto } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { type TrustMaterial, Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import seeds from '@sigstore/tuf/seeds.json' with { type: 'json' };
import { jsonProblem } from '../errors';
import { bundleShapeProblem, libraryProblem } from './problems';

export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const PUBLIC_GOOD_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';

/** Why a bundle was rejected: one line, fit for a user. */
export class BundleVerificationError extends Error {
  override name = 'BundleVerificationError';
}

type Json = Record<string, unknown>;

/**
 * Parses a trusted_root.json. Rejects what @sigstore/verify would silently
 * widen: a log, CA or TSA whose validity has no start (conformance case
 * trust-root-tlog-missing-validity-start_fail).
 */
export function parseTrustedRoot(text: string, file = 'trusted root'): TrustedRoot {
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch (e) {
    throw new BundleVerificationError(`${file}${jsonProblem(text, e)}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new BundleVerificationError(`${file}: not a JSON object`);
  const list = (k: string) => (Array.isArray(json[k]) ? (json[k] as Json[]) : []);
  for (const k of ['tlogs', 'ctlogs']) {
    list(k).forEach((log, i) => {
      const key = log.publicKey as Json | undefined;
      if (!(key?.validFor as Json | undefined)?.start)
        throw new BundleVerificationError(
          `${file}: ${k}[${i}] (${String(log.baseUrl ?? '')}) has no publicKey.validFor.start`
        );
    });
  }
  for (const k of ['certificateAuthorities', 'timestampAuthorities']) {
    list(k).forEach((ca, i) => {
      if (!(ca.validFor as Json | undefined)?.start)
        throw new BundleVerificationError(`${file}: ${k}[${i}] (${String(ca.uri ?? '')}) has no validFor.start`);
    });
  }
  try {
    return TrustedRoot.fromJSON(json);
  } catch {
    throw new BundleVerificationError(`${file}: not a Sigstore trusted root (a field has the wrong type)`);
  }
}

export async function readTrustedRoot(file: string): Promise<TrustedRoot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new BundleVerificationError(
      `${file}: cannot read the trusted root (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`
    );
  }
  return parseTrustedRoot(text, file);
}

/**
 * The public-good trusted root shipped inside @sigstore/tuf: a snapshot from
 * the package's release, for offline use only (newer keys appear only in newer
 * package versions). Online callers should use `fetchTrustedRoot`.
 */
export function embeddedTrustedRoot(): TrustedRoot {
  const seed = (seeds as Record<string, { targets: Record<string, string> }>)[PUBLIC_GOOD_MIRROR];
  return parseTrustedRoot(
    Buffer.from(seed.targets['trusted_root.json'], 'base64').toString('utf8'),
    '@sigstore/tuf embedded trusted root'
  );
}

/** The public-good trusted root, fetched and verified over TUF. */
export async function fetchTrustedRoot(cachePath?: string): Promise<TrustedRoot> {
  const { getTrustedRoot } = await import('@sigstore/tuf');
  try {
    return (await getTrustedRoot({ cachePath })) as unknown as TrustedRoot;
  } catch (e) {
    // Offline and air-gapped runs end here; say what to do instead.
    throw new Error(
      `could not fetch the Sigstore trusted root over TUF (${(e as Error).message}); give a trusted_root.json instead`
    );
  }
}

/** What a bundle must have been signed by. */
export type SignerPolicy =
  /** A Fulcio certificate with exactly this SAN and OIDC issuer. */
  | { identity: string; issuer: string }
  /** A managed key (PEM SubjectPublicKeyInfo). */
  | { key: string }
  /** A GitHub Actions workflow of this repository (any workflow and ref unless given). */
  | { github: GitHubIdentity }
  /** Any certificate from this OIDC issuer; the caller checks the Fulcio extensions (PEP 740 Trusted Publishers). */
  | { oidcIssuer: string };

export interface GitHubIdentity {
  repository: string;
  /** `.github/workflows/release.yml` (a bare file name means that folder). */
  workflow?: string;
  /** `refs/tags/v1.0.0` (a name without `refs/` means a tag). */
  ref?: string;
}

/**
 * Why a certificate SAN is not a workflow of `want`, or undefined when it is.
 * Every part is compared exactly: a policy for tag v1.0.1 never accepts v1.0.10.
 */
export function githubIdentityProblem(san: string | undefined, want: GitHubIdentity): string | undefined {
  const prefix = `https://github.com/${want.repository}/`;
  if (!san?.startsWith(prefix)) return `certificate identity ${named(san)} is not a workflow of ${want.repository}`;
  const rest = san.slice(prefix.length);
  const at = rest.indexOf('@');
  const [path, ref] = at < 0 ? [rest, ''] : [rest.slice(0, at), rest.slice(at + 1)];
  if (!path.startsWith('.github/workflows/') || path.includes('..'))
    return `certificate identity ${named(san)} is not a GitHub Actions workflow`;
  if (want.workflow) {
    const workflow = want.workflow.includes('/') ? want.workflow : `.github/workflows/${want.workflow}`;
    if (path !== workflow) return `signed by workflow ${path}, not ${workflow}`;
  }
  if (want.ref) {
    const wantRef = want.ref.startsWith('refs/') ? want.ref : `refs/tags/${want.ref}`;
    if (ref !== wantRef) return `signed at ${ref}, not ${wantRef}`;
  }
  return undefined;
}

/** The artifact a bundle is for: its bytes, or (DSSE bundles only) its digest, `sha256:HEX` or `sha512:HEX`. */
export type Artifact = { bytes: Buffer; name?: string } | { digest: string; name?: string };

export interface Verified {
  kind: 'message-signature' | 'dsse';
  /** The certificate's SAN and issuer (absent for key-signed bundles). */
  identity?: string;
  issuer?: string;
  /** Fulcio extensions by short OID (`1.12` → source repository URI, ...). */
  extensions: Record<string, string>;
  /** The in-toto statement of a DSSE bundle with an in-toto payload. */
  statement?: InTotoStatement;
}

export interface InTotoStatement {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate?: unknown;
}

/** A certificate field for a message: quoted, or said to be absent (a key-signed bundle has none). */
const named = (v: string | undefined) =>
  v === undefined ? '(none: the bundle has no signing certificate)' : JSON.stringify(v);

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Verifies bundles against one trusted root. Build it once per run: the
 * trust material is prepared once and reused for every bundle.
 */
export class BundleVerifier {
  private readonly verifier: Verifier;

  constructor(root: TrustedRoot, key?: string) {
    let trust: TrustMaterial;
    if (key) {
      let publicKey: ReturnType<typeof sigCrypto.createPublicKey>;
      try {
        publicKey = sigCrypto.createPublicKey(key);
      } catch {
        throw new BundleVerificationError('the public key is not a PEM public key');
      }
      // The caller names the key, so every hint resolves to it.
      trust = toTrustMaterial(root, () => ({ publicKey, validFor: () => true }));
    } else {
      trust = toTrustMaterial(root);
    }
    try {
      this.verifier = new Verifier(trust);
    } catch {
      throw new BundleVerificationError("the trusted root's keys or certificates could not be read");
    }
  }

  /**
   * Verifies one bundle (parsed JSON); throws BundleVerificationError with the
   * reason, a sentence about the bundle (the caller names the file).
   */
  verify(bundleJson: unknown, artifact: Artifact, policy: SignerPolicy): Verified {
    const shape = bundleShapeProblem(bundleJson);
    if (shape) throw new BundleVerificationError(shape);
    let bundle: Bundle;
    try {
      bundle = bundleFromJSON(bundleJson);
    } catch (e) {
      const fields = (e as { fields?: unknown }).fields;
      throw new BundleVerificationError(
        Array.isArray(fields) && fields.length
          ? `the bundle lacks what its version requires (${fields.join(', ')})`
          : 'the bundle is not a valid Sigstore bundle'
      );
    }
    const kind = bundle.content.$case === 'dsseEnvelope' ? 'dsse' : 'message-signature';
    if (!('bytes' in artifact) && kind !== 'dsse')
      throw new BundleVerificationError('a message-signature bundle is verified against the file itself, not a digest');
    const result: Verified = { kind, extensions: {} };
    guarded(
      "the bundle's verification material could not be read (a certificate, key or signature is malformed)",
      () => {
        const entity = 'bytes' in artifact ? toSignedEntity(bundle, artifact.bytes) : toSignedEntity(bundle);
        const signer = this.verifier.verify(entity, libraryPolicy(policy));
        // The certificate the library parsed for this bundle (absent for key-signed ones), not parsed again.
        const leaf = entity.key.$case === 'certificate' ? entity.key.certificate : undefined;
        if (leaf) {
          result.identity = signer.identity?.subjectAlternativeName;
          result.issuer = signer.identity?.extensions?.issuer;
          result.extensions = fulcioExtensions(leaf);
        }
      }
    );
    if ('identity' in policy) {
      // The library matched a regex; require equality ourselves.
      if (result.identity !== policy.identity)
        throw new BundleVerificationError(
          `certificate identity ${named(result.identity)} is not ${JSON.stringify(policy.identity)}`
        );
      if (result.issuer !== policy.issuer)
        throw new BundleVerificationError(
          `certificate issuer ${named(result.issuer)} is not ${JSON.stringify(policy.issuer)}`
        );
    }
    if ('oidcIssuer' in policy && result.issuer !== policy.oidcIssuer) {
      throw new BundleVerificationError(
        `certificate issuer ${named(result.issuer)} is not ${JSON.stringify(policy.oidcIssuer)}`
      );
    }
    if ('github' in policy) {
      const problem =
        (result.issuer !== GITHUB_OIDC_ISSUER
          ? `certificate issuer ${named(result.issuer)} is not ${GITHUB_OIDC_ISSUER}`
          : undefined) ??
        githubIdentityProblem(result.identity, policy.github) ??
        // The source repository (caller) must be the same repository too.
        (result.extensions['1.12'] !== undefined &&
        result.extensions['1.12'] !== `https://github.com/${policy.github.repository}`
          ? `built from ${result.extensions['1.12']}, not https://github.com/${policy.github.repository}`
          : undefined);
      if (problem) throw new BundleVerificationError(problem);
    }

    if (bundle.content.$case === 'dsseEnvelope') {
      const env = bundle.content.dsseEnvelope;
      const [alg, hex] = 'bytes' in artifact ? ['sha256', sha256Hex(artifact.bytes)] : parseDigest(artifact.digest);
      if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE)
        throw new BundleVerificationError(
          `the DSSE payload type is ${env.payloadType}, not an in-toto statement that could name the artifact`
        );
      const statement = parseStatement(env.payload);
      if (!statement.subject.some((s) => s.digest?.[alg]?.toLowerCase() === hex))
        throw new BundleVerificationError(`the artifact (${alg}:${hex}) is not a subject of the in-toto statement`);
      result.statement = statement;
    }
    return result;
  }
}

/** Checks that every file is a subject of the statement with its exact digest. */
export function checkSubjects(statement: InTotoStatement, files: { name: string; sha256: string }[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    // Every subject of that name must match: a second entry with another digest is no pass.
    const named = statement.subject.filter((x) => x.name === f.name);
    if (!named.length) problems.push(`${f.name} is not a subject of the provenance`);
    for (const s of named) {
      const digest = s.digest?.sha256;
      if (typeof digest !== 'string') problems.push(`${f.name}: the provenance subject has no sha256 digest`);
      else if (digest.toLowerCase() !== f.sha256)
        problems.push(`${f.name}: provenance digest sha256:${digest} differs from the file's sha256:${f.sha256}`);
    }
  }
  return problems;
}

export function parseStatement(payload: Buffer): InTotoStatement {
  let s: InTotoStatement;
  try {
    s = JSON.parse(payload.toString('utf8')) as InTotoStatement;
  } catch {
    throw new BundleVerificationError('the DSSE payload is not JSON');
  }
  if (!s || !Array.isArray(s.subject) || typeof s.predicateType !== 'string')
    throw new BundleVerificationError('the DSSE payload is not an in-toto statement');
  return s;
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function parseDigest(d: string): [string, string] {
  const m = /^(sha256|sha512):([0-9a-f]+)$/i.exec(d.trim());
  const [alg, hex] = m ? [m[1].toLowerCase(), m[2].toLowerCase()] : ['', ''];
  if (!m || hex.length !== (alg === 'sha256' ? 64 : 128))
    throw new BundleVerificationError(`not a digest of the form sha256:HEX or sha512:HEX: ${d}`);
  return [alg, hex];
}

const FULCIO_ARC = '1.3.6.1.4.1.57264.1.';

/**
 * Fulcio's v2 extensions (DER UTF8Strings, arcs 8 to 22) by short OID, e.g. `1.12` → `https://github.com/org/repo`.
 * One pass over the certificate's extensions, the first of each OID kept as `cert.extension(oid)` would find
 * it: a lookup per OID decodes every extension's OID again (15 lookups, a tenth of a bundle's verification).
 */
export function fulcioExtensions(cert: X509Certificate): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const ext of cert.extensions) {
    const oid = ext.subs[0]?.toOID();
    const arc = oid?.startsWith(FULCIO_ARC) ? oid.slice(FULCIO_ARC.length) : '';
    if (!/^(?:[89]|1\d|2[0-2])$/.test(arc) || seen.has(arc)) continue;
    seen.add(arc);
    // extnValue, the extension's last element, holds the UTF8String.
    const value = ext.subs[ext.subs.length - 1].subs[0]?.value;
    if (value) out[`1.${arc}`] = value.toString('utf8');
  }
  return out;
}

/** The policy as @sigstore/verify takes it; equality is checked afterwards (its SAN match is a regex). */
function libraryPolicy(policy: SignerPolicy): Parameters<Verifier['verify']>[1] {
  if ('identity' in policy)
    return { subjectAlternativeName: `^${escapeRegExp(policy.identity)}$`, extensions: { issuer: policy.issuer } };
  if ('github' in policy)
    return {
      subjectAlternativeName: `^${escapeRegExp(`https://github.com/${policy.github.repository}/`)}`,
      extensions: { issuer: GITHUB_OIDC_ISSUER }
    };
  if ('oidcIssuer' in policy) return { extensions: { issuer: policy.oidcIssuer } };
  return undefined;
}

/** Runs a library call; its rejection becomes a sentence (its own words only for a coded verification error). */
function guarded<T>(fallback: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new BundleVerificationError(libraryProblem(e, fallback));
  }
}
