// The suite's own static checks run over its templates and workflows, as they
// would on a project that adopts them: the workflow audit as `scan` runs it
// (whole files) and as pr-anomaly-scan runs it (each file newly added by a PR,
// the strictest case), verify-deps' action checks and access-audit's
// publish-workflow rules (both the audit's). No finding at medium or above,
// without exception: the job-level write grants the templates need are
// reported at info, for a reviewer to confirm.
import { describe, expect, it } from '@jest/globals';
import { auditWorkflowDiff, auditWorkflows, parseWorkflowDocument } from '@security-actions/core/workflow';
import { rank, type Finding } from '../../packages/core/src/index';
import { verifyDeps } from '../../actions/verify-deps/src/engine';
import { EMPTY_POLICY } from '../../actions/verify-deps/src/policy';
import { publishFindings } from '../../actions/access-audit/src/checks/publish';
import { jobsOf, permsOf, readWorkflows } from './workflows';

const files = readWorkflows();
const atLeastMedium = (f: Finding) => rank(f.severity) >= rank('medium');

describe('verify-deps action checks over the templates and workflows', () => {
  it('find nothing: every reference is SHA-pinned with a version comment (the online checks are listed as not checked)', async () => {
    const result = await verifyDeps(
      { python: [], actions: files.map((w) => ({ path: w.file, text: w.text })) },
      { checks: new Set(['actions'] as const), offline: true, provenance: 'off', policy: EMPTY_POLICY, now: new Date() }
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.findings.map((f) => `${f.ruleId} ${f.location?.file}:${f.location?.line}`)).toEqual([]);
    expect(result.count).toBeGreaterThan(30);
    // Offline, the impostor-commit and version-comment checks cannot run: they must say so, not pass.
    expect(result.notChecked.length).toBeGreaterThan(0);
  });

  it('would flag a tag-pinned reference (the check can fail)', async () => {
    const w = files.find((f) => f.file === 'workflows-templates/release.yml')!;
    const text = w.text.replace(/actions\/checkout@[0-9a-f]{40} # v4.2.2/, 'actions/checkout@v4');
    expect(text).not.toBe(w.text);
    const result = await verifyDeps(
      { python: [], actions: [{ path: w.file, text }] },
      { checks: new Set(['actions'] as const), offline: true, provenance: 'off', policy: EMPTY_POLICY, now: new Date() }
    );
    expect(result.findings.filter(atLeastMedium).map((f) => f.ruleId)).toEqual(['workflow/unpinned-uses']);
  });
});

describe('the workflow audit over the templates and workflows, as scan runs it', () => {
  it('finds nothing at medium or above, and reads every file', () => {
    const r = auditWorkflows(files.map((w) => ({ path: w.file, text: w.text })));
    expect(r.errors).toEqual([]);
    expect(r.notChecked).toEqual([]);
    expect(r.documents).toHaveLength(files.length);
    expect(r.findings.filter(atLeastMedium).map((f) => `${f.ruleId} ${f.location?.file}:${f.location?.line}`)).toEqual(
      []
    );
  });
});

describe.each(files.map((w) => [w.file, w] as const))(
  'the workflow audit over %s added by a PR (pr-anomaly-scan)',
  (_f, w) => {
    it('finds nothing at medium or above; every job-level write grant is still pointed out, at info', () => {
      const { findings, errors } = auditWorkflowDiff([], [{ path: w.file, text: w.text }]);
      expect(errors).toEqual([]);
      expect(findings.filter(atLeastMedium).map((f) => `${f.ruleId} ${f.location?.line}: ${f.message}`)).toEqual([]);
      // Not silent: each write the workflow grants is reported to the reviewer.
      const writes = jobsOf(w).flatMap(([, job]) =>
        Object.entries(permsOf(job.permissions))
          .filter(([, v]) => v === 'write')
          .map(([k]) => `${k}: write`)
      );
      const reported = findings.filter((f) => f.ruleId === 'workflow/write-permissions');
      expect(reported.map((f) => f.severity).filter((s) => s !== 'info')).toEqual([]);
      expect(new Set(reported.map((f) => String(f.evidence)))).toEqual(new Set(writes));
    });
  }
);

describe('the workflow audit can fail on a template', () => {
  const w = files.find((f) => f.file === 'workflows-templates/release.yml')!;
  const added = (text: string) => auditWorkflowDiff([], [{ path: w.file, text }]).findings.filter(atLeastMedium);

  it('flags an untrusted expression moved into a script', () => {
    const text = w.text.replace(
      'run: pipx run build',
      'run: echo "${{ github.event.pull_request.title }}" && pipx run build'
    );
    expect(
      auditWorkflowDiff([{ path: w.file, text: w.text }], [{ path: w.file, text }])
        .findings.filter(atLeastMedium)
        .map((f) => f.ruleId)
    ).toEqual(['workflow/template-injection']);
  });

  it('flags, at medium, the signing job’s writes hoisted to the workflow level', () => {
    const text = w.text.replace(
      /^permissions:\n {2}contents: read\n/m,
      'permissions:\n  contents: write\n  id-token: write\n'
    );
    expect(text).not.toBe(w.text);
    expect(added(text).map((f) => `${f.ruleId} ${f.severity} ${f.evidence}`)).toEqual(
      expect.arrayContaining([
        'workflow/write-permissions medium contents: write',
        'workflow/write-permissions medium id-token: write'
      ])
    );
  });

  it('flags a push to main that reaches the publish job once its event guard is gone', () => {
    const guarded = w.text.replace(/^on:\n/m, 'on:\n  push:\n    branches: [main]\n');
    expect(added(guarded).map((f) => f.ruleId)).toEqual([]); // `if: github.event_name == 'release'` keeps it out
    const text = guarded.replace("    if: github.event_name == 'release'\n", '');
    expect(text).not.toBe(guarded);
    expect(added(text).map((f) => `${f.ruleId} ${f.severity}`)).toEqual(['publish/trigger high']);
  });
});

describe('access-audit publish-workflow rules over the templates and workflows', () => {
  const docs = (list: { file: string; text: string }[]) =>
    list.map((w) => {
      const r = parseWorkflowDocument({ path: w.file, text: w.text, kind: 'workflow' });
      if ('error' in r) throw new Error(r.error);
      return r.doc;
    });

  it('find nothing at medium or above, and see the release template publish', () => {
    const r = publishFindings(docs(files));
    expect(r.findings.filter(atLeastMedium).map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    // Not vacuous: the release template is recognised as publishing.
    expect([...r.publishing]).toContain('workflows-templates/release.yml');
  });

  it('would flag the release template with its environment removed (the check can fail)', () => {
    const w = files.find((f) => f.file === 'workflows-templates/release.yml')!;
    const text = w.text.replace(/ {4}environment:\n {6}name: pypi\n {6}url: .*\n/, '');
    expect(text).not.toBe(w.text);
    expect(publishFindings(docs([{ file: w.file, text }])).findings.map((f) => f.ruleId)).toEqual([
      'publish/no-environment'
    ]);
  });
});
