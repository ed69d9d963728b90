// Reads a `git diff -p -U0` stream as bytes and hands over each file's added
// lines as its section ends. A line is looked at by its first bytes; only added
// lines are kept, copied into one buffer per file and decoded once, so neither
// deleted lines nor headers are decoded and a 100 MB patch costs one pass.
import { type AddedLine, type AddedText, addedText, joinedText } from './types';

/** Longest added line kept whole; longer ones are cut (a minified bundle line can be megabytes). */
const MAX_LINE = 256 * 1024;
/** Added text kept per file for the content rules (UTF-16 units, with each line's `+`); the rest is counted. */
const MAX_ADDED_PER_FILE = 8 * 1024 * 1024;

type OnLine = (b: Buffer, start: number, end: number, cut: boolean) => void;

/** Splits a byte stream into lines (`b[start..end)`, without the newline), keeping at most MAX_LINE bytes of each. */
export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private cut = false;
  constructor(private readonly onLine: OnLine) {}
  push(b: Buffer): void {
    let start = 0;
    for (let nl = b.indexOf(10, start); nl >= 0; nl = b.indexOf(10, start)) {
      if (!this.parts.length && nl - start <= MAX_LINE) {
        this.onLine(b, start, nl, false); // the common case: a whole line inside one chunk, no copy
      } else {
        this.take(b.subarray(start, nl));
        this.flush();
      }
      start = nl + 1;
    }
    if (start < b.length) this.take(b.subarray(start));
  }
  end(): void {
    if (this.kept || this.parts.length) this.flush();
  }
  private take(b: Buffer): void {
    const room = MAX_LINE - this.kept;
    if (b.length > room) this.cut = true;
    const part = b.length > room ? b.subarray(0, room) : b;
    if (part.length) {
      this.parts.push(Buffer.from(part));
      this.kept += part.length;
    }
  }
  private flush(): void {
    const line = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.onLine(line, 0, line.length, this.cut);
    this.parts = [];
    this.kept = 0;
    this.cut = false;
  }
}

/** Undoes git's C-style quoting of unusual paths (`"caf\303\251.py"`). */
export function unquotePath(s: string): string {
  if (!s.startsWith('"')) return s;
  const bytes: number[] = [];
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, '\\': 92 };
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = s[++i];
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(s.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(esc[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * One file's added lines: their bytes, newline-separated, in a buffer reused from file to file, and
 * their numbers. A file whose added bytes pass the per-file cap continues line by line, decoded, so
 * the cap counts characters exactly as it is stated.
 */
class AddedLines {
  private buf = Buffer.allocUnsafe(1 << 16);
  private len = 0;
  private numbers = new Int32Array(1 << 12);
  private count = 0;
  private cuts: number[] = [];
  private slow?: { added: AddedLine[]; kept: number };
  private truncated = false;

  add(b: Buffer, start: number, end: number, line: number, cut: boolean): void {
    const n = end - start;
    if (!this.slow && this.len + n + 1 > MAX_ADDED_PER_FILE) this.slow = this.decodeSoFar();
    if (this.slow) {
      const text = b.toString('utf8', start, end);
      if (this.slow.kept + text.length + 1 <= MAX_ADDED_PER_FILE) {
        this.slow.added.push(cut ? { line, text, cut } : { line, text });
        this.slow.kept += text.length + 1;
      } else this.truncated = true;
      return;
    }
    if (this.len + n + 1 > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n + 1));
      this.buf.copy(grown, 0, 0, this.len);
      this.buf = grown;
    }
    b.copy(this.buf, this.len, start, end);
    this.len += n;
    this.buf[this.len++] = 10;
    if (cut) this.cuts.push(this.count);
    if (this.count === this.numbers.length) {
      const grown = new Int32Array(this.count * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.count++] = line;
  }

  /** The file's AddedText (decoded at once unless it passed the cap); resets for the next file. */
  take(path: string): AddedText {
    const done = this.slow
      ? addedText(path, this.slow.added, this.truncated)
      : joinedText(path, this.text(), this.numbers.slice(0, this.count), this.cuts, Math.max(0, this.len - 1));
    this.len = 0;
    this.count = 0;
    this.cuts = [];
    this.slow = undefined;
    this.truncated = false;
    return done;
  }

  private text(): string {
    return this.len ? this.buf.toString('utf8', 0, this.len - 1) : '';
  }

  private decodeSoFar(): { added: AddedLine[]; kept: number } {
    const { added } = joinedText('', this.text(), this.numbers.subarray(0, this.count), this.cuts);
    return { added: [...added], kept: added.reduce((k, l) => k + l.text.length + 1, 0) };
  }
}

const startsWith = (b: Buffer, start: number, end: number, s: string) =>
  end - start >= s.length && b.toString('latin1', start, start + s.length) === s;

/** One `diff --git` section of a patch: its header line, the lines it adds and deletes, and whether git called it binary. */
export interface Section {
  header: string;
  added: number;
  deleted: number;
  binary: boolean;
}

/**
 * The state of a patch being read: which file, whether inside its hunks (where every `+` line is an
 * added line, even one whose text starts with `++ `), and the next line number of the new side.
 */
export class PatchReader {
  private path?: string;
  private inHunk = false;
  private nextLine = 0;
  private section?: Section;
  private readonly lines = new AddedLines();
  constructor(
    private readonly onFile: (f: AddedText) => void,
    private readonly onSection?: (s: Section) => void
  ) {}

  readonly line: OnLine = (b, start, end, cut) => {
    const c = b[start];
    if (c === 43 /* + */ && this.inHunk) {
      if (this.path !== undefined) this.lines.add(b, start + 1, end, this.nextLine, cut);
      this.nextLine++;
      if (this.section) this.section.added++;
    } else if (c === 45 /* - */) {
      // a deleted line, or the old side's name
      if (this.inHunk && this.section) this.section.deleted++;
    } else if (c === 64 /* @ */ && startsWith(b, start, end, '@@ ')) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(b.toString('latin1', start, Math.min(end, start + 80)));
      if (m) this.nextLine = Number(m[1]);
      this.inHunk = true;
    } else if (c === 100 /* d */ && startsWith(b, start, end, 'diff --git ')) {
      this.end();
      this.section = { header: b.toString('utf8', start, end), added: 0, deleted: 0, binary: false };
    } else if (c === 66 /* B */ && !this.inHunk && this.section && startsWith(b, start, end, 'Binary files ')) {
      this.section.binary = true;
    } else if (c === 43 && startsWith(b, start, end, '+++ ')) {
      const p = b.toString('utf8', start + 4, end).replace(/\t$/, ''); // git appends a tab to names with spaces
      if (p !== '/dev/null') this.path = unquotePath(p).replace(/^b\//, '');
    }
  };

  /** Hands over the file being read, if any, and its section. */
  end(): void {
    if (this.path !== undefined) this.onFile(this.lines.take(this.path));
    if (this.section) this.onSection?.(this.section);
    this.path = undefined;
    this.section = undefined;
    this.inHunk = false;
  }
}
