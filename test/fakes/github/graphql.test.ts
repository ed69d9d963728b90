// The fake's GraphQL endpoint: queries are validated against GitHub's real
// schema (validateGraphQL is exported for action tests), executed over the
// world, and charged against the GraphQL rate limit by GitHub's cost formula.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { readFileSync } from 'node:fs';
import { validateGraphQL } from './graphql-schema.mjs';
import { startFakeGitHub } from './server.mjs';

const world = JSON.parse(readFileSync(new URL('./worlds/rich.json', import.meta.url), 'utf8'));

const ORG_AUDIT = `query($login: String!, $after: String) {
  organization(login: $login) {
    login
    requiresTwoFactorAuthentication
    membersWithRole(first: 100) { totalCount edges { role hasTwoFactorEnabled node { login createdAt } } }
    teams(first: 50) { nodes { slug privacy members(first: 100) { edges { role node { login } } } } }
    repositories(first: 2, after: $after, orderBy: { field: NAME, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes { nameWithOwner isArchived isFork isPrivate defaultBranchRef { name target { oid } } }
    }
  }
}`;

const REPO_AUDIT = `query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    viewerPermission
    branchProtectionRules(first: 10) { nodes { pattern requiresApprovingReviews requiredApprovingReviewCount requiresCommitSignatures isAdminEnforced } }
    rulesets(first: 10) {
      nodes {
        name enforcement target
        conditions { refName { include exclude } }
        rules(first: 20) {
          nodes {
            type
            parameters {
              ... on PullRequestParameters { requiredApprovingReviewCount dismissStaleReviewsOnPush }
              ... on RequiredStatusChecksParameters { strictRequiredStatusChecksPolicy requiredStatusChecks { context integrationId } }
            }
          }
        }
      }
    }
    environments(first: 10) {
      nodes {
        name
        protectionRules(first: 10) {
          nodes { type timeout preventSelfReview reviewers(first: 10) { nodes { __typename ... on User { login } ... on Team { slug } } } }
        }
      }
    }
    collaborators(first: 100) { edges { permission node { login } } }
    object(expression: "main:pyproject.toml") { ... on Blob { text } }
    defaultBranchRef { target { ... on Commit { signature { isValid state signer { login } } history(first: 10) { totalCount nodes { oid } } } } }
  }
}`;

const CONTRIBUTOR = `query($login: String!) {
  user(login: $login) {
    login createdAt
    contributionsCollection { totalCommitContributions totalPullRequestContributions }
    pullRequests(first: 10, states: [MERGED]) { totalCount }
  }
}`;

describe('GraphQL validation', () => {
  it('accepts the queries the actions send', () => {
    for (const q of [ORG_AUDIT, REPO_AUDIT, CONTRIBUTOR, '{ viewer { login } rateLimit { cost remaining resetAt } }']) {
      expect(validateGraphQL(q)).toEqual([]);
    }
  });

  it('reports unknown fields exactly as graphql-js does', () => {
    expect(validateGraphQL('{ organization(login: "x") { login twoFactorRequired } }')).toEqual([
      'Cannot query field "twoFactorRequired" on type "Organization".'
    ]);
    expect(validateGraphQL('{ viewer { login ')).toEqual(['Syntax Error: Expected Name, found <EOF>.']);
  });

  it("applies GitHub's connection limits, including through variables", () => {
    expect(validateGraphQL('{ viewer { repositories { totalCount } } }')).toEqual([
      'You must provide a `first` or `last` value to properly paginate the `repositories` connection.'
    ]);
    const q = 'query($n: Int) { viewer { repositories(first: $n) { totalCount } } }';
    expect(validateGraphQL(q)).toEqual([]);
    expect(validateGraphQL(q, { n: 101 })).toEqual([
      'Requesting 101 records on the `repositories` connection exceeds the `first` limit of 100 records.'
    ]);
  });
});

