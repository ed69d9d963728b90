// Runs every case under test/workflow-audit/ (see README.md): each audit's
// folder of inputs with the expected findings marked on their lines, the
// diff-mode cases, and malformed files.
import { describe, expect, it, test } from '@jest/globals';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '@security-actions/core';
import {
  WORKFLOW_AUDITS,
  auditWorkflowDiff,
  auditWorkflows,
  type WorkflowSource
} from '@security-actions/core/workflow';
import { markersOf, sourcesOf } from './cases';

const here = import.meta.dirname;

const show = (f: { rule?: string; ruleId?: string; line?: number; severity?: string }) =>
  `${f.rule ?? f.ruleId}@${f.line} ${f.severity ?? ''}`.trim();

/** Compares findings with the markers of each file, for the rules in scope. */
function check(sources: WorkflowSource[], findings: Finding[], errors: string[], scope: Set<string>) {
  for (const s of sources) {
    const { expect: marks, errors: errLines } = markersOf(s.text);
    const rules = new Set([...scope, ...marks.map((m) => m.rule)]);
    const got = findings
      .filter((f) => f.location?.file === s.path && rules.has(f.ruleId))
      .map((f) => ({ rule: f.ruleId, line: f.location?.line, severity: f.severity }));
    const want = marks.map((m) => ({ rule: m.rule, line: m.line, severity: m.severity }));
    const key = (x: { rule: string; line?: number }) => `${x.rule}@${x.line}`;
    // Severity is compared where the marker gives one.
    const sevOf = new Map(want.map((w) => [key(w), w.severity]));
    const gotShown = got
      .map((g) => show({ ...g, severity: sevOf.get(key(g)) === undefined ? undefined : g.severity }))
      .sort();
    expect({ file: s.path, findings: gotShown }).toEqual({ file: s.path, findings: want.map(show).sort() });
    const fileErrors = errors.filter((e) => e.startsWith(`${s.path}:`));
    expect({ file: s.path, errors: fileErrors.map((e) => Number(/^[^:]+:(\d+)/.exec(e)?.[1])) }).toEqual({
      file: s.path,
      errors: errLines
    });
  }
}

const folders = readdirSync(here).filter((n) => statSync(join(here, n)).isDirectory() && n !== 'diff');
const casesOf = (folder: string) =>
  readdirSync(join(here, folder)).filter((n) => /\.ya?ml$/.test(n) || statSync(join(here, folder, n)).isDirectory());

describe('workflow audit cases', () => {
  test('every audit has a folder of cases, and every folder names an audit', () => {
    expect(WORKFLOW_AUDITS.map((a) => a.id).filter((id) => !folders.includes(id))).toEqual([]);
    expect(folders.filter((f) => f !== 'model' && !WORKFLOW_AUDITS.some((a) => a.id === f))).toEqual([]);
  });

  for (const folder of folders) {
    const audit = WORKFLOW_AUDITS.find((a) => a.id === folder);
    const scope = new Set(audit ? Object.values(audit.rules).map((r) => r.id) : []);
    test.each(casesOf(folder))(`${folder}/%s`, (name) => {
      const sources = sourcesOf(join(here, folder, name));
      const r = auditWorkflows(sources, { visibility: 'public' });
      check(sources, r.findings, r.errors, scope);
    });
  }

  test.each(readdirSync(join(here, 'diff')))('diff/%s', (name) => {
    const base = sourcesOf(join(here, 'diff', name, 'base'));
    const head = sourcesOf(join(here, 'diff', name, 'head'));
    const r = auditWorkflowDiff(base, head, { visibility: 'public' });
    // In diff mode every rule is in scope: what the head introduces is exactly what is marked.
    const all = new Set(WORKFLOW_AUDITS.flatMap((a) => Object.values(a.rules).map((x) => x.id)));
    check(head, r.findings, r.errors, all);
  });
});

