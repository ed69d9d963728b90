// What the scan reads from a checkout, and GitIO: the engine's only way to
// read it. main.ts passes git.ts's implementation; tests may pass another.
// A leaf: it imports nothing, so the engine and its rules depend on no
// process-spawning code.

export type Status = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'typechange';

export interface AddedLine {
  line: number;
  text: string;
  /** The line was too long and was cut. */
  cut?: boolean;
}

export interface ChangedFile {
  status: Status;
  path: string;
  oldPath?: string;
  oldMode: string;
  newMode: string;
  oldSha: string;
  newSha: string;
  /** git treats it as binary (its patch says "Binary files … differ"; numstat would show `-`). */
  binary: boolean;
  addedCount: number;
  deletedCount: number;
}

/** The added lines of one file, as the patch stream delivers them. */
export interface AddedText {
  path: string;
  /** The added lines' texts joined by newlines: what most rules search. */
  text: string;
  /** The new-side line number of each added line, in order. */
  numbers: Int32Array;
  /** The added lines as objects, built on first use (few rules walk them line by line). */
  readonly added: readonly AddedLine[];
  /** Lines past the per-file cap were left out. */
  addedTruncated: boolean;
  /** How many UTF-8 bytes `text` was decoded from, when known (the Unicode rule's ASCII test, without a pass). */
  readonly utf8Bytes?: number;
}

/** An AddedText of lines already split (tests, and a file past the per-file cap). */
export function addedText(path: string, added: AddedLine[], addedTruncated = false): AddedText {
  const text = added.map((l) => l.text).join('\n');
  return { path, text, numbers: Int32Array.from(added, (l) => l.line), added, addedTruncated };
}

/** An AddedText of a decoded file: `cuts` are the indexes of lines cut at the line limit. */
export function joinedText(
  path: string,
  text: string,
  numbers: Int32Array,
  cuts: readonly number[],
  utf8Bytes?: number
): AddedText {
  return new JoinedText(path, text, numbers, cuts, utf8Bytes);
}

/**
 * Its getter lives on the prototype: a getter in an object literal is a new function per object, which
 * gives each object a hidden class of its own, kept in the old generation until a full collection, and
 * through it the file's text (the young collections copied every decoded text: 0.4 s of the bench PR).
 */
class JoinedText implements AddedText {
  readonly addedTruncated = false;
  private lines?: AddedLine[];
  constructor(
    readonly path: string,
    readonly text: string,
    readonly numbers: Int32Array,
    private readonly cuts: readonly number[],
    readonly utf8Bytes?: number
  ) {}

  get added(): readonly AddedLine[] {
    if (this.lines) return this.lines;
    const numbers = this.numbers;
    const lines: AddedLine[] = numbers.length
      ? this.text.split('\n').map((t, i) => ({ line: numbers[i], text: t }))
      : [];
    for (const i of this.cuts) lines[i].cut = true;
    return (this.lines = lines);
  }
}

/** Commit metadata of a range: author, committer, message subject, for identity checks. */
export interface CommitInfo {
  sha: string;
  authorName: string;
  authorEmail: string;
  committerName: string;
  committerEmail: string;
  subject: string;
}

/** Where the bytes of one streamed blob go. */
export interface BlobSink {
  chunk(b: Buffer): void;
  end(): void;
}

/**
 * Read-only access to one checkout. Everything that can be large streams
 * (added lines per file, blobs per chunk), so a 100 MB PR is never held in
 * memory. Failures that mean "cannot read the diff" are UserErrors.
 */
export interface GitIO {
  /** The commit a ref names, or a UserError saying why it is not there (`what`: base or head). */
  resolveCommit(ref: string, what: string): Promise<string>;
  /** The commits `head` has and `base` has not (`base..head`, at most `max`); empty when they cannot be listed. */
  listCommits(base: string, head: string, max?: number): Promise<CommitInfo[]>;
  /**
   * What the PR adds: calls `onFile` with the added lines of each text file
   * of `head` against its merge base with `base` (`base...head`) as its part
   * of the patch ends, and resolves with every changed file: status, modes,
   * blob ids, and line counts and binary flags from the same patch. A UserError
   * when the two have no common ancestor. `asText`: only these paths, as text
   * whatever `.gitattributes` says.
   */
  diff(base: string, head: string, onFile: (f: AddedText) => void, asText?: string[]): Promise<ChangedFile[]>;
  /** Whole text of the blobs up to `maxBytes`, keyed by id; larger ones and null ids are left out. */
  readTexts(shas: string[], maxBytes: number): Promise<Map<string, string>>;
  /** Sizes of blobs, without reading them. */
  blobSizes(shas: string[]): Promise<Map<string, number>>;
  /** Streams each blob to the sink `open` returns for it (undefined: skip it). */
  streamBlobs(shas: string[], open: (sha: string, size: number) => BlobSink | undefined): Promise<void>;
  /** A file's text at a commit, or undefined when it does not exist there. */
  readFileAt(commit: string, path: string): Promise<string | undefined>;
  /** The files directly in a directory at a commit (path and blob id); none when it is not there. */
  listFiles(commit: string, dir: string): Promise<{ path: string; sha: string }[]>;
}

/** The all-zero blob id git gives the missing side of an added or deleted file. */
export const isNullSha = (s: string): boolean => /^0+$/.test(s);
