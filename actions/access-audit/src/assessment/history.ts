// Findings by severity over the last runs. Each JSON report carries the counts
// of the runs before it (`data.history`), so the previous report, which the
// workflow already passes along, is all the history a run needs.
import { type Finding, type Report, SEVERITIES, type Severity, isActive, xyChart } from '@security-actions/core';

export interface RunCounts {
  date: string;
  bySeverity: Record<Severity, number>;
}

/** How many runs the history keeps, the current one included. */
export const HISTORY_RUNS = 10;

export function countsOf(date: string, findings: Finding[]): RunCounts {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings.filter(isActive)) bySeverity[f.severity]++;
  return { date, bySeverity };
}

const isCounts = (x: unknown): x is RunCounts =>
  !!x &&
  typeof (x as RunCounts).date === 'string' &&
  SEVERITIES.every((s) => typeof (x as RunCounts).bySeverity?.[s] === 'number');

/** The runs before this one: the previous report's own history, then the previous report itself. */
export function historyBefore(previous: Report | undefined): RunCounts[] {
  if (!previous) return [];
  const carried = (previous.data as { history?: unknown } | undefined)?.history;
  const older = Array.isArray(carried) ? carried.filter(isCounts) : [];
  return [...older, countsOf(previous.finishedAt.slice(0, 10), previous.findings)].slice(-(HISTORY_RUNS - 1));
}

const LINES: { label: string; of: Severity[] }[] = [
  { label: 'critical and high', of: ['critical', 'high'] },
  { label: 'medium', of: ['medium'] },
  { label: 'low and info', of: ['low', 'info'] }
];

/** A line chart of the runs (one line per severity band) and the same figures as a table. */
export function severityTrend(runs: RunCounts[]): string {
  if (runs.length < 2) return '';
  const sum = (r: RunCounts, of: Severity[]) => of.reduce((n, s) => n + r.bySeverity[s], 0);
  const chart = xyChart({
    title: 'Findings by severity over the last runs',
    x: runs.map((r) => r.date),
    yLabel: 'findings',
    series: LINES.map((l) => ({ kind: 'line' as const, values: runs.map((r) => sum(r, l.of)) }))
  });
  // xychart-beta draws no legend: the table names the lines.
  return [
    chart,
    '',
    `| Run | ${LINES.map((l) => l.label).join(' | ')} |`,
    `|---|${LINES.map(() => '---:').join('|')}|`,
    ...runs.map((r) => `| ${r.date} | ${LINES.map((l) => sum(r, l.of)).join(' | ')} |`)
  ].join('\n');
}
