// The patch reader gathers added lines as bytes and decodes each file once: it
// must give what decoding every line on its own gives, however git's output is
// cut into chunks, and keep the per-file cap as stated (characters, each `+` counted).
import { describe, expect, it } from '@jest/globals';
import { LineSplitter, PatchReader } from '../../actions/pr-anomaly-scan/src/patch';
import type { AddedText } from '../../actions/pr-anomaly-scan/src/types';

const CAP = 8 * 1024 * 1024;
const LINE = 256 * 1024;

/** Reads `patch` fed in chunks of the given sizes (cycled). */
function read(patch: Buffer, sizes: number[]): AddedText[] {
  const files: AddedText[] = [];
  const reader = new PatchReader((f) => files.push(f));
  const splitter = new LineSplitter(reader.line);
  for (let at = 0, k = 0; at < patch.length; k++) {
    const n = sizes[k % sizes.length];
    splitter.push(patch.subarray(at, at + n));
    at += n;
  }
  splitter.end();
  reader.end();
  return files;
}

/** The stated rule, line by line: each added line decoded alone, cut at 256 KiB, kept while the file's total fits. */
function reference(files: { path: string; start: number; lines: Buffer[] }[]) {
  return files.map(({ path, start, lines }) => {
    let kept = 0;
    let truncated = false;
    const added: { line: number; text: string; cut?: boolean }[] = [];
    lines.forEach((l, i) => {
      const cut = l.length + 1 > LINE;
      const text = Buffer.concat([Buffer.from('+'), l])
        .subarray(0, LINE)
        .toString('utf8')
        .slice(1);
      if (kept + text.length + 1 <= CAP) {
        added.push(cut ? { line: start + i, text, cut } : { line: start + i, text });
        kept += text.length + 1;
      } else truncated = true;
    });
    return { path, added, truncated };
  });
}

function patchOf(files: { path: string; start: number; lines: Buffer[] }[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const head = `diff --git a/${f.path} b/${f.path}\nindex 1..2 100644\n--- a/${f.path}\n+++ b/${f.path}\n`;
    parts.push(Buffer.from(`${head}@@ -1,2 +${f.start},${f.lines.length} @@ def f():\n-old line\n-++ old\n`));
    for (const l of f.lines) parts.push(Buffer.from('+'), l, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

const simplify = (fs: AddedText[]) => fs.map((f) => ({ path: f.path, added: f.added, truncated: f.addedTruncated }));

describe('patch reader', () => {
  const files = [
    {
      path: 'a.py',
      start: 3,
      lines: ['x = 1', 'é = "café"', '', '+ not a header', '++ b/evil.py', 'σ = 2\r', 'a\u2028b'].map((s) =>
        Buffer.from(s)
      )
    },
    {
      path: 'b.bin.txt',
      start: 40,
      // Invalid UTF-8: a cut sequence at a line end, a lone continuation byte, an overlong form.
      lines: [Buffer.from([0x61, 0xe2, 0x82]), Buffer.from([0x80, 0x62]), Buffer.from([0xc0, 0xaf]), Buffer.from('ok')]
    },
    { path: 'long.js', start: 1, lines: [Buffer.from('€'.repeat(100_000)), Buffer.from('y')] }
  ];

  it('gives each file the added lines decoded alone, whatever the chunking, and a `+++ ` line in a hunk is a line', () => {
    const expected = reference(files);
    expect(expected[0].added.map((l) => l.text)).toContain('++ b/evil.py');
    expect(expected[2].added[0].cut).toBe(true);
    for (const sizes of [[1 << 16], [1], [3, 7, 2], [LINE + 5]])
      expect(simplify(read(patchOf(files), sizes))).toEqual(expected);
  });

  it('hands over the joined text with the lines', () => {
    const [a] = read(patchOf(files.slice(0, 1)), [1 << 16]);
    expect(a.text).toBe(a.added.map((l) => l.text).join('\n'));
  });

  it('keeps the per-file cap in characters: past it, lines that still fit are kept and the file is marked', () => {
    // 3-byte characters: the bytes pass the cap long before the characters do.
    const big = Array.from({ length: 40 }, () => Buffer.from('€'.repeat(70_000)));
    const fill = Array.from({ length: 127 }, () => Buffer.from('x'.repeat(65_000)));
    const capped = [
      { path: 'big.py', start: 1, lines: [...big, ...fill, Buffer.from('z'.repeat(400_000)), Buffer.from('tail')] }
    ];
    const expected = reference(capped);
    expect(expected[0].truncated).toBe(true);
    expect(expected[0].added.at(-1)?.text).toBe('tail');
    expect(simplify(read(patchOf(capped), [1 << 16]))).toEqual(expected);
  });
});
