// How the trust model spends requests: a budget per author and for the run,
// a stop once GitHub's rate limit runs low (read from every GraphQL answer's
// `rateLimit`) or is refused, and answers taken apart per aliased field so
// that one field's error or missing data makes that section "not checked"
// while the rest of the answer still counts.
import { describeApiError, isRateLimitError } from '../github';
import { ShapeError, readRate, request } from './queries';
import { type Checked, type TrustIO, checked, notChecked } from './types';

export interface Budget {
  left: number;
  used: number;
  /** Why a request was refused for want of budget. */
  reason?: string;
}

export interface Sent {
  data: Record<string, unknown>;
  errors: { path?: (string | number)[]; type?: string; message: string }[];
}

export class Requests {
  /** Requests sent in the run. */
  count = 0;
  /** Why no more requests are sent (the rate limit). */
  stopped?: string;
  readonly run: Budget;

  constructor(
    private readonly io: TrustIO,
    private readonly limits: { perAuthor: number; maxRequests?: number; minRatePoints: number }
  ) {
    this.run = { left: limits.maxRequests ?? Infinity, used: 0 };
  }

  author(): Budget {
    return { left: this.limits.perAuthor, used: 0 };
  }

  /** Takes one request from `budget` (and the run's), or says why not. */
  private take(budget: Budget): string | undefined {
    if (this.stopped) return this.stopped;
    if (this.run.left <= 0) return `the run's request budget (${this.limits.maxRequests}) was used up`;
    if (budget.left <= 0)
      return (budget.reason = `the request budget (${this.limits.perAuthor} per author) was used up`);
    for (const b of new Set([budget, this.run])) {
      b.left--;
      b.used++;
    }
    this.count++;
    return undefined;
  }

  /** One GraphQL request of aliased `parts`: the answer (partial ones included), or why there is none. */
  async graphql(parts: string[], budget: Budget): Promise<Sent | string> {
    const refused = this.take(budget);
    if (refused) return refused;
    let data: Record<string, unknown>;
    let errors: Sent['errors'] = [];
    try {
      data = await this.io.graphql<Record<string, unknown>>(request(parts));
    } catch (e) {
      const g = e as { errors?: unknown; data?: unknown };
      if (!Array.isArray(g.errors)) return this.failed(e);
      errors = g.errors as Sent['errors'];
      const whole = errors.find((x) => !x.path?.length);
      if (whole?.type === 'RATE_LIMITED') return (this.stopped = `GitHub's GraphQL rate limit is used up`);
      if (whole || !g.data || typeof g.data !== 'object')
        return `GitHub answered an error: ${(whole ?? errors[0])?.message}`;
      data = g.data as Record<string, unknown>;
    }
    const rate = readRate(data?.rateLimit);
    if (rate && rate.remaining < this.limits.minRatePoints)
      this.stopped = `GitHub's GraphQL rate limit is nearly used up (${rate.remaining} points left until ${rate.resetAt})`;
    return { data: data ?? {}, errors };
  }

  /** A REST answer's data, 404 for "no such thing", or why there is none. */
  async rest(route: string, params: Record<string, unknown>, budget: Budget): Promise<unknown> {
    const refused = this.take(budget);
    if (refused) return refused;
    try {
      return (await this.io.rest(route, params)).data;
    } catch (e) {
      return (e as { status?: number }).status === 404 ? 404 : this.failed(e);
    }
  }

  private failed(e: unknown): string {
    const reason = describeApiError(e);
    if (isRateLimitError(e)) this.stopped = reason;
    return reason;
  }
}

/** A section of an answer: its error, its missing fields, or its value. */
export function section<T>(sent: Sent, alias: string, read: (x: unknown) => T): Checked<T> {
  const err = sent.errors.find((e) => e.path?.[0] === alias);
  if (err) return notChecked(`GitHub answered an error: ${err.message}`);
  try {
    return checked(read(sent.data[alias]));
  } catch (e) {
    if (e instanceof ShapeError) return notChecked(e.message);
    throw e;
  }
}

/** The searches of every scope chunk added up (counts summed, lists joined): all must have answered. */
export function chunks<T extends object>(
  sent: Sent,
  prefix: string,
  n: number,
  read: (x: unknown) => T,
  empty: T
): Checked<T> {
  let out = empty;
  for (let i = 0; i < n; i++) {
    const s = section(sent, `${prefix}${i}`, read);
    if (!s.ok) return s;
    const sum = Object.entries(s.value).map(([k, v]) => {
      const prev = (out as Record<string, unknown>)[k];
      return [k, Array.isArray(v) ? [...(prev as unknown[]), ...v] : (prev as number) + (v as number)];
    });
    out = Object.fromEntries(sum) as T;
  }
  return checked(out);
}

export function both<A, B, T>(a: Checked<A>, b: Checked<B>, f: (a: A, b: B) => T): Checked<T> {
  if (!a.ok) return a;
  if (!b.ok) return b;
  return checked(f(a.value, b.value));
}
