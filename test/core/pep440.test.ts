// PEP 440 version sets against packaging's own matching vectors
// (pypa/packaging tests/test_specifiers.py, `Specifier(spec, prereleases=True)`),
// and the set operations the disclosure coordinator builds on them.
import { describe, expect, it } from '@jest/globals';
import { VersionSet, patchedVersions } from '../../packages/core/src/index';

const MATCH: [string, string][] = [
  ['2.0', '==2'],
  ['2.0', '==2.0.0'],
  ['2.0+deadbeef', '==2'],
  ['2.0+deadbeef', '==2.0+deadbeef'],
  ['2.0+deadbeef.0', '==2.0.0+deadbeef.00'],
  ['2.dev1', '==2.*'],
  ['2a1.post1', '==2.*'],
  ['2c1.post1.dev1', '==2.0.*'],
  ['2', '==2.0.0.*'],
  ['2', '==0!2.*'],
  ['2.0.0.0', '==2.0.*'],
  ['2.1+local.version', '==2.1.*'],
  ['2.1', '!=2'],
  ['2.0.1', '!=2.0.0'],
  ['2.0', '!=2.0+deadbeef'],
  ['2.1', '!=2.0.*'],
  ['2.1.0.0', '!=2.0.*'],
  ['2.0.post1', '>=2'],
  ['2.0.post1.dev1', '>=2'],
  ['3.0.0a8', '>=3.0.0a7'],
  ['2.0.dev1', '<=2'],
  ['2.0c1.post1.dev1', '<=2'],
  ['3.0.0a7', '<=3.0.0a8'],
  ['2.0.1', '>2'],
  ['2.1.post1', '>2'],
  ['2.1+local.version', '>2'],
  ['2.0.dev0', '<2.1'],
  ['3.0.0a7', '<3.0.0a8'],
  ['1', '~=1.0'],
  ['1.9999999', '~=1.0'],
  ['1.1', '~=1.0a1'],
  ['2022.01.01', '~=2022.01.01'],
  ['2!1.0', '~=2!1.0'],
  ['2!1.0.0', '==2!1.0.0.0.*'],
  ['1.0', '<=2!0.1'],
  ['2!1.0', '>2.0'],
  ['2.0.5', '>2.0dev'],
  ['1.0+local', '>1.0.dev1'],
  ['4.1.0a2.dev1235+local', '>4.1.0a2.dev1234'],
  ['1.0a2+local', '>1.0a1'],
  ['1.0.post2+local', '>1.0.post1'],
  ['1.0.post0', '>1.0.dev1'],
  ['1.0.post0', '>1.0rc1'],
  ['1.0a2.post0', '>1.0a1'],
  ['2.0.post0', '>1.0'],
  ['1.0.dev0', '<1.0.post1'],
  ['1.0rc2', '<1.0.post0'],
  ['1.0.post0.dev0', '<1.0.post1'],
  ['1.0.post0', '<1.0.post1'],
  ['2.0a1', '<2.0a2'],
  ['1.5', '>=1.0, <2'],
  ['1.4.1', '>= 1.0, < 1.4.2']
];

const NO_MATCH: [string, string][] = [
  ['2.1', '==2.0.0'],
  ['2.0', '==2.0+deadbeef'],
  ['2.1', '==2.0.*'],
  ['2.1.0.0', '==2.0.*'],
  ['2.0', '!=2.0.0'],
  ['2.0+deadbeef', '!=2'],
  ['2.0+deadbeef.0', '!=2.0.0+deadbeef.00'],
  ['2c1.post1.dev1', '!=2.0.*'],
  ['2.0.0', '!=2.*'],
  ['2.0.dev1', '>=2'],
  ['2.0rc1', '>=2'],
  ['2.0.post1', '<=2'],
  ['2.0.post1.dev1', '<=2'],
  ['2.0.dev1', '>2'],
  ['2.0c1.post1.dev1', '>2'],
  ['2.0', '>2'],
  ['2.0.post1', '>2'],
  ['2.0+local.version', '>2'],
  ['4.1.0a2.dev1234+local', '>4.1.0a2.dev1234'],
  ['1.0a1+local', '>1.0a1'],
  ['1.0.post1+local', '>1.0.post1'],
  ['1.0a1.post0', '>1.0a1'],
  ['1.0.post1', '>1.0'],
  ['0.9.post0', '>1.0'],
  ['2.0.dev1', '<2'],
  ['2.0b2.dev1', '<2'],
  ['2.0', '<2'],
  ['2.post1', '<2'],
  ['1.0.post1.dev0', '<1.0.post1'],
  ['2.0a1', '<2.0'],
  ['2.0', '~=1.0'],
  ['1.1.0', '~=1.0.0'],
  ['1.1.post1', '~=1.0.0'],
  ['1.0', '~=2!1.0'],
  ['2!1.0', '~=1.0'],
  ['2!1.0', '==1.0'],
  ['2!1.0', '==1.*'],
  ['not a version', '>=1.0'],
  ['1.4.2', '>= 1.0, < 1.4.2']
];

