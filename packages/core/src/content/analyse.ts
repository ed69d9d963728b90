// The entry points of the content analysers (index.ts lists the module's API):
// the rules of every analyser, and one file's text or bytes through them.
import type { Finding } from '../findings';
import { RuleRegistry, rulesOf } from '../rules';
import { BEHAVIOUR_RULES, downloadHits, exfiltrationHits, shadyLinkHits, silentProcessHits } from './behaviour';
import { BINARY_RULES, analyseBinary, blobFacts } from './binary';
import { type Hit, toFinding } from './hit';
import { HOOK_RULES, distSinkHits, npmHookHits, setupPyHits } from './hooks';
import { OBFUSCATION_RULES, decompressHits, longLiteralHits, sinkHits } from './obfuscation';
import { PACKING_RULES, charCodeHits, minifiedHit, packerHits } from './packing';
import { newScan } from './scan';
import { SHELL_RULES, shellHits } from './shell';
import { type Line, Text, isCode } from './source';
import { UNICODE_RULES, unicodeHits } from './unicode';

export const CONTENT_RULES = {
  ...UNICODE_RULES,
  ...OBFUSCATION_RULES,
  ...PACKING_RULES,
  ...SHELL_RULES,
  ...BEHAVIOUR_RULES,
  ...HOOK_RULES,
  ...BINARY_RULES
} as const;

/** The content rules, for the registry of every action or command that runs them. */
export const CONTENT_REGISTRY = new RuleRegistry(
  'content',
  rulesOf(UNICODE_RULES, OBFUSCATION_RULES, PACKING_RULES, SHELL_RULES, BEHAVIOUR_RULES, HOOK_RULES, BINARY_RULES)
);

export interface AddedContext {
  /** The added lines joined by `\n`, when the caller already built it (saves a copy). */
  joined?: string;
  /**
   * The file before the change. Only the bundle rule reads it: a sink that
   * was already in the old bundle is not new. Without it, every sink in the
   * added lines of a `dist/` file counts, at a lower severity.
   */
  before?: string;
}

/** Added lines as one text: `joined` (the lines joined by `\n`) and the number of each line. */
export interface JoinedLines {
  joined: string;
  numbers: Int32Array;
  /** How many UTF-8 bytes `joined` was decoded from, when known (saves the Unicode rule a pass over the text). */
  utf8Bytes?: number;
}

/** Findings on the lines a change adds to one text file, given as line objects or as one joined text. */
export function analyseAdded(path: string, lines: readonly Line[] | JoinedLines, ctx: AddedContext = {}): Finding[] {
  if ('numbers' in lines)
    return lines.numbers.length
      ? run(Text.ofJoined(path, lines.joined, lines.numbers, lines.utf8Bytes), 'added', ctx.before)
      : [];
  if (!lines.length) return [];
  return run(Text.ofLines(path, lines, ctx.joined), 'added', ctx.before);
}

/** Findings on every line of one text file (tree mode). */
export function analyseText(path: string, text: string): Finding[] {
  return text.length ? run(Text.ofFile(path, text), 'file') : [];
}

/** Git's test: a NUL byte in the first 8,000 bytes makes a file binary. */
export const isBinary = (bytes: Uint8Array): boolean => bytes.subarray(0, 8000).includes(0);

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Share of control bytes (other than tab, newline, carriage return, form feed). */
function controlShare(bytes: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < bytes.length; k++) {
    const b = bytes[k];
    if (b < 9 || (b > 13 && b < 32) || b === 127) n++;
  }
  return n / Math.max(1, bytes.length);
}

/**
 * Findings on one file of a checkout: the binary rules for a binary, the
 * text rules otherwise (decoded once). A file that is not UTF-8 and holds
 * control bytes is binary even without a NUL in its first 8,000 bytes (FITS
 * files start with kilobytes of ASCII header); one without them is Latin-1 text.
 */
export async function analyseFile(path: string, content: Uint8Array | string): Promise<Finding[]> {
  if (typeof content === 'string') return analyseText(path, content);
  if (isBinary(content)) return analyseBinary(path, blobFacts(content), { status: 'present' });
  let text: string;
  try {
    text = utf8.decode(content);
  } catch {
    if (controlShare(content) > 0.01) return analyseBinary(path, blobFacts(content), { status: 'present' });
    text = latin1.decode(content);
  }
  return analyseText(path, text);
}

function run(t: Text, mode: 'added' | 'file', before?: string): Finding[] {
  const s = newScan(t, mode, before);
  const hits: Hit[] = [...unicodeHits(s), ...longLiteralHits(s)];
  if (
    isCode(t.kind) ||
    t.kind.name === 'package.json' ||
    /(?:pip\.conf|pip\.ini|uv\.toml|pyproject\.toml)$/.test(t.path)
  ) {
    hits.push(
      ...sinkHits(s),
      ...decompressHits(s),
      ...charCodeHits(s),
      ...packerHits(s),
      ...minifiedHit(s),
      ...downloadHits(s),
      ...exfiltrationHits(s),
      ...shadyLinkHits(s),
      ...silentProcessHits(s),
      ...shellHits(s),
      ...npmHookHits(s),
      ...setupPyHits(s),
      ...distSinkHits(s)
    );
  }
  return hits.map((h) => toFinding(t, h));
}
