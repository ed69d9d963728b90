// Reads a PR's changes from a local checkout with git, streaming, without ever
// running anything the PR controls: git is spawned with an argv array (no
// shell), hooks, fsmonitor, external diff drivers and textconv filters off.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { close, closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@security-actions/core';
import { CatFile } from './catfile';
import { DiffReader } from './diff';
import { type AddedText, type BlobSink, type ChangedFile, type CommitInfo, type GitIO, isNullSha } from './types';

/** Options that stop repository config (which a PR cannot change, but a poisoned cache could) from running programs. */
const SAFE = [
  '-c',
  'core.fsmonitor=',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'diff.external=',
  '-c',
  'core.quotePath=true',
  '-c',
  'core.bigFileThreshold=64m',
  '-c',
  'diff.renameLimit=2000',
  '--literal-pathspecs'
];
const DIFF_FLAGS = ['--no-ext-diff', '--no-textconv', '--no-color', '-M', '--src-prefix=a/', '--dst-prefix=b/'];
/** Bytes of names passed to git as arguments (Linux allows 2 MiB for arguments and environment). */
const MAX_ARGS = 256 * 1024;
const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

interface GitResult {
  code: number | null;
  stderr: string;
}

export { unquotePath } from './patch';

/** git with the safe options, its stdout to a pipe or to an open file (`gitFollowed`). */
const spawnGit = (repo: string, args: string[], stdout: 'pipe' | number = 'pipe') =>
  spawn('git', ['-C', repo, ...SAFE, ...args], {
    env: { ...process.env, ...GIT_ENV },
    stdio: ['pipe', stdout, 'pipe']
  }) as ChildProcessWithoutNullStreams; // stdout is null when it goes to a file: gitFollowed does not read it

/** Keeps the first 4 KiB of git's stderr, for a one-line error. */
function collectStderr(child: ChildProcessWithoutNullStreams): () => string {
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    if (stderr.length < 4096) stderr += b.toString();
  });
  return () => stderr.trim();
}

/** Runs git, feeding stdout chunks to `onData`; resolves when it exits. */
function git(repo: string, args: string[], onData?: (b: Buffer) => void): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(repo, args);
    const stderr = collectStderr(child);
    child.stdout.on('data', (b: Buffer) => onData?.(b));
    child.on('error', (e) => reject(new UserError(`cannot run git: ${e.message}`)));
    child.on('close', (code) => resolve({ code, stderr: stderr() }));
    child.stdin.on('error', () => undefined);
    child.stdin.end();
  });
}

/** Bytes read from a followed output file at a time. */
const FOLLOW_CHUNK = 1 << 20;

/**
 * Runs git with its stdout going to a private temporary file and hands the file's bytes to `onData`
 * as git writes them. A pipe holds 64 KiB, so git stalled whenever the analysis lagged and the
 * analysis idled whenever git lagged (a tenth of a large PR's scan); through the file git runs ahead
 * at its own pace, and the patch is on disk, not in memory. The file's name is removed as soon as both
 * ends are open (nothing to clean up if the process dies; Windows keeps it until the end). Falls back
 * to a pipe where no temporary file can be made.
 */
async function gitFollowed(repo: string, args: string[], onData: (b: Buffer) => void): Promise<GitResult> {
  let dir: string | undefined;
  let fds: [number, number];
  try {
    dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'pr-anomaly-scan-diff-'));
    const file = join(dir, 'out');
    const out = openSync(file, 'wx', 0o600);
    fds = [out, openSync(file, 'r')];
  } catch {
    if (dir) rmSync(dir, { recursive: true, force: true });
    return git(repo, args, onData);
  }
  const [out, input] = fds;
  const remove = () => {
    try {
      rmSync(dir, { recursive: true, force: true });
      return true;
    } catch {
      return false; // an open file cannot be removed on Windows
    }
  };
  const removed = remove();
  let child: ChildProcessWithoutNullStreams | undefined;
  let exit: { code: number | null } | { error: Error } | undefined;
  try {
    try {
      child = spawnGit(repo, args, out);
    } finally {
      closeSync(out); // git holds its own copy
    }
    const stderr = collectStderr(child);
    let wake = () => undefined as void;
    child.stdin.on('error', () => undefined);
    child.stdin.end();
    child.on('error', (error) => ((exit ??= { error }), wake()));
    child.on('close', (code) => ((exit ??= { code }), wake()));
    let b = Buffer.allocUnsafeSlow(FOLLOW_CHUNK);
    for (;;) {
      const ended = exit; // taken before the read: all git wrote before it exited is then in the file
      const n = readSync(input, b, 0, FOLLOW_CHUNK, null);
      if (n === FOLLOW_CHUNK) {
        onData(b); // the reader may keep a chunk: a full one is handed over, a part copied
        b = Buffer.allocUnsafeSlow(FOLLOW_CHUNK);
      } else if (n > 0) onData(Buffer.from(b.subarray(0, n)));
      else if (ended) {
        if ('error' in ended) throw new UserError(`cannot run git: ${ended.error.message}`);
        return { code: ended.code, stderr: stderr() };
      } else await new Promise<void>((r) => ((wake = r), setTimeout(r, 2))); // git is behind the reader
      if (n > 0) await new Promise(setImmediate); // let stderr and git's exit be seen
    }
  } finally {
    if (child && !exit) child.kill(); // the reader threw (a patch it cannot read): the rest is not wanted
    if (removed)
      close(input, () => undefined); // the last close frees the file's pages: off this thread
    else {
      closeSync(input);
      remove();
    }
  }
}

