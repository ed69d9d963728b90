// The secret scan lints only the lines that can hold what a rule of secretlint's recommended preset matches
// (anchors.ts, PRESET_ANCHORS). Each rule gets an example credential, assembled so that no token sits in
// this source: secretlint must report it alone, and the filter must keep its line among ordinary code.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { lintSource } from '@secretlint/core';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';
import { PRESET_ANCHORS } from '../../actions/pr-anomaly-scan/src/anchors';
import { SecretCollector, candidateLines, tokenRun } from '../../actions/pr-anomaly-scan/src/secrets';
import { Literals } from '../../packages/core/src/literals';
import { seeded, piecesText } from '../helpers/random';

/** Deterministic characters from `alphabet` (a token's body). */
function body(n: number, alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789', seed = n): string {
  let x = seed * 2654435761;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += alphabet[(x >>> 8) % alphabet.length];
  }
  return out;
}
const HEX = '0123456789abcdef';
const p = (...parts: string[]) => parts.join('');
const pem = () =>
  generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/** A service account's base64 JSON whose last group is `}` alone (`fQ==`). */
function opsBody(): string {
  for (let n = 120; ; n++) {
    const json = JSON.stringify({ email: `${body(12)}@1passwordserviceaccounts.lcl`, secretKey: body(n) });
    if (json.length % 3 === 1) return Buffer.from(json).toString('base64');
  }
}

/**
 * Rules with no example: `gcp` reads the file extension (`source.ext`), which the scan does not give
 * `lintSource`, so it reports nothing (a service-account JSON file's key is the `privatekey` rule's);
 * `filter-comments` reports nothing itself: it applies `secretlint-disable` comments (tested below).
 */
const SILENT = ['gcp', 'filter-comments'];

/** One example per rule that reports in the scan's configuration (the AWS ID rules are off unless asked for). */
const EXAMPLES: Record<string, { path?: string; text: string }> = {
  aws: { text: p('AWS_SECRET_', 'ACCESS_KEY = "', body(40), '"') },
  npm: { text: p('NPM = "np', 'm_', body(36), '"') },
  slack: {
    text: p('hook = "https://hooks.', 'slack.com/services/T', body(9), '/B', body(9, undefined, 3), '/', body(24), '"')
  },
  basicauth: { text: p('url = "https://deploy', 'er:', body(16), '@ci.', 'acme.io/x"') },
  openai: { text: p('k = "s', 'k-', body(20), 'T3Blbk', 'FJ', body(20, undefined, 7), '"') },
  anthropic: { text: p('k = "sk-', 'ant-api03-', body(95), 'A', 'A"') },
  groq: { text: p('k = "gs', 'k_', body(52), '"') },
  huggingface: { text: p('k = "h', 'f_', body(34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), '"') },
  linear: { text: p('k = "lin', '_api_', body(40), '"') },
  notion: { text: p('k = "nt', 'n_', body(11, '0123456789'), body(35), '"') },
  privatekey: { text: pem().trimEnd() },
  sendgrid: { text: p('k = "S', 'G.', body(22), '.', body(43, undefined, 5), '"') },
  shopify: { text: p('k = "shp', 'at_', body(32, HEX), '"') },
  stripe: { text: p('k = "sk', '_live_', body(24), '"') },
  github: { text: p('k = "gh', 'p_', body(36), '"') },
  gitlab: { text: p('k = "glp', 'at-', body(20), '"') },
  grafana: { text: p('k = "gl', 'sa_', body(32), '_', body(8, HEX), '"') },
  '1password': { text: p('k = "op', 's_', opsBody(), '"') },
  'database-connection-string': { text: p('db = "postgres', 'ql://svc:', body(16), '@db.', 'acme.io:5432/app"') },
  'hashicorp-vault': { text: p('k = "hv', 's.', body(95), '"') },
  vercel: { text: p('k = "vc', 'p_', body(40), '"') },
  databricks: { text: p('k = "da', 'pi', body(32, HEX), '"') },
  docker: { text: p('k = "dck', 'r_pat_', body(27), '"') },
  figma: { text: p('k = "fi', 'gd_', body(40), '"') },
  cloudflare: { text: p('k = "cf', 'at_', body(40), body(8, HEX), '"') },
  tailscale: { text: p('k = "tsk', 'ey-api-', body(12), '-', body(30, undefined, 9), '"') }
};

