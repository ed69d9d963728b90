// A look inside gzip and zip blobs as they stream past: the first tens of KB of each stream or member are
// inflated with node's zlib, and what they hold is named (CSV text, FITS, an executable, a stream that does not
// inflate). Memory stays bounded: at most PEEK bytes of one stream or member are held at a time, and what is
// kept per blob is a few kilobytes (gzip) or a count per kind of member (zip). xz, bzip2, lzma, zstd and 7z are
// not opened: zlib cannot.
import type * as Zlib from 'node:zlib';
import { type Kind, MAGIC, extOf, sniff } from './formats';

/** zlib, loaded on the first compressed blob: most scans meet none, and loading it costs every start 2–4 ms. */
let zlibModule: typeof Zlib | undefined;
const zlib = (): typeof Zlib => (zlibModule ??= process.getBuiltinModule('node:zlib'));

/** Compressed bytes of a gzip stream or a zip member that are kept and inflated. */
const PEEK = 64 * 1024;
/** Inflated bytes enough to name the content (magic, text or not). */
const ENOUGH = 8 * 1024;
/** Inflated bytes kept per gzip blob. */
const KEEP = 4 * 1024;
/** A zip blob up to this size is kept whole while it streams, for its central directory. */
const ZIP_WHOLE = 512 * 1024;
/** A whole stream is inflated to check it only up to this size. */
const WHOLE_MAX = 1024 * 1024;

/** What a stream or member holds: inert data (text, a data format agreeing with its name) or something else. */
export type InnerClass =
  'inert' | 'empty' | 'code' | 'executable' | 'compressed' | 'unknown' | 'corrupt' | 'encrypted' | 'unsupported';
export interface InnerGroup {
  label: string;
  cls: InnerClass;
  count: number;
  /** The first names of members of this kind. */
  names: string[];
}

export type Inside =
  | {
      container: 'gzip';
      /** The name in the gzip header (FNAME), if any. */
      fname?: string;
      /** The first inflated bytes. */
      head: Buffer;
      /** `head` is all the stream holds: it was inflated whole and checked (its CRC and length). */
      all: boolean;
      /** Why the stream did not inflate. */
      error?: string;
    }
  | {
      container: 'zip';
      groups: InnerGroup[];
      count: number;
      /** Every member was reached: the central directory followed the last one. */
      complete: boolean;
      /** Bytes that no member nor the central directory accounts for. */
      outside: boolean;
      /** Why the walk stopped early. */
      stopped?: string;
    };

/** Inflates the start of a deflate (raw) or gzip stream: output of at least ENOUGH bytes when there is that much. */
function inflateStart(data: Buffer, raw: boolean): { out: Buffer; error?: string } {
  let out = Buffer.alloc(0);
  for (const n of [1024, 4096, 16384, PEEK]) {
    const cut = data.subarray(0, Math.min(n, data.length));
    try {
      const opts = { finishFlush: zlib().constants.Z_SYNC_FLUSH, maxOutputLength: WHOLE_MAX };
      out = raw ? zlib().inflateRawSync(cut, opts) : zlib().gunzipSync(cut, opts);
    } catch (e) {
      // More output than we would read is no fault of the stream: keep what the shorter input gave.
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') break;
      return { out, error: (e as Error).message };
    }
    if (out.length >= ENOUGH || cut.length === data.length) break;
  }
  return { out };
}

/** The whole stream inflated and checked; undefined when it is too large to check whole. */
function inflateWhole(data: Buffer, raw: boolean): { out: Buffer; error?: string } | undefined {
  try {
    const opts = { maxOutputLength: WHOLE_MAX };
    return { out: raw ? zlib().inflateRawSync(data, opts) : zlib().gunzipSync(data, opts) };
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    return { out: Buffer.alloc(0), error: (e as Error).message };
  }
}

