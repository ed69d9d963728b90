// Credentials added by the PR, found by secretlint's maintained recommended
// preset (not our own vendor regexes). Only candidate lines are kept while
// the diff streams; the secret itself never reaches a message or evidence.
import { type Finding, createFinding, oneLine } from '@security-actions/core';
import type { AddedLine } from './types';
import { RULES } from './rules';

/** Cheap pre-filter: a long token-like run or a PEM header. Everything else cannot be a credential. */
const OTHER = /PRIVATE KEY|:\/\/[^/\s:@]+:[^/\s@]+@/;
const TOKEN_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=.:')
  TOKEN_CHAR[c.charCodeAt(0)] = 1;
const RUN = 20;
const isToken = (c: number) => c < 128 && TOKEN_CHAR[c] === 1;

/**
 * A run of RUN token characters. Looks at the last character of each window first: when it is not a
 * token character no run can cover it and the window jumps past it, so most text is read one
 * character in RUN; when it is, the window is checked backwards and restarts after any break.
 */
function hasTokenRun(s: string): boolean {
  let start = 0;
  for (let end = RUN - 1; end < s.length; end = start + RUN - 1) {
    if (!isToken(s.charCodeAt(end))) {
      start = end + 1;
      continue;
    }
    let i = end - 1;
    while (i >= start && isToken(s.charCodeAt(i))) i--;
    if (i < start) return true;
    start = i + 1;
  }
  return false;
}
const isCandidate = (s: string) => hasTokenRun(s) || ((s.includes('PRIVATE KEY') || s.includes('@')) && OTHER.test(s));
/** Characters of candidate lines linted together. */
const BATCH = 1 << 20;

/**
 * The lines joined into a string of its own. A line is a slice of its whole file's text (the patch reader
 * decodes a file at once), so keeping the slice would keep the file; joining two or more copies them.
 */
const flat = (texts: string[]) => (texts.length > 1 ? texts.join('\n') : Buffer.from(texts[0]).toString());
const SKIPPED = /\.(ipynb|svg|lock|min\.js|map)$|(^|\/)(package-lock\.json|yarn\.lock)$/;

/**
 * Files linted on their own rather than in the shared call: the preset's npm rule reads the file name
 * (package.json, .npmrc); a `secretlint-disable` comment must not reach past its own file; and secretlint
 * also breaks lines at CR, U+2028 and U+2029, which would shift the line numbers of the files after.
 */
const OWN_CALL = (path: string, text: string) =>
  /(^|\/)(package\.json|\.npmrc)$/.test(path) || text.includes('secretlint-') || /[\r\u2028\u2029]/.test(text);

interface Candidates {
  path: string;
  /** The added line number of each candidate line. */
  numbers: number[];
  /** The candidate lines, joined by newlines. */
  text: string;
}
interface Message {
  ruleId: string;
  loc: { start: { line: number; column: number }; end: { line: number } };
}
export type Lint = (filePath: string, content: string) => Promise<Message[]>;

/**
 * Collects the candidate lines of each file as the diff streams and lints them in batches of about
 * BATCH characters, keeping only what secretlint reports: memory stays bounded however large the PR.
 */
export class SecretCollector {
  private pending: Candidates[] = [];
  private pendingChars = 0;
  private batches: Promise<Finding[]>[] = [];
  private linter?: Promise<Lint>;
  /** Why some candidate lines were not linted (secretlint failed on their batch); the others' findings stand. */
  failure?: string;

  constructor(private readonly load: () => Promise<Lint> = loadLinter) {}

  add(path: string, lines: AddedLine[], all?: string): void {
    if (SKIPPED.test(path) || (all !== undefined && !isCandidate(all))) return;
    const numbers: number[] = [];
    const texts: string[] = [];
    for (const l of lines) {
      if (!isCandidate(l.text)) continue;
      numbers.push(l.line);
      texts.push(l.text.slice(0, 4096));
    }
    if (!numbers.length) return;
    const text = flat(texts);
    this.pending.push({ path, numbers, text });
    this.pendingChars += text.length;
    if (this.pendingChars >= BATCH) this.flush();
  }

