// Fuzz: damaged Sigstore bundles through the verifier, for a bounded time.
import { describe, expect, it } from '@jest/globals';
import { SEED, budget, fuzz } from './harness';
import { damagedBundles } from './properties/bundles';

describe(`fuzz: damaged Sigstore bundles through the verifier (seed ${SEED})`, () => {
  it(
    damagedBundles.name,
    async () => {
      expect(await fuzz(damagedBundles, 6000)).toBeGreaterThan(0);
    },
    budget(6000) + 30_000
  );
});
