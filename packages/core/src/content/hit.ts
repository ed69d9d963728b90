// A rule's hit on one line, and the finding it becomes. The finding's key is
// the line's text, so its fingerprint survives the line moving; its
// `contentSha256` lets a content-hash allowlist name the line wherever it is.
import { createHash } from 'node:crypto';
import { type Finding, type Rule, createFinding } from '../findings';
import type { Confidence, Severity } from '../severity';
import { type Text, short } from './source';

export interface Hit {
  rule: Rule;
  /** Line index in the Text. */
  i: number;
  message: string;
  /** Defaults to the line, shortened. */
  evidence?: string;
  severity?: Severity;
  confidence?: Confidence;
  properties?: Record<string, unknown>;
}

export function toFinding(t: Text, h: Hit): Finding {
  const text = t.line(h.i);
  const trimmed = text.trim();
  return createFinding(h.rule, {
    message: h.message,
    severity: h.severity,
    confidence: h.confidence,
    location: { file: t.path, line: t.lineNo(h.i) },
    evidence: h.evidence ?? short(trimmed),
    key: trimmed.slice(0, 500),
    properties: { ...h.properties, contentSha256: createHash('sha256').update(trimmed).digest('hex') }
  });
}

/** Printable-ASCII share of a decoded string, and whether it reads like code or a command. */
export function readable(s: string): { printable: boolean; suspicious: boolean } {
  if (!s.length) return { printable: false, suspicious: false };
  let ok = 0;
  let letters = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) ok++;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
  }
  const printable = ok / s.length >= 0.9 && letters / s.length >= 0.3;
  return { printable, suspicious: printable && SUSPICIOUS_TEXT.test(s) };
}

/** Words that, once decoded, show the string hid code, a command or a destination. */
export const SUSPICIOUS_TEXT =
  /exec|eval|system|import|compile|getattr|builtins|subprocess|socket|base64|https?:|popen|powershell|\/bin\/|cmd\.exe|require|child_process|Function|curl|wget|marshal|globals/i;
