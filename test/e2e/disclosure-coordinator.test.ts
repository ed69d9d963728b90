// A whole disclosure through the committed bundle against the fake GitHub: a
// private report arrives, ages past its service level (the dashboard flags it),
// is accepted as a draft; three downstream repositories are found, two pinning
// an affected version, and their maintainers are added as collaborators; the
// advisory is published and exactly two notices are opened; a further run
// changes nothing. Then the same notices from a run killed midway and run
// again, and the refusal to run from a public repository.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../harness/run-action';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { expectFires, expectQuiet } from '../helpers/rules';
import { COORDINATOR_PERMISSIONS, ago } from '../disclosure-coordinator/world';

const CONFIG = `disclosure-coordinator:
  orgs: [sp]
  downstream:
    - repo: sp/app
      contacts: [bob]
    - repo: ext/locked
      contacts: [carol]
    - repo: ext/fine
      contacts: [dave]
  invite: [bob, carol]
`;

const commit = (c: string, login = 'alice') => [{ sha: c.repeat(40), message: 'init', author: { login } }];

function world(published = false) {
  const now = new Date();
  return {
    users: { alice: {}, bob: {}, carol: {}, dave: {}, erin: {} },
    orgs: { sp: { members: { alice: 'admin' } } },
    tokens: {
      'coordinator-app-token': { login: 'coordinator[bot]', permissions: { ...COORDINATOR_PERMISSIONS } },
      'workflow-token': {
        login: 'github-actions[bot]',
        permissions: { issues: 'write' },
        repositories: ['sp/security']
      },
      alice: { login: 'alice' },
      erin: { login: 'erin' }
    },
    repos: {
      'sp/security': { private: true, commits: commit('a') },
      'alice/public-coordination': { commits: commit('f') },
      'sp/lib': {
        private_vulnerability_reporting: true,
        commits: commit('b'),
        files: { main: { 'pyproject.toml': '[project]\nname = "splib"\n' } },
        ...(published
          ? {
              security_advisories: [
                {
                  ghsa_id: 'GHSA-2345-6789-cfgh',
                  state: 'published',
                  summary: 'Path traversal when extracting archives',
                  created_at: ago(now, 20),
                  published_at: ago(now, 1),
                  vulnerabilities: [
                    {
                      package: { ecosystem: 'pip', name: 'splib' },
                      vulnerable_version_range: '>= 1.0, < 1.4.2',
                      patched_versions: '1.4.2'
                    }
                  ]
                }
              ]
            }
          : {})
      },
      'sp/app': {
        private_vulnerability_reporting: true,
        commits: commit('c'),
        files: { main: { 'requirements.txt': 'numpy>=1.26\nsplib==1.2.0\n' } }
      },
      'ext/locked': {
        commits: commit('d', 'carol'),
        files: { main: { 'poetry.lock': '[[package]]\nname = "splib"\nversion = "1.3.0"\n' } }
      },
      'ext/fine': {
        commits: commit('e', 'dave'),
        files: { main: { 'requirements.txt': 'splib==1.4.2\n' } }
      }
    }
  };
}

let fake: Awaited<ReturnType<typeof startFakeGitHub>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coordination-'));
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github', 'security-actions.yml'), CONFIG);
  return dir;
}

const run = (ws: string, extra: Parameters<typeof runAction>[1] = {}, inputs: Record<string, string> = {}) =>
  runAction('disclosure-coordinator', {
    inputs: { token: 'coordinator-app-token', apply: 'true', 'fail-on': 'none', ...inputs },
    githubToken: 'workflow-token',
    repository: 'sp/security',
    apiUrl: fake!.url,
    workspace: ws,
    timeoutMs: 120_000,
    ...extra
  });

