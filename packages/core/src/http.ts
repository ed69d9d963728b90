// The suite's JSON-over-HTTP client for services other than GitHub (OSV,
// PyPI; GitHub goes through Octokit): timeouts, a bounded retry of 429/5xx
// and network errors, every wait capped (one Retry-After, and all waits of a
// client together), and one error type whose message is the "not checked"
// reason, a sentence about the service. A failure here never reads as "clean".
//
// Requests go through undici's `request` over a keep-alive connection pool,
// not `fetch`: a lock of 1,000 packages makes 2,000 PyPI requests, and fetch's
// WHATWG layer (Request, Headers, streams) cost more than twice the CPU for
// the same exchanges. HTTP_PROXY / HTTPS_PROXY / NO_PROXY are honoured as
// @actions/http-client honours them for GitHub. undici is loaded on the first
// request (it is 0.4 MB that runs without HTTP need not load).
import type { Dispatcher } from 'undici';
import { registerSecret } from './errors';

export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message);
  }
}

export interface HttpOptions {
  timeoutMs?: number;
  retries?: number;
  /** Base of the exponential backoff, in ms. */
  backoffMs?: number;
  /** Longest Retry-After we wait for, in seconds (any status: 429, 503, ...). */
  maxRetryAfterSeconds?: number;
  /** Longest this client waits between attempts over its whole life, in seconds. */
  maxTotalWaitSeconds?: number;
  userAgent?: string;
}

export interface HttpResult<T> {
  status: number;
  body: T;
  /** The raw bytes, for downloads. */
  bytes?: Buffer;
}

type Init = { method?: string; body?: unknown; headers?: Record<string, string>; accept?: number[] };

export class HttpClient {
  requests = 0;
  /** Seconds spent waiting between attempts so far. */
  waitedSeconds = 0;
  private readonly opts: Required<HttpOptions>;
  private pool?: ReturnType<typeof connect>;

  constructor(
    readonly service: string,
    opts: HttpOptions = {}
  ) {
    this.opts = {
      timeoutMs: 30_000,
      retries: 2,
      backoffMs: 500,
      maxRetryAfterSeconds: 30,
      maxTotalWaitSeconds: 120,
      userAgent: 'security-actions',
      ...opts
    };
  }

  /**
   * GET or POST JSON. Statuses in `accept` (besides 2xx) are returned to the
   * caller (e.g. 404 meaning "no provenance"); anything else throws ServiceError.
   */
  async json<T>(url: string, init: Init = {}): Promise<HttpResult<T | undefined>> {
    const res = await this.send(url, init);
    if (res.status >= 200 && res.status < 300) {
      const text = res.bytes!.toString('utf8');
      try {
        return { status: res.status, body: JSON.parse(text) as T };
      } catch {
        throw new ServiceError(
          `${this.service} returned malformed JSON from ${pathOf(url)} (${text.length} bytes)`,
          res.status
        );
      }
    }
    return { status: res.status, body: undefined };
  }

  /** Downloads bytes (2xx only). */
  async bytes(url: string): Promise<Buffer> {
    const res = await this.send(url, {});
    if (res.status < 200 || res.status >= 300)
      throw new ServiceError(`${this.service} answered ${res.status} for ${pathOf(url)}`, res.status);
    return res.bytes!;
  }

