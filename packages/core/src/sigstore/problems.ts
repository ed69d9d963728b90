// Why a bundle cannot be verified, as a sentence about the bundle. The shape
// of the JSON is checked here before any library reads it (sigstore-js would
// otherwise fail inside with `ERR_INVALID_ARG_TYPE` or `Cannot read properties
// of null`, or read a certificate that is not DER), and what the library says
// when it rejects a well-formed bundle is put in the same words.
import { X509Certificate as NodeCertificate } from 'node:crypto';
import { RFC3161Timestamp } from '@sigstore/core';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Standard or URL-safe base64, padded or not, whole characters only (protobuf JSON accepts all of these). */
const isBase64 = (v: unknown): v is string =>
  typeof v === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(v) && v.replace(/=+$/, '').length % 4 !== 1;

/** An int64 as protobuf JSON writes it (a string or a number), or absent, which is its default, 0. */
const isInt = (v: unknown) =>
  v === undefined || (typeof v === 'string' && /^-?\d+$/.test(v)) || Number.isSafeInteger(v);

const MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.bundle(\+json;version=\d+\.\d+|\.v\d+\.\d+\+json)$/;
const KINDS = new Set(['hashedrekord', 'intoto', 'dsse']);

/** A check of one field: the sentence when it fails. */
type Check = [ok: boolean, problem: string];

function first(checks: Check[]): string | undefined {
  return checks.find(([ok]) => !ok)?.[1];
}

/** DER as a strict parser (OpenSSL's) reads it: a lenient ASN.1 reader accepts re-tagged and padded encodings. */
function derProblem(raw: unknown, what: string): string | undefined {
  if (!isBase64(raw) || !raw) return `${what} is missing or not base64`;
  try {
    new NodeCertificate(Buffer.from(raw, 'base64'));
    return undefined;
  } catch {
    return `${what} is not valid DER`;
  }
}

function materialProblem(vm: unknown): string | undefined {
  if (!isObject(vm)) return 'the bundle has no verification material';
  const kinds = ['certificate', 'x509CertificateChain', 'publicKey'].filter((k) => vm[k] !== undefined);
  if (kinds.length !== 1)
    return kinds.length
      ? `the bundle's verification material has both a ${kinds.join(' and a ')}`
      : "the bundle's verification material has no certificate, certificate chain or public key";
  if (vm.certificate !== undefined)
    return isObject(vm.certificate)
      ? derProblem(vm.certificate.rawBytes, "the bundle's certificate")
      : "the bundle's certificate is not an object";
  if (vm.publicKey !== undefined)
    return first([
      [isObject(vm.publicKey), "the bundle's public key is not an object"],
      [!isObject(vm.publicKey) || typeof (vm.publicKey.hint ?? '') === 'string', "the bundle's key hint is not text"]
    ]);
  const chain = isObject(vm.x509CertificateChain) ? vm.x509CertificateChain.certificates : undefined;
  if (!Array.isArray(chain) || !chain.length) return "the bundle's certificate chain is empty";
  for (const [i, c] of chain.entries()) {
    const p = derProblem(isObject(c) ? c.rawBytes : undefined, `certificate ${i + 1} of the bundle's chain`);
    if (p) return p;
  }
  return undefined;
}

function entryProblem(e: unknown, n: number): string | undefined {
  const it = `the bundle's transparency log entry ${n}`;
  if (!isObject(e)) return `${it} is not an object`;
  const kv = isObject(e.kindVersion) ? e.kindVersion : {};
  const promise = e.inclusionPromise;
  const proof = e.inclusionProof;
  return first([
    [isInt(e.logIndex), `${it}'s log index is not a number`],
    [isObject(e.logId) && isBase64(e.logId.keyId), `${it} has no log id`],
    [KINDS.has(kv.kind as string), `${it} has no known kind (hashedrekord, intoto or dsse)`],
    [typeof kv.version === 'string' && /^\d+\.\d+\.\d+$/.test(kv.version), `${it} has no version of its kind`],
    [isInt(e.integratedTime), `${it}'s integrated time is not a number`],
    [isBase64(e.canonicalizedBody) && e.canonicalizedBody !== '', `${it} has no body`],
    [
      promise === undefined || (isObject(promise) && isBase64(promise.signedEntryTimestamp)),
      `${it}'s inclusion promise has no signed entry timestamp`
    ],
    [
      proof === undefined ||
        (isObject(proof) &&
          isInt(proof.logIndex) &&
          isInt(proof.treeSize) &&
          isBase64(proof.rootHash) &&
          (proof.hashes === undefined || (Array.isArray(proof.hashes) && proof.hashes.every(isBase64))) &&
          isObject(proof.checkpoint) &&
          typeof proof.checkpoint.envelope === 'string'),
      `${it}'s inclusion proof is incomplete (log index, tree size, root hash, hashes, checkpoint)`
    ]
  ]);
}

