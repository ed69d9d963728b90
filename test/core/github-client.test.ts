// The core GitHub client against the fake GitHub: rate limits and retry-after
// honoured through Octokit's throttling and retry plugins, 5xx retried,
// timeouts and truncated bodies surfaced as errors (never as data), GraphQL
// sent to GITHUB_GRAPHQL_URL, every HTTP request counted, the token never in
// an error.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  IncompleteAnswer,
  createGitHubClient,
  describeApiError,
  oneLine,
  promised
} from '../../packages/core/src/index';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import {
  primaryRateLimit,
  latency,
  secondaryRateLimit,
  serverError,
  tooManyRequests,
  truncatedBody
} from '../fakes/github/faults.mjs';
import { validateGraphQL } from '../fakes/github/graphql-schema.mjs';

const TOKEN = 'ghs_testtoken0123456789abcdefghijklmnop';
const REPO = '/repos/scientific-python/spec-tool';
const world = {
  orgs: { 'scientific-python': { members: { alice: 'admin' } } },
  users: { alice: {} },
  repos: {
    'scientific-python/spec-tool': {
      commits: [{ sha: '1'.repeat(40), message: 'init', author: { login: 'alice' } }],
      branches: { main: '1'.repeat(40) }
    }
  }
};

let fake: Awaited<ReturnType<typeof startFakeGitHub>>;
beforeAll(async () => {
  fake = await startFakeGitHub({ world });
});
afterAll(() => fake.close());

const client = (extra: Record<string, unknown> = {}) =>
  createGitHubClient({ token: TOKEN, apiUrl: fake.url, graphqlUrl: fake.graphqlUrl, retryBaseMs: 10, ...extra });
// The throttling plugin's own base (1000 ms per retry-after second), to check real waits.
const realTimeClient = () => createGitHubClient({ token: TOKEN, apiUrl: fake.url, graphqlUrl: fake.graphqlUrl });
const getRepo = (c: Awaited<ReturnType<typeof client>>) =>
  c.rest.request('GET /repos/{owner}/{repo}', { owner: 'scientific-python', repo: 'spec-tool' });

