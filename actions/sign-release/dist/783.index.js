export const id = 783;
export const ids = [783];
export const modules = {

/***/ 49783:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BundleVerifier: () => (/* binding */ BundleVerifier),
/* harmony export */   GITHUB_OIDC_ISSUER: () => (/* binding */ GITHUB_OIDC_ISSUER),
/* harmony export */   checkSubjects: () => (/* binding */ checkSubjects),
/* harmony export */   fetchTrustedRoot: () => (/* binding */ fetchTrustedRoot),
/* harmony export */   fulcioExtensions: () => (/* binding */ fulcioExtensions),
/* harmony export */   readTrustedRoot: () => (/* binding */ readTrustedRoot),
/* harmony export */   sha256Hex: () => (/* binding */ sha256Hex)
/* harmony export */ });
/* unused harmony exports IN_TOTO_PAYLOAD_TYPE, BundleVerificationError, parseTrustedRoot, embeddedTrustedRoot, githubIdentityProblem, escapeRegExp, parseStatement */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _sigstore_bundle__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(61040);
/* harmony import */ var _sigstore_core__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(83917);
/* harmony import */ var _sigstore_core__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(_sigstore_core__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(19654);
/* harmony import */ var _sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(_sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _sigstore_verify__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(54187);
/* harmony import */ var _sigstore_tuf_seeds_json__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8032);
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
        throw new BundleVerificationError(`${file}: not valid JSON (${e.message})`);
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
        return _sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_4__.TrustedRoot.fromJSON(json);
    }
    catch (e) {
        throw new BundleVerificationError(`${file}: not a Sigstore trusted root (${e.message})`);
    }
}
async function readTrustedRoot(file) {
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(file, 'utf8');
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
        return `certificate identity ${JSON.stringify(san)} is not a workflow of ${want.repository}`;
    const rest = san.slice(prefix.length);
    const at = rest.indexOf('@');
    const [path, ref] = at < 0 ? [rest, ''] : [rest.slice(0, at), rest.slice(at + 1)];
    if (!path.startsWith('.github/workflows/') || path.includes('..'))
        return `certificate identity ${JSON.stringify(san)} is not a GitHub Actions workflow`;
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
                publicKey = _sigstore_core__WEBPACK_IMPORTED_MODULE_3__.crypto.createPublicKey(key);
            }
            catch (e) {
                throw new BundleVerificationError(`the public key is not a PEM public key (${e.message})`);
            }
            // The caller names the key, so every hint resolves to it.
            trust = (0,_sigstore_verify__WEBPACK_IMPORTED_MODULE_5__/* .toTrustMaterial */ .jO)(root, () => ({ publicKey, validFor: () => true }));
        }
        else {
            trust = (0,_sigstore_verify__WEBPACK_IMPORTED_MODULE_5__/* .toTrustMaterial */ .jO)(root);
        }
        this.verifier = new _sigstore_verify__WEBPACK_IMPORTED_MODULE_5__/* .Verifier */ .BL(trust);
    }
    /** Verifies one bundle (parsed JSON); throws BundleVerificationError with the reason. */
    verify(bundleJson, artifact, policy) {
        let bundle;
        try {
            bundle = (0,_sigstore_bundle__WEBPACK_IMPORTED_MODULE_2__.bundleFromJSON)(bundleJson);
        }
        catch (e) {
            throw new BundleVerificationError(`malformed bundle: ${firstLine(e)}`);
        }
        const kind = bundle.content.$case === 'dsseEnvelope' ? 'dsse' : 'message-signature';
        let entity;
        if ('bytes' in artifact) {
            entity = (0,_sigstore_verify__WEBPACK_IMPORTED_MODULE_5__/* .toSignedEntity */ .DC)(bundle, artifact.bytes);
        }
        else {
            if (kind !== 'dsse')
                throw new BundleVerificationError('a message-signature bundle is verified against the file itself, not a digest');
            entity = (0,_sigstore_verify__WEBPACK_IMPORTED_MODULE_5__/* .toSignedEntity */ .DC)(bundle);
        }
        let signer;
        try {
            signer = this.verifier.verify(entity, 'identity' in policy
                ? { subjectAlternativeName: `^${escapeRegExp(policy.identity)}$`, extensions: { issuer: policy.issuer } }
                : 'github' in policy
                    ? {
                        subjectAlternativeName: `^${escapeRegExp(`https://github.com/${policy.github.repository}/`)}`,
                        extensions: { issuer: GITHUB_OIDC_ISSUER }
                    }
                    : 'oidcIssuer' in policy
                        ? { extensions: { issuer: policy.oidcIssuer } }
                        : undefined);
        }
        catch (e) {
            throw new BundleVerificationError(firstLine(e));
        }
        const result = { kind, extensions: {} };
        const leaf = leafCertificate(bundle);
        if (leaf) {
            result.identity = signer.identity?.subjectAlternativeName;
            result.issuer = signer.identity?.extensions?.issuer;
            result.extensions = fulcioExtensions(leaf);
        }
        if ('identity' in policy) {
            // The library matched a regex; require equality ourselves.
            if (result.identity !== policy.identity)
                throw new BundleVerificationError(`certificate identity ${JSON.stringify(result.identity)} is not ${JSON.stringify(policy.identity)}`);
            if (result.issuer !== policy.issuer)
                throw new BundleVerificationError(`certificate issuer ${JSON.stringify(result.issuer)} is not ${JSON.stringify(policy.issuer)}`);
        }
        if ('oidcIssuer' in policy && (!leaf || result.issuer !== policy.oidcIssuer)) {
            throw new BundleVerificationError(`certificate issuer ${JSON.stringify(result.issuer)} is not ${JSON.stringify(policy.oidcIssuer)}`);
        }
        if ('github' in policy) {
            const problem = (result.issuer !== GITHUB_OIDC_ISSUER
                ? `certificate issuer ${JSON.stringify(result.issuer)} is not ${GITHUB_OIDC_ISSUER}`
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
        const s = statement.subject.find((x) => x.name === f.name);
        if (!s)
            problems.push(`${f.name} is not a subject of the provenance`);
        else if (s.digest?.sha256 !== f.sha256)
            problems.push(`${f.name}: provenance digest sha256:${s.digest?.sha256} differs from the file's sha256:${f.sha256}`);
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
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('hex');
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
        return _sigstore_core__WEBPACK_IMPORTED_MODULE_3__.X509Certificate.parse(vm.certificate.rawBytes);
    if (vm.$case === 'x509CertificateChain') {
        const first = vm.x509CertificateChain.certificates[0];
        return first && _sigstore_core__WEBPACK_IMPORTED_MODULE_3__.X509Certificate.parse(first.rawBytes);
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
function firstLine(e) {
    const err = e;
    const msg = (err?.message ?? String(e)).split('\n')[0];
    return err?.code && !msg.includes(err.code) ? `${err.code}: ${msg}` : msg;
}


/***/ })

};
