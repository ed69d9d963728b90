// The audit engine against the fake GitHub: one world with one of each
// problem and a clean repository, the same world seen by a token without org
// permissions, and the GraphQL queries checked against GitHub's schema.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HttpClient,
  PyPIClient,
  applySuppressions,
  createGitHubClient,
  parseConfig
} from '../../packages/core/src/index';
import { expectFires, expectQuiet } from '../helpers/rules';
import { auditOptions } from './options';
import { DEFAULT_AUDIT_CONFIG, audit } from '../../actions/access-audit/src/engine';
import { branchProtection } from '../../actions/access-audit/src/branch-protection';
import { globToRegExp } from '../../actions/access-audit/src/glob';
import type { AuditOptions, RepoData } from '../../actions/access-audit/src/types';
import { auditConfig, auditIO, parseShard } from '../../actions/access-audit/src/main';
import {
  ORG_POLICY,
  TEAMS,
  activityQuery,
  auditLogQuery,
  repoBatchQuery
} from '../../actions/access-audit/src/queries';
import { REPO_ROOT } from '../harness/run-action';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { startFakePyPI } from '../fakes/pypi/server.mjs';
import { pypiWorld } from './pypi-world';
import { validateGraphQL } from '../fakes/github/graphql-schema.mjs';
import { serverError, truncatedBody, secondaryRateLimit } from '../fakes/github/faults.mjs';

/** The read-only permission set docs/access-audit.md asks the audit App for. */
export const APP_PERMISSIONS = {
  metadata: 'read',
  administration: 'read',
  actions: 'read',
  secrets: 'read',
  contents: 'read',
  members: 'read',
  organization_administration: 'read',
  organization_hooks: 'read',
  organization_personal_access_tokens: 'read',
  organization_self_hosted_runners: 'read',
  organization_custom_properties: 'read'
};

export const smallWorld = () =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'test/fakes/github/worlds/audit-small.json'), 'utf8'));

let fake: { url: string; close(): Promise<void>; requests: unknown[] } | undefined;
let pypi: { url: string; close(): Promise<void> } | undefined;
afterEach(async () => {
  await fake?.close();
  await pypi?.close();
  fake = undefined;
  pypi = undefined;
});

const opts = (over: Partial<AuditOptions> = {}): AuditOptions => auditOptions('sp', over);

async function run(world: object, over: Partial<AuditOptions> = {}, token = 'any', faults: object[] = []) {
  fake = await startFakeGitHub({ world, faults });
  pypi = await startFakePyPI({ world: pypiWorld() });
  const client = await createGitHubClient({
    token,
    apiUrl: fake!.url,
    retries: 2,
    retryBaseMs: 1,
    maxRateLimitWaitSeconds: 1
  });
  const result = await audit(
    auditIO(client),
    opts({ pypi: new PyPIClient(pypi!.url, new HttpClient('PyPI', { retries: 0 })), ...over })
  );
  return { result, requests: client.stats.requests };
}

/** The findings about one repository, or (no repo) about the organization. */
const about = (r: Awaited<ReturnType<typeof run>>['result'], repo?: string) =>
  r.findings.filter((f) => (repo === undefined ? !f.properties?.repo : f.properties?.repo === repo));
const ids = (r: Awaited<ReturnType<typeof run>>['result'], repo?: string) =>
  about(r, repo)
    .map((f) => f.ruleId)
    .sort();

