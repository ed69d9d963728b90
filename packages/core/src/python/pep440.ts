// PEP 440 version sets: a specifier (`>=1.2,<2`, `~=1.4`, `==1.*`, `!=1.3`)
// or an advisory's affected range (`>= 1.0, < 1.4.2`) as a union of
// intervals over the version order, so two of them can be intersected ("does
// this range admit an affected version?") and complemented ("…a patched
// one?"). Ordering is @renovatebot/pep440's `compare`, which agrees with
// packaging; its `satisfies` does not (exclusive bounds, local versions), so
// matching is done here with the rules of PEP 440 and packaging's tests:
// `<V` excludes V's pre-releases, `>V` excludes V's post-releases and local
// versions, `==V` and `<=V` accept V's local versions. Pre-releases are not
// excluded by default: a set admits every version its bounds include.
import { compare, explain } from '@renovatebot/pep440';

type Explained = NonNullable<ReturnType<typeof explain>>;

/** A concrete version, or the point just above every version of `base`'s family (its local versions, or also its post-releases). */
type Point = { kind: 'version'; v: string; e: Explained } | { kind: 'after'; base: Explained; posts: boolean };

interface Bound {
  p: Point;
  inclusive: boolean;
}

/** An interval of versions; an absent bound is unbounded. */
interface Interval {
  lo?: Bound;
  hi?: Bound;
}

function version(v: string): Point & { kind: 'version' } {
  const e = explain(v);
  if (!e) throw new Error(`not a PEP 440 version: '${v}'`);
  return { kind: 'version', v, e };
}

const stripZeros = (r: number[]) => {
  const out = [...r];
  while (out.length && out[out.length - 1] === 0) out.pop();
  return out.join('.');
};

const sameRelease = (a: Explained, b: Explained) =>
  a.epoch === b.epoch && stripZeros(a.release) === stripZeros(b.release);

/** Whether `x` belongs to the family that `after(base)` tops. */
function inFamily(x: Explained, base: Explained, posts: boolean): boolean {
  if (!posts) return compare(x.public, base.public) === 0;
  return sameRelease(x, base) && JSON.stringify(x.pre) === JSON.stringify(base.pre);
}

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

function cmpPoints(a: Point, b: Point): number {
  if (a.kind === 'version' && b.kind === 'version') return sign(compare(a.v, b.v));
  if (a.kind === 'version' && b.kind === 'after')
    return inFamily(a.e, b.base, b.posts) ? -1 : sign(compare(a.v, b.base.public));
  if (a.kind === 'after' && b.kind === 'version') return -cmpPoints(b, a);
  const x = a as Point & { kind: 'after' };
  const y = b as Point & { kind: 'after' };
  const xInY = inFamily(x.base, y.base, y.posts);
  const yInX = inFamily(y.base, x.base, x.posts);
  if (xInY && yInX) return 0;
  if (yInX) return 1;
  if (xInY) return -1;
  return sign(compare(x.base.public, y.base.public));
}

/** Lower bounds: the larger is tighter (exclusive above inclusive at the same point). */
function cmpLo(a: Bound | undefined, b: Bound | undefined): number {
  if (!a || !b) return !a && !b ? 0 : !a ? -1 : 1;
  return cmpPoints(a.p, b.p) || (a.inclusive === b.inclusive ? 0 : a.inclusive ? -1 : 1);
}

/** Upper bounds: the smaller is tighter (exclusive below inclusive at the same point). */
function cmpHi(a: Bound | undefined, b: Bound | undefined): number {
  if (!a || !b) return !a && !b ? 0 : !a ? 1 : -1;
  return cmpPoints(a.p, b.p) || (a.inclusive === b.inclusive ? 0 : a.inclusive ? 1 : -1);
}

function nonEmpty(i: Interval): boolean {
  if (!i.lo || !i.hi) return true;
  const c = cmpPoints(i.lo.p, i.hi.p);
  return c < 0 || (c === 0 && i.lo.inclusive && i.hi.inclusive);
}

const OPERATORS = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'] as const;

