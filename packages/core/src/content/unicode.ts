// Unicode that makes code read differently from how it runs: bidirectional
// controls (Trojan Source), invisible characters and variation selectors
// (GlassWorm), and Latin look-alikes from Cyrillic or Greek (homoglyphs).
// Only lines holding a non-ASCII character are looked at; a pure-ASCII file
// costs one native length comparison.
import { defineRules } from '../rules';
import type { Scan } from './scan';
import { contextAt } from './syntax';
import type { Hit } from './hit';

const TROJAN = { title: 'Trojan Source (CVE-2021-42574)', url: 'https://trojansource.codes/' };
const GLASSWORM = {
  title: 'GlassWorm: invisible Unicode in VS Code extensions (2025)',
  url: 'https://www.koi.ai/blog/glassworm-first-self-propagating-worm-using-invisible-code-hits-openvsx-marketplace'
};

export const UNICODE_RULES = defineRules({
  BIDI: {
    id: 'unicode/bidi-control',
    title: 'Bidirectional control character',
    severity: 'high',
    why: 'Bidi controls make code display in a different order from how it runs (Trojan Source).',
    remediation: 'Remove the character; GitHub shows a warning banner on such files.',
    spec: ['S8-16'],
    references: [TROJAN],
    pathIgnorable: false
  },
  INVISIBLE: {
    id: 'unicode/invisible-character',
    title: 'Invisible character in code',
    severity: 'high',
    why: 'Zero-width characters, variation selectors and blank look-alikes hide identifiers or whole payloads (GlassWorm).',
    remediation: 'Remove the character or write it as an escape (`\\u200b`).',
    spec: ['S8-16'],
    references: [TROJAN, GLASSWORM],
    pathIgnorable: false
  },
  HOMOGLYPH: {
    id: 'unicode/homoglyph',
    title: 'Look-alike letters from another script',
    severity: 'high',
    why: 'A Cyrillic `\u0430` or Greek `\u03bf` in a Latin identifier or string makes two different names look the same (Trojan Source homoglyph attack).',
    remediation: 'Replace the look-alike with the Latin letter, or use an escape if the foreign letter is intended.',
    spec: ['S8-16'],
    references: [TROJAN],
    pathIgnorable: false
  }
});

const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
const BIDI_MARKS = /[\u200e\u200f\u061c]/u;
const RTL_LETTERS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;
// Invisible or blank look-alikes; ZWJ/ZWNJ and variation selectors are judged by their neighbours below.
const INVISIBLE =
  /[\u200b\u2060-\u2064\u00ad\u115f\u1160\u3164\uffa0\u2800\u180e\ufeff]|[\u{e0000}-\u{e007f}]|[\u{e0100}-\u{e01ef}]/u;
// Every character invisibleIn() may report; lines without one skip the per-character walk.
const INVISIBLE_ANY =
  // eslint-disable-next-line no-misleading-character-class
  /[\u200b-\u200d\u2060-\u2064\u00ad\u00a0\u115f\u1160\u3164\uffa0\u2800\u180e\ufeff\ufe00-\ufe0f]|[\u{e0000}-\u{e007f}]|[\u{e0100}-\u{e01ef}]/gu;
const VS = /[\ufe00-\ufe0f]/u;
const RUN_CHAR =
  // eslint-disable-next-line no-misleading-character-class
  /^(?:[\u200b-\u200d\u2060-\u2064\ufe00-\ufe0f\u3164\uffa0\u2800]|[\u{e0000}-\u{e007f}]|[\u{e0100}-\u{e01ef}])/u;
const EMOJI_BASE = /[\p{Extended_Pictographic}\p{Emoji_Component}\u2000-\u2bff\u3030\u303d\u3297\u3299]/u;
const CJK = /\p{Script=Han}/u;
const LETTER = /[\p{L}\p{M}]/u;
const NON_ASCII = /[^\x00-\x7f]/g;

