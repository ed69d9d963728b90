import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatorCode } from '../../scripts/config-schema.mjs';
import { type Config, EMPTY_CONFIG, applyConfig, parseConfig } from '../../packages/core/src/config';
import { UserError } from '../../packages/core/src/errors';
import type { Finding } from '../../packages/core/src/findings';
import type { SuppressionEntry } from '../../packages/core/src/suppress';
import { finding, lineOf, rule } from './helpers';

const FILE = '.github/security-actions.yml';

/** The error parseConfig throws for `text`; fails the test if it does not throw. */
function errorOf(text: string): Error {
  try {
    parseConfig(text, FILE);
  } catch (e) {
    return e as Error;
  }
  throw new Error('parseConfig accepted invalid config');
}

/** Asserts a one-line `file:line: ...` error whose line is that of `needle` in the fixture. */
function expectErrorAt(text: string, needle: string, mentions: RegExp): void {
  const e = errorOf(text);
  expect(e).toBeInstanceOf(UserError);
  expect(e.message).not.toMatch(/\n/);
  const m = /^(.+):(\d+): (.+)$/.exec(e.message);
  expect(m).not.toBeNull();
  expect(m![1]).toBe(FILE);
  expect(Number(m![2])).toBe(lineOf(text, needle));
  expect(m![3]).toMatch(mentions);
}

const VALID = `# security-actions settings
version: 1
rules:
  workflow/unpinned-action:
    severity: critical
    reason: we publish from CI
  deps/no-hash: {severity: low}
ignores:
  - rule: deps/no-hash
    path: docs/**
    reason: docs builds are never installed by users
  - fingerprint: 0123456789abcdef0123456789abcdef
    reason: reviewed by two maintainers
    expires: 2030-01-31
  - rule: workflow/unpinned-action
    path: .github/workflows/ci.yml
    line: 12
    reason: first-party action, pinned by tag on purpose
verify-deps:
  provenance: require
access-audit:
  max-owners: 3
unknown-section-is-not-allowed-so-not-here: null
`.replace(/^unknown-section.*\n/m, '');

describe('parseConfig: valid files', () => {
  it('reads rules, ignores (with their source line) and action sections', () => {
    const c = parseConfig(VALID, FILE);
    expect(c.file).toBe(FILE);
    expect(c.rules).toEqual({
      'workflow/unpinned-action': { severity: 'critical', reason: 'we publish from CI' },
      'deps/no-hash': { severity: 'low' }
    });
    expect(c.ignores).toHaveLength(3);
    expect(c.ignores[0]).toMatchObject({
      rule: 'deps/no-hash',
      path: 'docs/**',
      reason: 'docs builds are never installed by users'
    });
    expect(c.ignores[0].source).toBe(`${FILE}:${lineOf(VALID, '- rule: deps/no-hash')}`);
    expect(c.ignores[1]).toMatchObject({ fingerprint: '0123456789abcdef0123456789abcdef', expires: '2030-01-31' });
    expect(c.ignores[1].source).toBe(`${FILE}:${lineOf(VALID, '- fingerprint:')}`);
    expect(c.ignores[2]).toMatchObject({ line: 12, path: '.github/workflows/ci.yml' });
    expect(c.ignores[2].source).toBe(`${FILE}:${lineOf(VALID, '- rule: workflow/unpinned-action')}`);
    expect(c.sections).toEqual({ 'verify-deps': { provenance: 'require' }, 'access-audit': { 'max-owners': 3 } });
  });

  it('an unquoted date stays a string (YAML 1.2 core schema)', () => {
    const c = parseConfig('ignores:\n  - rule: a/b\n    reason: because reasons\n    expires: 2030-02-28\n', FILE);
    expect(c.ignores[0].expires).toBe('2030-02-28');
  });

  it('an empty file or one with only comments is an empty config', () => {
    for (const text of ['', '# nothing yet\n']) {
      const c = parseConfig(text, FILE);
      expect(c.rules).toEqual(EMPTY_CONFIG.rules);
      expect(c.ignores).toEqual([]);
      expect(c.sections).toEqual({});
    }
  });
});

