// The PR diff reader (pr-anomaly-scan's git.ts, read only): real git on a
// temporary repository whose two commits hold generated file names and
// contents. The reader never invents or loses a changed file, gives each the
// line counts and binary flag git's `--numstat` gives, and every added line it
// reports is that line of the head file, at that line number.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { gitCheckout } from '../../../actions/pr-anomaly-scan/src/git';
import type { AddedText } from '../../../actions/pr-anomaly-scan/src/types';
import type { Property } from '../harness';

type Tree = Record<string, string>;

const nameChar = fc.constantFrom(...'abZ1 -_"\'\\\té日*?[]$#:@!=+~'.split(''), '\u202e', '\n');
const name = fc
  .string({ unit: nameChar, minLength: 1, maxLength: 10 })
  .map((s) => s.replace(/^[.\s]+/, 'x'))
  .chain((s) => fc.constantFrom(s, `d/${s}`, `${s}/f.txt`));
/** Lines a patch reader could mistake for its own syntax, among ordinary ones. */
const line = fc.oneof(
  fc.constantFrom(
    '+++ b/x',
    '++ x',
    '--- a/x',
    '@@ -1 +1 @@',
    'diff --git a/x b/x',
    '\\ No newline at end of file',
    '+',
    ''
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 })
);
const content = fc
  .record({
    lines: fc.array(line, { maxLength: 8 }),
    eol: fc.constantFrom('\n', '\r\n'),
    final: fc.boolean(),
    binary: fc.boolean()
  })
  .map(({ lines, eol, final, binary }) => (binary ? '\0' : '') + lines.join(eol) + (final && lines.length ? eol : ''));
const tree = fc.dictionary(name, content, { maxKeys: 4 });

/** Names that cannot both be files (`a` and `a/f.txt`) keep the first. */
function consistent(t: Tree): Tree {
  const out: Tree = {};
  for (const [p, c] of Object.entries(t)) {
    const clash = Object.keys(out).some((q) => q.startsWith(`${p}/`) || p.startsWith(`${q}/`));
    if (!clash) out[p] = c;
  }
  return out;
}

function commit(repo: string, files: Tree, message: string): void {
  rmSync(join(repo, 'w'), { recursive: true, force: true });
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, 'w', p)), { recursive: true });
    writeFileSync(join(repo, 'w', p), c);
  }
  execFileSync('git', ['add', '-A', '.'], { cwd: repo });
  execFileSync('git', ['-c', 'user.name=f', '-c', 'user.email=f@x', 'commit', '-qm', message, '--allow-empty'], {
    cwd: repo
  });
}

/** `git diff --numstat` by new path: what the reader's counts and binary flags must equal. */
function numstatOf(repo: string, from: string, to: string): Map<string, [string, boolean, number, number]> {
  const out = execFileSync('git', ['diff', '--numstat', '-z', '-M', from, to], { cwd: repo, encoding: 'utf8' });
  const tokens = out.split('\0');
  const byPath = new Map<string, [string, boolean, number, number]>();
  for (let i = 0; i < tokens.length - 1; i++) {
    const [, a, d, p] = /^([^\t]*)\t([^\t]*)\t([^]*)$/.exec(tokens[i])!;
    const path = p === '' ? tokens[(i += 2)] : p;
    byPath.set(path, [path, a === '-', Number(a) || 0, Number(d) || 0]);
  }
  return byPath;
}

const root = mkdtempSync(join(tmpdir(), 'fuzz-git-'));
let n = 0;

export const diffReader: Property<{ base: Tree; head: Tree }> = {
  name: 'diff-reader',
  arb: fc.record({ base: tree.map(consistent), head: tree.map(consistent) }),
  async check({ base, head }) {
    const repo = join(root, String(n++));
    mkdirSync(repo);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    commit(repo, base, 'base');
    commit(repo, head, 'head');
    const io = gitCheckout(repo);
    try {
      const from = await io.resolveCommit('HEAD~1', 'base');
      const to = await io.resolveCommit('HEAD', 'head');
      const added: AddedText[] = [];
      const changes = await io.diff(from, to, (f) => added.push(f));
      const at = (p: string) => `w/${p}`;
      const changed = new Set(
        [...new Set([...Object.keys(base), ...Object.keys(head)])].filter((p) => base[p] !== head[p]).map(at)
      );
      const reported = new Set(changes.flatMap((c) => [c.path, c.oldPath].filter((p): p is string => !!p)));
      expect([...reported].sort()).toEqual([...changed].sort());
      const numstat = numstatOf(repo, from, to);
      for (const c of changes) expect([c.path, c.binary, c.addedCount, c.deletedCount]).toEqual(numstat.get(c.path));
      for (const f of added) {
        expect(changed).toContain(f.path);
        const text = head[f.path.slice(2)];
        expect(text).toBeDefined();
        const lines = text.split('\n');
        for (const l of f.added) expect(`${l.line}: ${l.text}`).toBe(`${l.line}: ${lines[l.line - 1]}`);
      }
      // Every text file the head adds or changes has its added lines reported (a file moved whole has none),
      // or git shows it as binary (its old side, a rename's source, is) and the engine's second diff, as
      // text and limited to such files, reports them.
      const moved = new Set(Object.values(base));
      const texts = Object.keys(head).filter(
        (p) => !head[p].includes('\0') && head[p] !== base[p] && head[p].length && !moved.has(head[p])
      );
      const hidden = texts.filter((p) => !added.some((f) => f.path === at(p)));
      for (const p of hidden) expect(numstat.get(at(p))?.[1]).toBe(true);
      if (hidden.length) {
        const again: AddedText[] = [];
        await io.diff(from, to, (f) => again.push(f), hidden.map(at));
        for (const p of hidden) {
          const f = again.find((g) => g.path === at(p));
          expect(f).toBeDefined();
          const lines = head[p].split('\n');
          for (const l of f!.added) expect(`${l.line}: ${l.text}`).toBe(`${l.line}: ${lines[l.line - 1]}`);
        }
      }
    } finally {
      io.close();
      rmSync(repo, { recursive: true, force: true });
    }
  }
};
