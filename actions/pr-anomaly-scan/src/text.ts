// Rules over the lines a PR adds to text files: invisible Unicode,
// obfuscation, build-system and import-time code. They see one file at a time
// (the diff is streamed), so they are plain functions of the added lines.
import { createHash } from 'node:crypto';
import { type Confidence, type Finding, type Rule, type Severity, createFinding } from '@security-actions/core';
import type { AddedLine, AddedText } from './types';
import { RULES as R } from './rules';

const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const PROSE_EXT = /\.(md|rst|txt|tex|html?|po|pot|svg|xml|csv|tsv|bib|ipynb)$/i;
const isProse = (p: string) => PROSE_EXT.test(p);

// --- Unicode ------------------------------------------------------------------
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

export interface LineHit {
  rule: Rule;
  line: AddedLine;
  message: string;
  evidence: string;
  severity?: Severity;
  confidence?: Confidence;
  properties?: Record<string, unknown>;
}

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

// --- obfuscation --------------------------------------------------------------
const B64_RUN = /[A-Za-z0-9+/]{160,}={0,2}|[A-Za-z0-9_-]{200,}={0,2}/;
const HEX_RUN = /(?:[0-9a-fA-F]{2}){120,}|(?:\\x[0-9a-fA-F]{2}){40,}/;
const DECODE =
  /\b(b64decode|b32decode|a85decode|b85decode|decodebytes|unhexlify|fromhex|atob|codecs\.decode|Buffer\.from\([^)]*['"](base64|hex)['"])/;
const EXEC_SINK =
  /\b(exec|eval|compile|execfile|__import__|importlib\.import_module|subprocess\.\w+|os\.(system|popen|exec\w*|spawn\w*)|Popen|new Function|Function\(|child_process|execSync|spawnSync)\s*\(|\|\s*(ba|z)?sh\b|\bsh\s+-c\b|\$SHELL\b|\bpowershell\b/;
const DECOMPRESS =
  /\b(marshal\.loads|zlib\.decompress|lzma\.decompress|bz2\.decompress|gzip\.decompress|pickle\.loads|zlib\.inflateSync|inflateSync|gunzipSync)\s*\(/;
const CHR_CHAIN =
  /(?:chr\(\s*\d+\s*\)\s*\+\s*){5,}|String\.fromCharCode\(\s*(?:\d+\s*,\s*){7,}|(?:\\(?:u00|x)[0-9a-fA-F]{2}){12,}/;
const PACKER = /__pyarmor__|pyarmor_runtime|eval\(function\(p,a,c,k,e,[dr]\)|(?:\b_0x[0-9a-f]{4,6}\b.*){6,}|\bjsfuck\b/;
const BUNDLE_PATH = /(^|\/)(dist|build|out|lib)\/[^/]*\.(c|m)?js$|\.min\.js$|\.bundle\.js$/;
const IMAGE_B64 = /^(iVBORw0KGgo|\/9j\/|R0lGOD|UklGR|PHN2Zy|Qk0)/;

function encodedRun(t: string): string | undefined {
  const b = B64_RUN.exec(t);
  if (b && !IMAGE_B64.test(b[0]) && /[0-9]/.test(b[0]) && /[a-z]/.test(b[0]) && /[A-Z]/.test(b[0])) return b[0];
  const h = HEX_RUN.exec(t);
  return h?.[0];
}

// Literal pre-checks (substring search, much faster than a regex alternation over megabytes) decide which
// keyword groups occur in a file's added text; the per-line patterns run only for those.
const GROUPS: Record<string, string[]> = {
  decode: ['decode', 'fromhex', 'unhexlify', 'atob', 'Buffer.from'],
  decompress: ['decompress', 'loads', 'Sync('],
  chr: ['chr(', 'CharCode', '\\'],
  packer: ['pyarmor', 'p,a,c,k,e,', '_0x', 'jsfuck'],
  process: ['subprocess', 'os.system', 'os.popen', 'Thread(', 'Popen']
};

export const hasKeyword = (all: string, group: string) => GROUPS[group].some((w) => all.includes(w));

export function obfuscationHits(
  path: string,
  lines: AddedLine[],
  all = lines.map((l) => l.text).join('\n')
): LineHit[] {
  const hits: LineHit[] = [];
  const has = {
    decode: hasKeyword(all, 'decode'),
    decompress: hasKeyword(all, 'decompress'),
    chr: hasKeyword(all, 'chr'),
    packer: hasKeyword(all, 'packer')
  };
  const notebook = /\.ipynb$/.test(path);
  const dataFile = /\.(json|csv|tsv|svg|txt|lock|map)$/i.test(path) && !notebook;
  const bundle = BUNDLE_PATH.test(path);
  // File-level facts: an encoded blob and an exec sink in the same added code make a chain.
  let sinkLine: AddedLine | undefined;
  let decodeLine: AddedLine | undefined;
  const encoded: { line: AddedLine; run: string }[] = [];
  for (const l of lines) {
    const t = l.text;
    if (t.length < 8) continue;
    const run = t.length >= 160 ? encodedRun(t) : undefined;
    if (run) encoded.push({ line: l, run });
    if (!dataFile) {
      if (has.decode && !decodeLine && DECODE.test(t)) decodeLine = l;
      if (
        has.decompress &&
        DECOMPRESS.test(t) &&
        (/\(\s*b?['"]/.test(t.slice(t.search(DECOMPRESS))) || DECODE.test(t) || run)
      ) {
        hits.push({
          rule: R.OBF_DECOMPRESS,
          line: l,
          message: 'Inline data is decompressed or unmarshalled.',
          evidence: short(t)
        });
      }
      if (has.chr && CHR_CHAIN.test(t))
        hits.push({
          rule: R.OBF_CHR_CHAIN,
          line: l,
          message: 'A string is assembled from character codes.',
          evidence: short(CHR_CHAIN.exec(t)![0])
        });
      if (has.packer && PACKER.test(t))
        hits.push({ rule: R.OBF_PACKER, line: l, message: 'Packer or obfuscator output.', evidence: short(t) });
    }
  }
  // Execution sinks matter only next to encoded or decoded data: looked for only then.
  if (!dataFile && (encoded.length || decodeLine)) sinkLine = lines.find((l) => EXEC_SINK.test(l.text));
  const chained = sinkLine && (encoded.length || decodeLine);
  if (chained) {
    const at = decodeLine ?? encoded[0].line;
    hits.push({
      rule: bundle ? R.OBF_BUNDLE : R.OBF_ENCODED_EXEC,
      line: at,
      message: `Encoded or decoded data (line ${at.line}) and code execution (line ${sinkLine!.line}) are both added to this file.`,
      evidence: short(at.text),
      severity: bundle || (encoded.length && decodeLine) ? 'critical' : 'high',
      confidence: encoded.length && decodeLine ? 'high' : 'medium',
      properties: { sinkLine: sinkLine!.line, sink: short(sinkLine!.text, 120) }
    });
  }
  for (const { line, run } of encoded) {
    if (chained && line === (decodeLine ?? encoded[0].line)) continue;
    if (bundle) {
      hits.push({
        rule: R.OBF_BUNDLE,
        line,
        message: `A ${run.length}-character encoded literal is added to a bundled file.`,
        evidence: short(run, 80),
        severity: 'high',
        confidence: 'medium'
      });
    } else {
      hits.push({
        rule: R.OBF_LONG_LITERAL,
        line,
        message: `A ${run.length}-character encoded literal${notebook ? ' in a notebook' : ''}.`,
        evidence: short(run, 80),
        confidence: notebook || dataFile ? 'low' : 'medium'
      });
    }
  }
  return hits;
}

// --- build system and start-up hooks -------------------------------------------------
const NETWORK =
  /\b(urllib\.request|urlopen|requests\.(get|post)|httpx\.|http\.client|socket\.|curl\b|wget\b|Invoke-WebRequest|fetch\(|https?:\/\/)/;
const PROCESS = /\b(subprocess|os\.system|os\.popen|Popen|check_output|check_call|os\.exec|pty\.spawn)\b/;
const SETUP_HOOK = /\bcmdclass\b|class\s+\w+\((install|build_py|build_ext|develop|egg_info|sdist)\)/;
const MESON = /\b(run_command|custom_target|run_target|generator)\s*\(/;
const CMAKE = /\b(execute_process|file\s*\(\s*DOWNLOAD|ExternalProject_Add|FetchContent_Declare|add_custom_command)\b/i;
const AUTOTOOLS_PATH = /(^|\/)(configure\.(ac|in)|Makefile\.(am|in)|aclocal\.m4|acinclude\.m4)$|\.m4$/;
const AUTOTOOLS_BAD = /\beval\b|\$SHELL|\btr\s+["']|\bsed\s+["']r|\bhead\s+-c|\bxz\s+-d|\b(grep|sed)\s+-a|\|\s*sh\b/;
const TEST_HOOK_PATH = /(^|\/)(conftest\.py|noxfile\.py|tox\.ini|pytest\.ini|setup\.cfg|Makefile|justfile|tasks\.py)$/;
const MODULE_LEVEL_START =
  /^(subprocess\.(Popen|run|call|check_output|check_call)|os\.(system|popen)|threading\.Thread\(.*\)\.start|Popen)\s*\(|^\w+\s*=\s*subprocess\.Popen\(/;

export function buildHits(path: string, lines: AddedLine[], all?: string): LineHit[] {
  const hits: LineHit[] = [];
  const name = path.split('/').pop()!;
  const first = (re: RegExp) => lines.find((l) => re.test(l.text));
  if (name === 'setup.py') {
    const hook = first(SETUP_HOOK);
    const net = first(NETWORK);
    const proc = first(PROCESS) ?? first(/\b(exec|eval)\s*\(/);
    const at = net ?? proc ?? hook;
    if (at) {
      const what = [hook && 'a custom command', net && 'network access', proc && 'process or exec calls']
        .filter(Boolean)
        .join(', ');
      hits.push({
        rule: R.BUILD_SETUP_PY,
        line: at,
        message: `setup.py gains ${what}.`,
        evidence: short(at.text),
        severity: net || proc ? 'high' : 'medium',
        properties: { network: Boolean(net), process: Boolean(proc) }
      });
    }
  } else if (name === 'meson.build' || name === 'meson_options.txt') {
    const at = first(MESON);
    const net = first(NETWORK);
    if (at)
      hits.push({
        rule: R.BUILD_NATIVE,
        line: at,
        message: 'Meson runs a command at configure or build time.',
        evidence: short(at.text),
        severity: net ? 'high' : 'medium',
        properties: { network: Boolean(net) }
      });
  } else if (name === 'CMakeLists.txt' || /\.cmake$/.test(name)) {
    const at = first(CMAKE);
    const net = first(/file\s*\(\s*DOWNLOAD|https?:\/\//i);
    if (at)
      hits.push({
        rule: R.BUILD_NATIVE,
        line: at,
        message: 'CMake runs a command or downloads at configure time.',
        evidence: short(at.text),
        severity: net ? 'high' : 'medium',
        properties: { network: Boolean(net) }
      });
  } else if (AUTOTOOLS_PATH.test(path)) {
    const bad = first(AUTOTOOLS_BAD);
    const at = bad ?? lines.find((l) => l.text.trim() && !/^\s*(dnl|#)/.test(l.text));
    if (at) {
      hits.push({
        rule: R.BUILD_AUTOTOOLS,
        line: at,
        message: bad
          ? 'Autotools/m4 code gains shell evaluation or byte-level text processing.'
          : 'Autotools/m4 build logic changed.',
        evidence: short(at.text),
        severity: bad ? 'critical' : 'medium',
        confidence: bad ? 'high' : 'medium'
      });
    }
  } else if (TEST_HOOK_PATH.test(path)) {
    const at = first(NETWORK) ?? first(PROCESS) ?? first(/\b(exec|eval)\s*\(|b64decode/);
    if (at)
      hits.push({
        rule: R.BUILD_TEST_HOOK,
        line: at,
        message: `${name} gains process, network or exec calls.`,
        evidence: short(at.text),
        properties: { network: NETWORK.test(at.text) }
      });
  } else if (name === 'pyproject.toml') {
    const at = first(/^\s*(build-backend|backend-path)\s*=/);
    if (at) {
      const inTree = /backend-path/.test(at.text) || Boolean(first(/^\s*backend-path\s*=/));
      hits.push({
        rule: R.BUILD_BACKEND,
        line: at,
        message: inTree
          ? 'The build backend is loaded from code inside the repository (`backend-path`).'
          : 'The build backend changes.',
        evidence: short(at.text),
        severity: inTree ? 'high' : 'medium'
      });
    }
  } else if (/^\.pre-commit-config\.ya?ml$/.test(name)) {
    const at = first(/^\s*-?\s*repo:\s*local\b/);
    if (at)
      hits.push({
        rule: R.BUILD_PRECOMMIT_LOCAL,
        line: at,
        message: 'A local pre-commit hook runs a command from the repository.',
        evidence: short(at.text)
      });
  } else if (/\.pth$/.test(name)) {
    const at = first(/^\s*import\s/) ?? lines[0];
    if (at)
      hits.push({
        rule: R.BUILD_PTH,
        line: at,
        message: at.text.trim().startsWith('import')
          ? 'The .pth file runs code at interpreter start-up.'
          : 'A .pth file was added.',
        evidence: short(at.text),
        severity: /^\s*import\s/.test(at.text) ? 'high' : 'low'
      });
  } else if (/\.py$/.test(name) && (all === undefined || hasKeyword(all, 'process'))) {
    const at = lines.find((l) => MODULE_LEVEL_START.test(l.text));
    if (at) {
      hits.push({
        rule: R.BUILD_IMPORT_PROCESS,
        line: at,
        message: 'A process or thread starts at module level, i.e. on import.',
        evidence: short(at.text),
        severity:
          /DEVNULL|daemon\s*=\s*True|start_new_session/.test(at.text) || name === '__init__.py' ? 'high' : 'medium'
      });
    }
  }
  return hits;
}

export function hitToFinding(path: string, h: LineHit): Finding {
  return createFinding(h.rule, {
    message: h.message,
    severity: h.severity,
    confidence: h.confidence,
    location: { file: path, line: h.line.line },
    evidence: h.evidence,
    key: h.line.text.trim().slice(0, 500),
    // The content-hash allowlist matches the line's hash, so an allowed line stays allowed wherever it moves.
    properties: { ...h.properties, contentSha256: createHash('sha256').update(h.line.text.trim()).digest('hex') }
  });
}

/** Every line rule over one file's added lines. */
export function scanAddedText(file: AddedText, all = file.added.map((l) => l.text).join('\n')): Finding[] {
  const lines = file.added;
  if (!lines.length) return [];
  const hits = [
    ...unicodeHits(file.path, lines, all),
    ...obfuscationHits(file.path, lines, all),
    ...buildHits(file.path, lines, all)
  ];
  return hits.map((h) => hitToFinding(file.path, h));
}
