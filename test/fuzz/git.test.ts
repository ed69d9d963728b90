// Fuzz: the PR diff reader on real git repositories, for a bounded time.
import { describe, expect, it } from '@jest/globals';
import { SEED, budget, fuzz } from './harness';
import { diffReader } from './properties/git';

describe(`fuzz: the PR diff reader on real git repositories (seed ${SEED})`, () => {
  it(
    diffReader.name,
    async () => {
      expect(await fuzz(diffReader, 6000)).toBeGreaterThan(0);
    },
    budget(6000) + 30_000
  );
});
