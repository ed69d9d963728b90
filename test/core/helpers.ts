// Small builders shared by the core tests. Not a test file (no .test.ts).
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { resolve } from 'node:path';
import { startFakePyPI } from '../fakes/pypi/server.mjs';
import { loadWorldFile } from '../fakes/pypi/world.mjs';
import {
  type Finding,
  type FindingInput,
  type Report,
  type Rule,
  createFinding
} from '../../packages/core/src/findings';
import type { Severity } from '../../packages/core/src/severity';
import type { SpecClause } from '../../packages/core/src/spec';

export function rule(id: string, severity: Severity, extra: Partial<Rule> = {}): Rule {
  return {
    id,
    group: id.split('/')[0],
    title: `Title of ${id}`,
    severity,
    why: `Why ${id} matters.`,
    remediation: `Fix ${id} like this.`,
    spec: ['S8-9' as SpecClause],
    ...extra
  };
}

export function finding(r: Rule, input: Partial<FindingInput> = {}): Finding {
  return createFinding(r, { message: `A ${r.id} occurrence.`, ...input });
}

export function report(partial: Partial<Report> = {}): Report {
  return {
    tool: { name: 'security-actions', version: '0.1.0', uri: 'https://github.com/scientific-python/security-actions' },
    name: 'verify-deps',
    startedAt: '2025-06-15T12:00:00.000Z',
    finishedAt: '2025-06-15T12:00:05.000Z',
    rules: [],
    findings: [],
    notChecked: [],
    stats: {},
    notes: [],
    errors: [],
    ...partial
  };
}

/** 1-based number of the first line of `text` containing `needle`; throws if absent so a typo can't pass. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`fixture has no line containing ${needle}`);
  return i + 1;
}

/** The fake PyPI serving its example world to one test file: started before all, its faults cleared after each. */
export function useExamplePyPI(): () => Awaited<ReturnType<typeof startFakePyPI>> {
  let fake: Awaited<ReturnType<typeof startFakePyPI>>;
  beforeAll(async () => {
    fake = await startFakePyPI({
      world: loadWorldFile(resolve(import.meta.dirname, '../fakes/pypi/example-world.json'))
    });
  });
  afterAll(() => fake.close());
  afterEach(() => fake.setFaults([]));
  return () => fake;
}
