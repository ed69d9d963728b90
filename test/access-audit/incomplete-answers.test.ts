// GitHub answering 200 without what its contract promises (an empty object, a
// proxy's web page) is "not checked" with the reason, never "none found": each
// route is answered that way in a world where its rule fires, and the rule must
// turn into a not-checked entry for the same target.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGitHubClient } from '../../packages/core/src/index';
import { audit } from '../../actions/access-audit/src/engine';
import { auditIO } from '../../actions/access-audit/src/main';
import type { AuditResult } from '../../actions/access-audit/src/types';
import { REPO_ROOT } from '../harness/run-action';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { expectFires, expectQuiet } from '../helpers/rules';
import { auditOptions } from './options';

const world = () => JSON.parse(readFileSync(join(REPO_ROOT, 'test/fakes/github/worlds/audit-small.json'), 'utf8'));

async function auditWith(faults: object[]): Promise<AuditResult> {
  const fake = await startFakeGitHub({ world: world(), faults });
  try {
    const client = await createGitHubClient({ token: 'any', apiUrl: fake.url, retries: 0, retryBaseMs: 1 });
    return await audit(auditIO(client), auditOptions());
  } finally {
    await fake.close();
  }
}

const PAGE = '<!DOCTYPE html><html><body>Proxy sign-in required: internal.example</body></html>';

// route answered without its promised fields → the rule it feeds, and the target of that rule.
const ROUTES: [string, string, string][] = [
  ['GET /repos/sp/weak/actions/secrets', 'repo/long-lived-token-secret', 'weak'],
  ['GET /orgs/sp/actions/permissions', 'org/actions-all-allowed', 'sp'],
  ['GET /orgs/sp/actions/permissions/workflow', 'org/actions-token-write', 'sp'],
  ['GET /orgs/sp/actions/permissions/workflow', 'org/actions-can-approve-prs', 'sp'],
  ['GET /orgs/sp/actions/permissions/fork-pr-workflows-private-repos', 'org/fork-pr-private-repos', 'sp'],
  ['GET /orgs/sp/actions/permissions/fork-pr-contributor-approval', 'org/fork-pr-approval-weak', 'sp'],
  ['GET /orgs/sp', 'org/2fa-not-required', 'sp'],
  ['GET /orgs/sp/installations', 'org/app-broad-write', 'sp'],
  ['GET /orgs/sp/hooks', 'org/webhook-insecure', 'sp'],
  ['GET /orgs/sp/actions/runner-groups', 'org/runner-group-public', 'sp'],
  ['GET /repos/sp/weak/private-vulnerability-reporting', 'repo/private-vulnerability-reporting-off', 'weak']
];

describe('access-audit: 200 answers without the promised fields', () => {
  let baseline: AuditResult;
  let empty: AuditResult;
  let page: AuditResult;
  beforeAll(async () => {
    baseline = await auditWith([]);
    // Every route at once: each feeds its own rule, and one audit is cheaper than eleven.
    empty = await auditWith([...new Set(ROUTES.map(([r]) => r))].map((match) => ({ match, status: 200, body: {} })));
    page = await auditWith([{ match: 'GET /repos/sp/weak/actions/secrets', status: 200, body: PAGE }]);
  });

  it.each(ROUTES)('%s answered {} leaves %s not checked', (_route, rule, target) => {
    const on = (r: AuditResult) =>
      r.findings.filter((f) => f.ruleId === rule && (f.properties?.repo ?? f.properties?.org) === target);
    expectFires(on(baseline), rule); // the world makes it fire: a silent {} would hide a real finding
    expectQuiet(on(empty), rule);
    expect(empty.notChecked.find((n) => n.check === rule && n.target === target)?.reason).toMatch(
      /so nothing was checked$|GitHub (did not return|returned no|returned an unknown) \S+/
    );
  });

  it('a web page instead of JSON is not checked, and nothing of the page reaches a reason', () => {
    expectQuiet(page.findings, 'repo/long-lived-token-secret');
    expect(page.notChecked.find((n) => n.check === 'repo/long-lived-token-secret')?.reason).toBe(
      "not checked: GitHub's answer to GET /repos/{owner}/{repo}/actions/secrets was a web page, not JSON, so nothing was checked"
    );
    expect(JSON.stringify(page)).not.toMatch(/Proxy sign-in|internal\.example/);
  });
});
