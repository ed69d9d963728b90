// Code written so a reviewer cannot read it: encoded payloads reaching
// exec, literals decompressed in place, names hidden behind getattr or
// escapes, statements pushed off screen, payloads in bundles. Each looks only
// at the calls and long lines the shared pass found (packing.ts: text spelled
// as codes, packers, minified JavaScript).
import { defineRules } from '../rules';
import { CAP, type Call, callText } from './calls';
import { sourcesOf, unescapeRun } from './flows';
import type { Hit } from './hit';
import { type Scan, codeLine } from './scan';
import { short } from './source';
import { argsEnd, assignedName } from './syntax';
import { PACKING_RULES } from './packing';
import { REFS } from './refs';

export const OBFUSCATION_RULES = defineRules({
  ENCODED_EXEC: {
    id: 'obfuscation/encoded-exec',
    title: 'Encoded data reaches code execution',
    severity: 'critical',
    why: 'Decoding a literal and passing it to exec/eval/a shell hides the code from reviewers; almost no honest code does this.',
    remediation:
      'Decode the literal yourself and read it; reject the change unless the plain code is committed instead.',
    spec: ['S8-16'],
    references: [REFS.TJ, REFS.GUARDDOG],
    pathIgnorable: false
  },
  LONG_LITERAL: {
    id: 'obfuscation/long-encoded-literal',
    title: 'Long base64 or hex literal added',
    severity: 'low',
    why: 'Long encoded blobs are where payloads hide; on their own they are weak evidence (images, test vectors).',
    remediation: 'Check what the data decodes to and where it is used.',
    spec: ['S8-16'],
    pathIgnorable: false
  },
  DECOMPRESS: {
    id: 'obfuscation/decompress-literal',
    title: 'Literal decompressed or unmarshalled in code',
    severity: 'high',
    why: '`marshal.loads`, `zlib`/`lzma`/`bz2` decompression of inline data produces code or data no reviewer saw.',
    remediation: 'Commit the plain content instead.',
    spec: ['S8-16'],
    pathIgnorable: false
  },
  INDIRECT: {
    id: 'obfuscation/indirect-call',
    title: 'Builtin or module reached through a computed name',
    severity: 'high',
    why: '`getattr(builtins, ...)`, `vars(__builtins__)[...]`, `globals()["\\x65val"]` and `__import__` of an escaped or decoded name call exec, eval or a module without writing its name, which only code hiding from review does.',
    remediation:
      'Write the call plainly; reject the change if the hidden name is exec, eval, a shell or a network module.',
    spec: ['S8-16'],
    references: [REFS.GUARDDOG],
    pathIgnorable: false
  },
  HIDDEN_CODE: {
    id: 'obfuscation/hidden-code',
    title: 'Code pushed past the edge of the screen',
    severity: 'high',
    why: 'A statement placed after a long run of spaces is invisible in editors and diff views that do not wrap; the W4SP stealer hid `__import__(...).exec(...)` after hundreds of spaces on an innocent line.',
    remediation: 'Remove the whitespace and read the hidden statement; reject the change if it runs anything.',
    spec: ['S8-16'],
    references: [REFS.GUARDDOG],
    pathIgnorable: false
  },
  BUNDLE: {
    id: 'obfuscation/bundled-js-payload',
    title: 'Payload added to bundled JavaScript',
    severity: 'high',
    why: 'Bundled `dist/` files are generated and rarely reviewed; tj-actions was compromised by a base64 payload added to `dist/index.js`.',
    remediation: 'Rebuild the bundle from source in CI and compare; reject hand edits of generated files.',
    spec: ['S8-16'],
    references: [REFS.TJ],
    pathIgnorable: false
  }
});
const R = OBFUSCATION_RULES;

const IMAGE_B64 = /^(iVBORw0KGgo|\/9j\/|R0lGOD|UklGR|PHN2Zy|Qk0|AAABAA)/;
const STRUCTURED =
  /\.(?:svg|lock|map|csv|tsv|xml|css|scss|pdb|sum)$|^(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.lock|go\.sum)$/i;
