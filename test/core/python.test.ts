import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  generatedBy,
  isProjectItself,
  normalizeName,
  parseEnvironmentYml,
  parsePep508,
  parsePoetryLock,
  parsePylock,
  parsePyproject,
  parseRequirements,
  parseUvLock,
  parseVcsUrl,
  pythonFileKind,
  resolveInclude,
  sourceIdentity,
  sourceOwner,
  templateKind
} from '../../packages/core/src/python/index';

const FIX = resolve(import.meta.dirname, '..', 'fixtures', 'verify-deps', 'python');
const REAL = resolve(import.meta.dirname, '..', 'fixtures', 'real');
const read = (f: string) => readFileSync(resolve(FIX, f), 'utf8');
const byName = <T extends { name: string }>(list: T[], n: string) => list.find((d) => d.name === n)!;

describe('PEP 503 names and PEP 508 specifiers', () => {
  it('normalises names', () => {
    expect(normalizeName('Foo.Bar__baz-Qux')).toBe('foo-bar-baz-qux');
  });
  it('parses extras, specifiers and markers', () => {
    const r = parsePep508('Jinja2[i18n, Async] >= 3.1 , <4 ; python_version >= "3.8"');
    expect(r).toMatchObject({
      name: 'jinja2',
      rawName: 'Jinja2',
      extras: ['i18n', 'async'],
      specifier: '>=3.1,<4',
      markers: 'python_version >= "3.8"'
    });
    expect(r.version).toBeUndefined();
    expect(parsePep508('x==1.0').version).toBe('1.0');
    expect(parsePep508('x===1.0-foo').version).toBe('1.0-foo');
    expect(parsePep508('x==1.*').version).toBeUndefined();
    expect(parsePep508('x (==2.0)').version).toBe('2.0');
  });
  it('parses direct URL requirements; a marker needs whitespace before ;', () => {
    expect(parsePep508('pip @ https://github.com/pypa/pip/archive/1.3.1.zip ; python_version < "3"')).toMatchObject({
      url: 'https://github.com/pypa/pip/archive/1.3.1.zip',
      markers: 'python_version < "3"'
    });
    expect(parsePep508('x @ git+https://github.com/o/r.git@v1').vcs).toEqual({
      type: 'git',
      url: 'https://github.com/o/r.git',
      ref: 'v1',
      commit: undefined
    });
  });
  it('rejects malformed specifiers', () => {
    expect(() => parsePep508('foo >= ')).toThrow(/bad version specifier/);
    expect(() => parsePep508('[x]')).toThrow(/not a requirement/);
    expect(() => parsePep508('foo[bar')).toThrow(/unclosed/);
  });
  it('splits VCS URLs, keeping user@host authorities', () => {
    expect(parseVcsUrl('git+ssh://git@github.com/o/r.git@0123456789abcdef0123456789abcdef01234567#egg=r')).toEqual({
      type: 'git',
      url: 'ssh://git@github.com/o/r.git',
      ref: '0123456789abcdef0123456789abcdef01234567',
      commit: '0123456789abcdef0123456789abcdef01234567'
    });
    expect(parseVcsUrl('git+ssh://git@github.com/o/r.git')?.ref).toBeUndefined();
  });
});

describe('where a URL source comes from', () => {
  it('is the same however it is spelt', () => {
    const same = [
      'git+https://github.com/pydata/pandas.git@main',
      'git://github.com/pydata/pandas.git',
      'git@github.com:pydata/pandas.git',
      'git+ssh://git@github.com:22/PyData/pandas/#egg=pandas',
      'https://github.com/pydata/pandas'
    ].map(sourceIdentity);
    expect(new Set(same)).toEqual(new Set(['github.com/pydata/pandas']));
    expect(sourceIdentity('https://github.com/pydata/pandas-stubs')).toBe('github.com/pydata/pandas-stubs');
    expect(sourceIdentity('https://example.org/dl/pkg-1.0.tar.gz')).toBe('example.org/dl/pkg-1.0.tar.gz');
    expect(sourceIdentity('numpy>=2')).toBeUndefined();
    expect(sourceOwner(sourceIdentity('git+https://github.com/dask/s3fs.git')!)).toBe('dask');
    expect(sourceOwner('example.org/dask/s3fs')).toBeUndefined();
  });
});

