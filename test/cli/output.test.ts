// What a report command prints when it runs several checks (as `scan` will):
// one combined JSON report, the verdict over all of them, and workflow
// annotations escaped as the runner reads them.
import { describe, expect, it } from '@jest/globals';
import type { Check } from '../../packages/cli/src/commands/types';
import { combine, githubAnnotations, verdictOf } from '../../packages/cli/src/output';
import type { CheckRun } from '../../packages/cli/src/run';
import { finding, report, rule } from '../core/helpers';

const rA = rule('a/one', 'high');
const rB = rule('b/two', 'low');
const check = (name: string, filesFlag?: string): Check => ({
  name,
  load: () => Promise.reject(new Error('not loaded here')),
  inputs: {},
  looksFor: 'files of a kind',
  filesFlag
});
const a = report({
  name: 'alpha',
  rules: [rA],
  findings: [finding(rA, { location: { file: 'x.yml', line: 2 }, message: 'a, with: colon\nand newline' })],
  stats: { files: 3 },
  startedAt: '2026-01-01T00:00:01.000Z',
  finishedAt: '2026-01-01T00:00:03.000Z'
});
const b = report({
  name: 'beta',
  rules: [rB],
  findings: [finding(rB, { message: 'b' })],
  notChecked: [{ check: 'b/net', reason: 'offline' }],
  stats: { files: 4 },
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:02.000Z'
});

describe('combine', () => {
  it('one report is returned as it is', () => {
    expect(combine('scan', [a])).toBe(a);
  });

  it('several become one report under the command name, each figure named by its check', () => {
    const c = combine('scan', [a, b]);
    expect(c.name).toBe('scan');
    expect(c.findings.map((f) => f.ruleId)).toEqual(['a/one', 'b/two']); // most severe first
    expect(c.rules.map((r) => r.id)).toEqual(['a/one', 'b/two']);
    expect(c.notChecked).toEqual(b.notChecked);
    expect(c.stats).toEqual({ 'alpha: files': 3, 'beta: files': 4 });
    expect([c.startedAt, c.finishedAt]).toEqual([b.startedAt, a.finishedAt]);
  });
});

describe('verdictOf over several checks', () => {
  const run = (r: typeof a, c: Check, failed = false): CheckRun => ({ check: c, report: r, failed });

  it('fails when any check fails, counting findings at or above --fail-on across all', () => {
    const v = verdictOf([run(a, check('alpha'), true), run(b, check('beta'))], {}, 'low', '/repo');
    expect(v).toEqual({ code: 1, statements: [], line: 'FAIL: 1 high, 1 low at or above --fail-on low' });
  });

  it('an error in any report is an input error, 2', () => {
    const broken = { ...b, errors: ['cfg.yml:3: bad'] };
    expect(verdictOf([run(a, check('alpha')), run(broken, check('beta'))], {}, 'high', '/r').code).toBe(2);
  });

  it('a file that could not be read fails at any --fail-on but none, and is never a clean pass', () => {
    const broken = {
      ...b,
      notChecked: [...b.notChecked, { check: 'deps', reason: 'x.toml:2: invalid TOML', input: true }]
    };
    const failed = verdictOf([run(broken, check('beta'), true)], {}, 'high', '/r');
    expect(failed).toEqual({ code: 1, statements: [], line: 'FAIL: 1 file could not be read' });
    const none = verdictOf([run(broken, check('beta'))], {}, 'none', '/r');
    expect(none).toEqual({
      code: 0,
      statements: [],
      line: 'INCOMPLETE: nothing at or above --fail-on none, but 1 file could not be read (see NOT CHECKED)'
    });
  });

  it('nothing to check anywhere is said, per check, from the reports (not their figures); one check with files is enough to pass normally', () => {
    const empty = { ...b, findings: [], notChecked: [], examined: 0 };
    const none = verdictOf([run(empty, check('beta'))], {}, 'high', '/r');
    expect(none.code).toBe(0);
    expect(none.statements).toEqual(['beta: nothing to check in /r: no files of a kind found.']);
    expect(none.line).toMatch(/^NOTHING CHECKED/);
    const some = verdictOf(
      [run({ ...a, examined: 5 }, check('alpha')), run(empty, check('beta'))],
      {},
      'critical',
      '/r'
    );
    expect(some.line).toBe('PASS: nothing at or above --fail-on critical (1 finding below it)');
    // A report that does not say what it examined (no files involved) is never "nothing to check".
    expect(verdictOf([run({ ...b, findings: [] }, check('beta'))], {}, 'high', '/r').line).toMatch(/^PASS/);
  });

  it('files named on the command line that match nothing are an input error', () => {
    const v = verdictOf(
      [run({ ...b, findings: [], examined: 0 }, check('beta', 'files'))],
      { files: 'x/*' },
      'high',
      '/r'
    );
    expect(v.code).toBe(2);
    expect(v.statements[0]).toBe("beta: --files 'x/*' matched no file it checks (files of a kind).");
  });
});

describe('githubAnnotations', () => {
  it('escapes each annotation onto one line the way @actions/core does', () => {
    const lines = githubAnnotations(a).trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `::error file=x.yml,line=2,title=Title of a/one (a/one)::a, with: colon%0Aand newline%0AFix: Fix a/one like this.`
    );
    expect(githubAnnotations(b)).toContain('::warning title=Not checked%3A b/net::offline\n');
  });
});
