// What reaches a call: data produced by another call inside its arguments
// (`exec(b64decode(x))`), or through a name assigned a few lines above
// (`code = b64decode(x)` … `exec(code)`), or a literal that is itself
// encoded. The rules pair these sources with the call's capability: a
// decoder alone or an exec alone is ordinary code; one reaching the other is
// the threat (GuardDog v3's capability + threat model).
import { CAP, type Call, callText } from './calls';
import { readable } from './hit';
import type { Scan } from './scan';
import { assignedName, argsEnd } from './syntax';

/** Lines a flow may span: a function body, in the scientific code this was tuned on. */
export const WINDOW = 30;

export type SourceKind = 'decode' | 'decompress' | 'image' | 'network' | 'encoded' | 'escaped' | 'character-code';

export interface Source {
  kind: SourceKind;
  /** Line index where the data comes from. */
  i: number;
  /** `arg`: inside the call's own arguments; `name`: through a name assigned earlier. */
  via: 'arg' | 'name';
}

const ENCODED_ARG = /[A-Za-z0-9+/]{40,}={0,2}|(?:[0-9a-fA-F]{2}){24,}/;
const ESCAPES = /(?:\\x[0-9a-fA-F]{2}|\\[0-7]{3}|\\u00[0-9a-fA-F]{2}){4,}/;
const IMAGE_PATH = /\.(?:png|jpe?g|gif|bmp|ico|webp|tiff?)\b/i;

const kindOf = (cap: number, text: string): SourceKind | undefined =>
  cap & CAP.IMG
    ? 'image'
    : cap & CAP.NET
      ? IMAGE_PATH.test(text)
        ? 'image'
        : 'network'
      : cap & CAP.DECOMPRESS
        ? 'decompress'
        : cap & CAP.DECODE
          ? 'decode'
          : cap & CAP.CHR
            ? 'character-code'
            : undefined;

const SOURCE_CAPS = CAP.IMG | CAP.NET | CAP.DECOMPRESS | CAP.DECODE | CAP.CHR;

/** Decoded text of a run of `\xNN`, `\NNN` or `\u00NN` escapes. */
export function unescapeRun(run: string): string {
  return run.replace(/\\x([0-9a-fA-F]{2})|\\([0-7]{3})|\\u00([0-9a-fA-F]{2})/g, (_m, x, o, u) =>
    String.fromCharCode(x ? parseInt(x, 16) : o ? parseInt(o, 8) : parseInt(u, 16))
  );
}

/** Sources of the data that call `sink` consumes. */
export function sourcesOf(s: Scan, sink: Call): Source[] {
  const out: Source[] = [];
  const end = argsEnd(s.t.joined, sink.open, 2000);
  const args = s.t.joined.slice(sink.open, end);
  for (const c of s.calls) {
    if (c.open <= sink.open || c.open >= end || !(c.cap & SOURCE_CAPS)) continue;
    const kind = kindOf(c.cap, callText(s.t, c, 300));
    if (kind) out.push({ kind, i: c.i, via: 'arg' });
  }
  const b64 = ENCODED_ARG.exec(args);
  if (b64 && /[0-9]/.test(b64[0]) && /[a-z]/i.test(b64[0])) out.push({ kind: 'encoded', i: sink.i, via: 'arg' });
  const esc = ESCAPES.exec(args);
  if (esc && readable(unescapeRun(esc[0])).printable) out.push({ kind: 'escaped', i: sink.i, via: 'arg' });
  if (out.length) return out;
  // Names bound to a source's result in the lines before the call.
  const names = identifiers(args);
  if (!names.size) return out;
  for (const c of s.calls) {
    if (c.i < sink.i - WINDOW || c.i > sink.i || c.open >= sink.open || !(c.cap & SOURCE_CAPS)) continue;
    const name = assignedName(s.t.line(c.i));
    if (!name || !names.has(name)) continue;
    const kind = kindOf(c.cap, s.t.line(c.i));
    if (kind) out.push({ kind, i: c.i, via: 'name' });
  }
  return out;
}

const IDENT = /[A-Za-z_$][\w$]*/g;
const KEYWORDS = new Set([
  'None',
  'True',
  'False',
  'null',
  'true',
  'false',
  'undefined',
  'this',
  'self',
  'new',
  'await'
]);

function identifiers(args: string): Set<string> {
  const out = new Set<string>();
  // Strings hold no names: drop them before collecting identifiers.
  const bare = args.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""');
  for (const m of bare.matchAll(IDENT)) if (!KEYWORDS.has(m[0])) out.add(m[0]);
  return out;
}