describe('GraphQL execution', () => {
  let fake: Awaited<ReturnType<typeof startFakeGitHub>>;
  let octokit: ReturnType<typeof getOctokit>;
  const post = async (query: string, variables?: object, token = 'any') => {
    const res = await fetch(fake.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `bearer ${token}` },
      body: JSON.stringify({ query, variables })
    });
    return { res, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    fake = await startFakeGitHub({
      world: {
        ...world,
        tokens: {
          any: { login: 'alice' },
          ghs_app: { login: 'github-actions[bot]', permissions: { contents: 'read' } }
        }
      }
    });
    octokit = getOctokit('any', { baseUrl: fake.url });
  });
  afterAll(() => fake.close());

  it('answers an org audit, paginating repositories by cursor', async () => {
    const repos: any[] = [];
    let after: string | null = null;
    let first: any;
    do {
      const page: any = await octokit.graphql(ORG_AUDIT, { login: 'scientific-python', after });
      first ??= page;
      repos.push(...page.organization.repositories.nodes);
      after = page.organization.repositories.pageInfo.hasNextPage
        ? page.organization.repositories.pageInfo.endCursor
        : null;
    } while (after);
    expect(repos.map((r) => [r.nameWithOwner, r.isArchived, r.isPrivate])).toEqual([
      ['scientific-python/old-site', true, false],
      ['scientific-python/private-tool', false, true],
      ['scientific-python/spec-tool', false, false]
    ]);
    expect(repos[2].defaultBranchRef).toEqual({ name: 'main', target: { oid: 'c'.repeat(40) } });
    const org = first.organization;
    expect(org.requiresTwoFactorAuthentication).toBe(true);
    expect(org.membersWithRole.edges.map((e: any) => [e.node.login, e.role, e.hasTwoFactorEnabled])).toEqual([
      ['alice', 'ADMIN', true],
      ['bob', 'MEMBER', false],
      ['dave', 'MEMBER', true],
      ['erin', 'MEMBER', true]
    ]);
    expect(org.teams.nodes.map((t: any) => [t.slug, t.privacy, t.members.edges.length])).toEqual([
      ['maintainers', 'VISIBLE', 3],
      ['release-managers', 'SECRET', 1]
    ]);
  });

  it('answers a repository audit from protection, rulesets, environments and collaborators', async () => {
    const { repository: r }: any = await octokit.graphql(REPO_AUDIT, { owner: 'scientific-python', name: 'spec-tool' });
    expect(r.viewerPermission).toBe('ADMIN');
    expect(r.branchProtectionRules.nodes[0]).toEqual({
      pattern: 'main',
      requiresApprovingReviews: true,
      requiredApprovingReviewCount: 2,
      requiresCommitSignatures: true,
      isAdminEnforced: true
    });
    const active = r.rulesets.nodes[0];
    expect([active.name, active.enforcement, active.conditions.refName.include]).toEqual([
      'protect-default',
      'ACTIVE',
      ['~DEFAULT_BRANCH']
    ]);
    expect(active.rules.nodes.find((n: any) => n.type === 'PULL_REQUEST').parameters).toEqual({
      requiredApprovingReviewCount: 1,
      dismissStaleReviewsOnPush: true
    });
    expect(
      active.rules.nodes.find((n: any) => n.type === 'REQUIRED_STATUS_CHECKS').parameters.requiredStatusChecks
    ).toEqual([{ context: 'tests', integrationId: 15368 }]);
    const pypi = r.environments.nodes.find((e: any) => e.name === 'pypi');
    expect(pypi.protectionRules.nodes.map((p: any) => p.type)).toEqual([
      'WAIT_TIMER',
      'REQUIRED_REVIEWERS',
      'BRANCH_POLICY'
    ]);
    expect(pypi.protectionRules.nodes[1].reviewers.nodes).toEqual([
      { __typename: 'User', login: 'alice' },
      { __typename: 'Team', slug: 'release-managers' }
    ]);
    expect(Object.fromEntries(r.collaborators.edges.map((e: any) => [e.node.login, e.permission]))).toEqual({
      alice: 'ADMIN',
      bob: 'MAINTAIN',
      carol: 'WRITE',
      dave: 'ADMIN',
      erin: 'READ'
    });
    expect(r.object.text).toContain('version = "1.0.0"');
    expect(r.defaultBranchRef.target.signature).toEqual({ isValid: true, state: 'VALID', signer: { login: 'alice' } });
    expect(r.defaultBranchRef.target.history.totalCount).toBe(3);
  });

  it('answers object(expression:) with a Tree for a directory and Blobs for its files', async () => {
    const q = `query($o: String!, $n: String!) { repository(owner: $o, name: $n) {
      wf: object(expression: "HEAD:.github/workflows") { __typename ... on Tree { oid entries { name path type object { __typename ... on Blob { text byteSize isBinary } } } } }
      root: object(expression: "HEAD:") { ... on Tree { entries { name type } } }
      none: object(expression: "HEAD:.github/nothing") { __typename }
    } }`;
    expect(validateGraphQL(q)).toEqual([]);
    const { repository: r }: any = await octokit.graphql(q, { o: 'scientific-python', n: 'spec-tool' });
    const text = world.repos['scientific-python/spec-tool'].files.main['.github/workflows/release.yml'];
    expect(r.wf.__typename).toBe('Tree');
    expect(r.wf.oid).toMatch(/^[0-9a-f]{40}$/);
    expect(r.wf.entries).toEqual([
      {
        name: 'release.yml',
        path: '.github/workflows/release.yml',
        type: 'blob',
        object: { __typename: 'Blob', text, byteSize: Buffer.byteLength(text), isBinary: false }
      }
    ]);
    // Git orders entries by name, directories as if followed by '/'.
    expect(r.root.entries).toEqual([
      { name: '.github', type: 'tree' },
      { name: 'README.md', type: 'blob' },
      { name: 'pyproject.toml', type: 'blob' },
      { name: 'src', type: 'tree' }
    ]);
    expect(r.none).toBeNull();
  });

  it('answers user and contribution questions', async () => {
    const bob: any = await octokit.graphql(CONTRIBUTOR, { login: 'bob' });
    expect(bob.user.createdAt).toBe('2015-06-20T12:00:00Z');
    expect(bob.user.pullRequests.totalCount).toBe(1);
    const mallory: any = await octokit.graphql(CONTRIBUTOR, { login: 'mallory' });
    expect(mallory.user.contributionsCollection).toEqual({
      totalCommitContributions: 0,
      totalPullRequestContributions: 1
    });
  });

  it('returns validation errors with 200 and no data, as GitHub does', async () => {
    const { res, body } = await post('{ organization(login: "scientific-python") { login twoFactorRequired } }');
    expect(res.status).toBe(200);
    expect(body).toEqual({
      errors: [expect.objectContaining({ message: 'Cannot query field "twoFactorRequired" on type "Organization".' })]
    });
    const paging = await post('{ organization(login: "scientific-python") { repositories { totalCount } } }');
    expect(paging.body.errors[0]).toMatchObject({
      type: 'MISSING_PAGINATION_BOUNDARIES',
      path: ['organization', 'repositories']
    });
  });

  it('answers missing data with null and a NOT_FOUND error', async () => {
    const { body } = await post('{ repository(owner: "scientific-python", name: "nope") { name } }');
    expect(body).toEqual({
      data: { repository: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          locations: [{ line: 1, column: 3 }],
          message: "Could not resolve to a Repository with the name 'scientific-python/nope'."
        }
      ]
    });
    const empty = await post(
      '{ repository(owner: "scientific-python", name: "spec-tool") { latestRelease { tagName } release(tagName: "v9") { tagName } } }'
    );
    expect(empty.body).toEqual({ data: { repository: { latestRelease: { tagName: 'v1.0.0' }, release: null } } });
  });

  it('names fields and arguments the fake does not implement instead of returning null or ignoring them', async () => {
    const { body } = await post(
      '{ repository(owner: "scientific-python", name: "spec-tool") { name stargazerCount } }'
    );
    expect(body.errors[0].message).toBe('The fake GitHub does not implement Repository.stargazerCount');
    const arg = await post(
      '{ repository(owner: "scientific-python", name: "spec-tool") { issues(first: 5, filterBy: { createdBy: "bob" }) { totalCount } } }'
    );
    expect(arg.body.errors[0].message).toBe(
      'The fake GitHub does not implement argument "filterBy" of Repository.issues'
    );
  });

  it('charges query cost to the graphql rate limit and reports it', async () => {
    const before = await post('{ rateLimit { cost remaining used } }');
    const remaining = Number(before.res.headers.get('x-ratelimit-remaining'));
    expect(before.res.headers.get('x-ratelimit-resource')).toBe('graphql');
    expect(before.body.data.rateLimit).toEqual({ cost: 1, remaining, used: 5000 - remaining });
    // 1 + 100 + 100*100 requests for the three nested connections: cost 101.
    const nested = `{ rateLimit { cost nodeCount } organization(login: "scientific-python") {
      repositories(first: 100) { nodes { refs(first: 100, refPrefix: "refs/heads/") { nodes { target { ... on Commit { history(first: 10) { totalCount } } } } } } } } }`;
    const { res, body } = await post(nested);
    expect(body.data.rateLimit).toEqual({ cost: 101, nodeCount: 100 + 100 * 100 + 100 * 100 * 10 });
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBe(remaining - 101);
  });

  it("rate limited, anonymous and integration callers get GitHub's answers", async () => {
    const limited = await startFakeGitHub({ world: { ...world, rate_limit: { graphql: { remaining: 0 } } } });
    try {
      const res = await fetch(limited.graphqlUrl, {
        method: 'POST',
        headers: { authorization: 'bearer t' },
        body: JSON.stringify({ query: '{ viewer { login } }' })
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(((await res.json()) as any).errors[0]).toMatchObject({
        type: 'RATE_LIMITED',
        message: expect.stringMatching(/^API rate limit exceeded for user ID \d+\.$/)
      });
    } finally {
      await limited.close();
    }
    const anon = await fetch(fake.graphqlUrl, {
      method: 'POST',
      body: JSON.stringify({ query: '{ viewer { login } }' })
    });
    expect(anon.status).toBe(401);
    expect((await post('{ viewer { login } }', undefined, 'ghs_app')).body.errors[0]).toMatchObject({
      type: 'FORBIDDEN',
      message: 'Resource not accessible by integration'
    });
  });
});

