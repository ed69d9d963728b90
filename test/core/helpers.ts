// Small builders shared by the core tests. Not a test file (no .test.ts).
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
