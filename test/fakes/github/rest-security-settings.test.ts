// Org and repository security settings the access audit reads: fork-PR Actions
// policy, app installations, fine-grained PAT grants, webhooks, runner groups
// and runners, custom properties, security_and_analysis, Dependabot alerts,
// private vulnerability reporting and code scanning default setup. Who may read
// each follows GitHub's documentation (fine-grained permission per endpoint,
// owner/admin/member rules for users); responses are checked against the
// OpenAPI description here too.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { readFileSync } from 'node:fs';
import { responseProblems } from './openapi.mjs';
import { matchRoute } from './routes.mjs';
import { startFakeGitHub } from './server.mjs';

const rich = JSON.parse(readFileSync(new URL('./worlds/rich.json', import.meta.url), 'utf8'));
const ORG = '/orgs/scientific-python';
const REPO = '/repos/scientific-python/spec-tool';

const tokens = {
  alice: { login: 'alice' }, // org owner
  bob: { login: 'bob' }, // member, maintain on spec-tool
  dave: { login: 'dave' }, // member, admin on spec-tool through release-managers
  mallory: { login: 'mallory' }, // not a member
  alice_classic: { login: 'alice', scopes: ['repo', 'read:org', 'admin:org'] },
  alice_fg: {
    login: 'alice',
    permissions: { organization_administration: 'read', organization_personal_access_tokens: 'read' }
  },
  app_none: { login: 'audit-app[bot]', permissions: { contents: 'read' } },
  app_all: {
    login: 'audit-app[bot]',
    permissions: {
      organization_administration: 'read',
      organization_personal_access_tokens: 'read',
      organization_hooks: 'read',
      organization_self_hosted_runners: 'read',
      organization_custom_properties: 'read',
      administration: 'read'
    }
  }
};

let fake: Awaited<ReturnType<typeof startFakeGitHub>>;
beforeAll(async () => {
  fake = await startFakeGitHub({ world: { ...rich, tokens } });
});
afterAll(() => fake.close());

async function get(path: string, token?: keyof typeof tokens) {
  const res = await fetch(fake.url + path, { headers: token ? { authorization: `token ${token}` } : {} });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  const hit = matchRoute('GET', path.split('?')[0]);
  expect(hit).not.toBeNull();
  expect({ path, problems: responseProblems('GET', hit!.route.path, res.status, body) }).toEqual({
    path,
    problems: []
  });
  return { res, status: res.status, body: body as any };
}

/** Every new route with the permission GitHub documents for it (x-accepted-github-permissions). */
const ROUTES: [string, string][] = [
  [`${ORG}/actions/permissions/fork-pr-contributor-approval`, 'organization_administration=read'],
  [`${ORG}/actions/permissions/fork-pr-workflows-private-repos`, 'organization_administration=read'],
  [`${ORG}/installations`, 'organization_administration=read'],
  [`${ORG}/personal-access-tokens`, 'organization_personal_access_tokens=read'],
  [`${ORG}/hooks`, 'organization_hooks=read'],
  [`${ORG}/actions/runner-groups`, 'organization_self_hosted_runners=read'],
  [`${ORG}/actions/runner-groups/1/runners`, 'organization_self_hosted_runners=read'],
  [`${ORG}/properties/values`, 'organization_custom_properties=read'],
  [`${REPO}/vulnerability-alerts`, 'administration=read'],
  [`${REPO}/code-scanning/default-setup`, 'administration=read'],
  [`${REPO}/actions/runners`, 'administration=read']
];

describe('fine-grained permissions', () => {
  it('answers an app lacking the permission with 403 Resource not accessible by integration and names the permission', async () => {
    for (const [path, permission] of ROUTES) {
      const { res, body } = await get(path, 'app_none');
      expect({
        path,
        status: res.status,
        message: body.message,
        accepted: res.headers.get('x-accepted-github-permissions')
      }).toEqual({ path, status: 403, message: 'Resource not accessible by integration', accepted: permission });
    }
  });

  it('answers an app holding the permission', async () => {
    for (const [path] of ROUTES)
      expect({ path, status: (await get(path, 'app_all')).status }).toEqual({
        path,
        status: path.endsWith('vulnerability-alerts') ? 204 : 200
      });
  });

  it('private vulnerability reporting needs only metadata, which every app has', async () => {
    const { res, body } = await get(`${REPO}/private-vulnerability-reporting`, 'app_none');
    expect([res.status, body]).toEqual([200, { enabled: true }]);
    expect(res.headers.get('x-accepted-github-permissions')).toBe('metadata=read');
    expect((await get('/repos/scientific-python/private-tool/private-vulnerability-reporting', 'bob')).body).toEqual({
      enabled: false
    });
    // A public repository answers anonymous callers too.
    expect((await get(`${REPO}/private-vulnerability-reporting`)).status).toBe(200);
  });
});

