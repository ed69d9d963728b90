// Code security configurations as a source of private vulnerability reporting
// and CodeQL default setup: taken only where GitHub guarantees them (status
// `enforced` under an enforced organization configuration that enables or
// disables the feature), read per repository everywhere else, and read per
// repository for all when the configurations cannot be read or lack fields.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGitHubClient } from '../../packages/core/src/index';
import { audit } from '../../actions/access-audit/src/engine';
import { auditIO } from '../../actions/access-audit/src/main';
import type { AuditResult } from '../../actions/access-audit/src/types';
import { REPO_ROOT } from '../harness/run-action';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { APP_PERMISSIONS, bigWorld } from './big-world.mjs';
import { expectFires, expectQuiet } from '../helpers/rules';
import { auditOptions } from './options';

const PVR = 'repo/private-vulnerability-reporting-off';
const CODE_SCANNING = 'repo/code-scanning-off';

type World = Record<string, any>;
type Fake = Awaited<ReturnType<typeof startFakeGitHub>>;

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The small org audited by an App with the documented permissions (`permissions` overrides them). */
function small(configurations: object[], attach: Record<string, object>, permissions = APP_PERMISSIONS): World {
  const w = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fakes/github/worlds/audit-small.json'), 'utf8'));
  w.tokens = { app: { login: 'audit-app[bot]', permissions } };
  w.orgs.sp.code_security_configurations = configurations;
  for (const [repo, a] of Object.entries(attach)) w.repos[`sp/${repo}`].security_configuration = a;
  return w;
}

/** Audits `world` against a fresh fake (the previous one is closed); `asked(suffix)` names the repositories read at it. */
async function run(world: World, org = 'sp', faults: object[] = []) {
  await fake?.close();
  const gh = (fake = await startFakeGitHub({ world, faults }));
  const client = await createGitHubClient({ token: 'app', apiUrl: gh.url, retries: 0, retryBaseMs: 1 });
  const result = await audit(auditIO(client), auditOptions(org));
  const asked = (suffix: string) =>
    gh.requests
      .filter((r: { path: string }) => r.path.endsWith(suffix))
      .map((r: { path: string }) => r.path.split('/')[3])
      .sort();
  return { result, asked, requests: gh.requests as { path: string; query: string }[] };
}

const on = (r: AuditResult, repo: string, rule: string) =>
  r.findings.filter((f) => f.ruleId === rule && f.properties?.repo === repo);
const fingerprints = (r: AuditResult) => r.findings.map((f) => f.fingerprint).sort();
const notChecked = (r: AuditResult) => r.notChecked.map((n) => `${n.check} ${n.target} ${n.reason}`).sort();

const ENFORCED_ON = { name: 'baseline', enforcement: 'enforced', private_vulnerability_reporting: 'enabled' };
const ENFORCED_OFF = { name: 'mirrors', enforcement: 'enforced', private_vulnerability_reporting: 'disabled' };
const PILOT = { name: 'pilot', enforcement: 'unenforced', private_vulnerability_reporting: 'enabled' };