describe('GitHub client', () => {
  it('waits for retry-after on a secondary rate limit, then succeeds', async () => {
    fake.setFaults([secondaryRateLimit({ match: `GET ${REPO}`, retryAfter: 1 })]);
    const c = await realTimeClient();
    const started = Date.now();
    const res = await getRepo(c);
    expect(res.data.full_name).toBe('scientific-python/spec-tool');
    expect(c.stats.requests).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // retry-after: 1 s (plugin base 1000 ms)
  });

  it('honours retry-after on 429 as well', async () => {
    fake.setFaults([tooManyRequests({ match: `GET ${REPO}`, retryAfter: 1 })]);
    const c = await client();
    await getRepo(c);
    expect(c.stats.requests).toBe(2);
  });

  it('gives up on a primary rate limit whose reset is beyond the longest wait, with a rate-limit reason', async () => {
    fake.setFaults([primaryRateLimit({ match: `GET ${REPO}`, resetInSeconds: 3600 })]);
    const c = await client({ maxRateLimitWaitSeconds: 5 });
    const err = await getRepo(c).catch((e: unknown) => e);
    expect(describeApiError(err)).toMatch(
      /^GitHub asked to wait 360\d s \(primary rate limit\); gave up after the 5 s cap$/
    );
    expect(c.stats.requests).toBe(1);
  });

  it.each([403, 429])(
    'gives up at once on a secondary rate limit (%i) asking for an hour, and says so',
    async (status) => {
      fake.setFaults([
        secondaryRateLimit({ match: `GET ${REPO}`, retryAfter: 3600, status: status as 403 | 429, times: 10 })
      ]);
      const c = await client();
      const started = Date.now();
      const err = await getRepo(c).catch((e: unknown) => e);
      expect(describeApiError(err)).toBe(
        'GitHub asked to wait 3600 s (secondary rate limit); gave up after the 120 s cap'
      );
      expect(c.stats.requests).toBe(1);
      expect(Date.now() - started).toBeLessThan(5000);
    }
  );

  it('waits for rate limits at most its budget over all requests', async () => {
    fake.setFaults([secondaryRateLimit({ match: `GET ${REPO}`, retryAfter: 2, times: 10 })]);
    const c = await client({ maxTotalWaitSeconds: 3 });
    const err = await getRepo(c).catch((e: unknown) => e);
    expect(describeApiError(err)).toBe(
      'GitHub asked to wait 2 s (secondary rate limit); gave up, 2 s of the 3 s budget for waits already spent'
    );
    expect([c.stats.requests, c.stats.waitedSeconds]).toEqual([2, 2]);
  });

  it('never echoes an error page into a reason, and words other statuses', async () => {
    const page = '<!DOCTYPE html><html><head><title>Unicorn!</title></head><body>secret-ish page</body></html>';
    for (const [status, permission, want] of [
      [403, undefined, 'forbidden (403): GitHub answered 403 with an error page'],
      [400, undefined, 'GitHub answered 400: GitHub answered 400 with an error page'],
      [502, undefined, 'GitHub API error 502'],
      [409, 'contents: read', 'GitHub answered 409: Git Repository is empty.']
    ] as const) {
      const body = status === 409 ? { message: 'Git Repository is empty.', status: '409' } : page;
      fake.setFaults([
        { match: `GET ${REPO}`, status, times: 10, body, headers: { 'content-type': 'text/html; charset=utf-8' } }
      ]);
      if (status === 409) fake.setFaults([{ match: `GET ${REPO}`, status, times: 10, body }]);
      const err = await getRepo(await client({ retries: 0 })).catch((e: unknown) => e);
      expect(describeApiError(err, permission)).toBe(want);
      expect(oneLine(err)).not.toMatch(/<|Unicorn/);
    }
  });

  it('never takes a 200 that is not JSON (a proxy page, an empty body) for an answer', async () => {
    const page = '<!DOCTYPE html><html><body>Sign in to the proxy: secret-ish page</body></html>';
    for (const [body, why] of [
      [page, 'was a web page, not JSON'],
      ['', 'was empty']
    ] as const) {
      fake.setFaults([
        { match: `GET ${REPO}`, status: 200, times: 10, body, headers: { 'content-type': 'text/html' } }
      ]);
      const err = await getRepo(await client({ retries: 0 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IncompleteAnswer);
      expect(describeApiError(err, 'metadata: read')).toBe(
        `GitHub's answer to GET /repos/{owner}/{repo} ${why}, so nothing was checked`
      );
      expect(oneLine(err)).not.toMatch(/<|proxy/);
    }
    fake.setFaults([{ match: 'POST /graphql', status: 200, times: 10, body: {} }]);
    const c = await client({ retries: 0 });
    await expect(c.graphql('query { viewer { login } }')).rejects.toThrow(
      /^GitHub's answer to POST .*\/graphql had neither data nor errors, so nothing was checked$/
    );
    fake.setFaults([]);
  });

  it('names the promised fields an answer lacks', () => {
    const what = 'GET /repos/{owner}/{repo}/actions/secrets';
    expect(promised({ total_count: 0, secrets: [] }, what, { total_count: 'number', secrets: 'array' })).toEqual({
      total_count: 0,
      secrets: []
    });
    for (const data of [{}, { total_count: 1, secrets: {} }, null, 'text'])
      expect(() => promised(data, what, { secrets: 'array', enabled: 'boolean' })).toThrow(
        `GitHub's answer to ${what} lacked secrets, enabled, so nothing was checked`
      );
    expect(() => promised({ a: null, b: 'x' }, what, { a: 'object', b: 'string' })).toThrow(/lacked a,/);
  });

  it('says GitHub could not be reached, in words', async () => {
    const c = await createGitHubClient({ token: TOKEN, apiUrl: 'http://127.0.0.1:9', retries: 0 });
    const err = await getRepo(c).catch((e: unknown) => e);
    expect(describeApiError(err)).toBe(
      'GitHub API unreachable: no answer from GitHub (the port is one that fetch refuses to connect to)'
    );
  });

  it('retries a 5xx and succeeds', async () => {
    fake.setFaults([serverError({ match: `GET ${REPO}`, times: 2, status: 502 })]);
    const c = await client();
    await getRepo(c);
    expect(c.stats.requests).toBe(3);
  });

  it('reports a persistent 5xx as an API error after its retries', async () => {
    fake.setFaults([serverError({ match: `GET ${REPO}`, times: 100, status: 503 })]);
    const c = await client({ retries: 2 });
    const err = await getRepo(c).catch((e: unknown) => e);
    expect(describeApiError(err)).toBe('GitHub API error 503');
    expect(c.stats.requests).toBe(3);
  });

  it('times out a request that hangs', async () => {
    fake.setFaults([{ match: `GET ${REPO}`, kind: 'hang', times: 10 }]);
    const c = await client({ timeoutMs: 200, retries: 0 });
    const err = await getRepo(c).catch((e: unknown) => e);
    expect(oneLine(err)).toMatch(/timed out after 200 ms/);
  });

  it('turns a truncated body into an error, never into data', async () => {
    fake.setFaults([truncatedBody({ match: `GET ${REPO}`, times: 10 })]);
    const c = await client({ retries: 0 });
    await expect(getRepo(c)).rejects.toBeTruthy();
  });

  it('sends GraphQL to the configured endpoint with a query valid against GitHub’s schema', async () => {
    fake.setFaults([]);
    const query = 'query { viewer { login } rateLimit { remaining } }';
    expect(validateGraphQL(query)).toEqual([]);
    const c = await client();
    const before = fake.requests.length;
    const data = await c.graphql<{ viewer: { login: string } }>(query);
    expect(typeof data.viewer.login).toBe('string');
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /graphql']);
  });

  it('sends GraphQL queries one at a time and back to back, without the one-second gap kept for mutations', async () => {
    fake.setFaults([latency({ match: 'POST /graphql', ms: 150 })]);
    const query = 'query { viewer { login } }';
    const timed = async (c: Awaited<ReturnType<typeof client>>, document: string, n: number) => {
      const started = Date.now();
      await Promise.all(Array.from({ length: n }, () => c.graphql(document).catch(() => undefined)));
      return Date.now() - started;
    };
    // Five queries: serial (at least 5 × 150 ms), but not spaced a second apart (Octokit's pacing: over 4 s).
    const serial = await timed(await realTimeClient(), query, 5);
    expect(serial).toBeGreaterThanOrEqual(5 * 150 - 20);
    expect(serial).toBeLessThan(2500);
    // With room for five, they overlap.
    expect(await timed(await client({ graphqlConcurrency: 5 }), query, 5)).toBeLessThan(5 * 150 - 20);
    // Two mutations still start a second apart.
    const mutation = 'mutation { addStar(input: { starrableId: "R_1" }) { clientMutationId } }';
    expect(await timed(await realTimeClient(), mutation, 2)).toBeGreaterThanOrEqual(950);
    fake.setFaults([]);
  });

  it('records the rate-limit budget and keeps the token out of errors', async () => {
    fake.setFaults([]);
    const c = await client();
    await getRepo(c);
    expect(c.stats.rateLimitRemaining).toBeGreaterThan(0);
    const err = await c.rest
      .request('GET /repos/{owner}/{repo}', { owner: 'nobody', repo: 'nothing' })
      .catch((e: unknown) => e);
    expect(describeApiError(err)).toBe('not found (404)');
    expect(c.stats.requests).toBe(2); // a 404 is an answer, not retried
    expect(oneLine(err)).not.toContain(TOKEN);
    expect(JSON.stringify(describeApiError(err))).not.toContain(TOKEN);
  });
});
