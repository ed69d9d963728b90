import { describe, expect, it } from '@jest/globals';
import data from '../../packages/core/data/pypi-names.json' with { type: 'json' };
import {
  TyposquatIndex,
  findTyposquat,
  isPopularPackage,
  keyHashes,
  pypiStanding,
  typosquatIndex
} from '../../packages/core/src/typosquat';
import { seeded } from '../helpers/random';

describe('findTyposquat', () => {
  it.each([
    ['reqeusts', 'requests', 'swapped-characters'],
    ['requestss', 'requests', 'repeated-character'],
    ['reqests', 'requests', 'omitted-character'],
    ['requesys', 'requests', 'substituted-character'],
    ['python-dateutils', 'python-dateutil', 'added-character'],
    ['pythondateutil', 'python-dateutil', 'separator'],
    ['dateutil-python', 'python-dateutil', 'swapped-words'],
    ['python-requests', 'requests', 'affix'],
    ['Reqeusts', 'requests', 'swapped-characters']
  ])('%s imitates %s (%s)', (name, target, kind) => {
    expect(findTyposquat(name)).toMatchObject({ target, kind });
  });
  it('never reports a popular name, even one typo from another', () => {
    expect(isPopularPackage('requests')).toBe(true);
    expect(findTyposquat('requests')).toBeUndefined();
    expect(findTyposquat('Python_DateUtil')).toBeUndefined();
    expect(findTyposquat('pandas')).toBeUndefined();
  });
  it('ignores names far from every popular one and short targets', () => {
    expect(findTyposquat('my-very-own-internal-tool')).toBeUndefined();
    expect(findTyposquat('sixx')).toBeUndefined();
  });
  it('reports the distance', () => {
    expect(findTyposquat('nunpy')?.distance).toBe(1);
  });

  // Real PyPI typosquats, as GuardDog's test suite lists them (DataDog/guarddog
  // tests/analyzer/metadata/test_typosquatting.py @ ca8b5b43d145).
  it.each([
    ['ans1crypto', 'asn1crypto'],
    ['colourama', 'colorama'],
    ['djanga', 'django'],
    ['httplib3', 'httplib2'],
    ['mumpy', 'numpy'],
    ['openvc', 'opencv-python'],
    ['pyflaces', 'pyflakes'],
    ['py-jwt', 'pyjwt'],
    ['pyjtw', 'pyjwt'],
    ['python-mongo', 'pymongo'],
    ['python-openssl', 'pyopenssl'],
    ['reqeusts-oauthlib', 'requests-oauthlib'],
    ['request-oauthlib', 'requests-oauthlib'],
    ['tenserflow', 'tensorflow'],
    ['pythonkafka', 'kafka-python'],
    ['virtualnv', 'virtualenv']
  ])('finds the real typosquat %s of %s', (name, target) => {
    expect(findTyposquat(name)?.target).toBe(target);
  });

  // From real projects' own dependency lists (test/fixtures/real/typosquat-false-alarms.txt): each was
  // reported at high before. Established projects (top downloads, conda-forge) and substitutions no
  // typist makes (m for x, c for r, g for l, x for p) are not typosquats.
  it.each([
    ['marray', 'scipy'],
    ['uarray', 'scipy'],
    ['pygraphviz', 'networkx'],
    ['pyamg', 'scikit-image'],
    ['cdflib', 'sunpy'],
    ['sphinx-tags', 'napari'],
    ['pyxdf', 'mne-python'],
    ['antio', 'mne-python'],
    ['httpx2', 'zarr-python']
  ])('does not report %s (a dependency of %s)', (name) => {
    expect(findTyposquat(name)).toBeUndefined();
  });
});

