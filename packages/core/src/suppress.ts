// The one suppression mechanism of the suite. Every way a maintainer can
// silence a finding (the config file's `ignores`, an action section such as
// verify-deps' advisory ignores or pr-anomaly-scan's content-hash allowlist,
// access-audit's per-check exemptions, an inline comment) becomes a
// SuppressionEntry, and the shared runner applies them all here, once, with
// one expiry rule: an expired entry suppresses nothing and says so.
import picomatch from 'picomatch';
import type { Finding } from './findings';

export interface SuppressionEntry {
  rule?: string;
  /** Glob of files, relative to the scanned root. */
  path?: string;
  /** Only the finding on this line (with `path`). */
  line?: number;
  fingerprint?: string;
  /**
   * Finding properties that must all match: the finding's value, or one of
   * its values when it is a list, equals this one once both are lower-cased
   * and runs of `-`, `_` and `.` are folded (so package names compare as PEP
   * 503 says).
   */
  properties?: Record<string, string>;
  reason: string;
  /** Last day (YYYY-MM-DD) the entry applies. */
  expires?: string;
  /** Where it was written, for reports: `file:line`, or a description. */
  source: string;
  /** `inSource` for a comment in the scanned code; `external` (the default) otherwise. */
  kind?: 'inSource' | 'external';
}

export interface SuppressionOptions {
  /** Today (YYYY-MM-DD, UTC). */
  today: string;
  /** False for rules whose evidence can be planted anywhere: only a line, fingerprint or content match may silence them. */
  pathIgnorable?: (ruleId: string) => boolean;
}

const fold = (v: unknown) =>
  String(v)
    .toLowerCase()
    .replace(/[-_.]+/g, '-');

function propertiesMatch(f: Finding, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => {
    const have = f.properties?.[k];
    if (have === undefined || have === null) return false;
    return (Array.isArray(have) ? have : [have]).some((h) => fold(h) === fold(v));
  });
}

/** Whether an entry names something more specific than a rule and a path. */
const isSpecific = (e: SuppressionEntry) =>
  e.fingerprint !== undefined || e.line !== undefined || Object.keys(e.properties ?? {}).length > 0;

/**
 * Suppresses the findings the entries match (the first unexpired match wins;
 * a finding already suppressed keeps its suppression). Returns notes for
 * entries that matched but had expired: their findings stand.
 */
export function applySuppressions(
  findings: Finding[],
  entries: SuppressionEntry[],
  opts: SuppressionOptions
): { findings: Finding[]; notes: string[] } {
  if (!entries.length) return { findings, notes: [] };
  const matchers = entries.map((e) => ({ e, path: e.path ? picomatch(e.path, { dot: true }) : undefined }));
  const expired = new Set<SuppressionEntry>();
  const out = findings.map((f) => {
    if (f.suppression) return f;
    for (const { e, path } of matchers) {
      if (e.rule && e.rule !== f.ruleId) continue;
      if (e.fingerprint && e.fingerprint !== f.fingerprint) continue;
      if (path && !(f.location && path(f.location.file))) continue;
      if (e.line !== undefined && f.location?.line !== e.line) continue;
      if (e.properties && !propertiesMatch(f, e.properties)) continue;
      if (!isSpecific(e) && opts.pathIgnorable && !opts.pathIgnorable(f.ruleId)) continue;
      if (e.expires && e.expires < opts.today) {
        expired.add(e);
        continue;
      }
      return {
        ...f,
        suppression: { kind: e.kind ?? 'external', reason: e.reason, expires: e.expires, source: e.source }
      };
    }
    return f;
  });
  const notes = [...expired].map(
    (e) =>
      `The ignore at ${e.source} expired on ${e.expires}; its findings are reported again. Renew it with a new date or fix the findings.`
  );
  return { findings: out, notes };
}

/** A calendar date as written (YYYY-MM-DD) that exists: 2025-02-30 does not. */
export function isCalendarDate(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/**
 * A `path` that matches exactly this file, whatever characters its name holds
 * (`[`, `*`, `{`, `!`... are glob syntax in `path`): for entries built from a
 * finding's own location, such as an inline comment's.
 */
export function literalPath(file: string): string {
  return file.replace(/[\\*?[\]{}()!+@|^$.,]/g, '\\$&');
}
