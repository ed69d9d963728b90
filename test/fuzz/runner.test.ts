// Fuzz: the files of a checkout through runAction, for a bounded time.
import { describe, expect, it } from '@jest/globals';
import { SEED, budget, fuzz } from './harness';
import { checkoutThroughRunner } from './properties/runner';

describe(`fuzz: the files of a checkout through runAction (seed ${SEED})`, () => {
  it(
    checkoutThroughRunner.name,
    async () => {
      expect(await fuzz(checkoutThroughRunner, 6000)).toBeGreaterThan(0);
    },
    budget(6000) + 30_000
  );
});
