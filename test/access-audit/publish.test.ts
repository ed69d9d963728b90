import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflowDocument } from '@security-actions/core/workflow';
import { publishFindings } from '../../actions/access-audit/src/checks/publish';
import { REGISTRY } from '../../actions/access-audit/src/rules';
import { REPO_ROOT } from '../harness/run-action';
import { expectFires, expectQuiet } from '../helpers/rules';

const SHA = 'a'.repeat(40);
/** 1-based line of the first line containing `needle` (after line `after`). */
const lineOf = (text: string, needle: string, after = 0) => {
  const i = text.split('\n').findIndex((l, n) => n >= after && l.includes(needle));
  if (i < 0) throw new Error(`fixture has no line with ${needle}`);
  return i + 1;
};
/** The check over a repository's workflow files (path → text), each parsed as access-audit reads it. */
const check = (files: Record<string, string>) =>
  publishFindings(
    Object.entries(files).map(([path, text]) => {
      const r = parseWorkflowDocument({ path, text, kind: 'workflow' });
      if ('error' in r) throw new Error(r.error);
      return r.doc;
    })
  );
const raised = (file: string, text: string) => check({ [file]: text }).findings;
const summary = (file: string, text: string, others: Record<string, string> = {}) =>
  check({ [file]: text, ...others })
    .findings.filter((f) => f.location?.file === file)
    .map((f) => `${f.ruleId} ${f.location?.line}`)
    .sort();

const GOOD = `name: Release
on:
  release:
    types: [published]
  workflow_dispatch:
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA} # v4
      - uses: actions/setup-python@${SHA} # v5
        with:
          python-version: '3.x'
      - run: pipx run build
  publish:
    needs: [build]
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: pypa/gh-action-pypi-publish@${SHA} # v1.12.4
        with:
          print-hash: true
`;

const BAD = `name: Publish
on:
  push:
    tags: ['v*']
  schedule:
    - cron: '0 0 * * *'
  workflow_dispatch:
permissions:
  contents: read
  id-token: write
env:
  TWINE_PASSWORD: \${{ secrets.PYPI_API_TOKEN }}
jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - run: pytest
  build:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA} # v4
      - uses: actions/setup-python@${SHA} # v5
        with:
          cache: pip
      - uses: actions/cache@main
        with:
          path: ~/.cache
          key: k
      - run: python -m build
  upload:
    needs: [build]
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          password: \${{ secrets.PYPI_TOKEN }}
      - run: twine upload dist/*
`;

