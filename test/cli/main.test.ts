// sp-security in process: help, exit statuses, formats, progress, wording.
// The bundle as users run it (colour on a terminal, the Node version guard)
// is tested in test/e2e/cli.test.ts.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../packages/cli/src/commands/index';
import type { Io } from '../../packages/cli/src/commands/types';
import { main } from '../../packages/cli/src/main';
import { REPO_ROOT } from '../harness/run-action';
import { validateSarif } from '../helpers/sarif';

const SAMPLE = join(REPO_ROOT, 'test/fixtures/sample-project');

async function run(args: string[], over: Partial<Io> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const statuses: string[] = [];
  const io: Io = {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    cwd: REPO_ROOT,
    ...over
  };
  const code = await main(args, io);
  return { code, out: out.join(''), err: err.join('\n'), statuses };
}

/** An option line of --help: the spec, at least two spaces, the text; or a long spec alone, its text on the next line. */
const OPTION_LINE = /^ {2}(-\w, | {4})--[a-z-]+(?: [A-Z][A-Z/_.]*)?(?: {2,}\S.*)?$/;

describe('checks load lazily', () => {
  it.each(Object.entries(COMMANDS).filter(([, c]) => 'checks' in c))(
    '%s: each check loads the action it is named after',
    async (_, c) => {
      for (const check of 'checks' in c ? c.checks : []) expect((await check.load()).name).toBe(check.name);
    }
  );
});

