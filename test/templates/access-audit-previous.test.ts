// The access-audit template carries each run's merged report to the next run
// (SPEC 6 S6-8: who lost write access, and the secrets and deploy keys to
// rotate; the dashboard's trend). Played as the runner would play it
// (play-workflow.ts): GitHub's expression library for every `if:`, `with:` and
// job output, the lookup script in bash against a simulated history of runs,
// artifacts moved between jobs and runs, and the committed access-audit bundle
// against the fake GitHub and PyPI.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPO_ROOT } from '../harness/run-action';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { startFakePyPI } from '../fakes/pypi/server.mjs';
import { pypiWorld } from '../access-audit/pypi-world';
import { type JobResult, type SimRun, type World, artifactText, playRun, runScript, stepOf } from './play-workflow';
import { OWN_PREFIX, type Step, readWorkflows, stepsOf } from './workflows';

const template = readWorkflows().find((w) => w.file === 'workflows-templates/access-audit.yml')!;
const doc = template.doc;
const WORKFLOW_PATH = '.github/workflows/access-audit.yml';
const REPO = 'sp/.github-private';
const REPORT_ARTIFACT = 'access-audit-report';
const haveJq = spawnSync('jq', ['--version']).status === 0;

const auditSteps = (job: any): Step[] => stepsOf(job).filter((s) => s.uses?.startsWith(`${OWN_PREFIX}access-audit@`));
const findStep = (): Step => stepsOf(doc.jobs.previous).find((s: any) => s.id === 'find')!;

