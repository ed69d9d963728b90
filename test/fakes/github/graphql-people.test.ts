// The fake's model of people's history, as contributor trust reads it: issue
// search in GraphQL (GitHub's query language, OR across repo/org/user
// qualifiers, reviewed-by, sort), PR reviews with the reviewer's push access,
// PR commits with signing keys, contributions by repository, and public
// versus concealed organisation memberships in GraphQL and REST.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeGitHub } from './server.mjs';
import { normalizeWorld } from './world.mjs';
import { pull, repo } from '../../helpers/trust-world.mjs';

const AT = '2025-05-01T00:00:00Z';

function world() {
  const numpy = repo('numpy/numpy', { collaborators: { alice: 'push' } });
  const scipy = repo('scipy/scipy');
  pull('numpy/numpy', numpy, { user: 'bob', mergedBy: 'alice', at: AT, approvers: ['alice', 'carol'], key: 'KEY1' });
  pull('numpy/numpy', numpy, { user: 'bob', mergedBy: 'alice', at: '2025-06-01T00:00:00Z' });
  pull('scipy/scipy', scipy, { user: 'bob', mergedBy: 'carol', at: '2024-01-01T00:00:00Z' });
  numpy.pulls[1].reviews.push({ user: 'dave', state: 'PENDING' });
  return {
    viewer: 'viewer',
    tokens: { any: { login: 'viewer' }, self: { login: 'bob' } },
    users: { viewer: {}, bob: { created_at: '2019-01-01T00:00:00Z' } },
    orgs: { numpy: { members: { alice: { role: 'admin', public: true }, bob: 'member' } }, scipy: {} },
    repos: {
      'numpy/numpy': numpy,
      'scipy/scipy': scipy,
      'bob/numpy': { parent: 'numpy/numpy', commits: numpy.commits, branches: numpy.branches }
    }
  };
}

