// Reads a YAML document as the model needs it: aliases followed to their
// anchors (remembering where the alias was), merge keys (`<<: *base`) folded
// into the map that holds them, and every scalar turned into a Text that can
// say where any piece of its value is written.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Alias,
  type Document,
  type LineCounter,
  type Node,
  type Scalar
} from 'yaml';
import type { Pos, Text } from './model';

/** Alias expansions allowed per document before the reader stops (a "billion laughs" file). */
const MAX_EXPANSIONS = 10_000;

export interface Entry {
  key: string;
  keyPos: Pos;
  value: Node | null;
  via?: Pos;
}

export class YamlReader {
  #expansions = 0;
  readonly #entries = new WeakMap<object, Entry[]>();
  readonly #texts = new WeakMap<object, Text>();
  readonly #resolved = new WeakMap<Alias, Node | null>();

  constructor(
    readonly source: string,
    readonly doc: Document.Parsed,
    readonly lines: LineCounter
  ) {}

  posAt(offset: number): Pos {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  pos(node: Node | null | undefined): Pos {
    return this.posAt(node?.range?.[0] ?? 0);
  }

  /** The node an alias stands for (followed through chains), and where the first alias was written. */
  deref(node: unknown): { node: Node | null; via?: Pos } {
    let via: Pos | undefined;
    let n = node as Node | null | undefined;
    for (let hops = 0; isAlias(n) && hops < 32; hops++) {
      if (++this.#expansions > MAX_EXPANSIONS) return { node: null, via };
      via ??= this.pos(n);
      const alias: Alias = n;
      // Resolving searches the document for the anchor; do it once per alias.
      if (!this.#resolved.has(alias)) this.#resolved.set(alias, (alias.resolve(this.doc) as Node | undefined) ?? null);
      n = this.#resolved.get(alias);
    }
    return { node: isAlias(n) ? null : (n ?? null), via };
  }

  /** A map's entries in order, merge keys expanded (keys written in the map win over merged ones). */
  entries(node: unknown): Entry[] {
    const { node: map, via } = this.deref(node);
    if (!isMap(map)) return [];
    const cached = via ? undefined : this.#entries.get(map);
    if (cached) return cached;
    const own: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of map.items) {
      const key = this.deref(pair.key).node;
      const name = isScalar(key) ? (typeof key.value === 'symbol' ? key.source : String(key.value)) : undefined;
      if (name === undefined) continue;
      // With `merge: true` the parser gives a plain `<<` key a symbol value.
      if (isScalar(key) && typeof key.value === 'symbol') {
        const { node: src } = this.deref(pair.value);
        for (const s of isSeq(src) ? src.items : [src]) merged.push(...this.entries(s));
        continue;
      }
      own.push({ key: name, keyPos: this.pos(pair.key as Node), value: pair.value as Node | null, via });
    }
    const names = new Set(own.map((e) => e.key));
    const out = [...own, ...merged.filter((e) => !names.has(e.key))];
    if (!via) this.#entries.set(map, out);
    return out;
  }

  get(node: unknown, key: string): Entry | undefined {
    return this.entries(node).find((e) => e.key === key);
  }

  /** A sequence's items (aliases resolved to their nodes, with where each alias was written). */
  items(node: unknown): { node: Node | null; via?: Pos }[] {
    const { node: seq } = this.deref(node);
    return isSeq(seq) ? seq.items.map((i) => this.deref(i)) : [];
  }

  isMap(node: unknown): boolean {
    return isMap(this.deref(node).node);
  }

  /** A scalar as Text; undefined for collections and for a missing or null value. */
  text(node: unknown, via0?: Pos): Text | undefined {
    const { node: n, via } = this.deref(node);
    if (!isScalar(n) || n.value === null || n.value === undefined) return undefined;
    return this.makeText(n, via ?? via0);
  }

  /** A scalar or a list of scalars as Texts. */
  texts(node: unknown): Text[] {
    const { node: n } = this.deref(node);
    if (isSeq(n)) return this.items(n).flatMap((i) => this.text(i.node, i.via) ?? []);
    const t = this.text(node);
    return t ? [t] : [];
  }

  /** The trailing comment of a scalar on its line (a version comment), without `#`. */
  comment(node: unknown): string | undefined {
    const { node: n } = this.deref(node);
    if (!isScalar(n) || !n.range) return undefined;
    const eol = this.source.indexOf('\n', n.range[1]);
    const m = /^\s*#\s*(.*?)\s*$/.exec(this.source.slice(n.range[1], eol < 0 ? undefined : eol));
    return m?.[1] || undefined;
  }

  /** Every string scalar under a node with its key path (`jobs.build.steps[0].run`), aliases expanded. */
  *strings(node: unknown, path: string, via?: Pos): Generator<{ path: string; text: Text }> {
    const d = this.deref(node);
    const n = d.node;
    if (isMap(n)) {
      for (const e of this.entries(n)) yield* this.strings(e.value, path ? `${path}.${e.key}` : e.key, d.via ?? via);
    } else if (isSeq(n)) {
      let i = 0;
      for (const item of n.items) yield* this.strings(item, `${path}[${i++}]`, d.via ?? via);
    } else if (isScalar(n) && typeof n.value === 'string') {
      yield { path, text: this.makeText(n, d.via ?? via) };
    }
  }

  private makeText(n: Scalar, via?: Pos): Text {
    const cached = via ? undefined : this.#texts.get(n);
    if (cached) return cached;
    const t = new ScalarText(this, n, via);
    if (!via) this.#texts.set(n, t);
    return t;
  }
}

/** A scalar's Text; `at` maps a piece of the value back to the source. */
class ScalarText implements Text {
  readonly value: string;
  readonly pos: Pos;
  readonly isString: boolean;
  readonly #start: number;
  readonly #end: number;

  constructor(
    readonly reader: YamlReader,
    n: Scalar,
    readonly via?: Pos
  ) {
    this.value = String(n.value);
    this.isString = typeof n.value === 'string';
    this.#start = n.range?.[0] ?? 0;
    this.#end = n.range?.[1] ?? this.#start;
    this.pos = reader.posAt(this.#start);
  }

  at(index: number, raw: string): Pos {
    // The k-th occurrence of `raw` in the value is the k-th in the source
    // text of the scalar (block scalars only strip indentation).
    let k = 0;
    for (let i = this.value.indexOf(raw); i >= 0 && i < index; i = this.value.indexOf(raw, i + 1)) k++;
    let off = this.reader.source.indexOf(raw, this.#start);
    for (let j = 0; j < k && off >= 0; j++) off = this.reader.source.indexOf(raw, off + 1);
    return off >= 0 && off < this.#end ? this.reader.posAt(off) : this.pos;
  }
}
