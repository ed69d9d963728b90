// Opaque content: what a binary file is (magic bytes), how random it looks
// (entropy) and where it sits. Blobs are streamed, so a 1 GB file costs a
// histogram, not a gigabyte.
import { createHash } from 'node:crypto';
import { type Finding, type Rule, createFinding } from '../findings';
import { type Severity, rank } from '../severity';
import { defineRules } from '../rules';
import { REFS } from './refs';
import { type Kind, MAGIC, extOf, sniff } from './formats';
import { type Inside, type Peek, judgeInside, peekFor } from './inside';

export const BINARY_RULES = defineRules({
  OPAQUE: {
    id: 'binary/opaque-file',
    title: 'Opaque binary file added or changed',
    severity: 'medium',
    why: 'Reviewers cannot read binaries; the xz backdoor payload hid in "corrupt" test files.',
    remediation: 'Ask for the script that generates the file, regenerate it, and compare hashes.',
    spec: ['S8-16'],
    references: [REFS.XZ],
    pathIgnorable: false
  },
  EXECUTABLE: {
    id: 'binary/executable',
    title: 'Executable or loadable binary added',
    severity: 'high',
    why: 'A compiled executable, shared library or pickle runs code when loaded, and cannot be reviewed.',
    remediation: 'Build it from source in CI instead; replace pickles with a data format (NPY, HDF5, JSON).',
    spec: ['S8-16'],
    pathIgnorable: false
  },
  ARCHIVE_TESTS: {
    id: 'binary/compressed-test-data',
    title: 'Compressed archive or blob under tests',
    severity: 'medium',
    why: "Compressed test fixtures can carry anything; xz's payload was in `tests/files/*.xz`.",
    remediation: 'Ask how the fixture was generated and regenerate it yourself.',
    spec: ['S8-16'],
    references: [REFS.XZ],
    pathIgnorable: false
  },
  ONLY: {
    id: 'binary/binary-only-change',
    title: 'Binary files changed with no text change',
    severity: 'high',
    why: 'Replacing test fixtures without touching any code or test is how the xz payload was updated (5.6.1).',
    remediation: 'Require the generator script and a reason in the PR; regenerate the files.',
    spec: ['S8-16'],
    references: [REFS.XZ],
    pathIgnorable: false
  }
});
const R = BINARY_RULES;

/** Bytes kept from the start of each blob: magic detection needs 4100, git's binary test looks at 8000. */
const HEAD = 8000;
/** Entropy is measured on the first 16 MiB; enough to tell text-like from compressed. */
const ENTROPY_BYTES = 16 * 1024 * 1024;

export interface BlobFacts {
  size: number;
  sha256: string;
  head: Buffer;
  /** Shannon entropy in bits per byte over the sampled bytes. */
  entropy: number;
  /** Contains a NUL in the first 8000 bytes (git's own binary test). */
  hasNul: boolean;
  /** What a gzip or zip blob holds, from the first tens of KB of each stream or member (`inside.ts`). */
  inside?: Inside;
}

export class BlobAnalyser {
  private hash = createHash('sha256');
  private counts = new Float64Array(256);
  private sampled = 0;
  private headParts: Buffer[] = [];
  private headLen = 0;
  private size = 0;
  private done?: BlobFacts;
  /** The look inside, decided once the first 4 bytes are known (null: none). */
  private peek?: Peek | null;
  chunk(b: Uint8Array): void {
    this.size += b.length;
    this.hash.update(b);
    if (this.peek === undefined && this.headLen + b.length >= 4) {
      const seen = Buffer.concat(this.headParts);
      this.peek = peekFor(Buffer.concat([seen, b.subarray(0, 4)])) ?? null;
      if (this.peek && seen.length) this.peek.chunk(seen);
    }
    this.peek?.chunk(b);
    if (this.headLen < HEAD) {
      const part = b.subarray(0, HEAD - this.headLen);
      this.headParts.push(Buffer.from(part));
      this.headLen += part.length;
    }
    const n = Math.min(b.length, ENTROPY_BYTES - this.sampled);
    for (let i = 0; i < n; i++) this.counts[b[i]]++;
    this.sampled += n;
  }
  /** The facts of everything chunked so far (the digest is final: later chunks are an error). */
  facts(): BlobFacts {
    if (this.done) return this.done;
    let entropy = 0;
    for (const c of this.counts) {
      if (c) {
        const p = c / this.sampled;
        entropy -= p * Math.log2(p);
      }
    }
    const head = Buffer.concat(this.headParts);
    let inside: Inside | undefined;
    try {
      inside = this.peek?.result();
    } catch {
      // A container too damaged to walk is one not looked into: judged as before.
    }
    this.done = { size: this.size, sha256: this.hash.digest('hex'), head, entropy, hasNul: head.includes(0), inside };
    this.peek = null;
    return this.done;
  }
}

/** Facts of a whole buffer at once (tree mode reads files whole). */
export function blobFacts(bytes: Uint8Array): BlobFacts {
  const a = new BlobAnalyser();
  a.chunk(bytes);
  return a.facts();
}

