// One file's text as the content analysers see it: the lines a change adds
// (PR mode) or every line of a file (tree mode), joined once, with the offset
// of each line so a hit found by a whole-text search maps back to its line
// without splitting the text again. The file's kind decides which analysers
// look at it.

import { lastAtMost } from '../sorted';

/** One line of text and its 1-based number in the file. */
export interface Line {
  line: number;
  text: string;
}

export type Lang = 'python' | 'js' | 'shell' | 'docker' | 'workflow' | 'notebook' | 'json' | 'prose' | 'data' | 'other';

export interface FileKind {
  /** The file name without its folder. */
  name: string;
  lang: Lang;
  /** Text that a shell runs: scripts, Dockerfiles, workflow steps, Makefiles, task runners. */
  shell: boolean;
  /** Generated JavaScript: `dist/`, `build/`, `*.min.js`, `*.bundle.js`. */
  bundle: boolean;
  /** A bundled file of a JavaScript action (`dist/*.js`), which runners execute as it is committed. */
  actionDist: boolean;
  /** Under a tests/fixtures/data folder. */
  test: boolean;
  /** Third-party or static assets (vendored libraries, docs themes): minified code is expected there. */
  vendored: boolean;
}

const PY = /\.(py|pyw|pyx|pxd|pxi|pyi|pth)$|(^|\/)(SConstruct|SConscript|wscript)$/;
const JS = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx|vue|svelte)$/;
const SHELL =
  /\.(sh|bash|zsh|ksh|bats|ps1|psm1|bat|cmd|mk|just)$|(^|\/)(Makefile|GNUmakefile|justfile|Justfile|Taskfile|tox\.ini)$/;
const DOCKER = /(^|\/)(Dockerfile|Containerfile)([.-][^/]*)?$|\.dockerfile$/i;
const WORKFLOW =
  /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$|(^|\/)action\.ya?ml$|(^|\/)\.gitlab-ci\.ya?ml$|(^|\/)\.circleci\/config\.ya?ml$|(^|\/)(azure-pipelines|\.travis|appveyor|\.readthedocs|codecov|\.pre-commit-config)\.ya?ml$/;
const PROSE = /\.(md|markdown|rst|txt|tex|html?|po|pot|bib|adoc|org|rtf)$/i;
/** Data formats, XML's family included (astroquery's VOTable test data: `.vot`). */
const DATA =
  /\.(csv|tsv|svg|xml|vot|votable|xsd|xslt?|kml|gml|gpx|rdf|owl|plist|xliff|resx|lock|map|geojson|dat|out|log|ya?ml|toml|cfg|ini)$/i;
const BUNDLE = /(^|\/)(dist|build|out|lib)\/(?:[^/]+\/)*[^/]*\.(c|m)?js$|\.min\.js$|\.bundle\.js$/;
const ACTION_DIST = /(^|\/)dist\/[^/]*\.(c|m)?js$/;
const TESTS = /(^|\/)(tests?|testing|test_?data|fixtures?|__tests__|spec)\//i;
const VENDORED =
  /(^|\/)(vendor(ed)?|third[_-]?party|extern(al)?|_static|static|assets|node_modules|bower_components|externals?)\/|(^|\/)(jquery|bootstrap|mathjax|require|d3|plotly|underscore|lodash|katex|highlight|popper|vega|three|mermaid)[^/]*\.js$/i;

const cache = new Map<string, FileKind>();

/** What kind of file a path names (memoised: one PR touches many files in few folders, but paths repeat in tests). */
export function fileKind(path: string): FileKind {
  const hit = cache.get(path);
  if (hit) return hit;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const lang: Lang = /\.ipynb$/i.test(name)
    ? 'notebook'
    : PY.test(path)
      ? 'python'
      : JS.test(path)
        ? 'js'
        : DOCKER.test(path)
          ? 'docker'
          : WORKFLOW.test(path)
            ? 'workflow'
            : SHELL.test(path)
              ? 'shell'
              : /\.json$/i.test(name)
                ? 'json'
                : PROSE.test(name)
                  ? 'prose'
                  : DATA.test(name)
                    ? 'data'
                    : 'other';
  const kind: FileKind = {
    name,
    lang,
    shell: lang === 'shell' || lang === 'docker' || lang === 'workflow',
    bundle: BUNDLE.test(path),
    actionDist: ACTION_DIST.test(path),
    test: TESTS.test(path),
    vendored: VENDORED.test(path)
  };
  if (cache.size > 50_000) cache.clear();
  cache.set(path, kind);
  return kind;
}

/** True for languages whose text is code the analysers read (not prose or data). */
export const isCode = (k: FileKind) => k.lang === 'python' || k.lang === 'js' || k.shell || k.lang === 'notebook';

/** Lines this long or longer are where encoded payloads, minified code and hidden statements live. */
export const LONG_LINE = 160;

/**
 * One buffer for the line offsets of the file being analysed: files are
 * analysed one at a time, synchronously, and a fresh array per file was a
 * tenth of the cost in garbage collection alone.
 */
