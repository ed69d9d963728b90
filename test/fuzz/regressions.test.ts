// Every input the fuzz suite ever failed on (test/fuzz/regressions/<property>/),
// replayed through its property as a normal test.
import { describe, expect, it } from '@jest/globals';
import { knownDefect, regressions } from './harness';
import { PROPERTIES } from './properties/index';

describe('fuzz regressions', () => {
  const cases = PROPERTIES.flatMap((p) =>
    regressions(p.name).map(([file, input]) => [`${p.name}/${file}`, p, input] as const)
  );

  it('keeps inputs for the properties that ever failed', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  const fixed = cases.filter(([, p, input]) => !knownDefect(p, input as never));
  const open = cases.filter(([, p, input]) => knownDefect(p, input as never));

  it.each(fixed)('%s', async (_name, p, input) => {
    await p.check(input as never);
  });

  // Defects in code this suite may not change yet: still there (when one is fixed, this fails; drop its `known` entry).
  if (open.length)
    it.failing.each(open)('%s (known, not yet fixed)', async (_name, p, input) => {
      await p.check(input as never);
    });
});
