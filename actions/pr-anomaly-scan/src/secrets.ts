// Credentials added by the PR, found by secretlint's maintained recommended
// preset (not our own vendor regexes). Only candidate lines are kept while
// the diff streams; the secret itself never reaches a message or evidence.
import { type Finding, createFinding } from '@security-actions/core';
import type { AddedLine } from './types';
import { RULES } from './rules';

/** Cheap pre-filter: a long token-like run or a PEM header. Everything else cannot be a credential. */
const OTHER = /PRIVATE KEY|:\/\/[^/\s:@]+:[^/\s@]+@/;
const TOKEN_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=.:')
  TOKEN_CHAR[c.charCodeAt(0)] = 1;

/** A run of 20 token characters, found in one linear pass (a regex retries up to 20 times per position). */
function hasTokenRun(s: string): boolean {
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128 && TOKEN_CHAR[c]) {
      if (++run >= 20) return true;
    } else run = 0;
  }
  return false;
}
const isCandidate = (s: string) => hasTokenRun(s) || ((s.includes('PRIVATE KEY') || s.includes('@')) && OTHER.test(s));
const MAX_CANDIDATE_BYTES = 8 * 1024 * 1024;

export class SecretCollector {
  private files = new Map<string, AddedLine[]>();
  private bytes = 0;
  truncated = false;

  add(path: string, lines: AddedLine[], all?: string): void {
    if (all !== undefined && !isCandidate(all)) return;
    if (/\.(ipynb|svg|lock|min\.js|map)$/.test(path) || /(^|\/)(package-lock\.json|yarn\.lock)$/.test(path)) return;
    const keep = lines.filter((l) => isCandidate(l.text));
    if (!keep.length) return;
    for (const l of keep) this.bytes += l.text.length;
    if (this.bytes > MAX_CANDIDATE_BYTES) {
      this.truncated = true;
      return;
    }
    this.files.set(
      path,
      keep.map((l) => ({ line: l.line, text: l.text.slice(0, 4096) }))
    );
  }

  async scan(): Promise<Finding[]> {
    if (!this.files.size) return [];
    const { lintSource } = await import('@secretlint/core');
    const { creator } = await import('@secretlint/secretlint-rule-preset-recommend');
    const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
    const out: Finding[] = [];
    for (const [path, lines] of this.files) {
      const result = await lintSource({
        source: { filePath: `/${path}`, content: lines.map((l) => l.text).join('\n'), contentType: 'text' },
        options: { config, maskSecrets: true }
      });
      for (const m of result.messages) {
        const l = lines[m.loc.start.line - 1];
        if (!l) continue;
        const kind = m.ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
        out.push(
          createFinding(RULES.SECRET, {
            message: `A ${kind} credential is added (detected by secretlint ${kind}).`,
            location: { file: path, line: l.line, column: m.loc.start.column + 1 },
            evidence: `${kind} credential (masked)`,
            // The fingerprint must not be a hash of the secret (it would let anyone confirm a guess).
            key: `${kind}:${l.line}`,
            properties: { detector: m.ruleId }
          })
        );
      }
    }
    return out;
  }
}
