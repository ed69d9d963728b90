// What every rule over added lines shares: the hit it returns, how evidence
// is shortened, which files are prose, the keyword pre-checks, and the
// finding a hit becomes.
import { createHash } from 'node:crypto';
import { type Confidence, type Finding, type Rule, type Severity, createFinding } from '@security-actions/core';
import type { AddedLine } from './types';

export const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const PROSE_EXT = /\.(md|rst|txt|tex|html?|po|pot|svg|xml|csv|tsv|bib|ipynb)$/i;
export const isProse = (p: string) => PROSE_EXT.test(p);

export interface LineHit {
  rule: Rule;
  line: AddedLine;
  message: string;
  evidence: string;
  severity?: Severity;
  confidence?: Confidence;
  properties?: Record<string, unknown>;
}

// Literal pre-checks (substring search, much faster than a regex alternation over megabytes) decide which
// keyword groups occur in a file's added text; the per-line patterns run only for those.
const GROUPS: Record<string, string[]> = {
  decode: ['decode', 'fromhex', 'unhexlify', 'atob', 'Buffer.from'],
  decompress: ['decompress', 'loads', 'Sync('],
  chr: ['chr(', 'CharCode', '\\'],
  packer: ['pyarmor', 'p,a,c,k,e,', '_0x', 'jsfuck'],
  process: ['subprocess', 'os.system', 'os.popen', 'Thread(', 'Popen']
};

export const hasKeyword = (all: string, group: string) => GROUPS[group].some((w) => all.includes(w));

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
