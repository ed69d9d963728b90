// Bounded concurrency for the whole suite, on p-limit, so the actions share one
// implementation (and one version of it) instead of each pooling promises its
// own way. Worker threads are another matter (verify-deps' pool.ts).
import pLimit from 'p-limit';

export { pLimit };
export type Limit = pLimit.Limit;

/** `fn` over `items` with at most `limit` calls in flight, results in the order of `items`. */
export function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const run = pLimit(limit);
  return Promise.all(items.map((item, i) => run(() => fn(item, i))));
}
