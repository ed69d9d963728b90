// Opaque content: what a binary file is (magic bytes), how random it looks
// (entropy) and where it sits. Blobs are streamed, so a 1 GB file costs a
// histogram, not a gigabyte.
import { createHash } from 'node:crypto';
import { type Finding, type Rule, createFinding } from '@security-actions/core';
import type { ChangedFile } from './types';
import { RULES as R } from './rules';

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
}

export class BlobAnalyser {
  private hash = createHash('sha256');
  private counts = new Float64Array(256);
  private sampled = 0;
  private headParts: Buffer[] = [];
  private headLen = 0;
  private size = 0;
  chunk(b: Buffer): void {
    this.size += b.length;
    this.hash.update(b);
    if (this.headLen < HEAD) {
      const part = b.subarray(0, HEAD - this.headLen);
      this.headParts.push(Buffer.from(part));
      this.headLen += part.length;
    }
    const n = Math.min(b.length, ENTROPY_BYTES - this.sampled);
    for (let i = 0; i < n; i++) this.counts[b[i]]++;
    this.sampled += n;
  }
  facts(): BlobFacts {
    let entropy = 0;
    for (const c of this.counts) {
      if (c) {
        const p = c / this.sampled;
        entropy -= p * Math.log2(p);
      }
    }
    const head = Buffer.concat(this.headParts);
    return { size: this.size, sha256: this.hash.digest('hex'), head, entropy, hasNul: head.includes(0) };
  }
}

interface Kind {
  name: string;
  exts: string[];
  exec?: boolean;
  compressed?: boolean;
}

// Formats common in scientific repositories that generic detectors miss, then executables.
const MAGIC: [RegExp | Buffer, Kind][] = [
  [
    Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'),
    { name: 'HDF5', exts: ['h5', 'hdf5', 'hdf', 'he5', 'nc', 'nc4', 'mat'] }
  ],
  [Buffer.from('\x93NUMPY', 'latin1'), { name: 'NPY', exts: ['npy'] }],
  [Buffer.from('SIMPLE  =', 'latin1'), { name: 'FITS', exts: ['fits', 'fit', 'fts', 'fz'] }],
  [Buffer.from('CDF\x01', 'latin1'), { name: 'netCDF', exts: ['nc', 'cdf'] }],
  [Buffer.from('CDF\x02', 'latin1'), { name: 'netCDF', exts: ['nc', 'cdf'] }],
  [Buffer.from('MATLAB 5.0', 'latin1'), { name: 'MAT', exts: ['mat'] }],
  [Buffer.from('PAR1', 'latin1'), { name: 'Parquet', exts: ['parquet'] }],
  [Buffer.from('\x7fELF', 'latin1'), { name: 'ELF executable', exts: ['so', 'o'], exec: true }],
  [Buffer.from('MZ', 'latin1'), { name: 'Windows executable', exts: ['exe', 'dll', 'pyd'], exec: true }],
  [Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), { name: 'Mach-O', exts: ['dylib', 'so'], exec: true }],
  [Buffer.from([0xca, 0xfe, 0xba, 0xbe]), { name: 'Mach-O/Java class', exts: ['class', 'dylib'], exec: true }],
  [/^\x80[\x02-\x05]/, { name: 'pickle', exts: ['pkl', 'pickle', 'joblib', 'p'], exec: true }],
  [Buffer.from('\xfd7zXZ\x00', 'latin1'), { name: 'xz', exts: ['xz', 'txz'], compressed: true }],
  [Buffer.from([0x5d, 0x00, 0x00]), { name: 'lzma', exts: ['lzma'], compressed: true }],
  [Buffer.from([0x1f, 0x8b]), { name: 'gzip', exts: ['gz', 'tgz'], compressed: true }],
  [Buffer.from('BZh', 'latin1'), { name: 'bzip2', exts: ['bz2', 'tbz2'], compressed: true }],
  [Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), { name: 'zstd', exts: ['zst'], compressed: true }],
  [Buffer.from('7z\xbc\xaf\x27\x1c', 'latin1'), { name: '7z', exts: ['7z'], compressed: true }],
  [
    Buffer.from('PK\x03\x04', 'latin1'),
    { name: 'zip', exts: ['zip', 'whl', 'jar', 'npz', 'docx', 'xlsx', 'pptx', 'odt', 'egg', 'nupkg'], compressed: true }
  ]
];
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
  for (const [m, k] of MAGIC) {
    if (Buffer.isBuffer(m) ? head.subarray(0, m.length).equals(m) : m.test(head.subarray(0, 8).toString('latin1')))
      return k;
  }
  const { fileTypeFromBuffer } = await import('file-type');
  const t = await fileTypeFromBuffer(new Uint8Array(head)).catch(() => undefined);
  if (!t) return undefined;
  const ext = t.ext as string;
  return { name: t.mime, exts: ext === 'jpg' ? ['jpg', 'jpeg'] : ext === 'tif' ? ['tif', 'tiff'] : [ext] };
}

const TESTS = /(^|\/)(tests?|testing|test_?data|fixtures?|data|testfiles|files)\//i;

export interface BinaryInput {
  file: ChangedFile;
  facts: BlobFacts;
  oldSize?: number;
}

export async function scanBinary({ file, facts, oldSize }: BinaryInput): Promise<Finding[]> {
  const path = file.path;
  const ext = (/\.([^./]+)$/.exec(path)?.[1] ?? '').toLowerCase();
  const kind = await detect(facts.head);
  const inTests = TESTS.test(path);
  const sizeText =
    oldSize !== undefined && file.status !== 'added' ? `${oldSize} → ${facts.size} bytes` : `${facts.size} bytes`;
  const properties = {
    size: facts.size,
    oldSize,
    entropy: Number(facts.entropy.toFixed(2)),
    format: kind?.name ?? 'unknown',
    contentSha256: facts.sha256,
    status: file.status
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

  const mismatch = kind && ext && !kind.exts.includes(ext) && !(kind.compressed && COMPRESSED_EXT.has(ext));
  if (kind?.exec)
    return [
      make(R.BIN_EXECUTABLE, `${kind.name} ${file.status}${mismatch ? ` with extension .${ext}` : ''}.`, {
        severity: 'high'
      })
    ];
  if (mismatch)
    return [
      make(R.BIN_OPAQUE, `Content is ${kind!.name} but the extension is .${ext || '(none)'}.`, { severity: 'high' })
    ];
  if (kind?.compressed && !CONTAINER_FINE.has(ext) && inTests) {
    return [make(R.BIN_ARCHIVE_TESTS, `${kind.name} data ${file.status} under a test/data folder.`)];
  }
  if (!kind) {
    // Unknown format: high entropy means compressed or encrypted content that no tool in the repo will explain.
    const random = facts.entropy > 7.5 && facts.size > 256;
    if (random || COMPRESSED_EXT.has(ext)) {
      return [
        make(
          inTests ? R.BIN_ARCHIVE_TESTS : R.BIN_OPAQUE,
          `Unrecognised binary (${random ? 'compressed or encrypted-looking' : 'unknown format'}) ${file.status}.`,
          { severity: random ? 'high' : 'medium' }
        )
      ];
    }
    if (facts.size > 1024 * 1024 || !inTests)
      return [make(R.BIN_OPAQUE, `Unrecognised binary ${file.status}.`, { severity: 'low', confidence: 'medium' })];
  }
  return [];
}
