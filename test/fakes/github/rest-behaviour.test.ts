// Protocol behaviour of the fake's REST API: Link pagination, rate-limit headers
// and exhaustion, injected faults, and authentication/permissions — checked the
// way clients meet them, through Octokit and its throttling/retry plugins.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import {
  connectionReset,
  latency,
  primaryRateLimit,
  secondaryRateLimit,
  serverError,
  tooManyRequests,
  truncatedBody
} from './faults.mjs';
import { responseProblems } from './openapi.mjs';
import { startFakeGitHub } from './server.mjs';

type Fake = Awaited<ReturnType<typeof startFakeGitHub>>;
let fake: Fake;
afterEach(() => fake?.close());

const members = Object.fromEntries(
  Array.from({ length: 75 }, (_, i) => [`user${String(i).padStart(2, '0')}`, 'member'])
);
const bigWorld = {
  viewer: 'user00',
  orgs: { big: { members: { ...members, user00: 'admin' } } },
  repos: { 'big/repo': { commits: [{ sha: 'a'.repeat(40), message: 'init', author: { login: 'user00' } }] } }
};

async function get(path: string, headers: Record<string, string> = { authorization: 'token t' }) {
  const res = await fetch(fake.url + path, { headers });
  return { res, body: (await res.json()) as any };
}

describe('Link-header pagination', () => {
  it('formats Link exactly as GitHub does: prev, next, last, first, keeping the query', async () => {
    fake = await startFakeGitHub({ world: bigWorld });
    const u = `${fake.url}/orgs/big/members`;
    const first = await get('/orgs/big/members?per_page=30');
    expect(first.body).toHaveLength(30);
    expect(first.res.headers.get('link')).toBe(
      `<${u}?per_page=30&page=2>; rel="next", <${u}?per_page=30&page=3>; rel="last"`
    );
    const middle = await get('/orgs/big/members?per_page=30&page=2');
    expect(middle.res.headers.get('link')).toBe(
      `<${u}?per_page=30&page=1>; rel="prev", <${u}?per_page=30&page=3>; rel="next", <${u}?per_page=30&page=3>; rel="last", <${u}?per_page=30&page=1>; rel="first"`
    );
    const last = await get('/orgs/big/members?per_page=30&page=3');
    expect(last.body).toHaveLength(15);
    expect(last.res.headers.get('link')).toBe(
      `<${u}?per_page=30&page=2>; rel="prev", <${u}?per_page=30&page=1>; rel="first"`
    );
  });

  it('defaults per_page to 30, caps it at 100 and sends no Link for a single page', async () => {
    fake = await startFakeGitHub({ world: bigWorld });
    expect((await get('/orgs/big/members')).body).toHaveLength(30);
    const capped = await get('/orgs/big/members?per_page=500');
    expect(capped.body).toHaveLength(75);
    expect(capped.res.headers.get('link')).toBeNull();
  });

  it('walks every page with octokit.paginate', async () => {
    fake = await startFakeGitHub({ world: bigWorld });
    const octokit = getOctokit('t', { baseUrl: fake.url });
    const all = await octokit.paginate(octokit.rest.orgs.listMembers, { org: 'big', per_page: 20 });
    expect(all.map((m) => m.login).sort()).toEqual(Object.keys(members).sort());
    expect(fake.requests.map((r) => r.query)).toEqual([
      '?per_page=20',
      '?per_page=20&page=2',
      '?per_page=20&page=3',
      '?per_page=20&page=4'
    ]);
  });
});

