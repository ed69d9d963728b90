// The one findings model every action reports in. A rule is the static
// description of a check (why it matters, how to fix, which SPEC clause); a
// finding is one occurrence of it; a NotChecked records a check that could not
// run, so a missing permission or an API outage is never mistaken for a pass.
import { createHash } from 'node:crypto';
import { type Confidence, type FailOn, SEVERITIES, type Severity, highest, meetsThreshold, rank } from './severity';
import { compareStrings } from './sorted';
import type { SpecClause } from './spec';

export interface Reference {
  title: string;
  url?: string;
}

export interface Rule {
  /** Stable id, kebab-case with an optional family prefix: `workflow/unpinned-action`. */
  id: string;
  /** The family it belongs to (the id's prefix unless declared otherwise); the risk score and docs group by it. */
  group: string;
  title: string;
  /** Default severity; a finding may raise or lower it with evidence. */
  severity: Severity;
  why: string;
  remediation: string;
  spec: SpecClause[];
  references?: Reference[];
  helpUri?: string;
  /**
   * False for rules whose evidence attackers can plant anywhere (opaque
   * binaries, obfuscation, invisible Unicode): a config ignore must then name
   * a line or a fingerprint, never just a path.
   */
  pathIgnorable?: boolean;
}

export interface Location {
  /** Path relative to the scanned root, forward slashes. */
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

export interface Suppression {
  kind: 'inSource' | 'external';
  reason: string;
  expires?: string;
  /** Where the suppression came from: config file and line, or the source line. */
  source?: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  /** What was found here, in one or two sentences. */
  message: string;
  location?: Location;
  /** The matched text, already shortened and made safe to display. */
  evidence?: string;
  why: string;
  remediation: string;
  spec: SpecClause[];
  /** Stable across line shifts: rule, file and content key, not line numbers. */
  fingerprint: string;
  suppression?: Suppression;
  /**
   * Details for machines. `org` and `repo` (access-audit) say the finding is
   * about that repository, not the scanned checkout: its location is a file
   * of that repository.
   */
  properties?: Record<string, unknown>;
}

export interface NotChecked {
  /** The check (often a rule id) that did not run. */
  check: string;
  reason: string;
  /** What it would have looked at: a repo, a package, a file. */
  target?: string;
  /**
   * The input itself could not be read (a malformed file in the checkout): nothing the user opted out
   * of, so it fails the run at any fail-on but `none`, whatever counts for other not-checked entries.
   */
  input?: boolean;
}

export interface Report {
  tool: { name: string; version: string; uri: string };
  /** Which action or command produced it, e.g. `verify-deps`. */
  name: string;
  target?: string;
  startedAt: string;
  finishedAt: string;
  rules: Rule[];
  findings: Finding[];
  notChecked: NotChecked[];
  /** Counters worth showing: files scanned, API requests, ... */
  stats: Record<string, number | string>;
  /** How many files of the kinds it reads the run found, for runs over files (0: nothing to check). */
  examined?: number;
  /** Messages for the reader that are not findings (expired ignores, truncation). */
  notes: string[];
  /** Errors that stopped part of the run (bad config, unreadable input), one line each. */
  errors: string[];
  /** Machine-readable state for the next run (JSON report only, never rendered). */
  data?: Record<string, unknown>;
  /** Where the scanned files are on GitHub, when known: the reports link each location there. */
  revision?: Revision;
}

export interface Revision {
  /** GITHUB_SERVER_URL, e.g. https://github.com */
  server: string;
  /** owner/name */
  repository: string;
  /** The full SHA the findings' files and lines are at. */
  commit: string;
}

export interface FindingInput {
  severity?: Severity;
  confidence?: Confidence;
  message: string;
  location?: Location;
  evidence?: string;
  /** Content that identifies this occurrence independent of its line; defaults to evidence or message. */
  key?: string;
  why?: string;
  remediation?: string;
  properties?: Record<string, unknown>;
}

export function fingerprintOf(ruleId: string, file: string | undefined, key: string): string {
  return createHash('sha256')
    .update(`${ruleId}\0${file ?? ''}\0${key.replace(/\s+/g, ' ').trim()}`)
    .digest('hex')
    .slice(0, 32);
}

export function createFinding(rule: Rule, input: FindingInput): Finding {
  const location = input.location && normaliseLocation(input.location);
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: input.severity ?? rule.severity,
    confidence: input.confidence ?? 'high',
    message: input.message,
    location,
    evidence: input.evidence,
    why: input.why ?? rule.why,
    remediation: input.remediation ?? rule.remediation,
    spec: rule.spec,
    fingerprint: fingerprintOf(rule.id, location?.file, input.key ?? input.evidence ?? input.message),
    properties: input.properties
  };
}

function normaliseLocation(l: Location): Location {
  const clamp = (n?: number) => (n === undefined ? undefined : Math.max(1, Math.floor(n)));
  return {
    file: l.file.replace(/\\/g, '/').replace(/^\.\//, ''),
    line: clamp(l.line),
    column: clamp(l.column),
    endLine: clamp(l.endLine),
    endColumn: clamp(l.endColumn)
  };
}

/**
 * Two occurrences with the same rule, file and key would share a fingerprint;
 * number the repeats so each keeps its own identity (and its own ignore).
 */
export function disambiguateFingerprints(findings: Finding[]): Finding[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const n = seen.get(f.fingerprint) ?? 0;
    seen.set(f.fingerprint, n + 1);
    return n === 0 ? f : { ...f, fingerprint: fingerprintOf(f.ruleId, f.location?.file, `${f.fingerprint}#${n}`) };
  });
}

export const isActive = (f: Finding): boolean => !f.suppression;

/**
 * The repository (`owner/name`) a finding is about when it is not the scanned
 * checkout: access-audit names it in `properties.org` and `properties.repo`.
 */
export function findingRepository(f: Finding): string | undefined {
  const repo = f.properties?.repo;
  if (typeof repo !== 'string' || !repo) return undefined;
  const org = f.properties?.org;
  return repo.includes('/') || typeof org !== 'string' || !org ? repo : `${org}/${repo}`;
}

/** Most severe first, then by file and line, so every reporter lists findings in one order. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      rank(b.severity) - rank(a.severity) ||
      compareStrings(a.location?.file ?? '', b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      compareStrings(a.ruleId, b.ruleId)
  );
}

export interface Tally {
  active: number;
  suppressed: number;
  bySeverity: Record<Severity, number>;
  highest: Severity | 'none';
}

export function tally(findings: Finding[]): Tally {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppression) suppressed++;
    else bySeverity[f.severity]++;
  }
  const active = findings.length - suppressed;
  return { active, suppressed, bySeverity, highest: highest(findings.filter(isActive).map((f) => f.severity)) };
}

/** The active findings at or above `failOn`, counted by severity, most severe first: `['1 critical', '2 high']`. */
export function countsAtOrAbove(findings: Finding[], failOn: FailOn): string[] {
  const t = tally(findings);
  return [...SEVERITIES]
    .reverse()
    .filter((s) => meetsThreshold(s, failOn) && t.bySeverity[s] > 0)
    .map((s) => `${t.bySeverity[s]} ${s}`);
}