describe('parseConfig: each invalid file gives one line naming file:line', () => {
  it('unknown key inside an ignore: the line of that key', () => {
    const text = 'version: 1\nignores:\n  - rule: a/b\n    reason: because reasons\n    colour: red\n';
    expectErrorAt(text, 'colour: red', /unknown key 'colour'/);
  });

  it('unknown top-level key (a typo): the line of that key, not line 1', () => {
    const text = '# config\nversion: 1\nrules:\n  a/b: {severity: high}\nignore:\n  - rule: a/b\n';
    expectErrorAt(text, 'ignore:', /unknown key 'ignore'/);
  });

  it('missing reason: the line of the entry', () => {
    const text = 'ignores:\n  - rule: a/b\n    reason: fine enough\n  - rule: c/d\n    path: src/**\n';
    expectErrorAt(text, '- rule: c/d', /'reason' is required/);
  });

  it('a reason too short to explain anything', () => {
    const text = 'ignores:\n  - rule: a/b\n    reason: ok\n';
    expectErrorAt(text, 'reason: ok', /reason/);
  });

  it('an ignore with neither rule nor fingerprint', () => {
    const text =
      'ignores:\n  - rule: a/b\n    reason: because reasons\n  - path: src/x.py\n    reason: because reasons\n';
    expectErrorAt(text, '- path: src/x.py', /rule|fingerprint/);
  });

  it('bad severity: the line of the value, listing allowed values', () => {
    const text = 'version: 1\nrules:\n  a/b:\n    severity: urgent\n';
    expectErrorAt(text, 'severity: urgent', /info\|low\|medium\|high\|critical/);
  });

  it('bad rule id as a key of rules: names the key and its line', () => {
    const text = 'rules:\n  a/b: {severity: high}\n  Bad_Rule: {severity: low}\n';
    expectErrorAt(text, 'Bad_Rule', /Bad_Rule/);
  });

  it('bad date (not YYYY-MM-DD): the line of expires', () => {
    const text = 'ignores:\n  - rule: a/b\n    reason: because reasons\n    expires: next week\n';
    expectErrorAt(text, 'expires: next week', /expires/);
  });

  it('impossible calendar dates are refused, not compared as strings', () => {
    for (const date of ['2025-02-30', '2025-13-01', '2025-00-10', '2025-04-31']) {
      const text = `ignores:\n  - rule: a/b\n    reason: because reasons\n  - rule: c/d\n    reason: because reasons\n    expires: ${date}\n`;
      expectErrorAt(text, `expires: ${date}`, new RegExp(`expires.*${date}|${date}`));
    }
    // A real leap day is fine.
    expect(
      parseConfig('ignores:\n  - rule: a/b\n    reason: because reasons\n    expires: 2028-02-29\n', FILE).ignores[0]
        .expires
    ).toBe('2028-02-29');
  });

  it('YAML syntax error: the line of the broken construct', () => {
    const text = 'version: 1\nignores:\n  - rule: a: b\n    reason: because reasons\n';
    expectErrorAt(text, 'rule: a: b', /YAML|mapping/i);
  });

  it('YAML syntax error at end of input: a line inside the file', () => {
    const text = 'version: 1\nrules: [unclosed\n';
    const e = errorOf(text);
    const line = Number(/^[^:]+:(\d+): /.exec(e.message)?.[1]);
    expect(line).toBeGreaterThanOrEqual(lineOf(text, 'rules: [unclosed'));
    expect(line).toBeLessThanOrEqual(text.trimEnd().split('\n').length);
    expect(e.message).not.toMatch(/\n/);
  });

  it('duplicate key: the line of the second occurrence', () => {
    const text = 'version: 1\nrules:\n  a/b: {severity: high}\n  c/d: {severity: low}\n  a/b: {severity: low}\n';
    const second = text.split('\n').lastIndexOf('  a/b: {severity: low}') + 1;
    const e = errorOf(text);
    expect(e.message).toMatch(new RegExp(`^${FILE.replace(/\./g, '\\.')}:${second}: .*unique`));
    expect(e.message).not.toMatch(/\n/);
  });

  it('`line` without `path`: the line of the entry', () => {
    const text =
      'ignores:\n  - rule: a/b\n    reason: because reasons\n  - rule: a/b\n    line: 4\n    reason: because reasons\n';
    const entry = text.split('\n').lastIndexOf('  - rule: a/b') + 1;
    const e = errorOf(text);
    expect(e.message).toBe(`${FILE}:${entry}: an ignore with \`line\` also needs \`path\``);
  });

  it('a top level that is not a mapping', () => {
    expect(errorOf('- a\n- b\n').message).toMatch(new RegExp(`^${FILE.replace(/\./g, '\\.')}:1: `));
  });

  it('an unsupported version', () => {
    expectErrorAt('# hi\nversion: 2\n', 'version: 2', /version/);
  });

  it('an alias to no anchor: the line of the alias (it was an error without file or line)', () => {
    expect(errorOf('version: 1\nrules:\n  <<: [*a, *b]\n').message).toBe(
      `${FILE}:3: invalid YAML: the alias *a names no anchor set before it`
    );
  });

  it('aliases that expand to far more data than the file holds: refused at the first alias', () => {
    const level = (name: string, of: string) => `${name}: &${name} [${Array(9).fill(of).join(', ')}]\n`;
    const text = `x:\n  ${level('a', 'lol')}  ${level('b', '*a')}  ${level('c', '*b')}  ${level('d', '*c')}  e: [*d, *d]\n`;
    expect(errorOf(text).message).toBe(`${FILE}:3: invalid YAML: its aliases expand to far more data than it holds`);
  });

  it('a key with a carriage return or other control character is named on one line, escaped', () => {
    expect(errorOf('\rversion: 1\n').message).toBe(`${FILE}:1: top level: unknown key '\\rversion'`);
    expect(errorOf('ver\u001bsion: 1\n').message).toBe(`${FILE}:1: top level: unknown key 'ver\\u001bsion'`);
  });
});

