// Search in sorted numbers, shared by the line maps (a text's line starts, a batch's file starts), and the
// one order of strings every report sorts by.

/** The last index `i < count` with `sorted[i] <= x` (0 when none is): which line or file holds position `x`. */
export function lastAtMost(sorted: ArrayLike<number>, x: number, count = sorted.length): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Strings in UTF-16 code-unit order (what `Array.prototype.sort` does by default), for comparators. Not
 * `localeCompare`: its order depends on the runner's locale, so two machines would list one report in two
 * orders, and its first call loads ICU's collation data (about 9 ms of a 300 ms action run).
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
