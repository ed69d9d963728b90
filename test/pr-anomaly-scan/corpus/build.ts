// Builds a throw-away git repository for one corpus case: a base commit, then
// the PR's changes as head commit(s) on a branch.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type Files = Record<string, string | Buffer | null>;

export interface Identity {
  name: string;
  email: string;
}

export interface BuiltRepo {
  dir: string;
  base: string;
  head: string;
  cleanup(): void;
}

const git = (dir: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync('git', ['-C', dir, '-c', 'core.hooksPath=/dev/null', ...args], {
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z', ...env },
    maxBuffer: 1024 * 1024 * 1024
  })
    .toString()
    .trim();

function write(dir: string, files: Files): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (content === null) {
      rmSync(full, { force: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

function commit(dir: string, message: string, who: Identity): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '--no-verify', '-m', message], {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email
  });
  return git(dir, ['rev-parse', 'HEAD']);
}

const MAINTAINER = { name: 'Maintainer', email: 'maintainer@example.org' };

export function buildRepo(base: Files, head: Files, opts: { author?: Identity; dir?: string } = {}): BuiltRepo {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'pr-corpus-'));
  git(dir, ['init', '-q', '-b', 'main']);
  write(dir, { 'README.md': '# project\n', ...base });
  const b = commit(dir, 'base', MAINTAINER);
  git(dir, ['checkout', '-q', '-b', 'pr']);
  write(dir, head);
  const h = commit(dir, 'PR change', opts.author ?? { name: 'Contributor', email: 'contributor@example.org' });
  return { dir, base: b, head: h, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
