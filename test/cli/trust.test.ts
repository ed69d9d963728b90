// `sp-security trust LOGIN` against the fake GitHub: the one line, the facts
// and paths, JSON, the ecosystem from the config file, and its exit statuses.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../packages/cli/src/commands/types';
import { main } from '../../packages/cli/src/main';
import { serverError } from '../fakes/github/faults.mjs';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { scenarioWorld } from '../helpers/trust-world.mjs';

describe('sp-security trust', () => {
  let gh: Awaited<ReturnType<typeof startFakeGitHub>>;
  const cwd = mkdtempSync(join(tmpdir(), 'trust-cli-'));

  beforeAll(async () => {
    gh = await startFakeGitHub({ world: scenarioWorld(new Date()) });
  });
  afterAll(() => gh.close());

  async function run(args: string[], dir = cwd) {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      env: { GITHUB_TOKEN: 'ghs_cliTrustTest000000000000000000000000', GITHUB_API_URL: gh.url },
      cwd: dir,
      progressAfterMs: 60_000
    };
    const code = await main(['trust', ...args], io);
    return { code, out: out.join(''), err: err.join('\n') };
  }

  it('prints who the account is in one line, then the facts and the paths, and exits 0', async () => {
    const r = await run(['bob', '--orgs', 'numpy,scipy', '--repo', 'numpy/numpy']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^@bob: 12 merged PRs in numpy since \d{4}; merged by a numpy maintainer, @alice/);
    expect(lines[1]).toBe('Ecosystem: numpy, scipy, numpy/numpy');
    expect(r.out).toMatch(/^Paths \(1 hop\) +@alice \(numpy maintainer\) merged 12 PRs of @bob in numpy since \d{4}$/m);
    expect(r.out).toMatch(/^Public membership +numpy$/m);
    expect(r.out).toMatch(/^3 API requests \(the vouch files and @bob\); public data only$/m);
    expect(r.out).not.toContain('ghs_');
  });

  it('takes the ecosystem and its roots from the config file, and prints JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-cli-config-'));
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github/security-actions.yml'), 'trust:\n  orgs: [numpy]\n  roots: [hank]\n');
    const r = await run(['gina', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.standing).toBe('near');
    expect(report.paths.value[0].start).toEqual({
      login: 'hank',
      kind: 'root',
      where: ['.github/security-actions.yml']
    });
  });

  it('exits 1 and says what was not checked when GitHub fails', async () => {
    gh.addFault(serverError({ match: 'POST /graphql', status: 502, times: 20 }));
    try {
      const r = await run(['newbie', '--orgs', 'numpy']);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^Paths +not checked: .*GitHub API error 502/m);
    } finally {
      gh.setFaults([]);
    }
  });

  it.each([
    [[], 'sp-security trust: give one LOGIN'],
    [
      ['bob'],
      'sp-security trust: name the ecosystem: --orgs, --repo, or a trust: section in .github/security-actions.yml'
    ],
    [['not a login', '--orgs', 'numpy'], "sp-security trust: 'not a login' is not a GitHub login"],
    [['bob', '--repo', 'numpy'], "sp-security trust: --repo takes OWNER/NAME; got 'numpy'"],
    [['bob', '--orgs', 'numpy', '--config', 'missing.yml'], 'sp-security trust: --config missing.yml: no such file']
  ])('usage errors exit 2 with one line: %j', async (args, message) => {
    const r = await run(args);
    expect([r.code, r.err]).toEqual([2, message]);
  });

  it('a bad trust: section is an input error naming the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-cli-bad-'));
    writeFileSync(join(dir, 'c.yml'), 'trust:\n  orgs: numpy\n');
    const r = await run(['bob', '--config', 'c.yml'], dir);
    expect([r.code, r.err]).toEqual([2, 'sp-security trust: c.yml:2: trust.orgs must be array']);
  });
});
