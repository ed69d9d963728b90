// One way to talk to GitHub for every action: REST and GraphQL, base URLs from
// GITHUB_API_URL / GITHUB_GRAPHQL_URL (GitHub Enterprise Server), Octokit's own
// throttling and retry plugins for primary and secondary rate limits and 5xx,
// every rate-limit wait capped (one wait, and all of a client's together), a
// per-request timeout, errors worded as sentences (never an error page's
// HTML), and a counter of real HTTP requests that every action reports.
import type { Env } from './inputs';
import { registerSecret } from './errors';
import { networkReason } from './http';
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
  /** Longest this client waits for rate limits over its whole life, in seconds. */
  maxTotalWaitSeconds?: number;
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
  /** Seconds waited for rate limits so far. */
  waitedSeconds: number;
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
  // Octokit's plugins and Bottleneck too: about 60 kB that every start-up would compile, used only here.
  const [{ getOctokit }, { defaults }, { retry }, { throttling }, { default: Bottleneck }] = await Promise.all([
    import('@actions/github'),
    import('@actions/github/lib/utils'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
    import('bottleneck/light.js')
  ]);
  const stats: ClientStats = { requests: 0, waitedSeconds: 0 };
  const baseFetch = (defaults.request?.fetch ?? fetch) as typeof fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxWait = opts.maxRateLimitWaitSeconds ?? 120;
  const budget = opts.maxTotalWaitSeconds ?? 300;
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

  // Why a rate-limited request was given up, by its request options (the same object every hook sees).
  const gaveUp = new WeakMap<object, string>();
  const limitHandler =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
      const asked = `GitHub asked to wait ${retryAfter} s (${kind} rate limit)`;
      const why =
        retryCount >= 3
          ? `${asked} a fourth time; gave up`
          : retryAfter > maxWait
            ? `${asked}; gave up after the ${maxWait} s cap`
            : stats.waitedSeconds + retryAfter > budget
              ? `${asked}; gave up, ${Math.round(stats.waitedSeconds)} s of the ${budget} s budget for waits already spent`
              : undefined;
      log(`${asked} on ${options.method} ${options.url}: ${why ? 'giving up' : 'waiting'}`);
      if (why) gaveUp.set(options, why);
      else stats.waitedSeconds += retryAfter;
      return !why;
    };

  const options = {
    baseUrl: opts.apiUrl ?? 'https://api.github.com',
    userAgent: opts.userAgent ?? 'security-actions',
    // Not request.retries: the retry plugin would then retry every error, 4xx included.
    request: { fetch: countingFetch },
    // 429 is the throttling plugin's, which waits what GitHub asks (within the cap); the retry
    // plugin would retry it at once, against GitHub's Retry-After.
    retry: {
      retries: opts.retries ?? 3,
      retryAfterBaseValue: opts.retryBaseMs ?? 1000,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451]
    },
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

  for (const o of [rest, reads]) {
    // Outermost (after the plugins' retries): the error a caller sees says what happened in words.
    o.hook.error('request', (error: unknown, options: object) => {
      throw reworded(error, gaveUp.get(options));
    });
    // A success that is not GitHub's JSON (a proxy's HTML page, an empty body) checked nothing.
    o.hook.after('request', (response: { status: number; data: unknown }, options: RouteOptions) => {
      const why = notAnAnswer(response, options);
      // The path only: pages after the first carry the origin and the query.
      const path = options.url.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
      if (why) throw new IncompleteAnswer(`${options.method} ${path}`, why);
    });
  }

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

type RouteOptions = {
  method: string;
  url: string;
  headers?: Record<string, unknown>;
  /** Octokit's `mediaType.format` (`raw`, `diff`, …): the Accept header is built from it after this hook sees the options. */
  mediaType?: { format?: string };
};