class GzipPeek {
  private parts: Buffer[] = [];
  private len = 0;
  private total = 0;
  chunk(b: Uint8Array): void {
    this.total += b.length;
    if (this.len < PEEK) {
      const part = Buffer.from(b.subarray(0, PEEK - this.len));
      this.parts.push(part);
      this.len += part.length;
    }
  }
  result(): Inside {
    const data = Buffer.concat(this.parts);
    this.parts = [];
    let fname: string | undefined;
    const flg = data[3] ?? 0;
    if (flg & 0x08) {
      let p = 10;
      if (flg & 0x04) p += 2 + (data.length >= 12 ? data.readUInt16LE(10) : 0);
      const end = data.indexOf(0, p);
      if (end > p) fname = data.toString('latin1', p, end);
    }
    const whole = this.total <= PEEK ? inflateWhole(data, false) : undefined;
    const r = whole ?? inflateStart(data, false);
    return {
      container: 'gzip',
      fname,
      head: Buffer.from(r.out.subarray(0, KEEP)),
      all: !!whole && !r.error && r.out.length <= KEEP,
      error: r.error
    };
  }
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_DESCRIPTOR = 0x08074b50;

interface Member {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compSize: number;
  size: number;
  /** The size is known: the walk can go on to the next member. */
  sized: boolean;
}

/** Walks the local file headers of a zip as it streams: each member's start is inflated and named. */
class ZipWalker {
  private pending: Buffer = Buffer.alloc(0);
  private state: 'header' | 'data' | 'descriptor' | 'done' | 'lost' = 'header';
  private member?: Member;
  private left = 0;
  private data: Buffer[] = [];
  private dataLen = 0;
  private groups = new Map<string, InnerGroup>();
  private count = 0;
  private stopped?: string;
  /** The blob itself while it is at most ZIP_WHOLE bytes: its central directory lists every member. */
  private whole: Buffer[] | null = [];
  /** The central directory leaves bytes out: before, between or after the members. */
  private outside = false;
  private total = 0;
  chunk(b: Uint8Array): void {
    let buf = Buffer.from(b.buffer, b.byteOffset, b.length);
    this.total += buf.length;
    if (this.whole && this.total <= ZIP_WHOLE) this.whole.push(Buffer.from(buf));
    else this.whole = null;
    while (buf.length && this.state !== 'done' && this.state !== 'lost') {
      if (this.state === 'data') {
        const take = this.member!.sized ? Math.min(this.left, buf.length) : buf.length;
        if (this.dataLen < PEEK) {
          const part = Buffer.from(buf.subarray(0, Math.min(take, PEEK - this.dataLen)));
          this.data.push(part);
          this.dataLen += part.length;
        }
        buf = buf.subarray(take);
        if (!this.member!.sized) {
          if (this.dataLen >= PEEK) this.endMember();
          continue;
        }
        this.left -= take;
        if (this.left === 0) this.endMember();
        continue;
      }
      this.pending = Buffer.concat([this.pending, buf]);
      buf = this.parse();
    }
  }
  /** Parses a header or descriptor from `pending`; returns the bytes after it (empty when more are needed). */
  private parse(): Buffer {
    const p = this.pending;
    if (p.length < 4) return Buffer.alloc(0);
    const sig = p.readUInt32LE(0);
    if (this.state === 'descriptor') {
      const n = sig === SIG_DESCRIPTOR ? 16 : 12;
      if (p.length < n) return Buffer.alloc(0);
      this.state = 'header';
      this.pending = Buffer.alloc(0);
      return p.subarray(n);
    }
    if (sig === SIG_CENTRAL || sig === SIG_END) {
      this.state = 'done';
      this.pending = Buffer.alloc(0);
      return Buffer.alloc(0);
    }
    if (sig !== SIG_LOCAL) {
      this.lose(`unexpected bytes after ${this.count} member(s)`);
      return Buffer.alloc(0);
    }
    if (p.length < 30) return Buffer.alloc(0);
    const nameLen = p.readUInt16LE(26);
    const extraLen = p.readUInt16LE(28);
    if (p.length < 30 + nameLen + extraLen) return Buffer.alloc(0);
    const flags = p.readUInt16LE(6);
    let compSize = p.readUInt32LE(18);
    let size = p.readUInt32LE(22);
    const extra = p.subarray(30 + nameLen, 30 + nameLen + extraLen);
    if (compSize === 0xffffffff || size === 0xffffffff) {
      // ZIP64: the sizes are in the extra field 0x0001, uncompressed first, each only where the header says so.
      for (let i = 0; i + 4 <= extra.length;) {
        const id = extra.readUInt16LE(i);
        const len = extra.readUInt16LE(i + 2);
        if (id === 1) {
          let q = i + 4;
          if (size === 0xffffffff && q + 8 <= extra.length) {
            size = Number(extra.readBigUInt64LE(q));
            q += 8;
          }
          if (compSize === 0xffffffff && q + 8 <= extra.length) compSize = Number(extra.readBigUInt64LE(q));
        }
        i += 4 + len;
      }
    }
    const method = p.readUInt16LE(8);
    const sized = !(flags & 0x08 && compSize === 0) && compSize !== 0xffffffff;
    this.member = {
      name: p.toString(flags & 0x800 ? 'utf8' : 'latin1', 30, 30 + nameLen),
      method,
      flags,
      crc: p.readUInt32LE(14),
      compSize,
      size,
      sized
    };
    this.data = [];
    this.dataLen = 0;
    this.left = compSize;
    this.pending = Buffer.alloc(0);
    this.state = 'data';
    const rest = p.subarray(30 + nameLen + extraLen);
    if (sized && compSize === 0) this.endMember();
    return rest;
  }
  private lose(why: string): void {
    this.state = 'lost';
    this.stopped ??= why;
    this.pending = Buffer.alloc(0);
  }
  private add(name: string, label: string, cls: InnerClass): void {
    const key = `${cls}\0${label}`;
    const g = this.groups.get(key) ?? { label, cls, count: 0, names: [] };
    g.count++;
    if (g.names.length < 3) g.names.push(name);
    this.groups.set(key, g);
  }
  private endMember(): void {
    const m = this.member!;
    const data = Buffer.concat(this.data);
    this.data = [];
    this.state = m.flags & 0x08 ? 'descriptor' : 'header';
    if (!m.sized) this.lose(`the sizes of ${m.name} are not in its header`);
    this.judge(m, data);
  }
  /** Names one member from its first compressed bytes (all of them when `data` is as long as its size says). */
  private judge(m: Member, data: Buffer): void {
    const all = m.sized && data.length === m.compSize;
    if (m.name.endsWith('/') && m.size === 0) return; // a directory
    this.count++;
    const add = (label: string, cls: InnerClass) => this.add(m.name, label, cls);
    if (m.flags & 0x01) return add('encrypted member', 'encrypted');
    let out: Buffer;
    if (m.method === 0) {
      out = data;
      if (all && zlib().crc32(out) !== m.crc) return add('member failing its CRC', 'corrupt');
    } else if (m.method === 8) {
      const whole = all && m.size <= WHOLE_MAX ? inflateWhole(data, true) : undefined;
      const r = whole ?? inflateStart(data, true);
      if (r.error) return add('member that does not inflate', 'corrupt');
      if (whole && (whole.out.length !== m.size || zlib().crc32(whole.out) !== m.crc))
        return add('member failing its CRC', 'corrupt');
      out = r.out;
    } else return add(`member compressed with method ${m.method}`, 'unsupported');
    const c = classify(m.name, out.subarray(0, ENOUGH), (all && out.length <= ENOUGH) || m.size === 0);
    add(c.label, c.cls);
  }
  /**
   * Every member from the central directory of a blob held whole, read where its local header says: zips written
   * to a stream (Java's, the Euclid archive's: astroquery@c7eb4b49103d) put their sizes only after the data.
   * Bytes before, between or after the members and the directory are reported.
   */
  private fromCentral(zip: Buffer): boolean {
    const end = zip.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    if (end < 0 || end + 22 > zip.length) return false;
    const entries = zip.readUInt16LE(end + 10);
    const dirSize = zip.readUInt32LE(end + 12);
    const dirAt = zip.readUInt32LE(end + 16);
    if (dirAt + dirSize !== end) return false;
    this.groups.clear();
    this.count = 0;
    let at = dirAt;
    let covered = 0;
    for (let i = 0; i < entries; i++) {
      if (at + 46 > end || zip.readUInt32LE(at) !== SIG_CENTRAL) return false;
      const flags = zip.readUInt16LE(at + 8);
      const nameLen = zip.readUInt16LE(at + 28);
      const m: Member = {
        name: zip.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLen),
        method: zip.readUInt16LE(at + 10),
        flags,
        crc: zip.readUInt32LE(at + 16),
        compSize: zip.readUInt32LE(at + 20),
        size: zip.readUInt32LE(at + 24),
        sized: true
      };
      const local = zip.readUInt32LE(at + 42);
      at += 46 + nameLen + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
      if (local + 30 > dirAt || zip.readUInt32LE(local) !== SIG_LOCAL) return false;
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      if (start + m.compSize > dirAt) return false;
      let span = start + m.compSize - local;
      if (flags & 0x08) span += zip.readUInt32LE(start + m.compSize) === SIG_DESCRIPTOR ? 16 : 12;
      covered += span;
      this.judge(m, zip.subarray(start, start + Math.min(m.compSize, PEEK)));
    }
    this.outside = covered !== dirAt || end + 22 + zip.readUInt16LE(end + 20) !== zip.length;
    return true;
  }
  private centralOf(zip: Buffer): boolean {
    try {
      return this.fromCentral(zip);
    } catch {
      return false; // offsets past the end: not a directory to trust
    }
  }
  result(): Inside {
    if (this.state === 'data' && this.member) this.endMember();
    let complete = this.state === 'done';
    if (this.whole && !complete && this.centralOf(Buffer.concat(this.whole))) {
      complete = true;
      this.stopped = undefined;
    }
    this.whole = null;
    return {
      container: 'zip',
      groups: [...this.groups.values()],
      count: this.count,
      complete,
      outside: this.outside,
      stopped: complete ? undefined : (this.stopped ?? 'the archive ends before its central directory')
    };
  }
}

