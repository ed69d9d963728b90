// Search in sorted numbers, shared by the line maps (a text's line starts, a batch's file starts).

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
