import { describe, expect, it } from '@jest/globals';
import {
  type Finding,
  createFinding,
  disambiguateFingerprints,
  fingerprintOf,
  isActive,
  sortFindings,
  tally
} from '../../packages/core/src/findings';
import {
  FAIL_ON,
  SEVERITIES,
  type Severity,
  highest,
  meetsThreshold,
  rank,
  sarifLevel
} from '../../packages/core/src/severity';
import { finding, rule } from './helpers';

describe('createFinding', () => {
  const r = rule('workflow/unpinned-action', 'high', { spec: ['S8-9', 'S8-10'] });

  it('takes title, severity, why, remediation and spec from the rule by default', () => {
    const f = createFinding(r, { message: 'uses a tag' });
    expect(f).toMatchObject({
      ruleId: r.id,
      title: r.title,
      severity: r.severity,
      confidence: 'high',
      message: 'uses a tag',
      why: r.why,
      remediation: r.remediation,
      spec: r.spec
    });
    expect(f.location).toBeUndefined();
    expect(f.suppression).toBeUndefined();
    expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('lets the finding override severity, confidence, why and remediation', () => {
    const f = createFinding(r, {
      message: 'm',
      severity: 'low',
      confidence: 'medium',
      why: 'w',
      remediation: 'x',
      properties: { k: 1 }
    });
    expect(f).toMatchObject({
      severity: 'low',
      confidence: 'medium',
      why: 'w',
      remediation: 'x',
      properties: { k: 1 }
    });
  });

  it('normalises locations: backslashes, leading ./, positions clamped to >= 1 and whole', () => {
    const f = createFinding(r, {
      message: 'm',
      location: { file: '.\\.github\\workflows\\ci.yml', line: 0, column: -3, endLine: 2.7, endColumn: 5 }
    });
    expect(f.location).toEqual({ file: '.github/workflows/ci.yml', line: 1, column: 1, endLine: 2, endColumn: 5 });
    expect(createFinding(r, { message: 'm', location: { file: './a/b.py', line: -10 } }).location).toEqual({
      file: 'a/b.py',
      line: 1,
      column: undefined,
      endLine: undefined,
      endColumn: undefined
    });
  });

  it('the same file written differently gives the same fingerprint', () => {
    const a = createFinding(r, { message: 'm', location: { file: '.\\src\\x.py', line: 1 }, evidence: 'e' });
    const b = createFinding(r, { message: 'm', location: { file: 'src/x.py', line: 9 }, evidence: 'e' });
    expect(a.fingerprint).toBe(b.fingerprint);
  });
});

describe('fingerprints', () => {
  const r = rule('deps/no-hash', 'medium');

  it('depend on rule, file and key (evidence, else message), not on the line', () => {
    const base = finding(r, { location: { file: 'a.txt', line: 1 }, evidence: 'numpy==2' });
    expect(finding(r, { location: { file: 'a.txt', line: 99 }, evidence: 'numpy==2' }).fingerprint).toBe(
      base.fingerprint
    );
    expect(finding(r, { location: { file: 'b.txt', line: 1 }, evidence: 'numpy==2' }).fingerprint).not.toBe(
      base.fingerprint
    );
    expect(finding(r, { location: { file: 'a.txt', line: 1 }, evidence: 'scipy==1' }).fingerprint).not.toBe(
      base.fingerprint
    );
    expect(
      finding(rule('deps/other', 'medium'), { location: { file: 'a.txt', line: 1 }, evidence: 'numpy==2' }).fingerprint
    ).not.toBe(base.fingerprint);
    // An explicit key wins over the evidence; the message is the last resort.
    expect(finding(r, { location: { file: 'a.txt' }, evidence: 'other', key: 'numpy==2' }).fingerprint).toBe(
      base.fingerprint
    );
    expect(finding(r, { message: 'numpy==2', location: { file: 'a.txt' } }).fingerprint).toBe(base.fingerprint);
  });

  it('ignore whitespace differences in the key (reindented code)', () => {
    expect(fingerprintOf('r', 'f', '  uses:   a/b@v1\n')).toBe(fingerprintOf('r', 'f', 'uses: a/b@v1'));
  });

  it('do not collide when fields are shifted between rule, file and key', () => {
    expect(fingerprintOf('a', 'b', 'c')).not.toBe(fingerprintOf('a', 'bc', ''));
    expect(fingerprintOf('a', undefined, 'c')).not.toBe(fingerprintOf('a', 'c', ''));
  });

  it('disambiguateFingerprints gives repeats their own stable identity', () => {
    const at = (line: number) => finding(r, { location: { file: 'a.txt', line }, evidence: 'same' });
    const other = finding(r, { location: { file: 'a.txt', line: 2 }, evidence: 'different' });
    const input = [at(1), other, at(5), at(9)];
    const out = disambiguateFingerprints(input);
    expect(new Set(out.map((f) => f.fingerprint)).size).toBe(4);
    // The first occurrence and non-repeats keep their fingerprint.
    expect(out[0].fingerprint).toBe(input[0].fingerprint);
    expect(out[1].fingerprint).toBe(other.fingerprint);
    // Stable: the same input (even with shifted lines) gives the same output.
    const again = disambiguateFingerprints([at(3), other, at(20), at(40)]);
    expect(again.map((f) => f.fingerprint)).toEqual(out.map((f) => f.fingerprint));
    // Everything else is untouched, and the input is not mutated.
    expect(out.map(({ fingerprint: _f, ...rest }) => rest)).toEqual(input.map(({ fingerprint: _f, ...rest }) => rest));
    expect(input[2].fingerprint).toBe(input[0].fingerprint);
  });
});

describe('tally and highest', () => {
  const mk = (severity: Severity, suppressed = false): Finding => {
    const f = finding(rule('x/y', 'info'), { severity, message: `${severity} ${Math.random()}` });
    return suppressed ? { ...f, suppression: { kind: 'external', reason: 'because' } } : f;
  };

  it('counts active findings by severity, suppressed apart, and the highest active one', () => {
    const fs = [mk('low'), mk('low'), mk('medium'), mk('critical', true), mk('info')];
    const t = tally(fs);
    expect(t).toEqual({
      active: 4,
      suppressed: 1,
      bySeverity: { critical: 0, high: 0, medium: 1, low: 2, info: 1 },
      highest: 'medium'
    });
    expect(fs.filter(isActive)).toHaveLength(4);
  });

  it('highest is none without active findings', () => {
    expect(tally([]).highest).toBe('none');
    expect(tally([mk('critical', true)]).highest).toBe('none');
    expect(highest([])).toBe('none');
    expect(highest(['info'])).toBe('info');
    expect(highest(['low', 'critical', 'high'])).toBe('critical');
  });
});

describe('sortFindings', () => {
  it('orders by severity (most severe first), then file, then line, then rule; without mutating', () => {
    const r1 = rule('b/rule', 'low');
    const r2 = rule('a/rule', 'low');
    const fs = [
      finding(r1, { location: { file: 'b.py', line: 1 }, message: '1' }),
      finding(r1, { severity: 'critical', location: { file: 'z.py', line: 50 }, message: '2' }),
      finding(r1, { location: { file: 'a.py', line: 10 }, message: '3' }),
      finding(r1, { location: { file: 'a.py', line: 2 }, message: '4' }),
      finding(r2, { location: { file: 'a.py', line: 2 }, message: '5' }),
      finding(r1, { severity: 'high', message: '6' }),
      finding(r1, { severity: 'info', location: { file: 'a.py', line: 1 }, message: '7' })
    ];
    const before = fs.map((f) => f.message);
    expect(sortFindings(fs).map((f) => f.message)).toEqual(['2', '6', '5', '4', '3', '1', '7']);
    expect(fs.map((f) => f.message)).toEqual(before);
  });

  it('orders files by code unit, the same under every locale (capitals before lower case, é after z)', () => {
    const r = rule('a/rule', 'low');
    const files = ['docs/é.md', 'README.md', 'docs/z.md', '.github/ci.yml', 'Zeta.py', 'alpha.py'];
    const fs = files.map((file) => finding(r, { location: { file }, message: file }));
    // localeCompare would give .github, alpha, docs/é, docs/z, README, Zeta under en-US
    expect(sortFindings(fs).map((f) => f.message)).toEqual([
      '.github/ci.yml',
      'README.md',
      'Zeta.py',
      'alpha.py',
      'docs/z.md',
      'docs/é.md'
    ]);
  });
});

describe('severity', () => {
  it('ranks info < low < medium < high < critical', () => {
    expect([...SEVERITIES].sort((a, b) => rank(a) - rank(b))).toEqual(['info', 'low', 'medium', 'high', 'critical']);
  });

  it('meetsThreshold: at or above; none never trips', () => {
    for (const s of SEVERITIES) {
      expect(meetsThreshold(s, 'none')).toBe(false);
      expect(meetsThreshold(s, 'info')).toBe(true);
      expect(meetsThreshold(s, s)).toBe(true);
    }
    expect(meetsThreshold('medium', 'high')).toBe(false);
    expect(meetsThreshold('critical', 'high')).toBe(true);
    expect(meetsThreshold('low', 'medium')).toBe(false);
    expect(FAIL_ON[0]).toBe('none');
  });

  it('sarifLevel: high and critical are errors, medium a warning, the rest notes', () => {
    expect(SEVERITIES.map(sarifLevel)).toEqual(['note', 'note', 'warning', 'error', 'error']);
  });
});
