// The secret scan's second pre-filter: what a line must hold for a rule of
// secretlint's recommended preset to match in it. The literals are found by
// one pass of an Aho–Corasick automaton over each candidate line: V8 runs a
// case-insensitive alternation of these 100 literals at about 100 MB/s, the
// automaton at 400 (the npm Aho–Corasick packages, built on Maps and Unicode
// segmentation, are slower than the expression).

/** Each literal of `prefix` followed by one character of `chars`, then `suffix`. */
const each = (prefix: string, chars: string, suffix = '') => [...chars].map((c) => prefix + c + suffix);
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * By rule of the recommended preset (13.1): its literal prefix or keyword (case is ignored, a superset),
 * read from the rule's own expressions, or, for a rule matched by structure, an expression. A rule the
 * preset adds fails a test until it is listed here.
 */
export const PRESET_ANCHORS: Readonly<Record<string, readonly string[] | RegExp>> = {
  // The secret access key; the access key and account ID rules (off unless asked for) by their prefixes.
  aws: ['secret', ...each('A3T', ALNUM), 'AKIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'ASIA', 'account'],
  gcp: ['PRIVATE KEY'],
  npm: ['x-oauth-basic', '_authToken', 'npm_'],
  slack: [...each('xox', 'bparo', '-'), 'xapp-', 'hooks.slack.com'],
  basicauth: /:\/\/[^/\s:@]+:[^/\s@]+@/,
  openai: ['T3BlbkFJ'],
  anthropic: ['sk-ant-api0'],
  groq: ['gsk_'],
  huggingface: ['hf_'],
  linear: ['lin_api_'],
  notion: ['ntn_'],
  privatekey: ['PRIVATE KEY'],
  sendgrid: ['SG.'],
  shopify: ['shppa_', 'shpca_', 'shpat_', 'shpss_'],
  stripe: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
  github: [...each('gh', 'pousr', '_'), 'github_pat_'],
  gitlab: ['glpat-'],
  grafana: ['glc_', 'glsa_'],
  '1password': ['ops_ey'],
  'database-connection-string': ['mongodb', 'mysql', 'postgres'],
  'hashicorp-vault': each('hv', 'sbr', '.'),
  vercel: each('vc', 'pikar', '_'),
  databricks: ['dapi'],
  docker: ['dckr_pat_'],
  figma: ['figd_'],
  cloudflare: ['cfk_', 'cfut_', 'cfat_'],
  tailscale: ['tskey-'],
  'filter-comments': ['secretlint-']
};

const WIDTH = 128;

/**
 * The automaton over ASCII letters folded to lower case, as a dense table: `next[state + c]` is the next
 * state times WIDTH, or -1 once a literal has ended. Any other character returns to the start, as it
 * can be part of no literal (an ASCII letter never matches a non-ASCII one, even ignoring case).
 */
function automaton(literals: readonly string[]): Int32Array {
  const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
  const trie: Int32Array[] = [new Int32Array(WIDTH).fill(-1)];
  const final = [false];
  for (const literal of literals) {
    let s = 0;
    for (let k = 0; k < literal.length; k++) {
      const c = fold(literal.charCodeAt(k));
      if (trie[s][c] === -1) {
        trie[s][c] = trie.length;
        trie.push(new Int32Array(WIDTH).fill(-1));
        final.push(false);
      }
      s = trie[s][c];
    }
    final[s] = true;
  }
  // Breadth first, each state's missing moves are its failure state's (the longest proper suffix in the trie).
  const move = new Int32Array(trie.length * WIDTH);
  const fail = new Int32Array(trie.length);
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q];
    final[s] ||= final[fail[s]];
    for (let c = 0; c < WIDTH; c++) {
      const t = trie[s][c];
      if (t === -1) move[s * WIDTH + c] = s ? move[fail[s] * WIDTH + c] : 0;
      else {
        fail[t] = s ? move[fail[s] * WIDTH + c] : 0;
        move[s * WIDTH + c] = t;
        queue.push(t);
      }
    }
  }
  const next = new Int32Array(move.length);
  for (let k = 0; k < move.length; k++) {
    const t = move[(k & ~(WIDTH - 1)) + fold(k & (WIDTH - 1))];
    next[k] = final[t] ? -1 : t * WIDTH;
  }
  return next;
}

const NEXT = automaton(Object.values(PRESET_ANCHORS).flatMap((a) => (a instanceof RegExp ? [] : a)));
const STRUCTURE = Object.values(PRESET_ANCHORS).filter((a) => a instanceof RegExp);

/** The line holds an anchor of some rule. */
export function anchored(line: string): boolean {
  let s = 0;
  for (let k = 0; k < line.length; k++) {
    const c = line.charCodeAt(k);
    s = NEXT[s + (c < WIDTH ? c : 0)];
    if (s < 0) return true;
  }
  return line.includes('://') && STRUCTURE.some((r) => r.test(line));
}