/** What hides after the whitespace must read as a statement: a call, an import, an assignment. */
const HIDDEN_STATEMENT =
  /^[;,]?\s*(?:[A-Za-z_$][\w$.]*\s*\(|[A-Za-z_$][\w$]*\s*=[^=]|(?:import|from|require|exec|eval)\b|[\w$.]+\[['"][\w$]+['"]\]\s*=)/;
const HIDDEN_RUN = /\S[ \t]{120,}(?=\S)|^[ \t]{150,}(?=\S)/;
const SPACES_120 = ' '.repeat(120);
/**
 * HIDDEN_RUN's match in a line. A run of 120 blanks is 120 spaces or holds a tab: two native searches (the long
 * one skips ahead by up to 120 characters) clear nearly every line, a notebook's base64 images included, before
 * the regex tries each position. Exported for its test.
 */
export function hiddenRun(line: string): RegExpExecArray | null {
  return line.includes('\t') || line.includes(SPACES_120) ? HIDDEN_RUN.exec(line) : null;
}
const DATA_FILE = /\.(json|csv|tsv|svg|txt|lock|map|xml|html?|css|md|rst)$/i;

const B64_CHARS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-=') B64_CHARS[c.charCodeAt(0)] = 1;
const RUN_REST = /[A-Za-z0-9+/_=-]*/y;
/**
 * Where the run of B64_CHARS going on at `from` ends, matched natively: a notebook's PNG is 100 KB of base64 on
 * one line (a greedy class runs faster than a search for the first character outside it). Exported for its test.
 */
export function runEnd(t: string, from: number): number {
  RUN_REST.lastIndex = from;
  RUN_REST.test(t);
  return RUN_REST.lastIndex;
}
const HEX_ESCAPES = /(?:\\x[0-9a-fA-F]{2}){40,}/;

/**
 * The first base64 or hex run of 160+ characters in a line, found in one
 * linear pass (a regex with a 160-character repeat backtracks on every
 * shorter word). Image data URIs are skipped to their closing quote.
 */
function encodedRun(t: string): string | undefined {
  let run = 0;
  for (let k = 0; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c < 128 && B64_CHARS[c] === 1) {
      if (++run < 160) continue;
      const start = k - 159;
      const end = runEnd(t, k + 1);
      const r = t.slice(start, end);
      if (isEncoded(r)) return r;
      k = end;
      run = 0;
    } else run = 0;
  }
  return t.includes('\\x') ? HEX_ESCAPES.exec(t)?.[0] : undefined;
}

function isEncoded(r: string): boolean {
  if (/^[0-9a-fA-F]+$/.test(r)) return r.length >= 240;
  if (IMAGE_B64.test(r) || r.length < 160) return false;
  return /[0-9]/.test(r) && /[a-z]/.test(r) && /[A-Z]/.test(r) && (r.length >= 200 || !/[_-]/.test(r));
}

/** Long encoded literals, one scan of each line of 160 characters or more. */
export function longLiteralHits(s: Scan): Hit[] {
  const { t } = s;
  const hits: Hit[] = [];
  // Path data, lock-file hashes and source maps are long tokens by nature.
  if (STRUCTURED.test(t.kind.name)) return hits;
  const notebook = t.kind.lang === 'notebook';
  const data = DATA_FILE.test(t.path) || t.kind.lang === 'json' || t.kind.lang === 'data';
  for (const i of t.long) {
    const line = t.line(i);
    const hidden = hiddenRun(line);
    if (
      hidden &&
      HIDDEN_STATEMENT.test(line.slice(hidden.index + hidden[0].length)) &&
      codeLine(s, i) !== undefined &&
      !s.prose.inString(i)
    )
      hits.push({
        rule: R.HIDDEN_CODE,
        i,
        message: `Code follows ${hidden[0].length - 2} characters of whitespace on this line.`,
        evidence: short(line.slice(hidden.index + hidden[0].length).trim(), 120)
      });
    const run = encodedRun(line);
    if (!run) continue;
    // In a tree scan a bundle's embedded data (schemas, WASM, certificates) cannot be told from a payload
    // without the previous bundle: say so at low, and leave the verdict to a rebuild; a change is judged high.
    const whole = t.kind.bundle && s.mode === 'file';
    hits.push({
      rule: t.kind.bundle ? R.BUNDLE : R.LONG_LITERAL,
      i,
      message: `A ${run.length}-character encoded literal${whole ? ' in a bundled file (nothing to compare it with here: rebuild the bundle from source and compare)' : t.kind.bundle ? ' is added to a bundled file' : notebook ? ' in a notebook' : ''}.`,
      evidence: short(run, 80),
      severity: whole ? 'low' : t.kind.bundle ? 'high' : undefined,
      confidence: notebook || data ? 'low' : 'medium'
    });
  }
  return hits;
}

/** Exec and process sinks fed by decoded, decompressed or escaped data; names hidden behind getattr and friends. */
export function sinkHits(s: Scan): Hit[] {
  const hits: Hit[] = [];
  for (const c of s.calls) {
    if (c.cap & (CAP.EXEC | CAP.SPAWN)) {
      const bound = c.cap & CAP.EXEC ? assignedName(s.t.line(c.i)) : undefined;
      if (bound && OBFUSCATED_NAME.test(bound))
        hits.push({
          rule: PACKING_RULES.PACKER,
          i: c.i,
          message: `${c.name}() is bound to the obfuscator-style name \`${bound}\`.`
        });
      const src = sourcesOf(s, c).filter((x) => x.kind !== 'network' && x.kind !== 'image');
      if (!src.length) continue;
      const direct = src.some((x) => x.via === 'arg' && (x.kind === 'decode' || x.kind === 'decompress'));
      const what = [...new Set(src.map((x) => x.kind))].join(', ');
      hits.push({
        rule: s.t.kind.bundle ? R.BUNDLE : R.ENCODED_EXEC,
        i: c.i,
        message: `${c.qual ? `${c.qual}.` : ''}${c.name}() runs ${what} data${src[0].via === 'name' ? ` assigned on line ${s.t.lineNo(src[0].i)}` : ''}.`,
        severity: direct || s.t.kind.bundle ? 'critical' : 'high',
        confidence: direct ? 'high' : 'medium',
        properties: { sources: what }
      });
    } else if (c.cap & (CAP.INDIRECT | CAP.IMPORT)) {
      const why = indirect(s, c);
      if (why) hits.push({ rule: R.INDIRECT, i: c.i, message: why });
    }
  }
  return hits;
}

/** Names obfuscators generate: only underscores (BlankOBF), or long runs of O/0 or I/l/1. */
const OBFUSCATED_NAME = /^_{3,}$|^[O0]{6,}$|^[Il1]{6,}$/;
const DANGEROUS =
  'exec|eval|compile|system|popen|__import__|getattr|execfile|spawn\\w*|exec[lv]\\w*|Popen|startfile|check_output|getoutput|urlopen|urlretrieve|b64decode|loads';
const DANGEROUS_NAME = new RegExp(`^['"](?:${DANGEROUS})['"]$`);
const DANGEROUS_ATTR = new RegExp(`^\\s*(?:\\.\\s*(?:__dict__|__getattribute__|${DANGEROUS})\\b)`);
/** A name hidden by escapes, concatenated literals, reversal or decoding (not an ordinary computed name). */
const HIDDEN =
  /\\x[0-9a-f]{2}|\\[0-7]{3}|\\u00|['"]\s*\+\s*['"]|\[::-1\]|\bchr\(|decode\(|join\(\s*\[\s*['"]|join\(\s*map\(\s*chr|fromhex|b64decode|fromCharCode|atob\(/i;

function indirect(s: Scan, c: Call): string | undefined {
  if (c.name.startsWith('[')) return `A member of \`${c.qual}\` is called through a computed name \`${c.name}\`.`;
  if (/^(?:get|getOwnPropertyDescriptor|keys|entries|getOwnPropertyNames)$/.test(c.name))
    return `${c.qual ? `${c.qual}.` : ''}${c.name}() looks up a process or host member by name.`;
  const text = callText(s.t, c, 400);
  const inner = text.slice(text.indexOf('(') + 1, -1).trim();
  if (c.name === 'getattr' || c.name === '__getattribute__') {
    const comma = c.name === 'getattr' ? topLevelComma(inner) : -1;
    if (c.name === 'getattr' && comma < 0) return undefined;
    const target = c.name === 'getattr' ? inner.slice(0, comma).trim() : c.qual;
    const attr = c.name === 'getattr' ? inner.slice(comma + 1).trim() : inner;
    if (!/^(?:__builtins__|builtins|__builtin__|__import__\(|importlib|sys\.modules|globals\(\)|os\b)/.test(target))
      return undefined;
    if (DANGEROUS_NAME.test(attr) || (!/^['"][\w.]*['"]$/.test(attr) && HIDDEN.test(attr)))
      return `getattr(${short(target, 30)}, …) reaches a builtin through a computed or hidden name.`;
    return undefined;
  }
  if (c.name === 'vars') return 'vars(__builtins__) is indexed to reach a builtin by name.';
  if (c.name === 'globals') {
    const key = /^\(\s*\)\s*\[([^\]]{1,200})\]/.exec(s.t.joined.slice(c.open, c.open + 220))?.[1].trim() ?? '';
    return DANGEROUS_NAME.test(key) || (!/^['"]?[\w.]*['"]?$/.test(key) && HIDDEN.test(key))
      ? 'globals() is indexed with a hidden or dangerous name.'
      : undefined;
  }
  // __import__ / import_module: a plain literal module name is ordinary code, unless a dangerous function is called on it at once.
  const after = s.t.joined.slice(c.start + text.length, c.start + text.length + 40);
  if (DANGEROUS_ATTR.test(after))
    return `${c.name}(${short(inner, 30)}) is called into directly, hiding the import of what it runs.`;
  if (/^['"][\w.]+['"]\s*(?:,|$)/.test(inner) || !HIDDEN.test(inner)) return undefined;
  return `${c.name}() imports a module whose name is hidden (escapes, concatenation or decoding).`;
}

function topLevelComma(s: string): number {
  let depth = 0;
  for (let k = 0; k < s.length; k++) {
    const ch = s[k];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) return k;
  }
  return -1;
}

/** Decompression of literals (or of decoded data) in code. */
export function decompressHits(s: Scan): Hit[] {
  if (DATA_FILE.test(s.t.path)) return [];
  const hits: Hit[] = [];
  for (const c of s.calls) {
    if (!(c.cap & CAP.DECOMPRESS)) continue;
    const args = s.t.joined.slice(c.open, argsEnd(s.t.joined, c.open, 4000));
    // A literal, or a decoder applied to a literal: data in the file itself (decoding input is ordinary I/O).
    const inner = s.calls.some(
      (d) =>
        d.open > c.open &&
        d.open < c.open + args.length &&
        d.cap & (CAP.DECODE | CAP.DECOMPRESS) &&
        /^\(\s*b?['"]/.test(s.t.joined.slice(d.open, d.open + 8))
    );
    if (!/^\(\s*b?['"]/.test(args) && !inner && !encodedRun(args)) continue;
    // What the literal names: a pickle that references os/subprocess/builtins runs them when loaded.
    const marshal = /marshal/.test(c.qual);
    const dangerous = PICKLE_DANGER.test(unescapeRun(args));
    hits.push({
      rule: R.DECOMPRESS,
      i: c.i,
      message: `Inline data is ${c.name === 'loads' ? 'unmarshalled' : 'decompressed'}${dangerous ? ' and names os, subprocess or builtins' : ''}.`,
      severity: dangerous ? 'critical' : marshal ? 'high' : s.t.kind.test ? 'low' : 'medium'
    });
  }
  return hits;
}

// Module then function, as pickle opcodes write them (`cos\nsystem`, or length-prefixed strings once escapes are decoded).
const PICKLE_DANGER =
  /(?<![A-Za-z0-9_])c?(?:posix|nt|os|subprocess|builtins|__builtin__|socket|urllib|webbrowser|pty|commands)(?:\\n|\s|[\x00-\x1f\x80-\xff])*?(?:system|popen|Popen|exec|eval|run|call|check_output|spawn|connect|urlopen|open_new|getoutput)\b/;
