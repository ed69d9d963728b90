// Refs and blobs are read by one `git cat-file --batch-command` process: answers come back to the
// read that asked, in order, whatever runs at once; a process that dies fails its reads; an idle
// process never keeps node running; and a scan starts git only for what cat-file cannot do.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UserError } from '@security-actions/core';
import { scanPr } from '../../actions/pr-anomaly-scan/src/engine';
import { gitCheckout } from '../../actions/pr-anomaly-scan/src/git';
import { type BuiltRepo, buildRepo } from './corpus/build';

const BIG = Buffer.alloc(3 * 1024 * 1024 + 7, 'ab\0c');
let r: BuiltRepo;
const sha = (rev: string) => execFileSync('git', ['-C', r.dir, 'rev-parse', rev], { encoding: 'utf8' }).trim();

beforeAll(() => {
  r = buildRepo(
    { 'a.txt': 'one\n', 'dir/b.txt': 'two\n', '.github/security-actions.yml': 'ignores: []\n' },
    {
      'a.txt': 'one\nmore\n',
      'big.bin': BIG,
      'empty.txt': '',
      'with space é.txt': 'x\n',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
      'requirements.txt': 'numpy==2.0\n'
    }
  );
});
afterAll(() => r.cleanup());

describe('one cat-file process', () => {
  it('answers reads made at once, each with its own objects', async () => {
    const git = gitCheckout(r.dir);
    try {
      const [a, b, big, empty] = ['pr:a.txt', 'main:dir/b.txt', 'pr:big.bin', 'pr:empty.txt'].map(sha);
      const streamed = new Map<string, Buffer[]>();
      const [head, base, texts, sizes, , file, spaced, missing, tree] = await Promise.all([
        git.resolveCommit('pr', 'head'),
        git.resolveCommit('main', 'base'),
        git.readTexts([a, b, big, '0'.repeat(40)], 1024),
        git.blobSizes([big, empty, 'f'.repeat(40)]),
        git.streamBlobs([big, 'e'.repeat(40), empty], (s) => {
          streamed.set(s, []);
          return { chunk: (c) => streamed.get(s)!.push(Buffer.from(c)), end: () => undefined };
        }),
        git.readFileAt('main', '.github/security-actions.yml'),
        git.readFileAt('pr', 'with space é.txt'),
        git.readFileAt('main', 'nope.yml'),
        git.readFileAt('main', 'dir')
      ]);
      expect([head, base]).toEqual([r.head, r.base]);
      expect([...texts]).toEqual([
        [a, 'one\nmore\n'],
        [b, 'two\n']
      ]); // the big one is over the limit, the null id never asked
      expect([...sizes]).toEqual([
        [big, BIG.length],
        [empty, 0]
      ]);
      expect([...streamed.keys()]).toEqual([big, empty]);
      expect(Buffer.concat(streamed.get(big)!).equals(BIG)).toBe(true);
      expect([file, spaced, missing, tree]).toEqual(['ignores: []\n', 'x\n', undefined, undefined]);
      await expect(git.resolveCommit('no-such-branch', 'base')).rejects.toThrow(/base commit 'no-such-branch' is not/);
      await expect(git.readFileAt('main', 'a\nb')).rejects.toThrow(UserError);
    } finally {
      git.close();
    }
  });

  it('fails the reads of a process that cannot run, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'not-git-'));
    const git = gitCheckout(dir);
    try {
      await expect(git.readTexts(['1'.repeat(40)], 10)).rejects.toThrow(/git cat-file failed: fatal: not a git/);
      await expect(git.resolveCommit('main', 'base')).rejects.toThrow(/is not a git checkout/);
    } finally {
      git.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds the event loop only while it is asked something', async () => {
    const processes = () => process.getActiveResourcesInfo().filter((k) => k === 'ProcessWrap').length;
    await new Promise((done) => setTimeout(done, 20)); // the handles of processes that exited close in a later turn
    const before = processes();
    const git = gitCheckout(r.dir);
    try {
      const pending = git.resolveCommit('pr', 'head');
      expect(processes()).toBe(before + 1);
      await pending;
      expect(processes()).toBe(before);
      expect(await git.readFileAt('pr', 'a.txt')).toBe('one\nmore\n'); // the same process, held again
    } finally {
      git.close();
    }
  });
});

describe('the git processes of a scan', () => {
  it('are cat-file once, the diff and the log (git finds the merge base in both)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'git-shim-'));
    const log = join(bin, 'log');
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    // Logs the subcommand: the first word that is neither an option nor the value of `-C` or `-c`.
    const shim = `skip=0; for a; do if [ $skip = 1 ]; then skip=0; continue; fi
case "$a" in -C|-c) skip=1;; -*) ;; *) echo "$a" >> '${log}'; break;; esac; done`;
    writeFileSync(join(bin, 'git'), `#!/bin/sh\n${shim}\nexec '${real}' "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    const git = gitCheckout(r.dir);
    try {
      const opts = { git, base: r.base, head: r.head, meta: {}, trustedOrgs: [], configPath: '.github/a.yml' };
      const res = await scanPr(opts);
      expect(res.errors).toEqual([]);
      expect(res.stats?.['binary files']).toBe(1);
      const commands = readFileSync(log, 'utf8').trim().split('\n');
      expect(commands.sort()).toEqual(['cat-file', 'diff', 'log']);
    } finally {
      git.close();
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
