// The content analysers as a check of a checkout (`sp-security scan`): every
// file of the tree through `analyseFile`, streamed. Files are read a few at a
// time and dropped once analysed, so memory holds at most READERS files of at
// most MAX_READ bytes each, whatever the size of the tree; a larger file is
// hashed and measured in chunks (a binary), or its first MAX_READ bytes
// analysed (a text, with a note). Installed and cache folders are skipped;
// `dist/` is not (an action's committed bundle is where tj-actions' payload was).
import { type Dirent, createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionDefinition } from '../action';
import { oneLine } from '../errors';
import { compareStrings } from '../sorted';
import { INSTALLED_DIRS } from '../files';
import type { Finding } from '../findings';
import { BlobAnalyser, analyseBinary } from './binary';
import { CONTENT_REGISTRY, analyseFile } from './analyse';

/** Folders that hold installed packages, caches or another repository's objects, never the project's own files. */
const SKIP = new Set([
  ...INSTALLED_DIRS,
  'bower_components',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.hypothesis',
  '.eggs',
  '.ipynb_checkpoints',
  'build'
]);
const MAX_DEPTH = 32;
/** Bytes of one file held at once. */
export const MAX_READ = 8 * 1024 * 1024;
const READERS = 4;

interface Entry {
  path: string;
  size: number;
}

/** Every regular file below root (symbolic links not followed), depth first, as repository-relative paths. */
async function* walk(root: string, dir = '', depth = 0): AsyncGenerator<string> {
  if (depth > MAX_DEPTH) return;
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => compareStrings(a.name, b.name));
  for (const e of entries) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIP.has(e.name)) yield* walk(root, rel, depth + 1);
    } else if (e.isFile() && e.name !== '.git') yield rel;
  }
}

/** One file's findings; `note` is called when only part of it was read. */
async function analysePath(root: string, path: string, note: (m: string) => void): Promise<Finding[]> {
  const file = await open(join(root, path), 'r');
  let head: Buffer;
  let e: Entry;
  try {
    const { size } = await file.stat();
    e = { path, size };
    head = Buffer.alloc(Math.min(size, MAX_READ));
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    head = head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
  if (e.size <= MAX_READ) return analyseFile(path, head);
  if (head.subarray(0, 8000).includes(0)) {
    const a = new BlobAnalyser();
    for await (const chunk of createReadStream(join(root, path))) a.chunk(chunk as Buffer);
    return analyseBinary(path, a.facts(), { status: 'present' });
  }
  // A text this large: its first MAX_READ bytes, cut at a line end so no character is split.
  note(path);
  return analyseFile(path, head.subarray(0, head.lastIndexOf(10) + 1));
}

export const contentCheckDefinition: ActionDefinition = {
  name: 'content',
  rules: CONTENT_REGISTRY,
  async run(ctx) {
    const root = ctx.workspace;
    const findings: Finding[] = [];
    const errors: string[] = [];
    const cut: string[] = [];
    let examined = 0;
    const files = walk(root);
    const reader = async () => {
      for (let next = await files.next(); !next.done; next = await files.next()) {
        const path = next.value;
        examined++;
        try {
          findings.push(...(await analysePath(root, path, (p) => cut.push(p))));
        } catch (err) {
          errors.push(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? oneLine(err)})`);
        }
      }
    };
    // The generator hands each path to one reader; READERS files are in memory at most.
    await Promise.all(Array.from({ length: READERS }, reader));
    return {
      rules: CONTENT_REGISTRY.list(),
      findings,
      notChecked: [],
      errors,
      notes: cut.length
        ? [
            `${cut.length} text file(s) larger than ${MAX_READ / 1024 / 1024} MiB: the content rules read the first ${MAX_READ / 1024 / 1024} MiB of each (${cut.slice(0, 3).join(', ')}${cut.length > 3 ? ', …' : ''}).`
          ]
        : [],
      examined,
      stats: { 'files read': examined },
      target: root
    };
  }
};
