// The dashboard: a per-repository table and the trend since the previous run,
// placed above the core's rendering of the report in one issue that is edited
// in place (the core's upsertMarked finds it by its hidden marker), never
// re-created, never pinging.
import {
  type Finding,
  type NotChecked,
  type Octokit,
  type Report,
  type Rule,
  codeSpan,
  compareStrings,
  escapeMarkdown,
  isActive,
  upsertMarked
} from '@security-actions/core';
import {
  type RepoAssessment,
  type RunCounts,
  countsOf,
  mergeAssessmentData,
  metChart,
  severityTrend
} from './assessment/index';

export interface Dashboard {
  org: string;
  audited: number;
  previous?: Report;
  /** Counts of the runs before this one, for the severity chart. */
  history?: RunCounts[];
  /** The self-assessment, once the report stands (publish): the items-met chart. */
  assessment?: RepoAssessment[];
}

const MAX_ROWS = 100;

export function dashboardPreamble(d: Dashboard, findings: Finding[], notChecked: NotChecked[]): string {
  const rows = new Map<string, { findings: number; high: number; notChecked: number; critical?: boolean }>();
  const row = (repo: string) => rows.get(repo) ?? rows.set(repo, { findings: 0, high: 0, notChecked: 0 }).get(repo)!;
  for (const f of findings.filter(isActive)) {
    const repo = f.properties?.repo as string | undefined;
    if (!repo) continue;
    row(repo).findings++;
    if (f.properties?.critical) row(repo).critical = true;
    if (f.severity === 'high' || f.severity === 'critical') row(repo).high++;
  }
  for (const n of notChecked)
    if (n.target && n.target !== d.org && !n.target.includes(' ') && rowsTarget(n)) row(n.target).notChecked++;
  const sorted = [...rows.entries()].sort(
    (a, b) => b[1].high - a[1].high || b[1].findings - a[1].findings || compareStrings(a[0], b[0])
  );
  const lines = [`Organization ${codeSpan(d.org)}: ${d.audited} repositories audited.`, ''];
  lines.push(...trend(d.previous, findings), '');
  const charts = [
    severityTrend([...(d.history ?? []), countsOf('this run', findings)]),
    d.assessment?.length ? metChart(d.assessment) : ''
  ].filter(Boolean);
  if (charts.length) lines.push(...charts, '');
  if (sorted.length) {
    lines.push('| Repository | Findings | High or critical | Not checked |', '|---|---:|---:|---:|');
    for (const [repo, r] of sorted.slice(0, MAX_ROWS))
      lines.push(
        `| ${escapeMarkdown(repo)}${r.critical ? ' (critical)' : ''} | ${r.findings} | ${r.high} | ${r.notChecked} |`
      );
    if (sorted.length > MAX_ROWS)
      lines.push('', `${sorted.length - MAX_ROWS} more repositories with findings are in the JSON report.`);
    const clean = d.audited - sorted.filter(([, r]) => r.findings > 0).length;
    if (clean > 0) lines.push('', `${clean} audited repositor${clean === 1 ? 'y has' : 'ies have'} no findings.`);
  }
  return lines.join('\n');
}

/** Repository-level entries only: people's activity checks use a login as target. */
const rowsTarget = (n: NotChecked) => !n.check.startsWith('people/');

function trend(previous: Report | undefined, findings: Finding[]): string[] {
  if (!previous) return ['Trend: no previous report given (input `previous-report`).'];
  const before = new Set(previous.findings.filter(isActive).map((f) => f.fingerprint));
  const now = new Set(findings.filter(isActive).map((f) => f.fingerprint));
  const added = [...now].filter((f) => !before.has(f)).length;
  const fixed = [...before].filter((f) => !now.has(f)).length;
  return [
    `Trend since the run of ${previous.finishedAt.slice(0, 10)}: ${before.size} → ${now.size} findings (${added} new, ${fixed} resolved).`
  ];
}

export interface Merged {
  rules: Rule[];
  findings: Finding[];
  notChecked: NotChecked[];
  notes: string[];
  target?: string;
  audited: number;
  skipped: number;
  requests: number;
  stats: Record<string, number>;
  data: { access: Record<string, unknown>; assessment?: unknown };
}

/** Merges shard reports: repository results are disjoint; org-level results repeat in each shard and are kept once. */
export function mergeReports(reports: Report[]): Merged {
  const byFingerprint = new Map<string, Finding>();
  const rules = new Map<string, Rule>();
  const notChecked = new Map<string, NotChecked>();
  const notes = new Set<string>();
  let audited = 0;
  let listed = 0;
  let requests = 0;
  const targets = new Set<string>();
  const access: Record<string, unknown> = {};
  for (const r of reports) {
    for (const rule of r.rules) rules.set(rule.id, rule);
    // Fingerprints were made unique within each shard; org-level ones repeat across shards.
    for (const f of r.findings) byFingerprint.set(f.fingerprint, f);
    for (const n of r.notChecked) notChecked.set(`${n.check}\0${n.target ?? ''}\0${n.reason}`, n);
    for (const n of r.notes) notes.add(n);
    audited += Number(r.stats['repos audited'] ?? 0);
    listed = Math.max(listed, Number(r.stats['repos listed'] ?? 0));
    requests += Number(r.stats['API requests'] ?? 0);
    Object.assign(access, (r.data?.access as Record<string, unknown> | undefined) ?? {});
    if (r.target) targets.add(r.target.replace(/ \(shard \d+\/\d+\)$/, ''));
  }
  return {
    rules: [...rules.values()],
    findings: [...byFingerprint.values()],
    notChecked: [...notChecked.values()],
    notes: [...notes],
    target: [...targets].join(', ') || undefined,
    audited,
    skipped: listed - audited,
    requests,
    data: { access, assessment: mergeAssessmentData(reports.map((r) => r.data?.assessment)) },
    stats: {
      'repos audited': audited,
      'repos skipped': listed - audited,
      'repos listed': listed,
      'shards merged': reports.length,
      'shard API requests': requests
    }
  };
}

/** Edits the dashboard issue in place, or opens it once. Returns a line for the log. */
export async function publishDashboard(
  rest: Octokit,
  repository: string,
  marker: string,
  body: string
): Promise<string> {
  const [owner, repo] = repository.split('/');
  const title = `Access audit: ${marker.split(':').pop()}`;
  const { action, id } = await upsertMarked(rest, { kind: 'issue', owner, repo, title }, marker, body);
  return `dashboard issue #${id} ${action === 'created' ? 'opened' : 'updated'}`;
}
