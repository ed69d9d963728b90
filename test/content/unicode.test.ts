// Unicode rules: Trojan Source controls, invisible characters and look-alike
// letters, judged by where they sit (code, string, comment, documentation).
import { describe, expect, it } from '@jest/globals';
import { expectFires, expectQuiet } from '../helpers/rules';
import { added, file, severities } from './helpers';
import { hitsFrom, judgeLine, lineHit, unicodeHits } from '../../packages/core/src/content/unicode';
import { newScan } from '../../packages/core/src/content/scan';
import { Text } from '../../packages/core/src/content/source';
import { piecesText, seeded } from '../helpers/random';

describe('unicode/bidi-control', () => {
  it('fires on a Trojan Source override in code', () => {
    const f = added('src/pkg/auth.py', 'if level != "user\u202e \u2066# check admin\u2069 \u2066":\n    return True');
    expectFires(f, 'unicode/bidi-control', 1);
    expect(severities(f, 'unicode/bidi-control')).toEqual(['high']);
  });

  it('is quiet on right-to-left text that carries its own marks', () => {
    const found1 = added('docs/ar/index.md', 'مرحبا بكم في pkg\u200f. هذا هو التوثيق.');
    expectQuiet(found1, 'unicode/bidi-control');
  });

  it('is low in a translation of right-to-left text, medium in other prose, high in code', () => {
    // pypi/warehouse@6b62157124ab7865029afeeadf282bce27d601d9, warehouse/locale/he/LC_MESSAGES/messages.po:12288
    const he = '"ה-PSF מוכר על ידי ה-IRS כארגון ללא מטרות רווח לפי סעיף\u202d 501(c)(3) \u202cבחוקי "';
    expect(severities(file('warehouse/locale/he/LC_MESSAGES/messages.po', he), 'unicode/bidi-control')).toEqual([
      'low'
    ]);
    expect(severities(added('docs/usage.md', 'Run `pkg check`\u202e to see'), 'unicode/bidi-control')).toEqual([
      'medium'
    ]);
    expect(severities(added('src/pkg/i18n.py', `MSG = ${he}`), 'unicode/bidi-control')).toEqual(['high']);
  });

  it('keeps a direction mark inside a string at low (a menu title, napari)', () => {
    expect(severities(file('src/napari/_help.py', "title='\u200enapari Info',"), 'unicode/bidi-control')).toEqual([
      'low'
    ]);
  });
});

describe('unicode/invisible-character', () => {
  it('fires high on a zero-width space in an identifier', () => {
    const f = added('src/pkg/check.py', 'def is_ad\u200bmin():\n    return True');
    expectFires(f, 'unicode/invisible-character', 1);
    expect(severities(f, 'unicode/invisible-character')).toEqual(['high']);
  });

  it('fires high on a run of variation selectors hiding data in a string (GlassWorm)', () => {
    const payload = '\ufe01\ufe02\ufe03\ufe04\ufe05';
    expect(severities(added('src/index.js', `const s = "x${payload}";`), 'unicode/invisible-character')).toEqual([
      'high'
    ]);
  });

  it('keeps a single invisible character in a string or a docstring at low', () => {
    expect(
      severities(file('sympy/parsing/named.py', '    "DiscretionaryHyphen":"\u00ad",'), 'unicode/invisible-character')
    ).toEqual(['low']);
    expect(
      severities(file('sunpy/net/attr.py', '"""\nlevels \u00ad- the first being\n"""'), 'unicode/invisible-character')
    ).toEqual(['low']);
  });

  it('does not flag a no-break space in a Dependabot version comment (issue 13)', () => {
    const wf = '    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 #\u00a0v4.2.2\n';
    const found2 = added('.github/workflows/ci.yml', wf);
    expectQuiet(found2, 'unicode/invisible-character');
  });

  it('still flags a no-break space between code tokens, at medium', () => {
    expect(
      severities(added('src/index.js', 'if (user === "admin"\u00a0&& ok) {}'), 'unicode/invisible-character')
    ).toEqual(['medium']);
    expect(severities(added('src/index.js', 'return\u00a0evil'), 'unicode/invisible-character')).toEqual(['medium']);
  });

  it('does not flag a no-break space in data or in a sentence (astroquery@003f17700983, a VOTable description)', () => {
    const vot =
      '<DESCRIPTION>\n    observations (code\u00a0&gt;0)\n    defined to be positive, i.e.\u00a0never zero (except\n';
    expectQuiet(added('astroquery/utils/tap/model/tests/data/result_1.vot', vot), 'unicode/invisible-character');
    // A file kind nobody listed: a line of words is a sentence.
    const notes = 'defined to be positive, i.e.\u00a0never zero except in the case of';
    expectQuiet(added('docs/notes.unknown', notes), 'unicode/invisible-character');
  });

  it('skips lines of bytes that were not UTF-8 (a binary read as text)', () => {
    const found3 = added('tests/data/image.fits', 'SIMPLE  = T\n\ufffd\u200b\ufffd\ufffd');
    expectQuiet(found3, 'unicode/invisible-character');
  });
});

