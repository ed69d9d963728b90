// Reads a PR's changes from a local checkout with git, streaming, without ever
// running anything the PR controls: git is spawned with an argv array (no
// shell), hooks, fsmonitor, external diff drivers and textconv filters off.
import { spawn } from 'node:child_process';
import { UserError } from '@security-actions/core';
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
const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

interface GitResult {
  code: number | null;
  stderr: string;
}

export { unquotePath } from './patch';

/** Runs git, feeding stdout chunks to `onData`; resolves when it exits. */
function git(repo: string, args: string[], onData?: (b: Buffer) => void, stdin?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', repo, ...SAFE, ...args], {
      env: { ...process.env, ...GIT_ENV },
      stdio: ['pipe', 'pipe', 'pipe']
    });
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => onData?.(b));
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 4096) stderr += b.toString();
    });
    child.on('error', (e) => reject(new UserError(`cannot run git: ${e.message}`)));
    child.on('close', (code) => resolve({ code, stderr: stderr.trim() }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });
}

async function gitText(repo: string, args: string[]): Promise<{ code: number | null; out: string; stderr: string }> {
  const chunks: Buffer[] = [];
  const r = await git(repo, args, (b) => chunks.push(b));
  return { ...r, out: Buffer.concat(chunks).toString('utf8') };
}

