// Formats by their magic bytes: the data formats common in scientific repositories that generic detectors miss,
// executables and compressors. Shared by the binary rules and the look inside compressed files.

export interface Kind {
  name: string;
  exts: string[];
  exec?: boolean;
  compressed?: boolean;
}

// Formats common in scientific repositories that generic detectors miss, then executables.
export const MAGIC: [RegExp | Buffer, Kind][] = [
  [
    Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'),
    { name: 'HDF5', exts: ['h5', 'hdf5', 'hdf', 'he5', 'nc', 'nc4', 'mat'] }
  ],
  [Buffer.from('\x93NUMPY', 'latin1'), { name: 'NPY', exts: ['npy'] }],
  [Buffer.from('SIMPLE  =', 'latin1'), { name: 'FITS', exts: ['fits', 'fit', 'fts', 'fz'] }],
  [Buffer.from('CDF\x01', 'latin1'), { name: 'netCDF', exts: ['nc', 'cdf'] }],
  [Buffer.from('CDF\x02', 'latin1'), { name: 'netCDF', exts: ['nc', 'cdf'] }],
  [Buffer.from('MATLAB 5.0', 'latin1'), { name: 'MAT', exts: ['mat'] }],
  [Buffer.from('CDF\x05', 'latin1'), { name: 'netCDF', exts: ['nc', 'cdf'] }],
  [Buffer.from('PAR1', 'latin1'), { name: 'Parquet', exts: ['parquet'] }],
  // CERN ROOT (TFile: `root` and its format version), the standard of particle physics (pyhf@7fbbf9c4eb7c).
  [Buffer.from('root\x00', 'latin1'), { name: 'ROOT', exts: ['root'] }],
  [Buffer.from('#ASDF ', 'latin1'), { name: 'ASDF', exts: ['asdf'] }],
  // Arrow IPC files; Feather v2 is one, Feather v1 has its own magic.
  [Buffer.from('ARROW1\x00\x00', 'latin1'), { name: 'Arrow', exts: ['arrow', 'arrows', 'feather', 'ipc'] }],
  [Buffer.from('FEA1', 'latin1'), { name: 'Feather', exts: ['feather'] }],
  [Buffer.from('SR\x00\x04', 'latin1'), { name: 'IDL save', exts: ['sav'] }],
  [Buffer.from('GRIB', 'latin1'), { name: 'GRIB', exts: ['grib', 'grb', 'grib2', 'grb2'] }],
  [Buffer.from('Obj\x01', 'latin1'), { name: 'Avro', exts: ['avro'] }],
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

/** The entry of the table whose magic starts `head`. */
export function sniff(head: Buffer): Kind | undefined {
  for (const [m, k] of MAGIC) {
    if (Buffer.isBuffer(m) ? head.subarray(0, m.length).equals(m) : m.test(head.subarray(0, 8).toString('latin1')))
      return k;
  }
  return undefined;
}

export const extOf = (path: string): string => (/\.([^./]+)$/.exec(path)?.[1] ?? '').toLowerCase();