describe('access-audit.yml: how the previous report is wired', () => {
  it('the merge job keeps its report-file output under the name the lookup asks for, long enough for a weekly schedule', () => {
    const keep = stepsOf(doc.jobs.merge).find(
      (s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.name === REPORT_ARTIFACT
    )!;
    expect(keep).toBeDefined();
    expect(keep.with?.path).toBe('${{ steps.merge.outputs.report-file }}');
    expect(Number(keep.with?.['retention-days'])).toBeGreaterThanOrEqual(35);
    expect(findStep().run).toContain(`name=${REPORT_ARTIFACT}`);
    const download = stepsOf(doc.jobs.previous).find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toMatchObject({
      name: REPORT_ARTIFACT,
      'run-id': '${{ steps.find.outputs.run-id }}',
      'github-token': '${{ github.token }}'
    });
  });

  it('every access-audit step (each shard, and the merge for the trend) gets previous-report, and the file name matches the merge’s report-file', () => {
    const steps = [...auditSteps(doc.jobs.audit), ...auditSteps(doc.jobs.merge)];
    expect(steps).toHaveLength(2);
    for (const s of steps)
      expect(s.with?.['previous-report']).toMatch(
        /needs\.previous\.outputs\.found == 'true' && 'previous\/access-audit\.json' \|\| ''/
      );
    const merge = auditSteps(doc.jobs.merge)[0];
    expect(basename(String(merge.with?.['report-file']))).toBe('access-audit.json');
  });

  it('the lookup reads the token and everything else from env:, never from an expression in the script', () => {
    expect(findStep().env).toEqual({ GH_TOKEN: '${{ github.token }}' });
    expect(findStep().run).not.toContain('${{');
  });
});

const run = (id: number, extra: Partial<SimRun> = {}): SimRun => ({
  id,
  event: 'schedule',
  headBranch: 'main',
  status: 'completed',
  conclusion: 'success',
  workflowPath: WORKFLOW_PATH,
  artifacts: [],
  ...extra
});
const kept = (id: number, expired = false) => ({
  id,
  name: REPORT_ARTIFACT,
  files: { 'access-audit.json': '{}' },
  expired
});

(haveJq ? describe : describe.skip)('the lookup script (bash, stub gh, real jq)', () => {
  const world = (runs: SimRun[], extra: Partial<World> = {}): World => ({
    repository: REPO,
    repositoryId: 7,
    defaultBranch: 'main',
    runs,
    audit: { apiUrl: '', graphqlUrl: '', pypiUrl: '' },
    ...extra
  });
  const lookup = (w: World, permissions = doc.jobs.previous.permissions) =>
    runScript(findStep().run!, {
      world: w,
      env: { GH_TOKEN: 'workflow-token' },
      permissions,
      workflowRef: `${REPO}/${WORKFLOW_PATH}@refs/heads/main`
    });

  it('first run: nothing earlier, so no run-id, and the step succeeds', () => {
    const r = lookup(world([run(1, { status: 'in_progress', conclusion: null })]));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toEqual({});
    expect(r.stdout).toMatch(/No earlier run on main kept a report/);
  });

  it('takes the newest finished run of this workflow on the default branch, started by the schedule or by hand here, whose report has not expired', () => {
    const r = lookup(
      world(
        [
          run(1, { artifacts: [kept(11)] }),
          run(2, { event: 'workflow_dispatch', conclusion: 'failure', artifacts: [kept(12)] }), // failed on findings: its report counts
          run(3, { conclusion: 'failure' }), // a shard failed: nothing kept
          run(4, { artifacts: [kept(14, true)] }), // expired
          run(5, { headBranch: 'feature', event: 'workflow_dispatch', artifacts: [kept(15)] }),
          run(6, { event: 'pull_request', artifacts: [kept(16)] }),
          run(7, { event: 'workflow_dispatch', headRepositoryId: 99, artifacts: [kept(17)] }),
          run(8, { workflowPath: '.github/workflows/other.yml', artifacts: [kept(18)] }),
          run(9, { status: 'in_progress', conclusion: null })
        ],
        { defaultBranch: 'main' }
      )
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toEqual({ 'run-id': '2' });
    // The filters GitHub applies are asked for (GET with query fields, not a POST body).
    const runsCall = r.ghCalls.find((c) => c.some((a) => a.endsWith('/actions/workflows/access-audit.yml/runs')))!;
    expect(runsCall).toEqual(expect.arrayContaining(['-X', 'GET', 'branch=main', 'status=completed']));
  });

  it('asks GitHub for the default branch instead of assuming main', () => {
    const r = lookup(
      world(
        [
          run(1, { headBranch: 'main', artifacts: [kept(11)] }),
          run(2, { headBranch: 'develop', artifacts: [kept(12)] }),
          run(3, { headBranch: 'main', artifacts: [kept(13)] })
        ],
        { defaultBranch: 'develop' }
      )
    );
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toEqual({ 'run-id': '2' });
  });

  it('fails, rather than passing as a first run, when the API does not answer or actions: read is missing', () => {
    const faulty = lookup(world([run(1, { artifacts: [kept(11)] })], { apiFaults: { '/actions/workflows/': 502 } }));
    expect(faulty.exitCode).not.toBe(0);
    expect(faulty.outputs).toEqual({});
    const noPermission = lookup(world([run(1, { artifacts: [kept(11)] })]), { contents: 'read' });
    expect(noPermission.exitCode).not.toBe(0);
    expect(noPermission.stderr).toMatch(/Resource not accessible by integration/);
  });
});

(haveJq ? describe : describe.skip)('two weekly runs of the template against the fake GitHub', () => {
  let fake: any;
  let pypi: any;
  let world: World;
  const history: SimRun[] = [];
  const results: Record<number, Record<string, JobResult>> = {};

  beforeAll(async () => {
    const w = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fakes/github/worlds/audit-small.json'), 'utf8'));
    // The private repository where the template runs and the dashboard issue lives; alice is the fake's token user.
    w.repos['sp/clean'].deploy_keys[0].created_at = '2020-01-01T00:00:00Z'; // old: reported unless the config exempts it
    w.repos[REPO] = {
      private: true,
      collaborators: { alice: 'admin' },
      commits: [{ sha: '9999999999999999999999999999999999999999', message: 'init', author: { login: 'alice' } }]
    };
    fake = await startFakeGitHub({ world: w });
    pypi = await startFakePyPI({ world: pypiWorld() });
    // Its config is checked out by the template: an exemption that must reach every shard.
    const files = {
      '.github/security-actions.yml':
        'access-audit:\n  exemptions:\n    - repo: clean\n      check: repo/deploy-key-old\n      reason: mirror key, rotated with the mirror host\n',
      'README.md': 'not checked out\n'
    };
    world = {
      repository: REPO,
      repositoryId: 7,
      defaultBranch: 'main',
      runs: history,
      files,
      audit: { apiUrl: fake.url, graphqlUrl: fake.graphqlUrl, pypiUrl: pypi.url }
    };
  });
  afterAll(async () => Promise.all([fake?.close(), pypi?.close()]));

  /** Plays run `id`; afterwards it is a finished run in the history, as GitHub would list it. */
  const play = async (id: number, extra: Partial<SimRun> = {}) => {
    const r = run(id, { status: 'in_progress', conclusion: null, ...extra });
    history.push(r);
    const jobs = await playRun(doc, WORKFLOW_PATH, r, world);
    r.status = 'completed';
    r.conclusion = Object.values(jobs).some((j) => j.result === 'failure') ? 'failure' : 'success';
    results[id] = jobs;
    return jobs;
  };
  const issues = () => fake.state.repos[REPO].issues ?? [];
  const removals = (report: any) => report.findings.filter((f: any) => f.ruleId === 'people/removed-rotate-secrets');
  const notCheckedRemovals = (report: any) =>
    report.notChecked.filter((n: any) => n.check === 'people/removed-rotate-secrets');

  it('first run: no previous report, nothing fails for it; S6-8 is listed as not checked and the report is kept', async () => {
    const jobs = await play(1);
    expect(jobs.previous.result).toBe('success');
    expect(jobs.previous.outputs).toEqual({ found: 'false' });
    expect(stepOf(jobs.previous, 'find').outputs).toEqual({});
    expect(stepOf(jobs.previous, 'download').outcome).toBe('skipped');
    expect(stepOf(jobs.previous, 'keep').outcome).toBe('skipped');

    expect(jobs.audit.result).toBe('success');
    expect(jobs.audit.legs).toHaveLength(2);
    for (const [i, leg] of jobs.audit.legs.entries()) {
      expect(stepOf(jobs.audit, 'Fetch the previous report', i).outcome).toBe('skipped');
      const audit = stepOf(jobs.audit, 'Audit', i);
      expect(audit.given['previous-report']).toBe('');
      expect(audit.given.shard).toBe(`${leg.matrix.shard}/2`);
      expect(audit.action!.report.errors).toEqual([]);
      expect(notCheckedRemovals(audit.action!.report).map((n: any) => n.reason)).toEqual([
        expect.stringMatching(/no previous report/)
      ]);
    }
    // Each shard read the checked-out config (only that file): its exemption covers the clean repository's old key.
    const shardFindings = jobs.audit.legs.flatMap(
      (_: unknown, i: number) => stepOf(jobs.audit, 'Audit', i).action!.report.findings
    );
    const oldKey = shardFindings.find((f: any) => f.ruleId === 'repo/deploy-key-old' && f.properties?.repo === 'clean');
    expect(oldKey?.suppression?.reason).toBe('mirror key, rotated with the mirror host');

    const merge = stepOf(jobs.merge, 'merge');
    expect(merge.given['previous-report']).toBe('');
    expect(merge.action!.report.errors).toEqual([]);
    // The step fails only because the small world has high findings (fail-on: high), by design.
    expect(merge.outcome).toBe('failure');
    expect(merge.action!.stdout + merge.action!.stderr).toMatch(/at or above fail-on: high/);
    expect(notCheckedRemovals(merge.action!.report)).toHaveLength(1);
    expect(issues()).toHaveLength(1);
    expect(issues()[0].body).toContain('Trend: no previous report given');

    // Kept for the next run although the step failed on findings: the report was written first.
    expect(stepOf(jobs.merge, 'Keep the merged report for the next run').outcome).toBe('success');
    const keptReport = artifactText(history[0], REPORT_ARTIFACT)!;
    expect(Object.keys(keptReport)).toEqual(['access-audit.json']);
    expect(JSON.parse(keptReport['access-audit.json']).data.access.weak.people).toContain('carol');
    expect(history[0].artifacts.find((a) => a.name === REPORT_ARTIFACT)!.retentionDays).toBeGreaterThanOrEqual(35);
  }, 180_000);

  it('next week, after carol lost write access to weak: her shard reports what to rotate, the dashboard shows the trend', async () => {
    delete fake.state.repos['sp/weak'].collaborators.carol;
    // A pull request's run that uploaded a report of the same name must not be taken.
    history.push(
      run(2, {
        event: 'pull_request',
        headRepositoryId: 99,
        artifacts: [
          {
            id: 2001,
            name: REPORT_ARTIFACT,
            files: { 'access-audit.json': '{"findings": [], "notChecked": []}' },
            expired: false
          }
        ]
      })
    );
    const jobs = await play(3);

    expect(jobs.previous.result).toBe('success');
    expect(stepOf(jobs.previous, 'find').outputs).toEqual({ 'run-id': '1' });
    expect(jobs.previous.outputs).toEqual({ found: 'true' });

    expect(jobs.audit.result).toBe('success');
    const legs = jobs.audit.legs.map((_l, i) => stepOf(jobs.audit, 'Audit', i));
    for (const a of legs) {
      expect(a.given['previous-report']).toBe('previous/access-audit.json');
      expect(a.action!.report.errors).toEqual([]);
      expect(notCheckedRemovals(a.action!.report)).toEqual([]);
    }
    const found = legs.flatMap((a) => removals(a.action!.report));
    expect(
      found.map((f: any) => [f.properties.repo ?? f.message.split(':')[0], f.properties.login, f.properties.secrets])
    ).toEqual([['weak', 'carol', ['PYPI_API_TOKEN']]]);

    const merge = stepOf(jobs.merge, 'merge');
    expect(merge.given['previous-report']).toBe('previous/access-audit.json');
    expect(merge.action!.report.errors).toEqual([]);
    expect(removals(merge.action!.report).map((f: any) => f.properties.login)).toEqual(['carol']);
    expect(issues()).toHaveLength(1);
    expect(issues()[0].body).toMatch(
      /Trend since the run of \d{4}-\d\d-\d\d: \d+ → \d+ findings \(1 new, \d+ resolved\)/
    );
    expect(
      artifactText(
        history.find((r) => r.id === 3)!,
        REPORT_ARTIFACT
      )
    ).toBeDefined();
  }, 180_000);

  it('a run with a broken shard is audited but not kept, and the following run still compares with the last complete one', async () => {
    world.failAppToken = (m) => m.shard === 2;
    const broken = await play(4);
    world.failAppToken = undefined;
    expect(broken.audit.result).toBe('failure');
    expect(broken.merge.result).toBe('failure');
    expect(stepOf(broken.merge, 'Keep the merged report for the next run').outcome).toBe('skipped');
    expect(
      artifactText(
        history.find((r) => r.id === 4)!,
        REPORT_ARTIFACT
      )
    ).toBeUndefined();

    const next = await play(5);
    expect(stepOf(next.previous, 'find').outputs).toEqual({ 'run-id': '3' });
    expect(next.audit.result).toBe('success');
  }, 180_000);

  it('a lookup that fails (API error) fails its job, and the audit still runs without a previous report', async () => {
    world.apiFaults = { '/actions/workflows/': 502 };
    const jobs = await play(6);
    world.apiFaults = undefined;
    expect(jobs.previous.result).toBe('failure');
    expect(jobs.previous.outputs).toEqual({ found: 'false' });
    expect(jobs.audit.result).toBe('success');
    for (const i of [0, 1]) expect(notCheckedRemovals(stepOf(jobs.audit, 'Audit', i).action!.report)).toHaveLength(1);
    expect(stepOf(jobs.merge, 'merge').action!.report.errors).toEqual([]);
  }, 180_000);
});
