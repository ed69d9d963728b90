// Contributor trust against the fake GitHub, whose GraphQL runs on GitHub's
// published schema: the cases of issue 17 (a long-time contributor one hop
// from a maintainer, a vouched newcomer, vouches that must not count, history
// only outside the ecosystem, an API failure mid-walk, bots), the requests
// each costs, and the vouch file's validation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createGitHubClient } from '../../packages/core/src/github';
import {
  type Ecosystem,
  type Revocation,
  type TrustIO,
  TrustChecker,
  clientIO,
  contextLine,
  ecosystemFrom,
  explain,
  parseVouchFile,
  pathText,
  vouchInvalidity
} from '../../packages/core/src/trust/index';
import { personFields, request, scopeChunks, vouchFileField } from '../../packages/core/src/trust/queries';
import { validateGraphQL } from '../fakes/github/graphql-schema.mjs';
import { serverError } from '../fakes/github/faults.mjs';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { VOUCHES, repo, scenarioWorld } from '../helpers/trust-world.mjs';

const NOW = new Date('2026-03-01T12:00:00Z');
const ECO: Ecosystem = ecosystemFrom({ orgs: ['numpy', 'scipy'] });

describe('contributor trust against the fake GitHub', () => {
  let gh: Awaited<ReturnType<typeof startFakeGitHub>>;
  let io: TrustIO;
  const graphqlCalls = () => gh.requests.filter((r: { path: string }) => r.path === '/graphql').length;

  beforeAll(async () => {
    gh = await startFakeGitHub({ world: scenarioWorld(NOW) });
    io = clientIO(await createGitHubClient({ token: 'trust-test', apiUrl: gh.url, retries: 0 }), () => NOW);
  });
  afterAll(() => gh.close());

  const check = (login: string, opts = {}, eco = ECO, custom = io) =>
    new TrustChecker(custom, eco, { repo: 'numpy/numpy', ...opts }).check(login);

  it('reaches a long-time contributor in one hop from the maintainer who merged their PRs', async () => {
    const r = await check('bob');
    expect(r.standing).toBe('near');
    expect(r.paths.ok && r.paths.value.map(pathText)).toEqual([
      '@alice (numpy maintainer) merged 12 PRs of @bob in numpy since 2022'
    ]);
    expect(r.merged).toMatchObject({ ok: true, value: { total: 12, here: 12, byRepo: { 'numpy/numpy': 12 } } });
    expect(r.memberships).toEqual({ ok: true, value: ['numpy'] });
    expect(r.account).toMatchObject({ ok: true, value: { kind: 'user', createdAt: '2019-03-02T00:00:00Z' } });
    // The newest commit (80 days ago) is signed with a key the older ones never used.
    expect(r.signing).toMatchObject({
      ok: true,
      value: { commits: 12, signed: 12, keyChange: { from: 'OLDKEY01', to: 'NEWKEY02' } }
    });
    expect(r.commits).toMatchObject({ ok: true, value: { here: expect.any(Number), outside: { contributions: 0 } } });
    expect(contextLine(r)).toBe(
      `12 merged PRs in numpy since 2022; merged by a numpy maintainer, @alice; signing key changed ${r.signing.ok && r.signing.value.keyChange!.at.slice(0, 10)}`
    );
    expect(r.requests).toBeLessThanOrEqual(3);
  });

  it('reaches a vouched newcomer through the maintainer who vouches for them, reading the voucher once', async () => {
    const before = graphqlCalls();
    const r = await check('newbie');
    expect(r.standing).toBe('near');
    expect(r.paths.ok && r.paths.value.map(pathText)).toEqual([
      '@alice (numpy maintainer) vouches for @newbie since 2025-07-10 (numpy/.github/trust.yml:3: "Pair-programmed the f2py fix with me at SciPy 2025")'
    ]);
    expect(r.vouches).toMatchObject({ ok: true, value: [{ status: 'counted' }] });
    expect(contextLine(r)).toBe(
      'first contribution to the ecosystem; vouched for by @alice (numpy maintainer) since 2025-07-10; account 9 days old'
    );
    // The vouch files, the author, and alice's history to learn she is a maintainer.
    expect(graphqlCalls() - before).toBe(3);
    expect(r.requests).toBe(3);
  });

  it('ignores a vouch by someone no path reaches', async () => {
    const r = await check('dave');
    expect(r.standing).toBe('none');
    expect(r.paths).toEqual({ ok: true, value: [] });
    expect(r.vouches).toMatchObject({ ok: true, value: [{ vouch: { by: 'mallory' }, status: 'voucher not trusted' }] });
    expect(contextLine(r)).toBe(
      'first contribution to the ecosystem; account 40 days old; 1 vouch that does not count (@mallory: voucher not trusted)'
    );
  });

  it('honours a revocation, and reads no private membership', async () => {
    const r = await check('frank');
    expect(r.vouches).toMatchObject({
      ok: true,
      value: [
        {
          vouch: { by: 'alice' },
          status: 'revoked',
          detail: expect.stringMatching(
            /^revoked 2025-06-01 \(numpy\/\.github\/trust\.yml:\d+\): Account reported compromised$/
          )
        }
      ]
    });
    expect(r.standing).toBe('none');
    expect(r.memberships).toEqual({ ok: true, value: [] });
  });

  it('tells history outside the ecosystem apart from none at all', async () => {
    const r = await check('erin');
    expect(r.standing).toBe('none');
    expect(r.merged).toMatchObject({ ok: true, value: { total: 0 } });
    expect(r.commits).toMatchObject({ ok: true, value: { total: 0, outside: { contributions: 8, repositories: 1 } } });
    expect(contextLine(r)).toMatch(
      /^first contribution to the ecosystem; no vouch; active elsewhere \(8 public contributions in 1 repository\)$/
    );
  });

  it('follows two hops: a scipy maintainer merged the PRs of the person who vouches for the author', async () => {
    const r = await check('gina');
    expect(r.standing).toBe('near');
    expect(r.paths.ok && r.paths.value.map(pathText)).toEqual([
      '@carol (scipy maintainer) merged 3 PRs of @hank in scipy since 2025; @hank vouches for @gina since 2025-02-01 (numpy/.github/trust.yml:15: "My student; I review all her work")'
    ]);
    expect(contextLine(r)).toMatch(
      /^first contribution to the ecosystem; vouched for by @hank since 2025-02-01, 2 hops from @carol \(scipy maintainer\); account 3 months old$/
    );
  });

  it('says "not checked", never "no path", when the API fails mid-walk, and keeps what it read', async () => {
    let calls = 0;
    const failing: TrustIO = {
      ...io,
      graphql: (q, v) => {
        // The vouch files, then the author; the third request (hank's history) fails.
        if (++calls === 3) gh.addFault(serverError({ match: 'POST /graphql', status: 502 }));
        return io.graphql(q, v);
      }
    };
    const r = await check('gina', {}, ECO, failing);
    expect(r.standing).toBe('unknown');
    expect(r.paths).toEqual({ ok: false, reason: 'the history of @hank was not read: GitHub API error 502' });
    expect(r.account.ok && r.merged.ok && r.memberships.ok).toBe(true);
    expect(r.vouches).toMatchObject({ ok: true, value: [{ status: 'not checked' }] });
    expect(contextLine(r)).toMatch(
      /path to the maintainers not checked: the history of @hank was not read: GitHub API error 502$/
    );
  });

  it('stops at the per-author budget and says so', async () => {
    const r = await check('gina', { perAuthor: 2 });
    expect(r.paths).toEqual({
      ok: false,
      reason: 'the history of @hank was not read: the request budget (2 per author) was used up'
    });
    expect(r.requests).toBe(2);
  });

  it('stops when GitHub’s GraphQL rate limit runs low', async () => {
    const r = await check('gina', { minRatePoints: 1_000_000 });
    expect(r.paths.ok).toBe(false);
    expect(!r.paths.ok && r.paths.reason).toMatch(/GraphQL rate limit is nearly used up \(\d+ points left until /);
  });

  it('knows verified bots by their id, from the event or the API, and no other bot', async () => {
    const fromEvent = await new TrustChecker(io, ECO).check('dependabot[bot]', { type: 'Bot', id: 49699333 });
    expect([fromEvent.standing, fromEvent.requests, contextLine(fromEvent)]).toEqual([
      'bot',
      0,
      'verified bot (Dependabot)'
    ]);
    const lookedUp = await check('dependabot[bot]');
    expect([lookedUp.standing, contextLine(lookedUp)]).toEqual(['bot', 'verified bot (Dependabot)']);
    const impostor = await check('dependabot-fake[bot]');
    expect(impostor.standing).toBe('unknown');
    const named = await new TrustChecker(io, ECO).check('dependabot[bot]', { type: 'Bot', id: 1 });
    expect(named.standing).toBe('unknown');
  });

  it('explains every section, and what it could not read', async () => {
    const lines = explain(await check('bob'));
    expect(lines.map(([label]) => label)).toEqual([
      'Account',
      'Public membership',
      'Merged PRs',
      'Reviews given',
      'Commits',
      'Signing',
      'Vouches',
      'Paths (1 hop)'
    ]);
    expect(lines.find(([l]) => l === 'Merged PRs')![1]).toBe(
      '12 in the ecosystem, 12 in this repository: numpy/numpy 12; by year 2022 3 · 2023 3 · 2024 3 · 2025 3'
    );
  });

  it('roots named in the config start paths without any history', async () => {
    const eco = ecosystemFrom({ orgs: ['numpy'], roots: ['hank'] }, { source: '.github/security-actions.yml' });
    const r = await check('gina', {}, eco);
    expect(r.paths.ok && r.paths.value.map(pathText)).toEqual([
      '@hank (root in .github/security-actions.yml) vouches for @gina since 2025-02-01 (numpy/.github/trust.yml:15: "My student; I review all her work")'
    ]);
    expect(r.requests).toBe(2);
  });
});

describe('queries', () => {
  it("are valid against GitHub's published schema and limits, with several chunks of qualifiers", () => {
    const scope = scopeChunks(
      Array.from({ length: 7 }, (_, i) => `org${i}`),
      Array.from({ length: 20 }, (_, i) => `owner${i}/repo`)
    );
    expect(scope).toHaveLength(5);
    const years = [{ year: 2026, from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }];
    const query = request([
      personFields({ alias: 'a', login: 'bob', full: true, scope, repo: 'numpy/numpy', years, first: 50 }),
      personFields({ alias: 'p0', login: 'hank', full: false, scope, first: 20 }),
      vouchFileField('v0', 'numpy', 'HEAD', 'trust.yml')
    ]);
    expect(validateGraphQL(query)).toEqual([]);
  });

  it('leave out repositories of an organisation already in the scope', () => {
    expect(scopeChunks(['NumPy'], ['numpy/numpy', 'scipy/scipy', 'SciPy/SciPy'])).toEqual([
      'org:numpy repo:scipy/scipy'
    ]);
  });
});

describe('vouch files', () => {
  it('reads vouches and revocations with their file and line', () => {
    const f = parseVouchFile(VOUCHES, 'numpy/.github/trust.yml');
    expect(f.vouches.map((v) => v.source)).toEqual([
      'numpy/.github/trust.yml:3',
      'numpy/.github/trust.yml:7',
      'numpy/.github/trust.yml:11',
      'numpy/.github/trust.yml:15'
    ]);
    expect(f.revocations).toEqual([
      { for: 'frank', why: 'Account reported compromised', since: '2025-06-01', source: 'numpy/.github/trust.yml:20' }
    ]);
  });

  it('counts a vouch inside its dates, until a revocation that names it or everyone, and again when renewed', () => {
    const v = (by: string, since: string, expires?: string) => ({
      by,
      for: 'x',
      why: 'w',
      since,
      expires,
      source: 'f:1'
    });
    const revoked: Revocation[] = [{ for: 'x', by: 'a', why: 'lost key', since: '2025-06-01', source: 'f:9' }];
    const status = (vouch: ReturnType<typeof v>, day: string, revs = revoked) =>
      vouchInvalidity(vouch, revs, day)?.status;
    expect(status(v('a', '2025-01-01'), '2025-05-31')).toBeUndefined();
    expect(status(v('a', '2025-01-01'), '2025-06-01')).toBe('revoked');
    expect(status(v('b', '2025-01-01'), '2025-07-01')).toBeUndefined();
    expect(status(v('b', '2025-01-01'), '2025-07-01', [{ ...revoked[0], by: undefined }])).toBe('revoked');
    expect(status(v('a', '2025-06-02'), '2025-07-01')).toBeUndefined();
    expect(status(v('a', '2026-01-01'), '2025-07-01', [])).toBe('not yet valid');
    expect(status(v('a', '2024-01-01', '2024-12-31'), '2025-01-01', [])).toBe('expired');
    expect(status(v('x', '2024-01-01'), '2025-01-01', [])).toBe('revoked');
  });

  it.each([
    ['vouches:\n  - by: a\n    for: b\n    since: 2025-01-01\n', "f.yml:2: vouches.0: 'why' is required"],
    [
      'vouches:\n  - by: a\n    for: b\n    why: x\n    since: 2025-02-30\n',
      "f.yml:5: vouches.0.since: '2025-02-30' is not a real date (YYYY-MM-DD)"
    ],
    [
      'vouches:\n  - by: a\n    for: b\n    why: x\n    since: 2025-01-01\n    until: 2026-01-01\n',
      "f.yml:6: vouches.0: unknown key 'until'"
    ],
    [
      'vouches:\n  - by: "not a login!"\n    for: b\n    why: x\n    since: 2025-01-01\n',
      'f.yml:2: vouches.0.by must match pattern'
    ],
    ['vouches: [\n', 'f.yml:1: invalid YAML']
  ])('names the file and line of a bad entry: %j', (text, message) => {
    expect(() => parseVouchFile(text, 'f.yml')).toThrow(message);
  });

  it('reads the vouch file at the base commit for a PR to the .github repository, never its own version', async () => {
    // The PR's version, and the default branch that moved on since, make alice (a maintainer) vouch for dave.
    const now = NOW;
    const world = scenarioWorld(now);
    const dot = repo('numpy/.github');
    const base = dot.commits[0].sha;
    const [head, later] = ['pr head', 'later'].map((s) => createHash('sha1').update(s).digest('hex'));
    for (const sha of [head, later])
      dot.commits.push({ sha, message: sha, author: { login: 'alice' }, parents: [base] });
    dot.branches = { main: later, 'pr-branch': head };
    const alices = { 'trust.yml': VOUCHES.replace('by: mallory', 'by: alice') };
    dot.files = { [base]: { 'trust.yml': VOUCHES }, [head]: alices, [later]: alices };
    world.repos['numpy/.github'] = dot;
    const fake = await startFakeGitHub({ world });
    try {
      const client = await createGitHubClient({ token: 't', apiUrl: fake.url, retries: 0 });
      const r = await new TrustChecker(
        clientIO(client, () => now),
        ECO,
        { repo: 'numpy/.github', baseSha: base }
      ).check('dave');
      expect(r.vouches).toMatchObject({
        ok: true,
        value: [{ vouch: { by: 'mallory' }, status: 'voucher not trusted' }]
      });
    } finally {
      await fake.close();
    }
  });

  it('a broken vouch file is not checked, and so is a path that might have gone through it', async () => {
    const fake = await startFakeGitHub({ world: scenarioWorld(NOW, 'vouches:\n  - by: alice\n') });
    try {
      const client = await createGitHubClient({ token: 't', apiUrl: fake.url, retries: 0 });
      const r = await new TrustChecker(
        clientIO(client, () => NOW),
        ECO
      ).check('newbie');
      expect(r.vouches).toEqual({ ok: false, reason: "numpy/.github/trust.yml:2: vouches.0: 'for' is required" });
      expect(r.paths.ok).toBe(false);
      expect(r.standing).toBe('unknown');
    } finally {
      await fake.close();
    }
  });
});
