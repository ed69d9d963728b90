// The coordinator's engine against the fake GitHub: tracking against the
// service levels, the ecosystem map and who is affected, collaborator
// proposals during an embargo (performed only with apply and the invite list),
// notices after publication that are never duplicated, and every failure
// reported as not checked with its reason.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createGitHubClient } from '../../packages/core/src/index';
import { type CoordinatorOptions, coordinate } from '../../actions/disclosure-coordinator/src/engine';
import { disclosureConfig } from '../../actions/disclosure-coordinator/src/main';
import { parseAdvisory } from '../../actions/disclosure-coordinator/src/github';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { expectFires, expectQuiet } from '../helpers/rules';
import { CONFIG, SPLIB_DRAFT, SPLIB_REPORT, disclosureWorld } from './world';

const NOW = new Date('2026-03-01T12:00:00Z');
let fake: Awaited<ReturnType<typeof startFakeGitHub>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(world = disclosureWorld(NOW), faults: object[] = []) {
  fake = await startFakeGitHub({ world, faults });
  return fake;
}

async function run(over: Partial<CoordinatorOptions> = {}, token = 'coordinator-app-token', section: object = CONFIG) {
  const client = await createGitHubClient({ token, apiUrl: fake!.url, retries: 0, maxRateLimitWaitSeconds: 0 });
  return coordinate(
    { api: client.rest, writer: client.rest, remaining: () => client.stats.rateLimitRemaining },
    {
      now: NOW,
      config: disclosureConfig(section as Record<string, unknown>),
      apply: false,
      self: 'sp/security',
      ...over
    }
  );
}

const advisory = (repo: string, ghsa: string) =>
  fake!.state.repos[repo].security_advisories.find((a: { ghsa_id: string }) => a.ghsa_id === ghsa);
const patch = (repo: string, ghsa: string, body: object, token = 'alice') =>
  fetch(`${fake!.url}/repos/${repo}/security-advisories/${ghsa}`, {
    method: 'PATCH',
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  });
const writes = () =>
  fake!.requests
    .filter((r: { method: string; path: string }) => r.method !== 'GET')
    .map((r: any) => `${r.method} ${r.path}`);