export interface Peek {
  chunk(b: Uint8Array): void;
  result(): Inside;
}

/** A look inside for a blob starting with `start` (at least 4 bytes), or none for formats zlib cannot open. */
export function peekFor(start: Buffer): Peek | undefined {
  if (start[0] === 0x1f && start[1] === 0x8b && start[2] === 0x08) return new GzipPeek();
  if (start.length >= 4 && start.readUInt32LE(0) === SIG_LOCAL) return new ZipWalker();
  return undefined;
}

// Raster images, for what a member is. The outer file's images are told by file-type, but it has only an
// asynchronous API and members are named synchronously as they stream past, so these six magics are read here.
const IMAGES: [Buffer, Kind][] = [
  [Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), { name: 'PNG image', exts: ['png', 'apng'] }],
  [Buffer.from([0xff, 0xd8, 0xff]), { name: 'JPEG image', exts: ['jpg', 'jpeg', 'jpe', 'jfif'] }],
  [Buffer.from('GIF87a', 'latin1'), { name: 'GIF image', exts: ['gif'] }],
  [Buffer.from('GIF89a', 'latin1'), { name: 'GIF image', exts: ['gif'] }],
  [Buffer.from('II*\x00', 'latin1'), { name: 'TIFF image', exts: ['tif', 'tiff'] }],
  [Buffer.from('MM\x00*', 'latin1'), { name: 'TIFF image', exts: ['tif', 'tiff'] }]
];
const image = (b: Buffer): Kind | undefined => {
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP')
    return { name: 'WebP image', exts: ['webp'] };
  return IMAGES.find(([m]) => b.subarray(0, m.length).equals(m))?.[1];
};

