// Text and code made unreadable on purpose: strings spelled as character
// codes or escapes (but not binary data written as escapes), packer and
// obfuscator output, and large minified JavaScript where no build produces it.
import { defineRules } from '../rules';
import { CAP, type Call, callText } from './calls';
import { unescapeRun } from './flows';
import { type Hit, readable } from './hit';
import { REFS } from './refs';
import { type Scan, codeLine } from './scan';
import { short } from './source';
import { contextAt } from './syntax';

export const PACKING_RULES = defineRules({
  CHR_CHAIN: {
    id: 'obfuscation/char-code-chain',
    title: 'Text spelled as character codes or escapes',
    severity: 'medium',
    why: '`chr(..)+chr(..)`, `String.fromCharCode(...)` and runs of `\\x65\\x76` escapes hide names like `exec` or URLs from search and review. Escapes that decode to binary data (image headers, test bytes) are not reported.',
    remediation: 'Replace with the plain string and check what it was.',
    spec: ['S8-16'],
    references: [REFS.GUARDDOG],
    pathIgnorable: false
  },
  PACKER: {
    id: 'obfuscation/packer',
    title: 'Packed or obfuscated code',
    severity: 'high',
    why: 'PyArmor runtimes, JavaScript packers and obfuscator output exist to stop people reading code.',
    remediation: 'Reject packed code; ask for the source.',
    spec: ['S8-16'],
    references: [REFS.SHAI_HULUD],
    pathIgnorable: false
  },
  MINIFIED: {
    id: 'obfuscation/minified-js',
    title: 'Large minified JavaScript outside a build folder',
    severity: 'medium',
    why: 'Minified code cannot be reviewed; outside `dist/` and vendored assets it has no reason to be committed. Shai-Hulud 2.0 and the lightning 2026 release shipped multi-megabyte obfuscated scripts run by an install hook or at import.',
    remediation:
      'Commit the readable source and build the file in CI, or vendor a published release with its version and checksum.',
    spec: ['S8-16'],
    references: [REFS.SHAI_HULUD],
    pathIgnorable: false
  }
});
const R = PACKING_RULES;