async function gitText(repo: string, args: string[]): Promise<{ code: number | null; out: string; stderr: string }> {
  const chunks: Buffer[] = [];
  const r = await git(repo, args, (b) => chunks.push(b));
  return { ...r, out: Buffer.concat(chunks).toString('utf8') };
}

/** The commit a ref names, or a UserError saying why it is not there. */
async function resolveCommit(repo: string, cat: CatFile, ref: string, what: string): Promise<string> {
  if (!ref || ref.startsWith('-')) throw new UserError(`${what}: '${ref}' is not a commit reference`);
  const found = await cat.info(`${ref}^{commit}`).catch(() => undefined); // not a checkout: said below
  if (found?.type === 'commit') return found.oid;
  const inside = await gitText(repo, ['rev-parse', '--is-inside-work-tree']);
  if (inside.code !== 0)
    throw new UserError(`${repo} is not a git checkout (${inside.stderr.split('\n')[0] || 'git rev-parse failed'})`);
  const shallow = (await gitText(repo, ['rev-parse', '--is-shallow-repository'])).out.trim() === 'true';
  throw new UserError(
    `${what} commit '${ref}' is not in the checkout${shallow ? ' (shallow clone: check out with fetch-depth: 0)' : ''}`
  );
}

/** Why `base...head` has no merge base, as one line. */
async function noMergeBase(repo: string, base: string, head: string): Promise<UserError> {
  const shallow = (await gitText(repo, ['rev-parse', '--is-shallow-repository'])).out.trim() === 'true';
  return new UserError(
    `no common ancestor of base ${base.slice(0, 12)} and head ${head.slice(0, 12)}${shallow ? ' (shallow clone: check out with fetch-depth: 0)' : ''}`
  );
}

/**
 * Streams the added lines of every text file in `base...head` (`-U0` patch: head against the merge
 * base, found by the same git process) and calls `onFile` as each file's section ends, so memory holds
 * one file at a time; resolves with git's file list, whose line counts and binary flags come from the
 * same patch.
 */
async function diff(
  repo: string,
  base: string,
  head: string,
  onFile: (f: AddedText) => void,
  /** Diff only these paths, as text whatever the attributes say (`--text`). */
  asText?: string[]
): Promise<ChangedFile[]> {
  const reader = new DiffReader(onFile); // analysed there; nothing here keeps the text
  const flags = asText ? ['--text', ...DIFF_FLAGS] : DIFF_FLAGS;
  const range = `${base}...${head}`;
  const args = ['diff', '--raw', '-z', '--no-abbrev', '-p', '-U0', ...flags, range, '--', ...(asText ?? [])];
  const res = await gitFollowed(repo, args, (b) => reader.push(b));
  if (res.code !== 0 && /no merge base/.test(res.stderr)) throw await noMergeBase(repo, base, head);
  if (res.code !== 0) throw new UserError(`git diff failed: ${res.stderr.split('\n')[0]}`);
  const files = reader.end();
  return asText ? files : withBinaryVerdicts(repo, range, files);
}

/**
 * A patch says nothing about a file whose content did not change (renamed whole, or only its mode):
 * git's own verdict on those few, from `--numstat` limited to their names.
 */
async function withBinaryVerdicts(repo: string, range: string, files: ChangedFile[]): Promise<ChangedFile[]> {
  const same = files.filter((f) => f.oldSha === f.newSha && f.newMode !== '160000');
  if (!same.length) return files;
  const paths = [...new Set(same.flatMap((f) => [f.path, f.oldPath ?? f.path]))];
  // Thousands of names would pass the limit of a command line: then the whole range, as before.
  const limit = paths.reduce((n, p) => n + p.length + 1, 0) > MAX_ARGS ? [] : paths;
  const r = await gitText(repo, ['diff', '--numstat', '-z', ...DIFF_FLAGS, range, '--', ...limit]);
  if (r.code !== 0) throw new UserError(`git diff failed: ${r.stderr.split('\n')[0]}`);
  // `A\tD\tpath` or, for a rename, `A\tD\t` then the old and the new name.
  const binary = new Set<string>();
  const tokens = r.out.split('\0');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const p = t.slice(t.indexOf('\t', t.indexOf('\t') + 1) + 1); // a name may hold tabs
    const path = p === '' ? tokens[(i += 2)] : p;
    if (t.startsWith('-\t')) binary.add(path);
  }
  for (const f of same) f.binary = binary.has(f.path);
  return files;
}

