// Reading a checkout without blocking or lying: only regular files are read
// (a FIFO would block a read forever, a device would never end), and a
// symbolic link is followed only to a regular file inside the checkout. What
// is passed over is said, never silently dropped.
import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Dirent, Stats } from 'node:fs';
import { UserError } from './errors';

/** A file discovery passed over, and why (for a note in the report). */
export interface Skipped {
  path: string;
  reason: string;
}

/** What a file system entry is, in words, when it is not a regular file. */
function kindOf(s: Stats | Dirent): string {
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isDirectory()) return 'a folder';
  return 'not a regular file';
}

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * Why the entry at `path` (a symbolic link or a special file) is not read,
 * or undefined when it resolves to a regular file inside `root`.
 */
async function refusal(root: string, path: string, entry: Dirent): Promise<string | undefined> {
  if (!entry.isSymbolicLink()) return entry.isFile() ? undefined : `skipped: ${kindOf(entry)}, not a regular file`;
  const [realRoot, target] = await Promise.all([realpath(root), realpath(path).catch(() => undefined)]);
  if (!target) return 'skipped: a symbolic link whose target does not exist';
  if (!inside(realRoot, target)) return 'skipped: a symbolic link to outside the checkout';
  const s = await stat(target);
  return s.isFile() ? undefined : `skipped: a symbolic link to ${kindOf(s)}, not a regular file`;
}

/** Folders that hold installed packages, environments or another repository's objects, never the project's own. */
export const INSTALLED_DIRS: readonly string[] = [
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '__pycache__',
  'site-packages'
];
/** What dependency and workflow discovery passes over: the installed folders and generated ones. */
const SKIP_DIRS = new Set([...INSTALLED_DIRS, 'dist', 'build']);

/**
 * Files below `root` (at most 8 levels deep, vendored and generated folders
 * skipped, folder links not followed) whose repository-relative path `accept`
 * takes, sorted. A path `accept` takes that is not a regular file of the
 * checkout is added to `skipped` instead.
 */
export async function findFiles(
  root: string,
  accept: (path: string) => boolean,
  skipped: Skipped[] = []
): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(p, depth + 1);
        continue;
      }
      const rel = relative(root, p).split('\\').join('/');
      if (!accept(rel)) continue;
      const why = await refusal(root, p, e);
      if (why?.includes('to a folder')) continue; // a folder link: its files are found at their own path
      if (why) skipped.push({ path: rel, reason: why });
      else out.push(rel);
    }
  };
  await walk(root, 0);
  return out.sort();
}

/**
 * The text of `file` (relative to `root`, or absolute), read only when it is
 * a regular file, through a link only to one inside `root` (when given); a
 * one-line UserError naming the file otherwise. Opened without blocking, so
 * a FIFO put where a file is expected is refused rather than waited on.
 */
export async function readRegularFile(file: string, opts: { root?: string; display?: string } = {}): Promise<string> {
  const path = opts.root ? join(opts.root, file) : file;
  const shown = opts.display ?? file;
  if (opts.root) {
    const [realRoot, target] = await Promise.all([realpath(opts.root), realpath(path).catch(() => path)]);
    if (!inside(realRoot, target)) throw new UserError(`${shown}: skipped: a symbolic link to outside the checkout`);
  }
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw Object.assign(new UserError(`${shown}: cannot read (${code})`), { code });
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw new UserError(`${shown}: skipped: ${kindOf(s)}, not a regular file`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