/**
 * candidateLines as it was before its line's end came from the anchor pass (each candidate line sliced, the
 * anchors read over the slice's bounds, lines without a token run read when they hold `://`): the reference
 * the fast path must agree with on every input.
 */
function referenceCandidateLines(path: string, text: string): { i: number; text: string }[] {
  const OTHER = /PRIVATE KEY|:\/\/[^/\s:@]+:[^/\s@]+@/;
  const SPANS = /PRIVATE KEY|secretlint-/;
  const IMAGE = /^\s*"image\/[\w.+-]+":\s*"/;
  const literals = new Literals(
    Object.values(PRESET_ANCHORS).flatMap((a) => (a instanceof RegExp ? [] : a)),
    { ignoreCase: true }
  );
  const structures = Object.values(PRESET_ANCHORS).filter((a) => a instanceof RegExp);
  const anchored = (start: number, end: number) => {
    if (literals.end(text, start, end) !== -1) return true;
    const line = text.slice(start, end);
    return line.includes('://') && structures.some((r) => r.test(line));
  };
  const isCandidate = (s: string) =>
    tokenRun(s) !== -1 || ((s.includes('PRIVATE KEY') || s.includes('@')) && OTHER.test(s));
  const every = () =>
    text
      .split('\n')
      .map((line, i) => ({ i, text: line }))
      .filter((l) => isCandidate(l.text));
  const anchoredLines = () => {
    const out: { i: number; text: string }[] = [];
    let run = tokenRun(text);
    let url = text.indexOf('://');
    let next = false;
    let counted = 0;
    let upTo = 0;
    while (run !== -1 || url !== -1) {
      const at = run === -1 ? url : url === -1 ? run : Math.min(run, url);
      const start = text.lastIndexOf('\n', at) + 1;
      const nl = text.indexOf('\n', at);
      const end = nl === -1 ? text.length : nl;
      const line = text.slice(start, end);
      const image = path.endsWith('.ipynb') && IMAGE.test(line);
      if (!image && ((run !== -1 && run < end) || (line.includes('@') && OTHER.test(line)))) {
        const anchor = anchored(start, end);
        if (anchor && SPANS.test(line)) return undefined;
        if (anchor || next) {
          for (let k = text.indexOf('\n', upTo); k !== -1 && k < start; k = text.indexOf('\n', k + 1)) counted++;
          upTo = start;
          out.push({ i: counted, text: line });
        }
        next = anchor;
      }
      if (run !== -1 && run < end) run = tokenRun(text, end + 1);
      if (url !== -1 && url < end) url = text.indexOf('://', end);
    }
    return out;
  };
  if (/\.(svg|lock|min\.js|map)$|(^|\/)(package-lock\.json|yarn\.lock)$/.test(path)) return [];
  return (
    (!/(^|\/)(package\.json|\.npmrc)$/.test(path) && !text.includes('PRIVATE KEY') && anchoredLines()) ||
    (isCandidate(text) ? every() : [])
  );
}

const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
const lint = async (filePath: string, content: string) =>
  (await lintSource({ source: { filePath, content, contentType: 'text' }, options: { config, maskSecrets: true } }))
    .messages;
const short = (id: string) => id.replace(/^@secretlint\/secretlint-rule-/, '');
/** Ordinary code around the example: long identifiers and URLs (token runs) without any anchor. */
const FILLER = [
  'import numpy as np',
  'from scipy.optimize import least_squares_with_bounds',
  '# See https://docs.scipy.org/doc/scipy/reference/optimize.html',
  'EXPECTED_SHA256 = "' + body(64, HEX) + '"'
];