describe('access-audit: enforced code security configurations', () => {
  it('takes private vulnerability reporting from an enforced configuration, with the same findings', async () => {
    const plain = await run(small([], {}));
    const configured = await run(
      small([ENFORCED_ON, ENFORCED_OFF], {
        clean: { configuration: 'baseline' },
        unprotected: { configuration: 'baseline' },
        weak: { configuration: 'mirrors' }
      })
    );
    expect(plain.asked('/private-vulnerability-reporting')).toEqual(['clean', 'unprotected', 'weak']);
    expect(configured.asked('/private-vulnerability-reporting')).toEqual([]);
    expectFires(on(configured.result, 'weak', PVR), 'repo/private-vulnerability-reporting-off', 1); // "disabled" under enforcement is a finding, not a pass
    expectQuiet(on(configured.result, 'clean', PVR), 'repo/private-vulnerability-reporting-off');
    expect(fingerprints(configured.result)).toEqual(fingerprints(plain.result));
    expect(notChecked(configured.result)).toEqual(notChecked(plain.result));
    expect(configured.result.notes.join('\n')).toMatch(/3 repositories have an enforced code security configuration/);
  });

  it('reads every repository whose attachment guarantees nothing', async () => {
    const { result, asked } = await run(
      small(
        [ENFORCED_ON, PILOT, { name: 'loose', enforcement: 'enforced', private_vulnerability_reporting: 'not_set' }],
        {
          clean: { configuration: 'pilot' }, // attached, but unenforced: an admin may change it
          unprotected: { configuration: 'baseline', status: 'updating' },
          weak: { configuration: 'loose' } // enforced, but the configuration does not set it
        }
      )
    );
    expect(asked('/private-vulnerability-reporting')).toEqual(['clean', 'unprotected', 'weak']);
    // Only the enforced configurations that set something are listed.
    expect(asked('/repositories').length).toBe(1);
    expectFires(on(result, 'weak', PVR), 'repo/private-vulnerability-reporting-off', 1);
    expectQuiet(on(result, 'clean', PVR), 'repo/private-vulnerability-reporting-off');
    for (const status of ['attaching', 'failed', 'removed_by_enterprise', 'detached']) {
      const again = await run(small([ENFORCED_ON], { clean: { configuration: 'baseline', status } }));
      expect(again.asked('/private-vulnerability-reporting')).toEqual(['clean', 'unprotected', 'weak']);
    }
  });

  it('takes CodeQL default setup only when an enforced configuration disables it', async () => {
    const cs = (setting: string) => ({ name: 'cs', enforcement: 'enforced', code_scanning_default_setup: setting });
    const plain = await run(small([], {}));
    expectFires(on(plain.result, 'unprotected', CODE_SCANNING), 'repo/code-scanning-off', 1);
    const off = await run(small([cs('disabled')], { unprotected: { configuration: 'cs' } }));
    expect(off.asked('/code-scanning/default-setup')).not.toContain('unprotected');
    expectFires(on(off.result, 'unprotected', CODE_SCANNING), 'repo/code-scanning-off', 1);
    expect(fingerprints(off.result)).toEqual(fingerprints(plain.result));
    // Enabled is not guaranteed (Actions off, or the languages changed, leave it unconfigured): read, and here it is.
    const enabled = await run(small([cs('enabled')], { clean: { configuration: 'cs' } }));
    expect(enabled.asked('/code-scanning/default-setup')).toEqual(plain.asked('/code-scanning/default-setup'));
    expect(enabled.asked('/repositories')).toEqual([]);
    expectQuiet(on(enabled.result, 'clean', CODE_SCANNING), 'repo/code-scanning-off');
  });

  const attached = { clean: { configuration: 'baseline' }, weak: { configuration: 'mirrors' } };
  const noOrgAdmin = Object.fromEntries(
    Object.entries(APP_PERMISSIONS).filter(([k]) => k !== 'organization_administration')
  ) as typeof APP_PERMISSIONS;
  it.each([
    [
      '403: the token lacks Organization administration',
      small([ENFORCED_ON, ENFORCED_OFF], attached, noOrgAdmin),
      [],
      /needs organization administration: read \(GitHub answered 403\)/
    ],
    [
      '404: a GitHub without configurations',
      small([ENFORCED_ON, ENFORCED_OFF], attached),
      [{ match: 'GET /orgs/sp/code-security/configurations', status: 404, body: { message: 'Not Found' } }],
      /GitHub answered 404/
    ],
    [
      'a configuration without id and enforcement',
      small([ENFORCED_ON, ENFORCED_OFF], attached),
      [
        {
          match: 'GET /orgs/sp/code-security/configurations',
          status: 200,
          body: [{ name: 'baseline', private_vulnerability_reporting: 'enabled' }]
        }
      ],
      /lacked id, enforcement/
    ],
    [
      'not a list',
      small([ENFORCED_ON, ENFORCED_OFF], attached),
      [{ match: 'GET /orgs/sp/code-security/configurations', status: 200, body: {} }],
      /lacked the list/
    ]
  ])('%s: every repository is read, none is "none found"', async (_what, world, faults, reason) => {
    const { result, asked } = await run(world, 'sp', faults);
    expect(asked('/private-vulnerability-reporting')).toEqual(['clean', 'unprotected', 'weak']);
    expectFires(on(result, 'weak', PVR), 'repo/private-vulnerability-reporting-off', 1);
    expectQuiet(on(result, 'clean', PVR), 'repo/private-vulnerability-reporting-off');
    expect(result.notes.find((n) => n.startsWith('Code security configurations were not read'))).toMatch(reason);
  });

  it('a repository list item without its status or name leaves that configuration to per-repository reads', async () => {
    const world = small([ENFORCED_ON, ENFORCED_OFF], attached);
    const first = await run(world);
    const listed = await (
      await fetch(`${fake!.url}/orgs/sp/code-security/configurations`, { headers: { authorization: 'token app' } })
    ).json();
    const baseline = (listed as { id: number; name: string }[]).find((c) => c.name === 'baseline')!;
    expect(first.asked('/private-vulnerability-reporting')).toEqual(['unprotected']);
    const { result, asked } = await run(world, 'sp', [
      {
        match: `GET /orgs/sp/code-security/configurations/${baseline.id}/repositories`,
        status: 200,
        body: [{ repository: { name: 'clean' } }]
      }
    ]);
    expect(asked('/private-vulnerability-reporting')).toEqual(['clean', 'unprotected']); // weak: from "mirrors"
    expect(result.notes.join('\n')).toMatch(
      /repositories of code security configuration "baseline" were not read .*lacked status/
    );
    expectFires(on(result, 'weak', PVR), 'repo/private-vulnerability-reporting-off', 1);
  });

  it('pages the repositories of a configuration by cursor', async () => {
    const world: World = { ...bigWorld(260), tokens: { app: bigWorld(0).tokens['bench-token'] } };
    const { result, asked, requests } = await run(world, 'big');
    const enforced = Object.entries(world.repos).filter(
      ([, r]: [string, any]) =>
        r.security_configuration?.configuration === 'sp-baseline' && !r.security_configuration.status
    ).length;
    expect(enforced).toBeGreaterThan(100);
    const pages = requests.filter((r) => r.path.endsWith('/repositories'));
    expect(pages.length).toBe(Math.ceil(enforced / 100));
    expect(pages.slice(1).every((p) => /[?&]after=/.test(p.query))).toBe(true);
    // No public repository enforced under the baseline is read one by one; every other public one is.
    const publicEnforced = Object.entries(world.repos)
      .filter(([, r]: [string, any]) => !r.private && !r.archived && !r.parent)
      .filter(
        ([, r]: [string, any]) =>
          r.security_configuration?.configuration === 'sp-baseline' && !r.security_configuration.status
      )
      .map(([k]) => k.split('/')[1]);
    const read = asked('/private-vulnerability-reporting');
    expect(read.filter((n) => publicEnforced.includes(n))).toEqual([]);
    expect(read.length + publicEnforced.length).toBe(
      Object.values(world.repos).filter((r: any) => !r.private && !r.archived && !r.parent).length
    );
    expectFires(result.findings, 'repo/private-vulnerability-reporting-off');
    expectQuiet(
      result.findings.filter((f) => publicEnforced.includes(String(f.properties?.repo))),
      'repo/private-vulnerability-reporting-off'
    );
  });
});
