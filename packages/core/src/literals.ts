// Whether a text holds any of a set of ASCII literals, in one pass: an
// Aho–Corasick automaton as a dense table. Used as a pre-filter before
// expressions that are costly to run on every line: V8 runs an alternation
// of a hundred literals at about 100 MB/s, this at about 400 (the npm
// Aho–Corasick packages, built on Maps and Unicode segmentation, are slower
// than the expression).

const WIDTH = 128;

export class Literals {
  /** `next[state + c]`: the next state times WIDTH, or -1 once a literal has ended. Built on first use. */
  private next?: Int32Array;
  private readonly literals: readonly string[];

  /**
   * `ignoreCase`: ASCII letters match either case, as a case-insensitive expression's do (an ASCII
   * letter never matches a non-ASCII one there, even ignoring case). `stopAt`: ASCII characters that end
   * a search as a literal's last character would (`end` returns the offset of the first one), so a
   * search that runs to the end of a line finds that end in the same pass. The table is built when first
   * asked, so a module can hold one without adding to every start.
   */
  constructor(
    literals: Iterable<string>,
    private readonly opts: { ignoreCase?: boolean; stopAt?: string } = {}
  ) {
    this.literals = [...literals];
    for (const literal of this.literals)
      if (!literal || /[^\x01-\x7f]/.test(literal)) throw new Error(`not a literal of ASCII characters: ${literal}`);
    const fold = (s: string) => (opts.ignoreCase ? s.toLowerCase() : s);
    for (const c of opts.stopAt ?? '')
      if (c.charCodeAt(0) >= WIDTH || this.literals.some((l) => fold(l).includes(fold(c))))
        throw new Error(`not a stop character: ${JSON.stringify(c)} (ASCII, in no literal)`);
  }

  private build(): Int32Array {
    const ignoreCase = this.opts.ignoreCase ?? false;
    const fold = (c: number) => (ignoreCase && c >= 65 && c <= 90 ? c + 32 : c);
    const children: Map<number, number>[] = [new Map()];
    const ends = [false];
    for (const literal of this.literals) {
      let s = 0;
      for (let k = 0; k < literal.length; k++) {
        const c = fold(literal.charCodeAt(k));
        let t = children[s].get(c);
        if (t === undefined) {
          children[s].set(c, (t = children.length));
          children.push(new Map());
          ends.push(false);
        }
        s = t;
      }
      ends[s] = true;
    }
    // Breadth first, so a state's failure state (its longest proper suffix in the trie) has its row already: a
    // row starts as a copy of that row (one native copy, not a loop over the alphabet: this runs once per run,
    // cold) and then takes the state's own moves. A move into a state that ends a literal, or whose failure
    // chain holds one, is -1; the rows of such states are never read, since a scan stops on entering one.
    const next = new Int32Array(children.length * WIDTH);
    const fail = new Int32Array(children.length);
    const queue = [0];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      const row = s * WIDTH;
      if (s) next.copyWithin(row, fail[s] * WIDTH, fail[s] * WIDTH + WIDTH);
      for (const [c, t] of children[s]) {
        const via = s ? next[fail[s] * WIDTH + c] : 0; // the state the failure row moves to on c
        fail[t] = via < 0 ? 0 : via / WIDTH;
        next[row + c] = ends[t] || via < 0 ? -1 : t * WIDTH;
        queue.push(t);
      }
      if (ignoreCase) next.copyWithin(row + 65, row + 97, row + 123); // 'A'..'Z' move as 'a'..'z'
      for (const c of this.opts.stopAt ?? '') next[row + c.charCodeAt(0)] = -1;
    }
    return next;
  }

  /**
   * `text` holds one of the literals (or a stop character). Any character outside ASCII returns to the start:
   * no literal holds one.
   */
  in(text: string): boolean {
    return this.end(text) !== -1;
  }

  /**
   * Where the first literal (or stop character) found in `text[from, to)` ends (the offset of its last
   * character), or -1: one pass over a whole text finds the lines that hold one, rather than a pass per line
   * asked about, and a line is read in place (a sliced string's every character costs more to read than a
   * flat one's).
   */
  end(text: string, from = 0, to = text.length): number {
    const next = (this.next ??= this.build());
    let s = 0;
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      s = next[s + (c < WIDTH ? c : 0)];
      if (s < 0) return k;
    }
    return -1;
  }
}

/**
 * `text.includes(needle)`, searched by `part`, a piece of the needle: V8 finds a needle of seven characters or
 * more by a skip search that is slower on code than its scan for a short needle's first character, so a short
 * part whose first character is rare in code (`KEY` of `PRIVATE KEY`, `-scan:` of `pr-anomaly-scan:`), checked
 * in place, finds a long needle in about half the time.
 */
export function includesBy(text: string, needle: string, part: string): boolean {
  const back = needle.indexOf(part);
  if (back < 0) throw new Error(`${JSON.stringify(part)} is not part of ${JSON.stringify(needle)}`);
  for (let k = text.indexOf(part, back); k !== -1; k = text.indexOf(part, k + 1))
    if (text.startsWith(needle, k - back)) return true;
  return false;
}
