import { describe, expect, it } from '@jest/globals';
import { Literals, includesBy } from '../../packages/core/src/literals';
import { piecesText, seeded } from '../helpers/random';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = (literals: string[], flags = '') => new RegExp(literals.map(escape).join('|'), flags);

/** Deterministic strings made of pieces of the literals (some cut, some in the other case) and other characters. */
function* strings(literals: string[], n: number): Generator<string> {
  const other = 'ab_-.:/ \u017f\u212a\u0131\u0130\u00e9\u{1f600}Z9';
  const rnd = seeded(7);
  for (let i = 0; i < n; i++) {
    let s = '';
    for (let p = rnd(6); p >= 0; p--) {
      if (rnd(3) === 0) s += [...other][rnd([...other].length)];
      else {
        const lit = literals[rnd(literals.length)];
        const from = rnd(2) ? 0 : rnd(lit.length);
        const piece = lit.slice(from, rnd(2) ? lit.length : from + rnd(lit.length - from + 1));
        for (const c of piece) s += rnd(3) ? c : rnd(2) ? c.toUpperCase() : c.toLowerCase();
      }
    }
    yield s;
  }
}

describe('Literals', () => {
  const LITERALS = ['secret', 'hf_', 'SG.', 'ghp_', 'github_pat_', 'AKIA', 'account', 'cat', 'at', 'tskey-', '/etc/'];

  it('finds what an alternation of the same literals finds, case-sensitive or not', () => {
    for (const ignoreCase of [false, true]) {
      const literals = new Literals(LITERALS, { ignoreCase });
      const expression = alternation(LITERALS, ignoreCase ? 'i' : '');
      let found = 0;
      for (const s of strings(LITERALS, 20000)) {
        expect([s, literals.in(s)]).toEqual([s, expression.test(s)]);
        if (expression.test(s)) found++;
      }
      // Both answers occur often enough for the comparison to mean something.
      expect(found).toBeGreaterThan(2000);
      expect(found).toBeLessThan(18000);
    }
  });

  it('ends where the earliest literal between the bounds ends, as searching for each literal finds', () => {
    for (const ignoreCase of [false, true]) {
      const literals = new Literals(LITERALS, { ignoreCase });
      const each = LITERALS.map((l) => alternation([l], ignoreCase ? 'gi' : 'g'));
      let found = 0;
      let k = 0;
      for (const s of strings(LITERALS, 5000)) {
        const from = k++ % Math.max(1, s.length);
        const to = k % 3 ? s.length : from + (k % Math.max(1, s.length - from + 1));
        const ends = each.flatMap((e, n) => {
          e.lastIndex = from;
          const m = e.exec(s);
          return m && m.index + LITERALS[n].length <= to ? [m.index + LITERALS[n].length - 1] : [];
        });
        const expected = ends.length ? Math.min(...ends) : -1;
        expect([s, from, to, literals.end(s, from, to)]).toEqual([s, from, to, expected]);
        if (expected >= 0) found++;
      }
      expect(found).toBeGreaterThan(300);
      expect(found).toBeLessThan(4500);
    }
  });

  it('stops at a stop character as at the end of a literal (the earlier of the two), and refuses one in a literal', () => {
    for (const ignoreCase of [false, true]) {
      const plain = new Literals(LITERALS, { ignoreCase });
      const stopping = new Literals(LITERALS, { ignoreCase, stopAt: '\n' });
      const lines = [...strings(LITERALS, 9000)];
      let stops = 0;
      let ends = 0;
      for (let k = 0; k + 2 < lines.length; k += 3) {
        const s = lines.slice(k, k + 3).join(k % 2 ? '\n' : '\n\n');
        const from = k % Math.max(1, s.length);
        const to = k % 5 ? s.length : from + (k % Math.max(1, s.length - from + 1));
        const literal = plain.end(s, from, to);
        const nl = s.indexOf('\n', from);
        const expected = nl !== -1 && nl < to && (literal === -1 || nl < literal) ? nl : literal;
        expect([s, from, to, stopping.end(s, from, to)]).toEqual([s, from, to, expected]);
        if (expected === nl) stops++;
        else if (expected !== -1) ends++;
      }
      expect(stops).toBeGreaterThan(300);
      expect(ends).toBeGreaterThan(300);
    }
    expect(() => new Literals(['a\nb'], { stopAt: '\n' })).toThrow(/stop character/);
    expect(() => new Literals(['secret'], { ignoreCase: true, stopAt: 'S' })).toThrow(/stop character/);
    expect(() => new Literals(['secret'], { stopAt: '\u2028' })).toThrow(/stop character/);
  });

  it('matches a literal that ends inside another (the failure moves) and ignores non-ASCII look-alikes', () => {
    const l = new Literals(['abcd', 'bce'], { ignoreCase: true });
    expect(l.in('xabce')).toBe(true);
    expect(l.in('abcxbcd')).toBe(false);
    expect(new Literals(['sk'], { ignoreCase: true }).in('\u017f\u212a')).toBe(false); // long s, Kelvin sign
    expect(new Literals(['secret']).in('SECRET')).toBe(false);
  });

  it('refuses a literal with a character outside ASCII, or an empty one', () => {
    expect(() => new Literals(['caf\u00e9'])).toThrow(/ASCII/);
    expect(() => new Literals([''])).toThrow(/ASCII/);
  });
});

describe('includesBy', () => {
  it('is includes() on random texts of near misses, for each needle the scan searches by a part', () => {
    const rnd = seeded(15);
    for (const [needle, part] of [
      ['pr-anomaly-scan:', '-scan:'],
      ['PRIVATE KEY', 'KEY']
    ]) {
      // The needle, its part, pieces cut from either end of it, and plain text.
      const pieces = [needle, part, `${part}${part}`, needle.slice(1), needle.slice(0, -1), 'x = 1\n', 'é', ' '];
      let yes = 0;
      for (let n = 0; n < 3000; n++) {
        const text = piecesText(rnd, pieces, 8);
        const want = text.includes(needle);
        yes += want ? 1 : 0;
        expect([text, includesBy(text, needle, part)]).toEqual([text, want]);
      }
      expect(yes).toBeGreaterThan(300); // both answers are drawn often
      expect(yes).toBeLessThan(2700);
    }
  });

  it('refuses a part that is not in the needle', () => {
    expect(() => includesBy('text', 'PRIVATE KEY', 'KEYS')).toThrow('is not part of');
  });
});
