// Keyless signing with one ephemeral key and one Fulcio certificate per run.
// @sigstore/sign's FulcioSigner asks Fulcio for a certificate on every
// sign() call; this signer asks once and signs every artifact with the same
// key, so a release of 100 files costs one certificate and 100 log entries.
import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { type Bundle, bundleToJSON } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import {
  DSSEBundleBuilder,
  FulcioSigner,
  type IdentityProvider,
  MessageSignatureBundleBuilder,
  RekorWitness,
  type Signature,
  type Signer,
  TSAWitness,
  type Witness
} from '@sigstore/sign';

export type SerializedBundle = ReturnType<typeof bundleToJSON>;

/** The key Fulcio certifies; generated in memory, never written anywhere. */
class EphemeralKey implements Signer {
  private readonly privateKey: KeyObject;
  readonly publicKeyPem: string;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString('ascii');
  }

  async sign(data: Buffer): Promise<Signature> {
    return {
      signature: cryptoSign('sha256', data, this.privateKey),
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
export class ReusableCertificateSigner implements Signer {
  private readonly key = new EphemeralKey();
  private readonly fulcio: FulcioSigner;
  private certificate?: Promise<{ pem: string; notAfter: number }>;
  /** Certificates obtained so far (1 for any run shorter than a certificate's life). */
  requested = 0;

  constructor(
    opts: { fulcioURL: string; identityProvider: IdentityProvider; timeout?: number },
    private readonly now: () => number = Date.now
  ) {
    this.fulcio = new FulcioSigner({
      fulcioBaseURL: opts.fulcioURL,
      identityProvider: opts.identityProvider,
      keyHolder: this.key,
      timeout: opts.timeout
    });
  }

  /** The current leaf certificate (PEM), requested from Fulcio when there is none, the last request failed, or it is about to expire. */
  async certificatePem(): Promise<string> {
    const cert = this.certificate;
    const current = await cert?.catch(() => undefined);
    if (current && current.notAfter - CERTIFICATE_MARGIN_MS > this.now()) return current.pem;
    // One caller requests; concurrent callers wait for that request.
    if (this.certificate === cert) this.certificate = this.request();
    return (await this.certificate!).pem;
  }

  private async request(): Promise<{ pem: string; notAfter: number }> {
    this.requested++;
    const s = await this.fulcio.sign(Buffer.alloc(0));
    if (s.key.$case !== 'x509Certificate') throw new Error('Fulcio returned no certificate');
    return { pem: s.key.certificate, notAfter: X509Certificate.parse(s.key.certificate).notAfter.getTime() };
  }

  async sign(data: Buffer): Promise<Signature> {
    const certificate = await this.certificatePem();
    const { signature } = await this.key.sign(data);
    return { signature, key: { $case: 'x509Certificate', certificate } };
  }
}

export interface SigningOptions {
  fulcioURL: string;
  rekorURL: string;
  tsaURL?: string;
  identityProvider: IdentityProvider;
  timeout?: number;
}

/** Signs files and attestations for one run with one certificate. */
export class SigningSession {
  readonly signer: ReusableCertificateSigner;
  private readonly messages: MessageSignatureBundleBuilder;
  private readonly attestations: DSSEBundleBuilder;

  constructor(opts: SigningOptions) {
    this.signer = new ReusableCertificateSigner(opts);
    const retry = { retries: 2 };
    const witnesses = (entryType?: 'intoto'): Witness[] => [
      // fetchOnConflict: a retried upload whose first attempt was logged gets
      // 409 from Rekor; the existing entry is then the one to use.
      new RekorWitness({ rekorBaseURL: opts.rekorURL, entryType, fetchOnConflict: true, retry, timeout: opts.timeout }),
      ...(opts.tsaURL ? [new TSAWitness({ tsaBaseURL: opts.tsaURL, retry, timeout: opts.timeout })] : [])
    ];
    this.messages = new MessageSignatureBundleBuilder({ signer: this.signer, witnesses: witnesses() });
    // An `intoto` Rekor entry: accepted by Rekor v1 and verifiable by every
    // client version (the `dsse` kind needs Rekor's canonicalisation).
    this.attestations = new DSSEBundleBuilder({
      signer: this.signer,
      witnesses: witnesses('intoto'),
      certificateChain: false
    });
  }

  /** A bundle (v0.3, leaf certificate only) over the file's bytes. */
  async signFile(data: Buffer): Promise<SerializedBundle> {
    return toV03(await this.messages.create({ data }));
  }

  /** A DSSE bundle over an in-toto statement. */
  async attest(statement: object): Promise<SerializedBundle> {
    const bundle = await this.attestations.create({
      data: Buffer.from(JSON.stringify(statement)),
      type: 'application/vnd.in-toto+json'
    });
    return bundleToJSON(bundle);
  }
}

/**
 * The message builder emits bundle v0.2 with a certificate chain; v0.3 (one
 * leaf certificate) is what current clients write and what
 * gh-action-sigstore-python produces.
 */
function toV03(bundle: Bundle): SerializedBundle {
  const json = bundleToJSON(bundle) as SerializedBundle & { verificationMaterial: Record<string, unknown> };
  const vm = json.verificationMaterial as {
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
    certificate?: { rawBytes: string };
  };
  if (vm.x509CertificateChain) {
    vm.certificate = { rawBytes: vm.x509CertificateChain.certificates[0].rawBytes };
    delete vm.x509CertificateChain;
  }
  json.mediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json';
  return json;
}
