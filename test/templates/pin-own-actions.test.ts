// scripts/pin-own-actions.mjs, run as at release time, on a copy of the repository's templates.
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/run-action';

const SCRIPT = join(REPO_ROOT, 'scripts', 'pin-own-actions.mjs');
const NEW_SHA = 'a'.repeat(12) + '0123456789abcdef0123456789ab';

function copy(): string {
  const root = mkdtempSync(join(tmpdir(), 'pin-'));
  cpSync(join(REPO_ROOT, 'workflows-templates'), join(root, 'workflows-templates'), { recursive: true });
  cpSync(join(REPO_ROOT, 'actions'), join(root, 'actions'), {
    recursive: true,
    filter: (p) => !p.includes('/dist') && !p.includes('/src')
  });
  return root;
}
/** git in `root`, as a committer, returning the trimmed output. */
const gitIn =
  (root: string) =>
  (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=M', '-c', 'user.email=m@example.org', ...args], {
      cwd: root,
      encoding: 'utf8'
    }).trim();
const pin = (root: string, ...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, ...args, '--root', root], { encoding: 'utf8' });
const texts = (root: string) =>
  Object.fromEntries(
    readdirSync(join(root, 'workflows-templates')).map((f) => [
      f,
      readFileSync(join(root, 'workflows-templates', f), 'utf8')
    ])
  );

describe('pin-own-actions', () => {
  it('rewrites every reference to this suite’s actions and nothing else', () => {
    const root = copy();
    const before = texts(root);
    const r = pin(root, '1.4.0', NEW_SHA);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const after = texts(root);
    let rewritten = 0;
    for (const [f, text] of Object.entries(before)) {
      const a = after[f].split('\n');
      text.split('\n').forEach((line, i) => {
        if (line.includes('scientific-python/security-actions/actions/')) {
          const name = /actions\/([a-z-]+)@/.exec(line)![1];
          expect(a[i]).toBe(
            `${line.slice(0, line.indexOf('scientific-python/'))}scientific-python/security-actions/actions/${name}@${NEW_SHA} # v1.4.0`
          );
          rewritten++;
        } else {
          expect(a[i]).toBe(line); // third-party pins, comments and the rest untouched
        }
      });
    }
    expect(rewritten).toBeGreaterThanOrEqual(6);
    // Idempotent.
    expect(pin(root, 'v1.4.0', NEW_SHA).status).toBe(0);
    expect(texts(root)).toEqual(after);
  });

  it.each([
    ['a short SHA', ['1.4.0', 'abc1234'], /40-character/],
    ['an uppercase SHA', ['1.4.0', NEW_SHA.toUpperCase()], /40-character/],
    ['a version that is not X.Y.Z', ['1.4', NEW_SHA], /version must look like/],
    ['no arguments', [], /version must look like/]
  ])('refuses %s with one line and status 2, changing nothing', (_n, args, message) => {
    const root = copy();
    const before = texts(root);
    const r = pin(root, ...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
    expect(texts(root)).toEqual(before);
  });

  it('in a git checkout, pins a commit of HEAD’s history and refuses one that is not there', () => {
    const root = copy();
    const git = gitIn(root);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'suite');
    const release = git('rev-parse', 'HEAD');
    const before = texts(root);

    const unknown = pin(root, '1.4.0', NEW_SHA);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/is not in this checkout: fetch it first/);
    expect(texts(root)).toEqual(before);

    git('checkout', '-q', '--orphan', 'other');
    git('commit', '-q', '-m', 'unrelated');
    const offHistory = git('rev-parse', 'HEAD');
    git('checkout', '-q', 'main');
    expect(pin(root, '1.4.0', offHistory).stderr).toMatch(/not in the history of HEAD/);

    git('rm', '-q', '-r', 'actions/access-audit');
    git('commit', '-q', '-m', 'drop an action');
    const partial = git('rev-parse', 'HEAD');
    git('checkout', '-q', release, '--', 'actions');
    expect(pin(root, '1.4.0', partial).stderr).toMatch(/does not have actions\/access-audit\/action\.yml/);

    const ok = pin(root, '1.4.0', release);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(Object.values(texts(root)).join('\n')).toContain(`@${release} # v1.4.0`);
  });

  it('pins only a commit whose package.json declares the version its comments will name (the tag the release creates there)', () => {
    const root = copy();
    const git = gitIn(root);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'security-actions', version: '1.4.0' }));
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'release 1.4.0');
    const commit = git('rev-parse', 'HEAD');
    const before = texts(root);

    const wrong = pin(root, '1.5.0', commit);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/declares version 1\.4\.0 in package\.json, not 1\.5\.0/);
    expect(texts(root)).toEqual(before);

    expect(pin(root, '1.4.0', commit).status).toBe(0);
    // The release workflow asks which commit to tag, for the version it releases.
    const asked = pin(root, '--release-commit', '1.4.0');
    expect(asked.stderr).toBe('');
    expect(asked.stdout.trim()).toBe(commit);
    const other = pin(root, '--release-commit', '1.5.0');
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/the templates name v1\.4\.0, not v1\.5\.0/);
  });

  it('--release-commit refuses templates that pin several commits', () => {
    const root = copy();
    expect(pin(root, '1.4.0', NEW_SHA).status).toBe(0);
    const f = join(root, 'workflows-templates', 'verify-deps.yml');
    writeFileSync(f, readFileSync(f, 'utf8').replace(NEW_SHA, 'b'.repeat(40)));
    const r = pin(root, '--release-commit', '1.4.0');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/more than one commit/);
  });

  it('refuses a template that names an action the suite does not have', () => {
    const root = copy();
    const f = join(root, 'workflows-templates', 'verify-deps.yml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('actions/verify-deps@', 'actions/verify-dpes@'));
    const r = pin(root, '1.4.0', NEW_SHA);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/verify-dpes/);
  });
});