  private async send(url: string, init: Init): Promise<{ status: number; bytes?: Buffer }> {
    const accept = new Set(init.accept ?? []);
    const { target, authorization } = withoutCredentials(url, this.service);
    const path = pathOf(url);
    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      let wait = (this.opts.backoffMs * 2 ** attempt) / 1000;
      try {
        this.requests++;
        const { request, dispatcher } = await (this.pool ??= connect());
        const res = await request(target, {
          dispatcher,
          method: (init.method ?? (init.body === undefined ? 'GET' : 'POST')) as Dispatcher.HttpMethod,
          headers: {
            'user-agent': this.opts.userAgent,
            ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(authorization ? { authorization } : {}),
            ...init.headers
          },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
          maxRedirections: MAX_REDIRECTS,
          signal: AbortSignal.timeout(this.opts.timeoutMs)
        });
        status = res.statusCode;
        if ((status >= 200 && status < 300) || accept.has(status)) {
          return { status, bytes: Buffer.from(await res.body.arrayBuffer()) };
        }
        await res.body.dump().catch(() => undefined);
        const answered = `${this.service} answered ${status}${status === 429 ? ' (too many requests)' : ''} for ${path}`;
        if (!(status === 429 || status >= 500)) throw new ServiceError(answered, status);
        const header = res.headers['retry-after'];
        const asked = retryAfterSeconds((Array.isArray(header) ? header[0] : header) ?? null);
        if (asked !== undefined && asked > this.opts.maxRetryAfterSeconds)
          throw new ServiceError(
            `${answered} and asked to wait ${asked} s; gave up after the ${this.opts.maxRetryAfterSeconds} s cap`,
            status
          );
        if (attempt >= this.opts.retries)
          throw new ServiceError(`${answered}; gave up after ${attempts(attempt + 1)}`, status);
        if (asked !== undefined) wait = asked;
        this.spend(wait, answered, status);
      } catch (e) {
        if (e instanceof ServiceError) throw e;
        const failed = `${this.service} request failed (${networkReason(e, this.opts.timeoutMs)}) at ${path}`;
        if (attempt >= this.opts.retries)
          throw new ServiceError(`${failed}; gave up after ${attempts(attempt + 1)}`, status);
        this.spend(wait, failed, status);
      }
      await new Promise((r) => setTimeout(r, wait * 1000));
    }
  }

  /** Books a wait against the client's budget, or gives up when the budget cannot cover it. */
  private spend(seconds: number, what: string, status: number | undefined): void {
    if (this.waitedSeconds + seconds > this.opts.maxTotalWaitSeconds)
      throw new ServiceError(
        `${what}; gave up rather than wait again (${Math.round(this.waitedSeconds)} s of the ${this.opts.maxTotalWaitSeconds} s budget for waits already spent)`,
        status
      );
    this.waitedSeconds += seconds;
  }
}

/** fetch's limit, kept when fetch was replaced. */
const MAX_REDIRECTS = 20;

let loaded: Promise<typeof import('undici')> | undefined;

/**
 * undici's `request` and a client's connection pool: keep-alive, as many connections per origin as requests
 * in flight; through the proxy the environment names, unless NO_PROXY exempts the host.
 */
async function connect(): Promise<{ request: typeof import('undici').request; dispatcher: Dispatcher }> {
  const { request, Agent, EnvHttpProxyAgent } = await (loaded ??= import('undici'));
  const env = process.env;
  const proxied = [env.http_proxy, env.HTTP_PROXY, env.https_proxy, env.HTTPS_PROXY].some(Boolean);
  return { request, dispatcher: proxied ? new EnvHttpProxyAgent() : new Agent() };
}

/**
 * The URL without its `user:password@` (fetch refuses such URLs), and the
 * Basic authorization they stand for: a private mirror's credentials are
 * sent as a header and registered as secrets, never printed.
 */
function withoutCredentials(url: string, service: string): { target: string; authorization?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ServiceError(`${service}: '${url}' is not a valid URL`);
  }
  if (!u.username && !u.password) return { target: url };
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  registerSecret(password);
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  registerSecret(authorization.slice('Basic '.length));
  u.username = '';
  u.password = '';
  return { target: u.toString(), authorization };
}

const attempts = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

/** Retry-After as seconds: a number of seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (value === null || !value.trim()) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Why a request got no answer, in words (never the HTTP library's own error text). */
export function networkReason(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (err.name === 'TimeoutError' || err.cause?.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  if (/timed out after \d+ ms/.test(String(e))) return /timed out after \d+ ms/.exec(String(e))![0];
  // fetch wraps the cause (Octokit's requests); undici's `request` throws it.
  const code = err.cause?.code ?? err.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name could not be resolved';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'the connection timed out';
  if (/bad port/i.test(String((err.cause as { message?: string } | undefined)?.message)))
    return 'the port is one that fetch refuses to connect to';
  if (/CERT|SSL|TLS|SELF_SIGNED/.test(code)) return `the server's TLS certificate was not accepted (${code})`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code.startsWith('UND_ERR_') || /terminated/i.test(String(e)))
    return 'the connection was closed before the answer was complete';
  return 'no answer';
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
