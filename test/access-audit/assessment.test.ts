// The self-assessment: the new checks (incident response plan, threat model,
// release SBOM or provenance, Best Practices badge) against the fake GitHub
// and the fake badge service, the request budget, and the item statuses,
// which must agree with the findings they are derived from.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPEC_CLAUSES, applySuppressions, createGitHubClient, type Finding } from '../../packages/core/src/index';
import { auditOptions } from './options';
import { expectFires, expectQuiet } from '../helpers/rules';
import { DEFAULT_AUDIT_CONFIG, audit } from '../../actions/access-audit/src/engine';
import { auditIO } from '../../actions/access-audit/src/main';
import { REGISTRY } from '../../actions/access-audit/src/rules';
import { BestPracticesClient } from '../../actions/access-audit/src/best-practices';
import { ITEMS } from '../../actions/access-audit/src/assessment/items';
import { assessAll, publicReason } from '../../actions/access-audit/src/assessment/evaluate';
import { assessmentData, declarationSuppressions } from '../../actions/access-audit/src/assessment/index';
import { historyBefore, severityTrend, countsOf } from '../../actions/access-audit/src/assessment/history';
import { metChart, publicPage } from '../../actions/access-audit/src/assessment/render';
import type { AuditConfig, AuditOptions } from '../../actions/access-audit/src/types';
import { REPO_ROOT } from '../harness/run-action';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { startFakeBestPractices } from '../fakes/bestpractices/server.mjs';

const smallWorld = () => JSON.parse(readFileSync(join(REPO_ROOT, 'test/fakes/github/worlds/audit-small.json'), 'utf8'));

