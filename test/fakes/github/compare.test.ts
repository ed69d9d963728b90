// GET /repos/{owner}/{repo}/compare across a fork network, as GitHub answers
// it, including a commit pushed only to a fork on top of an old commit: that
// one has diverged from the branch (not merely ahead of it), and a client that
// reads `diverged` as reachable is fooled by an impostor commit.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeGitHub } from './server.mjs';

const OLD = 'a1'.repeat(20);
const HEAD = 'b2'.repeat(20);
const ON_HEAD = 'c3'.repeat(20); // fork commit on the branch head: ahead of it
const ON_OLD = 'd4'.repeat(20); // fork commit on an old commit: diverged
const when = (d: string) => ({ login: 'alice', date: `2025-${d}T00:00:00Z` });

const DIVERGED_WORLD = {
  users: { alice: {}, mallory: {} },
  repos: {
    'upstream/action': {
      commits: [
        { sha: HEAD, parents: [OLD], author: when('03-01') },
        { sha: OLD, author: when('01-01') }
      ],
      branches: { main: HEAD },
      tags: { v1: OLD, v2: HEAD }
    },
    'mallory/action': {
      parent: 'upstream/action',
      commits: [
        { sha: ON_HEAD, parents: [HEAD], author: { login: 'mallory', date: '2025-04-01T00:00:00Z' } },
        { sha: ON_OLD, parents: [OLD], author: { login: 'mallory', date: '2025-04-02T00:00:00Z' } },
        { sha: HEAD, parents: [OLD], author: when('03-01') },
        { sha: OLD, author: when('01-01') }
      ],
      branches: { main: ON_HEAD, old: ON_OLD }
    }
  }
};

describe('fake GitHub compare across a fork network', () => {
  let fake: Awaited<ReturnType<typeof startFakeGitHub>>;
  beforeAll(async () => {
    fake = await startFakeGitHub({ world: DIVERGED_WORLD });
  });
  afterAll(() => fake.close());
  const compare = async (basehead: string) => {
    const res = await fetch(`${fake.url}/repos/upstream/action/compare/${basehead}`, {
      headers: { authorization: 'token any' }
    });
    const body = (await res.json()) as { status: string; ahead_by: number; behind_by: number; message: string };
    return res.status === 200 ? [body.status, body.ahead_by, body.behind_by] : [res.status, body.message];
  };

  it('tells identical, behind, ahead and diverged apart, fork-only commits included', async () => {
    expect(await compare(`main...${HEAD}`)).toEqual(['identical', 0, 0]);
    expect(await compare(`main...${OLD}`)).toEqual(['behind', 0, 1]);
    expect(await compare(`main...${ON_HEAD}`)).toEqual(['ahead', 1, 0]);
    expect(await compare(`main...${ON_OLD}`)).toEqual(['diverged', 1, 1]);
    expect(await compare(`v1...${ON_OLD}`)).toEqual(['ahead', 1, 0]);
  });

  it('answers 404 for a commit outside the network', async () => {
    expect(await compare(`main...${'e5'.repeat(20)}`)).toEqual([404, 'Not Found']);
  });
});
