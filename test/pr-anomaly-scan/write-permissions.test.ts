// workflow/write-permissions: the severity follows where the grant applies and
// who can start the workflow. `write-all`, and a sensitive write scope at the
// workflow level, are medium; the same scope granted to one job (what the
// rule's remediation asks for) is low, unless the workflow runs on an event
// that hands outside input a privileged token, where it stays medium.
import { describe, expect, it } from '@jest/globals';
import { scanWorkflow } from '../../actions/pr-anomaly-scan/src/workflows';
import { riskScore } from '../../actions/pr-anomaly-scan/src/score';

const FILE = '.github/workflows/ci.yml';
const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';

/** A workflow with the given triggers, top-level permissions and one job `t` with its own. */
function workflow(on: string, top: string, job?: string): string {
  return [
    `on: ${on}`,
    `permissions:${top}`,
    'jobs:',
    '  t:',
    '    runs-on: ubuntu-latest',
    ...(job === undefined ? [] : [`    permissions:${job}`]),
    '    steps:',
    `      - uses: ${CHECKOUT}`,
    '        with:',
    '          persist-credentials: false',
    ''
  ].join('\n');
}
const block = (...lines: string[]) => lines.map((l) => `\n      ${l}`).join('');
const topBlock = (...lines: string[]) => lines.map((l) => `\n  ${l}`).join('');

const writes = (base: string | undefined, head: string) => {
  const { findings, error } = scanWorkflow(FILE, base, head);
  expect(error).toBeUndefined();
  return findings
    .filter((f) => f.ruleId === 'workflow/write-permissions')
    .map((f) => ({ evidence: f.evidence, severity: f.severity, message: f.message }));
};

describe('workflow/write-permissions severity', () => {
  it('a sensitive scope granted at job level on pull_request is low, and still reported', () => {
    const found = writes(
      undefined,
      workflow('pull_request', ' {}', block('contents: write', 'id-token: write', 'attestations: write'))
    );
    expect(found.map((f) => `${f.evidence} ${f.severity}`)).toEqual([
      'contents: write low',
      'id-token: write low',
      'attestations: write low'
    ]);
    expect(found[0].message).toBe('New `contents: write` permission for job `t`.');
  });

  it('the same scope at the workflow level is medium: every job gets it', () => {
    const found = writes(undefined, workflow('pull_request', topBlock('contents: write'), block('contents: read')));
    expect(found.map((f) => `${f.evidence} ${f.severity}`)).toEqual(['contents: write medium']);
    expect(found[0].message).toMatch(/at the workflow level \(every job gets it\)/);
  });

  it('a scope that was medium nowhere stays low at the workflow level', () => {
    expect(
      writes(undefined, workflow('pull_request', topBlock('security-events: write'))).map((f) => f.severity)
    ).toEqual(['low']);
  });

  it.each(['pull_request_target', 'workflow_run', 'issue_comment', 'issues', 'discussion', 'discussion_comment'])(
    'a job-level sensitive scope on %s stays medium (anyone can start the job with input they control)',
    (event) => {
      const found = writes(
        undefined,
        workflow(event, topBlock('contents: read'), block('contents: read', 'pull-requests: write', 'issues: write'))
      );
      expect(found.map((f) => `${f.evidence} ${f.severity}`)).toEqual([
        'pull-requests: write medium',
        'issues: write low'
      ]);
      expect(found[0].message).toContain(`on \`${event}\``);
    }
  );

  it('a job-level sensitive scope in a workflow with both a safe and an untrusted trigger is medium', () => {
    const on = '\n  pull_request:\n  pull_request_target:\n    types: [labeled]';
    expect(writes(undefined, workflow(on, ' {}', block('contents: write'))).map((f) => f.severity)).toEqual(['medium']);
  });

  it('the review events behave like pull_request (read-only token on fork PRs): low', () => {
    expect(
      writes(
        undefined,
        workflow('[pull_request_review, pull_request_review_comment]', ' {}', block('contents: write'))
      ).map((f) => f.severity)
    ).toEqual(['low']);
  });

  it('`permissions: write-all` is medium at the workflow level and at job level', () => {
    expect(writes(undefined, workflow('pull_request', ' write-all')).map((f) => `${f.evidence} ${f.severity}`)).toEqual(
      ['permissions: write-all medium']
    );
    expect(writes(undefined, workflow('push', ' {}', ' write-all')).map((f) => `${f.evidence} ${f.severity}`)).toEqual([
      'permissions: write-all medium'
    ]);
  });

  it('only what the PR introduces: an unchanged job-level grant is not reported', () => {
    const w = workflow('push', topBlock('contents: read'), block('contents: write'));
    expect(writes(w, w)).toEqual([]);
  });

  it('moving a grant from a job to the workflow level is new, and medium (grants are compared by place, not text)', () => {
    const base = workflow('push', topBlock('contents: read'), block('contents: write'));
    const head = workflow('push', topBlock('contents: write'), block('contents: read'));
    expect(writes(base, head).map((f) => `${f.evidence} ${f.severity}`)).toEqual(['contents: write medium']);
  });

  it('adding an untrusted trigger re-reports the job-level grants it exposes, at medium', () => {
    const base = workflow('push', topBlock('contents: read'), block('contents: write'));
    const head = workflow('[push, issue_comment]', topBlock('contents: read'), block('contents: write'));
    const found = writes(base, head);
    expect(found.map((f) => `${f.evidence} ${f.severity}`)).toEqual(['contents: write medium']);
    expect(found[0].message).toMatch(
      /^Existing `contents: write` permission for job `t` is now reachable through the new trigger, on `issue_comment`/
    );
  });

  it('job-level grants alone add little to the risk score; write-all on pull_request_target adds more', () => {
    const low = scanWorkflow(
      FILE,
      undefined,
      workflow('pull_request', ' {}', block('contents: write', 'id-token: write', 'attestations: write'))
    ).findings;
    const high = scanWorkflow(FILE, undefined, workflow('pull_request_target', ' write-all')).findings;
    expect(riskScore(low).score).toBeLessThan(riskScore(high).score);
    expect(riskScore(low).score).toBeLessThan(2);
  });
});
