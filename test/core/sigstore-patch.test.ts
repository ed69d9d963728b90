// The project's patch to @sigstore/core (patches/@sigstore+core+*.patch, applied
// by `npm ci` through patch-package): parsed ASN.1 objects keep the DER they came
// from, a certificate remembers its verify() answer per issuer, OID arcs are read
// without BigInt unless they need it, and a DER public key is made into a
// KeyObject once. Both must
// stay exact when something is changed after parsing, as the library's own SCT
// check changes a certificate's clone.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { resolve } from 'node:path';
import { ASN1Obj, EXTENSION_OID_SCT, X509Certificate, crypto as sigCrypto } from '@sigstore/core';
import { embeddedTrustedRoot } from '@security-actions/core/sigstore';
import { REPO_ROOT } from '../harness/run-action';

const ca = embeddedTrustedRoot().certificateAuthorities.find((c) => c.certChain!.certificates.length >= 2)!;
const [intermediateDER, rootDER] = ca.certChain!.certificates.map((c) => Buffer.from(c.rawBytes));
const bundle = JSON.parse(
  readFileSync(resolve(REPO_ROOT, '..', 'shared', 'corpora', 'sigstore-js-bundles', 'bundleV03-dsse.sigstore'), 'utf8')
);
const leafDER = Buffer.from(bundle.verificationMaterial.certificate.rawBytes, 'base64');
const oids = (c: X509Certificate) => c.extensions.map((e) => e.subs[0].toOID());

afterEach(() => {
  jest.restoreAllMocks();
});

describe('ASN1Obj.toDER after the patch', () => {
  it('gives back the bytes parsed, in a buffer the caller may write to', () => {
    for (const der of [leafDER, intermediateDER, rootDER]) {
      const cert = X509Certificate.parse(der);
      const out = cert.root.toDER();
      expect(out.equals(der)).toBe(true);
      out[0] ^= 0xff;
      expect(cert.root.toDER().equals(der)).toBe(true);
      // The TBS part is what Node's own parser reads too.
      expect(new NodeX509(cert.root.toDER()).fingerprint256).toBe(new NodeX509(der).fingerprint256);
    }
  });

  it('re-encodes a certificate whose extension was removed, as the SCT check does to a clone', () => {
    const cert = X509Certificate.parse(leafDER);
    const clone = cert.clone();
    const i = oids(clone).indexOf(EXTENSION_OID_SCT);
    expect(i).toBeGreaterThanOrEqual(0);
    const removed = clone.extensions.splice(i, 1)[0].toDER();
    const reparsed = X509Certificate.parse(clone.root.toDER() as Buffer<ArrayBuffer>);
    expect(oids(reparsed)).toEqual(oids(cert).filter((o) => o !== EXTENSION_OID_SCT));
    expect(reparsed.extensions.map((e) => e.toDER().toString('hex'))).toEqual(
      cert.extensions.filter((_, j) => j !== i).map((e) => e.toDER().toString('hex'))
    );
    // The TBS shrank by the extension (its length headers may shrink too) and the original is untouched.
    const shrink = cert.tbsCertificate.toDER().length - clone.tbsCertificate.toDER().length;
    expect(shrink).toBeGreaterThanOrEqual(removed.length);
    expect(shrink).toBeLessThanOrEqual(removed.length + 4);
    expect(cert.root.toDER().equals(leafDER)).toBe(true);
  });
});

describe('X509Certificate.verify after the patch', () => {
  it('answers again from memory for the same bytes, and checks again when they changed', () => {
    const spy = jest.spyOn(sigCrypto, 'verify');
    const intermediate = X509Certificate.parse(intermediateDER);
    const root = X509Certificate.parse(rootDER);
    expect(intermediate.verify(root)).toBe(true);
    expect(intermediate.verify(root)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);

    intermediate.serialNumber[0] ^= 1; // the parsed bytes themselves, under the signature
    expect(intermediate.verify(root)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    intermediate.serialNumber[0] ^= 1;
    expect(intermediate.verify(root)).toBe(true);

    // Another issuer object is another question, even with the same bytes.
    expect(intermediate.verify(X509Certificate.parse(leafDER))).toBe(false);
    expect(intermediate.verify(X509Certificate.parse(rootDER))).toBe(true);
  });
});

describe('OIDs and public keys after the patch', () => {
  /** An OBJECT IDENTIFIER's DER, each arc in base-128 as X.690 writes it. */
  const oidDER = (arcs: bigint[]) => {
    const body = [Number(arcs[0] * 40n + arcs[1])];
    for (let a of arcs.slice(2)) {
      const b = [Number(a & 127n)];
      for (a >>= 7n; a > 0n; a >>= 7n) b.unshift(Number(a & 127n) | 0x80);
      body.push(...b);
    }
    return Buffer.from([0x06, body.length, ...body]);
  };

  it('reads arcs of every size exactly, across the 2^53 boundary and beyond', () => {
    const cases = [
      [1n, 3n, 6n, 1n, 4n, 1n, 57264n, 1n, 1n],
      [2n, 5n, 29n, 17n],
      [1n, 2n, 2n ** 46n - 1n, 2n ** 46n, 2n ** 53n - 1n, 2n ** 53n + 1n, 2n ** 128n + 1n, 7n]
    ];
    for (const arcs of cases) expect(ASN1Obj.parseBuffer(oidDER(arcs)).toOID()).toBe(arcs.join('.'));
  });

  it('gives one KeyObject per DER key, a different one for other bytes', () => {
    const cert = X509Certificate.parse(leafDER);
    const other = X509Certificate.parse(rootDER);
    const k = sigCrypto.createPublicKey(cert.publicKey);
    expect(sigCrypto.createPublicKey(Buffer.from(cert.publicKey))).toBe(k);
    expect(sigCrypto.createPublicKey(other.publicKey)).not.toBe(k);
    expect(k.export({ format: 'der', type: 'spki' }).equals(Buffer.from(cert.publicKey))).toBe(true);
  });
});
