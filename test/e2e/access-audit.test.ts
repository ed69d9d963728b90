// access-audit through its bundle, against the fake GitHub: the report, the
// dashboard issue edited in place, and shards merged into the single-run report.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runAction } from '../harness/run-action';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { startFakePyPI } from '../fakes/pypi/server.mjs';
import { startFakeBestPractices } from '../fakes/bestpractices/server.mjs';
import { ITEMS } from '../../actions/access-audit/src/assessment/items';
import { pypiWorld } from '../access-audit/pypi-world';
import { linkableText, mentions, renderGfm } from '../helpers/gfm';

const world = () => {
  const w = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fakes/github/worlds/audit-small.json'), 'utf8'));
  // The audit repository lives outside the audited org, so it adds no findings.
  // Private, as the audit requires; the fake's token user (alice) can read it like a workflow's own token.
  w.repos['admins/audit'] = {
    private: true,
    collaborators: { alice: 'admin' },
    commits: [{ sha: '9999999999999999999999999999999999999999', message: 'init', author: { login: 'alice' } }]
  };
  w.repos['admins/public-audit'] = {
    commits: [{ sha: '9999999999999999999999999999999999999998', message: 'init', author: { login: 'alice' } }]
  };
  // The bundle audits as of today: keep the clean repository's deploy key a month old.
  w.repos['sp/clean'].deploy_keys[0].created_at = new Date(Date.now() - 30 * 86_400_000)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  return w;
};

let fake: any;
let pypi: any;
let bp: any;
beforeAll(async () => {
  fake = await startFakeGitHub({ world: world() });
  pypi = await startFakePyPI({ world: pypiWorld() });
  bp = await startFakeBestPractices({
    world: { projects: [{ id: 101, repo_url: 'https://github.com/sp/clean', badge_level: 'passing' }] }
  });
});
afterAll(async () => Promise.all([fake?.close(), pypi?.close(), bp?.close()]));

const run = (inputs: Record<string, string>, workspace?: string, repository = 'admins/audit') =>
  runAction('access-audit', {
    // The runs here are about the reports: neither findings nor not-checked entries fail them unless a test says so.
    inputs: {
      token: 'audit-token',
      org: 'sp',
      'fail-on': 'none',
      'fail-on-not-checked': 'false',
      'pypi-url': pypi.url,
      'best-practices-url': bp.url,
      ...inputs
    },
    githubToken: 'workflow-token',
    repository,
    apiUrl: fake.url,
    graphqlUrl: fake.graphqlUrl,
    workspace
  });