const CHR_PY = /(?:chr\(\s*\d+\s*\)\s*\+\s*){4,}chr\(\s*\d+\s*\)/;
const NUMBER_LIST = /\[\s*((?:(?:0x)?[0-9a-fA-F]+\s*,\s*){4,}(?:0x)?[0-9a-fA-F]+)\s*,?\s*\]/;
const HEX_ARG = /\b[\w$]+\(\s*['"]((?:[0-9a-fA-F]{2}){3,})['"]\s*\)/g;
const EBCDIC = /\.decode\(\s*['"](?:cp1026|cp037|cp500|cp875|cp1140|cp273)['"]/;
const ESCAPE_RUN = /(?:\\x[0-9a-fA-F]{2}|\\[0-7]{3}|\\u00[0-9a-fA-F]{2}){4,}/g;

/** Strings spelled as numbers or escapes that decode to readable text (binary data is left alone). */
export function charCodeHits(s: Scan): Hit[] {
  const hits: Hit[] = [];
  const seen = new Set<number>();
  const add = (i: number, decoded: string, how: string) => {
    const r = readable(decoded);
    if (!r.printable || seen.has(i)) return;
    seen.add(i);
    hits.push({
      rule: R.CHR_CHAIN,
      i,
      message: `${how} spell ${JSON.stringify(short(decoded, 60))}.`,
      severity: r.suspicious ? 'high' : undefined,
      properties: { decoded: short(decoded, 200) }
    });
  };
  for (const c of s.calls) {
    if (!(c.cap & CAP.CHR) || seen.has(c.i)) continue;
    const text = c.name === 'chr' ? s.t.line(c.i) : callText(s.t, c, 4000);
    const chain = c.name === 'chr' ? CHR_PY.exec(text) : undefined;
    const list = chain ? undefined : (NUMBER_LIST.exec(c.name === 'chr' ? statementAround(s, c) : text) ?? args(text));
    const nums = chain
      ? [...chain[0].matchAll(/\d+/g)].map((m) => +m[0])
      : list
        ? list[1].split(',').map((n) => Number(n.trim()))
        : [];
    if (nums.length >= 5 && nums.every((n) => n > 0 && n < 0x110000))
      add(c.i, String.fromCodePoint(...nums.slice(0, 4000)), 'Character codes');
  }
  // A hex-to-text decoder in the file (`fromCharCode(parseInt(h, 16))`) makes every hex literal it is given a hidden string.
  if (s.calls.some((c) => c.cap & CAP.CHR && /parseInt\([^)]*16/.test(callText(s.t, c, 200))))
    for (const m of s.t.joined.matchAll(HEX_ARG)) {
      const i = s.t.indexAt(m.index);
      add(i, Buffer.from(m[1], 'hex').toString('latin1'), 'Hex literals given to a decoder');
    }
  // Escape runs: one native search for a backslash, then a check of the few lines that have one.
  const j = s.t.joined;
  for (let at = j.indexOf('\\'); at !== -1; at = j.indexOf('\\', at + 1)) {
    const next = j.charCodeAt(at + 1);
    if (next !== 120 && next !== 117 && (next < 48 || next > 55)) continue;
    const i = s.t.indexAt(at);
    at = s.t.starts[i + 1] - 1;
    if (seen.has(i) || codeLine(s, i) === undefined) continue;
    const line = s.t.line(i);
    for (const m of line.matchAll(ESCAPE_RUN)) {
      const decoded = unescapeRun(m[0]);
      const n = m[0].split('\\').length - 1;
      if (n >= 8 || (n >= 4 && readable(decoded).suspicious)) add(i, decoded, 'Escapes');
      else if (n >= 4 && EBCDIC.test(s.t.span(i, i + 3)) && !seen.has(i)) {
        seen.add(i);
        hits.push({
          rule: R.CHR_CHAIN,
          i,
          message: 'Escaped bytes are decoded with an EBCDIC codec, a BlankOBF trick.',
          severity: 'high'
        });
      }
    }
  }
  return hits;
}

/** `String.fromCharCode(104, 105, ...)`: the arguments themselves form the list. */
function args(text: string): RegExpExecArray | null {
  return /\(\s*((?:(?:0x)?[0-9a-fA-F]+\s*,\s*){4,}(?:0x)?[0-9a-fA-F]+)\s*\)/.exec(text);
}

/** The text right after a `chr` call: `''.join(chr(c) for c in [..])` lists its codes within a few tokens. */
function statementAround(s: Scan, c: Call): string {
  const after = s.t.joined.slice(c.start, Math.min(s.t.joined.length, c.start + 4000));
  const list = after.indexOf('[');
  return list >= 0 && list < 120 ? after : '';
}

const OBFUSCATOR_IDS = /\b_0x[0-9a-f]{4,6}\b/g;
const PACKED_EVAL = /^eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)/;
const JSFUCK = /^[\s[\]()!+]{200,}$/;

/** Packer output: PyArmor runtimes, Dean Edwards' packer, javascript-obfuscator's `_0x` names, JSFuck. */
export function packerHits(s: Scan): Hit[] {
  const hits: Hit[] = [];
  for (const c of s.calls) {
    if (c.cap & CAP.PACKER) hits.push({ rule: R.PACKER, i: c.i, message: 'PyArmor-packed code.' });
    // The packer's output is code; the same text in a string is someone describing it (comments hold no calls).
    else if (
      c.name === 'eval' &&
      PACKED_EVAL.test(callText(s.t, c, 100)) &&
      contextAt(s.t.line(c.i), c.start - s.t.starts[c.i], s.t.kind.lang) === 'code'
    )
      hits.push({ rule: R.PACKER, i: c.i, message: 'Dean Edwards packer output (`eval(function(p,a,c,k,e,d)`).' });
  }
  if (s.t.kind.lang !== 'js') return hits;
  const j = s.t.joined;
  let total = 0;
  let first = -1;
  for (let at = j.indexOf('_0x'); at !== -1 && total < 1000; at = j.indexOf('_0x', at + 1)) {
    const i = s.t.indexAt(at);
    const n = s.t.line(i).match(OBFUSCATOR_IDS)?.length ?? 0;
    if (n && first < 0) first = i;
    total += n;
    at = s.t.starts[i + 1] - 1;
  }
  const truthy = j.indexOf('!![]');
  if (total >= 8 || (total >= 2 && truthy >= 0)) {
    hits.push({
      rule: R.PACKER,
      i: first,
      message: `${total} javascript-obfuscator names (\`_0x…\`)${truthy >= 0 ? ' and `!![]` idioms' : ''}.`
    });
    for (let at = truthy, n = 0; at !== -1 && n < 5; at = j.indexOf('!![]', at + 4), n++)
      hits.push({ rule: R.PACKER, i: s.t.indexAt(at), message: '`!![]`, a javascript-obfuscator idiom.' });
  }
  for (const i of s.t.long)
    if (JSFUCK.test(s.t.line(i))) hits.push({ rule: R.PACKER, i, message: 'JSFuck-encoded code.' });
  return hits;
}

const MIN_SIZE = 100 * 1024;
const OUTSIDE = /(^|\/)dist\//;

/** A large file, mostly lines over 1,000 characters, outside `dist/`: one finding for the file. */
export function minifiedHit(s: Scan): Hit[] {
  const { t } = s;
  if (t.kind.lang !== 'js' || OUTSIDE.test(t.path) || t.joined.length < MIN_SIZE) return [];
  let long = 0;
  let first = -1;
  for (const i of t.long) {
    const n = t.lineLength(i);
    if (n >= 1000) {
      long += n;
      if (first < 0) first = i;
    }
  }
  if (long < t.joined.length / 2) return [];
  const obfuscated = (t.joined.slice(0, 200_000).match(OBFUSCATOR_IDS)?.length ?? 0) >= 20;
  const kb = Math.round(t.joined.length / 1024);
  return [
    {
      rule: R.MINIFIED,
      i: first,
      message: `${kb} KB of minified${obfuscated ? ', obfuscated' : ''} JavaScript${t.kind.vendored ? ' in a vendored or static folder' : ''}.`,
      evidence: `${t.path}: ${kb} KB, ${Math.round((100 * long) / t.joined.length)}% in lines over 1,000 characters`,
      severity: obfuscated ? 'high' : t.kind.vendored ? 'low' : 'medium',
      properties: { bytes: t.joined.length, obfuscated }
    }
  ];
}