describe('help', () => {
  it('scan --help is the help of scan, not the global help', async () => {
    const r = await run(['scan', '--help']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('Usage: sp-security scan [--repo PATH] [--no-offline] [--no-content] [options]');
    expect(r.out).not.toMatch(/^Commands:/m);
    expect(r.out).toMatch(/^Exit status: 0 /m);
  });

  it.each(Object.keys(COMMANDS))(
    '%s --help: every option in aligned columns, names apart from their text',
    async (name) => {
      const r = await run([name, '--help']);
      expect(r.code).toBe(0);
      const block = r.out.split('\nOptions:\n')[1].split('\n\n')[0].split('\n');
      const starts = new Set<number>();
      block.forEach((line, i) => {
        if (/^ {4,}\S/.test(line) && !/^ {2}(-\w, | {4})--/.test(line)) return; // the text's continuation
        expect([line, OPTION_LINE.test(line)]).toEqual([line, true]);
        const text = /^(.*?--[a-z-]+(?: [A-Z][A-Z/_.]*)? {2,})\S/.exec(line);
        starts.add(text ? text[1].length : /^ +/.exec(block[i + 1])![0].length);
      });
      expect(starts.size).toBe(1);
    }
  );

  it('--repo PATH is offered where a checkout is scanned, and nowhere else', async () => {
    const has = async (name: string) => (await run([name, '--help'])).out.includes('--repo PATH');
    for (const name of ['scan', 'verify-deps', 'pr-scan', 'init'])
      expect([name, await has(name)]).toEqual([name, true]);
    for (const name of ['audit', 'verify-bundle', 'verify']) expect([name, await has(name)]).toEqual([name, false]);
    expect((await run(['verify', '--help'])).out).toContain('--repo OWNER/REPO');
    expect((await run(['audit', '--repo', '.', '--org', 'x', '--token', 't'])).err).toBe(
      'sp-security audit: unknown option --repo'
    );
  });

  it('help lists every command; no arguments is a usage error', async () => {
    const r = await run(['--help']);
    for (const name of Object.keys(COMMANDS)) expect(r.out).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect((await run([])).code).toBe(2);
  });
});

describe('exit statuses: 0 pass, 1 findings or counted not-checked, 2 usage or input errors', () => {
  it('findings at or above --fail-on: 1, with the verdict last; --fail-on none: 0', async () => {
    const fail = await run(['scan', '--repo', SAMPLE]);
    expect(fail.code).toBe(1);
    expect(fail.out.trimEnd().split('\n').pop()).toMatch(/^FAIL: \d+ high at or above --fail-on high$/);
    const pass = await run(['scan', '--repo', SAMPLE, '--fail-on', 'none']);
    expect(pass.code).toBe(0);
    expect(pass.out.trimEnd().split('\n').pop()).toMatch(
      /^PASS: nothing at or above --fail-on none \(\d+ findings below it; 3 not checked\)$/
    );
  });

  it('a dependency file that does not parse fails the run (1) but is no usage error; --fail-on none: 0, INCOMPLETE', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'cli-broken-'));
    writeFileSync(join(repo, 'pyproject.toml'), '[project]\nname = "x"\ndependencies = ["numpy>=2"]\n');
    mkdirSync(join(repo, 'tests', 'data'), { recursive: true });
    writeFileSync(join(repo, 'tests', 'data', 'pyproject.toml'), '[project\nname = "broken"\n');
    const json = join(repo, 'out', 'report.json');
    const fail = await run(['scan', '--repo', repo, '--json', json]);
    expect(fail.code).toBe(1);
    expect(fail.out).toContain('tests/data/pyproject.toml:1: invalid TOML');
    expect(fail.out.trimEnd().split('\n').pop()).toBe('FAIL: 1 file could not be read');
    expect(JSON.parse(readFileSync(json, 'utf8')).notChecked).toHaveLength(1); // the reports are still written
    const none = await run(['scan', '--repo', repo, '--fail-on', 'none']);
    expect(none.code).toBe(0);
    expect(none.out.trimEnd().split('\n').pop()).toBe(
      'INCOMPLETE: nothing at or above --fail-on none, but 1 file could not be read (see NOT CHECKED)'
    );
  });

  it("a cookiecutter template's pyproject.toml is skipped with a note: scientific-python/cookie passes", async () => {
    const repo = mkdtempSync(join(tmpdir(), 'cli-cookie-'));
    const path = '{{cookiecutter.project_name}}/pyproject.toml';
    mkdirSync(join(repo, '{{cookiecutter.project_name}}'));
    writeFileSync(join(repo, path), readFileSync(join(REPO_ROOT, 'test/fixtures/real/cookie', path)));
    const r = await run(['scan', '--repo', repo, '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('{{cookiecutter.project_name}}/pyproject.toml (cookiecutter)');
    expect(r.out).not.toMatch(/invalid TOML|INCOMPLETE/);
  });

  it('checks that could not run fail the run where the action counts them (verify-deps online), and not otherwise', async () => {
    // Nothing listens on port 9: the OSV lookup cannot run.
    const args = ['verify-deps', '--repo', SAMPLE, '--no-offline', '--checks', 'vulnerabilities', '--fail-on', 'none'];
    const online = await run([...args, '--osv-url', 'http://127.0.0.1:9']);
    expect(online.code).toBe(1);
    expect(online.out).toMatch(/^FAIL: \d+ checks? could not run$/m);
    const listed = await run([...args, '--osv-url', 'http://127.0.0.1:9', '--no-fail-on-not-checked']);
    expect(listed.code).toBe(0);
  });

  it.each([
    [
      ['scan', '--fail-on', 'hgh'],
      "sp-security scan: --fail-on must be one of none|info|low|medium|high|critical; got 'hgh'"
    ],
    [['scan', '--format', 'xml'], "sp-security scan: --format must be one of plain|json|sarif|github; got 'xml'"],
    [['pr-scan', '--repo', SAMPLE], 'sp-security pr-scan: --base is required'],
    [['audit', '--org', 'sp'], 'sp-security audit: --token (or GITHUB_TOKEN) is required'],
    [['scan', '--repo', '/no/such/dir'], 'sp-security scan: --repo /no/such/dir: no such directory'],
    [['scan', '--repo', 'README.md'], 'sp-security scan: --repo README.md: not a directory'],
    [
      ['scan', '--repo', 'https://github.com/numpy/numpy'],
      'sp-security scan: --repo takes a local checkout, not a URL; clone it first (git clone https://github.com/numpy/numpy DIR) and give --repo DIR'
    ],
    [
      ['verify-deps', '--offline', 'perhaps'],
      "sp-security verify-deps: --offline is a switch and takes no value; got 'perhaps' (write --offline or --no-offline)"
    ],
    [['verify-deps', '--offline=perhaps'], "sp-security verify-deps: --offline takes true or false; got 'perhaps'"],
    [['scan', '--sarif'], 'sp-security scan: --sarif needs a value'],
    [['scan', '--quiet=loud'], "sp-security scan: --quiet takes true or false; got 'loud'"],
    [['scan', '--no-such-flag'], 'sp-security scan: unknown option --no-such-flag'],
    [['frobnicate'], "sp-security: unknown command 'frobnicate'. Run 'sp-security --help' for the list."]
  ])('%j: 2 and one line', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(message);
    expect(r.out).toBe('');
  });

  it('an input error inside a check names the flag, not the action input, and exits 2', async () => {
    const r = await run(['verify-deps', '--repo', SAMPLE, '--diff-base', 'no-such-ref']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^ERROR --diff-base: 'no-such-ref' is not a commit/m);
    expect(r.out).not.toMatch(/Input '/);
    expect(r.out.trimEnd().split('\n').pop()).toMatch(/^ERROR: the run is incomplete \(1 error\)/);
  });

  it('a directory with nothing to check says so; files named that match nothing are an input error', async () => {
    // The content pass reads any file; without it the templates folder holds nothing the other checks read.
    const empty = await run(['scan', '--repo', 'workflows-templates', '--no-content']);
    expect(empty.code).toBe(0);
    expect(empty.out).toMatch(/^workflow-audit: nothing to check in \S+workflows-templates: no workflow/m);
    expect(empty.out).toMatch(/^verify-deps: nothing to check in \S+workflows-templates: no workflow/m);
    expect(empty.out.trimEnd().split('\n').pop()).toMatch(/^NOTHING CHECKED/);
    const named = await run(['verify-deps', '--repo', SAMPLE, '--files', 'no/such/*.txt']);
    expect(named.code).toBe(2);
    expect(named.out).toContain("--files 'no/such/*.txt' matched no file");
  });

  it('anything unforeseen is one line and status 2, never a stack trace', async () => {
    const r = await run(['scan', '--repo', SAMPLE], {
      out: () => {
        throw new Error('EPIPE: broken pipe\n    at Socket.write (node:net:1:1)');
      }
    });
    expect(r.code).toBe(2);
    expect(r.err).toBe('sp-security scan: internal error: EPIPE: broken pipe');
  });
});