describe('tracking', () => {
  it('holds each advisory to the service levels and the hygiene of a disclosure', async () => {
    await start();
    const r = await run();
    const f = r.findings;
    expectFires(f, 'disclosure/report-unanswered', 1);
    expect(f.find((x) => x.ruleId === 'disclosure/report-unanswered')!.message).toMatch(
      /sp\/lib: private report GHSA-jmpq-rvwx-2345 has waited 10 days for an answer \(service level 7 days/
    );
    expectQuiet(f, 'disclosure/fix-overdue');
    expectFires(f, 'disclosure/no-private-fork', 1); // the draft; the published advisory with a fork is quiet
    // The draft and the published advisory without a CVE; the one with CVE-2025-11111 is quiet.
    expectFires(f, 'disclosure/no-cve', 2);
    expectFires(f, 'disclosure/no-patched-version', 1);
    expect(f.find((x) => x.ruleId === 'disclosure/no-patched-version')!.properties?.advisory).toBe(
      'GHSA-vwx2-3456-789c'
    );
    expectFires(f, 'disclosure/reporting-off', 1);
    expect(f.find((x) => x.ruleId === 'disclosure/reporting-off')!.properties?.repo).toBe('sp/quiet');
    // v2.1 announces a security fix no advisory covers; v2.0 names CVE-2025-11111, which an advisory carries.
    expectFires(f, 'disclosure/fix-without-advisory', 1);
    expect(f.find((x) => x.ruleId === 'disclosure/fix-without-advisory')!.properties?.release).toBe('v2.1');
    // Unpublished advisories are named by id and age only: no summary reaches a message.
    expect(f.map((x) => x.message).join('\n')).not.toMatch(/Heap overflow|Path traversal/);
    expect(r.stats['repositories tracked']).toBe(6);
    expect(r.notChecked).toEqual([]);
  });

  it('stays quiet within the service levels and fires past them', async () => {
    await start();
    const quiet = await run({}, 'coordinator-app-token', { ...CONFIG, 'service-levels': { acknowledge: 30, fix: 90 } });
    expectQuiet(quiet.findings, 'disclosure/report-unanswered');
    await fake!.close();
    await start();
    const late = await run({}, 'coordinator-app-token', { ...CONFIG, 'service-levels': { acknowledge: 3, fix: 15 } });
    expectFires(late.findings, 'disclosure/fix-overdue', 1);
    expect(late.findings.find((x) => x.ruleId === 'disclosure/fix-overdue')!.properties?.advisory).toBe(SPLIB_DRAFT);
    const row = late.advisories.find((a) => a.ghsa === SPLIB_REPORT)!;
    expect([row.state, row.ageDays]).toEqual(['triage', 10]);
  });

  it('a private fork, a CVE and a patched version quiet the hygiene rules; a covered release quiets the fix rule', async () => {
    const world = disclosureWorld(NOW);
    const draft = world.repos['sp/lib'].security_advisories[1];
    Object.assign(draft, { private_fork: true, cve_id: 'CVE-2026-00001' });
    world.repos['sp/rel'].security_advisories[1].vulnerabilities[0].patched_versions = '1.0';
    world.repos['sp/rel'].security_advisories[1].cve_id = 'CVE-2025-22222';
    world.repos['sp/rel'].releases[0].body = 'Fixes CVE-2025-22222, a security vulnerability.';
    world.repos['sp/quiet'].private_vulnerability_reporting = true;
    await start(world);
    const f = (await run()).findings;
    expectQuiet(f, 'disclosure/no-private-fork');
    expectQuiet(f, 'disclosure/no-cve');
    expectQuiet(f, 'disclosure/no-patched-version');
    expectQuiet(f, 'disclosure/fix-without-advisory');
    expectQuiet(f, 'disclosure/reporting-off');
  });
});

describe('who is affected', () => {
  it('maps the organization and the downstream list, and evaluates pins and ranges with PEP 440', async () => {
    await start();
    const r = await run();
    const f = r.findings;
    const of = (id: string) =>
      f
        .filter((x) => x.ruleId === id)
        .map((x) => `${x.properties?.repo} ${x.properties?.file}${x.properties?.line ? `:${x.properties.line}` : ''}`)
        .sort();
    expectFires(f, 'downstream/pins-affected', 2);
    expect(of('downstream/pins-affected')).toEqual(['ext/locked poetry.lock:3', 'sp/app requirements.txt:2']);
    expectFires(f, 'downstream/range-excludes-fix', 1);
    expect(of('downstream/range-excludes-fix')).toEqual(['sp/tool pyproject.toml:3']);
    expectFires(f, 'downstream/range-allows-affected', 1);
    expect(of('downstream/range-allows-affected')).toEqual(['ext/user requirements.txt:1']);
    // sp/ok locks the patched 1.4.2 (its SBOM says the same, and adds nothing).
    expect(f.filter((x) => x.properties?.repo === 'sp/ok')).toEqual([]);
    const pin = f.find((x) => x.properties?.repo === 'sp/app')!;
    expect(pin.message).toContain(`requirements.txt:2 pins splib 1.2.0, which ${SPLIB_DRAFT} (sp/lib, draft) affects`);
    expect(pin.evidence).toBe('splib==1.2.0');
    expect(r.stats['downstream repositories mapped']).toBe(8);
    expect(r.stats['SBOMs read']).toBe(1);
    expect(r.advisories.find((a) => a.ghsa === SPLIB_DRAFT)!.affected).toBe(3);
  });

  it('is quiet when nothing pins an affected version', async () => {
    const world = disclosureWorld(NOW);
    world.repos['sp/lib'].security_advisories[1].vulnerabilities[0].vulnerable_version_range = '< 1.0';
    await start(world);
    const f = (await run()).findings;
    expectQuiet(f, 'downstream/pins-affected');
    expectQuiet(f, 'downstream/range-excludes-fix');
    expectQuiet(f, 'downstream/range-allows-affected');
    expectQuiet(f, 'embargo/invite-pending');
  });

  it('names a dependency file it cannot parse, with its line, and an affected range it cannot read, as not checked', async () => {
    const world = disclosureWorld(NOW);
    world.repos['ext/user'].files.main['requirements.txt'] = 'splib>=1.0\nsplib >>> 2\n';
    world.repos['sp/rel'].security_advisories[0].vulnerabilities[0].vulnerable_version_range = '>= banana';
    await start(world);
    const r = await run();
    expect(r.notChecked).toEqual(
      expect.arrayContaining([
        {
          check: 'downstream',
          reason: expect.stringMatching(/^not checked: requirements\.txt:2: /),
          target: 'ext/user'
        },
        {
          check: 'downstream',
          reason: expect.stringMatching(/GHSA-cfgh-jmpq-rvwx: the affected range of rel is not understood/),
          target: 'sp/rel'
        }
      ])
    );
    // The other files and advisories are still evaluated.
    expectFires(r.findings, 'downstream/pins-affected', 2);
  });
});

describe('during the embargo', () => {
  it('proposes the maintainers of projects that must act, and writes nothing without apply', async () => {
    await start();
    const r = await run();
    expectFires(r.findings, 'embargo/invite-pending', 3);
    const proposed = r.findings
      .filter((x) => x.ruleId === 'embargo/invite-pending')
      .map((x) => `${x.properties?.downstream}: ${(x.properties?.contacts as string[]).join(',')}`)
      .sort();
    expect(proposed).toEqual(['ext/locked: carol', 'sp/app: bob', 'sp/tool: dave']);
    expect(writes()).toEqual([]);
  });

  it('with apply, adds only the invite-listed maintainers, once, and never writes in a downstream repository', async () => {
    await start();
    const first = await run({ apply: true });
    expect(advisory('sp/lib', SPLIB_DRAFT).collaborating_users.sort()).toEqual(['bob', 'carol']);
    // dave is not on the invite list: still a proposal, saying why.
    expectFires(first.findings, 'embargo/invite-pending', 1);
    expect(first.findings.find((x) => x.ruleId === 'embargo/invite-pending')!.message).toMatch(
      /invite dave \(not in the invite list: dave\)/
    );
    expect(writes()).toEqual([`PATCH /repos/sp/lib/security-advisories/${SPLIB_DRAFT}`]);
    const second = await run({ apply: true }, 'coordinator-app-token', { ...CONFIG, invite: ['bob', 'carol', 'dave'] });
    expectQuiet(second.findings, 'embargo/invite-pending');
    expect(advisory('sp/lib', SPLIB_DRAFT).collaborating_users.sort()).toEqual(['bob', 'carol', 'dave']);
    const third = await run({ apply: true }, 'coordinator-app-token', { ...CONFIG, invite: ['bob', 'carol', 'dave'] });
    expectQuiet(third.findings, 'embargo/invite-pending');
    expect(writes()).toHaveLength(2);
    expect(fake!.requests.some((q: any) => q.method !== 'GET' && !q.path.startsWith('/repos/sp/lib/'))).toBe(false);
  });

  it('a refused update stays a proposal with the permission it needs', async () => {
    const world = disclosureWorld(NOW);
    world.tokens['coordinator-app-token'].permissions = {
      ...world.tokens['coordinator-app-token'].permissions,
      repository_advisories: 'read'
    };
    await start(world);
    const r = await run({ apply: true });
    expectFires(r.findings, 'embargo/invite-pending', 3);
    expect(r.notChecked).toEqual(
      expect.arrayContaining([
        {
          check: 'embargo/invite-pending',
          reason: `could not add collaborators to ${SPLIB_DRAFT}: needs repository security advisories: write (GitHub answered 403)`,
          target: 'sp/lib'
        }
      ])
    );
  });
});

describe('after publication', () => {
  const publish = async () => expect((await patch('sp/lib', SPLIB_DRAFT, { state: 'published' })).status).toBe(200);
  const issues = (repo: string) =>
    fake!.state.repos[repo].issues as { number: number; body: string; state: string; title: string }[];

  it('without apply, every repository that must act is a pending notice', async () => {
    await start();
    await publish();
    const r = await run();
    expectFires(r.findings, 'notify/pending', 3);
    expect(writes()).toEqual([`PATCH /repos/sp/lib/security-advisories/${SPLIB_DRAFT}`]);
  });

  it('opens one notice per repository that must act, naming the advisory, versions and line; a re-run changes nothing', async () => {
    await start();
    await publish();
    const first = await run({ apply: true });
    expectQuiet(first.findings, 'notify/pending');
    expect(first.stats['notices opened']).toBe(3);
    for (const repo of ['sp/app', 'sp/tool', 'ext/locked']) expect(issues(repo)).toHaveLength(1);
    expect(issues('ext/user')).toHaveLength(0); // its range admits the fix: reported, not notified
    const body = issues('sp/app')[0].body;
    expect(body).toContain(`<!-- security-actions:disclosure-coordinator:${SPLIB_DRAFT} -->`);
    expect(body).toContain(`[${SPLIB_DRAFT}](${fake!.url}/sp/lib/security/advisories/${SPLIB_DRAFT})`);
    expect(body).toMatch(/requirements\.txt:2.*splib==1\.2\.0.*>= 1\.0, < 1\.4\.2.*\| 1\.4\.2 \|/);
    expect(body).toContain('move the pin of splib to 1.4.2');
    expect(issues('sp/app')[0].title).toBe(
      `Security advisory ${SPLIB_DRAFT}: the splib version this project requires is affected`
    );
    const before = fake!.requests.length;
    const second = await run({ apply: true });
    expectQuiet(second.findings, 'notify/pending');
    expect(second.stats['notices opened']).toBeUndefined();
    for (const repo of ['sp/app', 'sp/tool', 'ext/locked']) expect(issues(repo)).toHaveLength(1);
    expect(fake!.requests.slice(before).filter((q: any) => q.method !== 'GET')).toEqual([]);
  });

  it('a notice the maintainers closed stays closed and is not opened again', async () => {
    await start();
    await publish();
    await run({ apply: true });
    issues('sp/app')[0].state = 'closed';
    const r = await run({ apply: true });
    expect(issues('sp/app')).toHaveLength(1);
    expect(issues('sp/app')[0].state).toBe('closed');
    expect(r.notes.join('\n')).toMatch(/sp\/app: the notice of .* was closed by its maintainers; left as is/);
  });

  it('a run that fails after its first notice leaves no duplicate when it is run again', async () => {
    // The second notice's creation fails (as if the run died there); the third repository is still notified.
    await start(disclosureWorld(NOW), []);
    await publish();
    fake!.addFault({ match: 'POST /repos/sp/tool/issues', status: 502, times: 1 });
    const crashed = await run({ apply: true });
    expectFires(crashed.findings, 'notify/pending', 1);
    expect(issues('sp/app')).toHaveLength(1);
    expect(issues('sp/tool')).toHaveLength(0);
    const rerun = await run({ apply: true });
    expectQuiet(rerun.findings, 'notify/pending');
    for (const repo of ['sp/app', 'sp/tool', 'ext/locked']) expect(issues(repo)).toHaveLength(1);
  });

  it('a notice edited by nobody is updated in place when the advisory changes', async () => {
    await start();
    await publish();
    await run({ apply: true });
    const number = issues('sp/app')[0].number;
    await patch('sp/lib', SPLIB_DRAFT, { cve_id: 'CVE-2026-12345' });
    await run({ apply: true });
    expect(issues('sp/app')).toHaveLength(1);
    expect(issues('sp/app')[0].number).toBe(number);
    expect(issues('sp/app')[0].body).toContain('CVE-2026-12345');
  });
});

describe('a pull request instead of an issue, where moving the pin is a safe edit', () => {
  const publish = async () => expect((await patch('sp/lib', SPLIB_DRAFT, { state: 'published' })).status).toBe(200);
  const withPullRequests = { ...CONFIG, 'pull-requests': true };

  it('moves an exact requirements pin on a branch named after the advisory; a lock and a range get issues; once', async () => {
    const world = disclosureWorld(NOW);
    Object.assign(world.tokens['coordinator-app-token'].permissions, { contents: 'write', pull_requests: 'write' });
    await start(world);
    await publish();
    const first = await run({ apply: true }, 'coordinator-app-token', withPullRequests);
    const app = fake!.state.repos['sp/app'];
    expect(app.issues).toHaveLength(0);
    expect(app.pulls.map((p: any) => [p.head.ref, p.base.ref, p.state])).toEqual([
      [`security-actions/${SPLIB_DRAFT.toLowerCase()}`, 'main', 'open']
    ]);
    expect(app.pulls[0].body).toContain(`<!-- security-actions:disclosure-coordinator:${SPLIB_DRAFT} -->`);
    expect(app.files[`security-actions/${SPLIB_DRAFT.toLowerCase()}`]['requirements.txt']).toBe(
      'numpy>=1.26\nsplib==1.4.2\n'
    );
    expect(app.files.main['requirements.txt']).toBe('numpy>=1.26\nsplib==1.2.0\n');
    expect(fake!.state.repos['ext/locked'].issues).toHaveLength(1);
    expect(fake!.state.repos['sp/tool'].issues).toHaveLength(1);
    expectQuiet(first.findings, 'notify/pending');
    const second = await run({ apply: true }, 'coordinator-app-token', withPullRequests);
    expect([app.pulls.length, app.issues.length]).toEqual([1, 0]);
    expectQuiet(second.findings, 'notify/pending');
  });

  it('falls back to an issue when the token may not push a branch', async () => {
    await start();
    await publish();
    const r = await run({ apply: true }, 'coordinator-app-token', withPullRequests);
    expect(fake!.state.repos['sp/app'].pulls).toHaveLength(0);
    expect(fake!.state.repos['sp/app'].issues).toHaveLength(1);
    expect(r.notes.join('\n')).toMatch(
      /sp\/app: no pull request for \S+ \(needs contents: write, pull requests: write \(GitHub answered 403\)\); an issue instead/
    );
  });
});

describe('API failures and the rate budget', () => {
  it('a token without the advisory permission sees published advisories only, and says unpublished ones may be missing', async () => {
    await start();
    const r = await run({}, 'readonly-token');
    // Only what GitHub shows anyone: the published advisories of public repositories.
    const about = new Set(r.findings.filter((x) => x.properties?.advisory).map((x) => x.properties!.advisory));
    expect([...about].sort()).toEqual(['GHSA-vwx2-3456-789c']);
    expectQuiet(r.findings, 'disclosure/report-unanswered');
    expect(r.notChecked).toContainEqual({
      check: 'advisories',
      reason: expect.stringMatching(
        /^unpublished advisories \(reports, drafts\) may be missing: .*needs repository security advisories: write/
      ),
      target: 'sp'
    });
  });

  it('an unknown organization is not tracked, with the reason', async () => {
    await start();
    const r = await run({}, 'coordinator-app-token', { ...CONFIG, orgs: ['nope'] });
    expect(r.notChecked).toContainEqual({
      check: 'tracking',
      reason: 'organization not tracked: not found (or not visible to the token)',
      target: 'nope'
    });
  });

  it('stops spending before the rate budget runs out and lists what it skipped', async () => {
    const world = disclosureWorld(NOW);
    world.rate_limit = { core: { limit: 5000, remaining: 75 } };
    await start(world);
    const r = await run();
    expect(r.notChecked.some((n) => n.reason === 'not checked: the API rate budget ran out before it')).toBe(true);
    expect(r.notes.join('\n')).toMatch(/The API rate budget ran out/);
    expect(fake!.state.rate_limit.core.remaining).toBeGreaterThanOrEqual(40);
  });

  it('an advisory answer without the fields it relies on is not checked, never "no advisory"', () => {
    expect(
      parseAdvisory({
        ghsa_id: 'GHSA-x',
        state: 'draft',
        created_at: '2026-01-01T00:00:00Z',
        collaborating_users: null
      })
    ).toBe('GitHub answered an advisory (GHSA-x) without url');
    expect(parseAdvisory(null)).toMatch(/without ghsa_id, url, state, created_at, collaborating_users/);
  });
});