describe('unicode/homoglyph', () => {
  it('fires on a Cyrillic letter in a Latin identifier', () => {
    const found4 = added('src/pkg/perm.py', 'def \u0441heck_token(t):\n    return True');
    expectFires(found4, 'unicode/homoglyph', 1);
  });

  it('fires on a Greek look-alike between Latin letters', () => {
    const found5 = added('src/pkg/login.py', 'def l\u03bfgin(user):\n    pass');
    expectFires(found5, 'unicode/homoglyph', 1);
  });

  it('is quiet on Greek mathematics next to Latin letters', () => {
    const math =
      'τ_a = 1.0  # torque\nH\u03b1 = line("H-alpha")\nd\u03b1 = 0.1\nassert pretty(D.\u03b1) == "\u03b1_D"\n';
    const found6 = file('sympy/physics/control.py', math);
    expectQuiet(found6, 'unicode/homoglyph');
  });

  it('keeps a look-alike the line acknowledges with ruff noqa RUF001 at low', () => {
    const line = '["\u0396Z Z\u0396", "ABC"],  # noqa: RUF001 (we care about \u0396 vs Z)';
    const f = file('tests/test_strings.py', line.replace('\u0396Z', 'Z\u0396Z'));
    expect(severities(f, 'unicode/homoglyph')).toEqual(['low']);
  });

  it('is quiet on real Russian text', () => {
    const found7 = file('src/pkg/messages.py', 'MSG = "Добро пожаловать в pkg"');
    expectQuiet(found7, 'unicode/homoglyph');
  });
});

describe('the search for lines with non-ASCII characters', () => {
  it('stops once the bytes past one per character are accounted for, with the same hits as visiting every line', () => {
    // Characters of one to four UTF-8 bytes, what each rule reports, bytes that are not UTF-8 (each decoded as a
    // U+FFFD standing for one to three bytes) and a U+FFFD that was one; lines of code, comments and docstrings.
    const pieces: (string | number[])[] = [
      ...[
        'x = 1',
        ' ',
        'é',
        'ü',
        'σ',
        'λόγος',
        '€',
        '中',
        '😀',
        '\ufffd',
        '\u202e',
        '\u200e',
        '\u200b',
        '\u00a0',
        '\u00ad'
      ],
      ...['\ufe0f', '\u0441', 'р', 'l\u03bfgin', 'Добро', '"', "'''", '# ', '\r', '\n', '\n', '\n', '\n', 'def f():'],
      ...[[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98]]
    ];
    const rnd = seeded(23);
    let hits = 0;
    let skipped = 0;
    for (let n = 0; n < 4000; n++) {
      const parts: Buffer[] = [];
      for (let p = rnd(30); p >= 0; p--) {
        const piece = pieces[rnd(pieces.length)];
        parts.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece));
      }
      const bytes = Buffer.concat(parts);
      const text = bytes.toString('utf8');
      const path = ['pkg/m.py', 'web/m.js', 'docs/m.md', 'data/m.json'][n % 4];
      const numbers = Int32Array.from(text.split('\n'), (_, i) => i + 1);
      // As the PR scan gives it (the byte count it decoded) and as a file of a checkout (the text measured, where
      // a lone surrogate, three bytes, may stand in for an emoji).
      const lone = n % 3 ? text : text.replaceAll('\u{1f600}', '\ud83d');
      // Each Text is built right before it is read: they share one buffer of line offsets.
      for (const build of [() => Text.ofJoined(path, text, numbers, bytes.length), () => Text.ofFile(path, lone)]) {
        const t = build();
        const s = newScan(t, 'added');
        const every = hitsFrom(s, Infinity);
        expect([t.joined, unicodeHits(s)]).toEqual([t.joined, every]);
        hits += every.length;
        // Lines after the last non-ASCII character: the search for one stops before them.
        if (/[^\x00-\x7f][\x00-\x7f]*\n[\x00-\x7f]*$/.test(t.joined)) skipped++;
      }
    }
    expect(hits).toBeGreaterThan(3000);
    expect(skipped).toBeGreaterThan(1000);
  });
});

describe('the first search of a line', () => {
  it('clears only lines the rules would find nothing in', () => {
    // Every character a rule reads, Latin-1 and Greek letters beside and between Latin ones, astral characters.
    const pieces = [...'ab_ 1"\'#\né€σλΩοαιΑΟ中😀\u00a0\u00ad\u061c\u115f\u180e\u200b\u200c\u200d\u200e\u200f\u202a'];
    pieces.push(
      ...'\u202e\u2060\u2066\u2069\u2800\u3164\ufe0f\ufeff\uffa0\u0430\u0441\u0436\u1c80\u{e0041}\u{e0100}\ufffd'
    );
    pieces.push('x = ', 'def f():', "'''", '# ', 'l', 'g', 'n', 'Добро', '\u{1f3f4}', '\n', '\n');
    for (let k = 0; k < 4; k++) pieces.push('é', 'ü', 'λόγος', 'ένα', ' ', 'x', '\n', 'ο', 'Ω');
    const rnd = seeded(37);
    let hits = 0;
    let cleared = 0;
    for (let n = 0; n < 6000; n++) {
      const text = piecesText(rnd, pieces, 40);
      const t = Text.ofFile(['pkg/m.py', 'web/m.js', 'docs/m.md', 'a.ipynb', 'data/m.yml'][n % 5], text);
      const s = newScan(t, 'file');
      for (let i = 0; i < t.count; i++) {
        const want = judgeLine(s, i, t.line(i));
        expect([t.line(i), lineHit(s, i)]).toEqual([t.line(i), want]);
        if (want) hits++;
        else if (/[^\x00-\x7f]/.test(t.line(i))) cleared++;
      }
    }
    expect(hits).toBeGreaterThan(5000);
    expect(cleared).toBeGreaterThan(2000);
  });
});
