// Which files verify-deps reads: discovered, narrowed by the `files` globs; a
// glob that selects nothing is an error naming it, never a quiet "0 findings".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFiles } from '../../actions/verify-deps/src/main';
import { verifyDeps } from '../../actions/verify-deps/src/engine';
import { EMPTY_POLICY } from '../../actions/verify-deps/src/policy';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'verify-deps-files-'));
  mkdirSync(join(root, '.github/workflows'), { recursive: true });
  writeFileSync(join(root, 'requirements.txt'), 'jinja2==3.1.2\n');
  writeFileSync(join(root, '.github/workflows/ci.yml'), 'on: push\njobs: {}\n');
  writeFileSync(join(root, 'notes.txt'), 'not a dependency file\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('verify-deps: files globs', () => {
  it('reads only what the globs select', async () => {
    const r = await collectFiles(root, ['requirements.txt']);
    expect([r.python.map((f) => f.path), r.actions.map((f) => f.path), r.errors]).toEqual([
      ['requirements.txt'],
      [],
      []
    ]);
  });

  it('names each glob that matched no file it checks, even when another glob matched', async () => {
    const r = await collectFiles(root, ['requirements.txt', 'requirement.txt', 'notes.txt']);
    expect(r.python.map((f) => f.path)).toEqual(['requirements.txt']);
    expect(r.errors).toEqual([
      "files: 'requirement.txt' matched no dependency, workflow or action file",
      "files: 'notes.txt' matched no dependency, workflow or action file"
    ]);
  });

  it('follows -r and -c inside the checkout; one out of it or a URL is not checked, with file and line', async () => {
    const dir = join(root, 'nested');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'base.txt'), 'numpy==2.0.0\n');
    writeFileSync(
      join(dir, 'requirements.txt'),
      [
        '-r base.txt',
        '-r ../../shared.txt',
        '--constraint=https://user:s3cret@example.org/c.txt',
        '-c /etc/pip/constraints.txt',
        ''
      ].join('\n')
    );
    const r = await collectFiles(root, ['nested/requirements.txt']);
    expect(r.python.map((f) => f.path)).toEqual(['nested/requirements.txt', 'nested/base.txt']);
    // The engine names what could not be followed; credentials in a URL never reach the reason.
    const { notChecked } = await verifyDeps(
      { python: r.python, actions: [] },
      { checks: new Set(['pinning']), offline: true, provenance: 'off', policy: EMPTY_POLICY, now: new Date() }
    );
    const unfollowed = notChecked.filter((n) => n.target?.startsWith('nested/requirements.txt:'));
    expect(unfollowed.map((n) => [n.target, n.reason])).toEqual([
      [
        'nested/requirements.txt:2',
        '`-r ../../shared.txt` is a path outside the checkout; the requirements it holds are not checked.'
      ],
      [
        'nested/requirements.txt:3',
        '`-c https://***@example.org/c.txt` is a URL, read at install time; the requirements it holds are not checked.'
      ],
      [
        'nested/requirements.txt:4',
        '`-c /etc/pip/constraints.txt` is an absolute path, outside the checkout; the requirements it holds are not checked.'
      ]
    ]);
    expect(JSON.stringify(notChecked)).not.toContain('s3cret');
    rmSync(dir, { recursive: true });
  });

  it('discovers everything without globs', async () => {
    const r = await collectFiles(root, []);
    expect([r.python.length, r.actions.length, r.errors]).toEqual([1, 1, []]);
  });
});