describe('--format and report files', () => {
  it('json on stdout is the report --json writes; the verdict goes to stderr', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'r.json');
    const r = await run(['scan', '--repo', SAMPLE, '--format', 'json', '--json', file, '--quiet']);
    expect(r.code).toBe(1);
    const stdout = JSON.parse(r.out);
    expect(stdout.name).toBe('scan'); // every check's report as one
    expect(stdout.findings.length).toBeGreaterThan(0);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect({ ...written, startedAt: 0, finishedAt: 0 }).toEqual({ ...stdout, startedAt: 0, finishedAt: 0 });
    expect(r.err).toMatch(/^FAIL: /m);
  });

  it('sarif on stdout is valid SARIF 2.1.0, one run per check', async () => {
    const r = await run(['scan', '--repo', SAMPLE, '--format', 'sarif']);
    const log = JSON.parse(r.out);
    expect(validateSarif(log) ? [] : validateSarif.errors).toEqual([]);
    expect(log.runs.map((x: { automationDetails: { id: string } }) => x.automationDetails.id)).toEqual([
      'workflow-audit/',
      'verify-deps/',
      'content/'
    ]);
  });

  it('the content pass reads every file of the checkout, in its own SARIF run; --no-content skips it', async () => {
    const dir = join(REPO_ROOT, 'test/fixtures/real/tj-actions-dist-shell/head');
    const r = await run(['scan', '--repo', dir, '--format', 'json', '--fail-on', 'none']);
    const findings = JSON.parse(r.out).findings.map((f: { ruleId: string; location: { file: string } }) => [
      f.ruleId,
      f.location.file
    ]);
    expect(findings).toContainEqual(['obfuscation/shell-decode-exec', 'dist/index.js']);
    const sarif = JSON.parse((await run(['scan', '--repo', dir, '--format', 'sarif', '--fail-on', 'none'])).out);
    const content = sarif.runs.find(
      (x: { automationDetails: { id: string } }) => x.automationDetails.id === 'content/'
    );
    expect(content.results.map((x: { ruleId: string }) => x.ruleId)).toContain('obfuscation/shell-decode-exec');
    const off = await run(['scan', '--repo', dir, '--format', 'sarif', '--fail-on', 'none', '--no-content']);
    expect(JSON.parse(off.out).runs.map((x: { automationDetails: { id: string } }) => x.automationDetails.id)).toEqual([
      'workflow-audit/',
      'verify-deps/'
    ]);
  });

  it('github: one workflow annotation per finding, with file and line, and the not-checked ones as warnings', async () => {
    const r = await run(['scan', '--repo', SAMPLE, '--format', 'github']);
    const json = JSON.parse((await run(['scan', '--repo', SAMPLE, '--format', 'json'])).out);
    const lines = r.out.trimEnd().split('\n');
    const active = json.findings.filter((f: { suppression?: unknown }) => !f.suppression);
    expect(lines.filter((l) => /^::(error|warning|notice) file=/.test(l))).toHaveLength(active.length);
    const unpinned = active.find((f: { ruleId: string }) => f.ruleId === 'workflow/unpinned-uses');
    const line = lines.find((l) =>
      l.startsWith(`::error file=.github/workflows/release.yml,line=${unpinned.location.line},`)
    );
    expect(line).toMatch(/,title=[^:]*\(workflow\/unpinned-uses\)::\S/);
    expect(lines.filter((l) => l.startsWith('::warning title=Not checked%3A '))).toHaveLength(json.notChecked.length);
    for (const l of lines) expect(l).not.toMatch(/\n/);
  });
});