/** The commit a ref names, or a UserError saying why it is not there. */
async function resolveCommit(repo: string, ref: string, what: string): Promise<string> {
  if (!ref || ref.startsWith('-')) throw new UserError(`${what}: '${ref}' is not a commit reference`);
  const r = await gitText(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (r.code === 0) return r.out.trim();
  const inside = await gitText(repo, ['rev-parse', '--is-inside-work-tree']);
  if (inside.code !== 0)
    throw new UserError(`${repo} is not a git checkout (${inside.stderr.split('\n')[0] || 'git rev-parse failed'})`);
  const shallow = (await gitText(repo, ['rev-parse', '--is-shallow-repository'])).out.trim() === 'true';
  throw new UserError(
    `${what} commit '${ref}' is not in the checkout${shallow ? ' (shallow clone: check out with fetch-depth: 0)' : ''}`
  );
}

/** The merge base, so the diff is what the PR adds (`base...head`). */
async function mergeBase(repo: string, base: string, head: string): Promise<string> {
  const r = await gitText(repo, ['merge-base', base, head]);
  if (r.code === 0) return r.out.trim();
  const shallow = (await gitText(repo, ['rev-parse', '--is-shallow-repository'])).out.trim() === 'true';
  throw new UserError(
    `no common ancestor of base ${base.slice(0, 12)} and head ${head.slice(0, 12)}${shallow ? ' (shallow clone: check out with fetch-depth: 0)' : ''}`
  );
}

/**
 * Streams the added lines of every text file in `from..to` (`-U0` patch) and calls `onFile` as each
 * file's section ends, so memory holds one file at a time; resolves with git's file list, whose line
 * counts and binary flags come from the same patch.
 */
async function diff(
  repo: string,
  from: string,
  to: string,
  onFile: (f: AddedText) => void,
  /** Diff only these paths, as text whatever the attributes say (`--text`). */
  asText?: string[]
): Promise<ChangedFile[]> {
  const reader = new DiffReader(onFile); // analysed there; nothing here keeps the text
  const flags = asText ? ['--text', ...DIFF_FLAGS] : DIFF_FLAGS;
  const args = ['diff', '--raw', '-z', '--no-abbrev', '-p', '-U0', ...flags, from, to, '--', ...(asText ?? [])];
  const res = await git(repo, args, (b) => reader.push(b));
  if (res.code !== 0) throw new UserError(`git diff failed: ${res.stderr.split('\n')[0]}`);
  const files = reader.end();
  return asText ? files : withBinaryVerdicts(repo, from, to, files);
}

/**
 * A patch says nothing about a file whose content did not change (renamed whole, or only its mode):
 * git's own verdict on those few, from `--numstat` limited to their names.
 */
async function withBinaryVerdicts(
  repo: string,
  from: string,
  to: string,
  files: ChangedFile[]
): Promise<ChangedFile[]> {
  const same = files.filter((f) => f.oldSha === f.newSha && f.newMode !== '160000');
  if (!same.length) return files;
  const paths = [...new Set(same.flatMap((f) => [f.path, f.oldPath ?? f.path]))];
  const r = await gitText(repo, ['diff', '--numstat', '-z', ...DIFF_FLAGS, from, to, '--', ...paths]);
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

/**
 * Streams blobs through `git cat-file --batch`; `open` is called per blob with
 * its size and returns where the bytes go. A 1 GB blob never sits in memory.
 */
async function streamBlobs(
  repo: string,
  shas: string[],
  open: (sha: string, size: number) => BlobSink | undefined
): Promise<void> {
  if (!shas.length) return;
  let header: Buffer[] = [];
  let sink: BlobSink | undefined;
  let left = -1; // bytes of the current blob still to come; -1: reading a header; -2: skipping the newline after a blob
  const onData = (b: Buffer) => {
    let i = 0;
    while (i < b.length) {
      if (left === -2) {
        i++; // the newline git prints after each blob
        left = -1;
        continue;
      }
      if (left === -1) {
        const nl = b.indexOf(10, i);
        if (nl < 0) {
          header.push(b.subarray(i));
          return;
        }
        header.push(b.subarray(i, nl));
        const h = Buffer.concat(header).toString('utf8');
        header = [];
        i = nl + 1;
        const [sha, type, size] = h.split(' ');
        if (type === 'missing' || size === undefined) continue;
        left = Number(size);
        sink = open(sha, left);
        if (left === 0) {
          sink?.end();
          left = -2;
        }
        continue;
      }
      const n = Math.min(left, b.length - i);
      sink?.chunk(b.subarray(i, i + n));
      i += n;
      left -= n;
      if (left === 0) {
        sink?.end();
        left = -2;
      }
    }
  };
  const res = await git(repo, ['cat-file', '--batch'], onData, shas.join('\n') + '\n');
  if (res.code !== 0) throw new UserError(`git cat-file failed: ${res.stderr.split('\n')[0]}`);
}

/** Whole text of small blobs (workflows, manifests), keyed by sha; larger ones are skipped. */
async function readTexts(repo: string, shas: string[], maxBytes: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await streamBlobs(repo, [...new Set(shas.filter((s) => !isNullSha(s)))], (sha, size) => {
    if (size > maxBytes) return undefined;
    const parts: Buffer[] = [];
    return { chunk: (b) => parts.push(Buffer.from(b)), end: () => out.set(sha, Buffer.concat(parts).toString('utf8')) };
  });
  return out;
}

async function listCommits(repo: string, from: string, to: string, max = 250): Promise<CommitInfo[]> {
  const r = await gitText(repo, [
    'log',
    '--no-show-signature',
    `--max-count=${max}`,
    '--format=%H%x00%an%x00%ae%x00%cn%x00%ce%x00%s%x1e',
    `${from}..${to}`,
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

/** Sizes of blobs without reading them (`cat-file --batch-check`). */
async function blobSizes(repo: string, shas: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const want = [...new Set(shas.filter((s) => !isNullSha(s)))];
  if (!want.length) return out;
  const chunks: Buffer[] = [];
  await git(repo, ['cat-file', '--batch-check'], (b) => chunks.push(b), want.join('\n') + '\n');
  for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
    const [sha, type, size] = line.split(' ');
    if (type === 'blob') out.set(sha, Number(size));
  }
  return out;
}

/** A file's text at a commit, or undefined when it does not exist there. */
async function readFileAt(repo: string, commit: string, path: string): Promise<string | undefined> {
  const r = await gitText(repo, ['cat-file', 'blob', `${commit}:${path}`]);
  return r.code === 0 ? r.out : undefined;
}

/** The GitIO of the checkout at `repo`: what main.ts hands the engine. */
export function gitCheckout(repo: string): GitIO {
  // The adapter resolves the base to read its config, the engine again: one git process per ref.
  const commits = new Map<string, Promise<string>>();
  const resolved = (ref: string, what: string) => {
    const key = `${what}\0${ref}`;
    if (!commits.has(key)) commits.set(key, resolveCommit(repo, ref, what));
    return commits.get(key)!;
  };
  return {
    resolveCommit: resolved,
    mergeBase: (base, head) => mergeBase(repo, base, head),
    listCommits: (from, to, max) => listCommits(repo, from, to, max),
    diff: (from, to, onFile, asText) => diff(repo, from, to, onFile, asText),
    readTexts: (shas, maxBytes) => readTexts(repo, shas, maxBytes),
    blobSizes: (shas) => blobSizes(repo, shas),
    streamBlobs: (shas, open) => streamBlobs(repo, shas, open),
    readFileAt: (commit, path) => readFileAt(repo, commit, path)
  };
}
