// Who the author is to the ecosystem, in pr-anomaly-scan: the new-author rule
// fires only when nothing links the author to the maintainers, the summary
// (and, when asked, the public comment) says in one line who they are, the
// score weighs sensitive-path and build findings by it but never binary,
// obfuscation or injection findings, and verified bots are not new authors.
// Runs the action's definition in process against the fake GitHub.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Finding, type Report, createFinding, runAction } from '../../packages/core/src/index';
import { definition } from '../../actions/pr-anomaly-scan/src/main';
import { REGISTRY } from '../../actions/pr-anomaly-scan/src/rules';
import { AUTHOR_FACTOR, riskScore, weighedByAuthor } from '../../actions/pr-anomaly-scan/src/score';
import { serverError } from '../fakes/github/faults.mjs';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { expectFires, expectQuiet } from '../helpers/rules';
import { scenarioWorld } from '../helpers/trust-world.mjs';
import { type BuiltRepo, buildRepo } from './corpus/build';

const REPO = 'numpy/numpy';
/** A login as Markdown shows it without notifying its owner. */
const mention = (login: string) => `@<!-- -->${login}`;
const TOKEN = 'ghs_authorTrustTest00000000000000000000000';

interface Run {
  report: Report;
  summary: string;
  outputs: Record<string, string>;
}

describe('pr-anomaly-scan: who the author is', () => {
  let gh: Awaited<ReturnType<typeof startFakeGitHub>>;
  let pr: BuiltRepo;
  const temp = mkdtempSync(join(tmpdir(), 'author-trust-'));

  beforeAll(async () => {
    gh = await startFakeGitHub({ world: scenarioWorld(new Date()) });
    // A build-system change: sensitive paths the author's standing weighs.
    pr = buildRepo(
      { 'setup.py': 'from setuptools import setup\nsetup(name="pkg")\n' },
      {
        'setup.py': 'import subprocess\nfrom setuptools import setup\nsubprocess.run(["make"])\nsetup(name="pkg")\n',
        'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.20)\nexecute_process(COMMAND make)\n'
      }
    );
  });
  afterAll(async () => {
    pr.cleanup();
    await gh.close();
  });

  async function scan(user: object, association = 'NONE', inputs: Record<string, string> = {}): Promise<Run> {
    const eventPath = join(temp, `event-${Math.random()}.json`);
    writeFileSync(
      eventPath,
      JSON.stringify({
        pull_request: {
          number: 1,
          title: 'Build tweaks',
          user,
          author_association: association,
          head: { ref: 'tweaks', sha: pr.head },
          base: { ref: 'main', sha: pr.base }
        },
        repository: { full_name: REPO }
      })
    );
    const summaries: string[] = [];
    const outputs: Record<string, string> = {};
    const input = { token: TOKEN, 'trusted-orgs': 'numpy,scipy', 'fail-on': 'none', ...inputs };
    const report = await runAction(definition, {
      env: {
        GITHUB_WORKSPACE: pr.dir,
        RUNNER_TEMP: temp,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: REPO,
        GITHUB_API_URL: gh.url,
        ...Object.fromEntries(Object.entries(input).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
      },
      now: () => new Date(),
      setOutput: (n, v) => void (outputs[n] = v),
      setFailed: () => undefined,
      appendSummary: async (md) => void summaries.push(md),
      annotate: () => undefined,
      info: () => undefined,
      warning: () => undefined,
      debug: () => undefined
    });
    return { report, summary: summaries.join(''), outputs };
  }

  const user = (login: string, id = 1000, type = 'User') => ({ login, id, type });

  it('an author nothing links to the maintainers is a new author; their build changes weigh more', async () => {
    const stranger = await scan(user('dave'));
    expectFires(stranger.report.findings, 'meta/new-author-sensitive-paths');
    const f = stranger.report.findings.find((x) => x.ruleId === 'meta/new-author-sensitive-paths')!;
    expect(f.message).toMatch(
      /^dave \(nothing links them to the maintainers of numpy, scipy, numpy\/numpy\) changes 2 sensitive file\(s\)/
    );
    expect(stranger.summary).toContain(
      `**Author:** ${mention('dave')}: first contribution to the ecosystem; account 40 days old; 1 vouch that does not count (${mention('mallory')}: voucher not trusted)`
    );
    expect(stranger.summary).toMatch(
      /sensitive-path or build finding\(s\) weighed ×1\.5: nothing links the author to the maintainers\./
    );

    const known = await scan(user('bob'), 'CONTRIBUTOR');
    expectQuiet(known.report.findings, 'meta/new-author-sensitive-paths');
    expect(known.summary).toMatch(
      /\*\*Author:\*\* @<!-- -->bob: 12 merged PRs in numpy since \d{4}; merged by a numpy maintainer, @<!-- -->alice/
    );
    expect(known.report.data?.author).toMatchObject({
      login: 'bob',
      standing: 'near',
      paths: [expect.stringMatching(/^@alice \(numpy maintainer\) merged 12 PRs of @bob/)]
    });
    // The same diff scores lower from a contributor the maintainers know than from a stranger.
    expect(Number(known.outputs['risk-score'])).toBeLessThan(Number(stranger.outputs['risk-score']));
  });

  it('a vouched newcomer is no new author', async () => {
    const r = await scan(user('newbie'), 'FIRST_TIME_CONTRIBUTOR');
    expectQuiet(r.report.findings, 'meta/new-author-sensitive-paths');
    expect(r.summary).toContain(`vouched for by ${mention('alice')} (numpy maintainer) since 2025-07-10`);
  });

  it('verified bots are not new authors; a bot name with another id is', async () => {
    const dependabot = await scan(user('dependabot[bot]', 49699333, 'Bot'));
    expectQuiet(dependabot.report.findings, 'meta/new-author-sensitive-paths');
    expect(dependabot.summary).toContain(`**Author:** ${mention('dependabot\\[bot\\]')}: verified bot (Dependabot)`);
    expect(dependabot.report.notChecked).toEqual([]);
    const impostor = await scan(user('dependabot[bot]', 12345, 'Bot'));
    expectFires(impostor.report.findings, 'meta/new-author-sensitive-paths');
  });

  it('puts the author line in the public comment only when asked', async () => {
    const comments = () => gh.state.repos[REPO].pulls[0].comments;
    await scan(user('dave'), 'NONE', { comment: 'true' });
    expect(comments()).toHaveLength(1);
    expect(comments()[0].body).not.toContain('Author:');
    expect(comments()[0].body).not.toContain('mallory');
    expect(comments()[0].body).toContain('Some findings are weighed by who the author is (see the job summary).');
    await scan(user('dave'), 'NONE', { comment: 'true', 'author-context': 'comment' });
    expect(comments()).toHaveLength(1);
    expect(comments()[0].body).toContain(`**Author:** ${mention('dave')}: first contribution to the ecosystem`);
  });

  it('refuses an organisation name that would change the searches', async () => {
    const r = await scan(user('bob'), 'NONE', { 'trusted-orgs': 'numpy is:private' });
    expect(r.report.errors).toEqual(["Input 'trusted-orgs': 'numpy is:private' is not a GitHub organisation."]);
  });

  it('when GitHub fails, the trust is "not checked" and the event’s association decides', async () => {
    gh.addFault(serverError({ match: 'POST /graphql', status: 502, times: 50 }));
    try {
      const r = await scan(user('bob'), 'FIRST_TIME_CONTRIBUTOR');
      expectFires(r.report.findings, 'meta/new-author-sensitive-paths');
      expect(r.report.findings.find((x) => x.ruleId === 'meta/new-author-sensitive-paths')!.message).toMatch(
        /\(author association FIRST_TIME_CONTRIBUTOR\)/
      );
      expect(r.report.notChecked).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ check: 'author-trust', reason: expect.stringMatching(/502/) })
        ])
      );
      expect(r.report.data?.author).toMatchObject({ standing: 'unknown' });
    } finally {
      gh.setFaults([]);
    }
  });
});

