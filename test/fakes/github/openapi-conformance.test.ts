// Holds the fake's REST answers to GitHub's OpenAPI description: every route is
// a documented operation, and every response (success and error) validates
// against that operation's schema without undeclared properties.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { operation, requestProblems, responseProblems } from './openapi.mjs';
import { DOCS, matchRoute, routes } from './routes.mjs';
import { startFakeGitHub } from './server.mjs';

const rich = JSON.parse(readFileSync(new URL('./worlds/rich.json', import.meta.url), 'utf8'));
// `any` acts as alice (an owner) with her full access, as without world tokens; `ghs_audit` is a GitHub App
// installation for the routes only apps may call.
// One published and one draft advisory with a private fork, and a dependency graph, for the advisory and SBOM routes.
const advised = structuredClone(rich);
Object.assign(advised.repos['scientific-python/spec-tool'], {
  security_advisories: [
    {
      ghsa_id: 'GHSA-2222-3333-4444',
      summary: 'Path traversal in the loader',
      description: 'Crafted archives write outside the target.',
      severity: 'high',
      state: 'published',
      author: 'alice',
      cve_id: 'CVE-2025-0001',
      published_at: '2025-05-01T00:00:00Z',
      cwe_ids: ['CWE-22'],
      credits: [{ login: 'carol', type: 'finder' }],
      vulnerabilities: [
        {
          package: { ecosystem: 'pip', name: 'spec-tool' },
          vulnerable_version_range: '< 1.0.0',
          patched_versions: '1.0.0'
        }
      ]
    },
    {
      ghsa_id: 'GHSA-5555-6666-7777',
      summary: 'Draft',
      state: 'draft',
      private_fork: true,
      collaborating_users: ['dave'],
      collaborating_teams: ['maintainers']
    }
  ],
  dependency_graph: {
    packages: [
      { name: 'packaging', version: '24.0' },
      { name: 'numpy', version: '>= 1.26' }
    ]
  }
});
// Two code security configurations: an enforced baseline and an unenforced one a repository admin departed from.
advised.orgs['scientific-python'].code_security_configurations = [
  { name: 'baseline', enforcement: 'enforced', private_vulnerability_reporting: 'enabled' },
  { name: 'pilot', private_vulnerability_reporting: 'enabled', code_scanning_default_setup: 'disabled' }
];
advised.repos['scientific-python/spec-tool'].security_configuration = { configuration: 'baseline' };
advised.repos['scientific-python/old-site'].security_configuration = { configuration: 'pilot', status: 'removed' };
advised.repos['scientific-python/private-tool'].security_configuration = { configuration: 'baseline' };
const world = {
  ...advised,
  tokens: {
    any: { login: 'alice' },
    ghs_audit: {
      login: 'audit-app[bot]',
      permissions: { organization_personal_access_tokens: 'read', administration: 'read' }
    }
  }
};
const REPO = '/repos/scientific-python/spec-tool';

type Recorded = { method: string; path: string; status: number; body: unknown; sent?: unknown };

