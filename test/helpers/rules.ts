// Assertions about which rules fire. Tests state both sides through these two
// helpers (a case where a rule must fire, one where it must stay quiet), and
// test/rules.test.ts reads every test file for them: a rule no test names in
// both is reported there.
import { expect } from '@jest/globals';

type HasRule = { ruleId: string; suppression?: unknown };

const active = (findings: readonly HasRule[], id: string) => findings.filter((f) => f.ruleId === id && !f.suppression);

/** The rule fires (at least once, or exactly `count` times) among the unsuppressed findings. */
export function expectFires(findings: readonly HasRule[], id: string, count?: number): void {
  const hits = active(findings, id);
  if (count === undefined) expect(hits.length).toBeGreaterThan(0);
  else expect(hits.length).toBe(count);
}

/** The rule raises no unsuppressed finding. */
export function expectQuiet(findings: readonly HasRule[], id: string): void {
  expect(active(findings, id).map((f) => JSON.stringify(f).slice(0, 300))).toEqual([]);
}
