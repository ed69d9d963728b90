// The file list, line counts and binary flags come from one `git diff --raw -z -p` stream: each patch
// section is matched by its names to its entry of the list. They must equal what git's `--numstat`
// gives, on the cases where a patch says little or says it twice.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UserError } from '@security-actions/core';
import { DiffReader, headerNames } from '../../actions/pr-anomaly-scan/src/diff';
import { gitCheckout } from '../../actions/pr-anomaly-scan/src/git';
import type { AddedText, ChangedFile } from '../../actions/pr-anomaly-scan/src/types';

const BIN = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0xff]);
const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}\n`).join('');

let dir = '';
const git = (...args: string[]) =>
  execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@x', ...args], { encoding: 'utf8' }).trim();
const put = (path: string, content: string | Buffer) => writeFileSync(join(dir, path), content);

/** The files of the base commit, then what the head does to them. */
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pr-diff-'));
  git('init', '-q', '-b', 'main');
  put('to-link.txt', lines(3, 'file'));
  symlinkSync('to-link.txt', join(dir, 'link-to-file'));
  put('renamed.py', lines(20, 'code'));
  put('moved.bin', BIN);
  put('edited.bin', BIN);
  put('exec.sh', lines(2, 'sh'));
  put('exec.bin', BIN);
  put('gone.txt', lines(4, 'gone'));
  put('no-eol.txt', 'a\nb');
  put('with space.txt', lines(2, 'sp'));
  put('café "q".py', lines(2, 'u'));
  put('tab\there.txt', lines(1, 't'));
  git('add', '-A');
  git('commit', '-qm', 'base');
  unlinkSync(join(dir, 'to-link.txt'));
  symlinkSync('exec.sh', join(dir, 'to-link.txt')); // file -> symlink
  unlinkSync(join(dir, 'link-to-file'));
  put('link-to-file', lines(5, 'now a file')); // symlink -> file
  renameSync(join(dir, 'renamed.py'), join(dir, 'new name.py'));
  put('new name.py', lines(20, 'code') + 'print(1)\n'); // renamed and edited
  renameSync(join(dir, 'moved.bin'), join(dir, 'moved é.bin')); // binary renamed whole
  put('edited.bin', Buffer.concat([BIN, BIN]));
  chmodSync(join(dir, 'exec.sh'), 0o755); // mode only
  chmodSync(join(dir, 'exec.bin'), 0o755); // a binary's mode only
  unlinkSync(join(dir, 'gone.txt'));
  put('no-eol.txt', 'a\nb\nc'); // `\ No newline at end of file` on both sides
  put('with space.txt', lines(3, 'sp'));
  put('café "q".py', lines(2, 'u') + 'x = "é"\n');
  put('tab\there.txt', lines(2, 't'));
  put('empty.txt', '');
  git('add', '-A');
  git('commit', '-qm', 'head');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `git diff --numstat` by new path: `[binary, added, deleted]`. */
function numstat(): Map<string, [boolean, number, number]> {
  const tokens = git('diff', '--numstat', '-z', '-M', 'HEAD~', 'HEAD').split('\0');
  const out = new Map<string, [boolean, number, number]>();
  for (let i = 0; i < tokens.length; i++) {
    const m = /^([^\t]*)\t([^\t]*)\t([^]*)$/.exec(tokens[i]);
    if (!m) continue;
    const path = m[3] === '' ? tokens[(i += 2)] : m[3];
    out.set(path, [m[1] === '-', Number(m[1]) || 0, Number(m[2]) || 0]);
  }
  return out;
}

describe('the file list from the patch stream', () => {
  let files: ChangedFile[] = [];
  const added: AddedText[] = [];
  beforeAll(async () => {
    const io = gitCheckout(dir);
    files = await io.diff(await io.resolveCommit('HEAD~', 'base'), await io.resolveCommit('HEAD', 'head'), (f) =>
      added.push(f)
    );
    io.close();
  });
  const file = (path: string) => files.find((f) => f.path === path)!;

  it('lists every change with its status, names and modes', () => {
    const status = Object.fromEntries(files.map((f) => [f.path, f.status]));
    expect(status).toEqual({
      'café "q".py': 'modified',
      'edited.bin': 'modified',
      'empty.txt': 'added',
      'exec.bin': 'modified',
      'exec.sh': 'modified',
      'gone.txt': 'deleted',
      'link-to-file': 'typechange',
      'moved é.bin': 'renamed',
      'new name.py': 'renamed',
      'no-eol.txt': 'modified',
      'tab\there.txt': 'modified',
      'to-link.txt': 'typechange',
      'with space.txt': 'modified'
    });
    expect(file('new name.py').oldPath).toBe('renamed.py');
    expect([file('exec.sh').oldMode, file('exec.sh').newMode]).toEqual(['100644', '100755']);
    expect([file('to-link.txt').oldMode, file('to-link.txt').newMode]).toEqual(['100644', '120000']);
  });

  it("gives each file git's numstat counts and binary flag (a type change: the old side deleted, the new added)", () => {
    const expected = numstat();
    expect(expected.get('moved é.bin')).toEqual([true, 0, 0]); // what the patch alone cannot tell
    expect(expected.get('exec.bin')).toEqual([true, 0, 0]);
    for (const f of files.filter((f) => f.status !== 'typechange'))
      expect([f.path, f.binary, f.addedCount, f.deletedCount]).toEqual([f.path, ...expected.get(f.path)!]);
    // Two sections each: numstat diffs the old text against the new one as if their type were the same.
    expect([file('to-link.txt').addedCount, file('to-link.txt').deletedCount]).toEqual([1, 3]);
    expect([file('link-to-file').addedCount, file('link-to-file').deletedCount]).toEqual([5, 1]);
    expect(files.filter((f) => f.binary).map((f) => f.path)).toEqual(['edited.bin', 'exec.bin', 'moved é.bin']);
  });

  it('streams the added lines of text files, at their line numbers', () => {
    const text = Object.fromEntries(added.map((f) => [f.path, f.added.map((l) => `${l.line}:${l.text}`)]));
    expect(text['no-eol.txt']).toEqual(['2:b', '3:c']);
    expect(text['link-to-file']).toEqual(
      lines(5, 'now a file')
        .trimEnd()
        .split('\n')
        .map((l, i) => `${i + 1}:${l}`)
    );
    expect(text['to-link.txt']).toEqual(['1:exec.sh']);
    expect(text['new name.py']).toEqual(['21:print(1)']);
    expect(text['café "q".py']).toEqual(['3:x = "é"']);
    expect(text['tab\there.txt']).toEqual(['2:t 1']);
    expect(text['with space.txt']).toEqual(['3:sp 2']);
    expect(Object.keys(text)).not.toContain('edited.bin');
  });
});

describe('files renamed whole by the thousand', () => {
  it('still get their binary flags when their names would not fit on a command line', async () => {
    const big = mkdtempSync(join(tmpdir(), 'pr-diff-many-'));
    const run = (...args: string[]) =>
      execFileSync('git', ['-C', big, '-c', 'user.name=t', '-c', 'user.email=t@x', ...args], { encoding: 'utf8' });
    try {
      run('init', '-q', '-b', 'main');
      // 2 × 9,000 names of 130 bytes: more than Linux takes as the arguments of one process (2 MiB).
      const [N, long] = [9000, 'x'.repeat(120)];
      mkdirSync(join(big, 'old'));
      for (let i = 0; i < N; i++)
        writeFileSync(join(big, 'old', `${long}${i}.${i % 2 ? 'bin' : 'txt'}`), i % 2 ? BIN : `${i}\n`);
      run('add', '-A');
      run('commit', '-qm', 'base');
      renameSync(join(big, 'old'), join(big, 'new'));
      run('add', '-A');
      run('commit', '-qm', 'head');
      const io = gitCheckout(big);
      const files = await io.diff(
        await io.resolveCommit('HEAD~', 'base'),
        await io.resolveCommit('HEAD', 'head'),
        () => undefined
      );
      io.close();
      expect(files).toHaveLength(N);
      expect(files.every((f) => f.status === 'renamed' && f.binary === f.path.endsWith('.bin'))).toBe(true);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the patch read from the file git writes it to', () => {
  // Distinct lines, 2.5 MiB in all, so that the reader's 1 MiB reads cut lines in the middle.
  const big = Array.from({ length: 60_000 }, (_, i) => `value_${i} = ${i * 7} + ${'é'.repeat(i % 9)}\n`).join('');
  let repo = '';
  let temp = '';
  const saved = { path: process.env.PATH, temp: process.env.RUNNER_TEMP };
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'pr-diff-follow-'));
    temp = mkdtempSync(join(tmpdir(), 'pr-diff-temp-'));
    const run = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@x', ...args], { encoding: 'utf8' });
    run('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'README'), 'base\n');
    run('add', '-A');
    run('commit', '-qm', 'base');
    writeFileSync(join(repo, 'big.py'), big);
    writeFileSync(join(repo, 'small.py'), 'x = 1\n');
    run('add', '-A');
    run('commit', '-qm', 'head');
  });
  afterAll(() => {
    Object.assign(process.env, { PATH: saved.path, RUNNER_TEMP: saved.temp });
    if (saved.temp === undefined) delete process.env.RUNNER_TEMP;
    rmSync(repo, { recursive: true, force: true });
    rmSync(temp, { recursive: true, force: true });
  });

  /** Added text by path, from a diff of head~..head. */
  async function added(during?: () => void): Promise<Map<string, AddedText>> {
    const out = new Map<string, AddedText>();
    const io = gitCheckout(repo);
    try {
      await io.diff(await io.resolveCommit('HEAD~', 'base'), await io.resolveCommit('HEAD', 'head'), (f) => {
        during?.();
        out.set(f.path, f);
      });
    } finally {
      io.close();
    }
    return out;
  }

  const expectWhole = (files: Map<string, AddedText>) => {
    const text = files.get('big.py')!;
    expect(text.text).toBe(big.slice(0, -1));
    expect(text.numbers.length).toBe(60_000);
    expect(text.numbers[59_999]).toBe(60_000);
    expect(files.get('small.py')?.text).toBe('x = 1');
  };

  it('hands over every line, across reads, and leaves nothing in the runner temp directory', async () => {
    process.env.RUNNER_TEMP = temp;
    expectWhole(await added());
    expect(readdirSync(temp)).toEqual([]);
  });

  it('waits for a git that writes slower than the reader reads', async () => {
    process.env.RUNNER_TEMP = temp;
    const bin = mkdtempSync(join(tmpdir(), 'git-slow-'));
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    // The diff's output in three parts with pauses between them; every other command as it is.
    const shim = `case " $* " in *" diff "*) out=$(mktemp); '${real}' "$@" > "$out"; s=$?
