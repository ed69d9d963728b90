// What the build rules over added lines share: the hit they return, how
// evidence is shortened, and the finding a hit becomes.
import { createHash } from 'node:crypto';
import { type Confidence, type Finding, type Rule, type Severity, createFinding } from '@security-actions/core';
import type { AddedLine } from './types';

export const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export interface LineHit {
  rule: Rule;
  line: AddedLine;
  message: string;
  evidence: string;
  severity?: Severity;
  confidence?: Confidence;
  properties?: Record<string, unknown>;
}

export function hitToFinding(path: string, h: LineHit): Finding {
  return createFinding(h.rule, {
    message: h.message,
    severity: h.severity,
    confidence: h.confidence,
    location: { file: path, line: h.line.line },
    evidence: h.evidence,
    key: h.line.text.trim().slice(0, 500),
    // The content-hash allowlist matches the line's hash, so an allowed line stays allowed wherever it moves.
    properties: { ...h.properties, contentSha256: createHash('sha256').update(h.line.text.trim()).digest('hex') }
  });
}
