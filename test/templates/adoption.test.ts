// The walk-through (docs/walkthrough.md) tried as a new user would: a small
// library with no workflows (test/fixtures/adoption-sample) adopts the four
// templates in one pull request, and the bundled actions run on it exactly as
// the runner would run them (test/harness/run-action.ts).
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runAction } from '../harness/run-action';

const SAMPLE = join(REPO_ROOT, 'test', 'fixtures', 'adoption-sample');
const TEMPLATES = join(REPO_ROOT, 'workflows-templates');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** Step 1 of the walk-through: the repository before and after the adoption PR. */
function adoptionRepo(): { dir: string; base: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), 'adoption-'));
  cpSync(SAMPLE, dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, '-c', 'user.name=Maintainer', '-c', 'user.email=m@example.org', 'add', '-A');
  git(dir, '-c', 'user.name=Maintainer', '-c', 'user.email=m@example.org', 'commit', '-q', '-m', 'sample project');
  const base = git(dir, 'rev-parse', 'HEAD');
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  for (const f of readdirSync(TEMPLATES).filter((n) => n.endsWith('.yml')))
    cpSync(join(TEMPLATES, f), join(dir, '.github', 'workflows', f));
  git(dir, 'add', '-A');
  git(
    dir,
    '-c',
    'user.name=Maintainer',
    '-c',
    'user.email=m@example.org',
    'commit',
    '-q',
    '-m',
    'Adopt the security-actions templates'
  );
  return { dir, base, head: git(dir, 'rev-parse', 'HEAD') };
}

describe('adopting all four templates on a new repository', () => {
  const repo = adoptionRepo();

  it('verify-deps (offline, as in the walk-through’s local try) finds nothing wrong with the adopted workflows', async () => {
    const r = await runAction('verify-deps', {
      workspace: repo.dir,
      inputs: { offline: 'true', 'fail-on-not-checked': 'false', checks: 'actions' }
    });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(r.exitCode).toBe(0);
    expect(r.report.findings.map((f: any) => `${f.ruleId} ${f.location?.file}:${f.location?.line}`)).toEqual([]);
    expect(Number(r.outputs['dependencies-count'])).toBeGreaterThanOrEqual(15);
    expect(r.summary).toContain('Not checked'); // the online half says it did not run
  });

  it('verify-deps with every check (offline): the one thing a library without a lock file is told, at low', async () => {
    const r = await runAction('verify-deps', {
      workspace: repo.dir,
      inputs: { offline: 'true', 'fail-on-not-checked': 'false' }
    });
    expect(r.exitCode).toBe(0);
    expect(r.report.findings.map((f: any) => `${f.ruleId} ${f.severity} ${f.location?.file}`)).toEqual([
      'python/no-lock low pyproject.toml'
    ]);
  });

  it('verify-deps in PR mode reports only what the adoption PR adds, and the PR adds nothing wrong', async () => {
    const r = await runAction('verify-deps', {
      workspace: repo.dir,
      inputs: { offline: 'true', 'fail-on-not-checked': 'false', 'diff-base': repo.base }
    });
    expect(r.exitCode).toBe(0);
    expect(
      r.report.findings.filter((f: any) => f.location?.file?.startsWith('.github/')).map((f: any) => f.ruleId)
    ).toEqual([]);
  });

  it('sp-security scan (the local try in step 2) exits 0 and reports nothing above info in the adopted workflows', () => {
    const r = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'packages/cli/bin/sp-security.js'), 'scan', '--repo', repo.dir, '--format', 'json'],
      { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } }
    );
    expect(r.status).toBe(0);
    const findings: any[] = JSON.parse(r.stdout).findings;
    expect(findings.filter((f) => f.location?.file?.startsWith('.github/workflows/') && f.severity !== 'info')).toEqual(
      []
    );
    // Not vacuous: the workflow audit read them, and points out each job's write grant for review.
    expect(findings.filter((f) => f.ruleId === 'workflow/write-permissions').length).toBeGreaterThan(0);
  });

  it('pr-anomaly-scan on the adoption PR: nothing at medium or above, and the new write permissions are pointed out to the reviewer at info', async () => {
    const r = await runAction('pr-anomaly-scan', {
      workspace: repo.dir,
      eventName: 'pull_request',
      inputs: { base: repo.base, head: repo.head, token: '' }
    });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.exitCode).toBe(0);
    const findings: any[] = r.report.findings;
    expect(
      findings
        .filter((f) => ['medium', 'high', 'critical'].includes(f.severity))
        .map((f) => `${f.ruleId} ${f.location?.file}:${f.location?.line}`)
    ).toEqual([]);
    // Every job-level write grant is still shown, at info, for a reviewer to confirm.
    const writes = findings
      .filter((f) => f.ruleId.endsWith('write-permissions'))
      .map((f) => `${f.severity} ${f.location.file} ${f.evidence}`);
    expect(writes.sort()).toEqual([
      'info .github/workflows/access-audit.yml issues: write',
      'info .github/workflows/disclosure-coordinator.yml issues: write',
      'info .github/workflows/pr-anomaly-scan.yml security-events: write',
      'info .github/workflows/release.yml attestations: write',
      'info .github/workflows/release.yml contents: write',
      'info .github/workflows/release.yml id-token: write',
      'info .github/workflows/release.yml id-token: write',
      'info .github/workflows/verify-deps.yml security-events: write'
    ]);
    expect(r.outputs['highest-severity']).toBe('low');
  });
});

describe('the dogfood job on this repository', () => {
  it('verify-deps with dogfood.yml’s own inputs (offline) finds nothing in the suite’s workflows', async () => {
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    const dogfood = parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', 'dogfood.yml'), 'utf8'));
    const step = dogfood.jobs['verify-deps'].steps.find((s: any) => s.uses === './actions/verify-deps');
    // diff-base is an expression (empty on push: the full scan); the reports go to a temp dir, not the checkout.
    const out = mkdtempSync(join(tmpdir(), 'dogfood-'));
    const inputs = {
      ...step.with,
      'diff-base': '',
      offline: 'true',
      'fail-on-not-checked': 'false',
      'sarif-file': join(out, 'vd.sarif'),
      'report-file': join(out, 'vd.json')
    };
    const r = await runAction('verify-deps', { workspace: REPO_ROOT, inputs });
    expect(r.exitCode).toBe(0);
    expect(r.report.findings.map((f: any) => `${f.ruleId} ${f.location?.file}:${f.location?.line}`)).toEqual([]);
    expect(Number(r.outputs['dependencies-count'])).toBeGreaterThanOrEqual(20);
  });
});