head -c 1000 "$out"; sleep 0.3; head -c 1500000 "$out" | tail -c +1001; sleep 0.3; tail -c +1500001 "$out"
rm -f "$out"; exit $s;; esac; exec '${real}' "$@"`;
    writeFileSync(join(bin, 'git'), `#!/bin/sh\n${shim}\n`);
    chmodSync(join(bin, 'git'), 0o755);
    process.env.PATH = `${bin}:${saved.path}`;
    const seen: string[][] = [];
    try {
      expectWhole(await added(() => seen.push(readdirSync(temp))));
      expect(seen).toEqual([[], []]); // the file has no name while git writes it
    } finally {
      process.env.PATH = saved.path;
      rmSync(bin, { recursive: true, force: true });
    }
    expect(readdirSync(temp)).toEqual([]);
  });

  it("ends with the reader's error when the reader throws, and leaves nothing behind", async () => {
    process.env.RUNNER_TEMP = temp;
    const io = gitCheckout(repo);
    try {
      const diff = io.diff(await io.resolveCommit('HEAD~', 'base'), await io.resolveCommit('HEAD', 'head'), () => {
        throw new UserError('cannot read this patch');
      });
      await expect(diff).rejects.toThrow('cannot read this patch');
    } finally {
      io.close();
    }
    expect(readdirSync(temp)).toEqual([]);
  });

  it('reads from a pipe when no temporary file can be made', async () => {
    process.env.RUNNER_TEMP = join(repo, 'README'); // a file: no directory can be made in it
    expectWhole(await added());
  });

  it('removes the file when git fails, and says why', async () => {
    process.env.RUNNER_TEMP = temp;
    const io = gitCheckout(repo);
    const tree = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD^{tree}'], { encoding: 'utf8' }).trim();
    try {
      // A tree is not a commit: git diff base...tree fails after the file is made.
      await expect(io.diff(await io.resolveCommit('HEAD~', 'base'), tree, () => undefined)).rejects.toThrow(UserError);
    } finally {
      io.close();
    }
    expect(readdirSync(temp)).toEqual([]);
  });
});