describe('requirements files', () => {
  const m = parseRequirements(read('requirements.txt'), 'requirements.txt');
  it('joins continuations and collects every --hash', () => {
    expect(byName(m.dependencies, 'certifi')).toMatchObject({
      version: '2024.8.30',
      line: 10,
      hashes: [
        'sha256:922820b53db7a7257ffbda3f597266d435245903d80737e34f8a45ff3e3230d8',
        'sha256:bec941d2aa8195e248a60b31ff9f0558284cf01a52591ceda73ea9afea8d7c9c'
      ]
    });
    expect(byName(m.dependencies, 'jinja2')).toMatchObject({
      version: '3.1.2',
      extras: ['i18n'],
      markers: 'python_version >= "3.8"',
      line: 14
    });
    expect(byName(m.dependencies, 'jinja2').hashes).toHaveLength(1);
  });
  it('records options with their lines', () => {
    expect(m.options.map((o) => [o.option, o.value, o.line])).toEqual([
      ['--index-url', 'https://pypi.org/simple', 7],
      ['--extra-index-url', 'https://internal.example.org/simple', 8],
      ['--requirement', 'requirements-dev.txt', 17],
      ['--constraint', 'constraints.txt', 18]
    ]);
  });
  it('reads editable, VCS, URL and path requirements', () => {
    expect(byName(m.dependencies, 'proj')).toMatchObject({
      editable: true,
      vcs: { type: 'git', url: 'https://github.com/example/proj.git', ref: 'v1.2' }
    });
    expect(byName(m.dependencies, 'other').vcs?.commit).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(byName(m.dependencies, 'foo')).toMatchObject({
      url: 'https://example.org/pkgs/foo-1.0-py3-none-any.whl',
      line: 21
    });
    expect(m.dependencies.find((d) => d.path === './vendor/localpkg')).toBeDefined();
    expect(byName(m.dependencies, 'name-at')).toMatchObject({
      url: 'https://example.org/bar-2.0.tar.gz',
      markers: 'sys_platform == "linux"'
    });
    expect(byName(m.dependencies, 'requests')).toMatchObject({ specifier: '>=2.31', version: undefined, line: 16 });
  });
  it('keeps #egg fragments and handles CRLF', () => {
    const r = parseRequirements(
      `a==1 \\\r\n  --hash=sha256:${'AB12'.repeat(16)}\r\ngit+https://x.org/r.git#egg=b\r\n`,
      'r.txt'
    );
    expect(r.dependencies.map((d) => [d.name, d.hashes, d.line])).toEqual([
      ['a', [`sha256:${'ab12'.repeat(16)}`], 1],
      ['b', [], 3]
    ]);
  });
  it('names file and line for malformed input', () => {
    expect(() => parseRequirements('ok==1\n--bogus x\n', 'r.txt')).toThrow('r.txt:2: unknown pip option');
    expect(() => parseRequirements('ok==1\nbad ==\n', 'r.txt')).toThrow(/^r\.txt:2: bad version specifier/);
    expect(() => parseRequirements('x==1 --hash\n', 'r.txt')).toThrow("r.txt:1: '--hash' needs a value");
  });
  it('counts only sha256/sha384/sha512 digests of the right length as hashes; keeps the rest as malformed', () => {
    const good = `sha256:${'ab'.repeat(32)}`;
    const r = parseRequirements(
      `a==1 --hash=md5:zz\nb==1 --hash=nohash\nc==1 --hash=sha256:abc\nd==1 --hash=md5:${'0'.repeat(32)} --hash=${good}\n`,
      'r.txt'
    );
    expect(r.dependencies.map((d) => [d.name, d.hashes, d.badHashes])).toEqual([
      ['a', [], ['md5:zz']],
      ['b', [], ['nohash']],
      ['c', [], ['sha256:abc']],
      ['d', [good], [`md5:${'0'.repeat(32)}`]]
    ]);
    const uv = parseUvLock(
      'version = 1\n\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\nsdist = { url = "https://x/a-1.0.tar.gz", hash = "nohash" }\n',
      'uv.lock'
    );
    expect([uv.dependencies[0].hashes, uv.dependencies[0].badHashes]).toEqual([[], ['nohash']]);
    const pylock = parsePylock(
      'lock-version = "1.0"\n[[packages]]\nname = "a"\nversion = "1.0"\nsdist = { url = "https://x/a-1.0.tar.gz", hashes = { md5 = "zz" } }\n',
      'pylock.toml'
    );
    expect([pylock.dependencies[0].hashes, pylock.dependencies[0].files![0].badHashes]).toEqual([[], ['md5:zz']]);
  });
  it('says what generated a file: a resolver (a lock) or a script from pyproject.toml (a declaration)', () => {
    expect(generatedBy(read('requirements.txt'))).toEqual({ kind: 'lock', by: 'pip-compile' });
    expect(
      generatedBy('# This file was autogenerated by uv via the following command:\n#    uv export\na==1\n')
    ).toEqual({
      kind: 'lock',
      by: 'uv'
    });
    const networkx = readFileSync(resolve(REAL, 'networkx', 'requirements', 'default.txt'), 'utf8');
    expect(generatedBy(networkx)).toEqual({ kind: 'derived', by: 'pyproject.toml' });
    expect(generatedBy('numpy>=2\n# generated from pyproject.toml, but after the first requirement\n')).toBeUndefined();
    expect(parseRequirements(networkx, 'requirements/default.txt').generated).toEqual({
      kind: 'derived',
      by: 'pyproject.toml'
    });
  });
  it('reads extras after a local path: `-e .[doc]` installs the project itself', () => {
    const r = parseRequirements('-e .[doc]\n.[test,plot]\n', 'docs/requirements.txt');
    expect(r.dependencies.map((d) => [d.path, d.extras, d.editable])).toEqual([
      ['.', ['doc'], true],
      ['.', ['test', 'plot'], undefined]
    ]);
    expect(['.', '..', '../..', './', './vendor/pkg', '../other'].map(isProjectItself)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false
    ]);
  });
  it.each([
    ['requirements/ci.txt', 'test.txt', { path: 'requirements/test.txt' }],
    ['requirements/ci.txt', '../docs/requirements.txt', { path: 'docs/requirements.txt' }],
    ['requirements.txt', '../shared.txt', { outside: 'a path outside the checkout' }],
    ['ci/requirements.txt', '../../shared.txt', { outside: 'a path outside the checkout' }],
    ['requirements.txt', '/etc/requirements.txt', { outside: 'an absolute path, outside the checkout' }],
    ['requirements.txt', 'https://example.org/reqs.txt', { outside: 'a URL, read at install time' }]
  ])('an include in %s of %s resolves to %j', (from, value, expected) => {
    expect(resolveInclude(from, value)).toEqual(expected);
  });
  it.each([
    ['{{cookiecutter.project_name}}/pyproject.toml', '[project]\nname = "x"\n', 'cookiecutter'],
    ['template/pyproject.toml', '[project]\nname = "{{ project_name }}"\n{% if docs %}\n', 'Jinja'],
    ['pyproject.toml', '[project]\nname = "{{ cookiecutter.name }}"\n', 'cookiecutter'],
    ['pyproject.toml', '[project]\nname = "x"\ndescription = "use {braces}"\n', undefined]
  ])('%s is a template: %s', (path, text, kind) => {
    expect(templateKind(path, text)).toBe(kind);
  });
});

