import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGitHubClient } from '../../packages/core/src/index';
import { parseWorkflowDocument, usesOf } from '@security-actions/core/workflow';
import { checkActionsOnline, commentVersion } from '../../actions/verify-deps/src/actions';
import { type VerifyOptions, verifyDeps } from '../../actions/verify-deps/src/engine';
import { githubActionsApi } from '../../actions/verify-deps/src/main';
import { EMPTY_POLICY } from '../../actions/verify-deps/src/policy';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { expectFires, expectQuiet } from '../helpers/rules';
import {
  A,
  B,
  COMPOSITE,
  D,
  F,
  GITHUB_WORLD,
  MISSING,
  PINNED_COMPOSITE,
  TJ_BAD,
  TJ_OK,
  lineOf,
  workflow
} from './worlds';

let fake: { url: string; close(): Promise<void>; setFaults(f: unknown[]): void };
beforeAll(async () => {
  fake = await startFakeGitHub({ world: GITHUB_WORLD });
});
afterAll(() => fake.close());

const api = async () =>
  githubActionsApi(await createGitHubClient({ token: 'test-token', apiUrl: fake.url, retries: 0, retryBaseMs: 1 }));
const refsOf = (text: string) => {
  const r = parseWorkflowDocument({ path: '.github/workflows/ci.yml', text });
  if ('error' in r) throw new Error(r.error);
  return usesOf(r.doc);
};