function contentProblem(b: Json): string | undefined {
  const ms = b.messageSignature;
  const dsse = b.dsseEnvelope;
  if ((ms === undefined) === (dsse === undefined))
    return ms === undefined
      ? 'the bundle has neither a message signature nor a DSSE envelope'
      : 'the bundle has both a message signature and a DSSE envelope';
  if (ms !== undefined) {
    if (!isObject(ms)) return "the bundle's message signature is not an object";
    const d = ms.messageDigest;
    return first([
      [isBase64(ms.signature) && ms.signature !== '', "the bundle's signature is missing or not base64"],
      [
        d === undefined || (isObject(d) && typeof d.algorithm === 'string' && /^SHA2_(256|384|512)$/.test(d.algorithm)),
        "the bundle's message digest names no known algorithm (SHA2_256, SHA2_384 or SHA2_512)"
      ],
      [d === undefined || (isObject(d) && isBase64(d.digest)), "the bundle's message digest is not base64"]
    ]);
  }
  if (!isObject(dsse)) return "the bundle's DSSE envelope is not an object";
  const sigs = dsse.signatures;
  return first([
    [isBase64(dsse.payload), "the bundle's DSSE payload is missing or not base64"],
    [typeof dsse.payloadType === 'string', "the bundle's DSSE payload type is missing"],
    [Array.isArray(sigs) && sigs.length > 0, "the bundle's DSSE envelope has no signature"],
    [
      !Array.isArray(sigs) || sigs.every((s) => isObject(s) && isBase64(s.sig) && s.sig !== ''),
      "a signature of the bundle's DSSE envelope is missing or not base64"
    ]
  ]);
}

/**
 * The first thing wrong with the shape of a bundle's JSON, as a sentence, or
 * undefined when every field the verifier reads has the type it must have.
 */
export function bundleShapeProblem(bundle: unknown): string | undefined {
  if (!isObject(bundle)) return 'the bundle is not a JSON object';
  if (typeof bundle.mediaType !== 'string' || !MEDIA_TYPE.test(bundle.mediaType))
    return "the bundle's mediaType is not a Sigstore bundle media type";
  const vm = bundle.verificationMaterial;
  const material = materialProblem(vm);
  if (material) return material;
  const v = vm as Json;
  const entries = v.tlogEntries ?? [];
  if (!Array.isArray(entries)) return "the bundle's transparency log entries are not a list";
  for (const [i, e] of entries.entries()) {
    const p = entryProblem(e, i + 1);
    if (p) return p;
  }
  const tsv = v.timestampVerificationData;
  if (tsv !== undefined) {
    const stamps = isObject(tsv) ? (tsv.rfc3161Timestamps ?? []) : undefined;
    if (!Array.isArray(stamps) || !stamps.every((s) => isObject(s) && isBase64(s.signedTimestamp)))
      return "the bundle's timestamps are not base64 RFC 3161 timestamps";
    for (const [i, s] of stamps.entries()) {
      try {
        RFC3161Timestamp.parse(Buffer.from((s as Json).signedTimestamp as string, 'base64'));
      } catch {
        return `the bundle's RFC 3161 timestamp ${i + 1} cannot be read (it is not DER)`;
      }
    }
  }
  return contentProblem(bundle);
}

/** What each of sigstore-js's verification error codes means, said of the bundle. */
const CODE_MEANING: Record<string, string> = {
  TLOG_INCLUSION_PROOF_ERROR: "the bundle's inclusion proof does not verify against the transparency log",
  TLOG_INCLUSION_PROMISE_ERROR: "the bundle's inclusion promise (signed entry timestamp) does not verify",
  TLOG_MISSING_INCLUSION_ERROR: "the bundle's transparency log entry has no inclusion proof or promise that verifies",
  TLOG_BODY_ERROR: "the bundle's transparency log entry does not match its signature and content",
  TLOG_ERROR: "the bundle's transparency log entries are not what verification requires",
  CERTIFICATE_ERROR: "the bundle's certificate does not verify against the trusted root",
  PUBLIC_KEY_ERROR: "the bundle's signing key is not a trusted key",
  SIGNATURE_ERROR: "the bundle's signature does not match the artifact",
  TIMESTAMP_ERROR: "the bundle's timestamps do not verify",
  UNTRUSTED_SIGNER_ERROR: 'the bundle was signed by an identity the policy does not accept',
  NOT_IMPLEMENTED_ERROR: 'the bundle uses a feature this verifier does not support'
};

/**
 * A library's rejection, as a sentence about the bundle: a verification error
 * code becomes its meaning (with the library's own short reason, which names
 * what failed), anything else (a parser's or runtime's error) only `fallback`.
 */
export function libraryProblem(e: unknown, fallback: string): string {
  const err = e as { code?: unknown; message?: unknown };
  const meaning = typeof err?.code === 'string' ? CODE_MEANING[err.code] : undefined;
  if (!meaning) return fallback;
  const detail = typeof err.message === 'string' ? err.message.split('\n')[0].trim() : '';
  return detail ? `${meaning} (${detail})` : meaning;
}
