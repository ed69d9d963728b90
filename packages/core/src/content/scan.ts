// What every analyser of one file shares: the text, the calls found in the
// one pass over it, which lines are documentation, and the mode (a change's
// added lines or a whole file). Built once per file by the entry points.
import { type Call, findCalls } from './calls';
import { type Text, isCode } from './source';
import { ProseLines, commentStart } from './syntax';

export interface Scan {
  t: Text;
  calls: Call[];
  prose: ProseLines;
  /** `added`: the lines a change adds; `file`: every line of a file. */
  mode: 'added' | 'file';
  /** Added mode: the file as it was before the change, when the caller has it. */
  before?: string;
}

export function newScan(t: Text, mode: Scan['mode'], before?: string): Scan {
  const s: Scan = { t, calls: [], prose: new ProseLines(t), mode, before };
  // A call written in a comment, docstring or Markdown cell is an example, not code that runs: no rule reads it.
  if (isCode(t.kind)) s.calls = findCalls(t).filter((c) => !inDocumentation(s, c));
  return s;
}

/** Lines of the call list within `w` lines of index i (by index, which follows the order of lines). */
export function near(calls: Call[], i: number, w: number, mask: number): Call[] {
  return calls.filter((c) => c.cap & mask && c.i >= i - w && c.i <= i + w);
}

/**
 * Line i as code: a notebook's JSON string unwrapped, and `undefined` for a
 * documentation line (docstring, block comment, Markdown cell, prose file).
 */
export function codeLine(s: Scan, i: number): string | undefined {
  if (!isCode(s.t.kind) || s.prose.has(i)) return undefined;
  const line = s.t.line(i);
  if (s.t.kind.lang !== 'notebook') return line;
  const m = /^\s*"((?:[^"\\]|\\.)*)"\s*,?\s*$/.exec(line);
  return m ? m[1].replace(/\\n$/, '').replace(/\\(["\\/])/g, '$1') : undefined;
}

/** True when offset `col` of line i falls in a comment (a URL there is documentation, not network access). */
export function inComment(s: Scan, i: number, col: number): boolean {
  const lang = s.t.kind.lang;
  if (lang === 'notebook') {
    const code = codeLine(s, i);
    if (code === undefined) return true;
    const at = commentStart(code, 'python');
    return at >= 0 && code.indexOf(s.t.line(i).slice(col, col + 12)) >= at;
  }
  const at = commentStart(s.t.line(i), lang);
  return at >= 0 && col >= at;
}

/** A call written in a comment, docstring or other documentation line. */
function inDocumentation(s: Scan, c: Call): boolean {
  return s.prose.has(c.i) || inComment(s, c.i, c.open - s.t.starts[c.i]);
}