/** A document whose operation is a query (`query …` or `{ … }`); anything else keeps the mutations' pacing. */
const isQuery = (document: string): boolean => /^(\s|#[^\n]*\n)*(query\b|\{)/.test(document);

/**
 * A 2xx answer from GitHub without what its contract promises (a field, a list,
 * JSON at all). Its message is the reason of a "not checked" entry as is; it
 * never carries the answer's text.
 */
export class IncompleteAnswer extends Error {
  override name = 'IncompleteAnswer';
  readonly status = 200;
  constructor(what: string, lacking: string) {
    super(`GitHub's answer to ${what} ${lacking}, so nothing was checked`);
  }
}

/** Media types whose answer is not JSON: raw files, diffs, binary downloads, rendered HTML. */
const NOT_JSON = /octet-stream|\.(raw|html|diff|patch|sha)\b|^text\//;

/** Why a successful answer that should be JSON is not an answer; undefined when it is one. */
function notAnAnswer(response: { status: number; data: unknown }, options: RouteOptions): string | undefined {
  if (response.status === 204 || response.status >= 300) return undefined;
  const accept = String(options.headers?.accept ?? '');
  if (NOT_JSON.test(accept) || /^(raw|html|diff|patch|sha)$/.test(options.mediaType?.format ?? '')) return undefined;
  const data = response.data;
  if (typeof data === 'string' && /<html|<!doctype/i.test(data)) return 'was a web page, not JSON';
  if (data === undefined || data === null || data === '') return 'was empty';
  if (typeof data !== 'object') return 'was not JSON';
  // GraphQL answers carry data or errors (partial answers both).
  if (options.url.endsWith('/graphql') && !('data' in data) && !('errors' in data))
    return 'had neither data nor errors';
  return undefined;
}

type FieldType = 'string' | 'boolean' | 'number' | 'array' | 'object';

/**
 * `data` when every named field has its type, else an IncompleteAnswer naming
 * the fields that do not (`what` names the call, e.g. `GET /orgs/{org}/actions/permissions`).
 * Fields are the ones GitHub's OpenAPI description lists as required, or that
 * the check cannot do without.
 */
export function promised<T>(data: unknown, what: string, fields: Record<string, FieldType>): T {
  const record = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const lacking = Object.entries(fields)
    .filter(([k, type]) => {
      const v = record[k];
      if (type === 'array') return !Array.isArray(v);
      if (type === 'object') return !v || typeof v !== 'object';
      return typeof v !== type;
    })
    .map(([k]) => k);
  if (lacking.length) throw new IncompleteAnswer(what, `lacked ${lacking.join(', ')}`);
  return data as T;
}

type ApiError = {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string>; data?: unknown };
};

/**
 * An Octokit error with its message as a sentence: GitHub's own API message
 * (its JSON `message`), or what happened instead: a rate-limit wait given up,
 * an answer that was not GitHub's JSON (an HTML error page is never echoed),
 * no answer at all. The error object is kept (status, headers) for callers.
 */
function reworded(error: unknown, gaveUp: string | undefined): unknown {
  const err = error as ApiError;
  if (!err || typeof err !== 'object' || !('status' in err)) return error;
  const data = err.response?.data;
  let message: string;
  if (gaveUp) {
    message = gaveUp;
  } else if (!err.response) {
    message = `no answer from GitHub (${networkReason((err as { cause?: unknown }).cause ?? error, 0)})`;
  } else if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    message = (data as { message: string }).message.split('\n')[0].slice(0, 300);
  } else {
    const page = typeof data === 'string' && /<html|<!doctype/i.test(data);
    message = `GitHub answered ${err.status} with ${page ? 'an error page' : 'no API error message'}`;
  }
  try {
    err.message = message;
  } catch {
    // A frozen error keeps its message; describeApiError still words it by status.
  }
  return error;
}

/** A primary or secondary rate-limit refusal (403 or 429 saying so), as Octokit rejects it. */
export function isRateLimitError(e: unknown): boolean {
  const err = e as { status?: number; message?: string };
  return (err.status === 403 || err.status === 429) && /rate limit/i.test((err.message ?? '').split('\n')[0]);
}

/**
 * Why an API call failed, worded as the reason of a "not checked" entry.
 * `permission` names what the token would need (e.g. "administration: read").
 */
export function describeApiError(e: unknown, permission?: string): string {
  if (e instanceof IncompleteAnswer) return e.message;
  const err = e as ApiError;
  const status = err.status;
  const msg = (err.message ?? String(e)).split('\n')[0];
  if (status === 401) return 'the token was rejected (401 Bad credentials)';
  if (isRateLimitError(e)) return /gave up/.test(msg) ? msg : `GitHub rate limit exhausted (${status})`;
  if (status === 403 || (status === 404 && permission)) {
    const accepted = err.response?.headers?.['x-accepted-github-permissions'];
    const need = permission ?? accepted;
    return need ? `needs ${need} (GitHub answered ${status})` : `forbidden (${status}): ${msg}`;
  }
  if (status === 404) return 'not found (404)';
  if (!err.response && (status === undefined || status === 500)) return `GitHub API unreachable: ${msg}`;
  if (status && status >= 500) return `GitHub API error ${status}`;
  if (status) return `GitHub answered ${status}: ${msg}`;
  return `GitHub API unreachable: ${msg}`;
}
