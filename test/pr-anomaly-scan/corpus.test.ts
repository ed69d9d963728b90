// The labelled corpus through the engine: every malicious case fires its
// rules and scores above zero, no benign case raises an unexpected rule or scores 2 or more, and the precision
// and recall table in docs/pr-anomaly-scan.md is the one measured here
// (UPDATE_DOCS=1 rewrites it). Then every rule, by name, on a case where it
// fires and on a near miss where it stays quiet.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '../harness/run-action';
import { expectFires, expectQuiet } from '../helpers/rules';
import { CASES, trojanSourceCases } from './corpus/cases';
import { type CaseResult, metricsTable, runCase } from './corpus/evaluate';
import { riskScore as riskScoreOf } from '../../actions/pr-anomaly-scan/src/score';

const ALL = [...CASES, ...trojanSourceCases()];
const runs = new Map<string, Promise<CaseResult>>();
/** A case's result, run once whichever test asks first. */
function result(name: string): Promise<CaseResult> {
  const c = ALL.find((x) => x.name === name);
  if (!c) throw new Error(`no corpus case named '${name}'`);
  if (!runs.has(name)) runs.set(name, runCase(c));
  return runs.get(name)!;
}
/** The reported findings of two cases: one where a rule fires, one where it must not. */
const pair = async (fires: string, quiet: string) =>
  (await Promise.all([result(fires), result(quiet)])).map((r) => r.findings);

describe('pr-anomaly-scan corpus', () => {
  it.each(ALL.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const r = await result(c.name);
    expect(r.errors).toEqual([]);
    for (const rule of c.expect) expect([...r.fired]).toContain(rule);
    if (c.label === 'benign') {
      const unexpected = [...r.fired].filter((id) => !(c.also ?? []).includes(id) && !c.expect.includes(id));
      expect(unexpected).toEqual([]);
      expect(r.score).toBeLessThan(2);
    } else {
      expect(r.score).toBeGreaterThan(0);
    }
  });

  it('has the measured precision and recall in the docs', async () => {
    const results = await Promise.all(ALL.map((c) => result(c.name)));
    const table = metricsTable(results);
    const doc = join(REPO_ROOT, 'docs', 'pr-anomaly-scan.md');
    const text = readFileSync(doc, 'utf8');
    const re = /<!-- corpus-metrics:start -->\n(?:[\s\S]*?\n)?<!-- corpus-metrics:end -->/;
    if (process.env.UPDATE_DOCS)
      writeFileSync(
        doc,
        text.replace(re, () => `<!-- corpus-metrics:start -->\n${table}\n<!-- corpus-metrics:end -->`)
      );
    else expect(re.exec(text)?.[0]).toBe(`<!-- corpus-metrics:start -->\n${table}\n<!-- corpus-metrics:end -->`);
  });
});