const COMPRESSED_EXT = new Set([
  'xz',
  'lzma',
  'gz',
  'tgz',
  'bz2',
  'zst',
  '7z',
  'zip',
  'rar',
  'tar',
  'z',
  'lz',
  'lz4',
  'br'
]);
const CONTAINER_FINE = new Set(['npz', 'whl', 'docx', 'xlsx', 'pptx', 'odt', 'jar']);

async function detect(head: Buffer): Promise<Kind | undefined> {
  const known = sniff(head);
  if (known) return known;
  const { fileTypeFromBuffer } = await import('file-type');
  const t = await fileTypeFromBuffer(new Uint8Array(head)).catch(() => undefined);
  if (!t) return undefined;
  const ext = (t.ext as string).toLowerCase();
  return { name: t.mime, exts: ext === 'jpg' ? ['jpg', 'jpeg'] : ext === 'tif' ? ['tif', 'tiff'] : [ext] };
}

/**
 * Extensions whose format is known, so content of another format is a
 * disguise. Containers that scientific formats build on (MINC is netCDF or
 * HDF5, GeoPackage is SQLite, OpenDocument is zip) have extensions outside
 * this set and are not judged.
 */
const KNOWN_EXT = new Set([
  ...MAGIC.flatMap(([, k]) => k.exts),
  ...[
    'png',
    'jpg',
    'jpeg',
    'gif',
    'bmp',
    'tif',
    'tiff',
    'webp',
    'pdf',
    'wav',
    'mp3',
    'mp4',
    'npy',
    'txt',
    'csv',
    'json',
    'py',
    'js'
  ]
]);
/** Formats an extension may legitimately hold besides its own (an .ico may embed a PNG). */
const ALSO = new Map<string, string[]>([['ico', ['image/png']]]);

/**
 * Raster images made to be shown: screenshots, figures, icons. Their bytes go to an image decoder, never
 * into code, so one regenerated or one saved in another image format is inventory, not a disguise. TIFF is
 * left out: in scientific repositories it is a data container (multi-page, any sample format) that the
 * project's own code reads.
 */
const RASTER_EXT = new Set([
  'png',
  'apng',
  'jpg',
  'jpeg',
  'jpe',
  'jfif',
  'gif',
  'webp',
  'bmp',
  'dib',
  'ico',
  'cur',
  'avif'
]);
const RASTER_FORMAT = /^image\/(?:png|apng|jpeg|gif|webp|bmp|x-ms-bmp|x-icon|vnd\.microsoft\.icon|avif)$/;
const isRaster = (kind: Kind | undefined, ext: string): boolean =>
  kind !== undefined && RASTER_FORMAT.test(kind.name) && RASTER_EXT.has(ext);

/**
 * The file is a raster image by its magic bytes (PNG, JPEG, GIF, WebP, BMP, ICO, AVIF) and its extension names a
 * raster image format (not necessarily the same one: a WebP saved as `.png` is still an image).
 */
export async function isRasterImage(path: string, head: Buffer): Promise<boolean> {
  const ext = extOf(path);
  return RASTER_EXT.has(ext) && isRaster(await detect(head), ext);
}

const TESTS = /(^|\/)(tests?|testing|test_?data|fixtures?|data|testfiles|files)\//i;

export interface BinaryInfo {
  /** `added`, `modified`, ... as the diff says; tree mode passes `present`. */
  status: string;
  /** Size before the change, for modified files. */
  oldSize?: number;
  /** The content was in the repository before (a rename or copy of the same blob): not new bytes. */
  unchanged?: boolean;
}

