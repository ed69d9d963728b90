// Just enough syntax for line-level rules, computed only for the few lines a
// rule asks about: where a comment starts, whether a line sits in a
// docstring, a block comment or a notebook's Markdown cell, how far a call's
// parentheses reach, and which name an assignment binds.
import type { Lang, Text } from './source';

/** Offset within `line` where a comment starts (outside quotes), or -1. */
export function commentStart(line: string, lang: Lang): number {
  const hash = lang !== 'js' && lang !== 'json';
  const slashes = lang === 'js';
  let quote = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 || c === 39 || (c === 96 && slashes)) quote = c;
    else if (c === 35 && hash && (i === 0 || line.charCodeAt(i - 1) <= 32 || lang === 'python')) return i;
    else if (c === 47 && slashes && line.charCodeAt(i + 1) === 47 && line.charCodeAt(i - 1) !== 58) return i;
  }
  return -1;
}

/** Where column `col` of a line falls: in code, inside a quoted string, or in a comment. */
export function contextAt(line: string, col: number, lang: Lang): 'code' | 'string' | 'comment' {
  const comment = commentStart(line, lang);
  if (comment >= 0 && col >= comment) return 'comment';
  let quote = 0;
  for (let i = 0; i < col && i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
    } else if (c === 34 || c === 39 || c === 96) quote = c;
  }
  return quote ? 'string' : 'code';
}

/** The line without its trailing comment. */
export function codeOf(line: string, lang: Lang): string {
  const at = commentStart(line, lang);
  return at < 0 ? line : line.slice(0, at);
}

const DOC_PREFIX = /^[ \t]*[rRuUbBfF]{0,2}$/;

/**
 * Lines that are documentation rather than code: Python docstrings (a
 * triple-quoted string standing as a statement), JavaScript block comments,
 * Markdown cells of a notebook. Computed once per file, on first use, from a
 * native search for the delimiters (no per-line work).
 */
export class ProseLines {
  private flags?: Uint8Array;
  constructor(private readonly text: Text) {}

  /** Line i is documentation. */
  has(i: number): boolean {
    this.flags ??= this.compute();
    return this.flags[i] === 1;
  }

  /** Line i lies inside a multi-line string literal that is data (`x = """…"""`). */
  inString(i: number): boolean {
    this.flags ??= this.compute();
    return this.flags[i] === 2;
  }

  private compute(): Uint8Array {
    const t = this.text;
    const flags = new Uint8Array(t.count);
    const j = t.joined;
    const mark = (from: number, to: number, v = 1) => flags.fill(v, t.indexAt(from), t.indexAt(to) + 1);
    const lang = t.kind.lang;
    if (lang === 'python') {
      // The next `"""` and `'''` are tracked apart, so a kind absent from the file is searched for once.
      let dq = j.indexOf('"""');
      let sq = j.indexOf("'''");
      while (dq !== -1 || sq !== -1) {
        const at = sq === -1 || (dq !== -1 && dq < sq) ? dq : sq;
        const q = at === dq ? '"""' : "'''";
        const close = j.indexOf(q, at + 3);
        const lineStart = t.starts[t.indexAt(at)];
        // A docstring stands alone as a statement; `x = """…"""` is data (a payload may hide there).
        mark(at, close === -1 ? j.length : close, DOC_PREFIX.test(j.slice(lineStart, at)) ? 1 : 2);
        if (close === -1) break;
        if (dq !== -1 && dq < close + 3) dq = j.indexOf('"""', close + 3);
        if (sq !== -1 && sq < close + 3) sq = j.indexOf("'''", close + 3);
      }
    } else if (lang === 'js') {
      for (let at = j.indexOf('/*'); at !== -1;) {
        const close = j.indexOf('*/', at + 2);
        mark(at, close === -1 ? j.length : close);
        if (close === -1) break;
        at = j.indexOf('/*', close + 2);
      }
    } else if (lang === 'notebook') {
      for (let at = j.indexOf('"cell_type"'); at !== -1;) {
        const next = j.indexOf('"cell_type"', at + 11);
        const end = next === -1 ? j.length : next;
        if (!/^"cell_type":\s*"code"/.test(j.slice(at, at + 30))) mark(at, end);
        else {
          // A code cell's outputs (images, tracebacks) are data too; Jupyter writes them before or after the source.
          const outputs = j.indexOf('"outputs":', at);
          const source = j.indexOf('"source":', at);
          if (outputs !== -1 && outputs < end) mark(outputs, source > outputs && source < end ? source - 1 : end);
        }
        at = next;
      }
    }
    return flags;
  }
}

