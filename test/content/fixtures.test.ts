// Small fixtures derived from public repositories (each with its source and
// commit in fixtures/index.json): malicious samples from GuardDog's and SAP's
// annotated test data, and the lines of real scientific trees that earlier
// versions of these rules flagged wrongly, each pinned to the verdict its
// review gave (docs/content-rules.md, "Real trees").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Severity } from '@security-actions/core';
import { added, file } from './helpers';

interface Fixture {
  file: string;
  source: string;
  mode: 'added' | 'file';
  as: string;
  /** Rule → the severity it must report, or null for a rule that must stay quiet. */
  expect: Record<string, Severity | null>;
}

const dir = join(import.meta.dirname, 'fixtures');
const FIXTURES: Fixture[] = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));

describe('derived fixtures', () => {
  it.each(FIXTURES.map((f) => [f.file, f] as const))('%s', (_name, f) => {
    const text = readFileSync(join(dir, f.file), 'utf8');
    const found = f.mode === 'added' ? added(f.as, text.replace(/\n$/, '')) : file(f.as, text);
    for (const [rule, severity] of Object.entries(f.expect)) {
      const got = found.filter((x) => x.ruleId === rule).map((x) => x.severity);
      if (severity === null) expect(got).toEqual([]);
      else expect(got.length ? [...new Set(got)] : ['(none)']).toEqual([severity]);
    }
  });

  it('name a commit-pinned source for each fixture', () => {
    for (const f of FIXTURES) expect(f.source).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//);
  });
});