describe('org settings GitHub shows only to owners', () => {
  const ownerOnly = [
    `${ORG}/actions/permissions/fork-pr-contributor-approval`,
    `${ORG}/actions/permissions/fork-pr-workflows-private-repos`,
    `${ORG}/installations`,
    `${ORG}/hooks`,
    `${ORG}/actions/runner-groups`,
    `${ORG}/actions/runner-groups/1/runners`
  ];

  it('are 404 to members and outsiders, and answered to owners', async () => {
    for (const path of ownerOnly) {
      expect({
        path,
        bob: (await get(path, 'bob')).status,
        mallory: (await get(path, 'mallory')).status,
        alice: (await get(path, 'alice')).status
      }).toEqual({ path, bob: 404, mallory: 404, alice: 200 });
    }
  });

  it('report the fork-PR policies, with GitHub defaults for what the world leaves out', async () => {
    expect((await get(`${ORG}/actions/permissions/fork-pr-contributor-approval`, 'alice')).body).toEqual({
      approval_policy: 'all_external_contributors'
    });
    expect((await get(`${ORG}/actions/permissions/fork-pr-workflows-private-repos`, 'alice')).body).toEqual({
      run_workflows_from_fork_pull_requests: true,
      send_write_tokens_to_workflows: false,
      send_secrets_and_variables: false,
      require_approval_for_fork_pr_workflows: true
    });
  });

  it("list installations with the org as account, webhooks with masked secrets, runner groups with GitHub's Default group", async () => {
    const inst = await get(`${ORG}/installations`, 'alice_classic');
    expect(inst.body.total_count).toBe(2);
    expect(
      inst.body.installations.map((i: any) => [
        i.app_slug,
        i.repository_selection,
        i.target_type,
        i.account.login,
        i.suspended_at
      ])
    ).toEqual([
      ['pre-commit-ci', 'all', 'Organization', 'scientific-python', null],
      ['codecov', 'selected', 'Organization', 'scientific-python', '2025-01-01T00:00:00Z']
    ]);
    const hooks = (await get(`${ORG}/hooks`, 'alice')).body;
    expect(hooks.map((h: any) => h.config)).toEqual([
      { url: 'https://ci.example.org/hook', insecure_ssl: '0', content_type: 'json', secret: '********' },
      { url: 'http://insecure.example.org/hook', insecure_ssl: '1', content_type: 'form' }
    ]);
    const groups = (await get(`${ORG}/actions/runner-groups`, 'alice')).body;
    expect(
      groups.runner_groups.map((g: any) => [g.id, g.name, g.default, g.visibility, g.allows_public_repositories])
    ).toEqual([
      [1, 'Default', true, 'all', false],
      [expect.any(Number), 'gpu', false, 'selected', true]
    ]);
    const gpu = (await get(`${ORG}/actions/runner-groups/${groups.runner_groups[1].id}/runners`, 'alice')).body;
    expect(
      gpu.runners.map((r: any) => [
        r.name,
        r.status,
        r.runner_group_id,
        r.labels.map((l: any) => `${l.name}:${l.type}`)
      ])
    ).toEqual([
      [
        'gpu-1',
        'online',
        groups.runner_groups[1].id,
        ['self-hosted:read-only', 'Linux:read-only', 'X64:read-only', 'gpu:custom']
      ],
      ['gpu-2', 'offline', groups.runner_groups[1].id, ['self-hosted:read-only', 'Linux:read-only', 'X64:read-only']]
    ]);
    expect((await get(`${ORG}/actions/runner-groups/999/runners`, 'alice')).status).toBe(404);
  });

  it('refuses a runner-group filter it cannot evaluate instead of ignoring it', async () => {
    const res = await fetch(`${fake.url}${ORG}/actions/runner-groups?visible_to_repository=spec-tool`, {
      headers: { authorization: 'token alice' }
    });
    expect(res.status).toBe(500);
  });
});