describe('TyposquatIndex', () => {
  const index = typosquatIndex();
  // Damerau-Levenshtein (optimal string alignment), the reference the index must agree with.
  const dl = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    return d[a.length][b.length];
  };

  it('hashes each deletion as the deleted string itself hashes (the index files and finds forms by these)', () => {
    const rand = seeded(11);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-._é';
    for (let r = 0; r < 500; r++) {
      // Lengths past the first buffers (64), so growing them is covered too.
      const s = Array.from({ length: rand(r % 50 === 0 ? 300 : 30) }, () => alphabet[rand(alphabet.length)]).join('');
      const all = Array.from(keyHashes(s).subarray(0, s.length + 1));
      const direct = [s, ...Array.from(s, (_, k) => s.slice(0, k) + s.slice(k + 1))].map((d) => keyHashes(d)[0]);
      expect([s, all]).toEqual([s, direct]);
    }
    expect(keyHashes('ab')[0]).not.toBe(keyHashes('ba')[0]);
  });

  it('finds a target whose doubled letter is dropped or doubled again, once', () => {
    const small = new TyposquatIndex(['matplotlib', 'pillow', 'scipy-stubs']);
    expect(small.match('pilow')).toEqual({ target: 'pillow', kind: 'omitted-character', distance: 1 });
    expect(small.match('pilllow')).toEqual({ target: 'pillow', kind: 'repeated-character', distance: 1 });
    expect(small.match('stubs-scipy')).toEqual({ target: 'scipy-stubs', kind: 'swapped-words', distance: 0 });
    expect(small.match('matplotlob')).toEqual({ target: 'matplotlib', kind: 'substituted-character', distance: 1 });
    expect(small.match('numpy')).toBeUndefined();
  });

  it('finds every omission, repetition and transposition of a target, and never a target two edits away', () => {
    const targets = index.targets.filter((t, i) => i % 25 === 0 && t.length >= 6);
    let checked = 0;
    for (const t of targets) {
      const variants = [
        t.slice(0, 2) + t.slice(3),
        t.slice(0, 3) + t[3] + t.slice(3),
        t.slice(0, 1) + t[2] + t[1] + t.slice(3)
      ];
      for (const v of variants) {
        if (index.known(v) || v === t) continue;
        const m = index.match(v);
        expect([v, m === undefined]).toEqual([v, false]);
        if (m!.distance === 1) expect([v, m!.target, dl(v, m!.target)]).toEqual([v, m!.target, 1]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('takes the most downloaded target among several, and leaves established names alone', () => {
    const both = (targets: string[]) => new TyposquatIndex(targets).match('requestx')?.target;
    expect(both(['requests', 'requestz'])).toBe('requests'); // one key from each: the first ranked wins
    expect(both(['requestz', 'requests'])).toBe('requestz');
    const small = new TyposquatIndex(['numpy', 'numba'], ['numbx']);
    expect(small.match('numbx')).toBeUndefined();
    expect(small.match('numby')).toMatchObject({ target: 'numba', kind: 'substituted-character' }); // y for a, not b for p
  });

  it('ships its sources with commits, the snapshot date and the licences; every established name is needed', () => {
    expect(data.targets.split('\n')).toHaveLength(5000);
    expect(data.sources.map((s) => [s.name, /^[0-9a-f]{40}$/.test(s.commit), Boolean(s.licence)])).toEqual([
      ['hugovk/top-pypi-packages', true, true],
      ['conda-forge/feedstock-outputs', true, true]
    ]);
    expect(data.sources[0].snapshot).toMatch(/^\d{4}-\d{2}-\d{2}/);
    const bare = new TyposquatIndex(index.targets);
    const established = data.established.split('\n');
    expect(established.filter((n) => !bare.match(n))).toEqual([]);
    expect(established.filter((n) => isPopularPackage(n))).toEqual([]);
  });
});

describe('pypiStanding', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const file = (version: string, uploadTime: string) => ({
    filename: `x-${version}.tar.gz`,
    yanked: false,
    provenance: null,
    uploadTime,
    version
  });
  it('an old project with several releases is established', () => {
    const s = pypiStanding(
      {
        name: 'x',
        versions: ['0.1', '0.2', '1.0'],
        files: [
          file('0.1', '2024-01-02T00:00:00Z'),
          file('0.2', '2025-01-01T00:00:00Z'),
          file('1.0', '2026-05-30T00:00:00Z')
        ]
      },
      now
    );
    expect(s).toEqual({ established: true, releases: 3, firstUpload: '2024-01-02', ageDays: 881 });
  });
  it('a project first uploaded last week, or with one release, is not', () => {
    const fresh = pypiStanding(
      { name: 'x', versions: ['1.0', '1.1', '1.2'], files: [file('1.0', '2026-05-25T00:00:00Z')] },
      now
    );
    expect(fresh).toMatchObject({ established: false, ageDays: 7 });
    const single = pypiStanding({ name: 'x', versions: ['1.0'], files: [file('1.0', '2020-01-01T00:00:00Z')] }, now);
    expect(single).toMatchObject({ established: false, releases: 1 });
  });
});
