// The fake's repository security advisories and SBOM behave as GitHub documents
// them: who sees an unpublished advisory, which permission each route needs,
// the report → draft → published life cycle, cursor pagination, private forks,
// CVE requests and request bodies held to the OpenAPI schema.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { startFakeGitHub } from './server.mjs';
import { takeViolations } from './contract.mjs';

const world = {
  users: { alice: {}, bob: {}, carol: {}, mallory: {} },
  orgs: { sp: { members: { alice: 'admin', bob: 'member' } } },
  tokens: {
    alice: { login: 'alice' },
    bob: { login: 'bob' },
    carol: { login: 'carol' },
    mallory: { login: 'mallory' },
    reader: { login: 'reader[bot]', permissions: { repository_advisories: 'read' } },
    writer: { login: 'writer[bot]', permissions: { repository_advisories: 'write' } },
    forker: { login: 'forker[bot]', permissions: { repository_advisories: 'read', administration: 'write' } }
  },
  repos: {
    'sp/lib': {
      private_vulnerability_reporting: true,
      commits: [{ sha: 'a'.repeat(40), message: 'init', author: { login: 'alice' } }],
      security_advisories: [
        { ghsa_id: 'GHSA-aaaa-aaaa-aaaa', state: 'published', summary: 'Old', created_at: '2024-01-01T00:00:00Z' },
        {
          ghsa_id: 'GHSA-bbbb-bbbb-bbbb',
          state: 'draft',
          summary: 'Embargoed',
          collaborating_users: ['carol'],
          created_at: '2025-01-01T00:00:00Z'
        },
        {
          ghsa_id: 'GHSA-cccc-cccc-cccc',
          state: 'triage',
          author: 'mallory',
          accepted: false,
          created_at: '2025-02-01T00:00:00Z'
        }
      ]
    },
    'sp/closed': { private: true, commits: [{ sha: 'b'.repeat(40), message: 'init', author: { login: 'alice' } }] },
    'sp/quiet': { commits: [{ sha: 'c'.repeat(40), message: 'init', author: { login: 'alice' } }] }
  }
};

let fake: Awaited<ReturnType<typeof startFakeGitHub>>;
const as = (token: string) => getOctokit(token, { baseUrl: fake.url, request: { retries: 0 } });
const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { status: number }) => e.status
  );
const ids = (list: { ghsa_id: string }[]) => list.map((a) => a.ghsa_id).sort();

beforeAll(async () => {
  fake = await startFakeGitHub({ world });
});
afterAll(() => fake.close());

describe('who sees which advisory', () => {
  it('admins and apps with the permission see every state; others see published ones and those they collaborate on or wrote', async () => {
    const list = async (token: string) =>
      ids(
        (await as(token).request('GET /repos/{owner}/{repo}/security-advisories', { owner: 'sp', repo: 'lib' })).data
      );
    expect(await list('alice')).toEqual(['GHSA-aaaa-aaaa-aaaa', 'GHSA-bbbb-bbbb-bbbb', 'GHSA-cccc-cccc-cccc']);
    expect(await list('reader')).toHaveLength(3);
    expect(await list('bob')).toEqual(['GHSA-aaaa-aaaa-aaaa']);
    expect(await list('carol')).toEqual(['GHSA-aaaa-aaaa-aaaa', 'GHSA-bbbb-bbbb-bbbb']);
    expect(await list('mallory')).toEqual(['GHSA-aaaa-aaaa-aaaa', 'GHSA-cccc-cccc-cccc']);
    const get = (token: string, id: string) =>
      status(
        as(token).request('GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}', {
          owner: 'sp',
          repo: 'lib',
          ghsa_id: id
        })
      );
    expect(await get('bob', 'GHSA-bbbb-bbbb-bbbb')).toBe(404);
    expect(await get('carol', 'GHSA-bbbb-bbbb-bbbb')).toBe(200);
  });

  it('the organization list needs an owner, or an app with write', async () => {
    const org = (token: string) => status(as(token).request('GET /orgs/{org}/security-advisories', { org: 'sp' }));
    expect(await org('alice')).toBe(200);
    expect(await org('bob')).toBe(404);
    expect(await org('reader')).toBe(403);
    expect(await org('writer')).toBe(200);
  });

  it('pages with before/after cursors that octokit.paginate follows, in the order asked for', async () => {
    const all = await as('alice').paginate('GET /orgs/{org}/security-advisories', {
      org: 'sp',
      per_page: 1,
      sort: 'created',
      direction: 'asc'
    });
    expect((all as { ghsa_id: string }[]).map((a) => a.ghsa_id)).toEqual([
      'GHSA-aaaa-aaaa-aaaa',
      'GHSA-bbbb-bbbb-bbbb',
      'GHSA-cccc-cccc-cccc'
    ]);
    const drafts = await as('alice').request('GET /orgs/{org}/security-advisories', { org: 'sp', state: 'draft' });
    expect(ids(drafts.data)).toEqual(['GHSA-bbbb-bbbb-bbbb']);
  });
});