describe('custom property values', () => {
  it('are readable by members, not by outsiders', async () => {
    const { body } = await get(`${ORG}/properties/values`, 'bob');
    expect(body.map((r: any) => [r.repository_full_name, r.properties])).toEqual([
      [
        'scientific-python/spec-tool',
        [
          { property_name: 'team', value: 'infra' },
          { property_name: 'release-channels', value: ['pypi', 'conda-forge'] }
        ]
      ],
      ['scientific-python/private-tool', []],
      ['scientific-python/old-site', []]
    ]);
    expect((await get(`${ORG}/properties/values`, 'mallory')).status).toBe(404);
  });

  it('appear on org repositories as custom_properties', async () => {
    expect((await get(REPO, 'mallory')).body.custom_properties).toEqual({
      team: 'infra',
      'release-channels': ['pypi', 'conda-forge']
    });
    expect((await get('/repos/scientific-python/old-site', 'mallory')).body.custom_properties).toEqual({});
    expect((await get('/repos/alice/dotfiles', 'alice')).body).not.toHaveProperty('custom_properties');
  });
});

describe('fine-grained PAT grants', () => {
  it('are for GitHub Apps only: user tokens get 403 whoever holds them, anonymous callers 401', async () => {
    for (const t of ['alice', 'alice_classic', 'alice_fg'] as const) {
      const { status, body } = await get(`${ORG}/personal-access-tokens`, t);
      expect({ t, status, message: body.message }).toEqual({
        t,
        status: 403,
        message: 'Resource not accessible by personal access token'
      });
    }
    expect((await get(`${ORG}/personal-access-tokens`)).status).toBe(401);
  });

  it('list grants with expiry judged against the clock, filtered by owner and last use', async () => {
    const all = (await get(`${ORG}/personal-access-tokens`, 'app_all')).body;
    expect(
      all.map((g: any) => [g.owner.login, g.token_name, g.token_expired, g.repository_selection, g.token_last_used_at])
    ).toEqual([
      ['bob', 'release script', false, 'subset', '2025-05-01T00:00:00Z'],
      ['dave', 'old laptop', true, 'all', null]
    ]);
    expect(all[0].permissions).toEqual({ repository: { contents: 'write', metadata: 'read' } });
    expect(
      (await get(`${ORG}/personal-access-tokens?owner[]=dave`, 'app_all')).body.map((g: any) => g.token_name)
    ).toEqual(['old laptop']);
    expect(
      (await get(`${ORG}/personal-access-tokens?last_used_after=2025-01-01T00:00:00Z`, 'app_all')).body.map(
        (g: any) => g.token_name
      )
    ).toEqual(['release script']);
    expect(
      (await get(`${ORG}/personal-access-tokens?direction=asc`, 'app_all')).body.map((g: any) => g.token_name)
    ).toEqual(['old laptop', 'release script']);
  });
});

describe('security_and_analysis', () => {
  const sa = {
    secret_scanning: { status: 'enabled' },
    secret_scanning_push_protection: { status: 'enabled' },
    dependabot_security_updates: { status: 'disabled' }
  };

  it('is shown to repository admins (owners, admin teams) and to apps with Administration, hidden from others', async () => {
    for (const t of ['alice', 'dave', 'app_all'] as const)
      expect({ t, sa: (await get(REPO, t)).body.security_and_analysis }).toEqual({ t, sa });
    for (const t of ['bob', 'mallory', 'app_none'] as const)
      expect({ t, has: 'security_and_analysis' in (await get(REPO, t)).body }).toEqual({ t, has: false });
    expect('security_and_analysis' in (await get(REPO)).body).toBe(false);
  });

  it('follows the same rule in the org repository list', async () => {
    const seen = async (t: keyof typeof tokens) =>
      Object.fromEntries(
        (await get(`${ORG}/repos?sort=full_name`, t)).body.map((r: any) => [r.name, r.security_and_analysis ?? null])
      );
    expect(await seen('alice')).toEqual({
      'old-site': {
        secret_scanning: { status: 'disabled' },
        secret_scanning_push_protection: { status: 'disabled' },
        dependabot_security_updates: { status: 'disabled' }
      },
      'private-tool': {
        secret_scanning: { status: 'disabled' },
        secret_scanning_push_protection: { status: 'disabled' },
        dependabot_security_updates: { status: 'disabled' },
        advanced_security: { status: 'disabled' }
      },
      'spec-tool': sa
    });
    // dave reads every repository through the org's base permission but administers only spec-tool.
    expect(await seen('dave')).toEqual({ 'old-site': null, 'private-tool': null, 'spec-tool': sa });
    expect(Object.values(await seen('bob')).every((x) => x === null)).toBe(true);
  });
});