let pool = new Int32Array(1 << 16);
function offsets(n: number): Int32Array {
  if (pool.length < n) pool = new Int32Array(Math.max(n, pool.length * 2));
  return pool;
}

/**
 * A file's lines joined by `\n`, with each line's start offset and number,
 * and the lines of 160 characters or more. Built once per file, from either
 * the added lines or the whole text; valid until the next Text is built.
 */
export class Text {
  readonly kind: FileKind;
  readonly joined: string;
  /** starts[i] is the offset of line i in `joined`; starts[i + 1] - 1 is where it ends. */
  readonly starts: Int32Array;
  readonly count: number;
  /** Indexes of the lines at least LONG_LINE characters long. */
  readonly long: number[];
  private readonly numbers?: Int32Array;
  /** How many UTF-8 bytes `joined` was decoded from (invalid bytes included), when the caller knew it. */
  readonly utf8Bytes?: number;

  private constructor(
    readonly path: string,
    joined: string,
    starts: Int32Array,
    count: number,
    long: number[],
    numbers?: Int32Array,
    utf8Bytes?: number
  ) {
    this.kind = fileKind(path);
    this.joined = joined;
    this.starts = starts;
    this.count = count;
    this.long = long;
    this.numbers = numbers;
    this.utf8Bytes = utf8Bytes;
  }

  /** The lines a change adds to `path` (their numbers need not be consecutive). */
  static ofLines(path: string, lines: readonly Line[], joined?: string): Text {
    const n = lines.length;
    const starts = offsets(n + 1);
    const numbers = new Int32Array(n);
    const long: number[] = [];
    let off = 0;
    for (let i = 0; i < n; i++) {
      starts[i] = off;
      numbers[i] = lines[i].line;
      const len = lines[i].text.length;
      if (len >= LONG_LINE) long.push(i);
      off += len + 1;
    }
    starts[n] = off;
    const text = joined !== undefined && joined.length === off - 1 ? joined : lines.map((l) => l.text).join('\n');
    return new Text(path, n ? text : '', starts.subarray(0, n + 1), n, long, numbers);
  }

  /** Added lines given joined by `\n`, with the number of each: no line objects, no copy of the text. */
  static ofJoined(path: string, joined: string, numbers: Int32Array, utf8Bytes?: number): Text {
    const n = numbers.length;
    const starts = offsets(n + 1);
    const long: number[] = [];
    let at = 0;
    for (let i = 0; i < n; i++) {
      starts[i] = at;
      const nl = i + 1 < n ? joined.indexOf('\n', at) : -1;
      const end = nl === -1 ? joined.length : nl;
      if (end - at >= LONG_LINE) long.push(i);
      at = end + 1;
    }
    starts[n] = at;
    return new Text(path, n ? joined : '', starts.subarray(0, n + 1), n, long, numbers, n ? utf8Bytes : 0);
  }

  /** Every line of a file. The text is kept as given: a slice of it would be a V8 sliced string, several times slower to search. */
  static ofFile(path: string, text: string): Text {
    let starts = offsets((text.length >> 5) + 16);
    const long: number[] = [];
    let n = 0;
    let at = 0;
    for (;;) {
      if (n + 2 > starts.length) starts = grow(starts);
      starts[n++] = at;
      const nl = text.indexOf('\n', at);
      if (nl === -1) {
        if (text.length - at >= LONG_LINE) long.push(n - 1);
        break;
      }
      if (nl - at >= LONG_LINE) long.push(n - 1);
      at = nl + 1;
    }
    // A final newline ends the last line; it does not start another.
    if (n > 1 && at === text.length) n--;
    starts[n] = text.endsWith('\n') ? text.length : text.length + 1;
    return new Text(path, text, starts.subarray(0, n + 1), text.length ? n : 0, long);
  }

  /** 1-based line number of line index i. */
  lineNo(i: number): number {
    return this.numbers ? this.numbers[i] : i + 1;
  }

  /** The text of line index i, without its newline (and without a trailing `\r`). */
  line(i: number): string {
    const end = this.starts[i + 1] - 1;
    return this.joined.slice(this.starts[i], this.joined.charCodeAt(end - 1) === 13 ? end - 1 : end);
  }

  lineLength(i: number): number {
    return this.starts[i + 1] - 1 - this.starts[i];
  }

  /** The line index holding offset `off` (binary search). */
  indexAt(off: number): number {
    return lastAtMost(this.starts, off, this.count);
  }

  /**
   * Lines i..j joined, for rules that read a statement spanning several lines.
   * In added mode the lines need not be consecutive in the file; they are what the change adds.
   */
  span(i: number, j: number): string {
    return this.joined.slice(this.starts[i], this.starts[Math.min(j, this.count - 1) + 1] - 1);
  }
}

function grow(a: Int32Array): Int32Array {
  pool = new Int32Array(a.length * 2);
  pool.set(a);
  return pool;
}

/** Shortens evidence for display. */
export const short = (s: string, n = 160): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
