// fulcioExtensions reads a certificate's extensions in one pass; it must give what a lookup per OID gives
// (`cert.extension(oid)`, the first extension of that OID) on every certificate of the real corpora.
import { describe, expect, it } from '@jest/globals';
import { X509Certificate } from '@sigstore/core';
import { fulcioExtensions } from '@security-actions/core/sigstore';
import { baseCases } from './corpus';

type Json = Record<string, unknown>;

/** Every certificate a bundle carries (leaf or chain), as DER. */
function certificates(text: string): Buffer<ArrayBuffer>[] {
  const vm = (JSON.parse(text) as Json).verificationMaterial as Json;
  const raws = [
    (vm.certificate as Json | undefined)?.rawBytes,
    ...(((vm.x509CertificateChain as Json | undefined)?.certificates as Json[] | undefined) ?? []).map(
      (c) => c.rawBytes
    )
  ];
  return raws.filter((r): r is string => typeof r === 'string').map((r) => Buffer.from(r, 'base64'));
}

describe('fulcioExtensions', () => {
  it('agrees with one lookup per OID on every certificate of the corpora', () => {
    const certs = baseCases().flatMap((c) => certificates(c.text).map((der) => X509Certificate.parse(der)));
    let withExtensions = 0;
    for (const cert of certs) {
      const byLookup: Record<string, string> = {};
      for (let n = 8; n <= 22; n++) {
        const value = cert.extension(`1.3.6.1.4.1.57264.1.${n}`)?.valueObj.subs[0]?.value;
        if (value) byLookup[`1.${n}`] = value.toString('utf8');
      }
      expect(fulcioExtensions(cert)).toEqual(byLookup);
      if (Object.keys(byLookup).length) withExtensions++;
    }
    // Fulcio leaves from GitHub and GitLab carry the v2 extensions; key-signed bundles carry none.
    expect(withExtensions).toBeGreaterThan(5);
  });
});
