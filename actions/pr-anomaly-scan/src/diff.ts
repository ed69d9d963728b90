// Reads `git diff --raw -z -p -U0` as one stream: git's file list first (NUL-separated, ended by an empty
// entry), then the patch. Each section of the patch is matched by its names to its entry of the list, which
// takes the section's line counts and binary flag: what `--numstat` gave, without git diffing every file twice.
import { UserError } from '@security-actions/core';
import { LineSplitter, PatchReader, type Section, unquotePath } from './patch';
import type { AddedText, ChangedFile, Status } from './types';

const STATUS: Record<string, Status> = { A: 'added', D: 'deleted', R: 'renamed', C: 'copied', T: 'typechange' };

/** The entries of a `--raw -z` list (`:old new oldSha newSha status`, then one path, or two for a rename or copy). */
export function parseRaw(raw: string): ChangedFile[] {
  const tokens = raw.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < tokens.length && tokens[i].startsWith(':');) {
    const [oldMode, newMode, oldSha, newSha, st] = tokens[i].slice(1).split(' ');
    const two = st[0] === 'R' || st[0] === 'C';
    const oldPath = tokens[i + 1];
    const path = two ? tokens[i + 2] : oldPath;
    i += two ? 3 : 2;
    const status = STATUS[st[0]] ?? 'modified';
    files.push({
      status,
      path,
      oldPath: two ? oldPath : undefined,
      oldMode,
      newMode,
      oldSha,
      newSha,
      binary: false,
      addedCount: 0,
      deletedCount: 0
    });
  }
  return files;
}

const kind = (mode: string) => parseInt(mode, 8) & 0o170000;
/** git splits a change between file, symlink and submodule into two sections, a deletion and a creation. */
const sectionsOf = (f: ChangedFile) =>
  kind(f.oldMode) && kind(f.newMode) && kind(f.oldMode) !== kind(f.newMode) ? 2 : 1;

/** One name of a `diff --git` header at the start of `s`: quoted (`"a/caf\303\251"`) or exactly `expected`. */
function takeName(s: string, expected: string, last: boolean): string | undefined {
  if (!s.startsWith('"'))
    return (last ? s === expected : s.startsWith(`${expected} `)) ? s.slice(expected.length) : undefined;
  let i = 1;
  while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
  return unquotePath(s.slice(0, i + 1)) === expected ? s.slice(i + 1) : undefined;
}

/** The section header names `a/<old>` and `b/<new>` (names with spaces are not quoted, so the list's names decide). */
export function headerNames(header: string, f: ChangedFile): boolean {
  const rest = takeName(header.slice('diff --git '.length), `a/${f.oldPath ?? f.path}`, false);
  return rest?.startsWith(' ') === true && takeName(rest.slice(1), `b/${f.path}`, true) === '';
}

const ENDS_LIST = Buffer.from([0, 0]);

/** Streams one `git diff --raw -z -p` output: added lines to `onFile` as each file ends; `end()` gives the list. */
export class DiffReader {
  private raw: Buffer[] = [];
  private rawEndsToken = false;
  private files?: ChangedFile[];
  private readonly patch: PatchReader;
  private readonly splitter: LineSplitter;
  private entry = -1;
  private seen = 0;
  private mismatch?: string;

  constructor(onFile: (f: AddedText) => void) {
    this.patch = new PatchReader(onFile, (s) => this.section(s));
    this.splitter = new LineSplitter(this.patch);
  }

  push(b: Buffer): void {
    if (this.files) return this.splitter.push(b);
    if (!b.length) return;
    // The list ends with an empty entry: a NUL right after the NUL that ends the last name (maybe the last chunk's).
    const boundary = this.rawEndsToken && b[0] === 0;
    const at = boundary ? -1 : b.indexOf(ENDS_LIST);
    if (!boundary && at < 0) {
      this.raw.push(b);
      this.rawEndsToken = b[b.length - 1] === 0;
      return;
    }
    this.raw.push(b.subarray(0, at + 1));
    this.files = parseRaw(Buffer.concat(this.raw).toString('utf8'));
    this.raw = [];
    this.splitter.push(b.subarray(at + 2));
  }

  /** Every changed file with its counts; throws when the patch does not match the list. */
  end(): ChangedFile[] {
    this.splitter.end();
    this.patch.end();
    const files = this.files ?? [];
    if (!this.files && this.raw.some((b) => b.length)) this.mismatch ??= 'the file list is not terminated';
    const at = files[this.entry];
    const missing = at && this.seen < sectionsOf(at) ? at : files[this.entry + 1];
    if (missing) this.mismatch ??= `no patch for ${missing.path}`;
    if (this.mismatch) throw new UserError(`git diff: the patch does not match the file list (${this.mismatch})`);
    return files;
  }

  private section(s: Section): void {
    if (this.mismatch) return;
    const files = this.files ?? [];
    let f = files[this.entry];
    if (f && this.seen < sectionsOf(f) && headerNames(s.header, f)) this.seen++;
    else {
      f = files[++this.entry];
      this.seen = 1;
      if (!f || !headerNames(s.header, f)) {
        this.mismatch = `'${s.header}' where ${f ? `'${f.path}'` : 'no file'} was listed`;
        return;
      }
    }
    f.addedCount += s.added;
    f.deletedCount += s.deleted;
    f.binary ||= s.binary;
  }
}