describe('access-audit bundle', () => {
  it('audits the org, writes the reports and keeps one dashboard issue', async () => {
    const first = await run({});
    expect(first.exitCode).toBe(0);
    expect(first.outputs['repos-audited']).toBe('3');
    expect(first.outputs['repos-skipped']).toBe('2');
    expect(Number(first.outputs['api-requests'])).toBeGreaterThan(0);
    const ruleIds = new Set(first.report.findings.map((f: any) => f.ruleId));
    for (const id of [
      'org/2fa-not-required',
      'repo/branch-unprotected',
      'env/single-reviewer',
      'repo/long-lived-token-secret',
      'pypi/no-trusted-publishing'
    ])
      expect(ruleIds).toContain(id);
    expect(first.report.findings.filter((f: any) => f.properties?.repo === 'clean')).toEqual([]);
    expect(first.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('audit-token');

    const issues = () => fake.state.repos['admins/audit'].issues;
    expect(issues()).toHaveLength(1);
    const body: string = issues()[0].body;
    expect(body).toContain('<!-- security-actions:access-audit:sp -->');
    // 14 settings findings (high: env/no-reviewers, force push, PyPI token secret, no provenance), 7 from
    // .github/workflows/publish.yml (high: trigger, no environment, password, the two actions on tags), 6 security
    // features (high: the self-hosted runner of gpu.yml; medium: secret scanning, Dependabot alerts; low: code
    // scanning, private vulnerability reporting, Dependabot action updates), 3 of the self-assessment (no incident
    // response plan, threat model or Best Practices badge); broken.yaml is not checked.
    expect(body).toMatch(/\| weak \| 30 \| 10 \| 1 \|/);
    expect(body).toContain('Self-assessment items met per repository');
    for (const id of ['publish/trigger', 'publish/no-environment', 'publish/password']) expect(ruleIds).toContain(id);
    // Rendered as GitHub renders it: no text node outside code would mention anyone.
    expect(linkableText(renderGfm(body)).filter(mentions)).toEqual([]);

    const second = await run({ 'previous-report': first.outputs['report-file'] });
    expect(second.exitCode).toBe(0);
    expect(issues()).toHaveLength(1);
    expect(issues()[0].body).toMatch(
      /Trend since the run of \d{4}-\d\d-\d\d: \d+ → \d+ findings \(0 new, 0 resolved\)/
    );
    // The second run has one before it: findings by severity over the two runs.
    expect(issues()[0].body).toContain('Findings by severity over the last runs');
    expect(second.report.data.history).toHaveLength(1);
  });

  it('refuses to run from a public repository, where anyone could read who lacks 2FA, unless allowed', async () => {
    const before = fake.requests.length;
    const r = await run({}, undefined, 'admins/public-audit');
    expect(r.exitCode).toBe(1);
    expect(r.report.errors.join('\n')).toMatch(/admins\/public-audit is public: .*allow-public-repository: true/);
    expect(r.report.findings).toEqual([]);
    expect(r.summary).not.toMatch(/bob/);
    // Nothing about the organization was read: only the repository's visibility.
    expect(fake.requests.slice(before).map((q: any) => `${q.method} ${q.path}`)).toEqual([
      'GET /repos/admins/public-audit'
    ]);
    expect(fake.state.repos['admins/public-audit'].issues).toHaveLength(0);
    const allowed = await run({ 'allow-public-repository': 'true', issue: 'false' }, undefined, 'admins/public-audit');
    expect(allowed.exitCode).toBe(0);
    expect(allowed.outputs['repos-audited']).toBe('3');
  });

  it('fails on findings at or above fail-on', async () => {
    const r = await run({ 'fail-on': 'high', issue: 'false' });
    expect(r.exitCode).toBe(1);
  });

  it('fails when a check could not run, unless fail-on-not-checked is false; a rejected token fails the run', async () => {
    fake.setFaults([{ match: 'GET /orgs/sp', status: 401, body: { message: 'Bad credentials' }, times: 100 }]);
    try {
      const rejected = await run({ 'fail-on-not-checked': 'true', issue: 'false' });
      expect(rejected.exitCode).toBe(1);
      expect(rejected.report.findings).toEqual([]);
      expect(rejected.report.notChecked).toEqual([
        {
          check: 'access-audit',
          reason: 'nothing audited: the token was rejected (401 Bad credentials)',
          target: 'sp'
        }
      ]);
      expect(rejected.stdout).toMatch(/::error::access-audit: 1 check\(s\) could not run/);
      const waived = await run({ issue: 'false' });
      expect(waived.exitCode).toBe(0);
      expect(waived.report.notChecked).toHaveLength(1);
    } finally {
      fake.setFaults([]);
    }
    // The default fails: a run without a previous report cannot tell who lost access.
    const { exitCode, report } = await run({ 'fail-on-not-checked': '', issue: 'false' });
    expect(report.notChecked.map((n: { check: string }) => n.check)).toContain('people/removed-rotate-secrets');
    expect(exitCode).toBe(1);
  });

  it('gives the same report from two merged shards as from one run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-shards-'));
    const single = await run({ issue: 'false', 'report-file': join(dir, 'all.json') });
    const s1 = await run({ issue: 'false', shard: '1/2', 'report-file': join(dir, 's1.json') });
    const s2 = await run({ issue: 'false', shard: '2/2', 'report-file': join(dir, 's2.json') });
    expect(Number(s1.outputs['repos-audited']) + Number(s2.outputs['repos-audited'])).toBe(3);
    const merged = await run({
      issue: 'false',
      'merge-reports': `${join(dir, 's1.json')}\n${join(dir, 's2.json')}`,
      'report-file': join(dir, 'merged.json')
    });
    const key = (r: any) => r.findings.map((f: any) => `${f.ruleId} ${f.message}`).sort();
    expect(key(merged.report)).toEqual(key(single.report));
    expect(merged.outputs['repos-audited']).toBe('3');
    expect(merged.outputs['repos-skipped']).toBe('2');
    const nc = (r: any) => r.notChecked.map((n: any) => `${n.check} ${n.target}`).sort();
    expect(nc(merged.report)).toEqual(nc(single.report));
  });

  it('reports an unreadable shard report as one line, still writing the reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-bad-'));
    writeFileSync(join(dir, 'bad.json'), '{"findings": ');
    const r = await run({ issue: 'false', 'merge-reports': join(dir, 'bad.json') });
    expect(r.exitCode).toBe(1);
    expect(r.report.errors.join('\n')).toMatch(/bad\.json: /);
    expect(r.stdout).not.toMatch(/^\s+at /m);
  });
});

