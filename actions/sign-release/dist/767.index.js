export const id = 767;
export const ids = [767];
export const modules = {

/***/ 45767:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BundleVerifier: () => (/* binding */ BundleVerifier),
  GITHUB_OIDC_ISSUER: () => (/* binding */ GITHUB_OIDC_ISSUER),
  checkSubjects: () => (/* binding */ checkSubjects),
  fetchTrustedRoot: () => (/* binding */ fetchTrustedRoot),
  fulcioExtensions: () => (/* binding */ fulcioExtensions),
  readTrustedRoot: () => (/* binding */ readTrustedRoot),
  sha256Hex: () => (/* binding */ sha256Hex)
});

// UNUSED EXPORTS: BundleVerificationError, IN_TOTO_PAYLOAD_TYPE, embeddedTrustedRoot, escapeRegExp, githubIdentityProblem, parseStatement, parseTrustedRoot

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./node_modules/@sigstore/bundle/dist/index.js
var dist = __webpack_require__(61040);
// EXTERNAL MODULE: ./node_modules/@sigstore/core/dist/index.js
var core_dist = __webpack_require__(83917);
// EXTERNAL MODULE: ./node_modules/@sigstore/protobuf-specs/dist/index.js
var protobuf_specs_dist = __webpack_require__(19654);
// EXTERNAL MODULE: ./node_modules/@sigstore/verify/dist/index.js
var verify_dist = __webpack_require__(54187);
// EXTERNAL MODULE: ./node_modules/@sigstore/tuf/seeds.json
var tuf_seeds = __webpack_require__(8032);
// EXTERNAL MODULE: ./packages/core/src/errors.ts
var errors = __webpack_require__(37638);
;// CONCATENATED MODULE: ./packages/core/src/sigstore/problems.ts
// Why a bundle cannot be verified, as a sentence about the bundle. The shape
// of the JSON is checked here before any library reads it (sigstore-js would
// otherwise fail inside with `ERR_INVALID_ARG_TYPE` or `Cannot read properties
// of null`, or read a certificate that is not DER), and what the library says
// when it rejects a well-formed bundle is put in the same words.