describe('a report through its life cycle', () => {
  it('arrives in triage only where private vulnerability reporting is on, with a schema-valid body', async () => {
    const body = { summary: 'Crash', description: 'Overflow on crafted input.' };
    expect(
      await status(
        as('mallory').request('POST /repos/{owner}/{repo}/security-advisories/reports', {
          owner: 'sp',
          repo: 'quiet',
          ...body
        })
      )
    ).toBe(403);
    expect(
      await status(
        // A body the schema refuses (no description, an unknown field), sent as a raw route.
        as('mallory').request('POST /repos/sp/lib/security-advisories/reports', { summary: 'x', extra: 1 })
      )
    ).toBe(422);
    // The contract check saw the same refusal (sent on purpose here, so taken rather than failing the test).
    expect(takeViolations()).toEqual([
      "POST /repos/{owner}/{repo}/security-advisories/reports → 422: request / must have required property 'description' (#/required)",
      'POST /repos/{owner}/{repo}/security-advisories/reports → 422: request / must NOT have additional properties (#/additionalProperties)'
    ]);
    const { data } = await as('mallory').request('POST /repos/{owner}/{repo}/security-advisories/reports', {
      owner: 'sp',
      repo: 'lib',
      ...body
    });
    expect(data.state).toBe('triage');
    expect(data.submission).toEqual({ accepted: false });
    expect(data.credits).toEqual([{ login: 'mallory', type: 'reporter' }]);
  });

  it('is accepted as a draft, gains collaborators, cannot skip or go back, and is published by a maintainer', async () => {
    const id = 'GHSA-cccc-cccc-cccc';
    const patch = (token: string, body: object) =>
      status(
        as(token).request('PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}', {
          owner: 'sp',
          repo: 'lib',
          ghsa_id: id,
          ...body
        })
      );
    expect(await patch('alice', { state: 'published' })).toBe(422); // triage → published skips acceptance
    expect(await patch('bob', { state: 'draft' })).toBe(404); // bob cannot see the report
    expect(await patch('alice', { collaborating_users: ['nobody-such'] })).toBe(422);
    expect(await patch('alice', { state: 'draft', collaborating_users: ['bob'] })).toBe(200);
    const a = fake.state.repos['sp/lib'].security_advisories.find((x: { ghsa_id: string }) => x.ghsa_id === id);
    expect([a.state, a.submission, a.collaborating_users]).toEqual(['draft', { accepted: true }, ['bob']]);
    expect(await patch('alice', { state: 'published' })).toBe(200);
    expect([a.state, a.publisher, typeof a.published_at]).toEqual(['published', 'alice', 'string']);
    expect(await patch('alice', { state: 'draft' })).toBe(422);
  });
});

describe('CVE requests and private forks', () => {
  it('a CVE is requested once, for a draft of a public repository', async () => {
    const cve = (id: string, token = 'alice') =>
      status(
        as(token).request('POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/cve', {
          owner: 'sp',
          repo: 'lib',
          ghsa_id: id
        })
      );
    expect(await cve('GHSA-bbbb-bbbb-bbbb', 'carol')).toBe(403);
    expect(await cve('GHSA-bbbb-bbbb-bbbb')).toBe(200);
    expect(await cve('GHSA-bbbb-bbbb-bbbb')).toBe(422);
    expect(await cve('GHSA-aaaa-aaaa-aaaa')).toBe(422);
  });

  it('a temporary private fork needs administration: write besides the advisory permission, and is named after the advisory', async () => {
    const fork = (token: string) =>
      as(token).request('POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/forks', {
        owner: 'sp',
        repo: 'lib',
        ghsa_id: 'GHSA-bbbb-bbbb-bbbb'
      });
    expect(await status(fork('reader'))).toBe(403);
    const { data, status: code } = await fork('forker');
    expect(code).toBe(202);
    expect([data.full_name, data.private]).toEqual(['sp/lib-ghsa-bbbb-bbbb-bbbb', true]);
    const { data: adv } = await as('alice').request('GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}', {
      owner: 'sp',
      repo: 'lib',
      ghsa_id: 'GHSA-bbbb-bbbb-bbbb'
    });
    expect(adv.private_fork?.full_name).toBe('sp/lib-ghsa-bbbb-bbbb-bbbb');
  });
});

describe('dependency graph SBOM', () => {
  it('answers 404 where the dependency graph is off', async () => {
    expect(
      await status(as('alice').request('GET /repos/{owner}/{repo}/dependency-graph/sbom', { owner: 'sp', repo: 'lib' }))
    ).toBe(404);
  });
});