describe('fake GitHub REST conformance with @octokit/openapi', () => {
  let fake: Awaited<ReturnType<typeof startFakeGitHub>>;
  const recorded: Recorded[] = [];

  async function call(
    method: string,
    path: string,
    init: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}
  ) {
    const res = await fetch(fake.url + path, {
      method,
      redirect: 'manual',
      headers: { authorization: 'token any', accept: 'application/vnd.github+json', ...init.headers },
      body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body))
    });
    const text = await res.text();
    const body = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text || undefined;
    recorded.push({ method, path, status: res.status, body, sent: init.body });
    return { status: res.status, body: body as any };
  }

  beforeAll(async () => {
    // It sends what GitHub refuses on purpose, to hold the fake's refusals to the description too.
    fake = await startFakeGitHub({ world, contract: 'responses' });
    const get = (path: string, headers?: Record<string, string>) => call('GET', path, { headers });

    await get('/rate_limit');
    await get('/user');
    for (const u of ['alice', 'scientific-python', 'dependabot%5Bbot%5D', 'nobody']) await get(`/users/${u}`);
    for (const u of ['alice', 'nobody']) await get(`/users/${u}/orgs`);
    for (const o of ['scientific-python', 'nope']) await get(`/orgs/${o}`);
    for (const q of ['', '?filter=2fa_disabled', '?filter=2fa_insecure&role=member', '?role=admin']) {
      await get(`/orgs/scientific-python/members${q}`);
    }
    for (const o of ['scientific-python', 'nope']) {
      await get(`/orgs/${o}/actions/permissions`);
      await get(`/orgs/${o}/actions/permissions/workflow`);
      await get(`/orgs/${o}/actions/permissions/fork-pr-contributor-approval`);
      await get(`/orgs/${o}/actions/permissions/fork-pr-workflows-private-repos`);
      await get(`/orgs/${o}/installations`);
      await get(`/orgs/${o}/hooks`);
      await get(`/orgs/${o}/properties/values`);
    }
    await get('/orgs/scientific-python/installations?per_page=1&page=2');
    const app = { authorization: 'token ghs_audit' };
    for (const q of ['', '?owner[]=bob', '?direction=asc&per_page=1', '?last_used_after=2025-01-01T00:00:00Z']) {
      await get(`/orgs/scientific-python/personal-access-tokens${q}`, app);
    }
    await get('/orgs/scientific-python/personal-access-tokens');
    const groups = await get('/orgs/scientific-python/actions/runner-groups');
    for (const g of groups.body.runner_groups)
      await get(`/orgs/scientific-python/actions/runner-groups/${g.id}/runners`);
    await get('/orgs/scientific-python/actions/runner-groups/999/runners');
    const configs = await get('/orgs/scientific-python/code-security/configurations?per_page=1');
    await get('/orgs/scientific-python/code-security/configurations?target_type=global');
    await get('/orgs/nope/code-security/configurations');
    for (const q of ['', '?status=enforced&per_page=1', '?status=removed,attached', '?status=bogus'])
      await get(`/orgs/scientific-python/code-security/configurations/${configs.body[0].id}/repositories${q}`);
    await get('/orgs/scientific-python/code-security/configurations/1/repositories');
    await get('/orgs/scientific-python/outside_collaborators');
    await get('/orgs/scientific-python/outside_collaborators?filter=2fa_insecure');
    await get('/orgs/scientific-python/repos');
    await get('/orgs/scientific-python/repos?type=private&sort=full_name');
    await get('/orgs/scientific-python/teams');
    for (const t of [
      'maintainers/members',
      'maintainers/members?role=maintainer',
      'release-managers/members',
      'nope/members'
    ]) {
      await get(`/orgs/scientific-python/teams/${t}`);
    }
    for (const r of [
      'scientific-python/spec-tool',
      'scientific-python/private-tool',
      'mallory/spec-tool',
      'scientific-python/nope'
    ]) {
      await get(`/repos/${r}`);
    }
    await get(`${REPO}`, app);
    for (const r of ['scientific-python/spec-tool', 'scientific-python/private-tool']) {
      await get(`/repos/${r}/private-vulnerability-reporting`);
      await get(`/repos/${r}/vulnerability-alerts`);
      await get(`/repos/${r}/code-scanning/default-setup`);
      await get(`/repos/${r}/actions/runners`);
    }
    await get('/repos/scientific-python/old-site/code-scanning/default-setup');
    await get(`${REPO}/actions/runners?name=docs-builder`);
    for (const ref of ['main', 'cccccccccccccccccccccccccccccccccccccccc', 'release/1.x', 'nope'])
      await get(`${REPO}/commits/${ref}`);
    for (const q of [
      '?sha=main&per_page=2',
      '?author=bob',
      '?since=2025-01-01T00:00:00Z',
      '?path=pyproject.toml',
      '?sha=nope'
    ]) {
      await get(`${REPO}/commits${q}`);
    }
    for (const basehead of ['v0.9.0...main', 'main...docs-fix', `main...${'e'.repeat(40)}`, 'main...nope'])
      await get(`${REPO}/compare/${basehead}`);
    for (const ref of ['heads/main', 'tags/v1.0.0', 'tags/v0.9.0', 'heads/nope']) await get(`${REPO}/git/ref/${ref}`);
    for (const ref of ['tags', 'heads/release', 'heads/none']) await get(`${REPO}/git/matching-refs/${ref}`);
    for (const sha of ['dddddddddddddddddddddddddddddddddddddddd', '0000000000000000000000000000000000000000'])
      await get(`${REPO}/git/tags/${sha}`);
    for (const p of [
      'pyproject.toml',
      'src',
      'pyproject.toml?ref=v0.9.0',
      'src/spec_tool/__init__.py?ref=main',
      'missing',
      'README.md?ref=nope'
    ]) {
      await get(`${REPO}/contents/${p}`);
    }
    await get(`${REPO}/branches`);
    await get(`${REPO}/branches?protected=true`);
    for (const b of ['main', 'release%2F1.x', 'docs-fix', 'nope']) {
      await get(`${REPO}/branches/${b}`);
      await get(`${REPO}/branches/${b}/protection`);
      await get(`${REPO}/rules/branches/${b}`);
    }
    const rulesets = await get(`${REPO}/rulesets`);
    for (const rs of rulesets.body) await get(`${REPO}/rulesets/${rs.id}`);
    await get(`${REPO}/rulesets/1`);
    for (const q of ['', '?affiliation=outside', '?affiliation=direct', '?permission=admin'])
      await get(`${REPO}/collaborators${q}`);
    await get(`${REPO}/keys`);
    await get(`${REPO}/environments`);
    for (const e of ['pypi', 'docs', 'nope']) await get(`${REPO}/environments/${e}`);
    await get(`${REPO}/actions/secrets`);
    for (const n of [3, 4, 5, 1, 99]) await get(`${REPO}/pulls/${n}`);
    for (const q of [
      '',
      '?state=all',
      '?state=closed&head=scientific-python:release-workflow',
      '?state=all&base=main&sort=updated&direction=asc'
    ]) {
      await get(`${REPO}/pulls${q}`);
    }
    for (const n of [1, 4, 99]) await get(`${REPO}/issues/${n}/comments`);
    const comment = await call('POST', `${REPO}/issues/1/comments`, { body: { body: 'Security scan: all clear.' } });
    await call('POST', `${REPO}/issues/1/comments`, { body: {} });
    await call('POST', `${REPO}/issues/99/comments`, { body: { body: 'x' } });
    await call('PATCH', `${REPO}/issues/comments/${comment.body.id}`, { body: { body: 'Security scan: updated.' } });
    await call('PATCH', `${REPO}/issues/comments/1`, { body: { body: 'x' } });
    for (const q of [
      '',
      '?state=all&labels=documentation',
      '?creator=bob&state=closed',
      '?sort=comments&direction=asc'
    ]) {
      await get(`${REPO}/issues${q}`);
    }
    const issue = await call('POST', `${REPO}/issues`, {
      body: { title: 'Security report', body: 'Findings', labels: ['security'] }
    });
    await call('POST', `${REPO}/issues`, { body: { body: 'no title' } });
    await call('POST', `${REPO}/issues`, { raw: '{not json' });
    for (const n of [1, 2, 3, 99]) await get(`${REPO}/issues/${n}`);
    await call('PATCH', `${REPO}/issues/${issue.body.number}`, {
      body: { state: 'closed', state_reason: 'not_planned' }
    });
    await call('PATCH', `${REPO}/issues/3`, { body: { state: 'open' } });
    await call('PATCH', `${REPO}/issues/4`, { body: { labels: ['enhancement', 'needs-review'] } });
    await get(`${REPO}/releases`);
    for (const t of ['v1.0.0', 'v1.1.0', 'v9']) await get(`${REPO}/releases/tags/${t}`);
    const release = await get(`${REPO}/releases/tags/v1.0.0`);
    await get(`${REPO}/releases/${release.body.id}`);
    await get(`${REPO}/releases/1`);
    await get(`${REPO}/releases/${release.body.id}/assets`);
    const upload = `${REPO}/releases/${release.body.id}/assets?name=spec_tool-1.0.0.tar.gz.sigstore.json`;
    const asset = await call('POST', upload, {
      raw: '{"mediaType":"bundle"}',
      headers: { 'content-type': 'application/json' }
    });
    await call('POST', upload, { raw: 'again', headers: { 'content-type': 'application/json' } });
    await get(`${REPO}/releases/assets/${asset.body.id}`);
    await get(`${REPO}/releases/assets/${asset.body.id}`, { accept: 'application/octet-stream' });
    await call('DELETE', `${REPO}/releases/assets/${asset.body.id}`);
    await call('DELETE', `${REPO}/releases/assets/${asset.body.id}`);
    await call('POST', `${REPO}/attestations`, {
      body: { bundle: { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' } }
    });
    await call('POST', `${REPO}/attestations`, { body: {} });
    await get('/orgs/scientific-python/security-advisories');
    await get('/orgs/scientific-python/security-advisories?state=draft&per_page=1');
    await get('/orgs/nope/security-advisories');
    await get(`${REPO}/security-advisories`);
    await get(`${REPO}/security-advisories?sort=published&direction=asc`);
    await get(`${REPO}/security-advisories?state=bogus`);
    for (const id of ['GHSA-2222-3333-4444', 'GHSA-5555-6666-7777', 'GHSA-xxxx-xxxx-xxxx'])
      await get(`${REPO}/security-advisories/${id}`);
    const report = await call('POST', `${REPO}/security-advisories/reports`, {
      body: {
        summary: 'Crash on a crafted file',
        description: 'The parser overflows.',
        severity: 'medium',
        vulnerabilities: [{ package: { ecosystem: 'pip', name: 'spec-tool' }, vulnerable_version_range: '<= 1.0.0' }]
      }
    });
    await call('POST', `${REPO}/security-advisories/reports`, { body: { summary: 'no description' } });
    await call('PATCH', `${REPO}/security-advisories/${report.body.ghsa_id}`, {
      body: { state: 'draft', collaborating_users: ['bob'] }
    });
    await call('PATCH', `${REPO}/security-advisories/${report.body.ghsa_id}`, { body: { state: 'triage' } });
    await call('POST', `${REPO}/security-advisories/${report.body.ghsa_id}/cve`);
    await call('POST', `${REPO}/security-advisories/${report.body.ghsa_id}/cve`);
    await call('POST', `${REPO}/security-advisories/${report.body.ghsa_id}/forks`);
    await call('POST', `${REPO}/security-advisories/GHSA-2222-3333-4444/forks`);
    await call('POST', `${REPO}/security-advisories`, {
      body: {
        summary: 'Found in review',
        description: 'Unsafe YAML load.',
        vulnerabilities: [{ package: { ecosystem: 'pip', name: 'spec-tool' } }],
        start_private_fork: true
      }
    });
    for (const r of ['spec-tool', 'private-tool']) await get(`/repos/scientific-python/${r}/dependency-graph/sbom`);
    // A bot's pull request: a branch, a commit on it, the pull request (each refused when repeated).
    const tip = await get(`${REPO}/git/ref/heads/main`);
    for (let i = 0; i < 2; i++)
      await call('POST', `${REPO}/git/refs`, { body: { ref: 'refs/heads/bump-pin', sha: tip.body.object.sha } });
    const file = await get(`${REPO}/contents/pyproject.toml?ref=bump-pin`);
    const put = (path: string, body: object) =>
      call('PUT', `${REPO}/contents/${path}`, {
        body: {
          message: 'Bump',
          content: Buffer.from('[project]\nname = "spec-tool"\n').toString('base64'),
          branch: 'bump-pin',
          ...body
        }
      });
    // (A stale sha's 409 is not sent here: that operation documents it as oneOf two error schemas that
    // both accept every error body, so no answer can validate; advisories.test.ts checks it.)
    await put('pyproject.toml', { sha: file.body.sha });
    await put('NOTES.md', {});
    for (let i = 0; i < 2; i++)
      await call('POST', `${REPO}/pulls`, {
        body: { title: 'Bump a pin', head: 'bump-pin', base: 'main', body: 'Why.' }
      });
    for (const q of [
      'is:pr author:bob is:merged repo:scientific-python/spec-tool',
      'is:issue label:documentation',
      'crash is:issue is:closed',
      'author:bob'
    ]) {
      await get(`/search/issues?q=${encodeURIComponent(q)}`);
    }
  });

  afterAll(() => fake.close());

  it('serves only operations that exist in the OpenAPI description, with their documentation links', () => {
    for (const r of routes) {
      const op = operation(r.method, r.path);
      expect({ route: `${r.method} ${r.path}`, documented: Boolean(op) }).toEqual({
        route: `${r.method} ${r.path}`,
        documented: true
      });
      expect(`${DOCS}/${r.docs}`).toBe(op.externalDocs.url);
      if (r.permission)
        expect(r.permission).toMatch(
          /^[a-z_]+=(read|write|admin)(, [a-z_]+=(read|write|admin))*(; [a-z_]+=(read|write|admin)(, [a-z_]+=(read|write|admin))*)*$/
        );
    }
  });

  it('answered every route successfully at least once', () => {
    const ok = new Set(
      recorded
        .filter((r) => r.status < 400)
        .map((r) => `${r.method} ${matchRoute(r.method, r.path.split('?')[0])?.route.path}`)
    );
    const missing = routes.map((r) => `${r.method} ${r.path}`).filter((k) => !ok.has(k));
    expect(missing).toEqual([]);
  });

  it('every response matches its OpenAPI response schema, declaring no extra properties', () => {
    const problems = recorded.flatMap((r) => {
      const hit = matchRoute(r.method, r.path.split('?')[0]);
      if (!hit) return [`${r.method} ${r.path}: no route`];
      return responseProblems(r.method, hit.route.path, r.status, r.body).map(
        (p) => `${r.method} ${r.path} ${r.status}: ${p}`
      );
    });
    expect(problems).toEqual([]);
  });

  it('every JSON body the fake accepted matches the operation’s OpenAPI requestBody schema', () => {
    const accepted = recorded.filter((r) => r.status < 400 && r.sent !== undefined);
    expect(accepted.length).toBeGreaterThan(5);
    const problems = accepted.flatMap((r) => {
      const hit = matchRoute(r.method, r.path.split('?')[0]);
      return hit ? requestProblems(r.method, hit.route.path, r.sent).map((p) => `${r.method} ${r.path}: ${p}`) : [];
    });
    expect(problems).toEqual([]);
    // And the check can fail: a body the schema forbids.
    expect(
      requestProblems('PATCH', '/repos/{owner}/{repo}/security-advisories/{ghsa_id}', { state: 'withdrawn' })
    ).not.toEqual([]);
  });

  it('every request the fake logged maps to a route', () => {
    const unmapped = fake.requests.filter((r: { method: string; path: string }) => !matchRoute(r.method, r.path));
    expect(unmapped).toEqual([]);
  });

  it("answers unknown routes with GitHub's 404", async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['DELETE', '/rate_limit'],
      ['GET', '/repos/scientific-python']
    ]) {
      const res = await fetch(fake.url + path, { method, headers: { authorization: 'token any' } });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404'
      });
    }
  });
});
