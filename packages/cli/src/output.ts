// What a report command prints and writes: the report in the format asked
// for on stdout (plain text, JSON, SARIF or GitHub workflow annotations), the
// files named by --sarif and --json, and the verdict with its exit status.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  type FailOn,
  type Paint,
  type Report,
  annotationsFor,
  countsAtOrAbove,
  isActive,
  renderText,
  sortFindings,
  toSarifLog
} from '@security-actions/core';
import { EXIT, type Io, UsageError, type Values } from './commands/types';
import type { Format } from './options';
import type { CheckRun } from './run';

export interface Verdict {
  code: number;
  /** One line, e.g. `FAIL: 2 high at or above --fail-on high`. */
  line: string;
  /** Statements made before it (nothing to check, files named that matched nothing). */
  statements: string[];
}

/**
 * The exit status: 2 when the run could not do what was asked (a usage or
 * input error: a bad input or config the report names, or files named that
 * matched nothing), 1 when an action would fail its step (findings at or
 * above --fail-on, not-checked entries it counts, or a file in the checkout
 * that could not be read, at any --fail-on but none), 0 otherwise. A file
 * that could not be read is never a usage error (the rest of the checkout was
 * checked) and never a clean pass: with --fail-on none the verdict says
 * INCOMPLETE.
 */
export function verdictOf(runs: CheckRun[], values: Values, failOn: FailOn, workspace: string): Verdict {
  const statements: string[] = [];
  let unmatched = false;
  let nothing = runs.length > 0;
  for (const { check, report } of runs) {
    if (report.examined !== 0) {
      nothing = false;
      continue;
    }
    const named = check.filesFlag ? values[check.filesFlag] : undefined;
    if (typeof named === 'string') {
      unmatched = true;
      statements.push(`${report.name}: --${check.filesFlag} '${named}' matched no file it checks (${check.looksFor}).`);
    } else {
      statements.push(`${report.name}: nothing to check in ${workspace}: no ${check.looksFor} found.`);
    }
  }
  const reports = runs.map((r) => r.report);
  const errors = reports.reduce((n, r) => n + r.errors.length, 0);
  const findings = reports.flatMap((r) => r.findings.filter(isActive));
  const notChecked = reports.reduce((n, r) => n + r.notChecked.length, 0);
  const unreadable = reports.reduce((n, r) => n + r.notChecked.filter((x) => x.input).length, 0);
  const files = `${unreadable} file${unreadable === 1 ? '' : 's'} could not be read`;
  const failing = countsAtOrAbove(findings, failOn);
  if (errors || unmatched) {
    const what = [errors ? `${errors} error${errors === 1 ? '' : 's'}` : '', unmatched ? 'no file matched' : '']
      .filter(Boolean)
      .join(', ');
    return {
      code: EXIT.usage,
      statements,
      line: `ERROR: the run is incomplete (${what}); fix the input and run again`
    };
  }
  if (runs.some((r) => r.failed)) {
    const others = notChecked - unreadable;
    const byFiles = unreadable > 0 && failOn !== 'none';
    const reasons = [
      failing.length ? `${failing.join(', ')} at or above --fail-on ${failOn}` : '',
      byFiles ? files : '',
      !failing.length && !byFiles && others ? `${others} check${others === 1 ? '' : 's'} could not run` : ''
    ].filter(Boolean);
    return { code: EXIT.findings, statements, line: `FAIL: ${reasons.join('; ')}` };
  }
  if (nothing)
    return { code: EXIT.ok, statements, line: 'NOTHING CHECKED: no file this command checks was found (see above)' };
  if (unreadable)
    return {
      code: EXIT.ok,
      statements,
      line: `INCOMPLETE: nothing at or above --fail-on ${failOn}, but ${files} (see NOT CHECKED)`
    };
  const below = findings.length;
  const extra = [
    below ? `${below} finding${below === 1 ? '' : 's'} below it` : '',
    notChecked ? `${notChecked} not checked` : ''
  ].filter(Boolean);
  return {
    code: EXIT.ok,
    statements,
    line: `PASS: nothing at or above --fail-on ${failOn}${extra.length ? ` (${extra.join('; ')})` : ''}`
  };
}

