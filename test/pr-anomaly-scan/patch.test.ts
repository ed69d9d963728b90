// The patch reader gathers added lines as bytes and decodes each file once: it
// must give what decoding every line on its own gives, however git's output is
// cut into chunks, and keep the per-file cap as stated (characters, each `+` counted).
import { describe, expect, it } from '@jest/globals';
import { LineSplitter, PatchReader, type Section } from '../../actions/pr-anomaly-scan/src/patch';
import type { AddedText } from '../../actions/pr-anomaly-scan/src/types';
import { seeded } from '../helpers/random';

const CAP = 8 * 1024 * 1024;
const LINE = 256 * 1024;

/**
 * Reads `patch` fed in chunks of the given sizes (cycled). `lineByLine` hands every line to the
 * reader alone, never a run of a new file's lines at once: the simple way the fast one must equal.
 */
function read(patch: Buffer, sizes: number[], lineByLine = false, sections: Section[] = []): AddedText[] {
  const files: AddedText[] = [];
  const reader = new PatchReader(
    (f) => files.push(f),
    (s) => sections.push(s)
  );
  const splitter = new LineSplitter(lineByLine ? { line: reader.line } : reader);
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

/** A patch changing each file (two lines deleted), or with `fresh`, adding it (one run of `+` lines). */
function patchOf(files: { path: string; start: number; lines: Buffer[] }[], fresh = false): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const head = `diff --git a/${f.path} b/${f.path}\nindex 1..2 100644\n--- a/${f.path}\n+++ b/${f.path}\n`;
    const hunk = fresh
      ? `@@ -0,0 +${f.start},${f.lines.length} @@\n`
      : `@@ -1,2 +${f.start},${f.lines.length} @@ def f():\n-old line\n-++ old\n`;
    parts.push(Buffer.from(head + hunk));
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
    for (const fresh of [false, true])
      for (const sizes of [[1 << 16], [1], [3, 7, 2], [LINE + 5]])
        expect(simplify(read(patchOf(files, fresh), sizes))).toEqual(expected);
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
      { path: 'big.py', start: 1, lines: [...big, ...fill, Buffer.from('z'.repeat(400_000)), Buffer.from('tail')] },
      // ASCII: bytes and characters pass the cap at the same line.
      { path: 'ascii.py', start: 1, lines: fill.concat(fill.slice(0, 3)) },
      // Exactly the cap, then an empty line past it.
      {
        path: 'edge.py',
        start: 1,
        lines: [...Array.from({ length: 128 }, () => Buffer.alloc(65_535, 'x')), Buffer.alloc(0)]
      }
    ];
    const expected = reference(capped);
    expect(expected[0].truncated).toBe(true);
    expect(expected[1].truncated).toBe(true);
    expect(expected[2].added.length).toBe(128);
    expect(expected[0].added.at(-1)?.text).toBe('tail');
    for (const fresh of [false, true])
      for (const sizes of [[1 << 16], [1 << 22]])
        expect(simplify(read(patchOf(capped, fresh), sizes))).toEqual(expected);
  });

  /** Random patches: new files (one hunk of `+` lines), changed files (hunks of `-` then `+` lines), deleted and binary ones. */
  function randomPatch(rnd: (k: number) => number): Buffer {
    const line = (): Buffer => {
      switch (rnd(16)) {
        case 0:
          return Buffer.alloc(LINE - 2 + rnd(5), 'a'); // about MAX_LINE with its `+`
        case 1:
          return Buffer.alloc(LINE + rnd(LINE), '€'); // cut, maybe in a character
        case 2:
          return Buffer.from([0xe2, 0x82, 0x61, 0xff, 0x80, 0xf0, 0x9f, 0x98]); // invalid UTF-8, a cut character last
        case 3:
          return Buffer.from('\r');
        case 4:
          return Buffer.from('');
        case 5:
          return Buffer.from('++ b/x\r'); // a name line, a `+` line all the same
        default:
          return Buffer.from('x = "é€😀";'.slice(0, rnd(12)).repeat(1 + rnd(9)));
      }
    };
    const lines = (n: number, mark: string) =>
      Array.from({ length: n }, () => Buffer.concat([Buffer.from(mark), line(), Buffer.from('\n')]));
    const parts: Buffer[] = [];
    for (let f = rnd(6); f >= 0; f--) {
      const path = `f${f}${rnd(2) ? 'é' : ''}.txt`;
      const kind = rnd(5);
      parts.push(Buffer.from(`diff --git a/${path} b/${path}\n`));
      if (kind === 0) {
        parts.push(Buffer.from(`new file mode 100644\nindex 0..1\nBinary files /dev/null and b/${path} differ\n`));
        continue;
      }
      const gone = kind === 1;
      parts.push(
        Buffer.from(
          `index 1..2 100644\n--- ${gone ? `a/${path}` : '/dev/null'}\n+++ ${gone ? '/dev/null' : `b/${path}`}\n`
        )
      );
      if (gone || kind === 2) {
        // changed (or deleted): hunks of deleted then added lines
        for (let h = rnd(3); h >= 0; h--) {
          const del = rnd(3);
          const add = gone ? 0 : rnd(12);
          parts.push(
            Buffer.from(`@@ -${h * 10 + 1},${del} +${h * 10 + 1},${add} @@ ctx\n`),
            ...lines(del, '-'),
            // the old side's last line, without a newline
            Buffer.from(del && rnd(4) === 0 ? '\\ No newline at end of file\n' : ''),
            ...lines(add, '+')
          );
        }
      } else {
        const n = rnd(kind === 3 ? 3 : 40);
        parts.push(Buffer.from(`@@ -0,0 +1,${n} @@\n`), ...lines(n, '+'));
      }
      if (rnd(3) === 0) parts.push(Buffer.from('\\ No newline at end of file\n'));
    }
    const patch = Buffer.concat(parts);
    return rnd(4) ? patch : patch.subarray(0, patch.length - 1); // maybe no newline at the very end
  }

  it("takes a hunk's added lines at once as it would one by one, however the patch is cut", () => {
    const rnd = seeded(15);
    for (let i = 0; i < 150; i++) {
      const patch = randomPatch(rnd);
      // Chunks of a few bytes only where that stays cheap: long lines make patches of megabytes.
      const least = patch.length > 1 << 16 ? 1000 : 1;
      const sizes = Array.from({ length: 1 + rnd(4) }, () => least + [rnd(9), rnd(200), rnd(LINE * 2)][rnd(3)]);
      const slow: Section[] = [];
      const fast: Section[] = [];
      const whole = (fs: AddedText[]) =>
        fs.map((f) => ({ ...simplify([f])[0], text: f.text, numbers: [...f.numbers], bytes: f.utf8Bytes }));
      expect(whole(read(patch, sizes, false, fast))).toEqual(whole(read(patch, [patch.length], true, slow)));
      expect(fast).toEqual(slow);
    }
  });
});
