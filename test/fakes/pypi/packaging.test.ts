import { describe, expect, it } from '@jest/globals';
import { canonicalizeVersion, compareVersions, normalizeName, parseVersion } from './packaging.mjs';
import { ALL } from '../../fixtures/pep440-versions';

describe('PEP 440 ordering (packaging.version)', () => {
  it('orders every pair of packaging’s ordered version list as packaging does', () => {
    const wrong: string[] = [];
    ALL.forEach((a, i) =>
      ALL.forEach((b, j) => {
        const got = compareVersions(a, b);
        if (got !== Math.sign(i - j)) wrong.push(`${a} vs ${b}: ${got}`);
      })
    );
    expect(wrong).toEqual([]);
    expect(compareVersions('1.0rc1', '1.0c1')).toBe(0);
  });

  it('rejects what packaging rejects', () => {
    for (const bad of [
      'french toast',
      '1.0+a+',
      '1.0++',
      '1.0+_foobar',
      '1.0+foo&asd',
      '1.0+1+1',
      '1. 0',
      '1.0 a1',
      '1.0a 1',
      '٠١٢.٣٤٥.٦٧٨٩',
      '.',
      '1..0',
      '1.0.',
      '.1.0',
      '1.0+\u0130'
    ]) {
      expect(parseVersion(bad)).toBeNull();
    }
    expect(() => compareVersions('1.0', 'lolwat')).toThrow('not a PEP 440 version: lolwat');
  });

  it('accepts the spelling variants packaging normalises', () => {
    for (const [spelled, normal] of [
      ['1.0-DEV1', '1.0.dev1'],
      ['1.0.ALPHA', '1.0a0'],
      ['1.0-c1', '1.0rc1'],
      ['1.0-rev5', '1.0.post5'],
      ['1.0-5', '1.0.post5'],
      ['1.01', '1.1'],
      ['v1.0', '1.0'],
      ['  v1.0\t\n', '1.0'],
      ['00!1.2', '1.2'],
      ['1.0+AbC', '1.0+abc']
    ]) {
      expect(compareVersions(spelled, normal)).toBe(0);
    }
  });
});

describe('canonicalizeVersion (packaging.utils.canonicalize_version)', () => {
  it.each([
    ['1.4.0', '1.4'],
    ['1.40.0', '1.40'],
    ['1.4.0.0.00.000.0000', '1.4'],
    ['1.0', '1'],
    ['1.0+abc', '1+abc'],
    ['1.0.dev0', '1.dev0'],
    ['1.0.post0', '1.post0'],
    ['1.0a0', '1a0'],
    ['1.0rc0', '1rc0'],
    ['100!0.0', '100!0'],
    ['lolwat', 'lolwat'],
    ['1.0.1-test7', '1.0.1-test7']
  ])('%s -> %s', (input, expected) => {
    expect(canonicalizeVersion(input)).toBe(expected);
  });
});

describe('normalizeName (PEP 503)', () => {
  it.each([
    ['foo', 'foo'],
    ['Foo', 'foo'],
    ['foo.bar', 'foo-bar'],
    ['Foo.....Bar', 'foo-bar'],
    ['foo___bar', 'foo-bar'],
    ['foo----bar', 'foo-bar'],
    ['Foo_.-Bar', 'foo-bar']
  ])('%s -> %s', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });
});
