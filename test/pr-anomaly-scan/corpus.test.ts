// The labelled corpus through the engine: every malicious case fires its
// rules and scores above zero, no benign case raises an unexpected rule or scores 2 or more, and the precision
// and recall table in docs/pr-anomaly-scan.md is the one measured here
// (UPDATE_DOCS=1 rewrites it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '../harness/run-action';
import { CASES, trojanSourceCases } from './corpus/cases';
import { type CaseResult, metricsTable, runCase } from './corpus/evaluate';

const ALL = [...CASES, ...trojanSourceCases()];
const results: CaseResult[] = [];

describe('pr-anomaly-scan corpus', () => {
  it.each(ALL.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const r = await runCase(c);
    results.push(r);
    expect(r.errors).toEqual([]);
    for (const rule of c.expect) expect([...r.fired]).toContain(rule);
    if (c.label === 'benign') {
      const unexpected = [...r.fired].filter((id) => !(c.also ?? []).includes(id) && !c.expect.includes(id));
      expect(unexpected).toEqual([]);
      expect(r.score).toBeLessThan(2);
    } else {
      expect(r.score).toBeGreaterThan(0);
    }
  });

  it('has the measured precision and recall in the docs', () => {
    expect(results.length).toBe(ALL.length);
    const table = metricsTable(results);
    const doc = join(REPO_ROOT, 'docs', 'pr-anomaly-scan.md');
    const text = readFileSync(doc, 'utf8');
    const re = /<!-- corpus-metrics:start -->\n(?:[\s\S]*?\n)?<!-- corpus-metrics:end -->/;
    if (process.env.UPDATE_DOCS)
      writeFileSync(
        doc,
        text.replace(re, () => `<!-- corpus-metrics:start -->\n${table}\n<!-- corpus-metrics:end -->`)
      );
    else expect(re.exec(text)?.[0]).toBe(`<!-- corpus-metrics:start -->\n${table}\n<!-- corpus-metrics:end -->`);
  });
});
