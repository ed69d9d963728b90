// The PR's API checks against the fake GitHub: an answer without the promised
// fields (no data, no user, no search result) is not checked, never "an old
// account" or "no merged PRs to go by".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGitHubClient } from '../../packages/core/src/index';
import { apiChecks } from '../../actions/pr-anomaly-scan/src/meta';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { expectFires, expectQuiet } from '../helpers/rules';

const REPO = 'octo-org/octo-repo';
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
let gh: Awaited<ReturnType<typeof startFakeGitHub>>;
beforeAll(async () => {
  gh = await startFakeGitHub({
    world: {
      users: { maint: { created_at: '2015-01-01T00:00:00Z' }, newcomer: { created_at: daysAgo(5) } },
      repos: {
        [REPO]: { commits: [{ sha: 'a'.repeat(40), author: { login: 'maint' } }], branches: { main: 'a'.repeat(40) } }
      }
    }
  });
});
afterAll(() => gh.close());

const scan = async () =>
  apiChecks(
    await createGitHubClient({ token: 'test-token', apiUrl: gh.url, retries: 0, retryBaseMs: 1 }),
    { repo: REPO, author: 'newcomer', association: 'CONTRIBUTOR' },
    { trustedOrgs: [], commits: [], diff: { files: 1, lines: 1, sensitive: ['.github/workflows/ci.yml'] }, budget: 10 }
  );

describe('pr-anomaly-scan: API answers without the promised fields', () => {
  it('fires on a new account and an author without merged PRs when GitHub answers in full', async () => {
    gh.setFaults([]);
    const r = await scan();
    expectFires(r.findings, 'meta/empty-pr-new-account', 1);
    expectFires(r.findings, 'meta/new-author-sensitive-paths', 1);
    expect(r.notChecked).toEqual([]);
  });

  it.each([
    ['POST /graphql', {}],
    ['POST /graphql', { data: {} }],
    ['POST /graphql', { data: { user: {} } }]
  ])('%s answered %j: neither rule fires, the author is not checked', async (match, body) => {
    gh.setFaults([{ match, status: 200, body, times: 10 }]);
    try {
      const r = await scan();
      expectQuiet(r.findings, 'meta/empty-pr-new-account');
      expectQuiet(r.findings, 'meta/new-author-sensitive-paths');
      expect(r.notChecked.map((n) => n.check)).toEqual(
        expect.arrayContaining(['meta/empty-pr-new-account', 'meta/new-author-sensitive-paths', 'author-trust'])
      );
    } finally {
      gh.setFaults([]);
    }
  });
});
