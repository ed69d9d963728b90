// Sigstore bundles: random damage to the real bundles of the corpora, through
// the verifier. A bundle whose signed content or signer changed never
// verifies; every rejection is a sentence about the bundle; nothing crashes.
import { readFileSync } from 'node:fs';
import { expect } from '@jest/globals';
import fc from 'fast-check';
import {
  BundleVerificationError,
  BundleVerifier,
  embeddedTrustedRoot,
  parseTrustedRoot
} from '@security-actions/core/sigstore';
import { type BaseCase, baseCases, get, isBase64, material, paths, set } from '../../sigstore/corpus';
import { type Property, RAW } from '../harness';

const BASES = baseCases();
const verifiers = new Map<string, BundleVerifier>();
const verifierFor = (c: BaseCase) => {
  if (!verifiers.has(c.name))
    verifiers.set(
      c.name,
      new BundleVerifier(c.root ? parseTrustedRoot(readFileSync(c.root, 'utf8'), c.root) : embeddedTrustedRoot(), c.key)
    );
  return verifiers.get(c.name)!;
};

type Json = Parameters<typeof paths>[0];
/** One change at a field chosen by a fraction of the bundle's paths. */
type Damage =
  | { at: number; kind: 'delete' }
  | { at: number; kind: 'replace'; value: Json }
  | { at: number; kind: 'flip-byte'; byte: number; bit: number }
  | { at: number; kind: 'cut-bytes'; keep: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ at: fc.nat(), kind: fc.constant('delete' as const) }),
  fc.record({
    at: fc.nat(),
    kind: fc.constant('replace' as const),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.base64String({ maxLength: 40 })
    )
  }),
  fc.record({
    at: fc.nat(),
    kind: fc.constant('flip-byte' as const),
    byte: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 })
  }),
  fc.record({ at: fc.nat(), kind: fc.constant('cut-bytes' as const), keep: fc.double({ min: 0, max: 1, noNaN: true }) })
);

function apply(bundle: Json, d: Damage): Json {
  const all = paths(bundle);
  if (d.kind === 'flip-byte' || d.kind === 'cut-bytes') {
    const b64 = all.filter((p) => isBase64(get(bundle, p)));
    if (!b64.length) return bundle;
    const p = b64[d.at % b64.length];
    const bytes = Buffer.from(get(bundle, p) as string, 'base64');
    if (!bytes.length) return bundle;
    if (d.kind === 'flip-byte') bytes[d.byte % bytes.length] ^= 1 << d.bit;
    return set(
      bundle,
      p,
      (d.kind === 'cut-bytes' ? bytes.subarray(0, Math.floor(d.keep * bytes.length)) : bytes).toString('base64')
    );
  }
  const p = all[d.at % all.length];
  return set(bundle, p, d.kind === 'delete' ? undefined : d.value);
}

export const damagedBundles: Property<{ base: number; damage: Damage[] }> = {
  name: 'damaged-bundles',
  arb: fc.record({
    base: fc.integer({ min: 0, max: BASES.length - 1 }),
    damage: fc.array(damage, { minLength: 1, maxLength: 3 })
  }),
  check({ base, damage: ds }) {
    const c = BASES[base];
    const original = JSON.parse(c.text) as Json;
    const bundle = ds.reduce(apply, original);
    try {
      verifierFor(c).verify(bundle, c.artifact, c.policy);
    } catch (e) {
      expect(e).toBeInstanceOf(BundleVerificationError);
      const msg = (e as Error).message;
      expect(msg).not.toMatch(/[\r\n]/);
      expect(msg).not.toMatch(RAW);
      return;
    }
    expect(material(bundle)).toBe(material(original));
  }
};
