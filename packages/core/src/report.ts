// From an engine's raw results to the reports a maintainer reads: config
// applied, fingerprints made unique, then SARIF, JSON, job summary and
// annotations written. Shared by the actions and the CLI.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Config, applyConfig } from './config';
import {
  type Finding,
  type NotChecked,
  type Report,
  type Revision,
  type Rule,
  disambiguateFingerprints,
  isActive,
  sortFindings
} from './findings';
import { SUMMARY_LIMIT, locationText, renderMarkdown } from './markdown';
import pkg from '../package.json' with { type: 'json' };
import { type SarifOptions, toSarif } from './sarif';
import type { Env } from './inputs';
import type { Severity } from './severity';
import type { SuppressionEntry } from './suppress';

export const VERSION: string = pkg.version;
export const TOOL_URI = 'https://github.com/scientific-python/security-actions';

export interface EngineResult {
  rules: Rule[];
  findings: Finding[];
  notChecked: NotChecked[];
  stats?: Record<string, number | string>;
  /** How many files of the kinds it reads the run found, for runs over files (0: nothing to check). */
  examined?: number;
  /** Errors that stopped part of the run, one line each (bad input files). */
  errors?: string[];
  notes?: string[];
  /** What was scanned, for the headline (a repo, an org, a commit range). */
  target?: string;
  /** Machine-readable state for the next run (JSON report only). */
  data?: Record<string, unknown>;
  /** Suppressions from the action's own config section or inline comments, applied with the config file's ignores. */
  suppressions?: SuppressionEntry[];
  /** The commit the findings' lines refer to, when not the workflow's GITHUB_SHA (a PR's head). */
  commit?: string;
}

export function buildReport(
  name: string,
  result: EngineResult,
  opts: {
    config: Config;
    today: string;
    startedAt: Date;
    finishedAt?: Date;
    revision?: Revision;
    /** Retired rule ids → current ones (the action's registry), for configs written before a rename. */
    aliases?: Readonly<Record<string, string>>;
  }
): Report {
  const pathIgnorable = new Map(result.rules.map((r) => [r.id, r.pathIgnorable !== false]));
  const applied = applyConfig(disambiguateFingerprints(result.findings), opts.config, {
    today: opts.today,
    pathIgnorable: (id) => pathIgnorable.get(id) ?? true,
    extra: result.suppressions,
    aliases: opts.aliases
  });
  return {
    tool: { name: 'security-actions', version: VERSION, uri: TOOL_URI },
    name,
    target: result.target,
    startedAt: opts.startedAt.toISOString(),
    finishedAt: (opts.finishedAt ?? new Date()).toISOString(),
    rules: result.rules,
    findings: sortFindings(applied.findings),
    notChecked: result.notChecked,
    stats: result.stats ?? {},
    ...(result.examined !== undefined ? { examined: result.examined } : {}),
    notes: [...(result.notes ?? []), ...applied.notes],
    errors: result.errors ?? [],
    ...(result.data ? { data: result.data } : {}),
    ...(opts.revision ? { revision: opts.revision } : {})
  };
}

