// A git repository whose head commit adds a generated PR (bench/lib/pr-gen.mjs)
// on top of a one-file base commit. Building the 108 MB one takes a while, so
// BENCH_PR_CACHE=dir keeps it there between runs, keyed by the generator's
// source and the seed (a changed generator builds a new one).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gitCommitting as git } from './mirrors.mjs';
import { generatePr } from './pr-gen.mjs';

const GENERATOR = readFileSync(join(import.meta.dirname, 'pr-gen.mjs'));

/**
 * `{ dir, base, head, bytes, textFiles, textBytes, mix, plants, remove }` for the PR `spec` generates
 * (`textFiles`: the paths of its text files, for the anchors that read the same files).
 */
export function prRepo(spec) {
  const key = createHash('sha256').update(GENERATOR).update(JSON.stringify(spec)).digest('hex').slice(0, 12);
  const cache = process.env.BENCH_PR_CACHE;
  const dir = cache ? join(cache, `pr-${spec.seed}-${key}`) : mkdtempSync(join(tmpdir(), 'bench-pr-'));
  const meta = join(dir, '.git', 'bench-pr.json');
  if (cache && existsSync(meta)) return withRemove(JSON.parse(readFileSync(meta, 'utf8')), dir, cache);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'core.autocrlf', 'false');
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  const base = git(dir, 'rev-parse', 'HEAD');
  const pr = generatePr(spec);
  for (const f of pr.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'head');
  const text = pr.files.filter((f) => f.kind !== 'bin');
  const info = {
    base,
    head: git(dir, 'rev-parse', 'HEAD'),
    files: pr.files.length,
    bytes: pr.bytes,
    textFiles: text.map((f) => f.path),
    textBytes: text.reduce((n, f) => n + Buffer.byteLength(f.content), 0),
    mix: pr.mix,
    plants: pr.plants,
    digest: pr.digest
  };
  writeFileSync(meta, JSON.stringify(info));
  return withRemove(info, dir, cache);
}

function withRemove(info, dir, cache) {
  return { ...info, dir, remove: () => cache || rmSync(dir, { recursive: true, force: true }) };
}