describe('GraphQL fields the access audit reads', () => {
  let fake: Awaited<ReturnType<typeof startFakeGitHub>>;
  const tokens = {
    alice: { login: 'alice' },
    bob: { login: 'bob' },
    dave: { login: 'dave' },
    erin: { login: 'erin' },
    app_admin: {
      login: 'audit-app[bot]',
      permissions: { organization_administration: 'read', administration: 'read' }
    },
    app_contents: { login: 'audit-app[bot]', permissions: { contents: 'read' } }
  };
  const post = async (query: string, token: keyof typeof tokens, variables?: Record<string, unknown>) => {
    expect(validateGraphQL(query, variables)).toEqual([]);
    const res = await fetch(fake.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `bearer ${token}` },
      body: JSON.stringify({ query, variables })
    });
    return (await res.json()) as any;
  };
  beforeAll(async () => {
    const orgs = {
      ...world.orgs,
      'free-org': { members: { alice: 'admin' }, audit_log: [{ actor: 'alice', action: 'org.create' }] }
    };
    fake = await startFakeGitHub({ world: { ...world, orgs, tokens } });
  });
  afterAll(() => fake.close());

  const AUDIT = `query($login: String!, $q: String, $after: String) {
    organization(login: $login) {
      auditLog(first: 2, after: $after, query: $q) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { __typename ... on AuditEntry { action actorLogin createdAt actor { ... on User { login } } } }
      }
    }
  }`;

  it('auditLog: entries typed by action, newest first, paginated, filtered by actor and date', async () => {
    const first = await post(AUDIT, 'alice', { login: 'scientific-python' });
    expect(first.errors).toBeUndefined();
    const log = first.data.organization.auditLog;
    expect(log.totalCount).toBe(3);
    expect(log.nodes).toEqual([
      {
        __typename: 'OrgAddMemberAuditEntry',
        action: 'org.add_member',
        actorLogin: 'alice',
        createdAt: '2025-05-01T10:00:00Z',
        actor: { login: 'alice' }
      },
      {
        __typename: 'RepoAccessAuditEntry',
        action: 'repo.access',
        actorLogin: 'bob',
        createdAt: '2025-03-01T09:00:00Z',
        actor: { login: 'bob' }
      }
    ]);
    const next = await post(AUDIT, 'alice', { login: 'scientific-python', after: log.pageInfo.endCursor });
    expect(next.data.organization.auditLog.nodes.map((n: any) => n.__typename)).toEqual(['TeamAddMemberAuditEntry']);
    const actor = await post(AUDIT, 'alice', { login: 'scientific-python', q: 'actor:alice' });
    expect(actor.data.organization.auditLog.nodes.map((n: any) => n.action)).toEqual([
      'org.add_member',
      'team.add_member'
    ]);
    const recent = await post(AUDIT, 'alice', { login: 'scientific-python', q: 'actor:alice created:>=2025-01-01' });
    expect(recent.data.organization.auditLog.totalCount).toBe(1);
    const bad = await post(AUDIT, 'alice', { login: 'scientific-python', q: 'operation:create' });
    expect(bad.errors[0]).toMatchObject({ type: 'INVALID_ARGUMENTS', path: ['organization', 'auditLog'] });
  });

  it('auditLog: apps need organization administration, users must be owners', async () => {
    expect((await post(AUDIT, 'app_admin', { login: 'scientific-python' })).data.organization.auditLog.totalCount).toBe(
      3
    );
    const app = await post(AUDIT, 'app_contents', { login: 'scientific-python' });
    expect(app).toMatchObject({
      data: { organization: null },
      errors: [
        { type: 'FORBIDDEN', path: ['organization', 'auditLog'], message: 'Resource not accessible by integration' }
      ]
    });
    const member = await post(AUDIT, 'bob', { login: 'scientific-python' });
    expect(member).toMatchObject({
      data: { organization: null },
      errors: [{ type: 'FORBIDDEN', path: ['organization', 'auditLog'] }]
    });
  });

  it('auditLog: only GitHub Enterprise Cloud orgs have one; others get a FORBIDDEN error there', async () => {
    const free = await post(AUDIT, 'alice', { login: 'free-org' });
    // auditLog is non-null, so the error nulls the organization, as graphql-js (and GitHub) propagate it.
    expect(free).toEqual({
      data: { organization: null },
      errors: [
        {
          type: 'FORBIDDEN',
          path: ['organization', 'auditLog'],
          locations: [expect.any(Object)],
          message: 'The audit log API is only available to organizations on GitHub Enterprise Cloud.'
        }
      ]
    });
  });

  const ALERTS = '{ repository(owner: "scientific-python", name: "spec-tool") { hasVulnerabilityAlertsEnabled } }';

  it('hasVulnerabilityAlertsEnabled: for push/admin users and apps with Administration; FORBIDDEN otherwise', async () => {
    for (const t of ['alice', 'bob', 'dave', 'app_admin'] as const) {
      expect({ t, data: (await post(ALERTS, t)).data }).toEqual({
        t,
        data: { repository: { hasVulnerabilityAlertsEnabled: true } }
      });
    }
    const priv = await post(
      '{ repository(owner: "scientific-python", name: "private-tool") { hasVulnerabilityAlertsEnabled } }',
      'alice'
    );
    expect(priv.data.repository.hasVulnerabilityAlertsEnabled).toBe(false);
    for (const t of ['erin', 'app_contents'] as const) {
      const { data, errors } = await post(ALERTS, t);
      expect({ t, data, error: errors[0] }).toMatchObject({
        t,
        data: { repository: null },
        error: { type: 'FORBIDDEN', path: ['repository', 'hasVulnerabilityAlertsEnabled'] }
      });
    }
  });

  it('reports signed-commit requirements from classic protection and rulesets, and who authored default-branch history', async () => {
    const q = `{ repository(owner: "scientific-python", name: "spec-tool") {
      branchProtectionRules(first: 5) { nodes { pattern requiresCommitSignatures } }
      rulesets(first: 5) { nodes { name rules(first: 10) { nodes { type } } } }
      defaultBranchRef { target { ... on Commit { history(first: 10, since: "2025-01-01T00:00:00Z") { nodes { author { user { login } } } } } } }
    } }`;
    const { data, errors } = await post(q, 'alice');
    expect(errors).toBeUndefined();
    expect(data.repository.branchProtectionRules.nodes).toEqual([
      { pattern: 'main', requiresCommitSignatures: true },
      { pattern: 'release/*', requiresCommitSignatures: false }
    ]);
    expect(data.repository.rulesets.nodes[0].rules.nodes.map((r: any) => r.type)).toContain('REQUIRED_SIGNATURES');
    expect(data.repository.defaultBranchRef.target.history.nodes).toEqual([
      { author: { user: { login: 'alice' } } },
      { author: { user: { login: 'bob' } } }
    ]);
  });
});
