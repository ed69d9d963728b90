// Reading the public repositories fetched under /work/.mirror (bare git
// directories, some of them partial): blobs of HEAD streamed through one
// `git cat-file --batch`, and TypeScript modules bundled for a benchmark.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MIRRORS = process.env.MIRRORS ?? '/work/.mirror';
const root = join(import.meta.dirname, '..', '..');
const MAX_FILE = 8 * 1024 * 1024;

// The analysers are TypeScript: bundle them once (transpile only), as the actions' bundles are built.
export async function load(entry) {
  const ncc = createRequire(import.meta.url)('@vercel/ncc');
  const { code, assets } = await ncc(join(root, entry), {
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    transpileOnly: true
  });
  const dir = mkdtempSync(join(tmpdir(), 'content-eval-'));
  writeFileSync(join(dir, 'index.mjs'), code);
  for (const [n, a] of Object.entries(assets)) writeFileSync(join(dir, n), a.source);
  return import(join(dir, 'index.mjs'));
}

export const git = (repo, ...a) => execFileSync('git', ['-C', repo, ...a], { maxBuffer: 1 << 30 });
/** git in a throw-away repository of a benchmark, committing as a fixed identity; its output trimmed. */
export const gitCommitting = (dir, ...a) =>
  execFileSync('git', ['-C', dir, ...a], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@x',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@x'
    },
    maxBuffer: 1 << 30
  })
    .toString()
    .trim();
export const repoDir = (name) => join(MIRRORS, name, 'repo');
export const headOf = (repo) => git(repo, 'rev-parse', 'HEAD').toString().trim();
export const show = (repo, path) => git(repo, 'show', `HEAD:${path}`).toString('utf8');
export const ls = (repo, under) =>
  git(repo, 'ls-tree', '-r', '--name-only', 'HEAD', under).toString().split('\n').filter(Boolean);
/** Every blob of HEAD, streamed through one `git cat-file --batch`; missing objects (partial mirrors) are skipped. */
export async function* blobs(repo) {
  const entries = git(repo, 'ls-tree', '-r', '-l', '-z', 'HEAD')
    .toString()
    .split('\0')
    .filter(Boolean)
    .map((l) => {
      const [meta, path] = l.split('\t');
      const [, type, sha, size] = meta.split(/\s+/);
      return { type, sha, size: Number(size), path };
    })
    .filter((e) => e.type === 'blob' && e.size <= MAX_FILE);
  const cat = spawn('git', ['-C', repo, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
  cat.stdin.end(entries.map((e) => e.sha).join('\n') + '\n');
  let buf = Buffer.alloc(0);
  let pending = [];
  let pendingBytes = 0;
  let need = 0;
  let k = 0;
  for await (const chunk of cat.stdout) {
    // Chunks wait in a list until the blob they belong to is complete (concatenating each time is quadratic).
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (buf.length + pendingBytes < need) continue;
    buf = Buffer.concat([buf, ...pending]);
    pending = [];
    pendingBytes = 0;
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl < 0) break;
      const header = buf.subarray(0, nl).toString();
      if (header.endsWith(' missing')) {
        buf = buf.subarray(nl + 1);
        k++;
        continue;
      }
      const size = Number(header.split(' ')[2]);
      need = nl + 2 + size;
      if (buf.length < need) break;
      need = 0;
      yield { path: entries[k++].path, bytes: buf.subarray(nl + 1, nl + 1 + size) };
      buf = buf.subarray(nl + 2 + size);
    }
  }
}

/** Bytes of the blobs of `paths` in a mirror, read in one `git cat-file --batch`. */
export async function readAll(repo, filter, limit) {
  const out = [];
  for await (const b of blobs(repo)) if (filter(b.path) && out.length < limit) out.push(b);
  return out;
}

/** Deterministic pick of n items (FNV-1a of the path, seeded), so every run measures the same PR. */
export const pick = (items, n, seed = 1) =>
  items
    .map((x) => {
      let h = 2166136261 ^ seed;
      for (const c of x.path) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
      return [h >>> 0, x];
    })
    .sort((a, b) => a[0] - b[0])
    .slice(0, n)
    .map(([, x]) => x);
