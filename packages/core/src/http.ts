// The suite's JSON-over-HTTP client for services other than GitHub (OSV,
// PyPI; GitHub goes through Octokit): timeouts, a bounded retry of 429/5xx
// and network errors, and one error type whose message is the "not checked"
// reason. A failure here never reads as "clean".
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
  /** Longest Retry-After we wait for, in seconds. */
  maxRetryAfterSeconds?: number;
  userAgent?: string;
  fetch?: typeof fetch;
}

export interface HttpResult<T> {
  status: number;
  body: T;
  /** The raw bytes, for downloads. */
  bytes?: Buffer;
}

export class HttpClient {
  requests = 0;
  private readonly opts: Required<Omit<HttpOptions, 'fetch'>> & { fetch: typeof fetch };

  constructor(
    readonly service: string,
    opts: HttpOptions = {}
  ) {
    this.opts = {
      timeoutMs: 30_000,
      retries: 2,
      backoffMs: 500,
      maxRetryAfterSeconds: 30,
      userAgent: 'security-actions',
      fetch: globalThis.fetch,
      ...opts
    };
  }

  /**
   * GET or POST JSON. Statuses in `accept` (besides 2xx) are returned to the
   * caller (e.g. 404 meaning "no provenance"); anything else throws ServiceError.
   */
  async json<T>(
    url: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string>; accept?: number[] } = {}
  ): Promise<HttpResult<T | undefined>> {
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

  private async send(
    url: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string>; accept?: number[] }
  ): Promise<{ status: number; bytes?: Buffer }> {
    const accept = new Set(init.accept ?? []);
    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      let wait = this.opts.backoffMs * 2 ** attempt;
      try {
        this.requests++;
        const res = await this.opts.fetch(url, {
          method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
          headers: {
            'user-agent': this.opts.userAgent,
            ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...init.headers
          },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
          redirect: 'follow',
          signal: AbortSignal.timeout(this.opts.timeoutMs)
        });
        status = res.status;
        if ((res.status >= 200 && res.status < 300) || accept.has(res.status)) {
          return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
        }
        await res.arrayBuffer().catch(() => undefined);
        const retryAfter = Number(res.headers.get('retry-after'));
        if (res.status === 429 && retryAfter > this.opts.maxRetryAfterSeconds)
          throw new ServiceError(`${this.service} rate limit (429, retry after ${retryAfter}s)`, 429);
        if (retryAfter >= 0 && res.headers.has('retry-after')) wait = retryAfter * 1000;
        if (!(res.status === 429 || res.status >= 500) || attempt >= this.opts.retries) {
          throw new ServiceError(
            res.status === 429
              ? `${this.service} rate limit (429)`
              : `${this.service} answered ${res.status} for ${pathOf(url)}`,
            res.status
          );
        }
      } catch (e) {
        if (e instanceof ServiceError) throw e;
        const err = e as Error;
        const why =
          err.name === 'TimeoutError'
            ? `timed out after ${this.opts.timeoutMs} ms`
            : `request failed (${(err as { cause?: { code?: string } }).cause?.code ?? err.message})`;
        if (attempt >= this.opts.retries) throw new ServiceError(`${this.service} ${why} at ${pathOf(url)}`, status);
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
