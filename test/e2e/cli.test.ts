// The sp-security CLI through its committed bundle, as `npx sp-security` runs it.
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/run-action';

const BIN = join(REPO_ROOT, 'packages/cli/bin/sp-security.js');
const SAMPLE = join(REPO_ROOT, 'test/fixtures/sample-project');
const ANSI = /\x1b\[[0-9;]*m/;
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

function cli(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs the CLI with stdout and stderr on a terminal (util-linux `script` gives it one). */
function onTerminal(args: string[], env: Record<string, string>) {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', ...env }
  });
  return { code: r.status, out: r.stdout };
}
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('sp-security', () => {
  it('prints help listing the commands', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: sp-security COMMAND/);
    expect(r.out).toMatch(/^\s+verify-deps\s/m);
  });

  it('scan --help prints the options of scan, each apart from its text', () => {
    const r = cli(['scan', '--help']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('Usage: sp-security scan [--repo PATH] [--no-offline] [--no-content] [options]');
    expect(r.out).not.toMatch(/^Commands:/m);
    const bundle = cli(['verify-bundle', '--help']).out;
    expect(bundle).not.toMatch(/--[a-z-]+ [A-Z]+[a-z]/); // no `--trusted-root VALUESigstore`
    expect(bundle).not.toContain('--repo PATH');
  });

  it('rejects an unknown command and an unknown flag with one line and status 2', () => {
    const a = cli(['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.err.trim().split('\n')).toHaveLength(1);
    const b = cli(['verify-deps', '--no-such-flag']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/no-such-flag/);
  });

  it('scans the sample project: findings with file:line, the config ignore applied, SARIF written, the verdict', () => {
    const sarif = join(mkdtempSync(join(tmpdir(), 'cli-')), 'out.sarif');
    const r = cli(['scan', '--repo', SAMPLE, '--sarif', sarif]);
    const release = readFileSync(join(SAMPLE, '.github/workflows/release.yml'), 'utf8').split('\n');
    const unpinned = release
      .map((l, i) => (/uses: [^.][^@]*@(?![0-9a-f]{40})/.test(l) && !l.includes('docker://') ? i + 1 : 0))
      .filter(Boolean);
    expect(unpinned.length).toBeGreaterThan(0);
    for (const line of unpinned)
      expect(r.out).toContain(`workflow/unpinned-uses  .github/workflows/release.yml:${line}`);
    // The sample config still names the retired ids: its ignore applies to the docker image, each with a note.
    expect(r.out).toContain('1 suppressed');
    expect(r.out).toContain('the rule actions/docker-unpinned is now workflow/unpinned-images');
    expect(r.out.split('\n').filter((l) => l.includes('actions/no-version-comment is now'))).toHaveLength(1);
    // The workflow audit's own findings (the publishing workflow has no environment) beside verify-deps'.
    expect(r.out).toMatch(/^HIGH +publish\/no-environment +\.github\/workflows\/release\.yml:\d+$/m);
    expect(r.code).toBe(1); // high findings at the default fail-on
    expect(r.out.trimEnd().split('\n').pop()).toMatch(/^FAIL: (\d+ critical, )?\d+ high at or above --fail-on high$/);
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(log.runs.map((run: any) => run.automationDetails.id)).toEqual([
      'workflow-audit/',
      'verify-deps/',
      'content/'
    ]);
    const verifyRun = log.runs[1];
    expect(verifyRun.results.filter((x: any) => !x.suppressions && x.ruleId === 'workflow/unpinned-uses').length).toBe(
      unpinned.length
    );
    // Each finding is made once: the pin rules are verify-deps', the others the workflow audit's.
    expect(log.runs[0].results.filter((x: any) => x.ruleId === 'workflow/unpinned-uses')).toEqual([]);
    expect(r.out).toMatch(/python\/unpinned\s+requirements\.txt:3/); // astropy>=6.0 on line 3
    expect(r.err).toBe(`SARIF written to ${sarif}\n`);
  });

  it('scan of the Ultralytics checkout before its fix reports the branch name expanded into the composite action, high, at its file and line (issue 12)', () => {
    const dir = join(REPO_ROOT, 'test/fixtures/ultralytics-actions');
    const action = readFileSync(join(dir, 'action.yml'), 'utf8').split('\n');
    const line = action.findIndex((l) => l.includes('git pull origin ${{ github.head_ref')) + 1;
    expect(line).toBeGreaterThan(0);
    const sarif = join(mkdtempSync(join(tmpdir(), 'cli-')), 'out.sarif');
    const r = cli(['scan', '--repo', dir, '--sarif', sarif]);
    expect(r.code).toBe(1);
    const hit = new RegExp(`^(HIGH|CRITICAL) +workflow/template-injection +action\\.yml:${line}$`, 'm');
    expect(r.out).toMatch(hit);
    expect(r.out).toContain('`github.head_ref` is expanded into a shell script');
    const results = JSON.parse(readFileSync(sarif, 'utf8'))
      .runs.flatMap((run: any) => run.results)
      .filter((x: any) => x.ruleId === 'workflow/template-injection' && /head_ref/.test(x.message.text));
    expect(results).toHaveLength(1);
    expect(results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('action.yml');
    expect(results[0].locations[0].physicalLocation.region.startLine).toBe(line);
    expect(results[0].level).toBe('error');
  });

  it('exits 0 with --fail-on none', () => {
    expect(cli(['scan', '--repo', SAMPLE, '--fail-on', 'none']).code).toBe(0);
  });

  describe('what used to look like a clean project', () => {
    it.each([
      ['/no/such/dir', '--repo /no/such/dir: no such directory'],
      ['https://github.com/numpy/numpy', '--repo takes a local checkout, not a URL']
    ])('scan --repo %s is a usage error (2), not "0 findings"', (repo, message) => {
      const r = cli(['scan', '--repo', repo]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(message);
    });

    it('scan --repo workflows-templates --no-content says there was nothing to check there', () => {
      // The content pass reads any file; the other checks find nothing of theirs in the templates folder.
      const r = cli(['scan', '--repo', 'workflows-templates', '--no-content']);
      expect(r.code).toBe(0);
      for (const check of ['workflow-audit', 'verify-deps'])
        expect(r.out).toContain(`${check}: nothing to check in ${join(REPO_ROOT, 'workflows-templates')}: no workflow`);
      expect(r.out.trimEnd().split('\n').pop()).toMatch(/^NOTHING CHECKED: /);
    });
  });

  it('a bad switch value is one line and status 2, never a stack trace', () => {
    for (const args of [
      ['verify-deps', '--offline', 'perhaps'],
      ['verify-deps', '--offline=perhaps']
    ]) {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^sp-security verify-deps: --offline /);
      expect(r.err).not.toMatch(STACK);
    }
  });

  it('--format json and sarif print to stdout; the verdict goes to stderr', () => {
    const json = cli(['scan', '--repo', SAMPLE, '--format', 'json']);
    expect(JSON.parse(json.out).name).toBe('scan');
    expect(json.err).toMatch(/^FAIL: /m);
    const sarif = cli(['scan', '--repo', SAMPLE, '--format', 'sarif', '--fail-on', 'none']);
    expect(sarif.code).toBe(0);
    expect(JSON.parse(sarif.out).version).toBe('2.1.0');
  });

  describe('colour', () => {
    it('none on a pipe; FORCE_COLOR forces it', () => {
      expect(cli(['scan', '--repo', SAMPLE]).out).not.toMatch(ANSI);
      const forced = cli(['scan', '--repo', SAMPLE], { FORCE_COLOR: '1' }).out;
      expect(forced).toMatch(/\x1b\[[0-9;]*mHIGH/);
    });

    (hasScript ? it : it.skip)('on a terminal, unless NO_COLOR is set', () => {
      const tty = onTerminal(['scan', '--repo', SAMPLE], {});
      expect(tty.code).toBe(1);
      expect(tty.out).toMatch(ANSI);
      const plain = onTerminal(['scan', '--repo', SAMPLE], { NO_COLOR: '1' });
      expect(plain.out).toContain('workflow/unpinned-uses');
      expect(plain.out).not.toMatch(ANSI);
    });
  });

  it('pr-scan prints the risk score and the verdict', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-pr-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=M', '-c', 'user.email=m@example.org', ...args], {
        cwd: dir,
        encoding: 'utf8'
      });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'README.md'), 'hello\n');
    git('add', '.');
    git('commit', '-qm', 'base');
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.github/workflows/x.yml'),
      'on: pull_request_target\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.head_ref }}"\n'
    );
    git('add', '.');
    git('commit', '-qm', 'head');
    const json = JSON.parse(cli(['pr-scan', '--repo', dir, '--base', 'HEAD~1', '--format', 'json']).out);
    const score = json.stats['risk score'];
    expect(score).toMatch(/^\d+(\.\d+)?\/10$/);
    const r = cli(['pr-scan', '--repo', dir, '--base', 'HEAD~1']);
    expect(r.out).toMatch(new RegExp(`(^| · )risk score: ${score.replace('.', '\\.')}( · |$)`, 'm'));
    expect(r.out.trimEnd().split('\n').pop()).toMatch(/^FAIL: /);
    expect(r.code).toBe(1);
  });

  describe('verify-bundle (sigstore-conformance protocol) through the bundle', () => {
    const cases = join(REPO_ROOT, '..', 'shared', 'corpora', 'sigstore-conformance', 'bundle-verify');
    const identity =
      'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
    const run = (name: string) =>
      cli([
        'verify-bundle',
        '--offline',
        '--bundle',
        join(cases, name, 'bundle.sigstore.json'),
        '--certificate-identity',
        identity,
        '--certificate-oidc-issuer',
        'https://token.actions.githubusercontent.com',
        join(cases, 'a.txt')
      ]);
    it('exits 0 for a must-pass case and 1 for a must-fail case', () => {
      expect(run('happy-path-v0.3').code).toBe(0);
      const bad = run('message-digest-mismatch_fail');
      expect(bad.code).toBe(1);
      expect(bad.err.trim().split('\n')).toHaveLength(1);
    });
  });

  it('audit without a token is a usage error naming the flag and its variable', () => {
    const r = cli(['audit', '--org', 'scientific-python']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('sp-security audit: --token (or GITHUB_TOKEN) is required\n');
  });

  it('on a Node.js older than package.json allows, says which it needs instead of failing inside', () => {
    const old = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.17.0"})';
    const r = cli(['--version'], {}, ['--import', old]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^sp-security needs Node\.js 24 or later; this is Node\.js 20\.17\.0\./);
    const engines = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).engines.node;
    expect(engines).toBe('>=24');
    expect(cli(['--version']).code).toBe(0);
  });
});
