import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Finding, Report, Rule } from '../../packages/core/src/findings';
import { FINGERPRINT_KEY, toSarif } from '../../packages/core/src/sarif';
import type { Severity } from '../../packages/core/src/severity';
import { finding, report, rule } from './helpers';

// ajv-formats is CommonJS; its default export arrives wrapped under native ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv
) => Ajv;

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// The file declares draft-04 (`id`, `$schema`); its keywords are draft-07
// compatible, so drop the two draft-04 markers and compile with ajv's default.
const {
  $schema: _drop,
  id: _id,
  ...sarifSchema
} = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
// unicodeRegExp off: the schema's `language` pattern has a stray `]` that only
// non-unicode regular expressions accept.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

type Json = any;

function sarifOf(r: Report, opts?: Parameters<typeof toSarif>[1]): Json {
  // Through JSON, as the file on disk is read.
  return JSON.parse(JSON.stringify(toSarif(r, opts)));
}

function expectValid(log: Json): void {
  const ok = validateSarif(log);
  expect(ok ? [] : validateSarif.errors).toEqual([]);
}

/** GitHub's documented security-severity bands. */
function band(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score >= 0.1) return 'low';
  return 'info';
}

const RANK: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

// A varied report: every severity, located and unlocated, both suppression
// kinds, hand-built findings with bad positions, not-checked entries, errors.
const rCrit = rule('deps/known-malware', 'critical', {
  references: [{ title: 'OSV', url: 'https://osv.dev' }, { title: 'plain ref' }]
});
const rHigh = rule('workflow/unpinned-action', 'high', { helpUri: 'https://example.org/docs/unpinned' });
const rMed = rule('deps/no-hash', 'medium', { spec: ['S8-9', 'S8-16'] });
const rLow = rule('access/stale-collaborator', 'low', { spec: [] });
const rInfo = rule('deps/summary', 'info');
const rRaised = rule('deps/typosquat', 'low'); // a finding raises it to high
const rules: Rule[] = [rCrit, rHigh, rMed, rLow, rInfo, rRaised];

function handBuilt(r: Rule, line: number, column: number): Finding {
  const f = finding(r, { location: { file: 'src/hand.py' }, evidence: `hand ${line}` });
  return { ...f, location: { file: 'src/hand.py', line, column, endLine: line - 1, endColumn: column } };
}

const findings: Finding[] = [
  finding(rCrit, { location: { file: 'requirements.txt', line: 3 }, evidence: 'evil-pkg==1.0' }),
  finding(rHigh, {
    location: { file: '.github/workflows/ci.yml', line: 12, column: 9, endLine: 12, endColumn: 40 },
    evidence: 'uses: actions/checkout@v4'
  }),
  finding(rMed, {
    location: { file: 'requirements.txt', line: 7 },
    evidence: 'numpy==2.0',
    message: 'no hash <b>|`x`'
  }),
  finding(rLow, { message: 'user @someone has not pushed in 2 years' }), // no location
  finding(rInfo, { message: '42 dependencies checked' }), // no location, info
  finding(rRaised, { severity: 'high', location: { file: 'pyproject.toml', line: 5 }, evidence: 'reqeusts' }),
  {
    ...finding(rMed, { location: { file: 'setup.cfg', line: 2 }, evidence: 'scipy' }),
    suppression: { kind: 'inSource', reason: 'vendored, hashes checked upstream', source: 'setup.cfg:1' }
  },
  {
    ...finding(rCrit, { location: { file: 'docs/requirements.txt', line: 1 }, evidence: 'old-pkg' }),
    suppression: {
      kind: 'external',
      reason: 'docs build only, never installed by users',
      expires: '2099-01-01',
      source: '.github/security-actions.yml:4'
    }
  },
  handBuilt(rHigh, 0, 0),
  handBuilt(rHigh, -4, -2),
  finding(rHigh, { location: { file: 'docs/a b#c?d.md', line: 2 }, evidence: 'odd file name' })
];

const full = report({
  rules,
  findings,
  notChecked: [
    { check: 'deps/provenance', reason: 'PyPI unreachable', target: 'numpy' },
    { check: 'access/two-factor', reason: 'needs admin:org' }
  ],
  errors: ['requirements-dev.txt:4: cannot parse the requirement']
});

