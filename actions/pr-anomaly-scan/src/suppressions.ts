// The scan's own suppressions, as core entries that the shared runner applies
// with the config file's ignores: inline comments
// (`pr-anomaly-scan: ignore[rule-id] reason`) and the content-hash allowlist
// of the config's `pr-anomaly-scan:` section.
import { type Config, type SuppressionEntry, includesBy, literalPath } from '@security-actions/core';
import type { AddedLine } from './types';
import { RULES as R } from './rules';

const SUPPRESS = /pr-anomaly-scan:\s*ignore\[([a-z0-9/,\s-]+)\](.*)$/;

export interface InlineIgnore {
  line: number;
  rules: string[];
  /** Empty when none was written: such an ignore is not applied. */
  reason: string;
}

/** `text` holds `pr-anomaly-scan:`, the start of every inline ignore (every added text is asked; almost none holds one). */
export const mayHoldIgnore = (text: string): boolean => includesBy(text, 'pr-anomaly-scan:', '-scan:');

/** `pr-anomaly-scan: ignore[rule-id] reason` comments among the given lines. */
export function inlineIgnores(lines: readonly AddedLine[]): InlineIgnore[] {
  const out: InlineIgnore[] = [];
  for (const l of lines) {
    const m = SUPPRESS.exec(l.text);
    if (!m) continue;
    out.push({
      line: l.line,
      rules: m[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      reason: m[2].replace(/(-->|\*\/)\s*$/, '').trim()
    });
  }
  return out;
}

/**
 * Rules no inline comment silences: the record of the ignores a PR adds, and
 * a credential, which is public once pushed (it is revoked, not silenced; a
 * config ignore by line or fingerprint still applies to a false alarm).
 */
const NOT_INLINE = new Set([R.META_SUPPRESSION.id, R.SECRET.id]);

/**
 * Entries for the ignores with a reason in `file`: each covers the rules it
 * names on its own line and the next, or up to the line `last` gives for it.
 * `only` narrows the rules further.
 */
export function inlineSuppressions(
  file: string,
  ignores: InlineIgnore[],
  only: (ruleId: string) => boolean = () => true,
  last: (ig: InlineIgnore) => number = (ig) => ig.line + 1
): SuppressionEntry[] {
  const path = literalPath(file);
  return ignores
    .filter((ig) => ig.reason)
    .flatMap((ig) => {
      const lines = Array.from({ length: Math.max(2, last(ig) - ig.line + 1) }, (_, i) => ig.line + i);
      return ig.rules
        .filter((rule) => !NOT_INLINE.has(rule) && only(rule))
        .flatMap((rule) =>
          lines.map((line) => ({
            rule,
            path,
            line,
            reason: ig.reason,
            source: `${file}:${ig.line}`,
            kind: 'inSource' as const
          }))
        );
    });
}

const indent = (text: string) => text.length - text.trimStart().length;
const blank = (text: string) => !text.trim() || text.trimStart().startsWith('#');

/**
 * The last line an ignore comment in a YAML file covers: the YAML entry it
 * stands above (or ends, when written after a value) with everything nested
 * under it, so an ignore above a step covers a finding inside its `run:`
 * script as it covers one on the step's first line.
 */
export function workflowIgnoreSpan(lines: AddedLine[], commentLine: number): number {
  const at = lines.findIndex((l) => l.line === commentLine);
  if (at < 0) return commentLine + 1;
  const trailing = !lines[at].text.trimStart().startsWith('#');
  const first = trailing ? at : lines.findIndex((l, i) => i > at && !blank(l.text));
  if (first < 0) return commentLine + 1;
  // A list item's keys sit deeper than its dash; anything at or above the entry's own indentation ends it.
  const base = indent(lines[first].text);
  let end = first;
  for (let i = first + 1; i < lines.length && (blank(lines[i].text) || indent(lines[i].text) > base); i++)
    if (!blank(lines[i].text)) end = i;
  return lines[end].line;
}

/** An item of the section's `allow:` list (its shape is checked by config.schema.json). */
interface AllowItem {
  sha256: string;
  reason: string;
  rule?: string;
  expires?: string;
}

/**
 * The allowlist of known fixtures and lines: matched on the SHA-256 of a
 * binary file's content or of a finding's trimmed line (`contentSha256`), so
 * an allowed file or line stays allowed wherever it moves.
 */
export function allowSuppressions(config: Config): SuppressionEntry[] {
  const allow = (config.sections['pr-anomaly-scan']?.allow ?? []) as AllowItem[];
  return allow.map((a, i) => ({
    ...(a.rule ? { rule: a.rule } : {}),
    properties: { contentSha256: a.sha256 },
    reason: a.reason,
    ...(a.expires ? { expires: a.expires } : {}),
    source: `${config.file ?? 'config'} pr-anomaly-scan.allow.${i} (sha256 ${a.sha256.slice(0, 12)})`
  }));
}