describe('the risk score and the author', () => {
  const at = (id: string, file: string, severity?: Finding['severity']): Finding =>
    createFinding(REGISTRY.get(id)!, { message: id, location: { file, line: 1 }, ...(severity ? { severity } : {}) });
  const xz = [
    at('binary/compressed-test-data', 'tests/files/bad-3-corrupt_lzma2.xz'),
    at('obfuscation/encoded-exec', 'src/liblzma/check/crc64_fast.c'),
    at('workflow/template-injection', '.github/workflows/ci.yml'),
    at('unicode/bidi-control', 'src/x.py')
  ];
  const build = [at('build/autotools', 'configure.ac'), at('build/native-build-script', 'CMakeLists.txt')];

  it('a trusted author never lowers binary, obfuscation or injection findings (the xz lesson)', () => {
    expect(xz.map(weighedByAuthor)).toEqual([false, false, false, false]);
    expect(riskScore(xz, 'maintainer').score).toBe(riskScore(xz, 'none').score);
    expect(riskScore(xz, 'maintainer').score).toBe(riskScore(xz).score);
  });

  it('build and sensitive-path findings weigh more with no path and less with a short one', () => {
    expect(build.map(weighedByAuthor)).toEqual([true, true]);
    const [none, unknown, near, maintainer] = (['none', 'unknown', 'near', 'maintainer'] as const).map(
      (s) => riskScore(build, s).score
    );
    expect(none).toBeGreaterThan(unknown);
    expect(unknown).toBeGreaterThan(near);
    expect(near).toBeGreaterThan(maintainer);
    expect(maintainer).toBeGreaterThan(0);
    expect(riskScore(build, 'none').author).toEqual({ standing: 'none', factor: AUTHOR_FACTOR.none, findings: 2 });
    expect(riskScore(build, 'unknown').author).toBeUndefined();
  });
});
