// The suite's own static checks run over its templates and workflows, as they
// would on a project that adopts them: verify-deps' action checks,
// access-audit's publish-workflow rules and pr-anomaly-scan's workflow rules
// (each file as newly added by a PR, the strictest case). No finding at medium or above, except the one kind a PR that
// adds these files is meant to show a reviewer: a job-level write permission,
// and only those in the permissions table of templates.test.ts.
import { describe, expect, it } from '@jest/globals';
import { rank, type Finding } from '../../packages/core/src/index';
import { verifyDeps } from '../../actions/verify-deps/src/engine';
import { EMPTY_POLICY } from '../../actions/verify-deps/src/policy';
import { scanWorkflow } from '../../actions/pr-anomaly-scan/src/workflows';
import { publishWorkflowFindings } from '../../actions/access-audit/src/publish';
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

describe.each(files.map((w) => [w.file, w] as const))('pr-anomaly-scan workflow rules over %s (added by a PR)', (_f, w) => {
  it('finds nothing at medium or above but the job-level writes the permission table grants', () => {
    const { findings, error } = scanWorkflow(w.file, undefined, w.text);
    expect(error).toBeUndefined();
    const writes = new Set(jobsOf(w).flatMap(([, job]) => Object.entries(permsOf(job.permissions)).filter(([, v]) => v === 'write').map(([k]) => `${k}: write`)));
    const unexpected = findings.filter(atLeastMedium).filter((f) => !(f.ruleId.endsWith('write-permissions') && writes.has(String(f.evidence))));
    expect(unexpected.map((f) => `${f.ruleId} ${f.location?.line}: ${f.message}`)).toEqual([]);
  });
});

describe('pr-anomaly-scan workflow rules can fail on a template', () => {
  it('flags an untrusted expression moved into a script', () => {
    const w = files.find((f) => f.file === 'workflows-templates/release.yml')!;
    const text = w.text.replace('run: pipx run build', 'run: echo "${{ github.event.pull_request.title }}" && pipx run build');
    expect(scanWorkflow(w.file, w.text, text).findings.filter(atLeastMedium).map((f) => f.ruleId)).toEqual([expect.stringMatching(/template-injection/)]);
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