  /** The findings of every batch linted (see `failure` for those that were not). */
  async scan(): Promise<Finding[]> {
    this.flush();
    return (await Promise.all(this.batches)).flat();
  }

  private flush(): void {
    if (!this.pending.length) return;
    const files = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    this.linter ??= this.load();
    // Caught at once: a rejection nobody awaits yet would end the process.
    const batch = this.linter.then((lint) => lintAll(files, lint)).then((messages) => findingsOf(files, messages));
    this.batches.push(batch.catch((e: unknown) => ((this.failure ??= oneLine(e)), [])));
  }
}

async function loadLinter(): Promise<Lint> {
  const { lintSource } = await import('@secretlint/core');
  const { secretLintProfiler } = await import('@secretlint/profiler');
  const { creator } = await import('@secretlint/secretlint-rule-preset-recommend');
  // Its built-in profiler records every call (and its observer's cost grows with the calls made): off.
  secretLintProfiler.setEnabled(false);
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
  return async (filePath, content) =>
    (await lintSource({ source: { filePath, content, contentType: 'text' }, options: { config, maskSecrets: true } }))
      .messages;
}

function findingsOf(files: Candidates[], messages: Message[][]): Finding[] {
  const out: Finding[] = [];
  files.forEach((f, i) => {
    for (const m of messages[i]) {
      const line = f.numbers[m.loc.start.line - 1];
      if (line === undefined) continue;
      const kind = m.ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
      out.push(
        createFinding(RULES.SECRET, {
          message: `A ${kind} credential is added (detected by secretlint ${kind}).`,
          location: { file: f.path, line, column: m.loc.start.column + 1 },
          evidence: `${kind} credential (masked)`,
          // The fingerprint must not be a hash of the secret (it would let anyone confirm a guess).
          key: `${kind}:${line}`,
          properties: { detector: m.ruleId }
        })
      );
    }
  });
  return out;
}

/**
 * Each file's secretlint messages, as if every file were linted on its own (lines numbered within it), in
 * far fewer calls: a call costs about as much as linting 4 kB. Files go through one shared call, joined by
 * newlines; the rules are regular expressions over the text, so a match inside one file is found there
 * exactly as alone. A match that runs from one file into the next (a key's header here, its end there)
 * could hide or invent one, so every file such a match touches is linted again on its own.
 */
export async function lintAll(files: Candidates[], lint: Lint): Promise<Message[][]> {
  const out: Message[][] = files.map(() => []);
  const alone = new Set<number>();
  const shared: number[] = [];
  files.forEach((f, i) => (OWN_CALL(f.path, f.text) ? alone.add(i) : shared.push(i)));
  if (shared.length) {
    // firstLine[k]: the line of the joined text where shared file k starts (1-based).
    const firstLine: number[] = [];
    let line = 1;
    for (const i of shared) {
      firstLine.push(line);
      line += files[i].numbers.length;
    }
    const fileAt = (n: number) => {
      let lo = 0;
      let hi = firstLine.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (firstLine[mid] <= n) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    const joined = await lint('/pr-anomaly-scan-added-lines', shared.map((i) => files[i].text).join('\n'));
    const found: [number, Message][] = [];
    for (const m of joined) {
      const k = fileAt(m.loc.start.line);
      const last = fileAt(m.loc.end.line);
      if (last !== k) for (let j = k; j <= last; j++) alone.add(shared[j]);
      const start = { line: m.loc.start.line - firstLine[k] + 1, column: m.loc.start.column };
      found.push([shared[k], { ...m, loc: { ...m.loc, start } }]);
    }
    for (const [i, m] of found) if (!alone.has(i)) out[i].push(m);
  }
  for (const i of alone) out[i] = await lint(`/${files[i].path}`, files[i].text);
  return out;
}