describe('the publish check (the workflow audit on one repository)', () => {
  it('finds nothing in a workflow that follows SPEC 8', () => {
    const r = check({ '.github/workflows/release.yml': GOOD });
    expect([...r.publishing]).toEqual(['.github/workflows/release.yml']);
    expect(r.findings).toEqual([]);
    const found = raised('.github/workflows/release.yml', GOOD);
    expectQuiet(found, 'publish/trigger');
    expectQuiet(found, 'publish/no-environment');
    expectQuiet(found, 'publish/password');
    expectQuiet(found, 'publish/id-token-scope');
    expectQuiet(found, 'workflow/unpinned-uses');
    expectQuiet(found, 'publish/cache-in-release');
    expectQuiet(found, 'publish/no-print-hash');
  });

  it('reports every SPEC 8 problem of a bad publishing workflow at its line', () => {
    const f = '.github/workflows/publish.yml';
    const r = check({ [f]: BAD });
    expect([...r.publishing]).toEqual([f]);
    const jobs = lineOf(BAD, 'jobs:');
    const testJob = lineOf(BAD, '  test:');
    const build = lineOf(BAD, '  build:');
    expect(summary(f, BAD)).toEqual(
      [
        // The push is filtered to tags: pushing a tag is a decision to release (not reported).
        `publish/trigger ${lineOf(BAD, '  schedule:')}`,
        `publish/no-environment ${lineOf(BAD, '  upload:')}`,
        `publish/password ${lineOf(BAD, 'password:')}`,
        `publish/password ${lineOf(BAD, 'TWINE_PASSWORD')}`,
        `publish/id-token-scope ${lineOf(BAD, 'id-token: write')}`,
        `publish/id-token-scope ${lineOf(BAD, 'id-token: write', testJob)}`,
        `workflow/unpinned-uses ${lineOf(BAD, 'actions/checkout@v4', jobs)}`,
        `workflow/unpinned-uses ${lineOf(BAD, 'actions/cache@main')}`,
        `workflow/unpinned-uses ${lineOf(BAD, 'gh-action-pypi-publish@release/v1')}`,
        `publish/cache-in-release ${lineOf(BAD, 'actions/setup-python', build)}`,
        `publish/cache-in-release ${lineOf(BAD, 'actions/cache@main')}`,
        `publish/no-print-hash ${lineOf(BAD, 'gh-action-pypi-publish@release/v1')}`
      ].sort()
    );
    // The test job does not feed the release, so it is not a release job for the cache rule; secrets are named, never their values.
    const found = raised(f, BAD);
    expectFires(found, 'publish/trigger', 1);
    expectFires(found, 'publish/no-environment', 1);
    expectFires(found, 'publish/password', 2);
    expectFires(found, 'publish/id-token-scope', 2);
    expectFires(found, 'workflow/unpinned-uses', 3);
    expectFires(found, 'publish/cache-in-release', 2);
    expectFires(found, 'publish/no-print-hash', 1);
    const password = r.findings.filter((x) => x.ruleId === 'publish/password').map((x) => x.evidence);
    expect(password.sort()).toEqual(['TWINE_PASSWORD', 'password']);
    for (const x of r.findings) expect(x.location?.file).toBe(f);
  });

  it('flags a secret passed on the command line and push-triggered publishing without an event guard', () => {
    const text = GOOD.replace('  release:\n    types: [published]\n', '  push:\n    branches: [main]\n').replace(
      `      - uses: pypa/gh-action-pypi-publish@${SHA} # v1.12.4\n        with:\n          print-hash: true\n`,
      '      - run: uv publish --token ${{ secrets.PYPI_TOKEN }}\n'
    );
    expect(text).not.toContain('gh-action-pypi-publish');
    expect(summary('w.yml', text)).toEqual(
      [`publish/password ${lineOf(text, 'uv publish')}`, `publish/trigger ${lineOf(text, 'push:')}`].sort()
    );
  });

  it('accepts a push trigger that an `if: github.event_name == release` guard keeps from the publish job', () => {
    const text = GOOD.replace('  workflow_dispatch:\n', '  workflow_dispatch:\n  push:\n').replace(
      '    environment: pypi\n',
      "    if: github.event_name == 'release'\n    environment: pypi\n"
    );
    expect(text).toContain('push:');
    expect(summary('w.yml', text)).toEqual([]);
    // A guard that lets push through does not count.
    const loose = text.replace(
      "github.event_name == 'release'",
      "github.event_name == 'release' || github.event_name == 'push'"
    );
    expect(summary('w.yml', loose)).toEqual([`publish/trigger ${lineOf(loose, 'push:')}`]);
  });

  it('accepts id-token: write on a signing job but not on a build job', () => {
    const sign = GOOD.replace(
      '  publish:\n',
      `  sign:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - uses: actions/attest-build-provenance@${SHA} # v2\n  publish:\n`
    );
    expect(summary('w.yml', sign)).toEqual([]);
    const build = GOOD.replace(
      '  build:\n    runs-on: ubuntu-latest\n',
      '  build:\n    runs-on: ubuntu-latest\n    permissions: write-all\n'
    );
    expect(summary('w.yml', build)).toEqual([`publish/id-token-scope ${lineOf(build, 'write-all')}`]);
  });

  it('treats a workflow that calls a local reusable publishing workflow as publishing: its triggers and what it passes count', () => {
    const callee = GOOD.replace(/^on:\n( {2}.*\n)+/m, 'on:\n  workflow_call:\n');
    expect(summary('.github/workflows/publish.yml', callee)).toEqual([]);
    // A push of any branch reaches the release (a push filtered to tags would be a decision to release).
    const branchPush = `name: Release on push\non:\n  push:\n    branches: [main]\n`;
    const caller = `${branchPush}jobs:
  release:
    uses: ./.github/workflows/publish.yml
    permissions:
      id-token: write
    secrets:
      token: \${{ secrets.PYPI_API_TOKEN }}
  docs:
    uses: ./.github/workflows/docs.yml
    permissions:
      id-token: write
`;
    // Without the callee among the repository's files, the caller publishes nothing.
    expect(check({ '.github/workflows/tag.yml': caller }).findings).toEqual([]);
    const r = check({ '.github/workflows/tag.yml': caller, '.github/workflows/publish.yml': callee });
    expect([...r.publishing].sort()).toEqual(['.github/workflows/publish.yml', '.github/workflows/tag.yml']);
    // The push trigger reaches the release; the token secret is handed over; the docs job gets an OIDC token it does not need.
    // No environment finding: a calling job cannot have one (the callee's job has it).
    expect(summary('.github/workflows/tag.yml', caller, { '.github/workflows/publish.yml': callee })).toEqual(
      [
        `publish/id-token-scope ${lineOf(caller, 'id-token', lineOf(caller, 'docs:'))}`,
        `publish/password ${lineOf(caller, 'secrets.PYPI')}`,
        `publish/trigger ${lineOf(caller, 'push:')}`
      ].sort()
    );
  });

  it('says nothing about workflows that do not publish', () => {
    const ci =
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - uses: actions/checkout@v4\n      - run: pipx run twine check dist/*\n';
    const r = check({ '.github/workflows/ci.yml': ci });
    expect(r.findings).toEqual([]);
    expect(r.publishing.size).toBe(0);
  });

  it('reports pins only in the workflows that publish, under the id that replaced publish/unpinned-action', () => {
    const ci = 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
    const release = GOOD.replace(/actions\/setup-python@[0-9a-f]{40} # v5/, 'actions/setup-python@v5');
    const r = check({ '.github/workflows/ci.yml': ci, '.github/workflows/release.yml': release });
    expect(r.findings.map((f) => `${f.ruleId} ${f.location?.file}:${f.location?.line}`)).toEqual([
      `workflow/unpinned-uses .github/workflows/release.yml:${lineOf(release, 'setup-python@v5')}`
    ]);
    expect(r.findings[0].severity).toBe('high');
    // Configs and exemptions written for the retired id still apply (the shared runner reads it through the alias).
    expect(REGISTRY.renamed('publish/unpinned-action')).toBe('workflow/unpinned-uses');
  });

  it('finds the suite’s own release template compliant', () => {
    const file = 'workflows-templates/release.yml';
    const r = check({ [file]: readFileSync(join(REPO_ROOT, file), 'utf8') });
    expect([...r.publishing]).toEqual([file]);
    expect(r.findings.map((f) => f.message)).toEqual([]);
  });
});
