// The CLI's arguments: `main()` with generated argv, offline, in a small
// checkout that is a git repository. Whatever the arguments, it answers with
// an exit status (0, 1 or 2), never an uncaught error, a stack trace or a
// library's own words, and a usage error is one line naming the command.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { main } from '../../../packages/cli/src/main';
import { type Property, RAW } from '../harness';

const COMMANDS = ['scan', 'init', 'verify-deps', 'pr-scan', 'audit', 'verify', 'verify-bundle', 'help', 'version'];
const FLAGS = [
  '--offline',
  '--base',
  '--bundle',
  '--bundle-dir',
  '--certificate-identity',
  '--certificate-oidc-issuer',
  '--checks',
  '--config',
  '--diff-base',
  '--fail-on',
  '--fail-on-not-checked',
  '--files',
  '--force',
  '--format',
  '--head',
  '--inactive-days',
  '--include-archived',
  '--include-forks',
  '--json',
  '--key',
  '--org',
  '--osv-url',
  '--policy',
  '--previous-report',
  '--provenance',
  '--pypi-url',
  '--quiet',
  '--ref',
  '--repo',
  '--repositories',
  '--sarif',
  '--shard',
  '--staging',
  '--token',
  '--trusted-root',
  '--verbose',
  '--workflow',
  '--workflows',
  '--help',
  '-h',
  '-q',
  '-v',
  '-V',
  '--bogus'
];
const VALUES = [
  'perhaps',
  'true',
  'false',
  '',
  '-',
  '--',
  '=',
  'high',
  'none',
  'CRITICAL',
  'json',
  'sarif',
  'github',
  '1/0',
  '0/4',
  '3/2',
  '-1',
  '99999999999999999999',
  '.',
  'nope',
  '/dev/null',
  'requirements.txt',
  '.github/workflows/ci.yml',
  'out/report.json',
  'https://u:p@example.com/x',
  'file:///etc/passwd',
  'http://127.0.0.1:9',
  '**',
  '[',
  '*.txt',
  'HEAD',
  'HEAD~1',
  'main',
  'v1.0.0',
  'org/repo',
  'sha256:' + '0'.repeat(64),
  'pinning,bogus'
];

const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FLAGS) },
  { weight: 4, arbitrary: fc.constantFrom(...VALUES) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES)).map(([f, v]) => `${f}=${v}`)
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }
);

const checkout = mkdtempSync(join(tmpdir(), 'fuzz-cli-'));
mkdirSync(join(checkout, '.github', 'workflows'), { recursive: true });
writeFileSync(join(checkout, 'requirements.txt'), 'numpy==2.0.0\nrequests>=2\n');
writeFileSync(
  join(checkout, '.github', 'workflows', 'ci.yml'),
  'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n'
);
const git = (...args: string[]) => execFileSync('git', args, { cwd: checkout, stdio: 'ignore' });
git('init', '-q', '-b', 'main');
git('add', '-A');
git('-c', 'user.name=f', '-c', 'user.email=f@x', 'commit', '-qm', 'one');
writeFileSync(join(checkout, 'requirements.txt'), 'numpy==2.0.0\nrequests>=2\nreqeusts==1.0\n');
git('-c', 'user.name=f', '-c', 'user.email=f@x', 'commit', '-qam', 'two');

/** Never the network: the flags that would turn it on are dropped, and every command that could is told --offline. */
function offline(argv: string[]): string[] {
  const kept = argv.filter((a) => !/^--(no-offline|offline=)/.test(a));
  return ['verify-deps', 'scan', 'verify', 'verify-bundle'].includes(kept[0]) ? [...kept, '--offline'] : kept;
}

export const cliArguments: Property<string[]> = {
  name: 'cli-arguments',
  arb: fc.tuple(fc.constantFrom(...COMMANDS), fc.array(token, { maxLength: 6 })).map(([c, rest]) => [c, ...rest]),
  async check(generated) {
    const argv = offline(generated);
    let out = '';
    let err = '';
    const code = await main(argv, {
      out: (s) => (out += s),
      err: (s) => (err += `${s}\n`),
      env: { GITHUB_API_URL: 'http://127.0.0.1:9', PATH: process.env.PATH },
      cwd: checkout
    });
    expect([0, 1, 2]).toContain(code);
    expect(err).not.toMatch(/internal error/);
    expect(err + out).not.toMatch(/\n\s+at \S.*:\d+:\d+\)?\n/); // a stack trace
    expect(err).not.toMatch(RAW);
    if (code === 2 && !out)
      expect(err.trim().split('\n').pop()).toMatch(/^(sp-security|verify|verify-bundle|ERROR|\S+: )/);
  }
};