describe('fake GitHub: people and their history', () => {
  let gh: Awaited<ReturnType<typeof startFakeGitHub>>;
  const gql = async (query: string, token = 'any') => {
    const res = await fetch(`${gh.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `token ${token}` },
      body: JSON.stringify({ query })
    });
    return res.json() as Promise<{ data?: any; errors?: { message: string; type?: string }[] }>;
  };

  beforeAll(async () => {
    gh = await startFakeGitHub({ world: world() });
  });
  afterAll(() => gh.close());

  it('searches issues and PRs: several org/repo qualifiers select their union, newest first unless sorted', async () => {
    const r = await gql(`{
      both: search(query: "is:pr is:merged author:bob org:numpy repo:scipy/scipy", type: ISSUE, first: 10) {
        issueCount nodes { ... on PullRequest { number repository { nameWithOwner } mergedAt } } }
      oldest: search(query: "is:pr author:bob org:numpy org:scipy sort:created-asc", type: ISSUE, first: 1) {
        issueCount nodes { ... on PullRequest { repository { nameWithOwner } } } }
      none: search(query: "is:pr author:bob org:other", type: ISSUE, first: 1) { issueCount }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.both.issueCount).toBe(3);
    expect(r.data.both.nodes.map((n: any) => n.mergedAt)).toEqual(['2025-06-01T00:00:00Z', AT, '2024-01-01T00:00:00Z']);
    expect(r.data.oldest.nodes[0].repository.nameWithOwner).toBe('scipy/scipy');
    expect(r.data.none.issueCount).toBe(0);
  });

  it('finds the PRs someone reviewed, and refuses what it does not implement', async () => {
    const r = await gql(`{ s: search(query: "is:pr reviewed-by:carol", type: ISSUE, first: 5) { issueCount } }`);
    expect(r.data.s.issueCount).toBe(1);
    const pending = await gql(`{ s: search(query: "is:pr reviewed-by:dave", type: ISSUE, first: 5) { issueCount } }`);
    expect(pending.data.s.issueCount).toBe(0);
    const users = await gql(`{ s: search(query: "bob", type: USER, first: 5) { userCount } }`);
    expect(users.errors?.[0].message).toBe('The fake GitHub does not implement search type USER');
    const neg = await gql(`{ s: search(query: "is:pr -org:numpy", type: ISSUE, first: 5) { issueCount } }`);
    expect(neg.errors?.[0]).toMatchObject({ type: 'INVALID_ARGUMENTS' });
  });

  it('gives each review its author and push access, hides pending ones, and lists the PR’s own commits with their key', async () => {
    const r = await gql(`{ repository(owner: "numpy", name: "numpy") {
      p1: pullRequest(number: 1) {
        mergedBy { login }
        reviews(first: 10) { nodes { author { login } state authorCanPushToRepository submittedAt } }
        approved: reviews(first: 10, states: [APPROVED], author: "carol") { totalCount }
        commits(first: 10) { nodes { commit { author { user { login } } signature { isValid ... on GpgSignature { keyId } } } } }
      }
      p2: pullRequest(number: 2) { reviews(first: 10) { totalCount } commits(last: 1) { nodes { commit { signature { isValid } } } } }
    } }`);
    expect(r.errors).toBeUndefined();
    const p1 = r.data.repository.p1;
    expect(p1.reviews.nodes).toEqual([
      { author: { login: 'alice' }, state: 'APPROVED', authorCanPushToRepository: true, submittedAt: AT },
      { author: { login: 'carol' }, state: 'APPROVED', authorCanPushToRepository: false, submittedAt: AT }
    ]);
    expect(p1.approved.totalCount).toBe(1);
    expect(p1.commits.nodes).toEqual([
      { commit: { author: { user: { login: 'bob' } }, signature: { isValid: true, keyId: 'KEY1' } } }
    ]);
    expect(r.data.repository.p2.reviews.totalCount).toBe(0);
    expect(r.data.repository.p2.commits.nodes).toEqual([{ commit: { signature: null } }]);
  });

  it('counts contributions by repository over a year, not in forks, most first', async () => {
    const r = await gql(`{ user(login: "bob") {
      c: contributionsCollection(from: "2025-01-01T00:00:00Z", to: "2025-12-31T23:59:59Z") {
        totalCommitContributions totalPullRequestContributions
        commitContributionsByRepository(maxRepositories: 10) { repository { nameWithOwner } contributions(first: 1) { totalCount } }
        pullRequestContributionsByRepository(maxRepositories: 10) { repository { nameWithOwner } contributions(first: 5) { totalCount nodes { occurredAt } } }
      }
      reviewer: contributionsCollection(from: "2025-01-01T00:00:00Z", to: "2025-12-31T23:59:59Z") { totalPullRequestReviewContributions }
    } alice: user(login: "alice") { contributionsCollection(from: "2025-01-01T00:00:00Z", to: "2025-12-31T23:59:59Z") {
        pullRequestReviewContributionsByRepository(maxRepositories: 5) { repository { nameWithOwner } contributions(first: 1) { totalCount } } } }
    }`);
    expect(r.errors).toBeUndefined();
    const c = r.data.user.c;
    expect([c.totalCommitContributions, c.totalPullRequestContributions]).toEqual([2, 2]);
    expect(c.commitContributionsByRepository).toEqual([
      { repository: { nameWithOwner: 'numpy/numpy' }, contributions: { totalCount: 2 } }
    ]);
    expect(c.pullRequestContributionsByRepository[0].contributions).toEqual({
      totalCount: 2,
      nodes: [{ occurredAt: '2025-06-01T00:00:00Z' }, { occurredAt: AT }]
    });
    expect(r.data.alice.contributionsCollection.pullRequestReviewContributionsByRepository).toEqual([
      { repository: { nameWithOwner: 'numpy/numpy' }, contributions: { totalCount: 1 } }
    ]);
    const tooMany = await gql(
      `{ user(login: "bob") { contributionsCollection { commitContributionsByRepository(maxRepositories: 101) { url } } } }`
    );
    expect(tooMany.errors?.[0]).toMatchObject({ type: 'INVALID_ARGUMENTS' });
  });

  it('shows concealed memberships only to the member, fellow members and owners, and REST lists public ones only', async () => {
    const q = '{ user(login: "bob") { organizations(first: 10) { nodes { login } } } }';
    expect((await gql(q)).data.user.organizations.nodes).toEqual([]);
    expect((await gql(q, 'self')).data.user.organizations.nodes).toEqual([{ login: 'numpy' }]);
    const rest = async (login: string) =>
      (await (await fetch(`${gh.url}/users/${login}/orgs`, { headers: { authorization: 'token self' } })).json()) as {
        login: string;
      }[];
    expect((await rest('bob')).map((o) => o.login)).toEqual([]);
    expect((await rest('alice')).map((o) => o.login)).toEqual(['numpy']);
  });

  it('rejects a review state GitHub does not have', () => {
    const w = world();
    w.repos['numpy/numpy'].pulls[0].reviews[0].state = 'LGTM';
    expect(() => normalizeWorld(w)).toThrow(
      /reviews\[0\]\.state must be APPROVED\|CHANGES_REQUESTED\|COMMENTED\|DISMISSED\|PENDING/
    );
  });
});