async function writeText(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

export async function writeSarif(report: Report, file: string, opts: SarifOptions = {}): Promise<void> {
  await writeText(file, JSON.stringify(toSarif(report, opts), null, 2) + '\n');
}

/**
 * Where the scanned files are on GitHub, from the runner's environment: the
 * server, the repository and the commit (the engine's, else GITHUB_SHA). Only
 * well-formed values are used, since they end up in links.
 */
export function revisionFromEnv(env: Env, commit?: string): Revision | undefined {
  const server = env.GITHUB_SERVER_URL?.replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY;
  const sha = commit || env.GITHUB_SHA;
  if (!server || !repository || !sha) return undefined;
  if (!/^https?:\/\/[^\s"'<>()|\\]+$/.test(server) || !/^[\w.-]+\/[\w.-]+$/.test(repository)) return undefined;
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha)) return undefined;
  return { server, repository, commit: sha };
}

export async function writeJsonReport(report: Report, file: string): Promise<void> {
  await writeText(file, JSON.stringify(report, null, 2) + '\n');
}

/** The job summary body: the shared renderer held under GitHub's 1 MiB cap (bytes, not characters). */
export function summaryMarkdown(
  report: Report,
  opts: { fullReport?: string; preamble?: string; footer?: string } = {}
): string {
  let budget = SUMMARY_LIMIT - 4096;
  for (;;) {
    const md =
      renderMarkdown(report, { maxChars: budget, fullReport: opts.fullReport, preamble: opts.preamble }) +
      (opts.footer ?? '');
    if (Buffer.byteLength(md) <= SUMMARY_LIMIT - 1024) return md;
    budget = Math.floor(budget * 0.7); // multi-byte text: shrink until the bytes fit
  }
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
  endLine?: number;
}

/** GitHub shows about 10 annotations of each level per step; more are dropped silently. */
export const ANNOTATIONS_PER_LEVEL = 10;

const LEVEL: Record<Severity, Annotation['level']> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice'
};

export function annotationsFor(
  report: Report,
  perLevel = ANNOTATIONS_PER_LEVEL
): { annotations: Annotation[]; omitted: number } {
  const used = { error: 0, warning: 0, notice: 0 };
  const annotations: Annotation[] = [];
  let omitted = 0;
  for (const f of report.findings.filter(isActive)) {
    const level = LEVEL[f.severity];
    if (used[level] >= perLevel) {
      omitted++;
      continue;
    }
    used[level]++;
    annotations.push({
      level,
      title: `${f.title} (${f.ruleId})`,
      message: `${f.message}${f.evidence ? `\nEvidence: ${f.evidence.slice(0, 200)}` : ''}\nFix: ${f.remediation}`,
      file: f.location?.file,
      startLine: f.location?.line,
      startColumn: f.location?.column,
      endLine: f.location?.endLine
    });
  }
  return { annotations, omitted };
}

/** What a terminal line is, for colour; the CLI maps each to a style, or to nothing. */
export type TextRole = Severity | 'notChecked' | 'error' | 'note' | 'dim' | 'pass' | 'fail';
export type Paint = (role: TextRole, text: string) => string;
const plain: Paint = (_role, text) => text;

/** A plain-text rendering for terminals (the CLI): findings, what was not checked, the figures and a count line. */
export function renderText(report: Report, opts: { paint?: Paint } = {}): string {
  const paint = opts.paint ?? plain;
  const lines: string[] = [];
  const indent = ' '.repeat(9);
  for (const f of report.findings.filter(isActive)) {
    lines.push(`${paint(f.severity, f.severity.toUpperCase().padEnd(8))} ${f.ruleId}  ${locationText(f) || '-'}`);
    lines.push(`${indent}${f.title}: ${f.message}`);
    if (f.evidence)
      lines.push(paint('dim', `${indent}evidence: ${JSON.stringify(f.evidence).slice(1, -1).slice(0, 160)}`));
    lines.push(`${indent}fix: ${f.remediation}`);
  }
  for (const n of report.notChecked)
    lines.push(`${paint('notChecked', 'NOT CHECKED')} ${n.check}${n.target ? ` (${n.target})` : ''}: ${n.reason}`);
  for (const e of report.errors) lines.push(`${paint('error', 'ERROR')} ${e}`);
  for (const n of report.notes) lines.push(`${paint('note', 'NOTE')} ${n}`);
  const stats = Object.entries(report.stats).map(([k, v]) => `${k}: ${v}`);
  if (stats.length) lines.push(paint('dim', stats.join(' · ')));
  const active = report.findings.filter(isActive);
  const suppressed = report.findings.length - active.length;
  lines.push(
    `${report.name}: ${active.length} finding${active.length === 1 ? '' : 's'}` +
      `${suppressed ? `, ${suppressed} suppressed` : ''}${report.notChecked.length ? `, ${report.notChecked.length} not checked` : ''}`
  );
  return lines.join('\n') + '\n';
}