/** The reports as one: the report itself for one check; for several, everything together under the command's name. */
export function combine(name: string, reports: Report[]): Report {
  if (reports.length === 1) return reports[0];
  const rules = new Map(reports.flatMap((r) => r.rules).map((r) => [r.id, r]));
  return {
    tool: reports[0].tool,
    name,
    target: reports.find((r) => r.target)?.target,
    startedAt: reports.map((r) => r.startedAt).sort()[0],
    finishedAt: reports
      .map((r) => r.finishedAt)
      .sort()
      .pop()!,
    rules: [...rules.values()],
    findings: sortFindings(reports.flatMap((r) => r.findings)),
    notChecked: reports.flatMap((r) => r.notChecked),
    stats: Object.fromEntries(reports.flatMap((r) => Object.entries(r.stats).map(([k, v]) => [`${r.name}: ${k}`, v]))),
    notes: reports.flatMap((r) => r.notes),
    errors: reports.flatMap((r) => r.errors)
  };
}

/** The reports with a note an earlier one already made left out (every check reads the same config). */
function onceEach(reports: Report[]): Report[] {
  const seen = new Set<string>();
  return reports.map((r) => ({ ...r, notes: r.notes.filter((n) => !seen.has(n) && !!seen.add(n)) }));
}

// Workflow command escaping, as @actions/core does it.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** Every active finding as a workflow annotation; not-checked entries as warnings, errors as errors. */
export function githubAnnotations(report: Report): string {
  const lines: string[] = [];
  for (const a of annotationsFor(report, Infinity).annotations) {
    const props = Object.entries({
      file: a.file,
      line: a.startLine,
      col: a.startColumn,
      endLine: a.endLine,
      title: a.title
    })
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
      .join(',');
    lines.push(`::${a.level}${props ? ` ${props}` : ''}::${escapeData(a.message)}`);
  }
  for (const n of report.notChecked)
    lines.push(
      `::warning title=${escapeProperty(`Not checked: ${n.check}`)}::${escapeData(`${n.target ? `${n.target}: ` : ''}${n.reason}`)}`
    );
  for (const e of report.errors) lines.push(`::error title=${report.name}::${escapeData(e)}`);
  return lines.map((l) => `${l}\n`).join('');
}

/** Prints the reports and the verdict in `format`; writes the --sarif and --json files. */
export async function emit(
  name: string,
  runs: CheckRun[],
  verdict: Verdict,
  opts: { format: Format; values: Values; io: Io; quiet: boolean }
): Promise<void> {
  const { io, values } = opts;
  const reports = onceEach(runs.map((r) => r.report));
  const paint: Paint = io.paint ?? ((_r, t) => t);
  const sarif = () => JSON.stringify(toSarifLog(reports), null, 2) + '\n';
  const json = () => JSON.stringify(combine(name, reports), null, 2) + '\n';
  switch (opts.format) {
    case 'plain':
      for (const r of reports) io.out(renderText(r, { paint }));
      for (const s of verdict.statements) io.out(`${s}\n`);
      io.out(
        `${paint(verdict.code === EXIT.ok ? 'pass' : verdict.code === EXIT.usage ? 'error' : 'fail', verdict.line)}\n`
      );
      break;
    case 'json':
      io.out(json());
      break;
    case 'sarif':
      io.out(sarif());
      break;
    case 'github':
      for (const r of reports) io.out(githubAnnotations(r));
      break;
  }
  if (opts.format !== 'plain') {
    for (const s of verdict.statements) io.err(s);
    if (!opts.quiet || verdict.code) io.err(verdict.line);
  }
  for (const [flag, text] of [
    ['sarif', sarif],
    ['json', json]
  ] as const) {
    const file = values[flag];
    if (typeof file !== 'string') continue;
    const path = resolve(io.cwd, file);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text());
      if (!opts.quiet) io.err(`${flag === 'sarif' ? 'SARIF' : 'JSON report'} written to ${path}`);
    } catch (e) {
      throw new UsageError(
        `--${flag} ${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`
      );
    }
  }
}
