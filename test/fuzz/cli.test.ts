// Fuzz: the CLI's arguments, for a bounded time.
import { describe, expect, it } from '@jest/globals';
import { SEED, budget, fuzz } from './harness';
import { cliArguments } from './properties/cli';

describe(`fuzz: the CLI's arguments (seed ${SEED})`, () => {
  it(
    cliArguments.name,
    async () => {
      expect(await fuzz(cliArguments, 6000)).toBeGreaterThan(0);
    },
    budget(6000) + 30_000
  );
});