describe('a change that pins actions as the base already does', () => {
  const SHA = 'a'.repeat(40);
  const wf = (steps: string[]) =>
    `on: push\npermissions: {}\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n${steps.map((s) => `      - uses: ${s}\n`).join('')}`;
  // Real shape: scikit-image@055fd19c6786 added reusable workflows with the tag pins its other workflows use.
  const rest = [
    { path: '.github/workflows/release.yml', text: wf(['actions/checkout@v4', 'actions/setup-python@v5']) }
  ];
  const base = [{ path: '.github/workflows/ci.yml', text: wf([`actions/setup-python@${SHA} # v5.0.0`]) }];
  const head = [
    { path: '.github/workflows/ci.yml', text: wf(['actions/setup-python@v5']) },
    { path: '.github/workflows/build.yml', text: wf(['actions/checkout@v5', 'someone/new-action@v1']) }
  ];
  const pins = (r: { findings: Finding[] }) =>
    r.findings
      .filter((f) => f.ruleId === 'workflow/unpinned-uses')
      .map(
        (f) =>
          `${f.location?.file}:${f.evidence} ${f.severity}${f.properties?.convention ? ` ${f.properties.convention}` : ''}`
      )
      .sort();

  it('reports a pin the base uses elsewhere at low; a new action, or one this file pinned by SHA, stays high', () => {
    expect(pins(auditWorkflowDiff(base, head, {}, rest))).toEqual([
      '.github/workflows/build.yml:actions/checkout@v5 low repository',
      '.github/workflows/build.yml:someone/new-action@v1 high',
      '.github/workflows/ci.yml:actions/setup-python@v5 high'
    ]);
  });

  // Held-out judgements (jupyter_client, notebook, jupyter_server, zarr-python, sunpy): the trust the base already gives.
  it('counts a repository, GitHub’s own actions and the repository’s own organisation, pinned no worse', () => {
    const baseRest = [
      {
        path: '.github/workflows/old.yml',
        text: wf([
          'jupyterlab/maintainer-tools/.github/actions/base-setup@v1',
          'actions/checkout@v4',
          'conda-incubator/setup-miniconda@master',
          'OpenAstronomy/github-actions-workflows/.github/workflows/tox.yml@v1'
        ])
      }
    ];
    const added = [
      {
        path: '.github/workflows/new.yml',
        text: wf([
          'jupyterlab/maintainer-tools/.github/actions/make-sdist@v1', // same repository, another path
          'actions/upload-artifact@v4', // GitHub's own, pinned by tag like checkout
          'github/codeql-action/init@v3',
          'conda-incubator/setup-miniconda@v2', // a tag where the base follows a branch: better
          'jupyter-server/jupyter_releaser/.github/actions/check-release@v2', // the repository's own organisation
          'someone/new-action@v1', // trusted nowhere yet
          'OpenAstronomy/github-actions-workflows/.github/workflows/publish.yml@main' // a branch where the base has a tag: worse
        ])
      }
    ];
    const r = auditWorkflowDiff([], added, { repository: 'jupyter-server/jupyter_server' }, baseRest);
    expect(pins(r)).toEqual([
      '.github/workflows/new.yml:OpenAstronomy/github-actions-workflows/.github/workflows/publish.yml@main high',
      '.github/workflows/new.yml:actions/upload-artifact@v4 low github',
      '.github/workflows/new.yml:conda-incubator/setup-miniconda@v2 low repository',
      '.github/workflows/new.yml:github/codeql-action/init@v3 high',
      '.github/workflows/new.yml:jupyter-server/jupyter_releaser/.github/actions/check-release@v2 low own-organisation',
      '.github/workflows/new.yml:jupyterlab/maintainer-tools/.github/actions/make-sdist@v1 low repository',
      '.github/workflows/new.yml:someone/new-action@v1 high'
    ]);
    expect(r.findings.find((f) => f.evidence?.startsWith('actions/upload'))?.message).toMatch(/GitHub’s own actions/);
  });

  it('without the rest of the base, every new pin keeps its severity', () => {
    expect(pins(auditWorkflowDiff(base, head, {}))).toEqual([
      '.github/workflows/build.yml:actions/checkout@v5 high',
      '.github/workflows/build.yml:someone/new-action@v1 high',
      '.github/workflows/ci.yml:actions/setup-python@v5 high'
    ]);
  });

  it('leaves a severity the tag policy set alone', () => {
    const r = auditWorkflowDiff(base, head, { allowTags: [{ owner: 'actions', severity: 'medium' }] }, rest);
    expect(pins(r)).toContain('.github/workflows/build.yml:actions/checkout@v5 medium');
  });
});

describe('workflow_run: who starts the workflows it names', () => {
  // sunpy@53ea2dd337ea: ci.yml also runs after "Scheduled build triggerer", which only a schedule and maintainers start.
  const ci = [
    'name: CI',
    'on:',
    '  pull_request:',
    '  workflow_run:',
    '    workflows: [Scheduled build triggerer]',
    'jobs:',
    '  sdist:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - uses: actions/checkout@${'a'.repeat(40)} # v5.0.0`,
    '      - run: python -m build --sdist'
  ].join('\n');
  const upstream = (on: string) =>
    `name: Scheduled build triggerer\non:\n${on}\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n`;
  const creds = (files: { path: string; text: string }[]) =>
    auditWorkflows(files)
      .findings.filter((f) => f.ruleId === 'workflow/checkout-persist-credentials' && f.location?.file === 'ci.yml')
      .map((f) => f.severity);
  const CI = { path: 'ci.yml', text: ci };

  it('is as trusted as its upstreams: a schedule and a manual run are maintainers', () => {
    const trusted = creds([
      CI,
      { path: 'sched.yml', text: upstream('  schedule:\n    - cron: "0 7 * * 1"\n  workflow_dispatch:') }
    ]);
    const untrusted = creds([
      CI,
      { path: 'sched.yml', text: upstream('  schedule:\n    - cron: "0 7 * * 1"\n  pull_request:') }
    ]);
    const unknown = creds([CI]);
    expect(untrusted).toEqual(unknown);
    expect(unknown.length).toBeGreaterThan(0);
    // The upstream a fork can start (or one no file names) keeps the finding where it was; the maintainers' does not.
    const rank = (s: string[]) =>
      Math.max(-1, ...s.map((x) => ['info', 'low', 'medium', 'high', 'critical'].indexOf(x)));
    expect(rank(trusted)).toBeLessThan(rank(unknown));
  });

  it('in a diff, reads the upstream from the rest of the base', () => {
    const sched = { path: 'sched.yml', text: upstream('  schedule:\n    - cron: "0 7 * * 1"') };
    const r = auditWorkflowDiff([], [CI], {}, [sched]);
    const withRest = r.findings.filter((f) => f.ruleId === 'workflow/checkout-persist-credentials');
    const without = auditWorkflowDiff([], [CI], {}).findings.filter(
      (f) => f.ruleId === 'workflow/checkout-persist-credentials'
    );
    expect(withRest.map((f) => f.severity)).not.toEqual(without.map((f) => f.severity));
  });
});
