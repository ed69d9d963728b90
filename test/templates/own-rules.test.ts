// The suite's own static checks run over its templates and workflows, as they
// would on a project that adopts them: verify-deps' action checks,
// access-audit's publish-workflow rules and pr-anomaly-scan's workflow rules
// (each file as newly added by a PR, the strictest case). No finding at medium
// or above, without exception: the job-level write grants the templates need
// are reported at low, for a reviewer to confirm.
import { describe, expect, it } from '@jest/globals';
import { rank, type Finding } from '../../packages/core/src/index';
import { verifyDeps } from '../../actions/verify-deps/src/engine';
import { EMPTY_POLICY } from '../../actions/verify-deps/src/policy';
import { scanWorkflow } from '../../actions/pr-anomaly-scan/src/workflows';
import { publishWorkflowFindings } from '../../actions/access-audit/src/checks/publish';
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
    expect(result.findings.filter(atLeastMedium).map((f) => f.ruleId)).toEqual(['actions/unpinned']);
  });
});

describe.each(files.map((w) => [w.file, w] as const))(
  'pr-anomaly-scan workflow rules over %s (added by a PR)',
  (_f, w) => {
    it('finds nothing at medium or above; every job-level write grant is still pointed out, at low', () => {
      const { findings, error } = scanWorkflow(w.file, undefined, w.text);
      expect(error).toBeUndefined();
      expect(findings.filter(atLeastMedium).map((f) => `${f.ruleId} ${f.location?.line}: ${f.message}`)).toEqual([]);
      // Not silent: each write the workflow grants is reported to the reviewer.
      const writes = jobsOf(w).flatMap(([, job]) =>
        Object.entries(permsOf(job.permissions))
          .filter(([, v]) => v === 'write')
          .map(([k]) => `${k}: write`)
      );
      const reported = findings.filter((f) => f.ruleId === 'workflow/write-permissions');
      expect(reported.map((f) => f.severity).filter((s) => s !== 'low')).toEqual([]);
      expect(new Set(reported.map((f) => String(f.evidence)))).toEqual(new Set(writes));
    });
  }
);

describe('pr-anomaly-scan workflow rules can fail on a template', () => {
  const w = files.find((f) => f.file === 'workflows-templates/release.yml')!;

  it('flags an untrusted expression moved into a script', () => {
    const text = w.text.replace(
      'run: pipx run build',
      'run: echo "${{ github.event.pull_request.title }}" && pipx run build'
    );
    expect(
      scanWorkflow(w.file, w.text, text)
        .findings.filter(atLeastMedium)
        .map((f) => f.ruleId)
    ).toEqual([expect.stringMatching(/template-injection/)]);
  });

  it('flags, at medium, the signing job’s writes hoisted to the workflow level', () => {
    const text = w.text.replace(
      /^permissions:\n {2}contents: read\n/m,
      'permissions:\n  contents: write\n  id-token: write\n'
    );
    expect(text).not.toBe(w.text);
    const medium = scanWorkflow(w.file, undefined, text).findings.filter(atLeastMedium);
    expect(medium.map((f) => `${f.ruleId} ${f.evidence}`)).toEqual([
      'workflow/write-permissions contents: write',
      'workflow/write-permissions id-token: write'
    ]);
  });

  it('flags, at medium, the same job-level writes once the workflow runs on pull_request_target', () => {
    const text = w.text.replace(/^on:\n/m, 'on:\n  pull_request_target:\n');
    expect(text).not.toBe(w.text);
    const medium = scanWorkflow(w.file, undefined, text)
      .findings.filter(atLeastMedium)
      .map((f) => `${f.ruleId} ${f.evidence}`);
    expect(medium).toEqual(
      expect.arrayContaining([
        'workflow/write-permissions contents: write',
        'workflow/write-permissions id-token: write'
      ])
    );
  });
});

describe('access-audit publish-workflow rules over the templates and workflows', () => {
  it('find nothing at medium or above, and see the release template publish', () => {
    const results = files.map((w) => ({ file: w.file, ...publishWorkflowFindings(w.file, w.text) }));
    expect(results.filter((r) => r.error).map((r) => r.error)).toEqual([]);
    const issues = results.flatMap((r) => r.issues).filter((i) => rank(i.rule.severity) >= rank('medium'));
    expect(issues.map((i) => `${i.rule.id} ${i.input.message}`)).toEqual([]);
    // Not vacuous: the release template is recognised as publishing.
    expect(results.filter((r) => r.publishJobs.length).map((r) => r.file)).toContain('workflows-templates/release.yml');
  });

  it('would flag the release template with its environment removed (the check can fail)', () => {
    const w = files.find((f) => f.file === 'workflows-templates/release.yml')!;
    const text = w.text.replace(/ {4}environment:\n {6}name: pypi\n {6}url: .*\n/, '');
    expect(text).not.toBe(w.text);
    expect(publishWorkflowFindings(w.file, text).issues.map((i) => i.rule.id)).toEqual(['publish/no-environment']);
  });
});