describe('the secretlint candidate filter', () => {
  it('names every rule of the installed preset (a new rule fails here until its anchor is listed)', () => {
    const rules = (creator as unknown as { rules: { meta: { id: string } }[] }).rules.map((r) => short(r.meta.id));
    expect(Object.keys(PRESET_ANCHORS).sort()).toEqual(rules.sort());
    expect([...Object.keys(EXAMPLES), ...SILENT].sort()).toEqual(rules.sort());
  });

  it.each(Object.keys(EXAMPLES))('keeps the line of a %s credential, which secretlint reports', async (rule) => {
    const ex = EXAMPLES[rule];
    const path = ex.path ?? 'src/pkg/settings.py';
    const alone = await lint(`/${path}`, ex.text);
    expect(alone.map((m) => short(m.ruleId))).toContain(rule);
    // Among ordinary code, in the middle of a file: every line of the example is kept, and the collector reports it.
    const text = [...FILLER, ex.text, ...FILLER].join('\n');
    const first = FILLER.length;
    const kept = candidateLines(path, text).map((c) => c.i);
    const lines = ex.text.split('\n').length;
    for (let i = first; i < first + lines; i++)
      if (candidateLines(path, ex.text.split('\n')[i - first]).length) expect(kept).toContain(i);
    if (rule === 'gcp') return; // read as a whole JSON file: reported only for a file that is nothing else
    const c = new SecretCollector();
    c.add(
      path,
      text,
      Array.from({ length: FILLER.length * 2 + lines }, (_, i) => i + 1)
    );
    const found = await c.scan();
    expect(found.map((f) => [f.properties?.detector, f.location?.line])).toContainEqual([
      `@secretlint/secretlint-rule-${rule}`,
      first + 1 + (alone.find((m) => short(m.ruleId) === rule)!.loc.start.line - 1)
    ]);
  });

  it('drops ordinary code, and keeps the next candidate line after an anchored one (a key split over two lines)', () => {
    const kept = (lines: string[]) => candidateLines('src/a.py', lines.join('\n')).map((c) => c.i);
    expect(kept(FILLER)).toEqual([]);
    // `aws_secret_access_key` is a token run and holds an anchor; the next candidate line is two lines down.
    expect(kept(['aws_secret_access_key =', 'x = 1', `    "${body(40)}"`, `other = "${body(40, HEX)}"`])).toEqual([
      0, 2
    ]);
    // An anchor on a line that is no candidate (no token run) keeps nothing: the first pre-filter drops it too.
    expect(kept(['secret = (', `    "${body(40)}"`])).toEqual([]);
  });

  it("skips a notebook output's image (base64 bytes, where a token is a chance run) but not its text outputs", () => {
    // A run of base64 that happens to spell a GitHub token's prefix, as an image output and as printed text.
    const chance = `ghp_${body(36)}`;
    const cells = [
      `      "image/png": "iVBORw0KGgoAAAANSUhEUgAA${chance}AAAAElFTkSuQmCC",`,
      `      "text/plain": ["token ${chance}"]`
    ];
    const kept = (path: string) => candidateLines(path, cells.join('\n')).map((c) => c.i);
    expect(kept('docs/demo.ipynb')).toEqual([1]);
    expect(kept('data/outputs.json')).toEqual([0, 1]); // only a notebook's image outputs are pictures
  });

  it('finds the first run of 20 token characters from where it starts, as the expression does', () => {
    const RUN = /[A-Za-z0-9_+/=.:-]{20}/g;
    // Runs of every length around 20, broken by spaces, quotes, brackets and non-ASCII letters.
    const pieces = ['a', 'Zz9', 'np.testing.assert_', 'x', '0123456789', 'é', ' ', '"', '(', '\n', '__', '::', '+/='];
    const rnd = seeded(11);
    let found = 0;
    for (let n = 0; n < 20000; n++) {
      const s = piecesText(rnd, pieces, 30);
      const from = rnd(s.length + 1);
      RUN.lastIndex = from;
      const m = RUN.exec(s);
      const expected = m ? m.index + 19 : -1;
      expect([s, from, tokenRun(s, from)]).toEqual([s, from, expected]);
      if (m) found++;
    }
    expect(found).toBeGreaterThan(4000);
    expect(found).toBeLessThan(16000);
  });

  it('keeps exactly the lines the reference keeps, on random texts of every kind of line', () => {
    const literals = Object.values(PRESET_ANCHORS).flatMap((a) => (a instanceof RegExp ? [] : a));
    // Every rule's anchors (as written, in upper and in lower case), among runs of token characters of many
    // lengths, what the structures and the private-key and disable-comment paths read, notebook image lines,
    // non-ASCII letters (an ASCII look-alike among them), CRs and other line breaks secretlint knows.
    const anchors = [...literals, ...literals.map((l) => l.toUpperCase()), ...literals.map((l) => l.toLowerCase())];
    const filler = [
      'aB3xZ9_kQ-7+/=.:',
      'np.testing.assert_allclose',
      body(12),
      body(20, HEX),
      'x',
      '0',
      ' ',
      ' ',
      ' = ',
      '"',
      '(',
      '\n',
      '\n',
      '\n',
      '\n',
      '\r',
      '\t',
      'https://',
      '://',
      'deployer:s3cr3tpw@',
      '@',
      'a@b.c',
      '@ci.acme.io/x',
      ':',
      '      "image/png": "iVBORw0KGgoAAAANSUhEUgAA',
      '"image/svg+xml": "',
      '"text/plain": ["',
      '\u00e9',
      '\u03a9\u03bc\u03ad\u03b3\u03b1',
      '\u212a',
      '\u2028',
      'KEY',
      'PRIVATE',
      'PRIVATE KE',
      'secretlint'
    ];
    const rare = [
      'PRIVATE KEY',
      '\n-----BEGIN RSA PRIVATE KEY-----\n',
      '\n-----END PRIVATE KEY-----',
      'secretlint-',
      '# secretlint-disable'
    ];
    const paths = ['src/a.py', 'docs/demo.ipynb', 'web/package.json', '.npmrc', 'img/x.svg', 'data/outputs.json'];
    const rnd = seeded(29);
    const seen = { none: 0, some: 0, spans: 0 };
    for (let n = 0; n < 3000; n++) {
      const withRare = rnd(8) === 0;
      let text = '';
      for (let p = rnd(400); p >= 0; p--)
        text +=
          withRare && rnd(60) === 0
            ? rare[rnd(rare.length)]
            : rnd(25) === 0
              ? anchors[rnd(anchors.length)]
              : filler[rnd(filler.length)];
      const path = paths[rnd(paths.length)];
      const expected = referenceCandidateLines(path, text);
      expect([path, text, candidateLines(path, text)]).toEqual([path, text, expected]);
      if (/PRIVATE KEY|secretlint-/.test(text)) seen.spans++;
      else if (expected.length) seen.some++;
      else seen.none++;
    }
    // Each path of the filter is taken often enough for the comparison to mean something.
    expect(seen.none).toBeGreaterThan(500);
    expect(seen.some).toBeGreaterThan(500);
    expect(seen.spans).toBeGreaterThan(300);
  });

  it('reads structure only where an @ is: every structure anchor begins with :// and ends with @', () => {
    const structures = Object.values(PRESET_ANCHORS).filter((a) => a instanceof RegExp);
    expect(structures.length).toBeGreaterThan(0);
    for (const r of structures) expect(r.source).toMatch(/^:\\\/\\\/.*@$/);
  });

  it('keeps every candidate line of a file with a private key, a secretlint-disable comment or an npm file name', () => {
    const key = pem().trimEnd();
    const all = (path: string, text: string) => candidateLines(path, text).length;
    expect(all('src/a.py', `${FILLER.join('\n')}\n${key}`)).toBe(FILLER.length - 1 + key.split('\n').length);
    expect(all('src/a.py', `${FILLER.join('\n')}\n# secretlint-disable-next-line-for-this-file`)).toBe(FILLER.length);
    expect(all('web/package.json', FILLER.join('\n'))).toBe(FILLER.length - 1);
  });
});
