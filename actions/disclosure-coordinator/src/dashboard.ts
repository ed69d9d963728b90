// The dashboard: every open advisory (and those published within the
// follow-up window) with its age against the service levels, above the core's
// rendering of the report, in one issue of the coordination repository edited
// in place. Unpublished advisories appear by id, repository and link only.
import { escapeMarkdown } from '@security-actions/core';
import type { AdvisoryRow } from './engine';
import type { DisclosureConfig } from './types';

export interface Dashboard {
  scope: string;
  tracked: number;
  rows: AdvisoryRow[];
  levels: DisclosureConfig['serviceLevels'];
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** The service level an advisory is measured against, and where it stands. */
export function serviceLevel(row: AdvisoryRow, levels: Dashboard['levels']): { text: string; overdue: boolean } {
  if (row.state === 'published') return { text: 'published', overdue: false };
  // A report is first measured against the acknowledge level; past the fix level, against that one.
  const [name, level] =
    row.state === 'triage' && row.ageDays <= levels.fix ? ['acknowledge', levels.acknowledge] : ['fix', levels.fix];
  const left = level - row.ageDays;
  return left < 0
    ? { text: `⚠️ ${name} overdue by ${days(-left)}`, overdue: true }
    : { text: `${name} due in ${days(left)}`, overdue: false };
}

export function dashboardPreamble(d: Dashboard): string {
  const lines = [`Tracking ${d.tracked} repositories (${escapeMarkdown(d.scope)}).`, ''];
  if (!d.rows.length) return [...lines, 'No open advisory, and none published within the follow-up window.'].join('\n');
  const overdue = d.rows.filter((r) => serviceLevel(r, d.levels).overdue).length;
  lines.push(
    `${d.rows.length} advisor${d.rows.length === 1 ? 'y' : 'ies'} followed${overdue ? `, **${overdue} past its service level**` : ''}.`,
    '',
    '| Advisory | Repository | State | Age | Service level | Private fork | CVE | Downstream to act | Notified / invited |',
    '|---|---|---|---:|---|---|---|---:|---:|'
  );
  for (const r of d.rows) {
    const sl = serviceLevel(r, d.levels);
    const reached = r.state === 'published' ? r.notified : r.invited;
    lines.push(
      `| [${r.ghsa}](${r.url}) | ${escapeMarkdown(r.repo)} | ${r.state} | ${days(r.ageDays)} | ${sl.text} | ${r.privateFork ? 'yes' : '–'} | ${r.cve ? 'yes' : '–'} | ${r.affected} | ${reached} |`
    );
  }
  return lines.join('\n');
}