describe('each rule fires on its case and stays quiet on a near miss', () => {
  const ULTRALYTICS_WF = 'Ultralytics: pull_request_target workflow checks out the head and interpolates head_ref';
  const PINNED_WF = 'new pull_request test workflow, pinned and read-only';
  const GHOST = 'GhostAction: new workflow posts secrets to an outside host';
  const CODECOV = 'coverage upload with the Codecov token';
  const SHAI_HULUD = 'Shai-Hulud: discussion-triggered workflow on a self-hosted runner runs the body';
  const XZ_FIXTURES = 'xz: opaque compressed test fixtures added with no code change';
  const SCIENCE_DATA = 'binary test data in HDF5, NPY and FITS with their tests';
  const B64_EXEC = 'exec of a base64 literal';
  const B64_TESTS = 'base64 test vector and zlib round trip in tests';
  const TJ_BOT = 'tj-actions: commit posing as renovate[bot], not verified';
  const DEPENDABOT = 'verified Dependabot commit from a long-standing maintainer account';
  const WELL_KNOWN = 'new well-known dependency';
  const TRANSLATIONS = 'documentation in many languages';

  it('workflow rules', async () => {
    let [hit, miss] = await pair(ULTRALYTICS_WF, PINNED_WF);
    expectFires(hit, 'workflow/dangerous-trigger');
    expectQuiet(miss, 'workflow/dangerous-trigger');
    [hit, miss] = await pair(ULTRALYTICS_WF, 'PR title reaches a script through env, not interpolated');
    expectFires(hit, 'workflow/template-injection');
    expectQuiet(miss, 'workflow/template-injection');
    [hit, miss] = await pair(GHOST, CODECOV);
    expectFires(hit, 'workflow/secrets-to-outside-host');
    expectQuiet(miss, 'workflow/secrets-to-outside-host');
    expectFires(hit, 'workflow/all-secrets');
    expectQuiet(miss, 'workflow/all-secrets');
    [hit, miss] = await pair(SHAI_HULUD, PINNED_WF);
    expectFires(hit, 'workflow/self-hosted-runner');
    expectQuiet(miss, 'workflow/self-hosted-runner');
    // A self-hosted job that no pull request starts is said, at low, not high.
    const gpu = (await result('self-hosted GPU runner on pushes to main only')).findings;
    expect(gpu.filter((f) => f.ruleId === 'workflow/self-hosted-runner').map((f) => f.severity)).toEqual(['low']);
    expect(hit.filter((f) => f.ruleId === 'workflow/self-hosted-runner').map((f) => f.severity)).toEqual(['high']);
    [hit, miss] = await pair('new unpinned third-party action', 'Dependabot SHA bump of a pinned action');
    expectFires(hit, 'workflow/unpinned-uses', 1);
    expectQuiet(miss, 'workflow/unpinned-uses');
    expectFires(hit, 'workflow/compromised-action', 1);
    expectQuiet(miss, 'workflow/compromised-action');
    [hit, miss] = await pair('workflow gains write-all permissions', PINNED_WF);
    expectFires(hit, 'workflow/write-permissions');
    expectQuiet(miss, 'workflow/write-permissions');
    [hit, miss] = await pair(SHAI_HULUD, PINNED_WF);
    expectFires(hit, 'workflow/untrusted-trigger');
    expectQuiet(miss, 'workflow/untrusted-trigger');
    [hit, miss] = await pair(
      'workflow registers a self-hosted runner',
      'self-hosted GPU runner on pushes to main only'
    );
    expectFires(hit, 'workflow/runner-registration');
    expectQuiet(miss, 'workflow/runner-registration');
  });

  it('build rules', async () => {
    let [hit, miss] = await pair(
      'xz Landlock: a stray character breaks a CMake feature test',
      'CMake adds a library target'
    );
    expectFires(hit, 'build/feature-test', 1);
    expectQuiet(miss, 'build/feature-test');
    [hit, miss] = await pair('pyproject points the build backend at in-tree code', 'member edits pyproject metadata');
    expectFires(hit, 'build/build-backend');
    expectQuiet(miss, 'build/build-backend');
    [hit, miss] = await pair('meson.build runs a downloaded script', 'meson adds a configure_file from a template');
    expectFires(hit, 'build/native-build-script');
    expectQuiet(miss, 'build/native-build-script');
    [hit, miss] = await pair('CMake downloads at configure time', 'CMake adds a library target');
    expectFires(hit, 'build/native-build-script');
    expectQuiet(miss, 'build/native-build-script');
    [hit, miss] = await pair('xz: build-to-host.m4 gains the extraction trigger', 'configure.ac gains a comment only');
    expectFires(hit, 'build/autotools');
    expectQuiet(miss, 'build/autotools');
    [hit, miss] = await pair('conftest.py starts a process that phones home', 'conftest fixture without processes');
    expectFires(hit, 'build/test-runner-hook');
    expectQuiet(miss, 'build/test-runner-hook');
    [hit, miss] = await pair(
      'local pre-commit hook added',
      'pre-commit hook bumped and added from pinned upstream repositories'
    );
    expectFires(hit, 'build/pre-commit-local');
    expectQuiet(miss, 'build/pre-commit-local');
    [hit, miss] = await pair('.pth start-up hook added', 'ordinary bug fix with a test');
    expectFires(hit, 'build/pth-file');
    expectQuiet(miss, 'build/pth-file');
    [hit, miss] = await pair(
      'import-time silent process start (lightning 2026 style)',
      'subprocess called inside a function'
    );
    expectFires(hit, 'build/import-time-process');
    expectQuiet(miss, 'build/import-time-process');
  });

  it('install-time code and the bundle of an action (content rules through the PR scan)', async () => {
    let [hit, miss] = await pair(
      'setup.py gains a cmdclass that downloads code',
      'setup.py reads the version from a file'
    );
    expectFires(hit, 'code/install-hook');
    expectQuiet(miss, 'code/install-hook');
    [hit, miss] = await pair(
      'tj-actions: short shell payload decoded and run from bundled dist/index.js',
      'bundled dist/index.js rebuilt with an ordinary change'
    );
    expectFires(hit, 'obfuscation/shell-decode-exec', 1);
    expectQuiet(miss, 'obfuscation/shell-decode-exec');
    // The old bundle's `git --version` call is not new; the `bash -c` is.
    expectFires(hit, 'code/dist-exec-sink', 1);
    expectQuiet(miss, 'code/dist-exec-sink');
    const shai = await result('Shai-Hulud: npm preinstall script beside a large obfuscated script');
    expectFires(shai.findings, 'obfuscation/minified-js');
    expect(riskScoreOf(shai.findings).chains).toContain('install hook beside an obfuscated script');
    [hit, miss] = await pair(
      'extra package index for an internal name in a Dockerfile, a workflow step and pip.conf',
      'new pull_request test workflow, pinned and read-only'
    );
    expectFires(hit, 'deps/index-url', 3);
    expect(
      hit
        .filter((f) => f.ruleId === 'deps/index-url')
        .map((f) => f.location?.file)
        .sort()
    ).toEqual(['.github/workflows/ci.yml', 'Dockerfile', 'pip.conf']);
    // New in each file (the base names no such index): high, where a reformatted old index is low (real.test.ts).
    expect(hit.filter((f) => f.ruleId === 'deps/index-url').map((f) => f.severity)).toEqual(['high', 'high', 'high']);
    expectQuiet(miss, 'deps/index-url');
  });

  it('privileged triggers follow the data: what a change newly hands to PR code is critical', async () => {
    for (const name of [
      'trigger switched to pull_request_target on a job that builds PR code with a secret',
      'secret newly handed to a pull_request_target job that builds PR code',
      "PR head checked out through another action's inputs"
    ]) {
      const hit = (await result(name)).findings.filter((f) => f.ruleId === 'workflow/dangerous-trigger');
      expect(hit.map((f) => f.severity)).toEqual(['critical']);
    }
    const switched = (await result('pull_request switched to pull_request_target on a workflow that expands the title'))
      .findings;
    expect(switched.filter((f) => f.ruleId === 'workflow/template-injection').map((f) => f.severity)).toEqual([
      'critical'
    ]);
  });

  it('opaque content rules', async () => {
    let [hit, miss] = await pair('gzip data posing as an NPY array', SCIENCE_DATA);
    expectFires(hit, 'binary/opaque-file');
    expectQuiet(miss, 'binary/opaque-file');
    [hit, miss] = await pair('ELF executable disguised as test data', SCIENCE_DATA);
    expectFires(hit, 'binary/executable');
    expectQuiet(miss, 'binary/executable');
    [hit, miss] = await pair(XZ_FIXTURES, SCIENCE_DATA);
    expectFires(hit, 'binary/compressed-test-data', 2);
    expectQuiet(miss, 'binary/compressed-test-data');
    // Both cases add binaries; only the first changes no text line.
    expectFires(hit, 'binary/binary-only-change', 1);
    expectQuiet(miss, 'binary/binary-only-change');
  });

  it('obfuscation rules', async () => {
    let [hit, miss] = await pair(B64_EXEC, B64_TESTS);
    expectFires(hit, 'obfuscation/encoded-exec');
    expectQuiet(miss, 'obfuscation/encoded-exec');
    [hit, miss] = await pair(B64_EXEC, 'notebook with an embedded PNG output');
    expectFires(hit, 'obfuscation/long-encoded-literal');
    expectQuiet(miss, 'obfuscation/long-encoded-literal');
    [hit, miss] = await pair('marshal/zlib of an inline literal', B64_TESTS);
    expectFires(hit, 'obfuscation/decompress-literal');
    expectQuiet(miss, 'obfuscation/decompress-literal');
    [hit, miss] = await pair('string assembled from chr() codes', 'alphabet computed with chr() and ord()');
    expectFires(hit, 'obfuscation/char-code-chain');
    expectQuiet(miss, 'obfuscation/char-code-chain');
    [hit, miss] = await pair('PyArmor-packed module', 'JavaScript docs widget with emoji');
    expectFires(hit, 'obfuscation/packer');
    expectQuiet(miss, 'obfuscation/packer');
    [hit, miss] = await pair(
      'tj-actions: base64 payload added to bundled dist/index.js',
      'bundled dist/index.js rebuilt with an ordinary change'
    );
    expectFires(hit, 'obfuscation/bundled-js-payload');
    expectQuiet(miss, 'obfuscation/bundled-js-payload');
  });

  it('Unicode rules', async () => {
    let [hit, miss] = await pair('Trojan Source bidi override in Python', TRANSLATIONS);
    expectFires(hit, 'unicode/bidi-control');
    expectQuiet(miss, 'unicode/bidi-control');
    [hit, miss] = await pair('zero-width space in an identifier', TRANSLATIONS);
    expectFires(hit, 'unicode/invisible-character');
    expectQuiet(miss, 'unicode/invisible-character');
    [hit, miss] = await pair('Cyrillic look-alike in an identifier', 'Greek-letter identifiers in scientific code');
    expectFires(hit, 'unicode/homoglyph');
    expectQuiet(miss, 'unicode/homoglyph');
    expectQuiet((await result(TRANSLATIONS)).findings, 'unicode/homoglyph');
  });

  it('dependency rules', async () => {
    let [hit, miss] = await pair('new dependency is reported for review (informational)', DEPENDABOT);
    expectFires(hit, 'deps/new-dependency');
    expectQuiet(miss, 'deps/new-dependency');
    [hit, miss] = await pair('typosquatted requirement', WELL_KNOWN);
    expectFires(hit, 'deps/typosquat');
    expectQuiet(miss, 'deps/typosquat');
    [hit, miss] = await pair('VCS dependency and a new index URL', WELL_KNOWN);
    expectFires(hit, 'deps/direct-url');
    expectQuiet(miss, 'deps/direct-url');
    expectFires(hit, 'deps/index-url');
    expectQuiet(miss, 'deps/index-url');
  });

  it('metadata rules', async () => {
    let [hit, miss] = await pair('Ultralytics: shell command in the head branch name', 'ordinary bug fix with a test');
    expectFires(hit, 'meta/branch-name-shell');
    expectQuiet(miss, 'meta/branch-name-shell');
    [hit, miss] = await pair('near-empty PR from a five-day-old account', DEPENDABOT);
    expectFires(hit, 'meta/empty-pr-new-account');
    expectQuiet(miss, 'meta/empty-pr-new-account');
    [hit, miss] = await pair(TJ_BOT, DEPENDABOT);
    expectFires(hit, 'meta/unverified-bot-identity');
    expectQuiet(miss, 'meta/unverified-bot-identity');
    [hit, miss] = await pair('CODEOWNERS rewritten', 'ordinary bug fix with a test');
    expectFires(hit, 'meta/governance-edit');
    expectQuiet(miss, 'meta/governance-edit');
    [hit, miss] = await pair('first-time contributor edits the build and CI', 'member edits pyproject metadata');
    expectFires(hit, 'meta/new-author-sensitive-paths');
    expectQuiet(miss, 'meta/new-author-sensitive-paths');
    [hit, miss] = await pair('VS Code task runs on folder open', 'VS Code test task without auto-run');
    expectFires(hit, 'meta/ide-autorun');
    expectQuiet(miss, 'meta/ide-autorun');
    [hit, miss] = await pair(
      'PR silences the scanner with an inline ignore',
      'file keeps the inline ignore its base already had'
    );
    expectFires(hit, 'meta/suppression-added', 1);
    expectQuiet(miss, 'meta/suppression-added');
    // The ignore itself is applied (by the runner, from the entries the engine returns).
    expectQuiet(hit, 'obfuscation/long-encoded-literal');
  });

  it('secret rule', async () => {
    const [hit, miss] = await pair(
      'GitHub token committed',
      'comments in Chinese and French in code, hash test vectors'
    );
    expectFires(hit, 'secrets/credential', 1);
    expectQuiet(miss, 'secrets/credential');
  });
});
