// PEP 740 provenance of locked files: each Integrity API attestation becomes
// a Sigstore bundle, verified once against the trusted root (built once per
// run) for the exact file digest, and its signer compared, anchored, with the
// expected Trusted Publisher.
import { X509Certificate } from '@sigstore/core';
import {
  type IntegrityAttestation,
  type Provenance,
  type TrustedPublisher,
  trustedPublisher
} from '@security-actions/core';
import {
  type BundleVerifier,
  BundleVerificationError,
  GITHUB_OIDC_ISSUER,
  checkSubjects,
  fulcioExtensions
} from '@security-actions/core/sigstore';

export const GITLAB_OIDC_ISSUER = 'https://gitlab.com';
const IN_TOTO = 'application/vnd.in-toto+json';

/** pypi-attestations' conversion: certificate, first log entry and DSSE envelope → a v0.3 bundle. */
export function attestationToBundle(a: IntegrityAttestation): Record<string, unknown> {
  const vm = a?.verification_material;
  if (
    !vm ||
    typeof vm.certificate !== 'string' ||
    !Array.isArray(vm.transparency_entries) ||
    !vm.transparency_entries.length ||
    typeof a.envelope?.statement !== 'string' ||
    typeof a.envelope?.signature !== 'string'
  ) {
    throw new BundleVerificationError('malformed attestation: certificate, transparency entry or envelope missing');
  }
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: vm.certificate }, tlogEntries: [vm.transparency_entries[0]] },
    dsseEnvelope: {
      payload: a.envelope.statement,
      payloadType: IN_TOTO,
      signatures: [{ sig: a.envelope.signature, keyid: '' }]
    }
  };
}

/** The signer a certificate names: SAN and OIDC issuer (Fulcio extension 1.8, else the legacy 1.1). */
export function signerOf(certB64: string): { identity: string; issuer: string; extensions: Record<string, string> } {
  const cert = X509Certificate.parse(Buffer.from(certB64, 'base64'));
  const extensions = fulcioExtensions(cert);
  const legacyIssuer = cert.extension('1.3.6.1.4.1.57264.1.1')?.value.toString('utf8');
  return { identity: cert.subjectAltName ?? '', issuer: extensions['1.8'] ?? legacyIssuer ?? '', extensions };
}

/**
 * Does the certificate identity belong to the expected publisher? Anchored
 * comparisons only: GitHub's SAN is exactly
 * `https://github.com/<repository>/.github/workflows/<workflow>@<ref>`, GitLab's
 * `https://gitlab.com/<project>//<path>@<ref>`. The repository is compared
 * case-insensitively (GitHub and GitLab names are); the workflow exactly.
 */
export function publisherMatches(
  expected: TrustedPublisher,
  signer: { identity: string; issuer: string; extensions: Record<string, string> }
): string | undefined {
  const kind = expected.kind.toLowerCase();
  const repo = (expected.repository ?? '').toLowerCase();
  if (kind === 'github') {
    if (signer.issuer !== GITHUB_OIDC_ISSUER) return `issuer ${signer.issuer} is not GitHub Actions`;
    const m = /^https:\/\/github\.com\/([^/]+\/[^/]+)\/\.github\/workflows\/([^/@]+)@(.+)$/.exec(signer.identity);
    if (!m) return `identity ${signer.identity} is not a GitHub workflow identity`;
    if (m[1].toLowerCase() !== repo) return `signed by repository ${m[1]}, expected ${expected.repository}`;
    if (expected.workflow && m[2] !== expected.workflow)
      return `signed by workflow ${m[2]}, expected ${expected.workflow}`;
    const env = signer.extensions['1.22'];
    if (expected.environment && env !== expected.environment)
      return `signed in environment ${env ?? '(none)'}, expected ${expected.environment}`;
    return undefined;
  }
  if (kind === 'gitlab') {
    if (signer.issuer !== GITLAB_OIDC_ISSUER) return `issuer ${signer.issuer} is not GitLab`;
    const m = /^https:\/\/gitlab\.com\/(.+?)\/\/(.+)@(.+)$/.exec(signer.identity);
    if (!m) return `identity ${signer.identity} is not a GitLab CI identity`;
    if (m[1].toLowerCase() !== repo) return `signed by project ${m[1]}, expected ${expected.repository}`;
    if (expected.workflow && m[2] !== expected.workflow)
      return `signed by CI file ${m[2]}, expected ${expected.workflow}`;
    return undefined;
  }
  return `publisher kind ${expected.kind} is not supported`;
}

/** What the Integrity API claims (unsigned), as an expected publisher for trust on first use: it must name a repository. */
export function claimedPublisher(p: Record<string, unknown>): TrustedPublisher | undefined {
  const claimed = trustedPublisher(p);
  return claimed?.repository === undefined ? undefined : claimed;
}

export type FileVerdict =
  | { status: 'verified'; identity: string }
  | { status: 'invalid'; reason: string }
  | { status: 'publisher-mismatch'; reason: string; identity: string };

/**
 * Verifies a file's provenance. Every attestation must verify; the signer must
 * match one of `expected` (policy or pylock), or, with none given, the
 * publisher the Integrity API claims.
 */
export function verifyProvenance(
  verifier: BundleVerifier,
  prov: Provenance,
  file: { filename: string; sha256: string },
  expected: TrustedPublisher[]
): FileVerdict {
  let identity = '';
  let count = 0;
  for (const b of prov.attestation_bundles) {
    const wanted = expected.length
      ? expected
      : [claimedPublisher(b.publisher)].filter((x): x is TrustedPublisher => !!x);
    for (const a of Array.isArray(b.attestations) ? b.attestations : []) {
      count++;
      let signer;
      try {
        signer = signerOf(a.verification_material?.certificate);
      } catch (e) {
        return { status: 'invalid', reason: `unreadable certificate (${(e as Error).message.split('\n')[0]})` };
      }
      // Signature, log entry and subject first: a forged attestation is "invalid", whoever it names.
      try {
        const v = verifier.verify(
          attestationToBundle(a),
          { digest: `sha256:${file.sha256}`, name: file.filename },
          { identity: signer.identity, issuer: signer.issuer }
        );
        const problems = v.statement
          ? checkSubjects(v.statement, [{ name: file.filename, sha256: file.sha256 }])
          : ['the attestation carries no in-toto statement'];
        if (problems.length) return { status: 'invalid', reason: problems[0] };
      } catch (e) {
        return { status: 'invalid', reason: (e as Error).message.split('\n')[0] };
      }
      const mismatches = wanted.map((w) => publisherMatches(w, signer));
      if (!wanted.length || mismatches.every((m) => m !== undefined)) {
        return {
          status: 'publisher-mismatch',
          identity: signer.identity,
          reason: mismatches[0] ?? 'no publisher to compare with'
        };
      }
      identity = signer.identity;
    }
  }
  if (!count) return { status: 'invalid', reason: 'the provenance object holds no attestation' };
  return { status: 'verified', identity };
}

/** Verifies files' provenance in this thread or on workers; `builds` counts trust-material builds. */
export interface ProvenanceChecker {
  builds: number;
  verify(
    prov: Provenance,
    file: { filename: string; sha256: string },
    expected: TrustedPublisher[]
  ): Promise<FileVerdict>;
}

/** The in-thread checker: one verifier, built once. */
export function inThreadChecker(verifier: BundleVerifier): ProvenanceChecker {
  return { builds: 1, verify: async (prov, file, expected) => verifyProvenance(verifier, prov, file, expected) };
}