const api = (path: string, token: string, method = 'GET', body?: object) =>
  fetch(`${fake!.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body)
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

const issues = (repo: string) => fake!.state.repos[repo].issues as { number: number; title: string; body: string }[];
const dashboard = () => {
  const all = issues('sp/security');
  expect(all).toHaveLength(1);
  return all[0].body;
};
const writesSince = (n: number) =>
  fake!.requests
    .slice(n)
    .filter((q: { method: string }) => q.method !== 'GET')
    .map((q: { method: string; path: string }) => `${q.method} ${q.path}`);

describe('disclosure-coordinator bundle', () => {
  it('plays a whole disclosure: report, service level, draft, embargo invitations, publication, two notices, then nothing', async () => {
    fake = await startFakeGitHub({ world: world() });
    const ws = workspace();

    // A private report arrives in sp/lib.
    const report = await api('/repos/sp/lib/security-advisories/reports', 'erin', 'POST', {
      summary: 'Path traversal when extracting archives',
      description: 'A crafted archive writes outside the target directory.'
    });
    expect(report.status).toBe(201);
    const ghsa: string = (report.body as { ghsa_id: string }).ghsa_id;

    const fresh = await run(ws);
    expect(fresh.exitCode).toBe(0);
    expectQuiet(fresh.report.findings, 'disclosure/report-unanswered');
    expect(dashboard()).toMatch(
      new RegExp(`\\| \\[${ghsa}\\]\\(.*\\) \\| sp/lib \\| triage \\| 0 days \\| acknowledge due in 7 days \\|`)
    );
    // The report's summary stays in the advisory: not on the dashboard, in the summary or in the logs.
    for (const text of [dashboard(), fresh.summary, fresh.stdout]) expect(text).not.toContain('Path traversal');

    // Ten days pass without an answer: the dashboard flags it.
    fake.state.repos['sp/lib'].security_advisories[0].created_at = ago(new Date(), 10);
    const late = await run(ws);
    expectFires(late.report.findings, 'disclosure/report-unanswered', 1);
    expect(dashboard()).toContain('1 advisory followed, **1 past its service level**');
    expect(dashboard()).toMatch(
      new RegExp(`\\| \\[${ghsa}\\].* \\| triage \\| 10 days \\| ⚠️ acknowledge overdue by 3 days \\|`)
    );

    // The maintainers accept it as a draft and name the affected versions.
    const accepted = await api(`/repos/sp/lib/security-advisories/${ghsa}`, 'alice', 'PATCH', {
      state: 'draft',
      vulnerabilities: [
        {
          package: { ecosystem: 'pip', name: 'splib' },
          vulnerable_version_range: '>= 1.0, < 1.4.2',
          patched_versions: '1.4.2'
        }
      ]
    });
    expect(accepted.status).toBe(200);
    const before = fake.requests.length;
    const embargo = await run(ws);
    expect(embargo.exitCode).toBe(0);
    const pins = embargo.report.findings.filter((f: any) => f.ruleId === 'downstream/pins-affected');
    expect(pins.map((f: any) => `${f.properties.repo} ${f.properties.file}:${f.properties.line}`).sort()).toEqual([
      'ext/locked poetry.lock:3',
      'sp/app requirements.txt:2'
    ]);
    expect(embargo.report.findings.filter((f: any) => f.properties?.repo === 'ext/fine')).toEqual([]);
    expect(embargo.report.stats['downstream repositories mapped']).toBe(4); // sp/lib itself, and the three downstream
    expect(embargo.outputs['downstream-affected']).toBe('2');
    // Their maintainers are collaborators on the draft; nothing was written anywhere else but the dashboard.
    expect(fake.state.repos['sp/lib'].security_advisories[0].collaborating_users.sort()).toEqual(['bob', 'carol']);
    expectQuiet(embargo.report.findings, 'embargo/invite-pending');
    expect(writesSince(before)).toEqual([
      `PATCH /repos/sp/lib/security-advisories/${ghsa}`,
      'PATCH /repos/sp/security/issues/1'
    ]);
    for (const repo of ['sp/app', 'ext/locked', 'ext/fine']) expect(issues(repo)).toEqual([]);

    // Published: exactly two notices, one in each repository that pins an affected version.
    expect(
      (await api(`/repos/sp/lib/security-advisories/${ghsa}`, 'alice', 'PATCH', { state: 'published' })).status
    ).toBe(200);
    const notify = await run(ws);
    expect(notify.exitCode).toBe(0);
    expect(notify.outputs['notices-opened']).toBe('2');
    expect([issues('sp/app').length, issues('ext/locked').length, issues('ext/fine').length]).toEqual([1, 1, 0]);
    expect(issues('ext/locked')[0].body).toMatch(
      /poetry\.lock:3.*splib: version = "1\.3\.0".*>= 1\.0, < 1\.4\.2.*1\.4\.2/
    );

    // A further run changes nothing: no write but the dashboard's own edit.
    const snapshot = JSON.stringify(['sp/app', 'ext/locked', 'ext/fine'].map(issues));
    const mark = fake.requests.length;
    const again = await run(ws);
    expect(again.exitCode).toBe(0);
    expect(again.outputs['notices-opened']).toBe('0');
    expect(writesSince(mark)).toEqual(['PATCH /repos/sp/security/issues/1']);
    expect(JSON.stringify(['sp/app', 'ext/locked', 'ext/fine'].map(issues))).toBe(snapshot);
  }, 300_000);

  it('a run killed after its first notice, run again, leaves exactly one notice per repository', async () => {
    // Every issue listing is slow, so the run is killed while it looks for the second repository's notice.
    fake = await startFakeGitHub({
      world: world(true),
      faults: [{ match: '^/repos/(sp/app|ext/locked)/issues$', latencyMs: 1500 }]
    });
    const ws = workspace();
    let killed = false;
    const crashed = await run(ws, {
      onSpawn: (child) => {
        const watch = setInterval(() => {
          if (issues('sp/app').length + issues('ext/locked').length === 1) {
            clearInterval(watch);
            killed = child.kill('SIGKILL');
          }
        }, 10);
        child.on('close', () => clearInterval(watch));
      }
    });
    expect(killed).toBe(true);
    expect(crashed.exitCode).toBeNull();
    expect(issues('sp/app').length + issues('ext/locked').length).toBe(1);
    fake.setFaults([]);
    const rerun = await run(ws);
    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs['notices-opened']).toBe('1');
    expect([issues('sp/app').length, issues('ext/locked').length]).toEqual([1, 1]);
  }, 300_000);

  it('refuses to run from a public repository, before reading any advisory, unless allowed', async () => {
    fake = await startFakeGitHub({ world: world(true) });
    const ws = workspace();
    const before = fake.requests.length;
    const r = await run(ws, { repository: 'alice/public-coordination' });
    expect(r.exitCode).toBe(1);
    expect(r.report.errors.join('\n')).toMatch(
      /alice\/public-coordination is public: the dashboard, job summary and logs list unpublished advisories .*allow-public-repository: true/
    );
    expect(fake.requests.slice(before).map((q: any) => `${q.method} ${q.path}`)).toEqual([
      'GET /repos/alice/public-coordination'
    ]);
    expect(r.report.findings).toEqual([]);
  }, 120_000);
});