describe('VersionSet.fromSpecifier agrees with packaging (prereleases=True)', () => {
  it.each(MATCH)('%s is in %s', (v, s) => expect(VersionSet.fromSpecifier(s).contains(v)).toBe(true));
  it.each(NO_MATCH)('%s is not in %s', (v, s) => expect(VersionSet.fromSpecifier(s).contains(v)).toBe(false));

  it.each(['~=1', '>=1.0.*', '<1.0+local', '==2.0a1.*', '=>2.0', '2.0 and 3', '>=not-a-version'])('refuses %s', (s) =>
    expect(() => VersionSet.fromSpecifier(s)).toThrow()
  );

  it('treats an empty specifier as every version', () => {
    expect(VersionSet.fromSpecifier('').contains('0.0.1')).toBe(true);
    expect(VersionSet.fromSpecifier('').complement().isEmpty()).toBe(true);
  });
});

describe('advisory ranges', () => {
  it('reads GitHub’s range syntax, a bare version and `=`', () => {
    const r = VersionSet.fromAdvisoryRange('>= 1.0.0, < 1.4.2');
    expect(['1.0.0', '1.2', '1.4.1', '1.4.2rc1'].map((v) => r.contains(v))).toEqual([true, true, true, true]);
    expect(['0.9', '1.4.2', '2.0'].map((v) => r.contains(v))).toEqual([false, false, false]);
    // A pre-release of the fix predates it: affected by the range, though `<1.4.2` as a specifier excludes it.
    expect(VersionSet.fromSpecifier('<1.4.2').contains('1.4.2rc1')).toBe(false);
    expect(VersionSet.fromAdvisoryRange('= 1.2.3').contains('1.2.3')).toBe(true);
    expect(VersionSet.fromAdvisoryRange('= 1.2.3').contains('1.2.4')).toBe(false);
    expect(VersionSet.fromAdvisoryRange('1.2.3').contains('1.2.3')).toBe(true);
    expect(() => VersionSet.fromAdvisoryRange('')).toThrow();
  });

  it('patched versions: one, several, or written as a bound', () => {
    expect(patchedVersions('1.4.2')).toEqual(['1.4.2']);
    expect(patchedVersions('1.4.2, 2.0.5')).toEqual(['1.4.2', '2.0.5']);
    expect(patchedVersions('>= 1.4.2')).toEqual(['1.4.2']);
    expect(patchedVersions('soon')).toEqual([]);
    expect(patchedVersions(null)).toEqual([]);
  });
});

describe('set operations', () => {
  const vuln = VersionSet.fromAdvisoryRange('>= 1.0, < 1.4.2');
  const fixed = VersionSet.fromSpecifier('>=1.4.2');

  it('a declared range admits an affected version when it intersects the affected range', () => {
    expect(VersionSet.fromSpecifier('>=1.2,<2').intersect(vuln).isEmpty()).toBe(false);
    expect(VersionSet.fromSpecifier('>=1.4.2').intersect(vuln).isEmpty()).toBe(true);
    expect(VersionSet.fromSpecifier('<1.0').intersect(vuln).isEmpty()).toBe(true);
    // `<1.0` excludes 1.0's pre-releases, which `>= 1.0` also excludes: still disjoint at the boundary.
    expect(VersionSet.fromSpecifier('<=1.0').intersect(vuln).isEmpty()).toBe(false);
    expect(VersionSet.fromSpecifier('~=1.4.0').intersect(vuln).isEmpty()).toBe(false);
    expect(VersionSet.fromSpecifier('==1.4.2').intersect(vuln).isEmpty()).toBe(true);
    expect(VersionSet.fromSpecifier('!=1.4.1,==1.4.*').intersect(vuln).isEmpty()).toBe(false);
  });

  it('and admits a patched release when it meets what lies outside the range from the first fix on', () => {
    const patched = vuln.complement().intersect(fixed);
    expect(VersionSet.fromSpecifier('>=1.2,<2').intersect(patched).isEmpty()).toBe(false);
    expect(VersionSet.fromSpecifier('>=1.2,<1.4').intersect(patched).isEmpty()).toBe(true);
    expect(VersionSet.fromSpecifier('~=1.3.0').intersect(patched).isEmpty()).toBe(true);
    expect(VersionSet.fromSpecifier('').intersect(patched).isEmpty()).toBe(false);
  });

  it('complement and union are inverse views of the same versions', () => {
    const s = VersionSet.fromSpecifier('>=1.0,!=1.3.*,<2');
    const c = s.complement();
    for (const v of ['0.9', '1.0', '1.2.9', '1.3', '1.3.5', '1.4', '1.9.9', '2.0', '2.0.dev0', '3'])
      expect([v, s.contains(v), c.contains(v)]).toEqual([v, !c.contains(v), !s.contains(v)]);
    expect(s.union(c).complement().isEmpty()).toBe(true);
    expect(s.intersect(c).isEmpty()).toBe(true);
    expect(VersionSet.none().complement().contains('1')).toBe(true);
  });

  it('the boundary after a release’s post-releases orders with versions and other boundaries', () => {
    // `>1.0` starts after every 1.0.postN; `<=1.0.post3` ends after 1.0.post3's local versions.
    const gap = VersionSet.fromSpecifier('>1.0').intersect(VersionSet.fromSpecifier('<=1.0.post3'));
    expect(gap.isEmpty()).toBe(true);
    const next = VersionSet.fromSpecifier('>1.0').intersect(VersionSet.fromSpecifier('<1.0.1'));
    expect(next.isEmpty()).toBe(false);
    expect(next.contains('1.0.0.1')).toBe(true);
    expect(next.contains('1.0.post9')).toBe(false);
  });
});
