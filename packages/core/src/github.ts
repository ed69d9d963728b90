// One way to talk to GitHub for every action: REST and GraphQL, base URLs from
// GITHUB_API_URL / GITHUB_GRAPHQL_URL (GitHub Enterprise Server), Octokit's own
// throttling and retry plugins for primary and secondary rate limits and 5xx,
// a per-request timeout, and a counter of real HTTP requests that every
// action reports.
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import type { Env } from './inputs';
import { registerSecret } from './errors';
import { pLimit } from './limit';

export interface GitHubClientOptions {
  token: string;
  /** REST base, e.g. https://api.github.com or https://ghes.example/api/v3 */
  apiUrl?: string;
  /** GraphQL endpoint, e.g. https://api.github.com/graphql */
  graphqlUrl?: string;
  /** Per HTTP request; the whole call may take longer when it is retried. */
  timeoutMs?: number;
  /** Retries of 5xx and network errors (Octokit retry plugin). */
  retries?: number;
  /** Longest wait we accept for a rate-limit reset or retry-after, in seconds. */
  maxRateLimitWaitSeconds?: number;
  /** Multiplier for retry delays, in ms; tests lower it. */
  retryBaseMs?: number;
  userAgent?: string;
  log?: (message: string) => void;
  /** GraphQL queries in flight at once (mutations always go one at a time, a second apart); default 1. */
  graphqlConcurrency?: number;
}

export interface ClientStats {
  /** HTTP requests actually sent, retries included. */
  requests: number;
  /** Last `x-ratelimit-remaining` seen, if any. */
  rateLimitRemaining?: number;
  rateLimitReset?: number;
}

export type Octokit = Awaited<ReturnType<typeof createGitHubClient>>['rest'];

export function apiUrlsFromEnv(env: Env): { apiUrl: string; graphqlUrl: string } {
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  // GHES serves GraphQL at /api/graphql next to /api/v3; the runner sets both.
  const graphqlUrl =
    env.GITHUB_GRAPHQL_URL ||
    (apiUrl.endsWith('/api/v3') ? `${apiUrl.slice(0, -'v3'.length)}graphql` : `${apiUrl}/graphql`);
  return { apiUrl, graphqlUrl };
}

/**
 * Creates the client. `@actions/github` is imported lazily: it parses the
 * event payload at import time, which would throw on a malformed file before
 * we could report it, and an action that makes no API call should not pay
 * for loading Octokit.
 */