describe('pyproject.toml', () => {
  const m = parsePyproject(read('pyproject.toml'), 'pyproject.toml');
  it('reads PEP 621 dependencies, extras, dependency groups and build requirements with lines', () => {
    expect(m.dependencies.map((d) => [d.name, d.group, d.line])).toEqual([
      ['numpy', 'project.dependencies', 9],
      ['scipy', 'project.dependencies', 10],
      ['reqeusts', 'project.dependencies', 11],
      ['matplotlib', 'optional:plot', 15],
      ['pytest', 'group:test', 18],
      ['ruff', 'group:lint', 19],
      ['hatchling', 'build-system', 2]
    ]);
    expect(byName(m.dependencies, 'scipy').version).toBe('1.11.4');
    expect(m.lock).toBe(false);
  });
  it('reads Poetry tables', () => {
    const p = parsePyproject(
      '[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "2.31.0"\nfoo = { git = "https://github.com/o/foo.git", rev = "main" }\n',
      'pyproject.toml'
    );
    expect(p.dependencies.map((d) => [d.name, d.version, d.vcs?.ref, d.line])).toEqual([
      ['requests', '2.31.0', undefined, 3],
      ['foo', undefined, 'main', 4]
    ]);
  });
  it('names the line of a TOML error', () => {
    expect(() => parsePyproject('[project]\ndependencies = [\n"a",\n', 'pyproject.toml')).toThrow(
      /^pyproject\.toml:\d+: invalid TOML/
    );
  });
});

