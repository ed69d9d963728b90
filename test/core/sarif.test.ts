import { describe, expect, it } from '@jest/globals';
import type { Finding, Report, Rule } from '../../packages/core/src/findings';
import { FINGERPRINT_KEY, NO_FILE, toSarif, toSarifLog } from '../../packages/core/src/sarif';
import type { Severity } from '../../packages/core/src/severity';
import { band, displayedSeverities, validateSarif } from '../helpers/sarif';
import { finding, report, rule } from './helpers';

type Json = any;

function sarifOf(r: Report, opts?: Parameters<typeof toSarif>[1]): Json {
  // Through JSON, as the file on disk is read.
  return JSON.parse(JSON.stringify(toSarif(r, opts)));
}

function expectValid(log: Json): void {
  const ok = validateSarif(log);
  expect(ok ? [] : validateSarif.errors).toEqual([]);
}

const NO_FILE_URI = 'no%20file%20associated%20with%20this%20alert';
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
    const log = sarifOf(full, { category: 'verify-deps' });
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

  it('is valid without a category, and as one log of several runs', () => {
    expectValid(sarifOf(full));
    const log = JSON.parse(JSON.stringify(toSarifLog([full, report({ name: 'pr-anomaly-scan' })])));
    expectValid(log);
    expect(log.runs.map((r: Json) => r.automationDetails.id)).toEqual(['verify-deps/', 'pr-anomaly-scan/']);
  });
});

describe('toSarif for GitHub code scanning', () => {
  const log = sarifOf(full, { category: 'verify-deps' });
  const run = log.runs[0];
  const driverRules: Json[] = run.tool.driver.rules;
  const results: Json[] = run.results;

  it('lists every rule at its default severity in the report order, then one rule per other severity results carry', () => {
    expect(driverRules.slice(0, rules.length).map((r) => r.id)).toEqual(rules.map((r) => r.id));
    // deps/typosquat (low) has a high finding; nothing else departs from its default.
    expect(driverRules.slice(rules.length).map((r) => r.id)).toEqual([`${rRaised.id}/high`]);
    expect(new Set(driverRules.map((r) => r.id)).size).toBe(driverRules.length);
    expect(new Set(driverRules.map((r) => r.name)).size).toBe(driverRules.length);
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
    for (const r of driverRules) {
      const score = r.properties['security-severity'];
      if (r.properties.severity === 'info') {
        expect(score).toBeUndefined();
        continue;
      }
      expect(typeof score).toBe('string');
      expect(score).toMatch(/^\d+(\.\d+)?$/);
      expect(Number(score)).toBeLessThanOrEqual(10);
      expect([r.id, band(score)]).toEqual([r.id, r.properties.severity]);
    }
  });

  it("code scanning shows every result at the result's own severity, not the highest of its rule", () => {
    expect(displayedSeverities(run)).toEqual(results.map((r) => r.properties.severity));
    const raised = results.find((r) => r.properties.rule === rRaised.id);
    expect(raised.ruleId).toBe(`${rRaised.id}/high`);
    // The variant shares the rule's text; the default keeps the bare id, so existing alerts keep their identity.
    const base = driverRules.find((r) => r.id === rRaised.id);
    const variant = driverRules.find((r) => r.id === `${rRaised.id}/high`);
    expect(variant.help).toEqual(base.help);
    expect(variant.shortDescription).toEqual(base.shortDescription);
    expect(band(base.properties['security-severity'])).toBe('low');
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

  it('results without a location name no file: the placeholder GitHub accepts, which matches none', () => {
    const unlocated = findings.filter((f) => !f.location).map((f) => f.message);
    expect(unlocated.length).toBe(2);
    for (const msg of unlocated) {
      const res = results.find((r) => r.message.text.startsWith(msg));
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: NO_FILE_URI });
      expect(decodeURIComponent(loc.artifactLocation.uri)).toBe(NO_FILE);
      expect(loc.region.startLine).toBe(1);
      // No line of a file to hash: our fingerprint keeps each result its own alert.
      expect(res.partialFingerprints.primaryLocationLineHash).toBe(res.partialFingerprints[FINGERPRINT_KEY]);
    }
    for (const res of results.filter((r) => r.locations[0].physicalLocation.artifactLocation.uri !== NO_FILE_URI))
      expect(res.partialFingerprints.primaryLocationLineHash).toBeUndefined();
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

describe('toSarif: findings about an organization and about other repositories (access-audit)', () => {
  const rOrg = rule('org/2fa-not-required', 'high');
  const rPub = rule('publish/trigger', 'high');
  const audit = report({
    name: 'access-audit',
    rules: [rOrg, rPub],
    findings: [
      finding(rOrg, { message: 'org setting', properties: { org: 'sp' } }),
      finding(rOrg, { message: 'repo setting', properties: { org: 'sp', repo: 'numpy' } }),
      finding(rPub, {
        message: 'workflow of numpy',
        location: { file: '.github/workflows/publish.yml', line: 7 },
        properties: { org: 'sp', repo: 'numpy', file: '.github/workflows/publish.yml' }
      }),
      finding(rPub, {
        message: 'workflow of the audit repository itself',
        location: { file: '.github/workflows/publish.yml', line: 9 },
        properties: { org: 'sp', repo: 'audit' }
      })
    ]
  });
  const results: Json[] = sarifOf(audit, { repository: 'sp/audit' }).runs[0].results;
  const byMessage = (m: string) => results.find((r) => r.message.text === m);

  it('is valid SARIF', () => {
    expectValid(sarifOf(audit, { repository: 'sp/audit' }));
  });

  it('an org or repository setting names no file, and says what it is about as a logical location', () => {
    const org = byMessage('org setting').locations[0];
    expect(org.physicalLocation.artifactLocation.uri).toBe(NO_FILE_URI);
    expect(org.logicalLocations).toEqual([{ name: 'sp', fullyQualifiedName: 'sp', kind: 'organization' }]);
    const repo = byMessage('repo setting').locations[0];
    expect(repo.physicalLocation.artifactLocation.uri).toBe(NO_FILE_URI);
    expect(repo.logicalLocations).toEqual([{ name: 'numpy', fullyQualifiedName: 'sp/numpy', kind: 'repository' }]);
  });

  it("a file of another repository is named with that repository, so it cannot resolve to the audit repository's file", () => {
    const other = byMessage('workflow of numpy').locations[0].physicalLocation;
    expect(other.artifactLocation.uri).toBe('sp/numpy/.github/workflows/publish.yml');
    expect(other.artifactLocation.uriBaseId).toBeUndefined();
    expect(other.region.startLine).toBe(7);
    expect(byMessage('workflow of numpy').partialFingerprints.primaryLocationLineHash).toBeDefined();
  });

  it('a file of the repository the SARIF goes to keeps its bare path', () => {
    const own = byMessage('workflow of the audit repository itself');
    expect(own.locations[0].physicalLocation.artifactLocation).toEqual({
      uri: '.github/workflows/publish.yml',
      uriBaseId: '%SRCROOT%'
    });
    expect(own.partialFingerprints.primaryLocationLineHash).toBeUndefined();
  });

  it('the scanned commit is recorded as version control provenance when known', () => {
    const sha = 'a'.repeat(40);
    const run = sarifOf({ ...audit, revision: { server: 'https://github.com', repository: 'sp/audit', commit: sha } })
      .runs[0];
    expect(run.versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/sp/audit', revisionId: sha, mappedTo: { uriBaseId: '%SRCROOT%' } }
    ]);
    expectValid({ ...sarifOf(audit), runs: [run] });
  });
});