const BADGES = {
  projects: [
    { id: 101, repo_url: 'https://github.com/sp/clean', badge_level: 'passing' },
    { id: 102, repo_url: 'https://github.com/sp/unprotected', badge_level: 'in_progress' },
    // Registered with weak as its home page only: the search finds it, but it is not weak's entry.
    {
      id: 103,
      repo_url: 'https://github.com/someone/else',
      homepage_url: 'https://github.com/sp/weak',
      badge_level: 'gold'
    }
  ]
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function run(world: object, over: Partial<AuditOptions> = {}, badges: object = BADGES) {
  const fake = await startFakeGitHub({ world });
  const bp = await startFakeBestPractices({ world: badges });
  closers.push(
    () => fake.close(),
    () => bp.close()
  );
  const client = await createGitHubClient({ token: 'any', apiUrl: fake.url, retries: 0, retryBaseMs: 1 });
  const config: AuditConfig = { ...DEFAULT_AUDIT_CONFIG, ...over.config };
  const result = await audit(
    auditIO(client),
    auditOptions('sp', { bestPractices: new BestPracticesClient(bp.url), ...over, config })
  );
  return { result, config, github: client.stats.requests, badgeRequests: bp.requests };
}

const about = (findings: Finding[], repo: string) => findings.filter((f) => f.properties?.repo === repo);

describe('self-assessment checks', () => {
  it('finds an incident response plan and a threat model by file, SECURITY.md section or link', async () => {
    const world = smallWorld();
    world.repos['sp/weak'].files.main['SECURITY.md'] =
      'Email us.\n\nSee [our incident response plan](https://example.org/ir) and the [threat model](docs/tm.md).\n';
    world.repos['sp/unprotected'].files.main['docs/incident-response.md'] = '# Incident response\n\nWe will fix it.\n';
    const { result } = await run(world);
    const clean = about(result.findings, 'clean');
    expectQuiet(clean, 'repo/no-incident-response-plan');
    expectQuiet(clean, 'repo/no-threat-model');
    expect(result.evidence.clean).toMatchObject({
      'incident-response': 'found in INCIDENT_RESPONSE.md',
      'threat-model': 'found in SECURITY.md (section)'
    });
    expectQuiet(about(result.findings, 'weak'), 'repo/no-incident-response-plan');
    expect(result.evidence.weak['incident-response']).toMatch(/SECURITY\.md links to it/);
    // A document that names no roles and fewer than three steps does not count, and the finding says why.
    const unprotected = about(result.findings, 'unprotected');
    expectFires(unprotected, 'repo/no-incident-response-plan', 1);
    const f = unprotected.find((x) => x.ruleId === 'repo/no-incident-response-plan')!;
    expect(f.message).toMatch(/docs\/incident-response\.md does not name roles .* nor steps/);
    expect(f.location?.file).toBe('docs/incident-response.md');
    expectFires(unprotected, 'repo/no-threat-model', 1);
  });

  it('looks for an SBOM or provenance among the latest release assets', async () => {
    const world = smallWorld();
    const rel = (tag: string, assets: string[], extra = {}) => ({
      tag_name: tag,
      published_at: '2025-06-01T00:00:00Z',
      assets: assets.map((name) => ({ name, size: 10 })),
      ...extra
    });
    world.repos['sp/clean'].releases = [rel('v1.0', ['clean-1.0.tar.gz', 'clean-1.0.spdx.json'])];
    world.repos['sp/weak'].releases = [rel('v0.3', ['weak-0.3.tar.gz'])];
    world.repos['sp/unprotected'].releases = [rel('v2.0', ['x.whl', 'multiple.intoto.jsonl'])];
    const { result } = await run(world);
    const [clean, weak] = [about(result.findings, 'clean'), about(result.findings, 'weak')];
    expectQuiet(clean, 'repo/release-without-sbom-or-provenance');
    expect(result.evidence.clean['release-artifacts']).toBe('release v1.0 publishes an SBOM');
    expect(result.evidence.unprotected['release-artifacts']).toBe('release v2.0 publishes provenance');
    expectFires(weak, 'repo/release-without-sbom-or-provenance', 1);
  });

  it('reads the Best Practices badge by repository URL: one request per public repository, nothing more', async () => {
    const without = await run(smallWorld(), { bestPractices: undefined });
    const { result, github, badgeRequests } = await run(smallWorld());
    // The badge is the assessment's only extra request; GitHub sees none (documents and releases ride the batch).
    expect(github).toBe(without.github);
    expect(badgeRequests.map((r: any) => decodeURIComponent(r.query)).sort()).toEqual(
      ['clean', 'unprotected', 'weak'].map((n) => `?url=https://github.com/sp/${n}`)
    );
    expect(badgeRequests.length / result.audited).toBeLessThanOrEqual(1);
    const [clean, unprotected, weak] = ['clean', 'unprotected', 'weak'].map((n) => about(result.findings, n));
    expectQuiet(clean, 'repo/no-best-practices-badge');
    expect(result.evidence.clean['best-practices']).toBe('badge level passing (project 101)');
    expectFires(unprotected, 'repo/no-best-practices-badge', 1);
    // The gold entry is another repository's (weak is only its home page).
    expectFires(weak, 'repo/no-best-practices-badge', 1);
    expect(without.result.notChecked).toContainEqual(
      expect.objectContaining({
        check: 'repo/no-best-practices-badge',
        reason: expect.stringMatching(/no best-practices-url/)
      })
    );
  });

  it('is not checked, never a pass, when the badge service answers without the promised fields', async () => {
    const { result } = await run(smallWorld(), {}, { projects: [{ id: 7, repo_url: 'https://github.com/sp/clean' }] });
    expect(result.evidence.clean?.['best-practices']).toBeUndefined();
    expect(result.notChecked).toContainEqual(
      expect.objectContaining({ check: 'repo/no-best-practices-badge', target: 'clean' })
    );
  });
});

describe('self-assessment items', () => {
  it('cover every SPEC clause, name only existing rules, and the config schema lists the declarable ones', () => {
    const sources = new Set(ITEMS.flatMap((i) => i.sources));
    expect(Object.keys(SPEC_CLAUSES).filter((c) => !sources.has(c))).toEqual([]);
    for (const core of ['Core 1', 'Core 2', 'Core 3', 'Core 4', 'Core 5', 'Plus 1', 'Plus 2', 'Plus 3', 'Plus 4'])
      expect(sources).toContain(core);
    const known = new Set(REGISTRY.list().map((r) => r.id));
    expect(ITEMS.flatMap((i) => i.rules ?? []).filter((r) => !known.has(r))).toEqual([]);
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'actions/access-audit/config.schema.json'), 'utf8'));
    expect([...schema.properties.declared.items.properties.item.enum].sort()).toEqual(
      ITEMS.filter((i) => i.unobservable || i.declarable)
        .map((i) => i.id)
        .sort()
    );
  });

  it('give each repository a status that agrees with its findings, not-checked entries and declarations', async () => {
    const { result, config } = await run(smallWorld());
    const declared = [
      { item: 'password-manager', date: '2026-10-01' },
      { item: 'threat-model', date: '2026-11-01', repo: 'weak' },
      // An observable item cannot be declared met.
      { item: 'protected-branches', date: '2026-11-01' }
    ];
    const { findings } = applySuppressions(result.findings, declarationSuppressions(declared), { today: '2026-12-01' });
    const all = assessAll({
      org: 'sp',
      findings,
      notChecked: result.notChecked,
      data: assessmentData(result.evidence, config),
      declared
    });
    expect(all.map((a) => a.repo)).toEqual(['clean', 'unprotected', 'weak']);
    for (const a of all) {
      for (const r of a.items) {
        const item = ITEMS.find((i) => i.id === r.id)!;
        const standing = findings.filter(
          (f) =>
            !f.suppression &&
            (item.rules ?? []).includes(f.ruleId) &&
            (f.properties?.repo === undefined || f.properties.repo === a.repo)
        );
        // An item is not met exactly when one of its rules stands for the repository or the organization.
        expect([r.id, r.status === 'not-met']).toEqual([r.id, standing.length > 0]);
        if (r.status === 'met' || r.status === 'declared') expect(r.fix).toBeUndefined();
        else expect(r.fix).toBe(item.fix);
      }
    }
    const status = (repo: string, id: string) => all.find((a) => a.repo === repo)!.items.find((i) => i.id === id)!;
    expect(status('clean', 'incident-response-plan')).toMatchObject({
      status: 'met',
      evidence: 'found in INCIDENT_RESPONSE.md'
    });
    expect(status('weak', 'threat-model')).toMatchObject({
      status: 'declared',
      evidence: expect.stringMatching(/2026-11-01/)
    });
    expect(status('unprotected', 'threat-model').status).toBe('not-met');
    expect(status('clean', 'password-manager').status).toBe('declared');
    expect(status('clean', 'mfa-other-services').status).toBe('not-observable');
    expect(status('weak', 'protected-branches').status).toBe('not-met');
    // Signed commits are checked only where the config asks.
    expect(status('clean', 'signed-commits')).toMatchObject({ status: 'not-checked' });
  });

  it('words not-checked reasons without GitHub messages', () => {
    expect(publicReason('not checked: needs administration: read (Resource not accessible by integration)')).toBe(
      "the audit's token lacks administration: read"
    );
    expect(publicReason('not checked: bob@example.org said no')).toBe('the data could not be read');
  });
});