describe('toSarif against the SARIF 2.1.0 schema', () => {
  it('the varied report is a valid SARIF 2.1.0 log', () => {
    const log = sarifOf(full, { category: 'verify-deps', fallbackFile: '.github/security-actions.yml' });
    expect(log.version).toBe('2.1.0');
    expectValid(log);
  });

  it('the validator is not vacuous: a broken log is rejected', () => {
    const log = sarifOf(full);
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    log.runs[0].results[1].level = 'fatal';
    expect(validateSarif(log)).toBe(false);
    expect(validateSarif({ version: '2.1.0' })).toBe(false);
  });

  it('an empty report is valid too', () => {
    expectValid(sarifOf(report()));
  });

  it('is valid with the default fallback file and no category', () => {
    expectValid(sarifOf(full));
  });
});

describe('toSarif for GitHub code scanning', () => {
  const log = sarifOf(full, { category: 'verify-deps', fallbackFile: '.github/security-actions.yml' });
  const run = log.runs[0];
  const driverRules: Json[] = run.tool.driver.rules;
  const results: Json[] = run.results;

  it('lists every rule once, in the report order', () => {
    expect(driverRules.map((r) => r.id)).toEqual(rules.map((r) => r.id));
  });

  it('every rule has help text and markdown', () => {
    for (const r of driverRules) {
      expect(typeof r.help.text).toBe('string');
      expect(r.help.text.length).toBeGreaterThan(0);
      expect(typeof r.help.markdown).toBe('string');
      expect(r.help.markdown.length).toBeGreaterThan(0);
    }
    const src = rules.find((r) => r.id === rMed.id)!;
    const med = driverRules.find((r) => r.id === rMed.id);
    expect(med.help.text).toContain(src.why);
    expect(med.help.text).toContain(src.remediation);
    expect(med.help.markdown).toContain('(S8-16)');
  });

  it('security-severity is a numeric string in the band of the severity (none for info)', () => {
    // Expected severity of each rule: its default, raised by any finding's severity.
    const expected = new Map<string, Severity>(rules.map((r) => [r.id, r.severity]));
    for (const f of findings) {
      const cur = expected.get(f.ruleId)!;
      if (RANK.indexOf(f.severity) > RANK.indexOf(cur)) expected.set(f.ruleId, f.severity);
    }
    for (const r of driverRules) {
      const sev = expected.get(r.id)!;
      const score = r.properties['security-severity'];
      if (sev === 'info') {
        expect(score).toBeUndefined();
        continue;
      }
      expect(typeof score).toBe('string');
      expect(score).toMatch(/^\d+(\.\d+)?$/);
      expect(Number(score)).toBeLessThanOrEqual(10);
      expect([r.id, band(Number(score))]).toEqual([r.id, sev]);
    }
    // The raised rule in particular advertises high, not its default low.
    expect(band(Number(driverRules.find((r) => r.id === rRaised.id).properties['security-severity']))).toBe('high');
  });

  it('helpUri is passed through when the rule has one', () => {
    expect(driverRules.find((r) => r.id === rHigh.id).helpUri).toBe(rHigh.helpUri);
    expect(driverRules.find((r) => r.id === rMed.id).helpUri).toBeUndefined();
  });

  it('keeps every finding, suppressed ones included, and points ruleIndex at its rule', () => {
    expect(results).toHaveLength(findings.length);
    for (const res of results) expect(driverRules[res.ruleIndex].id).toBe(res.ruleId);
  });

  it('levels follow severity: critical/high error, medium warning, low/info note', () => {
    const want: Record<Severity, string> = {
      critical: 'error',
      high: 'error',
      medium: 'warning',
      low: 'note',
      info: 'note'
    };
    const seen = results.map((r) => [r.properties.severity, r.level]);
    for (const [sev, level] of seen) expect(level).toBe(want[sev as Severity]);
    expect(new Set(seen.map(([s]) => s))).toEqual(new Set(RANK));
  });

  it('every region has startLine >= 1 (and columns >= 1), clamping line 0 and negative lines', () => {
    for (const res of results) {
      for (const loc of res.locations) {
        const reg = loc.physicalLocation.region;
        expect(reg.startLine).toBeGreaterThanOrEqual(1);
        for (const k of ['startColumn', 'endLine', 'endColumn']) if (k in reg) expect(reg[k]).toBeGreaterThanOrEqual(1);
        if ('endLine' in reg) expect(reg.endLine).toBeGreaterThanOrEqual(reg.startLine);
      }
    }
    const hand = results.filter((r) => r.locations[0].physicalLocation.artifactLocation.uri === 'src/hand.py');
    expect(hand).toHaveLength(2);
    for (const h of hand) expect(h.locations[0].physicalLocation.region.startLine).toBe(1);
  });

  it('keeps real positions as given', () => {
    const res = results.find((r) => r.ruleId === rHigh.id && r.message.text.includes('actions/checkout'));
    expect(res.locations[0].physicalLocation.region).toEqual({
      startLine: 12,
      startColumn: 9,
      endLine: 12,
      endColumn: 40
    });
  });

  it('a file name with #, ? and a space resolves back to that file', () => {
    const res = results.find((r) => r.message.text.includes('odd file name'));
    const uri: string = res.locations[0].physicalLocation.artifactLocation.uri;
    const resolved = new URL(uri, 'file:///root/');
    expect(resolved.hash).toBe('');
    expect(resolved.search).toBe('');
    expect(decodeURIComponent(resolved.pathname)).toBe('/root/docs/a b#c?d.md');
  });

  it('results without a location point at the fallback file, line 1', () => {
    const unlocated = findings.filter((f) => !f.location).map((f) => f.message);
    expect(unlocated.length).toBe(2);
    for (const msg of unlocated) {
      const res = results.find((r) => r.message.text.startsWith(msg));
      expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe('.github/security-actions.yml');
      expect(res.locations[0].physicalLocation.region.startLine).toBe(1);
    }
    // Without an explicit fallback there is still a non-empty file.
    const def = sarifOf(full).runs[0].results.find((r: Json) => r.message.text.startsWith(unlocated[0]));
    expect(def.locations[0].physicalLocation.artifactLocation.uri).toMatch(/\S/);
  });

  it('every result carries our partial fingerprint, equal to the finding fingerprint', () => {
    const fps = new Set(findings.map((f) => f.fingerprint));
    for (const res of results) {
      expect(typeof res.partialFingerprints[FINGERPRINT_KEY]).toBe('string');
      expect(fps.has(res.partialFingerprints[FINGERPRINT_KEY])).toBe(true);
    }
  });

  it('the fingerprint is stable when the same evidence moves to another line', () => {
    const at = (line: number, evidence: string) =>
      sarifOf(report({ rules: [rHigh], findings: [finding(rHigh, { location: { file: 'a.yml', line }, evidence })] }))
        .runs[0].results[0];
    const a = at(10, 'uses: foo/bar@main');
    const b = at(57, 'uses: foo/bar@main');
    const c = at(10, 'uses: foo/baz@main');
    expect(a.locations[0].physicalLocation.region.startLine).not.toBe(b.locations[0].physicalLocation.region.startLine);
    expect(a.partialFingerprints).toEqual(b.partialFingerprints);
    expect(a.partialFingerprints[FINGERPRINT_KEY]).not.toBe(c.partialFingerprints[FINGERPRINT_KEY]);
  });

  it('suppressed findings stay, with kind and justification', () => {
    const suppressed = findings.filter((f) => f.suppression);
    expect(suppressed.map((f) => f.suppression!.kind).sort()).toEqual(['external', 'inSource']);
    for (const f of suppressed) {
      const res = results.find((r) => r.partialFingerprints[FINGERPRINT_KEY] === f.fingerprint);
      expect(res.suppressions).toHaveLength(1);
      expect(res.suppressions[0].kind).toBe(f.suppression!.kind);
      expect(res.suppressions[0].justification).toBe(f.suppression!.reason);
    }
    for (const res of results.filter(
      (r) => !suppressed.some((f) => f.fingerprint === r.partialFingerprints[FINGERPRINT_KEY])
    )) {
      expect(res.suppressions).toBeUndefined();
    }
  });

  it('not-checked entries and errors become tool execution notifications', () => {
    const inv = run.invocations[0];
    const notes: Json[] = inv.toolExecutionNotifications;
    expect(notes).toHaveLength(full.notChecked.length + full.errors.length);
    for (const n of full.notChecked) {
      const hit = notes.find((x) => x.descriptor?.id === n.check);
      expect(hit.message.text).toContain(n.reason);
      if (n.target) expect(hit.message.text).toContain(n.target);
      expect(hit.level).toBe('warning');
    }
    expect(notes.some((x) => x.level === 'error' && x.message.text === full.errors[0])).toBe(true);
    expect(inv.executionSuccessful).toBe(false);
    expect(sarifOf(report()).runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  it('automationDetails.id carries the category (GitHub takes what precedes the last /)', () => {
    const category = (l: Json) => {
      const id: string = l.runs[0].automationDetails.id;
      return id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : id;
    };
    expect(category(log)).toBe('verify-deps');
    expect(category(sarifOf(full, { category: 'access-audit/org' }))).toBe('access-audit/org');
    expect(category(sarifOf(report({ name: 'pr-anomaly-scan' })))).toBe('pr-anomaly-scan');
  });

  it('the message includes the evidence', () => {
    const res = results.find((r) => r.ruleId === rCrit.id && !r.suppressions);
    expect(res.message.text).toContain('evil-pkg==1.0');
  });
});
