// The self-assessment's entry points for the adapter: what a run carries in
// its JSON report, the declarations as suppressions, shard merging, and the
// files it writes (one public page per repository, the organization summary
// and the JSON).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report, SuppressionEntry } from '@security-actions/core';
import type { AuditConfig, Declaration, Evidence } from '../types';
import { type AssessmentData, type RepoAssessment, assessAll } from './evaluate';
import { ITEMS } from './items';
import { assessmentJson, orgSummary, publicPage } from './render';

export { metChart } from './render';
export { historyBefore, severityTrend, countsOf, type RunCounts } from './history';
export type { RepoAssessment } from './evaluate';

/** The evidence key under which the checks record each audited repository's visibility. */
export const VISIBILITY = 'visibility';

export function assessmentData(evidence: Evidence, config: AuditConfig): AssessmentData {
  const repos = Object.fromEntries(
    Object.entries(evidence)
      .filter(([, e]) => e[VISIBILITY])
      .map(([repo, e]) => [repo, { public: e[VISIBILITY] === 'public' }])
  );
  return { repos, evidence, signedCommits: config.requireSignedCommits };
}

export function mergeAssessmentData(parts: unknown[]): AssessmentData | undefined {
  const present = parts.filter((p): p is AssessmentData => !!p && typeof p === 'object' && 'repos' in p);
  if (!present.length) return undefined;
  return {
    repos: Object.assign({}, ...present.map((p) => p.repos)),
    evidence: Object.assign({}, ...present.map((p) => p.evidence)),
    signedCommits: present[0].signedCommits
  };
}

/**
 * A declaration of an item the audit checks by heuristic (an incident response
 * plan kept elsewhere) suppresses that item's findings, with its date, through
 * the core's one suppression mechanism; the page then shows it as declared.
 */
export function declarationSuppressions(declared: Declaration[]): SuppressionEntry[] {
  return declared.flatMap((d) => {
    const item = ITEMS.find((i) => i.id === d.item);
    if (!item?.declarable) return [];
    return (item.rules ?? []).map((rule) => ({
      rule,
      reason: `declared in the config on ${d.date} (access-audit.declared: ${d.item})`,
      source: `config: access-audit.declared (${d.item}${d.repo ? `, ${d.repo}` : ''})`,
      ...(d.repo && d.repo !== '*' && !/[*?]/.test(d.repo) ? { properties: { repo: d.repo } } : {})
    }));
  });
}

/** The assessment of every repository the report audited; undefined when the report carries none. */
export function assessReport(org: string, report: Report, declared: Declaration[]): RepoAssessment[] | undefined {
  const data = (report.data as { assessment?: AssessmentData } | undefined)?.assessment;
  if (!data) return undefined;
  return assessAll({ org, findings: report.findings, notChecked: report.notChecked, data, declared });
}

/** Writes `<repo>.md`, `README.md` (the organization summary) and `self-assessment.json` into `dir`. */
export async function writeAssessment(dir: string, org: string, all: RepoAssessment[], date: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const a of all) await writeFile(join(dir, `${a.repo}.md`), publicPage(org, a, date));
  await writeFile(join(dir, 'README.md'), orgSummary(org, all, date));
  await writeFile(join(dir, 'self-assessment.json'), JSON.stringify(assessmentJson(org, all, date), null, 2) + '\n');
  return `self-assessment of ${all.length} repositories written to ${dir}`;
}