describe('self-assessment charts', () => {
  it('plots items met per repository and findings by severity over the carried runs', () => {
    const page = metChart([
      {
        repo: 'a"b',
        public: true,
        items: [],
        counts: { met: 3, 'not-met': 0, 'not-checked': 0, 'not-observable': 0, declared: 0 }
      },
      {
        repo: 'c',
        public: true,
        items: [],
        counts: { met: 5, 'not-met': 0, 'not-checked': 0, 'not-observable': 0, declared: 0 }
      }
    ]);
    expect(page).toContain('xychart-beta');
    expect(page).toContain('x-axis ["ab", "c"]');
    expect(page).toContain('bar [3, 5]');
    const f = (severity: string) => ({ severity }) as Finding;
    const older = { date: '2026-10-01', bySeverity: { info: 0, low: 1, medium: 0, high: 4, critical: 1 } };
    const previous: any = {
      finishedAt: '2026-11-01T00:00:00Z',
      findings: [f('high'), f('low')],
      data: { history: [older, { junk: 1 }] }
    };
    const runs = [...historyBefore(previous), countsOf('this run', [f('medium')] as Finding[])];
    expect(runs.map((r) => r.date)).toEqual(['2026-10-01', '2026-11-01', 'this run']);
    const trend = severityTrend(runs);
    expect(trend).toContain('line [5, 1, 0]'); // critical and high
    expect(trend).toContain('line [0, 0, 1]'); // medium
    expect(trend).toContain('| 2026-11-01 | 1 | 0 | 1 |');
    expect(severityTrend(runs.slice(-1))).toBe('');
  });

  it('renders a page whose rows are the items, in order', async () => {
    const { result, config } = await run(smallWorld());
    const [clean] = assessAll({
      org: 'sp',
      findings: result.findings,
      notChecked: result.notChecked,
      data: assessmentData(result.evidence, config),
      declared: []
    });
    const rows = publicPage('sp', clean, '2026-12-07')
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Item'));
    expect(rows).toHaveLength(ITEMS.length);
    ITEMS.forEach((item, i) => expect(rows[i].startsWith(`| ${item.title.replace(/\|/g, '\\|')}`)).toBe(true));
  });
});
