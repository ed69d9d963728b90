// Opaque binaries: what a file is (magic bytes), how random it looks, and
// whether it is a change (PR) or inventory (tree).
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