describe('access-audit engine: small org with one of each problem', () => {
  it('reports every org-level problem', async () => {
    const { result } = await run(smallWorld());
    const org = about(result);
    expectFires(org, 'org/2fa-not-required', 1);
    expectFires(org, 'org/actions-all-allowed', 1);
    expectFires(org, 'org/actions-can-approve-prs', 1);
    expectFires(org, 'org/actions-sha-pinning-not-required', 1);
    expectFires(org, 'org/actions-token-write', 1);
    expectFires(org, 'org/app-broad-write', 1); // release-bot: contents and workflows write on all repositories
    expectFires(org, 'org/default-permission-too-broad', 1);
    expectFires(org, 'org/fork-pr-approval-weak', 1); // first-time contributors new to GitHub only
    expectFires(org, 'org/fork-pr-private-repos', 1); // secrets sent to fork PR workflows
    expectFires(org, 'org/member-insecure-2fa', 1); // carol, outside collaborator on SMS
    expectFires(org, 'org/member-without-2fa', 1); // bob
    expectFires(org, 'org/runner-group-public', 1); // gpu group, one runner
    expectFires(org, 'org/too-few-owners', 1);
    expectFires(org, 'org/webhook-insecure', 1); // http:// delivery
    expectFires(org, 'org/webhook-no-secret', 1); // the same hook; the inactive http hook and the https one with a secret are fine
    expectFires(org, 'people/possibly-inactive', 1); // erin: maintain on weak, no contributions
    expect(org).toHaveLength(16);
    const people = result.findings
      .filter((f) => f.ruleId.startsWith('org/member') || f.ruleId.startsWith('people/'))
      .map((f) => f.properties?.login);
    expect(people.sort()).toEqual(['bob', 'carol', 'erin']);
    expect(result.findings.find((f) => f.ruleId === 'people/possibly-inactive')!.message).toMatch(/possibly inactive/);
    const one = (id: string) => result.findings.filter((f) => f.ruleId === id);
    expect(one('org/app-broad-write').map((f) => [f.properties?.app, f.severity])).toEqual([['release-bot', 'medium']]);
    expect(one('org/runner-group-public').map((f) => [f.properties?.group, f.severity])).toEqual([['gpu', 'high']]);
    expect(one('org/fork-pr-private-repos')[0].message).toMatch(/secrets and variables/);
    // The webhook's URL carries a token in its query: only the host may appear.
    expect(JSON.stringify(result)).not.toContain('s3cr3t-hook-token');
    expect(one('org/webhook-insecure')[0].message).toMatch(/ci\.example\.org over plain http/);
    // A user token cannot list fine-grained token grants: not checked, with the reason.
    expect(result.notChecked.find((n) => n.check === 'org/token-no-expiry')!.reason).toMatch(/GitHub Apps only/);
    // Every GitHub App is listed for the SPEC 6 inventory.
    expect(result.notes.join('\n')).toMatch(
      /GitHub Apps installed in sp: .*docs-preview.*mirror-bot \(selected repositories\).*release-bot/
    );
  });

  it('reviews fine-grained token grants with an App token: no expiry, over a year, unused', async () => {
    const world = { ...smallWorld(), tokens: { app: { login: 'audit-app[bot]', permissions: APP_PERMISSIONS } } };
    const { result } = await run(world, {}, 'app');
    const token = (id: string) => result.findings.filter((f) => f.ruleId === id);
    expectFires(result.findings, 'org/token-long-lived', 1);
    expectFires(result.findings, 'org/token-no-expiry', 1);
    expectFires(result.findings, 'org/token-unused', 1);
    // Granted 2025-11-01, expires 2027-12-01.
    expect(token('org/token-long-lived')[0].properties).toMatchObject({ login: 'dave', token: 'two-years' });
    expect(token('org/token-no-expiry')[0].properties).toMatchObject({ login: 'bob', token: 'forever' });
    // Last used 2025-03-01, more than 180 days before the run; the expired token is not reported.
    expect(token('org/token-unused')[0].properties).toMatchObject({ login: 'alice', token: 'old-script' });
    expect(result.notChecked.filter((n) => n.check.startsWith('org/token-'))).toEqual([]);
  });

  it('finds no problem in the clean repository (protected by rulesets only)', async () => {
    const { result } = await run(smallWorld());
    // Every check ran on it (public, a release environment, a publishing workflow, a PyPI package):
    // nothing is left unchecked, so each quiet rule below was evaluated.
    expect(result.notChecked.filter((n) => n.target === 'clean')).toEqual([]);
    const clean = about(result, 'clean');
    // Its ruleset covers the default branch and release/*; another one restricts tag updates and deletion.
    expectQuiet(clean, 'repo/branch-unprotected');
    expectQuiet(clean, 'repo/review-not-required');
    expectQuiet(clean, 'repo/force-push-allowed');
    expectQuiet(clean, 'repo/deletion-allowed');
    expectQuiet(clean, 'repo/tags-unprotected');
    // alice (owner) holds admin, dave maintain through a team; no outside collaborator.
    expectQuiet(clean, 'repo/single-maintainer');
    expectQuiet(clean, 'repo/too-many-admins');
    expectQuiet(clean, 'repo/outside-collaborator-write');
    // A read-only deploy key added four months before the run; CODECOV_TOKEN is no publish token.
    expectQuiet(clean, 'repo/deploy-key-write');
    expectQuiet(clean, 'repo/deploy-key-old');
    expectQuiet(clean, 'repo/long-lived-token-secret');
    expectQuiet(clean, 'repo/no-security-policy');
    // Environment pypi: alice and the maintainers team (dave), self-review prevented, protected branches only.
    expectQuiet(clean, 'env/no-reviewers');
    expectQuiet(clean, 'env/single-reviewer');
    expectQuiet(clean, 'env/self-review-allowed');
    expectQuiet(clean, 'env/any-branch');
    // release.yml publishes as SPEC 8 asks.
    expectQuiet(clean, 'publish/trigger');
    expectQuiet(clean, 'publish/no-environment');
    expectQuiet(clean, 'publish/password');
    expectQuiet(clean, 'publish/id-token-scope');
    expectQuiet(clean, 'workflow/unpinned-uses');
    expectQuiet(clean, 'publish/cache-in-release');
    expectQuiet(clean, 'publish/no-print-hash');
    // The security features are all on; its jobs run on GitHub-hosted runners.
    expectQuiet(clean, 'repo/secret-scanning-off');
    expectQuiet(clean, 'repo/push-protection-off');
    expectQuiet(clean, 'repo/code-scanning-off');
    expectQuiet(clean, 'repo/private-vulnerability-reporting-off');
    expectQuiet(clean, 'repo/dependabot-alerts-off');
    expectQuiet(clean, 'repo/dependabot-security-updates-off');
    expectQuiet(clean, 'repo/dependabot-actions-missing');
    expectQuiet(clean, 'repo/self-hosted-runner-public');
    // clean-pkg: two owners, provenance from this repository's pypi environment.
    expectQuiet(clean, 'pypi/single-owner');
    expectQuiet(clean, 'pypi/no-trusted-publishing');
    expectQuiet(clean, 'pypi/publisher-mismatch');
    expect(clean).toEqual([]);
  });

  it('reports each repository problem with its SPEC clause (settings without a location)', async () => {
    const { result } = await run(smallWorld());
    const unprotected = about(result, 'unprotected');
    // moved-pkg: published from someone/fork, no environment (owned by a PyPI organization: no single-owner)
    expectFires(unprotected, 'pypi/publisher-mismatch', 1);
    expectFires(unprotected, 'repo/branch-unprotected', 1);
    expectFires(unprotected, 'repo/code-scanning-off', 1); // no workflows, default setup not configured
    expectFires(unprotected, 'repo/dependabot-security-updates-off', 1); // alerts on, security updates off
    expectFires(unprotected, 'repo/deploy-key-old', 1); // read-only, added 2022-03-01
    expectFires(unprotected, 'repo/no-security-policy', 1);
    expectFires(unprotected, 'repo/push-protection-off', 1); // secret scanning on, push protection off
    expectFires(unprotected, 'repo/single-maintainer', 1);
    expectFires(unprotected, 'repo/tags-unprotected', 1);
    expectFires(unprotected, 'repo/no-incident-response-plan', 1); // no document, no SECURITY.md
    expectFires(unprotected, 'repo/no-threat-model', 1);
    expect(unprotected).toHaveLength(11);
    expect(result.findings.find((f) => f.ruleId === 'pypi/publisher-mismatch')!.message).toMatch(
      /someone\/fork; published without an environment/
    );
    const weak = about(result, 'weak');
    expectFires(weak, 'env/any-branch', 2); // pypi without a branch policy, and release
    expectFires(weak, 'env/no-reviewers', 1); // release
    expectFires(weak, 'env/self-review-allowed', 1);
    expectFires(weak, 'env/single-reviewer', 1);
    // .github/workflows/publish.yml: twine upload with a token on every push to main
    expectFires(weak, 'publish/cache-in-release', 1);
    expectFires(weak, 'publish/id-token-scope', 1); // permissions: write-all
    expectFires(weak, 'publish/no-environment', 1);
    expectFires(weak, 'publish/password', 1);
    expectFires(weak, 'publish/trigger', 1);
    expectFires(weak, 'workflow/unpinned-uses', 2); // checkout@v4, setup-python@v5 (was publish/unpinned-action)
    expectFires(weak, 'pypi/no-trusted-publishing', 1); // weak-pkg 0.3
    expectFires(weak, 'pypi/single-owner', 1);
    expectFires(weak, 'repo/code-scanning-off', 1); // no CodeQL workflow, no default setup
    expectFires(weak, 'repo/deletion-allowed', 1);
    expectFires(weak, 'repo/dependabot-actions-missing', 1); // workflows pin actions, no dependabot.yml
    expectFires(weak, 'repo/dependabot-alerts-off', 1); // (security updates are not reported on top of this)
    expectFires(weak, 'repo/deploy-key-write', 1);
    expectFires(weak, 'repo/force-push-allowed', 1); // the evaluate-mode ruleset does not count
    expectFires(weak, 'repo/long-lived-token-secret', 1);
    expectFires(weak, 'repo/outside-collaborator-write', 1);
    expectFires(weak, 'repo/private-vulnerability-reporting-off', 1);
    expectFires(weak, 'repo/review-not-required', 1);
    expectFires(weak, 'repo/secret-scanning-off', 1); // (push protection is not reported on top of this)
    expectFires(weak, 'repo/self-hosted-runner-public', 1); // gpu.yml: runs-on [self-hosted, gpu]
    expectFires(weak, 'repo/tags-unprotected', 1);
    expectFires(weak, 'repo/no-incident-response-plan', 1); // SECURITY.md has an address, no plan
    expectFires(weak, 'repo/no-threat-model', 1);
    expect(weak).toHaveLength(29);
    const runner = result.findings.find((f) => f.ruleId === 'repo/self-hosted-runner-public')!;
    const gpu: string = smallWorld().repos['sp/weak'].files.main['.github/workflows/gpu.yml'];
    expect(runner.location).toEqual({
      file: '.github/workflows/gpu.yml',
      line: gpu.split('\n').findIndex((l) => l.includes('runs-on')) + 1
    });
    expect([runner.severity, runner.confidence]).toEqual(['high', 'high']);
    // Only findings about a file point at it; settings carry no location.
    const fileRules =
      /^(publish\/|workflow\/unpinned-|repo\/self-hosted-runner-public$|repo\/dependabot-actions-missing$)/;
    for (const f of result.findings) {
      if (!fileRules.test(f.ruleId)) expect(f.location).toBeUndefined();
      expect(f.spec.length).toBeGreaterThan(0);
    }
  });

  it('checks the workflow files fetched with the repository, pointing at file and line', async () => {
    const world = smallWorld();
    const { result } = await run(world);
    const text: string = world.repos['sp/weak'].files.main['.github/workflows/publish.yml'];
    const line = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const at = (id: string) =>
      result.findings
        .filter((f) => f.ruleId === id && f.properties?.repo === 'weak')
        .map((f) => `${f.location?.file}:${f.location?.line}`);
    expect(at('publish/trigger')).toEqual([`.github/workflows/publish.yml:${line('push:')}`]);
    expect(at('publish/password')).toEqual([`.github/workflows/publish.yml:${line('TWINE_PASSWORD')}`]);
    expect(at('publish/no-environment')).toEqual([`.github/workflows/publish.yml:${line('deploy:')}`]);
    expect(at('publish/cache-in-release')).toEqual([`.github/workflows/publish.yml:${line('setup-python@v5')}`]);
    expect(result.findings.find((f) => f.ruleId === 'publish/password')!.message).toMatch(
      /^weak: \.github\/workflows\/publish\.yml:\d+: .*TWINE_PASSWORD/
    );
    // The malformed file is named, once, as not checked; the other files of the repository are still checked.
    const broken = result.notChecked.filter((n) => n.check === 'repo/publish-workflow');
    expect(broken).toEqual([
      {
        check: 'repo/publish-workflow',
        target: 'weak',
        reason: expect.stringMatching(/^not checked: \.github\/workflows\/broken\.yaml:\d+: invalid YAML/)
      }
    ]);
    // The check is implemented now: not listed as such any more.
    expect(result.notChecked.filter((n) => /not implemented/.test(n.reason)).map((n) => n.check)).not.toContain(
      'repo/publish-workflow'
    );
  });

  it('follows a local reusable workflow that publishes back to the workflow that calls it', async () => {
    const world = smallWorld();
    const clean = world.repos['sp/clean'].files.main;
    // The release job moves into a reusable workflow; every push to main now calls it (a tag push would be a
    // decision to release, not reported).
    clean['.github/workflows/release.yml'] = clean['.github/workflows/release.yml'].replace(
      /^on:\n( {2}.*\n)+/m,
      'on:\n  workflow_call:\n'
    );
    clean['.github/workflows/tag.yml'] =
      'on:\n  push:\n    branches: [main]\npermissions:\n  contents: read\njobs:\n  release:\n    uses: ./.github/workflows/release.yml\n    permissions:\n      id-token: write\n';
    const { result } = await run(world);
    const found = result.findings
      .filter((f) => f.properties?.repo === 'clean')
      .map((f) => `${f.ruleId} ${f.location?.file}:${f.location?.line}`);
    expect(found).toEqual(['publish/trigger .github/workflows/tag.yml:2']);
  });

  it('reports the workflow checks as not checked when the token cannot read contents', async () => {
    fake = await startFakeGitHub({ world: smallWorld() });
    const client = await createGitHubClient({ token: 'any', apiUrl: fake!.url, retries: 0, retryBaseMs: 1 });
    const io = auditIO(client);
    // GitHub's answer for a field the token may not read: null there, and an error naming its path.
    const denied: typeof io.graphql = async (q, v) => {
      const answer = await io.graphql(q, v);
      if (!q.includes('workflows: object')) return answer;
      const data = { ...answer.data };
      const errors = [...(answer.errors ?? [])];
      for (const k of Object.keys(data).filter((k) => /^r\d+$/.test(k))) {
        data[k] = null;
        errors.push({ type: 'FORBIDDEN', path: [k, 'workflows'], message: 'Resource not accessible by integration' });
      }
      return { data, errors };
    };
    const result = await audit({ ...io, graphql: denied }, opts());
    expect(result.audited).toBe(3);
    expect(result.findings.filter((f) => f.ruleId.startsWith('publish/'))).toEqual([]);
    const skipped = result.notChecked.filter((n) => n.check === 'repo/publish-workflow');
    expect(skipped.map((n) => n.target).sort()).toEqual(['clean', 'unprotected', 'weak']);
    for (const n of skipped)
      expect(n.reason).toMatch(/^not checked: needs contents: read \(Resource not accessible by integration\)$/);
    // The other checks still ran.
    expect(ids(result, 'weak')).toContain('repo/long-lived-token-secret');
  });

  it('skips archived repositories and forks unless asked, and counts them', async () => {
    const a = await run(smallWorld());
    expect(a.result.audited).toBe(3);
    expect(a.result.skipped).toBe(2);
    await fake!.close();
    await pypi!.close();
    fake = undefined;
    const b = await run(smallWorld(), { includeArchived: true, includeForks: true });
    expect(b.result.audited).toBe(5);
    expect(ids(b.result, 'old-site')).toContain('repo/branch-unprotected');
  });

  it('applies exemptions with reason and expiry', async () => {
    const config = {
      ...DEFAULT_AUDIT_CONFIG,
      exemptions: [
        { repo: 'unprotected', reason: 'scratch repository, nothing released', expires: '2099-01-01' },
        { repo: 'weak', check: 'repo/deploy-key-write', reason: 'mirror push key', expires: '2020-01-01' },
        { repo: 'weak', check: 'repo/outside-collaborator-write', reason: 'carol reviews releases' },
        { repo: 'w*', check: 'repo/tags-unprotected', reason: 'tags are signed', expires: '2099-01-01' },
        { repo: '*', check: 'org/too-few-owners', reason: 'a second owner is being vetted' }
      ]
    };
    const { result } = await run(smallWorld(), { config });
    // A whole repository: not audited, with a note.
    expect(ids(result, 'unprotected')).toEqual([]);
    expect(result.notes.join('\n')).toMatch(/unprotected: exempt from the audit \(scratch repository/);
    // One rule: the engine leaves its findings alone and hands the runner a suppression for each.
    expect(result.findings.every((f) => !f.suppression)).toBe(true);
    const applied = applySuppressions(result.findings, result.suppressions, { today: '2026-01-01' });
    const reason = (id: string, repo?: string) =>
      applied.findings.find((f) => f.ruleId === id && f.properties?.repo === repo)?.suppression?.reason;
    expect(reason('repo/outside-collaborator-write', 'weak')).toBe('carol reviews releases');
    expect(reason('repo/tags-unprotected', 'weak')).toBe('tags are signed');
    // '*' covers organization-level findings too.
    expect(reason('org/too-few-owners')).toBe('a second owner is being vetted');
    // Only the rule named.
    expect(reason('repo/long-lived-token-secret', 'weak')).toBeUndefined();
    // Expired: reported again, with the core's note.
    expect(reason('repo/deploy-key-write', 'weak')).toBeUndefined();
    expect(applied.notes).toEqual([
      'The ignore at config: access-audit.exemptions (weak) expired on 2020-01-01; its findings are reported again. Renew it with a new date or fix the findings.'
    ]);
  });

  it('stays within 4 API requests per audited repository, plus a fixed cost for the organization', async () => {
    fake = await startFakeGitHub({ world: smallWorld() });
    const client = await createGitHubClient({ token: 'any', apiUrl: fake!.url, retries: 0, retryBaseMs: 1 });
    const io = auditIO(client);
    let perRepo = 0;
    let fixed = 0;
    const result = await audit(
      {
        ...io,
        // Repository batches and /repos/{owner}/{repo}/… calls grow with the org; the rest is paid once.
        graphql: (q, v) => (q.includes('r0: repository') ? perRepo++ : fixed++, io.graphql(q, v)),
        request: (route, p) => (
          route.startsWith('GET /repos/{owner}/{repo}/') ? perRepo++ : fixed++,
          io.request(route, p)
        )
      },
      opts()
    );
    expect(result.audited).toBe(3);
    expect(perRepo / result.audited).toBeLessThanOrEqual(4);
    // Settings, Actions policy (4), owners, 2FA filters (4), Apps, tokens, webhooks, runner groups (+1 per open group),
    // repository list, org SECURITY.md, teams, contributions and audit log.
    expect(fixed).toBeLessThanOrEqual(25);
    expect(perRepo + fixed).toBe(client.stats.requests);
  });
});

describe('access-audit engine: configured checks', () => {
  it('reports signed commits only where the config asks, from classic protection or rulesets', async () => {
    const none = await run(smallWorld());
    expectQuiet(none.result.findings, 'repo/signed-commits-not-required');
    expect(none.result.notes.join('\n')).toMatch(/Signed commits are not checked/);
    await fake!.close();
    await pypi!.close();
    fake = undefined;
    // clean: its ruleset has required_signatures; weak: classic protection without it; unprotected: no protection at all.
    const { result } = await run(smallWorld(), { config: { ...DEFAULT_AUDIT_CONFIG, requireSignedCommits: ['*'] } });
    const [weak, clean] = [about(result, 'weak'), about(result, 'clean')];
    expectFires(weak, 'repo/signed-commits-not-required', 1);
    expectQuiet(clean, 'repo/signed-commits-not-required');
    expect(
      result.findings.filter((f) => f.ruleId === 'repo/signed-commits-not-required').map((f) => f.properties?.repo)
    ).toEqual(['weak']);
  });

  it('exempts and raises repositories by their custom properties', async () => {
    const world = smallWorld();
    world.repos['sp/unprotected'].custom_properties = { 'security-audit': 'skip' };
    world.repos['sp/weak'].custom_properties = { criticality: 'critical' };
    const config = {
      ...DEFAULT_AUDIT_CONFIG,
      customProperties: {
        exempt: { property: 'security-audit', value: 'skip' },
        critical: { property: 'criticality', value: ['critical', 'high'] }
      }
    };
    const { result } = await run(world, { config });
    expect(ids(result, 'unprotected')).toEqual([]);
    expect(result.notes.join('\n')).toMatch(/unprotected: exempt from the audit by its custom property security-audit/);
    expect(result.audited).toBe(2);
    const weak = result.findings.filter((f) => f.properties?.repo === 'weak');
    expect(weak.every((f) => f.properties?.critical === true)).toBe(true);
    // One severity up: low → medium, medium → high, high → critical.
    expect(weak.find((f) => f.ruleId === 'repo/tags-unprotected')!.severity).toBe('medium');
    expect(weak.find((f) => f.ruleId === 'repo/deletion-allowed')!.severity).toBe('high');
    expect(weak.find((f) => f.ruleId === 'repo/force-push-allowed')!.severity).toBe('critical');
    expect(result.findings.find((f) => f.properties?.repo === 'clean')).toBeUndefined();
  });

  it('does not report an App the config approves', async () => {
    const { result } = await run(smallWorld(), { config: { ...DEFAULT_AUDIT_CONFIG, allowedApps: ['release-bot'] } });
    expectQuiet(result.findings, 'org/app-broad-write');
  });
});

describe('access-audit engine: inactivity from layered evidence', () => {
  it('counts a recent commit on an audited default branch as activity, without asking GitHub for contributions', async () => {
    const world = smallWorld();
    const clean = world.repos['sp/clean'];
    clean.commits.push({
      sha: 'e'.repeat(40),
      message: 'Fix docs',
      parents: [clean.commits[0].sha],
      author: { login: 'erin', date: '2025-12-01T00:00:00Z' },
      committer: { login: 'erin', date: '2025-12-01T00:00:00Z' }
    });
    clean.branches = { main: 'e'.repeat(40) };
    fake = await startFakeGitHub({ world });
    const client = await createGitHubClient({ token: 'any', apiUrl: fake!.url, retries: 0, retryBaseMs: 1 });
    const io = auditIO(client);
    const asked: unknown[] = [];
    const result = await audit(
      {
        ...io,
        graphql: (q, v) => (q.includes('contributionsCollection') && asked.push(...Object.values(v)), io.graphql(q, v))
      },
      opts()
    );
    expectQuiet(result.findings, 'people/possibly-inactive');
    // Seen in the history fetched with the repositories: GitHub is not asked about erin again.
    expect(asked).not.toContain('erin');
    expect(asked).toContain('dave');
  });

  it('looks back in windows of at most a year when inactive-days is longer', async () => {
    fake = await startFakeGitHub({ world: smallWorld() });
    const client = await createGitHubClient({ token: 'any', apiUrl: fake!.url, retries: 0, retryBaseMs: 1 });
    const io = auditIO(client);
    const windows: [unknown, unknown][] = [];
    const result = await audit(
      {
        ...io,
        graphql: (q, v) => (q.includes('contributionsCollection') && windows.push([v.from, v.to]), io.graphql(q, v))
      },
      opts({ inactiveDays: 500 })
    );
    expect(windows).toEqual([
      ['2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
      ['2024-08-19T00:00:00.000Z', '2025-01-01T00:00:00.000Z']
    ]);
    expect(result.findings.find((f) => f.ruleId === 'people/possibly-inactive')!.message).toMatch(/last 500 days/);
  });

  it('uses the audit log where the organization has one (Enterprise Cloud), and says so where it has not', async () => {
    const free = await run(smallWorld());
    expect(free.result.notes.join('\n')).toMatch(/audit log was not readable .*Enterprise Cloud/);
    expect(
      free.result.findings.find((f) => f.ruleId === 'people/possibly-inactive')!.properties?.evidence
    ).not.toContain('the organization audit log');
    await fake!.close();
    await pypi!.close();
    fake = undefined;
    const world = smallWorld();
    world.orgs.sp.plan = { name: 'enterprise' };
    world.orgs.sp.audit_log = [{ actor: 'erin', action: 'repo.access', created_at: '2025-11-20T00:00:00Z' }];
    const { result } = await run(world);
    expectQuiet(result.findings, 'people/possibly-inactive');
    await fake!.close();
    await pypi!.close();
    fake = undefined;
    // An entry older than the window is not activity.
    world.orgs.sp.audit_log = [{ actor: 'erin', action: 'repo.access', created_at: '2025-01-20T00:00:00Z' }];
    const old = await run(world);
    const erin = old.result.findings.find((f) => f.ruleId === 'people/possibly-inactive')!;
    expect(erin.properties?.login).toBe('erin');
    expect(erin.properties?.evidence).toContain('the organization audit log');
  });
});

describe('access-audit engine: changes since the last run', () => {
  it('names who lost access and the secrets and deploy keys older than the removal', async () => {
    const first = await run(smallWorld());
    expect(first.result.access.weak.people).toContain('carol');
    expect(first.result.notChecked.map((n) => n.check)).toContain('people/removed-rotate-secrets');
    await fake!.close();
    await pypi!.close();
    fake = undefined;
    const world = smallWorld();
    delete world.repos['sp/weak'].collaborators.carol;
    const { result } = await run(world, {
      previous: { finishedAt: '2025-12-01T00:00:00Z', access: first.result.access }
    });
    expectFires(result.findings, 'people/removed-rotate-secrets', 1);
    const removed = result.findings.filter((f) => f.ruleId === 'people/removed-rotate-secrets');
    expect(
      removed.map((f) => [f.properties?.repo, f.properties?.login, f.properties?.secrets, f.properties?.deployKeys])
    ).toEqual([['weak', 'carol', ['PYPI_API_TOKEN'], ['ci push key']]]);
    expect(result.notChecked.map((n) => n.check)).not.toContain('people/removed-rotate-secrets');
  });

  it('keeps reporting a removal until what the person could reach is rotated', async () => {
    const first = await run(smallWorld());
    await fake!.close();
    await pypi!.close();
    fake = undefined;
    const world = smallWorld();
    delete world.repos['sp/weak'].collaborators.carol;
    const second = await run(world, { previous: { finishedAt: '2025-12-01T00:00:00Z', access: first.result.access } });
    expect(second.result.access.weak.removed).toEqual([{ login: 'carol', since: '2025-12-01T00:00:00Z' }]);
    await fake!.close();
    await pypi!.close();
    fake = undefined;
    // A week later nothing was rotated: carol is no longer in the people diff, but the finding stays.
    const third = await run(world, { previous: { finishedAt: '2025-12-08T00:00:00Z', access: second.result.access } });
    const still = third.result.findings.filter((f) => f.ruleId === 'people/removed-rotate-secrets');
    expect(still.map((f) => [f.properties?.login, f.properties?.since, f.properties?.secrets])).toEqual([
      ['carol', '2025-12-01T00:00:00Z', ['PYPI_API_TOKEN']]
    ]);
    // Same removal, same fingerprint: the dashboard shows it as still open, not as new.
    expect(still[0].fingerprint).toBe(
      second.result.findings.find((f) => f.ruleId === 'people/removed-rotate-secrets')!.fingerprint
    );
    await fake!.close();
    await pypi!.close();
    fake = undefined;
    // The secret is rotated and the key replaced: resolved, and dropped from the snapshot.
    world.repos['sp/weak'].secrets.PYPI_API_TOKEN = {
      created_at: '2021-05-05T00:00:00Z',
      updated_at: '2025-12-10T00:00:00Z'
    };
    world.repos['sp/weak'].deploy_keys[0].created_at = '2025-12-10T00:00:00Z';
    const fourth = await run(world, { previous: { finishedAt: '2025-12-15T00:00:00Z', access: third.result.access } });
    expectQuiet(fourth.result.findings, 'people/removed-rotate-secrets');
    expect(fourth.result.access.weak.removed).toBeUndefined();
    expect(fourth.result.notes.join('\n')).toMatch(
      /carol no longer has write access to weak \(since 2025-12-01\); no secret or deploy key there predates the removal/
    );
  });
});

/** The small world's organization with every setting as SPEC 6 and SPEC 8 ask, three owners, seen by an App. */
const wellKept = () => {
  const world = smallWorld();
  const sp = world.orgs.sp;
  sp.settings = { two_factor_requirement_enabled: true, default_repository_permission: 'read' };
  sp.members = { ...sp.members, bob: 'admin', dave: 'admin' };
  world.users.bob.two_factor = true;
  world.users.carol.two_factor = true;
  sp.actions = {
    allowed_actions: 'selected',
    sha_pinning_required: true,
    default_workflow_permissions: 'read',
    can_approve_pull_request_reviews: false,
    fork_pr_approval_policy: 'all_external_contributors',
    fork_pr_private: {
      run_workflows_from_fork_pull_requests: true,
      send_write_tokens_to_workflows: false,
      send_secrets_and_variables: false,
      require_approval_for_fork_pr_workflows: true
    }
  };
  sp.installations['release-bot'].repository_selection = 'selected';
  sp.hooks = sp.hooks.filter((h: { secret: boolean }) => h.secret);
  sp.runner_groups.find((g: { name: string }) => g.name === 'gpu').allows_public_repositories = false;
  // Used last week, valid for a year: none of the token rules applies.
  sp.pat_grants = [
    {
      ...sp.pat_grants.find((g: { token_name: string }) => g.token_name === 'two-years'),
      token_expires_at: '2026-10-31T00:00:00Z'
    }
  ];
  return { ...world, tokens: { app: { login: 'audit-app[bot]', permissions: APP_PERMISSIONS } } };
};

describe('access-audit engine: a well-kept organization', () => {
  it('raises no organization-level finding, and checked every one', async () => {
    const { result } = await run(wellKept(), {}, 'app');
    expect(result.notChecked.filter((n) => n.check.startsWith('org/'))).toEqual([]);
    const org = about(result);
    expectQuiet(org, 'org/2fa-not-required');
    expectQuiet(org, 'org/default-permission-too-broad');
    expectQuiet(org, 'org/member-without-2fa');
    expectQuiet(org, 'org/member-insecure-2fa');
    expectQuiet(org, 'org/too-few-owners');
    expectQuiet(org, 'org/too-many-owners'); // three, within the default five
    expectQuiet(org, 'org/actions-token-write');
    expectQuiet(org, 'org/actions-can-approve-prs');
    expectQuiet(org, 'org/actions-all-allowed');
    expectQuiet(org, 'org/actions-sha-pinning-not-required');
    expectQuiet(org, 'org/fork-pr-approval-weak');
    expectQuiet(org, 'org/fork-pr-private-repos'); // fork workflows run, with approval and nothing sent
    expectQuiet(org, 'org/app-broad-write'); // on selected repositories; docs-preview writes no code or settings
    expectQuiet(org, 'org/token-no-expiry');
    expectQuiet(org, 'org/token-long-lived');
    expectQuiet(org, 'org/token-unused');
    expectQuiet(org, 'org/webhook-insecure');
    expectQuiet(org, 'org/webhook-no-secret');
    expectQuiet(org, 'org/runner-group-public');
  });

  it('reports more owners and repository admins than the config allows', async () => {
    const config = { ...DEFAULT_AUDIT_CONFIG, maxOwners: 2, maxAdmins: 2 };
    const { result } = await run(wellKept(), { config }, 'app');
    const [org, clean] = [about(result), about(result, 'clean')];
    expectFires(org, 'org/too-many-owners', 1);
    expect(org.find((f) => f.ruleId === 'org/too-many-owners')!.properties?.owners).toEqual(['alice', 'bob', 'dave']);
    // The owners hold admin on every repository.
    expectFires(clean, 'repo/too-many-admins', 1);
  });
});

describe('access-audit engine: token without org permissions', () => {
  const world = () => ({
    ...smallWorld(),
    tokens: { 'app-token': { login: 'audit-app[bot]', permissions: { metadata: 'read' } } }
  });

  it('reports what it cannot read as not checked, never as a finding', async () => {
    const { result } = await run(world(), {}, 'app-token');
    const checks = new Set(result.notChecked.map((n) => n.check));
    for (const c of [
      'org/actions-token-write',
      'org/actions-all-allowed',
      'org/2fa-not-required',
      'org/default-permission-too-broad',
      'org/too-few-owners',
      'org/member-without-2fa',
      'org/member-insecure-2fa',
      'org/fork-pr-approval-weak',
      'org/fork-pr-private-repos',
      'org/app-broad-write',
      'org/token-no-expiry',
      'org/webhook-insecure',
      'org/runner-group-public',
      'repo/long-lived-token-secret',
      'repo/deploy-key-write',
      'repo/secret-scanning-off',
      'repo/dependabot-alerts-off',
      'repo/code-scanning-off'
    ]) {
      expect(checks).toContain(c);
    }
    // Unreadable security settings never become "off".
    for (const id of [
      'repo/secret-scanning-off',
      'repo/push-protection-off',
      'repo/dependabot-alerts-off',
      'repo/dependabot-security-updates-off',
      'repo/code-scanning-off'
    ]) {
      expect(result.findings.map((f) => f.ruleId)).not.toContain(id);
    }
    expect(result.notChecked.find((n) => n.check === 'repo/secret-scanning-off')!.reason).toMatch(
      /administration: read/
    );
    const org = ids(result);
    expect(org.filter((i) => i.startsWith('org/'))).toEqual([]);
    expect(result.findings.map((f) => f.ruleId)).not.toContain('repo/long-lived-token-secret');
    expect(result.findings.map((f) => f.ruleId)).not.toContain('repo/deploy-key-write');
    expect(result.notChecked.find((n) => n.check === 'repo/long-lived-token-secret')!.reason).toMatch(
      /needs secrets: read/
    );
    expect(result.notChecked.find((n) => n.check === 'org/member-without-2fa')!.reason).toMatch(/organization owner/);
  });
});

describe('access-audit engine: faults', () => {
  it('stops at once, with one reason, when the org does not exist or the token is rejected', async () => {
    const missing = await run(smallWorld(), { org: 'no-such-org' });
    expect(missing.result.findings).toEqual([]);
    expect(missing.result.notChecked.find((n) => n.check === 'access-audit')!.reason).toMatch(
      /organization no-such-org not found/
    );
    await fake!.close();
    await pypi!.close();
    fake = undefined;
    const rejected = await run({ ...smallWorld(), tokens: { good: { login: 'alice' } } }, {}, 'bad-token');
    expect(rejected.result.findings).toEqual([]);
    expect(rejected.result.notChecked.find((n) => n.check === 'access-audit')!.reason).toMatch(/401/);
  });

  it('retries 5xx and secondary rate limits and still reports everything', async () => {
    const faults = [
      serverError({ match: 'POST /graphql', times: 1 }),
      secondaryRateLimit({ match: 'GET /repos/sp/weak/actions/secrets', retryAfter: 1 })
    ];
    const { result } = await run(smallWorld(), {}, 'any', faults);
    expect(ids(result, 'weak')).toContain('repo/long-lived-token-secret');
    expect(result.audited).toBe(3);
  });

  it('turns a truncated batch into "not audited" for exactly its repositories, never a pass', async () => {
    fake = await startFakeGitHub({ world: smallWorld() });
    const client = await createGitHubClient({ token: 'any', apiUrl: fake!.url, retries: 0, retryBaseMs: 1 });
    const io = auditIO(client);
    let n = 0;
    const broken = {
      ...io,
      graphql: (q: string, v: Record<string, unknown>) =>
        q.includes('r0: repository') && n++ === 0
          ? Promise.reject(new Error('Unexpected end of JSON input'))
          : io.graphql(q, v)
    };
    const result = await audit(broken, opts());
    expect(result.audited).toBe(0);
    expect(
      result.notChecked
        .filter((x) => x.check === 'repository')
        .map((x) => x.target)
        .sort()
    ).toEqual(['clean', 'unprotected', 'weak']);
    expect(result.findings.filter((f) => f.properties?.repo)).toEqual([]);
  });

  it('stops cleanly when the rate budget runs out and lists the repositories not audited', async () => {
    const world = { ...smallWorld(), rate_limit: { core: { limit: 5000, remaining: 12 } } };
    const { result } = await run(world, { reserve: 5 });
    expect(result.notes.join('\n')).toMatch(/rate budget ran out|not audited/);
    const unaudited = result.notChecked.filter((x) => x.check === 'repository' || /rate limit/.test(x.reason));
    expect(unaudited.length).toBeGreaterThan(0);
  });

  it('a repository list cut off is reported, and nothing is counted as audited', async () => {
    const { result } = await run(smallWorld(), {}, 'any', [truncatedBody({ match: 'GET /orgs/sp/repos', times: 10 })]);
    expect(result.audited).toBe(0);
    expect(result.notChecked.find((n) => n.check === 'repositories')!.reason).toMatch(
      /the repository list stopped after 0 repositories/
    );
    expect(result.findings.filter((f) => f.properties?.repo)).toEqual([]);
  });

  it('security settings that fail to load are not checked, never "off", and the other checks still run', async () => {
    const faults = [
      serverError({ match: 'GET /repos/sp/weak/private-vulnerability-reporting', times: 10 }),
      serverError({ match: 'GET /repos/sp/unprotected/code-scanning/default-setup', times: 10 }),
      truncatedBody({ match: 'GET /orgs/sp/installations', times: 10 })
    ];
    const { result } = await run(smallWorld(), {}, 'any', faults);
    const nc = (check: string, target: string) =>
      result.notChecked.find((n) => n.check === check && n.target === target)?.reason;
    expect(nc('repo/private-vulnerability-reporting-off', 'weak')).toMatch(/GitHub API error 50\d/);
    expect(nc('repo/code-scanning-off', 'unprotected')).toMatch(/GitHub API error 50\d/);
    expect(nc('org/app-broad-write', 'sp')).toMatch(/not checked/);
    expect(ids(result, 'weak')).not.toContain('repo/private-vulnerability-reporting-off');
    expect(ids(result, 'unprotected')).not.toContain('repo/code-scanning-off');
    expect(ids(result)).not.toContain('org/app-broad-write');
    expect(ids(result, 'weak')).toContain('repo/secret-scanning-off');
    expect(result.audited).toBe(3);
  });

  it('a truncated REST answer is not a pass', async () => {
    const { result } = await run(smallWorld(), {}, 'any', [
      truncatedBody({ match: 'GET /repos/sp/weak/actions/secrets', times: 10 })
    ]);
    expect(
      result.notChecked.find((n) => n.check === 'repo/long-lived-token-secret' && n.target === 'weak')
    ).toBeDefined();
  });
});

describe('access-audit: protection as classic ∪ rulesets', () => {
  const base = {
    name: 'r',
    defaultBranchRef: { name: 'main' },
    branchProtectionRules: { nodes: [] },
    rulesets: { nodes: [] as NonNullable<RepoData['rulesets']>['nodes'] }
  };
  it('is unknown, not unprotected, when one source is unreadable and the other shows nothing', () => {
    expect(branchProtection(base, 'main', { classic: false, rulesets: true })).toBe('unknown');
    expect(branchProtection(base, 'main', { classic: true, rulesets: false })).toBe('unknown');
    expect(branchProtection(base, 'main', { classic: true, rulesets: true })).toMatchObject({ protected: false });
  });
  it('counts a ruleset even when classic protection is unreadable', () => {
    const repo = {
      ...base,
      rulesets: {
        nodes: [
          {
            name: 'x',
            enforcement: 'ACTIVE',
            target: 'BRANCH',
            conditions: { refName: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
            rules: { nodes: [{ type: 'NON_FAST_FORWARD' }] }
          }
        ]
      }
    };
    expect(branchProtection(repo, 'main', { classic: false, rulesets: true })).toMatchObject({
      protected: true,
      forcePushBlocked: true,
      deletionBlocked: false
    });
  });
  it('matches ref globs like GitHub', () => {
    expect(globToRegExp('refs/heads/release/*').test('refs/heads/release/1.x')).toBe(true);
    expect(globToRegExp('refs/heads/release/*').test('refs/heads/release/1/x')).toBe(false);
    expect(globToRegExp('refs/heads/**').test('refs/heads/a/b')).toBe(true);
  });
});

describe('access-audit GraphQL queries', () => {
  it('every query sent during full and permission-limited audits passes validateGraphQL', async () => {
    const sent: [string, Record<string, unknown>][] = [];
    for (const [world, token] of [
      [smallWorld(), 'any'],
      [{ ...smallWorld(), tokens: { t: { login: 'audit-app[bot]', permissions: { metadata: 'read' } } } }, 't']
    ] as const) {
      fake = await startFakeGitHub({ world });
      const client = await createGitHubClient({ token, apiUrl: fake!.url, retries: 0, retryBaseMs: 1 });
      const io = auditIO(client);
      await audit({ ...io, graphql: (q, v) => (sent.push([q, v]), io.graphql(q, v)) }, opts());
      await fake!.close();
      fake = undefined;
    }
    expect(sent.length).toBeGreaterThan(8);
    for (const [q, v] of sent) expect(validateGraphQL(q, v)).toEqual([]);
    // The permission-limited run dropped the unreadable fields and asked again.
    expect(sent.some(([q]) => q.includes('r0: repository') && !q.includes('deployKeys'))).toBe(true);
  });

  it('all pass validateGraphQL against GitHub schema', () => {
    expect(validateGraphQL(ORG_POLICY, { org: 'o' })).toEqual([]);
    expect(validateGraphQL(TEAMS, { org: 'o', after: null })).toEqual([]);
    const vars: Record<string, string> = { org: 'o' };
    for (let i = 0; i < 20; i++) vars[`n${i}`] = `r${i}`;
    expect(validateGraphQL(repoBatchQuery(20), vars)).toEqual([]);
    expect(
      validateGraphQL(repoBatchQuery(3, new Set(['deployKeys', 'environments'])), {
        org: 'o',
        n0: 'a',
        n1: 'b',
        n2: 'c'
      })
    ).toEqual([]);
    const uvars: Record<string, string> = { from: '2025-01-01T00:00:00Z', to: '2025-12-31T00:00:00Z' };
    for (let i = 0; i < 20; i++) uvars[`u${i}`] = `u${i}`;
    expect(validateGraphQL(activityQuery(20), uvars)).toEqual([]);
    const avars: Record<string, string> = { org: 'o' };
    for (let i = 0; i < 20; i++) avars[`q${i}`] = `actor:u${i} created:>=2025-01-01`;
    expect(validateGraphQL(auditLogQuery(20), avars)).toEqual([]);
    expect(validateGraphQL(repoBatchQuery(2), { org: 'o', n0: 'a', n1: 'b', since: '2025-01-01T00:00:00Z' })).toEqual(
      []
    );
  });
});

describe('access-audit config and inputs', () => {
  it('reads the access-audit section of the config file', () => {
    const c = parseConfig(
      'access-audit:\n  max-owners: 3\n  packages:\n    weak: [weak-pkg, weak-extra]\n  exemptions:\n    - repo: sandbox-*\n      reason: personal experiments\n      expires: 2030-01-01\n',
      '.github/security-actions.yml'
    );
    const a = auditConfig(c.sections['access-audit']);
    expect(a.maxOwners).toBe(3);
    expect(a.maxAdmins).toBe(DEFAULT_AUDIT_CONFIG.maxAdmins);
    expect(a.packages).toEqual({ weak: ['weak-pkg', 'weak-extra'] });
    expect(a.exemptions).toEqual([{ repo: 'sandbox-*', reason: 'personal experiments', expires: '2030-01-01' }]);
  });
  it('rejects a misspelt key with file and line', () => {
    expect(() => parseConfig('access-audit:\n  max-owners: 3\n  exemption: []\n', 'cfg.yml')).toThrow(/^cfg\.yml:3: /);
  });
  it('validates shard', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('')).toBeUndefined();
    expect(() => parseShard('5/4')).toThrow(/i\/n/);
    expect(() => parseShard('x')).toThrow(/i\/n/);
  });
});
