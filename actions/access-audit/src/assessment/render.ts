// The self-assessment's renderings: a public Markdown page per repository (safe
// to commit or publish: item titles, statuses, evidence as evaluate.ts words
// it, fixes and sources; no finding message), the JSON for aggregation across
// an organization, and the organization summary with its chart.
import { escapeMarkdown, xyChart } from '@security-actions/core';
import { type RepoAssessment, STATUSES, type Status } from './evaluate';
import { ITEMS } from './items';

const LABEL: Record<Status, string> = {
  met: 'met',
  'not-met': 'not met',
  'not-checked': 'not checked',
  'not-observable': 'not observable',
  declared: 'declared'
};
const ICON: Record<Status, string> = {
  met: '✅',
  'not-met': '❌',
  'not-checked': '⚪',
  'not-observable': '➖',
  declared: '📝'
};
const cell = (s: string) => escapeMarkdown(s).replace(/\|/g, '\\|');

const TITLES = new Map(ITEMS.map((i) => [i.id, i]));

export function publicPage(org: string, a: RepoAssessment, date: string): string {
  const lines = [
    `# Security self-assessment: ${cell(`${org}/${a.repo}`)}`,
    '',
    `Generated on ${date} by security-actions access-audit from what GitHub and the public services show. ` +
      'Declared items are the project’s own statement, not verified. Sources: SPEC 6 and SPEC 8 (S6-n, S8-n), ' +
      'the OpenSSF Concise Guides (CG-Dev n, CG-Eval), the Scientific Python playbook’s core 5 + 4 (Core n, Plus n).',
    '',
    STATUSES.map((s) => `${ICON[s]} ${LABEL[s]}: ${a.counts[s]}`).join(' · '),
    '',
    '| Item | Status | Evidence | How to meet it | Sources |',
    '|---|---|---|---|---|'
  ];
  for (const r of a.items) {
    const item = TITLES.get(r.id)!;
    lines.push(
      `| ${cell(item.title)} | ${ICON[r.status]} ${LABEL[r.status]} | ${cell(r.evidence)} | ${cell(r.fix ?? '')} | ${item.sources.join(', ')} |`
    );
  }
  return lines.join('\n') + '\n';
}

export function assessmentJson(org: string, all: RepoAssessment[], date: string) {
  return {
    version: 1,
    org,
    date,
    items: ITEMS.map((i) => ({ id: i.id, title: i.title, scope: i.scope, sources: i.sources })),
    repositories: all
  };
}

/** Items met per repository, as a Mermaid bar chart. */
export function metChart(all: RepoAssessment[]): string {
  return xyChart({
    title: 'Self-assessment items met per repository',
    x: all.map((a) => a.repo),
    yLabel: `items met (of ${ITEMS.length})`,
    series: [{ kind: 'bar', values: all.map((a) => a.counts.met) }]
  });
}

export function orgSummary(org: string, all: RepoAssessment[], date: string): string {
  const lines = [
    `# Security self-assessment: ${cell(org)}`,
    '',
    `${all.length} repositories assessed on ${date} against ${ITEMS.length} items. Each repository's page has the evidence.`,
    '',
    `| Repository | ${STATUSES.map((s) => LABEL[s]).join(' | ')} |`,
    `|---|${STATUSES.map(() => '---:').join('|')}|`
  ];
  for (const a of all)
    lines.push(
      `| [${cell(a.repo)}](${encodeURIComponent(a.repo)}.md) | ${STATUSES.map((s) => a.counts[s]).join(' | ')} |`
    );
  const chart = metChart(all);
  if (chart) lines.push('', chart);
  return lines.join('\n') + '\n';
}