/**
 * The end offset (exclusive) of the bracketed argument list opening at
 * `open` (a `(` or `[`), or a bounded stretch when it does not close soon
 * (minified code, cut lines).
 */
export function argsEnd(s: string, open: number, max = 2000): number {
  let depth = 0;
  let quote = 0;
  const stop = Math.min(s.length, open + max);
  for (let i = open; i < stop; i++) {
    const c = s.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 || c === 39 || c === 96) quote = c;
    else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return stop;
}

/** A character of a Python or JavaScript identifier, ASCII only (`[A-Za-z0-9_$]`): what the call and taint passes read by code unit. */
export const isIdentChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;

/** The identifier (with dots) that ends right before offset `end`, e.g. `subprocess.Popen` before `(`. */
export function calleeBefore(s: string, end: number): { name: string; qual: string; start: number } {
  let j = end;
  while (j > 0 && s.charCodeAt(j - 1) === 32) j--;
  let k = j;
  while (k > 0 && end - k < 80) {
    const c = s.charCodeAt(k - 1);
    if (isIdentChar(c) || c === 46) k--;
    else if (c === 41 && s.charCodeAt(k - 2) === 40)
      k -= 2; // `Fernet(key).decrypt` → keep the chain
    else break;
  }
  const full = s.slice(k, j);
  const dot = full.lastIndexOf('.');
  // `/re/.exec(`, `f(x).get(`: a method of an expression, which is no bare call.
  const qual = dot < 0 ? '' : dot === 0 ? '(expr)' : full.slice(0, dot);
  return { name: dot < 0 ? full : full.slice(dot + 1), qual, start: k };
}

const ASSIGN =
  /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]{1,40})?[-+*/|&%^]?=(?!=)|\bas\s+([A-Za-z_]\w*)\s*:\s*$/;

/** The name a line assigns to (`x = ...`, `const x = ...`, `with ... as x:`), if any. */
export function assignedName(line: string): string | undefined {
  const m = ASSIGN.exec(line);
  return m ? (m[1] ?? m[2]) : undefined;
}

const INDENT = /^[ \t]*/;
const BLOCK = /^[ \t]*(?:async\s+)?(?:def|class)\s/;

/**
 * True when line i of a Python file is known to run at import time: the walk up
 * its less-indented lines reaches column 0 without meeting a `def` or `class`
 * (looked at up to 400 lines back). It must see every line it walks over: when
 * it runs out of lines, passes the look-back, or meets a gap in the lines'
 * numbers (a change's added lines show only part of the file) while still
 * indented, the enclosing block is not visible and the answer is false
 * (unknown), never "module level": a `Popen` in a pytest fixture whose `def`
 * line the change did not touch is not import-time code (zarr-python@c58bca43f62c).
 */
export function atModuleLevel(t: Text, i: number): boolean {
  let indent = INDENT.exec(t.line(i))![0].length;
  let below = t.lineNo(i);
  for (let j = i - 1; indent > 0; j--) {
    if (j < 0 || i - j >= 400 || t.lineNo(j) !== below - 1) return false;
    below = t.lineNo(j);
    const s = t.line(j);
    if (!s.trim() || /^\s*#/.test(s)) continue;
    const d = INDENT.exec(s)![0].length;
    if (d >= indent) continue;
    if (BLOCK.test(s)) return false;
    indent = d;
  }
  return true;
}