// Letters of Cyrillic and Greek that render like Latin ones.
const CYR_CONFUSABLE = new Set([
  ...'\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u051b\u051d\u04bb\u04cf\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0423\u0406\u0408\u0405\u051c'
]);
const GRK_CONFUSABLE = new Set([
  ...'\u03bf\u03b1\u03b9\u03bd\u03c1\u03c4\u03c5\u03c7\u03ba\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7'
]);
const CYR_OR_GRK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;
const WORD = /[\p{L}\p{M}\p{N}_]+/gu;

/**
 * Every character a rule below reads as its own (bidi controls and marks, invisible ones, Cyrillic) and a Greek
 * look-alike between Latin letters: a line with none (Latin-1 letters, Greek words) can yield nothing, and one
 * search spares it the six.
 */
const SUSPECT = new RegExp(
  // eslint-disable-next-line no-misleading-character-class
  `[\\u00a0\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\u2800\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\p{Script=Cyrillic}\\u{e0000}-\\u{e007f}\\u{e0100}-\\u{e01ef}]|(?<=[A-Za-z])[${[...GRK_CONFUSABLE].join('')}](?=[A-Za-z])`,
  'u'
);
const ACKNOWLEDGED = /noqa\b[^\n]*\bRUF00[123]\b/;
const cp = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

export function unicodeHits(s: Scan): Hit[] {
  const j = s.t.joined;
  // A text as long as its UTF-8 bytes holds only ASCII, or characters that each stand for one byte that was not
  // UTF-8 (U+FFFD, whose lines lineHit skips): nothing to report. The byte count the text was decoded from, when
  // the caller knows it, spares the native pass that measures it.
  const bytes = s.t.utf8Bytes ?? Buffer.byteLength(j, 'utf8');
  return bytes === j.length ? [] : hitsFrom(s, bytes - j.length);
}

/**
 * The hits of every line holding a non-ASCII character, up to the one after which none is left: each non-ASCII
 * code unit stands for at least one of the `extra` bytes beyond the text's length, so once the lines visited
 * account for all of them the search for the next one (to the end of the text) is skipped. `Infinity`: every line.
 */
export function hitsFrom(s: Scan, extra: number): Hit[] {
  const j = s.t.joined;
  const hits: Hit[] = [];
  NON_ASCII.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (extra > 0 && (m = NON_ASCII.exec(j))) {
    const i = s.t.indexAt(m.index);
    const hit = lineHit(s, i);
    if (hit) hits.push(hit);
    const end = s.t.starts[i + 1];
    // The line before m.index is ASCII (the search started at the line's start).
    const e = extraBytes(j, m.index, end - 1);
    extra = e === Infinity ? Infinity : extra - e;
    NON_ASCII.lastIndex = end;
  }
  return hits;
}

/**
 * The UTF-8 bytes beyond one per code unit that `j[from, to)` was decoded from, or a lower bound: 1 below U+0800
 * and for each half of a surrogate pair (four bytes for two units), 2 above. A U+FFFD may stand for any number of
 * bytes that were not UTF-8: Infinity (every later line is searched).
 */
function extraBytes(j: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) {
    const c = j.charCodeAt(k);
    if (c < 0x80) continue;
    if (c === 0xfffd) return Infinity;
    n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}

type Where = 'code' | 'string' | 'comment';
const CODE_LANGS = new Set(['python', 'js', 'notebook', 'other']);

/** Line i's hit, if any: one search for SUSPECT clears most lines before the rules read them. */
export function lineHit(s: Scan, i: number): Hit | undefined {
  const line = s.t.line(i);
  return SUSPECT.test(line) ? judgeLine(s, i, line) : undefined;
}

/**
 * Severity by where the character sits. In code (identifiers, operators) it
 * changes what a reviewer reads: high. In a string it is usually data
 * (a Unicode table, a name), unless several invisible characters in a row
 * encode a payload (GlassWorm). In comments and documentation it changes
 * nothing that runs. (lineHit without its first search, exported for the test that compares the two.)
 */