describe('DiffReader', () => {
  const entry = (path: string, extra: Partial<ChangedFile> = {}): ChangedFile => ({
    status: 'modified',
    path,
    oldMode: '100644',
    newMode: '100644',
    oldSha: '1'.repeat(40),
    newSha: '2'.repeat(40),
    binary: false,
    addedCount: 0,
    deletedCount: 0,
    ...extra
  });

  it('matches header names quoted or not, with spaces, and for renames', () => {
    expect(headerNames('diff --git a/x y b/x y', entry('x y'))).toBe(true);
    expect(headerNames('diff --git a/x y b/x y', entry('x'))).toBe(false);
    expect(headerNames('diff --git "a/caf\\303\\251" "b/caf\\303\\251"', entry('café'))).toBe(true);
    expect(headerNames('diff --git "a/caf\\303\\251" b/new b', entry('new b', { oldPath: 'café' }))).toBe(true);
    expect(headerNames('diff --git a/old b/"q', entry('"q', { oldPath: 'old' }))).toBe(true);
    expect(headerNames('diff --git a/old b/new', entry('new'))).toBe(false);
  });

  const stream = Buffer.from(
    ':100644 100644 aaa bbb M\0a b.txt\0:000000 100644 000 ccc A\0bin\0\0' +
      'diff --git a/a b.txt b/a b.txt\nindex aaa..bbb 100644\n--- a/a b.txt\t\n+++ b/a b.txt\t\n' +
      '@@ -1,2 +1 @@\n--- not a header\n-x\n++++ y\n' +
      'diff --git a/bin b/bin\nnew file mode 100644\nindex 000..ccc\nBinary files /dev/null and b/bin differ\n'
  );

  it('reads the list and the patch however the stream is cut', () => {
    for (const size of [1, 2, 3, 7, stream.length]) {
      const files: AddedText[] = [];
      const reader = new DiffReader((f) => files.push(f));
      for (let at = 0; at < stream.length; at += size) reader.push(stream.subarray(at, at + size));
      const list = reader.end();
      expect(list.map((f) => [f.path, f.status, f.binary, f.addedCount, f.deletedCount])).toEqual([
        ['a b.txt', 'modified', false, 1, 2],
        ['bin', 'added', true, 0, 0]
      ]);
      expect(files.map((f) => [f.path, f.text])).toEqual([['a b.txt', '+++ y']]);
    }
  });

  it('fails closed when a section does not belong to the list', () => {
    const bad = Buffer.from(
      stream.toString('latin1').replace('diff --git a/bin b/bin', 'diff --git a/nib b/nib'),
      'latin1'
    );
    const reader = new DiffReader(() => undefined);
    reader.push(bad);
    expect(() => reader.end()).toThrow(UserError);
    const short = new DiffReader(() => undefined);
    short.push(stream.subarray(0, stream.indexOf('diff --git a/bin')));
    expect(() => short.end()).toThrow(/no patch for bin/);
  });
});