const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Standard or URL-safe base64, padded or not, whole characters only (protobuf JSON accepts all of these). */
const isBase64 = (v) => typeof v === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(v) && v.replace(/=+$/, '').length % 4 !== 1;
/** An int64 as protobuf JSON writes it (a string or a number), or absent, which is its default, 0. */
const isInt = (v) => v === undefined || (typeof v === 'string' && /^-?\d+$/.test(v)) || Number.isSafeInteger(v);
const MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.bundle(\+json;version=\d+\.\d+|\.v\d+\.\d+\+json)$/;
const KINDS = new Set(['hashedrekord', 'intoto', 'dsse']);
function first(checks) {
    return checks.find(([ok]) => !ok)?.[1];
}
/** DER as a strict parser (OpenSSL's) reads it: a lenient ASN.1 reader accepts re-tagged and padded encodings. */
function derProblem(raw, what) {
    if (!isBase64(raw) || !raw)
        return `${what} is missing or not base64`;
    try {
        new external_node_crypto_.X509Certificate(Buffer.from(raw, 'base64'));
        return undefined;
    }
    catch {
        return `${what} is not valid DER`;
    }
}
function materialProblem(vm) {
    if (!isObject(vm))
        return 'the bundle has no verification material';
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
    if (!Array.isArray(chain) || !chain.length)
        return "the bundle's certificate chain is empty";
    for (const [i, c] of chain.entries()) {
        const p = derProblem(isObject(c) ? c.rawBytes : undefined, `certificate ${i + 1} of the bundle's chain`);
        if (p)
            return p;
    }
    return undefined;
}
function entryProblem(e, n) {
    const it = `the bundle's transparency log entry ${n}`;
    if (!isObject(e))
        return `${it} is not an object`;
    const kv = isObject(e.kindVersion) ? e.kindVersion : {};
    const promise = e.inclusionPromise;
    const proof = e.inclusionProof;
    return first([
        [isInt(e.logIndex), `${it}'s log index is not a number`],
        [isObject(e.logId) && isBase64(e.logId.keyId), `${it} has no log id`],
        [KINDS.has(kv.kind), `${it} has no known kind (hashedrekord, intoto or dsse)`],
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
function contentProblem(b) {
    const ms = b.messageSignature;
    const dsse = b.dsseEnvelope;
    if ((ms === undefined) === (dsse === undefined))
        return ms === undefined
            ? 'the bundle has neither a message signature nor a DSSE envelope'
            : 'the bundle has both a message signature and a DSSE envelope';
    if (ms !== undefined) {
        if (!isObject(ms))
            return "the bundle's message signature is not an object";
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
    if (!isObject(dsse))
        return "the bundle's DSSE envelope is not an object";
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
function bundleShapeProblem(bundle) {
    if (!isObject(bundle))
        return 'the bundle is not a JSON object';
    if (typeof bundle.mediaType !== 'string' || !MEDIA_TYPE.test(bundle.mediaType))
        return "the bundle's mediaType is not a Sigstore bundle media type";
    const vm = bundle.verificationMaterial;
    const material = materialProblem(vm);
    if (material)
        return material;
    const v = vm;
    const entries = v.tlogEntries ?? [];
    if (!Array.isArray(entries))
        return "the bundle's transparency log entries are not a list";
    for (const [i, e] of entries.entries()) {
        const p = entryProblem(e, i + 1);
        if (p)
            return p;
    }
    const tsv = v.timestampVerificationData;
    if (tsv !== undefined) {
        const stamps = isObject(tsv) ? (tsv.rfc3161Timestamps ?? []) : undefined;
        if (!Array.isArray(stamps) || !stamps.every((s) => isObject(s) && isBase64(s.signedTimestamp)))
            return "the bundle's timestamps are not base64 RFC 3161 timestamps";
        for (const [i, s] of stamps.entries()) {
            try {
                core_dist.RFC3161Timestamp.parse(Buffer.from(s.signedTimestamp, 'base64'));
            }
            catch {
                return `the bundle's RFC 3161 timestamp ${i + 1} cannot be read (it is not DER)`;
            }
        }
    }
    return contentProblem(bundle);
}
/** What each of sigstore-js's verification error codes means, said of the bundle. */
const CODE_MEANING = {
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
function libraryProblem(e, fallback) {
    const err = e;
    const meaning = typeof err?.code === 'string' ? CODE_MEANING[err.code] : undefined;
    if (!meaning)
        return fallback;
    const detail = typeof err.message === 'string' ? err.message.split('\n')[0].trim() : '';
    return detail ? `${meaning} (${detail})` : meaning;
}

;// CONCATENATED MODULE: ./packages/core/src/sigstore/verify.ts
// Sigstore bundle verification shared by sign-release (self-verification), the
// CLI (`verify`, `verify-bundle`) and, for PEP 740 attestations, verify-deps.
// It wraps @sigstore/verify and adds what the library leaves to its callers:
// an exact identity match (the library's SAN policy is an unanchored regex, so
// `…@refs/tags/v1.0.1` would accept `…@refs/tags/v1.0.10`), in-toto subjects
// checked against the artifact (the library ignores the artifact for DSSE), and
// a trusted root whose validity bounds are present (the library reads a
// missing start as "since the beginning of time").









const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const PUBLIC_GOOD_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';
/** Why a bundle was rejected: one line, fit for a user. */
class BundleVerificationError extends Error {
    name = 'BundleVerificationError';
}
/**
 * Parses a trusted_root.json. Rejects what @sigstore/verify would silently
 * widen: a log, CA or TSA whose validity has no start (conformance case
 * trust-root-tlog-missing-validity-start_fail).
 */
function parseTrustedRoot(text, file = 'trusted root') {
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (e) {
        throw new BundleVerificationError(`${file}${(0,errors/* jsonProblem */.Io)(text, e)}`);
    }
    if (!json || typeof json !== 'object' || Array.isArray(json))
        throw new BundleVerificationError(`${file}: not a JSON object`);
    const list = (k) => (Array.isArray(json[k]) ? json[k] : []);
    for (const k of ['tlogs', 'ctlogs']) {
        list(k).forEach((log, i) => {
            const key = log.publicKey;
            if (!key?.validFor?.start)
                throw new BundleVerificationError(`${file}: ${k}[${i}] (${String(log.baseUrl ?? '')}) has no publicKey.validFor.start`);
        });
    }
    for (const k of ['certificateAuthorities', 'timestampAuthorities']) {
        list(k).forEach((ca, i) => {
            if (!ca.validFor?.start)
                throw new BundleVerificationError(`${file}: ${k}[${i}] (${String(ca.uri ?? '')}) has no validFor.start`);
        });
    }
    try {
        return protobuf_specs_dist.TrustedRoot.fromJSON(json);
    }
    catch {
        throw new BundleVerificationError(`${file}: not a Sigstore trusted root (a field has the wrong type)`);
    }
}
async function readTrustedRoot(file) {
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (e) {
        throw new BundleVerificationError(`${file}: cannot read the trusted root (${e.code ?? e.message})`);
    }
    return parseTrustedRoot(text, file);
}
/**
 * The public-good trusted root shipped inside @sigstore/tuf: a snapshot from
 * the package's release, for offline use only (newer keys appear only in newer
 * package versions). Online callers should use `fetchTrustedRoot`.
 */
function embeddedTrustedRoot() {
    const seed = seeds[PUBLIC_GOOD_MIRROR];
    return parseTrustedRoot(Buffer.from(seed.targets['trusted_root.json'], 'base64').toString('utf8'), '@sigstore/tuf embedded trusted root');
}
/** The public-good trusted root, fetched and verified over TUF. */
async function fetchTrustedRoot(cachePath) {
    const { getTrustedRoot } = await Promise.all(/* import() */[__webpack_require__.e(335), __webpack_require__.e(694)]).then(__webpack_require__.bind(__webpack_require__, 84423));
    try {
        return (await getTrustedRoot({ cachePath }));
    }
    catch (e) {
        // Offline and air-gapped runs end here; say what to do instead.
        throw new Error(`could not fetch the Sigstore trusted root over TUF (${e.message}); give a trusted_root.json instead`);
    }
}
/**
 * Why a certificate SAN is not a workflow of `want`, or undefined when it is.
 * Every part is compared exactly: a policy for tag v1.0.1 never accepts v1.0.10.
 */
function githubIdentityProblem(san, want) {
    const prefix = `https://github.com/${want.repository}/`;
    if (!san?.startsWith(prefix))
        return `certificate identity ${named(san)} is not a workflow of ${want.repository}`;
    const rest = san.slice(prefix.length);
    const at = rest.indexOf('@');
    const [path, ref] = at < 0 ? [rest, ''] : [rest.slice(0, at), rest.slice(at + 1)];
    if (!path.startsWith('.github/workflows/') || path.includes('..'))
        return `certificate identity ${named(san)} is not a GitHub Actions workflow`;
    if (want.workflow) {
        const workflow = want.workflow.includes('/') ? want.workflow : `.github/workflows/${want.workflow}`;
        if (path !== workflow)
            return `signed by workflow ${path}, not ${workflow}`;
    }
    if (want.ref) {
        const wantRef = want.ref.startsWith('refs/') ? want.ref : `refs/tags/${want.ref}`;
        if (ref !== wantRef)
            return `signed at ${ref}, not ${wantRef}`;
    }
    return undefined;
}
/** A certificate field for a message: quoted, or said to be absent (a key-signed bundle has none). */
const named = (v) => v === undefined ? '(none: the bundle has no signing certificate)' : JSON.stringify(v);
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * Verifies bundles against one trusted root. Build it once per run: the
 * trust material is prepared once and reused for every bundle.
 */
class BundleVerifier {
    verifier;
    constructor(root, key) {
        let trust;
        if (key) {
            let publicKey;
            try {
                publicKey = core_dist.crypto.createPublicKey(key);
            }
            catch {
                throw new BundleVerificationError('the public key is not a PEM public key');
            }
            // The caller names the key, so every hint resolves to it.
            trust = (0,verify_dist/* toTrustMaterial */.jO)(root, () => ({ publicKey, validFor: () => true }));
        }
        else {
            trust = (0,verify_dist/* toTrustMaterial */.jO)(root);
        }
        try {
            this.verifier = new verify_dist/* Verifier */.BL(trust);
        }
        catch {
            throw new BundleVerificationError("the trusted root's keys or certificates could not be read");
        }
    }
    /**
     * Verifies one bundle (parsed JSON); throws BundleVerificationError with the
     * reason, a sentence about the bundle (the caller names the file).
     */
    verify(bundleJson, artifact, policy) {
        const shape = bundleShapeProblem(bundleJson);
        if (shape)
            throw new BundleVerificationError(shape);
        let bundle;
        try {
            bundle = (0,dist.bundleFromJSON)(bundleJson);
        }
        catch (e) {
            const fields = e.fields;
            throw new BundleVerificationError(Array.isArray(fields) && fields.length
                ? `the bundle lacks what its version requires (${fields.join(', ')})`
                : 'the bundle is not a valid Sigstore bundle');
        }
        const kind = bundle.content.$case === 'dsseEnvelope' ? 'dsse' : 'message-signature';
        if (!('bytes' in artifact) && kind !== 'dsse')
            throw new BundleVerificationError('a message-signature bundle is verified against the file itself, not a digest');
        const result = { kind, extensions: {} };
        guarded("the bundle's verification material could not be read (a certificate, key or signature is malformed)", () => {
            const entity = 'bytes' in artifact ? (0,verify_dist/* toSignedEntity */.DC)(bundle, artifact.bytes) : (0,verify_dist/* toSignedEntity */.DC)(bundle);
            const signer = this.verifier.verify(entity, libraryPolicy(policy));
            const leaf = leafCertificate(bundle);
            if (leaf) {
                result.identity = signer.identity?.subjectAlternativeName;
                result.issuer = signer.identity?.extensions?.issuer;
                result.extensions = fulcioExtensions(leaf);
            }
        });
        if ('identity' in policy) {
            // The library matched a regex; require equality ourselves.
            if (result.identity !== policy.identity)
                throw new BundleVerificationError(`certificate identity ${named(result.identity)} is not ${JSON.stringify(policy.identity)}`);
            if (result.issuer !== policy.issuer)
                throw new BundleVerificationError(`certificate issuer ${named(result.issuer)} is not ${JSON.stringify(policy.issuer)}`);
        }
        if ('oidcIssuer' in policy && result.issuer !== policy.oidcIssuer) {
            throw new BundleVerificationError(`certificate issuer ${named(result.issuer)} is not ${JSON.stringify(policy.oidcIssuer)}`);
        }
        if ('github' in policy) {
            const problem = (result.issuer !== GITHUB_OIDC_ISSUER
                ? `certificate issuer ${named(result.issuer)} is not ${GITHUB_OIDC_ISSUER}`
                : undefined) ??
                githubIdentityProblem(result.identity, policy.github) ??
                // The source repository (caller) must be the same repository too.
                (result.extensions['1.12'] !== undefined &&
                    result.extensions['1.12'] !== `https://github.com/${policy.github.repository}`
                    ? `built from ${result.extensions['1.12']}, not https://github.com/${policy.github.repository}`
                    : undefined);
            if (problem)
                throw new BundleVerificationError(problem);
        }
        if (bundle.content.$case === 'dsseEnvelope') {
            const env = bundle.content.dsseEnvelope;
            const [alg, hex] = 'bytes' in artifact ? ['sha256', sha256Hex(artifact.bytes)] : parseDigest(artifact.digest);
            if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE)
                throw new BundleVerificationError(`the DSSE payload type is ${env.payloadType}, not an in-toto statement that could name the artifact`);
            const statement = parseStatement(env.payload);
            if (!statement.subject.some((s) => s.digest?.[alg]?.toLowerCase() === hex))
                throw new BundleVerificationError(`the artifact (${alg}:${hex}) is not a subject of the in-toto statement`);
            result.statement = statement;
        }
        return result;
    }
}
/** Checks that every file is a subject of the statement with its exact digest. */
function checkSubjects(statement, files) {
    const problems = [];
    for (const f of files) {
        // Every subject of that name must match: a second entry with another digest is no pass.
        const named = statement.subject.filter((x) => x.name === f.name);
        if (!named.length)
            problems.push(`${f.name} is not a subject of the provenance`);
        for (const s of named) {
            const digest = s.digest?.sha256;
            if (typeof digest !== 'string')
                problems.push(`${f.name}: the provenance subject has no sha256 digest`);
            else if (digest.toLowerCase() !== f.sha256)
                problems.push(`${f.name}: provenance digest sha256:${digest} differs from the file's sha256:${f.sha256}`);
        }
    }
    return problems;
}
function parseStatement(payload) {
    let s;
    try {
        s = JSON.parse(payload.toString('utf8'));
    }
    catch {
        throw new BundleVerificationError('the DSSE payload is not JSON');
    }
    if (!s || !Array.isArray(s.subject) || typeof s.predicateType !== 'string')
        throw new BundleVerificationError('the DSSE payload is not an in-toto statement');
    return s;
}
function sha256Hex(data) {
    return (0,external_node_crypto_.createHash)('sha256').update(data).digest('hex');
}
function parseDigest(d) {
    const m = /^(sha256|sha512):([0-9a-f]+)$/i.exec(d.trim());
    const [alg, hex] = m ? [m[1].toLowerCase(), m[2].toLowerCase()] : ['', ''];
    if (!m || hex.length !== (alg === 'sha256' ? 64 : 128))
        throw new BundleVerificationError(`not a digest of the form sha256:HEX or sha512:HEX: ${d}`);
    return [alg, hex];
}
function leafCertificate(bundle) {
    const vm = bundle.verificationMaterial.content;
    if (vm.$case === 'certificate')
        return core_dist.X509Certificate.parse(vm.certificate.rawBytes);
    if (vm.$case === 'x509CertificateChain') {
        const first = vm.x509CertificateChain.certificates[0];
        return first && core_dist.X509Certificate.parse(first.rawBytes);
    }
    return undefined;
}
/** Fulcio's v2 extensions (DER UTF8Strings) by short OID, e.g. `1.12` → `https://github.com/org/repo`. */
function fulcioExtensions(cert) {
    const out = {};
    for (let n = 8; n <= 22; n++) {
        const ext = cert.extension(`1.3.6.1.4.1.57264.1.${n}`);
        const value = ext?.valueObj.subs[0]?.value;
        if (value)
            out[`1.${n}`] = value.toString('utf8');
    }
    return out;
}
/** The policy as @sigstore/verify takes it; equality is checked afterwards (its SAN match is a regex). */
function libraryPolicy(policy) {
    if ('identity' in policy)
        return { subjectAlternativeName: `^${escapeRegExp(policy.identity)}$`, extensions: { issuer: policy.issuer } };
    if ('github' in policy)
        return {
            subjectAlternativeName: `^${escapeRegExp(`https://github.com/${policy.github.repository}/`)}`,
            extensions: { issuer: GITHUB_OIDC_ISSUER }
        };
    if ('oidcIssuer' in policy)
        return { extensions: { issuer: policy.oidcIssuer } };
    return undefined;
}
/** Runs a library call; its rejection becomes a sentence (its own words only for a coded verification error). */
function guarded(fallback, f) {
    try {
        return f();
    }
    catch (e) {
        throw new BundleVerificationError(libraryProblem(e, fallback));
    }
}


/***/ })

};