export function judgeLine(s: Scan, i: number, line: string): Hit | undefined {
  const t = s.t;
  // U+FFFD marks bytes that were not UTF-8: a binary file read as text, not characters anyone sees.
  if (line.includes('\ufffd')) return undefined;
  const lang = t.kind.lang === 'notebook' ? 'python' : t.kind.lang;
  const code = CODE_LANGS.has(t.kind.lang) || t.kind.shell;
  const where = (col: number): Where =>
    !code || s.prose.has(i) ? 'comment' : s.prose.inString(i) ? 'string' : contextAt(line, col, lang);
  const bidi = BIDI.exec(line);
  // Translators of right-to-left languages use embeddings and overrides in text (warehouse's Farsi, Hebrew and
  // Sorani gettext catalogs): in a prose file the character reorders a sentence, not code that runs.
  if (bidi && t.kind.lang === 'prose') {
    const rtl = RTL_LETTERS.test(line);
    return {
      rule: UNICODE_RULES.BIDI,
      i,
      message: `${cp(bidi[0])} reorders how this line of text is displayed${rtl ? ' (a line with right-to-left text)' : ''}.`,
      severity: rtl ? 'low' : 'medium'
    };
  }
  if (bidi) return { rule: UNICODE_RULES.BIDI, i, message: `${cp(bidi[0])} reorders how this line is displayed.` };
  const mark = BIDI_MARKS.exec(line);
  if (mark && !RTL_LETTERS.test(line)) {
    const w = where(mark.index);
    return {
      rule: UNICODE_RULES.BIDI,
      i,
      message: `${cp(mark[0])} (a direction mark) in a line with no right-to-left text${w === 'code' ? '' : ` (in a ${w})`}.`,
      severity: w === 'code' ? 'medium' : 'low'
    };
  }
  const inv = invisibleIn(line, code);
  if (inv) {
    const w = where(inv.at);
    const nbsp = inv.char === '\u00a0';
    // A no-break space renders as a space: it can only mislead in code, not in text.
    if (!nbsp || (w === 'code' && !isProseLine(line))) {
      const severity = w === 'code' ? (nbsp ? 'medium' : 'high') : w === 'string' && inv.run >= 3 ? 'high' : 'low';
      return {
        rule: UNICODE_RULES.INVISIBLE,
        i,
        message: `Invisible character ${cp(inv.char)}${inv.run > 1 ? ` (${inv.run} in a row)` : ''} in ${w === 'code' ? 'code' : `a ${w}`}.`,
        severity
      };
    }
  }
  const glyph = t.kind.lang === 'prose' ? undefined : homoglyphIn(line);
  if (glyph) {
    const w = where(glyph.at);
    const acknowledged = ACKNOWLEDGED.test(line);
    return {
      rule: UNICODE_RULES.HOMOGLYPH,
      i,
      message: `${glyph.message}${acknowledged ? ' The line acknowledges it (ruff RUF001-003).' : ''}`,
      // `# noqa: RUF001` (ruff's ambiguous-Unicode check) says the author chose the character: still shown, not an alarm.
      severity: acknowledged || w === 'comment' ? 'low' : w === 'string' ? 'medium' : undefined,
      properties: { word: glyph.word }
    };
  }
  return undefined;
}

/** The first invisible character that is not part of an emoji, flag or ideographic sequence, and how many follow it. */
function invisibleIn(line: string, code: boolean): { char: string; at: number; run: number } | undefined {
  // Jump from candidate to candidate: no work on the ordinary characters of the line.
  INVISIBLE_ANY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = INVISIBLE_ANY.exec(line))) {
    const c = m[0];
    const k = m.index;
    const low = k > 1 ? line.charCodeAt(k - 1) : 0;
    const before = low >= 0xdc00 && low <= 0xdfff ? line.slice(k - 2, k) : k > 0 ? line[k - 1] : '';
    const next = k + c.length < line.length ? String.fromCodePoint(line.codePointAt(k + c.length)!) : '';
    let report: boolean;
    if (c === '\ufeff' && k === 0) continue; // a byte-order mark at the start of a file
    if (INVISIBLE.test(c)) {
      const n = c.codePointAt(0)!;
      report = !(
        (n >= 0xe0100 && CJK.test(before)) || // ideographic variation sequences
        (n >= 0xe0000 && n <= 0xe007f && /[\u{1f3f4}\u{e0000}-\u{e007f}]/u.test(before)) || // flag tag sequences
        (c === '\u00ad' && !code) // soft hyphens in prose
      );
    } else if (VS.test(c)) report = !EMOJI_BASE.test(before);
    else if (c === '\u200d' || c === '\u200c')
      report = !(EMOJI_BASE.test(before) && EMOJI_BASE.test(next)) && !LETTER.test(before);
    else report = c === '\u00a0';
    if (!report) continue;
    let run = 1;
    for (let e = k + c.length; e < line.length;) {
      const r = RUN_CHAR.exec(line.slice(e, e + 2));
      if (!r) break;
      run++;
      e += r[0].length;
    }
    return { char: c, at: k, run };
  }
  return undefined;
}

