// The sp-security CLI through its committed bundle, as `npx sp-security` runs it.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/run-action';

const BIN = join(REPO_ROOT, 'packages/cli/bin/sp-security.js');
const SAMPLE = join(REPO_ROOT, 'test/fixtures/sample-project');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME }
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('sp-security', () => {
  it('prints help listing the commands', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: sp-security <command>/);
    expect(r.out).toMatch(/^\s+verify-deps\s/m);
  });

  it('rejects an unknown command and an unknown flag with one line and status 2', () => {
    const a = cli('frobnicate');
    expect(a.code).toBe(2);
    expect(a.err.trim().split('\n')).toHaveLength(1);
    const b = cli('verify-deps', '--no-such-flag');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/no-such-flag/);
  });

  it('scans the sample project: findings with file:line, the config ignore applied, SARIF written', () => {
    const sarif = join(mkdtempSync(join(tmpdir(), 'cli-')), 'out.sarif');
    const r = cli('scan', '--repo', SAMPLE, '--sarif', sarif);
    const release = readFileSync(join(SAMPLE, '.github/workflows/release.yml'), 'utf8').split('\n');
    const unpinned = release
      .map((l, i) => (/uses: [^.][^@]*@(?![0-9a-f]{40})/.test(l) && !l.includes('docker://') ? i + 1 : 0))
      .filter(Boolean);
    expect(unpinned.length).toBeGreaterThan(0);
    for (const line of unpinned) expect(r.out).toContain(`actions/unpinned  .github/workflows/release.yml:${line}`);
    expect(r.out).toContain('1 suppressed'); // the docker ignore in .github/security-actions.yml
    expect(r.code).toBe(1); // high findings at the default fail-on
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(log.runs[0].results.filter((x: any) => !x.suppressions && x.ruleId === 'actions/unpinned').length).toBe(
      unpinned.length
    );
    expect(r.out).toMatch(/python\/unpinned\s+requirements\.txt:3/); // astropy>=6.0 on line 3
  });

  it('exits 0 with --fail-on none', () => {
    expect(cli('scan', '--repo', SAMPLE, '--fail-on', 'none').code).toBe(0);
  });

  describe('verify-bundle (sigstore-conformance protocol) through the bundle', () => {
    const cases = join(REPO_ROOT, '..', 'shared', 'corpora', 'sigstore-conformance', 'bundle-verify');
    const identity =
      'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
    const run = (name: string) =>
      cli(
        'verify-bundle',
        '--offline',
        '--bundle',
        join(cases, name, 'bundle.sigstore.json'),
        '--certificate-identity',
        identity,
        '--certificate-oidc-issuer',
        'https://token.actions.githubusercontent.com',
        join(cases, 'a.txt')
      );
    it('exits 0 for a must-pass case and 1 for a must-fail case', () => {
      expect(run('happy-path-v0.3').code).toBe(0);
      const bad = run('message-digest-mismatch_fail');
      expect(bad.code).toBe(1);
      expect(bad.err.trim().split('\n')).toHaveLength(1);
    });
  });

  it('audit without a token fails with one line naming the input', () => {
    const r = cli('audit', '--org', 'scientific-python');
    expect(r.code).toBe(1);
    expect(r.err).toContain("Input 'token' is required.");
  });
});