/** Findings for one binary file from its facts: executables, disguised formats, compressed test data, opaque blobs. */
export async function analyseBinary(path: string, facts: BlobFacts, info: BinaryInfo): Promise<Finding[]> {
  const ext = extOf(path);
  const kind = await detect(facts.head);
  const inTests = TESTS.test(path);
  const { status, oldSize } = info;
  const sizeText =
    oldSize !== undefined && status !== 'added' ? `${oldSize} → ${facts.size} bytes` : `${facts.size} bytes`;
  const properties: Record<string, unknown> = {
    size: facts.size,
    oldSize,
    entropy: Number(facts.entropy.toFixed(2)),
    format: kind?.name ?? 'unknown',
    contentSha256: facts.sha256,
    status
  };
  const make = (rule: Rule, message: string, extra: Partial<Pick<Finding, 'severity' | 'confidence'>> = {}) =>
    createFinding(rule, {
      message,
      location: { file: path },
      evidence: `${kind?.name ?? 'unknown format'}, ${sizeText}, entropy ${facts.entropy.toFixed(2)} bits/byte`,
      key: facts.sha256,
      properties,
      ...extra
    });

  const mismatch =
    kind &&
    KNOWN_EXT.has(ext) &&
    !kind.exts.includes(ext) &&
    !(kind.compressed && COMPRESSED_EXT.has(ext)) &&
    !ALSO.get(ext)?.includes(kind.name);
  // A file already in the tree, or moved without a byte changed (xarray@f3c5fd3569e5 renamed its test data
  // folder), is inventory, not a change: at most medium, and test data low.
  const tree = status === 'present' || info.unchanged === true;
  const cap = (s: Severity): Severity => (tree && rank(s) > rank('medium') ? 'medium' : s);
  if (kind?.exec)
    return [
      make(R.EXECUTABLE, `${kind.name} ${status}${mismatch ? ` with extension .${ext}` : ''}.`, {
        severity: tree && kind.name === 'pickle' && inTests ? 'low' : cap('high')
      })
    ];
  // One raster image format inside another's extension (sunpy@061c4f4b67ad: a WebP saved as .png) is a mislabel,
  // not a disguise: image viewers and browsers decode it by its magic, and nothing turns it into code.
  if (mismatch && isRaster(kind, ext))
    return [
      make(
        R.OPAQUE,
        `Content is ${kind!.name} but the extension is .${ext}: one raster image format under another's name.`,
        { severity: tree ? 'low' : 'medium' }
      )
    ];
  if (mismatch)
    return [make(R.OPAQUE, `Content is ${kind!.name} but the extension is .${ext}.`, { severity: cap('high') })];
  if (kind?.compressed && !CONTAINER_FINE.has(ext) && inTests) {
    // gzip and zip are looked into: text and data formats agreeing with their names are inert data in a
    // transparent container (astroquery's zipped FITS, a gzip of a VOTable beside it, arviz's gzipped CSV traces);
    // a stream that does not inflate, an executable, nested compression, source or an unknown binary are not.
    // What zlib cannot open (xz, lzma, bzip2, zstd, 7z: xz's own payload) is judged as before.
    const look = facts.inside ? judgeInside(facts.inside, path) : undefined;
    if (look) properties.inside = look.text;
    // A pickle inside, as a bare pickle above: in a tree, test data the project already loads (numpy's gzipped
    // generator states), low; added by a change, code that runs on load.
    const pickled = tree && look?.verdict === 'executable' && look.pickles === true;
    const severity: Severity | undefined =
      look?.verdict === 'inert' || pickled
        ? 'low'
        : look?.verdict === 'executable'
          ? cap('high')
          : tree
            ? 'low'
            : undefined;
    const what = !look
      ? ' (not looked into: only gzip and zip are opened).'
      : look.verdict === 'inert'
        ? `: ${look.text}, inert data in a container that was opened.`
        : `: ${look.text}.`;
    return [make(R.ARCHIVE_TESTS, `${kind.name} data ${status} under a test/data folder${what}`, { severity })];
  }
  if (!kind) {
    // Unknown format: high entropy means compressed or encrypted content that no tool in the repo will explain.
    const random = facts.entropy > 7.5 && facts.size > 256;
    if (random || COMPRESSED_EXT.has(ext)) {
      return [
        make(
          inTests ? R.ARCHIVE_TESTS : R.OPAQUE,
          `Unrecognised binary (${random ? 'compressed, encrypted or raw numeric data' : 'unknown format'}) ${status}.`,
          { severity: tree ? 'low' : random ? 'high' : 'medium' }
        )
      ];
    }
    if (facts.size > 1024 * 1024 || !inTests)
      return [make(R.OPAQUE, `Unrecognised binary ${status}.`, { severity: 'low', confidence: 'medium' })];
  }
  return [];
}

export interface ChangedBinary {
  path: string;
  status: string;
  /** The new blob id, for the finding's fingerprint. */
  sha: string;
  /** SHA-256 of the content, for the content-hash allowlist. */
  sha256?: string;
  /** A raster image in a raster image extension (`isRasterImage`); unknown counts as no. */
  raster?: boolean;
}

/**
 * The xz 5.6.1 shape: binaries added or modified and no text line changed anywhere in the change. When every
 * one is a raster image (regenerated screenshots: jupyter/notebook@ef403e714ae5's Playwright snapshots) it
 * stays, at low, as inventory: an image goes to a decoder, while xz's payload was compressed data and a build
 * script that already read it.
 */
export function binaryOnlyChange(changed: ChangedBinary[], textChanged: boolean): Finding[] {
  const touched = changed.filter((f) => f.status === 'modified' || f.status === 'added');
  if (!touched.length || textChanged) return [];
  const modified = touched.some((f) => f.status === 'modified');
  const images = touched.every((f) => f.raster === true);
  const names = touched.slice(0, 5).map((f) => f.path);
  return [
    createFinding(R.ONLY, {
      message: `${touched.length} binary file(s) ${modified ? 'changed' : 'added'} and no text line changed: ${names.join(', ')}.${images ? ' Every one is a raster image whose content matches an image extension (screenshots, figures).' : ''}`,
      location: { file: touched[0].path },
      evidence: names.join(', '),
      severity: images ? 'low' : modified ? 'high' : 'medium',
      key: touched.map((f) => f.sha).join(','),
      properties: { contentSha256: touched[0].sha256, rasterImagesOnly: images }
    })
  ];
}