/**
 * Natural-language text uses NBSP (French `«\u00a0»`, `\u00a0:`; between words of a sentence); code tokens do
 * not. A sentence: four words or more, the NBSP after a word (or its full stop) and before a letter, none of `=(){};`.
 */
function isProseLine(line: string): boolean {
  if (/[«»]|\u00a0[!?:;]/.test(line)) return true;
  return (
    /[\p{L}\p{N}.,]\u00a0\p{L}/u.test(line) && !/[=(){};]/.test(line) && (line.match(/\p{L}+/gu)?.length ?? 0) >= 4
  );
}

const LATIN_LETTER = /(?=[\p{Lu}\p{Ll}])\p{Script=Latin}/u;
const GREEK_LETTER = /\p{Script=Greek}/u;
const GREEK_SANDWICHED = new RegExp(`[A-Za-z][${[...GRK_CONFUSABLE].join('')}][A-Za-z]`);
const CYRILLIC_LETTER = /\p{Script=Cyrillic}/u;

/**
 * A word that mixes Latin letters with look-alikes from Cyrillic or Greek.
 * Greek letters are everyday mathematics (`τ_a`, `Hα`, `dα`): a Greek
 * look-alike counts only between two Latin letters (`login` with U+03BF for its `o`), where it can
 * pass for the Latin letter; Cyrillic look-alikes count anywhere in a Latin word.
 */
function homoglyphIn(line: string): { message: string; word: string; at: number } | undefined {
  if (!CYR_OR_GRK.test(line)) return undefined;
  // Without Cyrillic, only a Greek look-alike between two Latin letters can count: most Greek text has none.
  if (!CYRILLIC_LETTER.test(line) && !GREEK_SANDWICHED.test(line)) return undefined;
  // A line of real Cyrillic or Greek text (not only look-alikes) is language, not a disguise.
  let cyrOther = false;
  for (const [c] of line.matchAll(/\p{Script=Cyrillic}/gu)) if (!CYR_CONFUSABLE.has(c)) cyrOther = true;
  for (const m of line.matchAll(WORD)) {
    const w = m[0];
    if (!/[^\x00-\x7f]/.test(w)) continue;
    const chars = [...w];
    let latin = 0;
    let cyr = 0;
    let cyrConf = 0;
    let grkSandwiched = false;
    for (let k = 0; k < chars.length; k++) {
      const c = chars[k];
      if (c < '\u0080' ? /[A-Za-z]/.test(c) : LATIN_LETTER.test(c)) latin++;
      else if (CYRILLIC_LETTER.test(c)) {
        cyr++;
        if (CYR_CONFUSABLE.has(c)) cyrConf++;
      } else if (GREEK_LETTER.test(c) && GRK_CONFUSABLE.has(c))
        grkSandwiched ||= /[A-Za-z]/.test(chars[k - 1] ?? '') && /[A-Za-z]/.test(chars[k + 1] ?? '');
    }
    const at = m.index;
    if (latin && cyrConf) return { message: `"${w}" mixes Latin with Cyrillic look-alike letters.`, word: w, at };
    if (grkSandwiched) return { message: `"${w}" hides a Greek look-alike letter between Latin ones.`, word: w, at };
    if (!latin && cyr && cyr === cyrConf && !cyrOther)
      return { message: `"${w}" is written in Cyrillic letters that look Latin.`, word: w, at };
  }
  return undefined;
}
