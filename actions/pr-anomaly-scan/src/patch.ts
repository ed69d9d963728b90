// Reads a `git diff -p -U0` stream as bytes and hands over each file's added
// lines as its section ends. A line is looked at by its first bytes; only added
// lines are kept, copied into one buffer per file and decoded once, so neither
// deleted lines nor headers are decoded and a 100 MB patch costs one pass. A
// hunk's added lines, one run of `+` lines, are copied eight bytes at a time
// without a native call per line.
import { type AddedLine, type AddedText, addedText, joinedText } from './types';

/** Longest added line kept whole; longer ones are cut (a minified bundle line can be megabytes). */
const MAX_LINE = 256 * 1024;
/** Added text kept per file for the content rules (UTF-16 units, with each line's `+`); the rest is counted. */
const MAX_ADDED_PER_FILE = 8 * 1024 * 1024;

/** Where the lines of a patch go: each line, and optionally a run of lines taken at once. */
export interface LineSink {
  line(b: Buffer, start: number, end: number, cut: boolean): void;
  /** Set when `run` may take the lines that start at the next line start. */
  runNext?: boolean;
  /** Takes whole lines of `b` from `at` on (none, or all up to a newline); returns where it stopped. */
  run?(b: Buffer, at: number): number;
}

/** Splits a byte stream into lines (`b[start..end)`, without the newline), keeping at most MAX_LINE bytes of each. */
export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private cut = false;
  constructor(private readonly sink: LineSink) {}
  push(b: Buffer): void {
    const sink = this.sink;
    let start = sink.runNext && !this.parts.length ? sink.run!(b, 0) : 0;
    for (let nl = b.indexOf(10, start); nl >= 0; nl = b.indexOf(10, start)) {
      if (!this.parts.length && nl - start <= MAX_LINE) {
        sink.line(b, start, nl, false); // the common case: a whole line inside one chunk, no copy
      } else {
        this.take(b.subarray(start, nl));
        this.flush();
      }
      start = nl + 1;
      if (sink.runNext) start = sink.run!(b, start);
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
    this.sink.line(line, 0, line.length, this.cut);
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
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  private len = 0;
  private numbers = new Int32Array(1 << 12);
  private count = 0;
  private cuts: number[] = [];
  private slow?: { added: AddedLine[]; kept: number };
  private truncated = false;
  /** Lines the last `copyRun` took. */
  ran = 0;

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
    this.room(n + 1);
    b.copy(this.buf, this.len, start, end);
    this.len += n;
    this.buf[this.len++] = 10;
    if (cut) this.cuts.push(this.count);
    this.number(line, 1);
  }

  /** Past the cap: lines go one by one, decoded. */
  get capped(): boolean {
    return this.slow !== undefined;
  }

  /**
   * Takes the whole `+` lines of `b` from `at` (a `+`) on, as `add` would one by one, eight bytes at
   * a time through `src` (a view of `b`) instead of a search and a copy per line: each pair of words is
   * copied, then looked at for a newline; what it copied past one is overwritten by the next line.
   * Stops at a line that is not `+`, not whole in `b`, longer than MAX_LINE or past the cap (those
   * go to `add`); returns where.
   */
  copyRun(b: Buffer, src: DataView, at: number, line: number): number {
    this.ran = 0;
    if (this.slow) return at;
    this.room(b.length - at + 8);
    const out = this.view;
    const buf = this.buf;
    const last = b.length - 8; // the last index two words are read at
    let done = at; // the start of the first line not taken
    let r = at + 1;
    let w = this.len;
    let k = 0;
    for (;;) {
      if (r <= last) {
        // Two words at a time: the high bit of each byte that was a newline (above the first, maybe wrong).
        const x = src.getInt32(r, true);
        const x2 = src.getInt32(r + 4, true);
        out.setInt32(w, x, true);
        out.setInt32(w + 4, x2, true);
        const y = x ^ 0x0a0a0a0a;
        const nl = (y - 0x01010101) & ~y & 0x80808080;
        let t;
        if (nl) t = (31 - Math.clz32(nl & -nl)) >> 3;
        else {
          const y2 = x2 ^ 0x0a0a0a0a;
          const nl2 = (y2 - 0x01010101) & ~y2 & 0x80808080;
          if (!nl2) {
            r += 8;
            w += 8;
            continue;
          }
          t = 4 + ((31 - Math.clz32(nl2 & -nl2)) >> 3);
        }
        r += t;
        w += t;
      } else {
        if (r >= b.length) break; // the line goes on in the next chunk
        const c = (buf[w] = b[r]);
        if (c !== 10) {
          r++;
          w++;
          continue;
        }
      }
      // b[r] is the newline that ends the line from `done`: its length with the `+`, and its added bytes.
      if (r - done > MAX_LINE || this.len + r - done > MAX_ADDED_PER_FILE) break;
      this.len = ++w;
      done = ++r;
      k++;
      if (b[r] !== 43) break;
      r++;
    }
    this.number(line, k);
    this.ran = k;
    return done;
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

  /** Makes room for `n` more bytes in `buf`. */
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.length);
  }

  /** Numbers `line`, `line + 1`, … for `k` lines. */
  private number(line: number, k: number): void {
    if (this.count + k > this.numbers.length) {
      const grown = new Int32Array(Math.max(this.numbers.length * 2, this.count + k));
      grown.set(this.numbers.subarray(0, this.count));
      this.numbers = grown;
    }
    for (let i = 0; i < k; i++) this.numbers[this.count++] = line + i;
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
export class PatchReader implements LineSink {
  private path?: string;
  private inHunk = false;
  private nextLine = 0;
  private section?: Section;
  private readonly lines = new AddedLines();
  /** The next line may start a run for `run`: after a hunk header or a deleted line, or where a run stopped early. */
  runNext = false;
  private chunk?: Buffer;
  private view?: DataView;
  constructor(
    private readonly onFile: (f: AddedText) => void,
    private readonly onSection?: (s: Section) => void
  ) {}

  readonly line = (b: Buffer, start: number, end: number, cut: boolean): void => {
    const c = b[start];
    if (c === 43 /* + */ && this.inHunk) {
      if (this.path !== undefined) this.lines.add(b, start + 1, end, this.nextLine, cut);
      this.nextLine++;
      if (this.section) this.section.added++;
    } else if (c === 45 /* - */) {
      // a deleted line (the hunk's added lines follow), or the old side's name
      if (this.inHunk && this.section) this.section.deleted++;
      this.runNext = this.inHunk;
    } else if (c === 64 /* @ */ && startsWith(b, start, end, '@@ ')) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(b.toString('latin1', start, Math.min(end, start + 80)));
      if (m) this.nextLine = Number(m[1]);
      this.inHunk = true;
      this.runNext = true;
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

  /**
   * The `+` lines of a hunk from `at` on, at once, up to its end or the chunk's last
   * newline (then on in the next chunk); a line the run leaves (too long, or past the cap) goes to
   * `line`, and the run goes on after it.
   */
  run(b: Buffer, at: number): number {
    if (at >= b.length) return at; // the chunk ended on a line's end: the next one goes on
    this.runNext = false;
    if (b[at] !== 43 || this.path === undefined || !this.inHunk) return at;
    if (this.chunk !== b) this.view = new DataView(b.buffer, b.byteOffset, b.length);
    this.chunk = b;
    const j = this.lines.copyRun(b, this.view!, at, this.nextLine);
    const k = this.lines.ran;
    this.nextLine += k;
    if (this.section) this.section.added += k;
    this.runNext = !this.lines.capped && (j >= b.length || b[j] === 43);
    return j;
  }

  /** Hands over the file being read, if any, and its section. */
  end(): void {
    if (this.path !== undefined) this.onFile(this.lines.take(this.path));
    if (this.section) this.onSection?.(this.section);
    this.path = undefined;
    this.section = undefined;
    this.inHunk = false;
    this.runNext = false;
  }
}
