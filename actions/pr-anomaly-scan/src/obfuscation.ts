// Obfuscation in added lines: encoded data reaching execution, long encoded
// literals, decompressed or unmarshalled literals, character-code strings,
// packers, and payloads in bundled JavaScript.
import type { AddedLine } from './types';
import { type LineHit, hasKeyword, short } from './lines';
import { RULES as R } from './rules';

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
