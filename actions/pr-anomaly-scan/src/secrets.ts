// Credentials added by the PR, found by secretlint's maintained recommended
// preset (not our own vendor regexes). Only candidate lines are kept while
// the diff streams; the secret itself never reaches a message or evidence.
import { type Finding, createFinding, includesBy, lastAtMost, oneLine } from '@security-actions/core';
import { literalOrLineEnd, structured } from './anchors';
import { RULES } from './rules';

/** The first pre-filter: a long token-like run or a PEM header. Everything else cannot be a credential. */
const OTHER = /PRIVATE KEY|:\/\/[^/\s:@]+:[^/\s@]+@/;
/** 1 for a token character, by UTF-16 code unit: every unit is an index, so a read needs no range test first. */
const TOKEN_CHAR = new Uint8Array(65536);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=.:')
  TOKEN_CHAR[c.charCodeAt(0)] = 1;
const RUN = 20;
const isToken = (c: number) => TOKEN_CHAR[c] === 1;

/**
 * Where the first run of RUN token characters at or after `from` ends (-1: none). Looks at the last
 * character of each window first: when it is not a token character no run can cover it and the window
 * jumps past it, so most text is read one character in RUN; when it is, the window is checked backwards
 * and restarts after any break. The characters up to `known` are token characters already read, so a
 * restarted window reads back only to them (code is mostly token characters: each is read once, not twice).
 */
export function tokenRun(s: string, from = 0): number {
  let start = from;
  let known = from;
  for (let end = start + RUN - 1; end < s.length; end = start + RUN - 1) {
    if (!isToken(s.charCodeAt(end))) {
      start = known = end + 1;
      continue;
    }
    let i = end - 1;
    while (i >= known && isToken(s.charCodeAt(i))) i--;
    if (i < known) return end;
    start = i + 1;
    known = end + 1;
  }
  return -1;
}
const isCandidate = (s: string) =>
  tokenRun(s) !== -1 || ((s.includes('PRIVATE KEY') || s.includes('@')) && OTHER.test(s));

/** What makes a rule read past a line: a private key's body lines, a `secretlint-disable` comment's reach. */
const SPANS = /PRIVATE KEY|secretlint-/;
/** Files the npm rule reads by name. */
const NPM_FILE = /(^|\/)(package\.json|\.npmrc)$/;
/**
 * A notebook output's image (`"image/png": "iVBOR…"`, one line of base64 in nbformat 4): the bytes of a
 * picture, not text anyone typed, so not a candidate line. A token there could only be a chance run of
 * base64 (a false alarm), and the automaton would walk every byte of it. Read in place from the line's start
 * (`lastIndex`), as `^\s*"image\/[\w.+-]+":\s*"` on the line alone: its spaces exclude the newline.
 */
const NOTEBOOK_IMAGE = /[^\S\n]*"image\/[\w.+-]+":[^\S\n]*"/y;

type Candidate = { i: number; text: string };

/**
 * The lines of a file's added text that secretlint must see (`i`: the line's index), exactly what linting
 * every candidate line (the first pre-filter) finds: the candidate lines that hold an anchor, with the
 * next candidate line after each (the AWS rule's `key =` may end one line and its value start the next).
 * A file with a private key, a `secretlint-disable` comment or a name the npm rule reads keeps every
 * candidate line.
 */
export function candidateLines(path: string, text: string): Candidate[] {
  if (SKIPPED.test(path)) return [];
  return (
    (!NPM_FILE.test(path) && !includesBy(text, 'PRIVATE KEY', 'KEY') && anchoredLines(text, path.endsWith('.ipynb'))) ||
    everyCandidate(text)
  );
}

function everyCandidate(text: string): Candidate[] {
  if (!isCandidate(text)) return [];
  return text
    .split('\n')
    .map((line, i) => ({ i, text: line }))
    .filter((l) => isCandidate(l.text));
}

/**
 * The anchored candidate lines and their successors; undefined when one reads past its line (SPANS). One
 * pass from a line's start finds its first literal anchor or its end; a line is sliced only when it is kept
 * or its structure must be read (most candidate lines are neither). Lines without a token run are read
 * only when they hold an `@`: without a private key in the text, OTHER and every structure need one.
 */
function anchoredLines(text: string, notebook: boolean): Candidate[] | undefined {
  const out: Candidate[] = [];
  let run = tokenRun(text);
  let mail = text.indexOf('@');
  let next = false; // the next candidate line is kept too
  let counted = 0; // lines before offset `upTo`
  let upTo = 0;
  while (run !== -1 || mail !== -1) {
    const at = run === -1 ? mail : mail === -1 ? run : Math.min(run, mail);
    const start = text.lastIndexOf('\n', at) + 1;
    let end: number;
    if (notebook && ((NOTEBOOK_IMAGE.lastIndex = start), NOTEBOOK_IMAGE.test(text))) {
      const nl = text.indexOf('\n', at);
      end = nl === -1 ? text.length : nl;
    } else {
      const stop = literalOrLineEnd(text, start);
      const literal = stop !== -1 && text.charCodeAt(stop) !== 10;
      const nl = literal ? text.indexOf('\n', stop) : stop;
      end = nl === -1 ? text.length : nl;
      // `mail` is the first `@` from this line's start on (no line before it reached here holds one).
      const hasAt = mail !== -1 && mail < end;
      if ((run !== -1 && run < end) || (hasAt && OTHER.test(text.slice(start, end)))) {
        const anchor = literal || (hasAt && structured(text.slice(start, end)));
        if (anchor && SPANS.test(text.slice(start, end))) return undefined;
        if (anchor || next) {
          for (let k = text.indexOf('\n', upTo); k !== -1 && k < start; k = text.indexOf('\n', k + 1)) counted++;
          upTo = start;
          out.push({ i: counted, text: text.slice(start, end) });
        }
        next = anchor;
      }
    }
    if (run !== -1 && run < end) run = tokenRun(text, end + 1);
    if (mail !== -1 && mail < end) mail = text.indexOf('@', end);
  }
  return out;
}

/** Characters of candidate lines linted together. */
const BATCH = 1 << 20;

// Notebooks are read (a token in a cell or a printed output is committed like any other); only their
// image outputs are base64 runs, and the anchors keep those from secretlint.
const SKIPPED = /\.(svg|lock|min\.js|map)$|(^|\/)(package-lock\.json|yarn\.lock)$/;

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

  /** A file's added lines: `text` joined by newlines, `numbers` the line number of each. */
  add(path: string, text: string, numbers: ArrayLike<number>): void {
    const keep = candidateLines(path, text);
    if (!keep.length) return;
    const texts = keep.map((l) => l.text.slice(0, 4096));
    // Joined into a string of its own: a slice of the file's text would keep the whole file alive.
    const flat = texts.length > 1 ? texts.join('\n') : Buffer.from(texts[0]).toString();
    this.pending.push({ path, numbers: keep.map((l) => numbers[l.i]), text: flat });
    this.pendingChars += flat.length;
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
    const fileAt = (n: number) => lastAtMost(firstLine, n);
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