describe('lock files', () => {
  it('uv.lock: files, hashes, git commits, direct dependencies from the workspace member', () => {
    const m = parseUvLock(read('uv.lock'), 'uv.lock');
    expect(m.lock).toBe(true);
    expect(m.dependencies.map((d) => d.name)).toEqual(['colorama', 'iniconfig', 'polars', 'pytest', 'mylib']);
    const polars = byName(m.dependencies, 'polars');
    expect(polars).toMatchObject({ version: '1.32.3', direct: true, line: 23, index: 'https://pypi.org/simple' });
    expect(polars.files!.map((f) => f.filename)).toEqual([
      'polars-1.32.3.tar.gz',
      'polars-1.32.3-cp39-abi3-macosx_10_12_x86_64.whl',
      'polars-1.32.3-cp39-abi3-win_arm64.whl'
    ]);
    expect(polars.files!.every((f) => f.hashes.length === 1 && f.hashes[0].startsWith('sha256:'))).toBe(true);
    expect(byName(m.dependencies, 'pytest').direct).toBe(true);
    expect(byName(m.dependencies, 'colorama').direct).toBe(false);
    expect(byName(m.dependencies, 'mylib').vcs).toEqual({
      type: 'git',
      url: 'https://github.com/example/mylib',
      ref: 'main',
      commit: '0123456789abcdef0123456789abcdef01234567'
    });
  });
  it('poetry.lock: files, names as registered, git sources', () => {
    const m = parsePoetryLock(read('poetry.lock'), 'poetry.lock');
    expect(m.dependencies.map((d) => [d.name, d.rawName, d.version, d.line, d.hashes.length])).toEqual([
      ['colorama', 'colorama', '0.4.6', 3, 2],
      ['pygments', 'Pygments', '2.19.2', 16, 2],
      ['somelib', 'somelib', '1.0.0', 31, 0]
    ]);
    expect(byName(m.dependencies, 'somelib').vcs).toMatchObject({
      ref: 'v1.0.0',
      commit: '89abcdef0123456789abcdef0123456789abcdef'
    });
  });
  it('poetry.lock 1.x: [metadata.files]', () => {
    const m = parsePoetryLock(
      '[[package]]\nname = "six"\nversion = "1.16.0"\n\n[metadata]\nlock-version = "1.1"\n\n[metadata.files]\nsix = [\n  {file = "six-1.16.0.tar.gz", hash = "sha256:1e61000000000000000000000000000000000000000000000000000000000000"},\n]\n',
      'poetry.lock'
    );
    expect(m.dependencies[0].hashes).toEqual([
      'sha256:1e61000000000000000000000000000000000000000000000000000000000000'
    ]);
  });
  it('pylock.toml (the PEP 751 example): wheels, upload times and attestation identities', () => {
    const m = parsePylock(read('pylock.toml'), 'pylock.toml');
    expect(m.dependencies.map((d) => [d.name, d.version, d.line, d.files!.length])).toEqual([
      ['attrs', '25.1.0', 7, 1],
      ['cattrs', '24.1.2', 25, 1],
      ['numpy', '2.2.3', 41, 2]
    ]);
    expect(byName(m.dependencies, 'attrs').files![0]).toMatchObject({
      filename: 'attrs-25.1.0-py3-none-any.whl',
      hashes: ['sha256:c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a'],
      uploadTime: '2025-01-25T11:30:10.164Z'
    });
    expect(m.attestationIdentities).toEqual({
      attrs: [
        { kind: 'GitHub', repository: 'python-attrs/attrs', workflow: 'pypi-package.yml', environment: 'release-pypi' }
      ]
    });
    expect(byName(m.dependencies, 'cattrs').index).toBe('https://pypi.org/simple');
  });
  it('pylock.toml without lock-version is rejected with the file named', () => {
    expect(() => parsePylock('[[packages]]\nname = "a"\n', 'pylock.toml')).toThrow(
      "pylock.toml:1: not a pylock file: 'lock-version' is missing"
    );
  });
});

describe('environment.yml', () => {
  it('reads only the pip: part, with lines; conda packages are listed apart', () => {
    const m = parseEnvironmentYml(read('environment.yml'), 'environment.yml');
    expect(m.dependencies.map((d) => [d.name, d.version, d.line, d.source])).toEqual([
      ['astropy', '6.1.0', 10, 'environment-yml'],
      ['sunpy', undefined, 11, 'environment-yml']
    ]);
    expect(m.options).toEqual([{ option: '--extra-index-url', value: 'https://internal.example.org/simple', line: 9 }]);
    expect(m.condaPackages!.map((c) => c.spec)).toEqual(['python=3.12', 'numpy', 'pip']);
  });
  it('names file and line for a bad pip entry', () => {
    expect(() => parseEnvironmentYml('dependencies:\n  - pip:\n      - "bad =="\n', 'environment.yml')).toThrow(
      /^environment\.yml:3:/
    );
  });
});

describe('file kinds', () => {
  it.each([
    ['requirements.txt', 'requirements'],
    ['requirements-dev.txt', 'requirements'],
    ['requirements/test.txt', 'requirements'],
    ['a/pyproject.toml', 'pyproject'],
    ['uv.lock', 'uv-lock'],
    ['poetry.lock', 'poetry-lock'],
    ['pylock.toml', 'pylock'],
    ['pylock.dev.toml', 'pylock'],
    ['environment.yml', 'environment-yml'],
    ['README.md', undefined]
  ])('%s → %s', (f, k) => expect(pythonFileKind(f)).toBe(k));
});