export async function createGitHubClient(opts: GitHubClientOptions) {
  registerSecret(opts.token);
  const { getOctokit } = await import('@actions/github');
  const { defaults } = await import('@actions/github/lib/utils');
  const stats: ClientStats = { requests: 0 };
  const baseFetch = (defaults.request?.fetch ?? fetch) as typeof fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxWait = opts.maxRateLimitWaitSeconds ?? 120;
  const log = opts.log ?? (() => undefined);

  const countingFetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    stats.requests++;
    const signal = init?.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    try {
      const res = await baseFetch(url, { ...init, signal });
      const remaining = res.headers.get('x-ratelimit-remaining');
      if (remaining !== null) {
        stats.rateLimitRemaining = Number(remaining);
        stats.rateLimitReset = Number(res.headers.get('x-ratelimit-reset') ?? 0) || undefined;
      }
      return res;
    } catch (e) {
      if ((e as Error).name === 'TimeoutError') throw new Error(`request timed out after ${timeoutMs} ms`);
      throw e;
    }
  };

  const limitHandler =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
      const ok = retryCount < 3 && retryAfter <= maxWait;
      log(
        `GitHub ${kind} rate limit on ${options.method} ${options.url}: ${ok ? `retrying in ${retryAfter}s` : 'giving up'}`
      );
      return ok;
    };

  const options = {
    baseUrl: opts.apiUrl ?? 'https://api.github.com',
    userAgent: opts.userAgent ?? 'security-actions',
    // Not request.retries: the retry plugin would then retry every error, 4xx included.
    request: { fetch: countingFetch },
    retry: { retries: opts.retries ?? 3, retryAfterBaseValue: opts.retryBaseMs ?? 1000 },
    throttle: {
      onRateLimit: limitHandler('primary'),
      onSecondaryRateLimit: limitHandler('secondary'),
      retryAfterBaseValue: opts.retryBaseMs ?? 1000,
      fallbackSecondaryRateRetryAfter: 60
    },
    log: { debug: () => undefined, info: () => undefined, warn: log, error: log }
  };
  const rest = getOctokit(opts.token, options, throttling, retry);
  // Octokit's throttling starts every GraphQL request at least a second after the previous one, as it does
  // for REST writes, because it cannot tell a query from a mutation. GitHub asks for that pause between
  // mutative requests only ("Pause between mutative requests … wait at least one second") and counts a
  // GraphQL request without mutations as 1 secondary-limit point, like a REST GET (5 with mutations).
  // Queries therefore go through a second instance whose "write" limiter has no gap, and at most
  // `graphqlConcurrency` at a time: one at a time (the default) keeps GraphQL's response time, GitHub's
  // own estimate of its CPU time, within "no more than 60 seconds of this CPU time may be for the GraphQL
  // API" per 60 s of real time, and both instances share the throttling plugin's limit of 10 requests in
  // flight, far under "no more than 100 concurrent requests" (REST and GraphQL together).
  // https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
  const reads = getOctokit(
    opts.token,
    { ...options, throttle: { ...options.throttle, write: new Bottleneck.Group({ maxConcurrent: null, minTime: 0 }) } },
    throttling,
    retry
  );

  const graphqlUrl = opts.graphqlUrl ?? apiUrlsFromEnv({ GITHUB_API_URL: opts.apiUrl }).graphqlUrl;
  // GraphQL at the configured endpoint (an absolute URL overrides the REST base).
  const gql = rest.graphql.defaults({ url: graphqlUrl });
  const query = reads.graphql.defaults({ url: graphqlUrl });
  const queries = pLimit(opts.graphqlConcurrency ?? 1);
  /** Variables must not be named query, method, url, headers or request (Octokit reserves them). */
  const graphql = <T>(document: string, variables: Record<string, unknown> = {}): Promise<T> =>
    isQuery(document) ? queries(() => query<T>(document, variables)) : gql<T>(document, variables);

  return { rest, graphql, stats };
}

export type GitHubClient = Awaited<ReturnType<typeof createGitHubClient>>;

/** A document whose operation is a query (`query …` or `{ … }`); anything else keeps the mutations' pacing. */
const isQuery = (document: string): boolean => /^(\s|#[^\n]*\n)*(query\b|\{)/.test(document);

/**
 * Why an API call failed, worded as the reason of a "not checked" entry.
 * `permission` names what the token would need (e.g. "administration: read").
 */
/** A primary or secondary rate-limit refusal (403 or 429 saying so), as Octokit rejects it. */
export function isRateLimitError(e: unknown): boolean {
  const err = e as { status?: number; message?: string };
  return (err.status === 403 || err.status === 429) && /rate limit/i.test((err.message ?? '').split('\n')[0]);
}

export function describeApiError(e: unknown, permission?: string): string {
  const err = e as { status?: number; message?: string; response?: { headers?: Record<string, string> } };
  const status = err.status;
  const msg = (err.message ?? String(e)).split('\n')[0];
  if (status === 401) return 'the token was rejected (401 Bad credentials)';
  if (isRateLimitError(e)) return `GitHub rate limit exhausted (${status})`;
  if (status === 403 || (status === 404 && permission)) {
    const accepted = err.response?.headers?.['x-accepted-github-permissions'];
    const need = permission ?? accepted;
    return need ? `needs ${need} (GitHub answered ${status})` : `forbidden (${status}): ${msg}`;
  }
  if (status === 404) return 'not found (404)';
  if (status && status >= 500) return `GitHub API error ${status}`;
  return `GitHub API unreachable: ${msg}`;
}
