// The contract switch: every REST exchange with the fake is held to GitHub's
// OpenAPI description while tests run, requests included, and what breaks it
// is recorded for test/contract.ts to fail the test on.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkExchange, takeViolations } from './contract.mjs';
import { startFakeGitHub } from './server.mjs';

const world = {
  users: { alice: {} },
  repos: {
    'o/r': {
      commits: [{ sha: '1'.repeat(40), message: 'init', author: { login: 'alice' } }],
      branches: { main: '1'.repeat(40) },
      issues: [{ number: 1, title: 'x', user: 'alice' }]
    }
  }
};

describe('fake GitHub contract checks', () => {
  let fake: Awaited<ReturnType<typeof startFakeGitHub>>;
  beforeAll(async () => {
    fake = await startFakeGitHub({ world });
  });
  afterAll(() => fake.close());
  const post = (path: string, body: string) =>
    fetch(`${fake.url}${path}`, { method: 'POST', headers: { authorization: 'token any' }, body });

  it('records a request body the operation refuses, and one that is not JSON', async () => {
    await post('/repos/o/r/issues/1/comments', JSON.stringify({ text: 'the field is called body' }));
    await post('/repos/o/r/issues', '{"title": ');
    expect(takeViolations()).toEqual([
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments → 422: request / must have required property 'body' (#/required)",
      'POST /repos/{owner}/{repo}/issues → 400: request / must be object (#/type)'
    ]);
  });

  it('records nothing for exchanges within the description', async () => {
    expect((await post('/repos/o/r/issues/1/comments', JSON.stringify({ body: 'hello' }))).status).toBe(201);
    expect((await fetch(`${fake.url}/repos/o/r`, { headers: { authorization: 'token any' } })).status).toBe(200);
    expect(takeViolations()).toEqual([]);
  });

  it('records an answer GitHub would never give, and a body sent to an operation that takes none', () => {
    checkExchange('GET', '/repos/{owner}/{repo}', undefined, { status: 200, body: { full_name: 7 } });
    checkExchange('GET', '/repos/{owner}/{repo}', { q: 1 }, { status: 404, body: { message: 'Not Found' } });
    const got = takeViolations();
    expect(got).toContainEqual(
      expect.stringMatching(/^GET \/repos\/\{owner\}\/\{repo\} → 200: \/full_name must be string/)
    );
    expect(got).toContain(
      'GET /repos/{owner}/{repo} → 404: GET /repos/{owner}/{repo} takes no request body, but one was sent'
    );
  });

  it("with contract: 'responses', a request GitHub would refuse is not recorded", async () => {
    const lenient = await startFakeGitHub({ world, contract: 'responses' });
    try {
      await fetch(`${lenient.url}/repos/o/r/issues`, {
        method: 'POST',
        headers: { authorization: 'token any' },
        body: '{}'
      });
      expect(takeViolations()).toEqual([]);
    } finally {
      await lenient.close();
    }
  });
});