/** A sink that hands over an object's bytes once they are all there. */
function bytesSink(done: (bytes: Buffer) => void): BlobSink {
  const parts: Buffer[] = [];
  return { chunk: (b) => parts.push(b), end: () => done(Buffer.concat(parts)) };
}

/** A sink that decodes a blob's bytes as UTF-8 once they are all there. */
const textSink = (done: (text: string) => void): BlobSink => bytesSink((b) => done(b.toString('utf8')));

/** Whole text of small blobs (workflows, manifests), keyed by sha; larger ones are skipped. */
async function readTexts(cat: CatFile, shas: string[], maxBytes: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const want = [...new Set(shas.filter((s) => !isNullSha(s)))];
  await cat.contents(want, (sha, info) =>
    info && info.size <= maxBytes ? textSink((t) => out.set(sha, t)) : undefined
  );
  return out;
}

async function listCommits(repo: string, base: string, head: string, max = 250): Promise<CommitInfo[]> {
  const r = await gitText(repo, [
    'log',
    '--no-show-signature',
    `--max-count=${max}`,
    '--format=%H%x00%an%x00%ae%x00%cn%x00%ce%x00%s%x1e',
    `${base}..${head}`,
    '--'
  ]);
  if (r.code !== 0) return [];
  return r.out
    .split('\x1e')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [sha, authorName, authorEmail, committerName, committerEmail, subject] = s.split('\0');
      return { sha, authorName, authorEmail, committerName, committerEmail, subject };
    });
}

/** The files directly in `dir` at `commit` (path and blob id), from its tree object; none when there is no such directory. */
async function listFiles(cat: CatFile, commit: string, dir: string): Promise<{ path: string; sha: string }[]> {
  let out: { path: string; sha: string }[] = [];
  await cat.contents([`${commit}:${dir}`], (_, info) =>
    info?.type === 'tree' ? bytesSink((b) => (out = treeFiles(b, info.oid.length / 2, dir))) : undefined
  );
  return out;
}

/** The regular files of a tree object: entries `<mode> <name>\0<binary id>` (20 bytes, 32 in a SHA-256 repository). */
export function treeFiles(b: Buffer, idBytes: number, dir: string): { path: string; sha: string }[] {
  const out: { path: string; sha: string }[] = [];
  for (let at = 0; at < b.length;) {
    const sp = b.indexOf(0x20, at);
    const nul = sp < 0 ? -1 : b.indexOf(0, sp);
    if (nul < 0 || nul + 1 + idBytes > b.length) break;
    const mode = b.toString('latin1', at, sp);
    if (mode === '100644' || mode === '100755')
      out.push({
        path: `${dir}/${b.toString('utf8', sp + 1, nul)}`,
        sha: b.toString('hex', nul + 1, nul + 1 + idBytes)
      });
    at = nul + 1 + idBytes;
  }
  return out;
}

/** Sizes of blobs without reading them. */
async function blobSizes(cat: CatFile, shas: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await cat.infos([...new Set(shas.filter((s) => !isNullSha(s)))], (sha, info) => {
    if (info?.type === 'blob') out.set(sha, info.size);
  });
  return out;
}

/** A file's text at a commit, or undefined when it does not exist there. */
async function readFileAt(cat: CatFile, commit: string, path: string): Promise<string | undefined> {
  let text: string | undefined;
  await cat.contents([`${commit}:${path}`], (_, info) =>
    info?.type === 'blob' ? textSink((t) => (text = t)) : undefined
  );
  return text;
}

/**
 * The GitIO of the checkout at `repo`: what main.ts hands the engine. Refs and blobs are read by one
 * `git cat-file` process, which `close` ends (the process does not hold node open while idle).
 */
export function gitCheckout(repo: string): GitIO & { close(): void } {
  const cat = new CatFile(() => spawnGit(repo, ['cat-file', '--batch-command']));
  // The adapter resolves the base to read its config, the engine again: each ref is read once.
  const commits = new Map<string, Promise<string>>();
  const resolved = (ref: string, what: string) => {
    const key = `${what}\0${ref}`;
    if (!commits.has(key)) commits.set(key, resolveCommit(repo, cat, ref, what));
    return commits.get(key)!;
  };
  return {
    resolveCommit: resolved,
    listCommits: (base, head, max) => listCommits(repo, base, head, max),
    diff: (base, head, onFile, asText) => diff(repo, base, head, onFile, asText),
    readTexts: (shas, maxBytes) => readTexts(cat, shas, maxBytes),
    blobSizes: (shas) => blobSizes(cat, shas),
    streamBlobs: (shas, open) => cat.contents(shas, (sha, info) => (info ? open(sha, info.size) : undefined)),
    readFileAt: (commit, path) => readFileAt(cat, commit, path),
    listFiles: (commit, dir) => listFiles(cat, commit, dir),
    close: () => cat.close()
  };
}