describe('action references against the fake GitHub', () => {
  it('accepts a correct pin, with an annotated tag peeled', async () => {
    const r = await checkActionsOnline(refsOf(workflow([`actions/checkout@${B} # v4.2.2`])), await api(), {
      nested: true
    });
    expectQuiet(r.findings, 'actions/version-mismatch');
    expectQuiet(r.findings, 'actions/impostor-commit');
    expect(r.findings).toEqual([]);
    expect(r.notChecked).toEqual([]);
    expect(r.versions.get(`actions/checkout@${B}`)?.sort()).toEqual(['v4', 'v4.2.2']);
  });

  it('flags a lying version comment', async () => {
    const text = workflow([`actions/checkout@${A} # v4.2.2`]);
    const r = await checkActionsOnline(refsOf(text), await api(), { nested: true });
    expectFires(r.findings, 'actions/version-mismatch', 1);
    expect(r.findings.map((f) => [f.ruleId, f.location?.line])).toEqual([
      ['actions/version-mismatch', lineOf(text, A)]
    ]);
    expect(r.findings[0].message).toContain('v4.1.0');
  });

  it('reports a floating major comment that moved on as info only', async () => {
    const r = await checkActionsOnline(refsOf(workflow([`actions/checkout@${A} # v4`])), await api(), {
      nested: false
    });
    expect(r.findings.map((f) => [f.ruleId, f.severity])).toEqual([['actions/version-mismatch', 'info']]);
  });

  it('flags an impostor commit from a fork as critical, and a commit that exists nowhere', async () => {
    const text = workflow([`actions/checkout@${F} # v4.2.2`, `actions/checkout@${MISSING}`]);
    const r = await checkActionsOnline(refsOf(text), await api(), { nested: true });
    expectFires(r.findings, 'actions/impostor-commit', 2);
    const impostors = r.findings.filter((f) => f.ruleId === 'actions/impostor-commit');
    expect(impostors.map((f) => [f.severity, f.location?.line])).toEqual([
      ['critical', lineOf(text, F)],
      ['critical', lineOf(text, MISSING)]
    ]);
    expect(impostors[0].message).toContain('only in a fork');
    expect(impostors[1].message).toContain('does not exist');
  });

  it('leaves the known-compromised tj-actions commit to the workflow audit: no second finding online', async () => {
    const text = workflow([
      `tj-actions/changed-files@${TJ_BAD} # v45.0.7`,
      `tj-actions/changed-files@${TJ_OK} # v46.0.1`
    ]);
    const r = await checkActionsOnline(refsOf(text), await api(), { nested: true });
    expect(r.findings).toEqual([]);
    expect(r.notChecked).toEqual([]);
  });

  it('finds an unpinned action nested in a pinned composite action', async () => {
    const text = workflow([`octo/composite@${COMPOSITE} # v1.0.0`]);
    const r = await checkActionsOnline(refsOf(text), await api(), { nested: true });
    expectFires(r.findings, 'actions/nested-unpinned', 1); // not the SHA-pinned checkout nor the local action
    expect(r.findings.map((f) => [f.ruleId, f.evidence])).toEqual([
      ['actions/nested-unpinned', 'reviewdog/action-setup@v1']
    ]);
  });

  it('accepts a composite action whose own actions and images are all pinned', async () => {
    const r = await checkActionsOnline(
      refsOf(workflow([`octo/pinned-composite@${PINNED_COMPOSITE} # v2.0.0`])),
      await api(),
      {
        nested: true
      }
    );
    expectQuiet(r.findings, 'actions/nested-unpinned');
    expect(r.findings).toEqual([]);
    expect(r.notChecked).toEqual([]);
  });

  it('flags a fork commit that diverged from every branch (not merely ahead of one) as an impostor', async () => {
    const text = workflow([`actions/checkout@${D} # v4.1.0`]);
    const r = await checkActionsOnline(refsOf(text), await api(), { nested: false });
    expectFires(r.findings, 'actions/impostor-commit', 1);
    expect(r.findings.find((f) => f.ruleId === 'actions/impostor-commit')!.message).toContain('only in a fork');
    expect(r.notChecked).toEqual([]);
  });

  it.each([
    // The refs feed both checks; a compare only the impostor one (the tags were read, the comment still checked).
    ['GET /repos/actions/checkout/git/matching-refs*', {}, true],
    ['GET /repos/actions/checkout/git/matching-refs*', '', true],
    ['GET /repos/actions/checkout', { name: 'checkout' }, true],
    ['GET /repos/actions/checkout/compare*', {}, false],
    ['GET /repos/actions/checkout/compare*', { status: 'sideways' }, false]
  ])(
    'a 200 from %s without its promised fields (%j) is not checked, never impostor or clean',
    async (match, body, refs) => {
      fake.setFaults([{ match, status: 200, body, times: 100 }]);
      try {
        const r = await checkActionsOnline(refsOf(workflow([`actions/checkout@${F} # v4.2.2`])), await api(), {
          nested: false
        });
        expectQuiet(r.findings, 'actions/impostor-commit');
        if (refs) expectQuiet(r.findings, 'actions/version-mismatch');
        expect(r.notChecked.map((n) => n.check)).toEqual(['actions/impostor-commit']);
        expect(r.notChecked[0].reason).toMatch(
          /GitHub's answer to GET \/repos\/\S+ (lacked|was|had) .*, so nothing was checked/
        );
      } finally {
        fake.setFaults([]);
      }
    }
  );

  it('reports API failures as not checked, never as clean', async () => {
    fake.setFaults([{ match: 'GET /repos/actions/checkout/git/matching-refs*', status: 502, times: 100 }]);
    try {
      const r = await checkActionsOnline(refsOf(workflow([`actions/checkout@${F} # v4.2.2`])), await api(), {
        nested: true
      });
      expect(r.findings).toEqual([]);
      expect(r.notChecked.map((n) => n.check)).toEqual(['actions/impostor-commit']);
      expect(r.notChecked[0].reason).toMatch(/502/);
    } finally {
      fake.setFaults([]);
    }
  });
});