describe('progress on stderr', () => {
  it('after the delay: one line when the check starts to take time and one when it ends (not a terminal)', async () => {
    const r = await run(['scan', '--repo', SAMPLE], { progressAfterMs: 0 });
    expect(r.err).toMatch(/^verify-deps: running…$/m);
    expect(r.err).toMatch(/^verify-deps: done in \d+\.\d s$/m);
  });

  it('--verbose says when each check starts and ends even when it is quick, and what it logs', async () => {
    const r = await run(['scan', '--repo', SAMPLE, '--fail-on', 'none', '--verbose']);
    const lines = r.err.split('\n');
    expect(lines[0]).toBe('workflow-audit: running…');
    expect(lines).toContain('verify-deps: running…');
    expect(lines).toContain('verify-deps: 5 finding(s), none fails the run');
    expect(lines).toContainEqual(expect.stringMatching(/^verify-deps: done in \d+\.\d s$/));
    expect(lines.pop()).toMatch(/^content: done in \d+\.\d s$/);
    expect((await run(['scan', '--repo', SAMPLE, '--fail-on', 'none'])).err).toBe('');
  });

  it('on a terminal a status line is redrawn and cleared; --quiet prints nothing; a quick run prints nothing', async () => {
    const statuses: string[] = [];
    const tty = await run(['scan', '--repo', SAMPLE], { progressAfterMs: 0, status: (l) => statuses.push(l) });
    expect(statuses[0]).toMatch(/^workflow-audit: running… \d+\.\d s/);
    expect(statuses).toContainEqual(expect.stringMatching(/^verify-deps: running… \d+\.\d s/));
    expect(statuses.pop()).toBe('');
    expect(tty.err).toMatch(/done in/);
    expect((await run(['scan', '--repo', SAMPLE, '--quiet'], { progressAfterMs: 0 })).err).toBe('');
    expect((await run(['scan', '--repo', SAMPLE], { progressAfterMs: 60_000 })).err).toBe('');
  });
});

describe('terminal output', () => {
  it('is painted by role when the terminal takes colour: severities, not checked, the verdict', async () => {
    const r = await run(['scan', '--repo', SAMPLE], { paint: (role, t) => `<${role}>${t}</${role}>` });
    expect(r.out).toMatch(/^<high>HIGH {4}<\/high> workflow\/unpinned-uses/m);
    expect(r.out).toMatch(/^<notChecked>NOT CHECKED<\/notChecked> /m);
    expect(r.out).toMatch(/^<fail>FAIL: .*<\/fail>$/m);
  });

  it('shows the figures of the run, the count and the verdict', async () => {
    const r = await run(['scan', '--repo', SAMPLE]);
    const tail = r.out.trimEnd().split('\n').slice(-5);
    expect(tail[0]).toMatch(/^Python files: 2 · workflow and action files: 2 · /);
    expect(tail[1]).toMatch(/^verify-deps: \d+ findings, 1 suppressed, 3 not checked$/);
    expect(tail[2]).toMatch(/^files read: \d+$/);
    expect(tail[3]).toMatch(/^content: \d+ findings$/);
    expect(tail[4]).toMatch(/^FAIL: /);
  });
});
