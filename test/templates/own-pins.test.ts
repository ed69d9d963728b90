// The templates' pins of this suite's own actions
// (`scientific-python/security-actions/actions/<name>@<sha> # vX.Y.Z`) name a
// commit of this repository's history, and at that commit the action is the
// one the template is written for: its action.yml declares every input the
// template passes (and the template passes every required one), and its
// bundle is there and is not the early skeleton that only validated inputs.
//
// The commit is read with git from this checkout. Only a shallow checkout that
// lacks the commit skips, with a message saying how to fetch it; CI checks out
// the full history (fetch-depth: 0, tested below), so there it never skips.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../harness/run-action';
import { OWN_PREFIX, actionName, jobsOf, readWorkflows, stepsOf } from './workflows';

const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

type PinStatus = 'in-history' | 'not-an-ancestor' | 'missing' | 'missing-shallow';

/** Where `sha` stands in the checkout at `dir`: reachable from HEAD, present but off HEAD's history, or absent (and whether the checkout is shallow). */
function pinStatus(dir: string, sha: string): PinStatus {
  if (git(dir, 'cat-file', '-e', `${sha}^{commit}`).status !== 0) {
    return git(dir, 'rev-parse', '--is-shallow-repository').stdout.trim() === 'true' ? 'missing-shallow' : 'missing';
  }
  return git(dir, 'merge-base', '--is-ancestor', sha, 'HEAD').status === 0 ? 'in-history' : 'not-an-ancestor';
}

/** A file of this repository at a commit, or undefined when the commit does not have it. */
function show(sha: string, path: string): string | undefined {
  const r = git(REPO_ROOT, 'show', `${sha}:${path}`);
  return r.status === 0 ? r.stdout : undefined;
}

interface OwnUse {
  file: string;
  job: string;
  name: string;
  sha: string;
  given: string[];
}

const uses: OwnUse[] = readWorkflows()
  .filter((w) => w.template)
  .flatMap((w) =>
    jobsOf(w).flatMap(([job, j]) =>
      stepsOf(j)
        .filter((s) => s.uses?.startsWith(OWN_PREFIX))
        .map((s) => ({
          file: w.file,
          job,
          name: actionName(s.uses!).slice(OWN_PREFIX.length),
          sha: s.uses!.replace(/^.*@/, ''),
          given: Object.keys(s.with ?? {})
        }))
    )
  );
const pins = [...new Set(uses.map((u) => `${u.name}@${u.sha}`))].map((k) => k.split('@') as [string, string]);
/** The version comment of every own pin, by pinned commit. */
const comments = new Map<string, Set<string | undefined>>();
for (const u of readWorkflows()
  .filter((w) => w.template)
  .flatMap((w) => w.uses)
  .filter((x) => x.raw.startsWith(OWN_PREFIX)))
  comments.set(u.ref!, (comments.get(u.ref!) ?? new Set()).add(u.comment));

describe('pins of this suite’s own actions', () => {
  it('every template pins them, by full SHA', () => {
    expect(uses.length).toBeGreaterThanOrEqual(6);
    expect(new Set(uses.map((u) => u.name))).toEqual(
      new Set(['access-audit', 'disclosure-coordinator', 'pr-anomaly-scan', 'sign-release', 'verify-deps'])
    );
    for (const u of uses) expect([u.file, u.sha]).toEqual([u.file, expect.stringMatching(/^[0-9a-f]{40}$/)]);
  });
});

