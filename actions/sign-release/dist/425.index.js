export const id = 425;
export const ids = [425];
export const modules = {

/***/ 36425:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SigningSession: () => (/* binding */ SigningSession)
/* harmony export */ });
/* unused harmony export ReusableCertificateSigner */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _sigstore_bundle__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(61040);
/* harmony import */ var _sigstore_core__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(83917);
/* harmony import */ var _sigstore_core__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(_sigstore_core__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(15179);
// Keyless signing with one ephemeral key and one Fulcio certificate per run.
// @sigstore/sign's FulcioSigner asks Fulcio for a certificate on every
// sign() call; this signer asks once and signs every artifact with the same
// key, so a release of 100 files costs one certificate and 100 log entries.




/** The key Fulcio certifies; generated in memory, never written anywhere. */
class EphemeralKey {
    privateKey;
    publicKeyPem;
    constructor() {
        const { privateKey, publicKey } = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.generateKeyPairSync)('ec', { namedCurve: 'P-256' });
        this.privateKey = privateKey;
        this.publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString('ascii');
    }
    async sign(data) {
        return {
            signature: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.sign)('sha256', data, this.privateKey),
            key: { $case: 'publicKey', publicKey: this.publicKeyPem }
        };
    }
}
/** Sign only with a certificate that stays valid this long, so the log entry lands inside its validity. */
const CERTIFICATE_MARGIN_MS = 60_000;
/**
 * A Signer whose Fulcio certificate is requested once and reused. Fulcio's
 * certificates last 10 minutes; a run that signs for longer gets a new one
 * for the same key shortly before the old one expires.
 */
class ReusableCertificateSigner {
    now;
    key = new EphemeralKey();
    fulcio;
    certificate;
    /** Certificates obtained so far (1 for any run shorter than a certificate's life). */
    requested = 0;
    constructor(opts, now = Date.now) {
        this.now = now;
        this.fulcio = new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .FulcioSigner */ .$o({
            fulcioBaseURL: opts.fulcioURL,
            identityProvider: opts.identityProvider,
            keyHolder: this.key,
            timeout: opts.timeout
        });
    }
    /** The current leaf certificate (PEM), requested from Fulcio when there is none, the last request failed, or it is about to expire. */
    async certificatePem() {
        const cert = this.certificate;
        const current = await cert?.catch(() => undefined);
        if (current && current.notAfter - CERTIFICATE_MARGIN_MS > this.now())
            return current.pem;
        // One caller requests; concurrent callers wait for that request.
        if (this.certificate === cert)
            this.certificate = this.request();
        return (await this.certificate).pem;
    }
    async request() {
        this.requested++;
        const s = await this.fulcio.sign(Buffer.alloc(0));
        if (s.key.$case !== 'x509Certificate')
            throw new Error('Fulcio returned no certificate');
        return { pem: s.key.certificate, notAfter: _sigstore_core__WEBPACK_IMPORTED_MODULE_2__.X509Certificate.parse(s.key.certificate).notAfter.getTime() };
    }
    async sign(data) {
        const certificate = await this.certificatePem();
        const { signature } = await this.key.sign(data);
        return { signature, key: { $case: 'x509Certificate', certificate } };
    }
}
/** Signs files and attestations for one run with one certificate. */
class SigningSession {
    signer;
    messages;
    attestations;
    constructor(opts) {
        this.signer = new ReusableCertificateSigner(opts);
        const retry = { retries: 2 };
        const witnesses = (entryType) => [
            // fetchOnConflict: a retried upload whose first attempt was logged gets
            // 409 from Rekor; the existing entry is then the one to use.
            new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .RekorWitness */ .fU({ rekorBaseURL: opts.rekorURL, entryType, fetchOnConflict: true, retry, timeout: opts.timeout }),
            ...(opts.tsaURL ? [new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .TSAWitness */ .gs({ tsaBaseURL: opts.tsaURL, retry, timeout: opts.timeout })] : [])
        ];
        this.messages = new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .MessageSignatureBundleBuilder */ .z3({ signer: this.signer, witnesses: witnesses() });
        // An `intoto` Rekor entry: accepted by Rekor v1 and verifiable by every
        // client version (the `dsse` kind needs Rekor's canonicalisation).
        this.attestations = new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .DSSEBundleBuilder */ .VV({
            signer: this.signer,
            witnesses: witnesses('intoto'),
            certificateChain: false
        });
    }
    /** A bundle (v0.3, leaf certificate only) over the file's bytes. */
    async signFile(data) {
        return toV03(await this.messages.create({ data }));
    }
    /** A DSSE bundle over an in-toto statement. */
    async attest(statement) {
        const bundle = await this.attestations.create({
            data: Buffer.from(JSON.stringify(statement)),
            type: 'application/vnd.in-toto+json'
        });
        return (0,_sigstore_bundle__WEBPACK_IMPORTED_MODULE_1__.bundleToJSON)(bundle);
    }
}
/**
 * The message builder emits bundle v0.2 with a certificate chain; v0.3 (one
 * leaf certificate) is what current clients write and what
 * gh-action-sigstore-python produces.
 */
function toV03(bundle) {
    const json = (0,_sigstore_bundle__WEBPACK_IMPORTED_MODULE_1__.bundleToJSON)(bundle);
    const vm = json.verificationMaterial;
    if (vm.x509CertificateChain) {
        vm.certificate = { rawBytes: vm.x509CertificateChain.certificates[0].rawBytes };
        delete vm.x509CertificateChain;
    }
    json.mediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json';
    return json;
}


/***/ })

};