describe('repository security endpoints', () => {
  it('vulnerability-alerts: 204 when on, 404 when off, 403 for non-admin users', async () => {
    const on = await get(`${REPO}/vulnerability-alerts`, 'dave');
    expect([on.status, on.body]).toEqual([204, undefined]);
    const off = await get('/repos/scientific-python/private-tool/vulnerability-alerts', 'alice');
    expect([off.status, off.body.message]).toEqual([404, 'Vulnerability alerts are disabled.']);
    const bob = await get(`${REPO}/vulnerability-alerts`, 'bob');
    expect([bob.status, bob.body.message]).toEqual([403, 'Must have admin rights to Repository.']);
    // Octokit reads the 404 as "off".
    const octokit = getOctokit('alice', { baseUrl: fake.url });
    await expect(
      octokit.rest.repos.checkVulnerabilityAlerts({ owner: 'scientific-python', repo: 'private-tool' })
    ).rejects.toMatchObject({ status: 404 });
    expect(
      (await octokit.rest.repos.checkVulnerabilityAlerts({ owner: 'scientific-python', repo: 'spec-tool' })).status
    ).toBe(204);
  });

  it('code scanning default setup: configured, not configured, and 403 on a private repository without Advanced Security', async () => {
    expect((await get(`${REPO}/code-scanning/default-setup`, 'alice')).body).toMatchObject({
      state: 'configured',
      languages: ['actions', 'python'],
      query_suite: 'extended',
      updated_at: '2025-05-20T00:00:00Z',
      schedule: 'weekly'
    });
    expect((await get('/repos/scientific-python/old-site/code-scanning/default-setup', 'alice')).body).toMatchObject({
      state: 'not-configured',
      languages: [],
      updated_at: null,
      schedule: null
    });
    const priv = await get('/repos/scientific-python/private-tool/code-scanning/default-setup', 'alice');
    expect([priv.status, priv.body.message]).toEqual([
      403,
      'Advanced Security must be enabled for this repository to use code scanning.'
    ]);
    expect((await get(`${REPO}/code-scanning/default-setup`, 'bob')).status).toBe(403);
  });

  it('repository runners: admins only, filtered by name', async () => {
    const { body } = await get(`${REPO}/actions/runners`, 'dave');
    expect(body.total_count).toBe(1);
    expect(body.runners[0]).toMatchObject({ name: 'docs-builder', os: 'linux', status: 'online', busy: false });
    expect((await get(`${REPO}/actions/runners?name=nope`, 'dave')).body).toEqual({ total_count: 0, runners: [] });
    expect((await get(`${REPO}/actions/runners`, 'bob')).status).toBe(403);
  });
});

describe('pagination of the new lists', () => {
  let big: Awaited<ReturnType<typeof startFakeGitHub>>;
  beforeAll(async () => {
    const n = (k: number) => String(k).padStart(2, '0');
    big = await startFakeGitHub({
      world: {
        viewer: 'owner',
        orgs: {
          big: {
            members: { owner: 'admin' },
            installations: Object.fromEntries(
              Array.from({ length: 45 }, (_, i) => [`app-${n(i)}`, { permissions: { metadata: 'read' } }])
            ),
            hooks: Array.from({ length: 35 }, (_, i) => ({ url: `https://hooks.example.org/${n(i)}` })),
            pat_grants: Array.from({ length: 31 }, (_, i) => ({
              owner: 'owner',
              token_name: `t${n(i)}`,
              token_expires_at: null,
              token_last_used_at: null
            }))
          }
        },
        repos: Object.fromEntries(
          Array.from({ length: 33 }, (_, i) => [`big/r${n(i)}`, { custom_properties: { tier: String(i % 3) } }])
        ),
        tokens: {
          t: { login: 'owner' },
          app: { login: 'a[bot]', permissions: { organization_personal_access_tokens: 'read' } }
        }
      }
    });
  });
  afterAll(() => big.close());

  it('walks installations, hooks, property values and PAT grants with octokit.paginate', async () => {
    const octokit = getOctokit('t', { baseUrl: big.url });
    expect((await octokit.paginate('GET /orgs/{org}/installations', { org: 'big', per_page: 20 })).length).toBe(45);
    expect(
      (await octokit.paginate('GET /orgs/{org}/hooks', { org: 'big', per_page: 10 }))
        .map((h: any) => h.config.url)
        .at(-1)
    ).toBe('https://hooks.example.org/34');
    expect((await octokit.paginate('GET /orgs/{org}/properties/values', { org: 'big' })).length).toBe(33);
    const app = getOctokit('app', { baseUrl: big.url });
    expect((await app.paginate('GET /orgs/{org}/personal-access-tokens', { org: 'big', per_page: 30 })).length).toBe(
      31
    );
    const page = await fetch(`${big.url}/orgs/big/hooks?per_page=30`, { headers: { authorization: 'token t' } });
    expect(page.headers.get('link')).toBe(
      `<${big.url}/orgs/big/hooks?per_page=30&page=2>; rel="next", <${big.url}/orgs/big/hooks?per_page=30&page=2>; rel="last"`
    );
  });
});