describe.each(pins)('%s pinned at %s', (name, sha) => {
  const status = pinStatus(REPO_ROOT, sha);
  if (status === 'missing-shallow') {
    const reason = `SKIPPED: commit ${sha} is not in this shallow checkout; fetch the full history (git fetch --unshallow, or actions/checkout with fetch-depth: 0) to check the pin`;
    console.warn(reason);
    it.skip(reason, () => undefined);
    return;
  }

  it('is a commit in this repository’s history (reachable from HEAD)', () => {
    expect(status).toBe('in-history');
  });

  it('declares, at that commit, every input the templates pass; the templates pass every required one', () => {
    const text = show(sha, `actions/${name}/action.yml`);
    expect(text).toBeDefined();
    const inputs: Record<string, { required?: boolean; default?: unknown }> = parseYaml(text!).inputs ?? {};
    const required = Object.entries(inputs)
      .filter(([, v]) => v.required && v.default === undefined)
      .map(([k]) => k);
    for (const u of uses.filter((x) => x.name === name && x.sha === sha)) {
      const where = `${u.file} job ${u.job}`;
      expect([where, u.given.filter((k) => !(k in inputs))]).toEqual([where, []]);
      expect([where, required.filter((k) => !u.given.includes(k))]).toEqual([where, []]);
    }
  });

  it('is commented with the version package.json declares at that commit: the tag the release workflow creates there', () => {
    const declared = JSON.parse(show(sha, 'package.json') ?? '{}').version;
    expect(declared).toMatch(/^\d+\.\d+\.\d+/);
    expect([...comments.get(sha)!]).toEqual([`v${declared}`]);
  });

  it('has, at that commit, the bundle action.yml runs, and it is not the early skeleton', () => {
    const meta = parseYaml(show(sha, `actions/${name}/action.yml`) ?? '{}');
    expect(meta.runs?.using).toBe('node24');
    const bundle = show(sha, join('actions', name, meta.runs.main));
    expect(bundle).toBeDefined();
    // The skeletons reported the whole action as "not part of this version" after validating inputs.
    expect(bundle).not.toMatch(/not part of this version/);
  });
});

describe('pinStatus (the only case that skips is a shallow checkout without the commit)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pins-'));
  const run = (cwd: string, ...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=M', '-c', 'user.email=m@example.org', '-c', 'protocol.file.allow=always', ...args],
      { cwd, encoding: 'utf8' }
    ).trim();
  const full = join(dir, 'full');
  run(dir, 'init', '-q', '-b', 'main', full);
  writeFileSync(join(full, 'a'), '1');
  run(full, 'add', 'a');
  run(full, 'commit', '-q', '-m', 'first');
  const first = run(full, 'rev-parse', 'HEAD');
  writeFileSync(join(full, 'a'), '2');
  run(full, 'commit', '-q', '-am', 'second');
  const second = run(full, 'rev-parse', 'HEAD');
  run(full, 'checkout', '-q', '-b', 'side', first);
  writeFileSync(join(full, 'b'), '3');
  run(full, 'add', 'b');
  run(full, 'commit', '-q', '-m', 'side');
  const side = run(full, 'rev-parse', 'HEAD');
  run(full, 'checkout', '-q', 'main');
  const shallow = join(dir, 'shallow');
  run(dir, 'clone', '-q', '--depth', '1', '--branch', 'main', `file://${full}`, shallow);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('full history: an ancestor is in history, another branch is not an ancestor, an unknown SHA is missing (a failure, not a skip)', () => {
    expect(pinStatus(full, first)).toBe('in-history');
    expect(pinStatus(full, side)).toBe('not-an-ancestor');
    expect(pinStatus(full, 'f'.repeat(40))).toBe('missing');
  });

  it('shallow clone: the tip is in history, an older commit is missing-shallow (the one skip)', () => {
    expect(pinStatus(shallow, second)).toBe('in-history');
    expect(pinStatus(shallow, first)).toBe('missing-shallow');
  });
});

describe('CI checks the pins on a full clone', () => {
  // .ci/run runs the tests in whatever checkout it is given; the workflows that run it must fetch the full history.
  it.each([
    ['.github/workflows/ci.yml', 'ci'],
    ['.github/workflows/release.yml', 'build']
  ])('%s job %s checks out this repository with fetch-depth: 0 before running .ci/run', (file, job) => {
    const doc = parseYaml(readFileSync(join(REPO_ROOT, file), 'utf8'));
    const steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] = doc.jobs[job].steps;
    const ciRun = steps.findIndex((s) => /\.ci\/run/.test(s.run ?? ''));
    expect(ciRun).toBeGreaterThan(0);
    const own = steps.slice(0, ciRun).filter((s) => s.uses?.startsWith('actions/checkout@') && !s.with?.repository);
    expect(own).toHaveLength(1);
    expect(own[0].with?.['fetch-depth']).toBe(0);
  });
});