describe('rate limits', () => {
  it('sends x-ratelimit-* on every response, counting down per resource', async () => {
    fake = await startFakeGitHub({ world: bigWorld });
    const a = await get('/repos/big/repo');
    const b = await get('/repos/big/missing');
    const s = await get('/search/issues?q=is:issue');
    for (const [r, resource] of [
      [a.res, 'core'],
      [b.res, 'core'],
      [s.res, 'search']
    ] as const) {
      for (const h of ['limit', 'remaining', 'reset', 'used'])
        expect(r.headers.get(`x-ratelimit-${h}`)).toMatch(/^\d+$/);
      expect(r.headers.get('x-ratelimit-resource')).toBe(resource);
    }
    expect(a.res.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(b.res.headers.get('x-ratelimit-remaining')).toBe('4998');
    expect(b.res.headers.get('x-ratelimit-used')).toBe('2');
    expect(s.res.headers.get('x-ratelimit-limit')).toBe('30');
    // GET /rate_limit is free and reports the same counters.
    const rl = await get('/rate_limit');
    expect(rl.body.resources.core).toMatchObject({ limit: 5000, remaining: 4998, used: 2 });
    expect(rl.body.resources.search).toMatchObject({ limit: 30, remaining: 29, used: 1 });
    expect(rl.res.headers.get('x-ratelimit-remaining')).toBe('4998');
  });

  it("answers 403 with GitHub's primary-limit body once the world's remaining count is spent", async () => {
    fake = await startFakeGitHub({ world: { ...bigWorld, rate_limit: { core: { remaining: 1 } } } });
    expect((await get('/repos/big/repo')).res.status).toBe(200);
    const { res, body } = await get('/repos/big/repo');
    expect(res.status).toBe(403);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(body.message).toMatch(/^API rate limit exceeded for user ID \d+\. If you reach out to GitHub Support/);
    expect(body.documentation_url).toBe('https://docs.github.com/rest/overview/rate-limits-for-the-rest-api');
    expect(responseProblems('GET', '/repos/{owner}/{repo}', 403, body)).toEqual([]);

    const onRateLimit = jest.fn(() => false);
    const octokit = getOctokit(
      't',
      { baseUrl: fake.url, throttle: { onRateLimit, onSecondaryRateLimit: () => false } },
      throttling
    );
    await expect(octokit.rest.repos.get({ owner: 'big', repo: 'repo' })).rejects.toMatchObject({ status: 403 });
    expect(onRateLimit).toHaveBeenCalledTimes(1);
  });

  it('starts a new window once the reset time has passed', async () => {
    fake = await startFakeGitHub({
      world: { ...bigWorld, rate_limit: { core: { remaining: 0, reset: Math.floor(Date.now() / 1000) - 1 } } }
    });
    const { res } = await get('/repos/big/repo');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4999');
  });
});

describe('faults', () => {
  const throttled = (onSecondaryRateLimit: (retryAfter: number) => boolean, onRateLimit = () => false) =>
    getOctokit(
      't',
      { baseUrl: fake.url, throttle: { onRateLimit, onSecondaryRateLimit, retryAfterBaseValue: 1 } },
      throttling
    );

  it('secondary rate limit: 403 + retry-after that Octokit throttling recognises and retries', async () => {
    fake = await startFakeGitHub({
      world: bigWorld,
      faults: [secondaryRateLimit({ match: 'GET /repos/*', retryAfter: 7 })]
    });
    const raw = await get('/repos/big/repo');
    expect(raw.res.status).toBe(403);
    expect(raw.res.headers.get('retry-after')).toBe('7');
    expect(raw.body.message).toMatch(/^You have exceeded a secondary rate limit/);
    expect(responseProblems('GET', '/repos/{owner}/{repo}', 403, raw.body)).toEqual([]);

    fake.addFault(secondaryRateLimit({ match: 'GET /repos/*', retryAfter: 3 }));
    const seen: number[] = [];
    const octokit = throttled((retryAfter) => (seen.push(retryAfter), true));
    expect((await octokit.rest.repos.get({ owner: 'big', repo: 'repo' })).status).toBe(200);
    expect(seen).toEqual([3]);
  });

  it('429 with retry-after', async () => {
    fake = await startFakeGitHub({ world: bigWorld, faults: [tooManyRequests({ retryAfter: 2 })] });
    const seen: number[] = [];
    const octokit = throttled((retryAfter) => (seen.push(retryAfter), true));
    expect((await octokit.rest.repos.get({ owner: 'big', repo: 'repo' })).status).toBe(200);
    expect(seen).toEqual([2]);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('primary rate limit fault triggers onRateLimit', async () => {
    fake = await startFakeGitHub({ world: bigWorld, faults: [primaryRateLimit({ resetInSeconds: 0 })] });
    const onRateLimit = jest.fn(() => true);
    const octokit = throttled(() => false, onRateLimit);
    expect((await octokit.rest.repos.get({ owner: 'big', repo: 'repo' })).status).toBe(200);
    expect(onRateLimit).toHaveBeenCalledTimes(1);
  });

  it('5xx answers are retried by @octokit/plugin-retry', async () => {
    fake = await startFakeGitHub({ world: bigWorld, faults: [serverError({ times: 2, status: 502 })] });
    const octokit = getOctokit('t', { baseUrl: fake.url, retry: { retryAfterBaseValue: 1 } }, retry);
    expect((await octokit.rest.repos.get({ owner: 'big', repo: 'repo' })).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('truncated bodies and connection resets surface as client errors', async () => {
    fake = await startFakeGitHub({
      world: bigWorld,
      faults: [truncatedBody({ match: 'GET /repos/big/repo' }), connectionReset({ match: 'GET /orgs/*' })]
    });
    await expect(fetch(`${fake.url}/repos/big/repo`).then((r) => r.json())).rejects.toThrow();
    await expect(fetch(`${fake.url}/orgs/big`)).rejects.toThrow();
    expect((await get('/repos/big/repo')).res.status).toBe(200);
  });

  it('latency delays matching requests; setFaults replaces the faults', async () => {
    fake = await startFakeGitHub({ world: bigWorld, faults: [latency({ match: 'GET /orgs/*', ms: 300 })] });
    let t = Date.now();
    await get('/orgs/big');
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    fake.setFaults([]);
    t = Date.now();
    await get('/orgs/big');
    expect(Date.now() - t).toBeLessThan(290);
  });
});

describe('authentication and permissions', () => {
  const authWorld = {
    ...bigWorld,
    repos: {
      ...bigWorld.repos,
      'big/secret': {
        private: true,
        secrets: { TOKEN: {} },
        commits: [{ sha: 'b'.repeat(40), message: 'init', author: { login: 'user00' } }]
      }
    },
    tokens: {
      ghs_app: { login: 'github-actions[bot]', permissions: { contents: 'read' }, repositories: ['big/repo'] },
      github_pat_fg: { login: 'user01', permissions: { issues: 'read' } },
      ghp_classic: { login: 'user00', scopes: ['read:org'] },
      ghp_full: { login: 'user00', scopes: ['repo', 'read:org'] }
    }
  };
  const as = (token?: string): Record<string, string> => (token ? { authorization: `token ${token}` } : {});

  it('401 Bad credentials for unknown tokens, Requires authentication without one', async () => {
    fake = await startFakeGitHub({ world: authWorld });
    const bad = await get('/repos/big/repo', as('nope'));
    expect(bad.res.status).toBe(401);
    expect(bad.body).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401'
    });
    const anon = await get('/repos/big/repo/actions/secrets', as());
    expect(anon.res.status).toBe(401);
    expect(anon.body.message).toBe('Requires authentication');
    expect((await get('/user', as())).res.status).toBe(401);
    expect((await get('/repos/big/repo', as())).res.status).toBe(200);
  });

  it('403 Resource not accessible by integration, with x-accepted-github-permissions', async () => {
    fake = await startFakeGitHub({ world: authWorld });
    const res = await fetch(`${fake.url}/repos/big/repo/issues`, {
      method: 'POST',
      headers: as('ghs_app'),
      body: JSON.stringify({ title: 'x' })
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-accepted-github-permissions')).toBe('issues=write');
    const body = await res.json();
    expect(body).toEqual({
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
      status: '403'
    });
    expect(responseProblems('POST', '/repos/{owner}/{repo}/issues', 403, body)).toEqual([]);
    const ok = await get('/repos/big/repo/commits', as('ghs_app'));
    expect(ok.res.status).toBe(200);
    expect(ok.res.headers.get('x-accepted-github-permissions')).toBe('contents=read');
    expect((await get('/user', as('ghs_app'))).body.message).toBe('Resource not accessible by integration');
  });

  it('fine-grained PATs get the personal-access-token wording', async () => {
    fake = await startFakeGitHub({ world: authWorld });
    const { res, body } = await get('/repos/big/secret/actions/secrets', as('github_pat_fg'));
    expect([res.status, body.message]).toEqual([403, 'Resource not accessible by personal access token']);
    expect(res.headers.get('x-accepted-github-permissions')).toBe('secrets=read');
  });

  it('private repositories are 404 to tokens that cannot see them', async () => {
    fake = await startFakeGitHub({ world: authWorld });
    expect((await get('/repos/big/secret', as())).res.status).toBe(404);
    expect((await get('/repos/big/secret', as('ghs_app'))).res.status).toBe(404);
    const classic = await get('/repos/big/secret', as('ghp_classic'));
    expect(classic.res.status).toBe(404);
    expect(classic.res.headers.get('x-oauth-scopes')).toBe('read:org');
    expect((await get('/repos/big/secret', as('ghp_full'))).res.status).toBe(200);
    expect((await get('/orgs/big/repos', as('ghp_classic'))).body.map((r: { name: string }) => r.name)).toEqual([
      'repo'
    ]);
  });

  it('without world tokens any token acts as the viewer', async () => {
    fake = await startFakeGitHub({ world: bigWorld });
    expect((await get('/user', as('whatever'))).body.login).toBe('user00');
  });
});
