// sign-release's GitHub reads against the fake GitHub: a signature verdict is
// GitHub's own, and an answer without the promised fields throws (the guard
// then reports not checked), never a verified commit or tag.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IncompleteAnswer, createGitHubClient, describeApiError } from '../../packages/core/src/index';
import { releaseApi } from '../../actions/sign-release/src/github';
import { REPO_ROOT } from '../harness/run-action';
import { startFakeGitHub } from '../fakes/github/server.mjs';

const REPO = '/repos/scientific-python/spec-tool';
const C = 'c'.repeat(40);
let fake: Awaited<ReturnType<typeof startFakeGitHub>>;
beforeAll(async () => {
  const world = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fakes/github/worlds/rich.json'), 'utf8'));
  fake = await startFakeGitHub({ world });
});
afterAll(() => fake.close());

const api = async () =>
  releaseApi(
    (await createGitHubClient({ token: 'test-token', apiUrl: fake.url, retries: 0, retryBaseMs: 1 })).rest,
    'scientific-python',
    'spec-tool'
  );

describe('sign-release: GitHub signature verdicts', () => {
  it('reads the verdicts of a signed commit, an annotated signed tag and a lightweight tag', async () => {
    fake.setFaults([]);
    const a = await api();
    expect(await a.commitSignature(C)).toEqual({ verified: true, reason: 'valid' });
    expect(await a.tagSignature('v1.0.0')).toEqual({ verified: true, reason: 'valid' });
    expect((await a.tagSignature('v0.9.0'))?.verified).toBe(false);
    expect(await a.tagSignature('v9.9.9')).toBeUndefined();
  });

  it.each([
    [
      `GET ${REPO}/commits/${C}`,
      {},
      'commitSignature',
      "GitHub's answer to GET /repos/{owner}/{repo}/commits/{ref} lacked commit"
    ],
    [`GET ${REPO}/commits/${C}`, '', 'commitSignature', 'was empty'],
    [`GET ${REPO}/git/ref/*`, {}, 'tagSignature', 'lacked object']
  ] as const)('%s answered %j throws, never verified', async (match, body, call, reason) => {
    fake.setFaults([{ match, status: 200, body, times: 10 }]);
    try {
      const a = await api();
      const err = await (call === 'commitSignature' ? a.commitSignature(C) : a.tagSignature('v1.0.0')).catch(
        (e: unknown) => e
      );
      expect(err).toBeInstanceOf(IncompleteAnswer);
      expect(describeApiError(err, 'contents: read')).toContain(reason);
    } finally {
      fake.setFaults([]);
    }
  });

  it('a commit answered without its verification is not verified', async () => {
    const { body } = await fetch(`${fake.url}${REPO}/commits/${C}`).then(async (r) => ({ body: await r.json() }));
    delete (body as { commit: { verification?: unknown } }).commit.verification;
    fake.setFaults([{ match: `GET ${REPO}/commits/${C}`, status: 200, body, times: 10 }]);
    try {
      expect(await (await api()).commitSignature(C)).toEqual({
        verified: false,
        reason: 'GitHub returned no verification'
      });
    } finally {
      fake.setFaults([]);
    }
  });
});