/** Source and scripts: text a build, a shell or an interpreter runs. */
const CODE_EXT = new Set(
  (
    'sh bash zsh ksh csh fish py pyw pyx pxd pyi pl pm rb js mjs cjs ts php lua tcl ps1 psm1 bat cmd vbs ' +
    'c h cc cpp cxx hpp go rs java kt swift m4 ac am in cmake mk make'
  ).split(' ')
);
const CODE_NAME = /(?:^|\/)(?:Makefile|GNUmakefile|configure|CMakeLists\.txt|setup\.py|conftest\.py|meson\.build)$/i;
const TEXT_EXT = new Set('txt csv tsv json xml vot votable dat ascii asc tbl ecsv yaml yml md rst ini cfg'.split(' '));
/** Extensions whose format is known, so content of another format under them is not agreeing with its name. */
const KNOWN = new Set([
  ...MAGIC.flatMap(([, k]) => k.exts),
  ...IMAGES.flatMap(([, k]) => k.exts),
  'webp',
  ...CODE_EXT,
  ...TEXT_EXT
]);

/** UTF-8 text with no NUL and next to no control characters; a cut stream may end in half a character. */
function isText(b: Buffer, cut: boolean): boolean {
  if (!b.length || b.includes(0)) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let ok = false;
  for (let drop = 0; drop <= (cut ? 3 : 0) && !ok; drop++) {
    try {
      decoder.decode(b.subarray(0, b.length - drop));
      ok = true;
    } catch {
      // try without a cut character
    }
  }
  if (!ok) return false;
  let control = 0;
  for (const c of b) if ((c < 0x20 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 0x7f) control++;
  return control <= b.length / 200;
}

function textLabel(text: string): string {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (/^<\?xml|^</.test(t)) return /<VOTABLE\b/i.test(t) ? 'VOTable XML' : 'XML text';
  if (/^[{[]/.test(t)) return 'JSON text';
  const lines = t
    .split(/\r?\n/)
    .slice(0, 6)
    .filter((l) => l.trim());
  for (const [sep, name] of [
    [',', 'CSV text'],
    ['\t', 'TSV text']
  ] as const) {
    const n = lines.map((l) => l.split(sep).length - 1);
    if (lines.length >= 2 && n[0] > 0 && n.slice(0, -1).every((x) => x === n[0])) return name;
  }
  return 'text';
}

/**
 * What the first inflated bytes of a stream or member named `name` are. `complete` says the bytes are all of it.
 * Inert: text that is not source or a script, a data format or raster image whose name agrees (or names no
 * known format), nothing at all.
 */
export function classify(name: string, bytes: Buffer, complete: boolean): { label: string; cls: InnerClass } {
  if (!bytes.length) return complete ? { label: 'empty', cls: 'empty' } : { label: 'nothing inflated', cls: 'unknown' };
  const ext = extOf(name);
  const kind = sniff(bytes);
  if (kind?.exec) return { label: kind.name, cls: 'executable' };
  if (kind?.compressed) return { label: `${kind.name} inside`, cls: 'compressed' };
  if (bytes.subarray(257, 262).toString('latin1') === 'ustar') return { label: 'tar archive', cls: 'compressed' };
  const data = kind ?? image(bytes);
  if (data) {
    const agrees = data.exts.includes(ext) || !KNOWN.has(ext);
    return agrees ? { label: data.name, cls: 'inert' } : { label: `${data.name} named .${ext}`, cls: 'unknown' };
  }
  if (isText(bytes, !complete)) {
    const text = bytes.toString('utf8');
    if (text.startsWith('#!')) return { label: 'script', cls: 'code' };
    if (CODE_EXT.has(ext) || CODE_NAME.test(name)) return { label: `.${ext || name} source`, cls: 'code' };
    return { label: textLabel(text), cls: 'inert' };
  }
  return { label: 'unrecognised binary', cls: 'unknown' };
}

/** How a look inside reads: inert data, an executable, or something else to review. */
export interface InsideVerdict {
  verdict: 'inert' | 'executable' | 'other';
  /** "gzip of CSV text", "zip of 1 FITS file and 1 empty file". */
  text: string;
  /** Every member that is not inert is a pickle (code on load, but no program: judged as a bare pickle is). */
  pickles?: boolean;
}

const plural = (n: number, label: string) => (n === 1 ? `1 ${label} file` : `${n} ${label} files`);

/** What a look inside says of the blob at `path`. */
export function judgeInside(inside: Inside, path: string): InsideVerdict {
  if (inside.container === 'gzip') {
    if (inside.error) return { verdict: 'other', text: `gzip whose stream does not inflate (${inside.error})` };
    const inner = inside.fname ?? path.replace(/\.(?:gz|gzip|z)$/i, '').replace(/\.tgz$/i, '.tar');
    const c = classify(inner, inside.head, inside.all);
    const text = `gzip of ${c.cls === 'empty' ? 'nothing' : c.label}${inside.fname ? ` (${inside.fname})` : ''}`;
    return {
      verdict: c.cls === 'inert' || c.cls === 'empty' ? 'inert' : c.cls === 'executable' ? 'executable' : 'other',
      text,
      pickles: c.label === 'pickle'
    };
  }
  const groups = [...inside.groups].sort((a, b) => b.count - a.count);
  const parts = groups.map((g) => plural(g.count, g.label));
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? 'no file');
  const bad = groups.filter((g) => g.cls !== 'inert' && g.cls !== 'empty');
  const exec = groups.find((g) => g.cls === 'executable');
  const named = bad.length
    ? `; not inert: ${bad
        .flatMap((g) => g.names)
        .slice(0, 3)
        .join(', ')}`
    : '';
  const rest =
    (inside.complete ? '' : `; ${inside.stopped}, so later members were not looked at`) +
    (inside.outside ? '; bytes outside its members' : '');
  const inert = !bad.length && inside.complete && !inside.outside && inside.count > 0;
  return {
    verdict: exec ? 'executable' : inert ? 'inert' : 'other',
    text: `zip of ${list}${named}${rest}`,
    pickles: bad.length > 0 && bad.every((g) => g.label === 'pickle')
  };
}