describe('impostor check: how reachability is decided, and what it costs', () => {
  // main A ← M ← N ← B and dev (sorting first) M ← E ← F; tags on A and B; a fork commit off A.
  const [A2, M2, N2, B2, D2, E2, F2] = ['a7', 'b7', 'c7', 'd7', 'e7', 'f7', '17'].map((x) => x.repeat(20));
  const history = [
    { sha: B2, parents: [N2] },
    { sha: N2, parents: [M2] },
    { sha: F2, parents: [E2] },
    { sha: E2, parents: [M2] },
    { sha: M2, parents: [A2] },
    { sha: A2 }
  ];
  let reach: Awaited<ReturnType<typeof startFakeGitHub>>;
  beforeAll(async () => {
    reach = await startFakeGitHub({
      world: {
        repos: {
          'octo/reach': { commits: history, branches: { main: B2, dev: F2 }, tags: { 'v1.0.0': A2, 'v2.0.0': B2 } },
          'evil/reach': {
            parent: 'octo/reach',
            commits: [{ sha: D2, parents: [A2] }, ...history],
            branches: { main: D2 }
          }
        }
      }
    });
  });
  afterAll(() => reach.close());

  const check = async (sha: string, maxCompares?: number) => {
    const client = await createGitHubClient({ token: 't', apiUrl: reach.url, retries: 0, retryBaseMs: 1 });
    const before = reach.requests.length;
    const r = await checkActionsOnline(refsOf(workflow([`octo/reach@${sha}`])), githubActionsApi(client), {
      nested: false,
      maxCompares
    });
    const compares = reach.requests.slice(before).filter((q: { path: string }) => q.path.includes('/compare/'));
    return { r, compares: compares.length };
  };

  it('takes a branch head or a tagged commit as reachable without comparing', async () => {
    for (const sha of [F2, A2, B2]) {
      const { r, compares } = await check(sha);
      expectQuiet(r.findings, 'actions/impostor-commit');
      expect([sha, compares]).toEqual([sha, 0]);
    }
  });

  it('finds a commit deep in the history with one compare, against the default branch first', async () => {
    const { r, compares } = await check(N2);
    expectQuiet(r.findings, 'actions/impostor-commit');
    expect(r.notChecked).toEqual([]);
    expect(compares).toBe(1);
  });

  it('finds a commit only on another branch after the default one', async () => {
    const { r, compares } = await check(E2);
    expectQuiet(r.findings, 'actions/impostor-commit');
    expect(r.notChecked).toEqual([]);
    expect(compares).toBe(2);
  });

  it('compares at most max-compares refs, and says so rather than calling the commit an impostor', async () => {
    const capped = await check(D2, 2);
    expectQuiet(capped.r.findings, 'actions/impostor-commit');
    expect(capped.compares).toBe(2);
    expect(capped.r.notChecked.map((n) => n.reason)).toEqual([
      "could not compare the commit with the repository's branches: not found on the first 2 of 4 branches and tags"
    ]);
    // With every ref compared, the fork commit is what it is.
    const all = await check(D2, 4);
    expectFires(all.r.findings, 'actions/impostor-commit', 1);
    expect(all.compares).toBe(4);
  });
});

describe('offline form checks (the workflow audit, through the engine)', () => {
  const OFFLINE: VerifyOptions = {
    checks: new Set(['actions']),
    offline: true,
    provenance: 'off',
    policy: EMPTY_POLICY,
    now: new Date('2026-01-01T00:00:00Z')
  };
  const form = async (uses: string[], policy = EMPTY_POLICY) =>
    (
      await verifyDeps(
        { python: [], actions: [{ path: '.github/workflows/ci.yml', text: workflow(uses) }] },
        { ...OFFLINE, policy }
      )
    ).findings;

  it('lets the policy allow tags for trusted owners at a lower severity', async () => {
    const f = await form(['actions/checkout@v4', 'other/thing@v1', `actions/setup-python@abc1234`], {
      ...EMPTY_POLICY,
      allowTags: [{ owner: 'actions', severity: 'low' }]
    });
    expectFires(f, 'workflow/unpinned-uses', 3);
    expect(f.map((x) => [x.ruleId, x.severity, x.evidence])).toEqual([
      ['workflow/unpinned-uses', 'low', 'actions/checkout@v4'],
      ['workflow/unpinned-uses', 'high', 'other/thing@v1'],
      ['workflow/unpinned-uses', 'high', 'actions/setup-python@abc1234'] // a short SHA is never a tag
    ]);
  });

  it('wants a digest for docker images and a version comment beside a SHA', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const bad = await form(['docker://alpine:3.20', `actions/checkout@${B}`]);
    expectFires(bad, 'workflow/unpinned-images', 1);
    expectFires(bad, 'workflow/no-version-comment', 1);
    expect(bad.map((x) => [x.ruleId, x.severity, x.evidence]).sort()).toEqual([
      ['workflow/no-version-comment', 'low', `actions/checkout@${B}`],
      ['workflow/unpinned-images', 'medium', 'docker://alpine:3.20'] // a tag: medium
    ]);
    const good = await form([`docker://alpine@${digest}`, `actions/checkout@${B} # v4.2.2`, './local']);
    expectQuiet(good, 'workflow/unpinned-images');
    expectQuiet(good, 'workflow/no-version-comment');
    expectQuiet(good, 'workflow/unpinned-uses');
    expect(good).toEqual([]);
  });

  it.each([
    ['v4.2.2', 'v4.2.2'],
    ['4.2.2', '4.2.2'],
    ['tag=v1.0', 'v1.0'],
    ['pin @v2', 'v2'],
    ['v1.2.3 (security fix)', 'v1.2.3'],
    ['latest', undefined]
  ])('comment %s names %s', (c, v) => expect(commentVersion(c)).toBe(v));
});
