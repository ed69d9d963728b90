// The SARIF as code scanning reads an upload: for every rule of the suite,
// with no override and with each severity a config file can set, every result
// is shown (at its rule's security-severity) at the severity the terminal
// report prints for that finding, including findings whose engine raised or
// lowered the rule's default. Each log is checked against the SARIF 2.1.0
// schema too.
import { describe, expect, it } from '@jest/globals';
import { EMPTY_CONFIG, parseConfig } from '../../packages/core/src/config';
import { createFinding } from '../../packages/core/src/findings';
import { buildReport, renderText } from '../../packages/core/src/report';
import { toSarif } from '../../packages/core/src/sarif';
import { SEVERITIES, type Severity } from '../../packages/core/src/severity';
import { displayedSeverities, validateSarif } from '../helpers/sarif';
import { suiteRegistry } from '../helpers/suite';

const rules = suiteRegistry().list();
const overrides: (Severity | undefined)[] = [undefined, ...SEVERITIES];

/** Every rule, with one finding at each severity (as an engine adjusting the default per result would raise them). */
function findings() {
  return rules.flatMap((r, i) =>
    SEVERITIES.map((s, j) =>
      createFinding(r, {
        severity: s,
        message: `finding ${j} of ${r.id}`,
        location: { file: `f/${i}/${j}.yml`, line: j + 1 }
      })
    )
  );
}

function configFor(severity: Severity | undefined) {
  if (!severity) return EMPTY_CONFIG;
  const body = rules
    .map((r) => `  ${r.id}:\n    severity: ${severity}\n    reason: an override for the test`)
    .join('\n');
  return parseConfig(`version: 1\nrules:\n${body}\n`, '.github/security-actions.yml');
}

/** `SEVERITY rule  file:line` lines of the terminal report: where each finding is and what severity it prints. */
function printed(text: string): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const m of text.matchAll(/^([A-Z]+) +(\S+) {2}(\S+)$/gm))
    out.set(`${m[2]} ${m[3]}`, m[1].toLowerCase() as Severity);
  return out;
}

describe('SARIF severity as code scanning displays it, for every rule and every config override', () => {
  it('the suite has rules, and no rule id ends in a severity (a per-severity SARIF rule id could collide)', () => {
    expect(rules.length).toBeGreaterThan(50);
    const suffix = new RegExp(`/(${SEVERITIES.join('|')})$`);
    expect(rules.filter((r) => suffix.test(r.id)).map((r) => r.id)).toEqual([]);
  });

  it.each(overrides.map((o) => [o ?? 'no override', o] as const))('%s', (_label, override) => {
    const report = buildReport(
      'suite',
      { rules, findings: findings(), notChecked: [] },
      { config: configFor(override), today: '2026-01-01', startedAt: new Date('2026-01-01T00:00:00Z') }
    );
    const terminal = printed(renderText(report));
    expect(terminal.size).toBe(rules.length * SEVERITIES.length);

    const log = JSON.parse(JSON.stringify(toSarif(report)));
    expect(validateSarif(log) ? [] : validateSarif.errors).toEqual([]);
    const run = log.runs[0];
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);

    const shown = displayedSeverities(run);
    let compared = 0;
    run.results.forEach((res: any, i: number) => {
      const where = `${res.properties.rule} ${res.locations[0].physicalLocation.artifactLocation.uri}:${res.locations[0].physicalLocation.region.startLine}`;
      expect([where, shown[i]]).toEqual([where, terminal.get(where)]);
      if (override) expect([where, shown[i]]).toEqual([where, override]);
      compared++;
    });
    expect(compared).toBe(terminal.size);
  });
});
