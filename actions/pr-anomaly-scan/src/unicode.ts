// Unicode in added lines: bidirectional controls, invisible characters and
// look-alike letters from other scripts (Trojan Source, GlassWorm).
import type { AddedLine } from './types';
import { type LineHit, isProse, short } from './lines';
import { RULES as R } from './rules';

const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
const BIDI_MARKS = /[\u200e\u200f\u061c]/u;
const RTL_LETTERS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;
// Invisible or blank look-alikes; ZWJ/ZWNJ and variation selectors are judged by their neighbours below.
const INVISIBLE =
  /[\u200b\u2060-\u2064\u00ad\u115f\u1160\u3164\uffa0\u2800\u180e\ufeff]|[\u{e0000}-\u{e007f}]|[\u{e0100}-\u{e01ef}]/u;
const VS = /[\ufe00-\ufe0f]/u;
const EMOJI_BASE = /[\p{Extended_Pictographic}\p{Emoji_Component}\u2000-\u2bff\u3030\u303d\u3297\u3299]/u;
const CJK = /\p{Script=Han}/u;

// Letters of Cyrillic and Greek that render like Latin ones.
const CYR_CONFUSABLE = new Set([...'аеорсухіјѕԁԛԝһӏАВЕКМНОРСТХУІЈЅԜ']);
const GRK_CONFUSABLE = new Set([...'οαινρτυχκΑΒΕΖΗΙΚΜΝΟΡΤΥΧ']);
const WORD = /[\p{L}\p{M}\p{N}_]+/gu;

function cp(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function unicodeHits(path: string, lines: AddedLine[], all?: string): LineHit[] {
  const hits: LineHit[] = [];
  if (all !== undefined && !/[^\x00-\x7f]/.test(all)) return hits;
  const code = !isProse(path);
  for (const l of lines) {
    const t = l.text;
    if (!/[^\x00-\x7f]/.test(t)) continue;
    const bidi = BIDI.exec(t);
    if (bidi) {
      hits.push({
        rule: R.UNI_BIDI,
        line: l,
        message: `${cp(bidi[0])} reorders how this line is displayed.`,
        evidence: short(t)
      });
      continue;
    }
    if (code && BIDI_MARKS.test(t) && !RTL_LETTERS.test(t)) {
      const c = BIDI_MARKS.exec(t)![0];
      hits.push({
        rule: R.UNI_BIDI,
        line: l,
        message: `${cp(c)} (a direction mark) in a line with no right-to-left text.`,
        evidence: short(t),
        severity: 'medium'
      });
      continue;
    }
    const inv = invisibleIn(t, code);
    if (inv) {
      hits.push({
        rule: R.UNI_INVISIBLE,
        line: l,
        message: `Invisible character ${cp(inv)} in an added line.`,
        evidence: short(t)
      });
      continue;
    }
    const glyph = homoglyphIn(t);
    if (glyph)
      hits.push({
        rule: R.UNI_HOMOGLYPH,
        line: l,
        message: glyph.message,
        evidence: short(t),
        properties: { word: glyph.word }
      });
  }
  return hits;
}

// Every character invisibleIn() may report; lines without one skip the per-character walk.
const INVISIBLE_ANY =
  // eslint-disable-next-line no-misleading-character-class
  /[\u200b-\u200d\u2060-\u2064\u00ad\u00a0\u115f\u1160\u3164\uffa0\u2800\u180e\ufeff\ufe00-\ufe0f]|[\u{e0000}-\u{e007f}]|[\u{e0100}-\u{e01ef}]/u;

function invisibleIn(t: string, code: boolean): string | undefined {
  if (!INVISIBLE_ANY.test(t)) return undefined;
  const chars = [...t];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const prev = chars[i - 1] ?? '';
    const next = chars[i + 1] ?? '';
    if (c === '\ufeff' && i === 0) continue; // a byte-order mark at the start of a file
    if (INVISIBLE.test(c)) {
      const n = c.codePointAt(0)!;
      if (n >= 0xe0100 && CJK.test(prev)) continue; // ideographic variation sequences
      if (n >= 0xe0000 && n <= 0xe007f && /[\u{1f3f4}\u{e0000}-\u{e007f}]/u.test(prev)) continue; // flag tag sequences
      if (c === '\u00ad' && !code) continue; // soft hyphens in prose
      return c;
    }
    if (VS.test(c) && !EMOJI_BASE.test(prev)) return c;
    if (
      (c === '\u200d' || c === '\u200c') &&
      !(EMOJI_BASE.test(prev) && EMOJI_BASE.test(next)) &&
      !/[\p{L}\p{M}]/u.test(prev)
    )
      return c;
    if (c === '\u00a0' && code && !isProseLine(t)) return c;
  }
  return undefined;
}

/** Comments and strings in natural languages (French `«\u00a0»`) use NBSP; code tokens do not. */
function isProseLine(t: string): boolean {
  return /^\s*(#|\/\/|\*|"""|''')/.test(t) && !/\u00a0(?=\S+\s*=)/.test(t) ? false : /[«»]|\u00a0[!?:;]/.test(t);
}

function homoglyphIn(t: string): { message: string; word: string } | undefined {
  if (!/[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(t)) return undefined;
  // A line of real Cyrillic or Greek text (not only look-alikes) is language, not a disguise.
  let cyrOther = false;
  for (const [c] of t.matchAll(/\p{Script=Cyrillic}/gu)) if (!CYR_CONFUSABLE.has(c)) cyrOther = true;
  for (const m of t.matchAll(WORD)) {
    const w = m[0];
    if (!/[^\x00-\x7f]/.test(w)) continue;
    let latin = 0;
    let cyr = 0;
    let cyrConf = 0;
    let grk = 0;
    let grkConf = 0;
    for (const c of w) {
      if (/\p{Script=Latin}/u.test(c)) latin++;
      else if (/\p{Script=Cyrillic}/u.test(c)) {
        cyr++;
        if (CYR_CONFUSABLE.has(c)) cyrConf++;
      } else if (/\p{Script=Greek}/u.test(c)) {
        grk++;
        if (GRK_CONFUSABLE.has(c)) grkConf++;
      }
    }
    if (latin && cyrConf) return { message: `"${w}" mixes Latin with Cyrillic look-alike letters.`, word: w };
    if (latin && grkConf && grk === grkConf)
      return { message: `"${w}" mixes Latin with Greek look-alike letters.`, word: w };
    if (!latin && cyr && cyr === cyrConf && !cyrOther)
      return { message: `"${w}" is written in Cyrillic letters that look Latin.`, word: w };
  }
  return undefined;
}