describe('applyConfig', () => {
  const unpinned = rule('workflow/unpinned-action', 'high');
  const noHash = rule('deps/no-hash', 'medium');
  const bidi = rule('source/bidi-control', 'critical', { pathIgnorable: false });
  const pathIgnorable = (id: string) => id !== bidi.id;
  const TODAY = '2025-06-15';

  function config(yaml: string): Config {
    return parseConfig(yaml, FILE);
  }
  const apply = (fs: Finding[], c: Config, today = TODAY) => applyConfig(fs, c, { today, pathIgnorable });

  const fUnpinnedCi = finding(unpinned, {
    location: { file: '.github/workflows/ci.yml', line: 12 },
    evidence: 'uses: a/b@v1'
  });
  const fUnpinnedRel = finding(unpinned, {
    location: { file: '.github/workflows/release.yml', line: 30 },
    evidence: 'uses: c/d@v2'
  });
  const fNoHashDocs = finding(noHash, { location: { file: 'docs/requirements.txt', line: 3 }, evidence: 'sphinx==7' });
  const fNoHashSrc = finding(noHash, { location: { file: 'requirements.txt', line: 3 }, evidence: 'numpy==2' });
  const all = [fUnpinnedCi, fUnpinnedRel, fNoHashDocs, fNoHashSrc];
  const suppressedIds = (fs: Finding[]) => fs.filter((f) => f.suppression).map((f) => f.fingerprint);

  it('an empty config changes nothing', () => {
    const out = apply(all, EMPTY_CONFIG);
    expect(out.findings).toEqual(all);
    expect(out.notes).toEqual([]);
  });

  it('severity override applies to that rule only', () => {
    const out = apply(all, config('rules:\n  deps/no-hash: {severity: critical}\n'));
    expect(out.findings.map((f) => [f.ruleId, f.severity])).toEqual(
      all.map((f) => [f.ruleId, f.ruleId === noHash.id ? 'critical' : f.severity])
    );
  });

  it('ignore by rule suppresses every finding of the rule, with reason and source', () => {
    const yaml = '# x\nignores:\n  - rule: workflow/unpinned-action\n    reason: we trust our own actions\n';
    const out = apply(all, config(yaml));
    expect(suppressedIds(out.findings)).toEqual([fUnpinnedCi.fingerprint, fUnpinnedRel.fingerprint]);
    expect(out.findings[0].suppression).toEqual({
      kind: 'external',
      reason: 'we trust our own actions',
      expires: undefined,
      source: `${FILE}:${lineOf(yaml, '- rule:')}`
    });
  });

  it('ignore by rule + path glob', () => {
    const out = apply(
      all,
      config('ignores:\n  - rule: deps/no-hash\n    path: docs/**\n    reason: docs only builds\n')
    );
    expect(suppressedIds(out.findings)).toEqual([fNoHashDocs.fingerprint]);
  });

  it('path globs match dot directories', () => {
    const out = apply(
      all,
      config(
        "ignores:\n  - rule: workflow/unpinned-action\n    path: '**/release.yml'\n    reason: release pins reviewed\n"
      )
    );
    expect(suppressedIds(out.findings)).toEqual([fUnpinnedRel.fingerprint]);
  });

  it('ignore by path + line hits only the finding on that line', () => {
    const out = apply(
      all,
      config(
        'ignores:\n  - rule: deps/no-hash\n    path: "**/requirements.txt"\n    line: 3\n    reason: both on line 3 here\n  - rule: workflow/unpinned-action\n    path: .github/workflows/ci.yml\n    line: 13\n    reason: wrong line on purpose\n'
      )
    );
    expect(suppressedIds(out.findings)).toEqual([fNoHashDocs.fingerprint, fNoHashSrc.fingerprint]);
  });

  it('ignore by fingerprint hits exactly that finding', () => {
    const out = apply(
      all,
      config(`ignores:\n  - fingerprint: ${fUnpinnedRel.fingerprint}\n    reason: reviewed in PR 12\n`)
    );
    expect(suppressedIds(out.findings)).toEqual([fUnpinnedRel.fingerprint]);
  });

  it('an expired ignore no longer applies and leaves one note naming its source and date', () => {
    const yaml =
      'ignores:\n  - rule: workflow/unpinned-action\n    reason: until we pin everything\n    expires: 2025-06-14\n';
    const out = apply(all, config(yaml));
    expect(suppressedIds(out.findings)).toEqual([]);
    expect(out.notes).toHaveLength(1); // two findings, one ignore, one note
    expect(out.notes[0]).toContain(`${FILE}:${lineOf(yaml, '- rule:')}`);
    expect(out.notes[0]).toContain('2025-06-14');
  });

  it('expires is the last day the ignore applies', () => {
    const yaml =
      'ignores:\n  - rule: workflow/unpinned-action\n    reason: until we pin everything\n    expires: 2025-06-15\n';
    expect(suppressedIds(apply(all, config(yaml), '2025-06-15').findings)).toHaveLength(2);
    expect(suppressedIds(apply(all, config(yaml), '2025-06-16').findings)).toHaveLength(0);
    const future = apply(all, config(yaml), '2025-01-01');
    expect(future.findings[0].suppression?.expires).toBe('2025-06-15');
    expect(future.notes).toEqual([]);
  });

  it('an expired ignore falls through to a later one that still applies', () => {
    const yaml =
      'ignores:\n  - rule: deps/no-hash\n    reason: old exception\n    expires: 2020-01-01\n  - rule: deps/no-hash\n    path: docs/**\n    reason: docs are not shipped\n';
    const out = apply(all, config(yaml));
    expect(suppressedIds(out.findings)).toEqual([fNoHashDocs.fingerprint]);
    expect(out.findings.find((f) => f.suppression)!.suppression!.reason).toBe('docs are not shipped');
    expect(out.notes).toHaveLength(1);
  });

  it('an ignore without expiry applies whatever the date', () => {
    const c = config('ignores:\n  - rule: deps/no-hash\n    reason: never hashing these\n');
    for (const today of ['1999-01-01', '2999-12-31']) {
      const out = apply(all, c, today);
      expect(suppressedIds(out.findings)).toEqual([fNoHashDocs.fingerprint, fNoHashSrc.fingerprint]);
      expect(out.notes).toEqual([]);
    }
  });

  describe('rules that are not path-ignorable', () => {
    const fBidi = finding(bidi, { location: { file: 'src/app.py', line: 9 }, evidence: 'x = "\u202e"' });
    const fBidi2 = finding(bidi, { location: { file: 'src/app.py', line: 40 }, evidence: 'y = "\u2066"' });
    const both = [fBidi, fBidi2];

    it('are not ignored by rule alone or by rule + path', () => {
      const out = apply(
        both,
        config(
          'ignores:\n  - rule: source/bidi-control\n    reason: we write Arabic docs\n  - rule: source/bidi-control\n    path: src/**\n    reason: we write Arabic docs\n'
        )
      );
      expect(suppressedIds(out.findings)).toEqual([]);
    });

    it('are ignored by path + line', () => {
      const out = apply(
        both,
        config(
          'ignores:\n  - rule: source/bidi-control\n    path: src/app.py\n    line: 40\n    reason: reviewed, intentional RTL text\n'
        )
      );
      expect(suppressedIds(out.findings)).toEqual([fBidi2.fingerprint]);
    });

    it('are ignored by fingerprint', () => {
      const out = apply(
        both,
        config(`ignores:\n  - fingerprint: ${fBidi.fingerprint}\n    reason: reviewed, intentional RTL text\n`)
      );
      expect(suppressedIds(out.findings)).toEqual([fBidi.fingerprint]);
    });

    it('without a pathIgnorable callback every rule is path-ignorable', () => {
      const out = applyConfig(
        both,
        config('ignores:\n  - rule: source/bidi-control\n    reason: we write Arabic docs\n'),
        { today: TODAY }
      );
      expect(suppressedIds(out.findings)).toHaveLength(2);
    });
  });

  it('inline suppressions are kept as they are (severity overrides still apply)', () => {
    const inline: Finding = {
      ...fNoHashSrc,
      suppression: { kind: 'inSource', reason: 'hashes come from the lock file', source: 'requirements.txt:2' }
    };
    const out = apply(
      [inline],
      config(
        'rules:\n  deps/no-hash: {severity: high}\nignores:\n  - rule: deps/no-hash\n    reason: a config ignore that also matches\n'
      )
    );
    expect(out.findings[0].suppression).toEqual(inline.suppression);
    expect(out.findings[0].severity).toBe('high');
  });

  describe("retired rule ids (the registry's aliases)", () => {
    const aliases = { 'actions/unpinned': unpinned.id };
    const withAliases = (c: Config, extra: SuppressionEntry[] = []) =>
      applyConfig(all, c, { today: TODAY, pathIgnorable, aliases, extra });

    it('an override and an ignore under the old id apply to the new one, each with a note', () => {
      const out = withAliases(
        config(
          'rules:\n  actions/unpinned: {severity: low}\nignores:\n  - rule: actions/unpinned\n    path: .github/workflows/release.yml\n    reason: vendored\n'
        )
      );
      expect(out.findings.filter((f) => f.ruleId === unpinned.id).map((f) => f.severity)).toEqual(['low', 'low']);
      expect(suppressedIds(out.findings)).toEqual([fUnpinnedRel.fingerprint]);
      expect(out.notes).toEqual([
        `${FILE} rules: the rule actions/unpinned is now ${unpinned.id}; the entry was applied to ${unpinned.id} (write the new id).`,
        `${FILE}:4: the rule actions/unpinned is now ${unpinned.id}; the entry was applied to ${unpinned.id} (write the new id).`
      ]);
    });

    it('an override under the new id wins over one under the old id', () => {
      const out = withAliases(
        config(`rules:\n  actions/unpinned: {severity: low}\n  ${unpinned.id}: {severity: critical}\n`)
      );
      expect(out.findings.filter((f) => f.ruleId === unpinned.id).map((f) => f.severity)).toEqual([
        'critical',
        'critical'
      ]);
    });

    it("an action's own entries (inline comments) naming the old id apply too", () => {
      const inline: SuppressionEntry = {
        rule: 'actions/unpinned',
        path: '.github/workflows/ci.yml',
        line: 12,
        reason: 'reviewed',
        source: '.github/workflows/ci.yml:11',
        kind: 'inSource'
      };
      const out = withAliases(EMPTY_CONFIG, [inline]);
      expect(suppressedIds(out.findings)).toEqual([fUnpinnedCi.fingerprint]);
      expect(out.notes).toHaveLength(1);
    });

    it('without aliases an old id matches nothing and says nothing', () => {
      const out = apply(all, config('ignores:\n  - rule: actions/unpinned\n    reason: an old id\n'));
      expect(suppressedIds(out.findings)).toEqual([]);
      expect(out.notes).toEqual([]);
    });
  });

  it('does not mutate its input', () => {
    const copy = structuredClone(all);
    apply(
      all,
      config(
        'rules:\n  deps/no-hash: {severity: critical}\nignores:\n  - rule: deps/no-hash\n    reason: a config ignore that matches\n'
      )
    );
    expect(all).toEqual(copy);
  });
});

describe('generated validators', () => {
  it.each(['config', 'trust'])('%s.validate.mjs is the code of %s.schema.json as committed', (name) => {
    const dir = join(import.meta.dirname, '../../packages/core/schema');
    const schema = readFileSync(join(dir, `${name}.schema.json`), 'utf8');
    expect(readFileSync(join(dir, `${name}.validate.mjs`), 'utf8')).toBe(validatorCode(schema));
  });
});