export class VersionSet {
  private constructor(private readonly intervals: Interval[]) {}

  static all(): VersionSet {
    return new VersionSet([{}]);
  }

  static none(): VersionSet {
    return new VersionSet([]);
  }

  /** A PEP 440 specifier set (comma-separated clauses, all of which must hold); '' is every version. Throws on invalid input. */
  static fromSpecifier(specifier: string): VersionSet {
    return specifier
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean)
      .reduce((set, clause) => set.intersect(VersionSet.clause(clause)), VersionSet.all());
  }

  /**
   * An advisory's affected range as GitHub writes it (`>= 1.0, < 1.4.2`, `= 1.2.3`, `<= 2.0`); a
   * bare version is that version. Bounds are plain PEP 440 ordering, without the specifier rules
   * that drop pre- and post-releases at a bound: `< 1.4.2` includes 1.4.2rc1, which predates the
   * fix, so a pin on it is reported rather than missed.
   */
  static fromAdvisoryRange(range: string): VersionSet {
    const clauses = range
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => (/^=\s*[^=]/.test(c) ? `=${c}` : /^[0-9vV]/.test(c) ? `==${c}` : c));
    if (!clauses.length) throw new Error('empty range');
    return clauses.reduce((set, c) => set.intersect(VersionSet.clause(c, true)), VersionSet.all());
  }

  private static clause(text: string, ordering = false): VersionSet {
    const op = OPERATORS.find((o) => text.startsWith(o));
    if (!op) throw new Error(`not a version specifier: '${text}'`);
    const raw = text.slice(op.length).trim();
    if (op === '===') return VersionSet.point(version(raw));
    const wildcard = raw.endsWith('.*');
    const v = version(wildcard ? raw.slice(0, -2) : raw);
    const { e } = v;
    if (wildcard && (op !== '==' && op !== '!=' ? true : e.pre || e.post !== null || e.dev !== null || e.local))
      throw new Error(`'.*' is not allowed in '${text}'`);
    if (e.local && op !== '==' && op !== '!=') throw new Error(`a local version is not allowed in '${text}'`);
    const lo = (p: Point, inclusive: boolean): VersionSet => new VersionSet([{ lo: { p, inclusive } }]);
    const hi = (p: Point, inclusive: boolean): VersionSet => new VersionSet([{ hi: { p, inclusive } }]);
    const locals: Point = { kind: 'after', base: e, posts: false };
    switch (op) {
      case '==':
      case '!=': {
        let eq: VersionSet;
        if (wildcard) eq = VersionSet.prefix(e);
        // `==1.0` also matches 1.0+local; `==1.0+abc` only itself.
        else if (e.local) eq = VersionSet.point(v);
        else eq = new VersionSet([{ lo: { p: v, inclusive: true }, hi: { p: locals, inclusive: false } }]);
        return op === '==' ? eq : eq.complement();
      }
      case '>=':
        return lo(v, true);
      case '<=':
        return hi(locals, false);
      case '<':
        // `<V` admits no pre-release of V unless V is one: below V.dev0.
        return e.is_prerelease || ordering ? hi(v, false) : hi(version(`${e.public}.dev0`), false);
      case '>':
        // `>V` admits neither V's local versions nor, unless V is one, its post-releases.
        return lo({ kind: 'after', base: e, posts: !ordering && e.post === null && e.dev === null }, false);
      case '~=': {
        if (e.release.length < 2) throw new Error(`'~=' needs at least two release numbers: '${text}'`);
        const prefix = version(`${e.epoch ? `${e.epoch}!` : ''}${e.release.slice(0, -1).join('.')}`);
        return lo(v, true).intersect(VersionSet.prefix(prefix.e));
      }
    }
    throw new Error(`not a version specifier: '${text}'`);
  }

  private static point(v: Point): VersionSet {
    return new VersionSet([{ lo: { p: v, inclusive: true }, hi: { p: v, inclusive: true } }]);
  }

  /** `==P.*`: from P.dev0 up to (not including) the next release prefix's .dev0. */
  private static prefix(e: Explained): VersionSet {
    const epoch = e.epoch ? `${e.epoch}!` : '';
    const next = [...e.release.slice(0, -1), e.release[e.release.length - 1] + 1];
    return new VersionSet([
      {
        lo: { p: version(`${epoch}${e.release.join('.')}.dev0`), inclusive: true },
        hi: { p: version(`${epoch}${next.join('.')}.dev0`), inclusive: false }
      }
    ]);
  }

  isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  /** Whether `v` (a PEP 440 version) is in the set; false for a string that is not a version. */
  contains(v: string): boolean {
    if (!explain(v)) return false;
    const p = version(v);
    return this.intervals.some(
      (i) =>
        (!i.lo || cmpPoints(i.lo.p, p) < 0 || (i.lo.inclusive && cmpPoints(i.lo.p, p) === 0)) &&
        (!i.hi || cmpPoints(p, i.hi.p) < 0 || (i.hi.inclusive && cmpPoints(p, i.hi.p) === 0))
    );
  }

  intersect(other: VersionSet): VersionSet {
    const out: Interval[] = [];
    for (const a of this.intervals)
      for (const b of other.intervals) {
        const i: Interval = {
          lo: cmpLo(a.lo, b.lo) >= 0 ? a.lo : b.lo,
          hi: cmpHi(a.hi, b.hi) <= 0 ? a.hi : b.hi
        };
        if (nonEmpty(i)) out.push(i);
      }
    return VersionSet.normalise(out);
  }

  union(other: VersionSet): VersionSet {
    return VersionSet.normalise([...this.intervals, ...other.intervals]);
  }

  complement(): VersionSet {
    const out: Interval[] = [];
    // The gap below each interval, from where the previous one ended (unbounded below the first).
    let lo: Bound | undefined;
    for (const i of this.intervals) {
      if (i.lo) {
        const gap: Interval = { lo, hi: { p: i.lo.p, inclusive: !i.lo.inclusive } };
        if (nonEmpty(gap)) out.push(gap);
      }
      if (!i.hi) return new VersionSet(out);
      lo = { p: i.hi.p, inclusive: !i.hi.inclusive };
    }
    out.push({ lo });
    return new VersionSet(out);
  }

  /** Sorted, with overlapping or touching intervals merged. */
  private static normalise(intervals: Interval[]): VersionSet {
    const sorted = [...intervals].sort((a, b) => cmpLo(a.lo, b.lo));
    const out: Interval[] = [];
    for (const i of sorted) {
      const last = out[out.length - 1];
      const touches =
        last &&
        (!last.hi ||
          !i.lo ||
          cmpPoints(i.lo.p, last.hi.p) < 0 ||
          (cmpPoints(i.lo.p, last.hi.p) === 0 && (i.lo.inclusive || last.hi.inclusive)));
      if (touches) last.hi = cmpHi(last.hi, i.hi) >= 0 ? last.hi : i.hi;
      else out.push({ ...i });
    }
    return new VersionSet(out);
  }

  toString(): string {
    if (!this.intervals.length) return '∅';
    const show = (p: Point) => (p.kind === 'version' ? p.v : `${p.base.public}${p.posts ? '.post∞' : '+∞'}`);
    return this.intervals
      .map(
        (i) =>
          `${i.lo ? (i.lo.inclusive ? '[' : '(') + show(i.lo.p) : '(-∞'}, ${i.hi ? show(i.hi.p) + (i.hi.inclusive ? ']' : ')') : '∞)'}`
      )
      .join(' ∪ ');
  }
}

/** Whether `v` is a PEP 440 version. */
export const isPep440Version = (v: string): boolean => explain(v) !== null;

/** PEP 440 ordering (negative, zero or positive). */
export const comparePep440Versions = (a: string, b: string): number => compare(a, b);

/**
 * The versions an advisory names as patched (`1.4.2`, `1.4.2, 2.0.5`, `>= 1.4.2`): each item's
 * lowest version. Items that are not versions are left out.
 */
export function patchedVersions(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => s.trim().replace(/^(>=|==|=)\s*/, ''))
    .filter((s) => s && isPep440Version(s));
}