function cli(args: string[], env: Record<string, string | undefined>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const p = spawn(process.execPath, [join(REPO_ROOT, 'packages/cli/bin/sp-security.js'), ...args], {
      cwd: REPO_ROOT,
      env
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** What the fake org holds that a public page must never show: logins, emails, secret names, webhook hosts. */
function privateStrings(): string[] {
  const w = world();
  const org = w.orgs.sp;
  const logins = new Set<string>([...Object.keys(w.users), ...Object.keys(org.members)]);
  for (const t of Object.values<any>(org.teams)) for (const m of Object.keys(t.members ?? {})) logins.add(m);
  for (const g of org.pat_grants ?? []) logins.add(g.owner);
  const secrets = new Set<string>(Object.keys(org.secrets ?? {}));
  for (const r of Object.values<any>(w.repos)) {
    for (const l of Object.keys(r.collaborators ?? {})) logins.add(l);
    for (const s of Object.keys(r.secrets ?? {})) secrets.add(s);
    for (const e of Object.values<any>(r.environments ?? {}))
      for (const s of Object.keys(e.secrets ?? {})) secrets.add(s);
  }
  const hosts = (org.hooks ?? []).map((h: any) => new URL(h.url).host);
  const emails = JSON.stringify(w).match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? [];
  logins.delete('sp');
  return [...logins, ...secrets, ...hosts, ...emails];
}

describe('access-audit self-assessment', () => {
  it('writes a public page per repository that matches its findings and names no person, secret or host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assess-'));
    const r = await run({ issue: 'false', 'self-assessment': dir });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['self-assessment']).toBe(dir);
    const json = JSON.parse(readFileSync(join(dir, 'self-assessment.json'), 'utf8'));
    expect(json.repositories.map((a: any) => a.repo)).toEqual(['clean', 'unprotected', 'weak']);
    const forbidden = privateStrings();
    expect(forbidden.length).toBeGreaterThan(10);
    const LABEL: Record<string, string> = {
      'not-met': 'not met',
      'not-checked': 'not checked',
      'not-observable': 'not observable'
    };
    for (const repo of ['clean', 'unprotected', 'weak']) {
      const page = readFileSync(join(dir, `${repo}.md`), 'utf8');
      for (const s of forbidden) expect([repo, s, page.includes(s)]).toEqual([repo, s, false]);
      const rows = page.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Item'));
      expect(rows).toHaveLength(ITEMS.length);
      ITEMS.forEach((item, i) => {
        const standing = r.report.findings.filter(
          (f: any) =>
            !f.suppression &&
            (item.rules ?? []).includes(f.ruleId) &&
            (f.properties?.repo === undefined || f.properties.repo === repo)
        );
        const status = rows[i].split(' | ')[1];
        // The page says "not met" exactly where a finding of the item's rules stands.
        expect([repo, item.id, status.endsWith('not met')]).toEqual([repo, item.id, standing.length > 0]);
        const entry = json.repositories.find((a: any) => a.repo === repo).items[i];
        expect(status.endsWith(LABEL[entry.status] ?? entry.status)).toBe(true);
      });
    }
    const summary = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(summary).toContain('xychart-beta');
    for (const s of forbidden) expect([s, summary.includes(s)]).toEqual([s, false]);
  });

  it('sp-security assess --repo OWNER/NAME writes the page of that repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assess-cli-'));
    const args = ['assess', '--repo', 'sp/clean', '--out', dir, '--best-practices-url', bp.url, '--fail-on', 'none'];
    // Asynchronously: the fakes answer from this process.
    const r = await cli(args, {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_TOKEN: 'audit-token',
      GITHUB_API_URL: fake.url,
      GITHUB_GRAPHQL_URL: fake.graphqlUrl
    });
    expect([r.status, r.stderr.split('\n').filter((l) => /error/i.test(l))]).toEqual([0, []]);
    const json = JSON.parse(readFileSync(join(dir, 'self-assessment.json'), 'utf8'));
    expect(json.repositories.map((a: any) => a.repo)).toEqual(['clean']);
    expect(readFileSync(join(dir, 'clean.md'), 'utf8')).toMatch(
      /OpenSSF Best Practices badge .* ✅ met \| badge level passing/
    );
    const bad = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'packages/cli/bin/sp-security.js'), 'assess', '--repo', 'x', '--out', dir],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, GITHUB_TOKEN: 't' }
      }
    );
    expect([bad.status, bad.stderr.trim().split('\n').length]).toEqual([2, 1]);
  });
});
