// The workflow docs/walkthrough.md gives for commenting on fork PRs (the
// pr-anomaly-scan template points there): GitHub's parser accepts it, it holds
// only `actions: read` and `pull-requests: write`, checks nothing out, expands
// no expression in its script, uses the pins and names of the template, and
// its script, run with bash and jq against a stand-in `gh`, posts only
// checked numbers and words however hostile the report and the branch name.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { auditWorkflowDiff } from '@security-actions/core/workflow';
import { REPO_ROOT } from '../harness/run-action';
import { type Step, actionName, readWorkflows } from './workflows';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'walkthrough.md'), 'utf8');
const section = doc.slice(doc.indexOf('### Comments on pull requests from forks'));
const yamlText = /```yaml\n([\s\S]*?)\n```/.exec(section)?.[1] ?? '';
const wf = parseYaml(yamlText);
const steps: Step[] = wf?.jobs?.comment?.steps ?? [];
const files = readWorkflows();
const template = files.find((f) => f.file === 'workflows-templates/pr-anomaly-scan.yml')!;

describe('the fork-PR comment workflow in docs/walkthrough.md', () => {
  it('is there and parses with GitHub’s workflow parser without errors', () => {
    expect(yamlText).toMatch(/^name: PR anomaly scan comment/);
    const result = parseWorkflow(
      { name: 'pr-anomaly-scan-comment.yml', content: yamlText },
      new NoOperationTraceWriter()
    );
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  });

  it('runs after the template’s workflow, with no token at the top and only actions: read and pull-requests: write on its one job', () => {
    expect(wf.on).toEqual({ workflow_run: { workflows: [template.doc.name], types: ['completed'] } });
    expect(wf.permissions).toEqual({});
    expect(Object.keys(wf.jobs)).toEqual(['comment']);
    expect(wf.jobs.comment.permissions).toEqual({ actions: 'read', 'pull-requests': 'write' });
    expect(wf.jobs.comment.if).toMatch(/github\.event\.workflow_run\.event == 'pull_request'/);
  });

  it('checks nothing out, expands no expression in its script, and uses the pins the templates use', () => {
    expect(steps.map((s) => (s.uses ? actionName(s.uses) : 'run'))).toEqual(['actions/download-artifact', 'run']);
    for (const s of steps) if (s.run) expect(s.run).not.toContain('${{');
    const pins = new Set(files.flatMap((f) => f.uses.map((u) => `${u.raw} # ${u.comment}`)));
    const line = yamlText
      .split('\n')
      .find((l) => l.includes('uses: actions/download-artifact@'))!
      .replace(/^\s*- uses: /, '');
    expect(pins.has(line)).toBe(true);
  });

  it('is reported by pr-anomaly-scan when added, at medium and no higher, as the walk-through says', () => {
    const { findings, errors } = auditWorkflowDiff(
      [],
      [{ path: '.github/workflows/pr-anomaly-scan-comment.yml', text: yamlText }]
    );
    expect(errors).toEqual([]);
    expect(findings.filter((f) => ['high', 'critical'].includes(f.severity)).map((f) => f.ruleId)).toEqual([]);
    expect(
      findings
        .filter((f) => f.severity === 'medium')
        .map((f) => `${f.ruleId} ${f.evidence}`)
        .sort()
    ).toEqual(['workflow/write-permissions pull-requests: write']);
    // The trigger itself is pointed out, at low: nothing in the job fetches the PR's code.
    expect(findings.filter((f) => f.ruleId === 'workflow/dangerous-trigger').map((f) => f.severity)).toEqual(['low']);
  });

  it('downloads the artifact the template uploads, outside the workspace, and reads the report file in it', () => {
    const upload = (template.doc.jobs.scan.steps as Step[]).find(
      (s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.name === 'pr-anomaly-scan-report'
    )!;
    expect(upload).toBeDefined();
    const download = steps[0];
    expect(download.with?.name).toBe(upload.with!.name);
    expect(download.with?.path).toBe('${{ runner.temp }}/scan');
    expect(download.with?.['run-id']).toBe('${{ github.event.workflow_run.id }}');
    expect(steps[1].env?.REPORT).toBe(`\${{ runner.temp }}/scan/${upload.with!.path}`);
  });
});

const hasJq = spawnSync('jq', ['--version']).status === 0;
if (!hasJq) console.warn('SKIPPED: the fork-comment script tests need jq on PATH (GitHub-hosted runners have it)');

(hasJq ? describe : describe.skip)('the fork-PR comment script, run with a stand-in gh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fork-comment-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const SHA = 'a'.repeat(40);
  // The stand-in answers as `gh api ... --jq` would after the filter: the PR number, then the existing comment id.
  const gh = join(dir, 'gh');
  writeFileSync(
    gh,
    `#!/usr/bin/env bash
args="$*"
printf '%s\\n' "\${args//$'\\n'/ }" >> "$STUB_DIR/calls"
for a in "$@"; do case "$a" in body=*) printf '%s' "\${a#body=}" > "$STUB_DIR/body";; esac; done
case "$*" in
  *"/pulls "*) printf '%s\\n' "$STUB_PR";;
  *"--paginate"*) printf '%s\\n' "$STUB_EXISTING";;
esac
`
  );
  chmodSync(gh, 0o755);
  const script = steps[1]?.run ?? '';

  function run(report: unknown, env: Record<string, string> = {}) {
    for (const f of ['calls', 'body', 'pwned', 'step.sh']) rmSync(join(dir, f), { force: true });
    const path = join(dir, 'report.json');
    writeFileSync(path, typeof report === 'string' ? report : JSON.stringify(report));
    // As the runner runs a `run:` step with `shell: bash`.
    const file = join(dir, 'step.sh');
    writeFileSync(file, script);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: `${dir}:${process.env.PATH}`,
        STUB_DIR: dir,
        STUB_PR: '7',
        STUB_EXISTING: '',
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
        GITHUB_SERVER_URL: 'https://github.com',
        GH_TOKEN: 'unused',
        REPORT: path,
        RUN_ID: '123',
        HEAD_SHA: SHA,
        HEAD_OWNER: 'forker',
        HEAD_BRANCH: 'fix-typo',
        ...env
      }
    });
    const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined);
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      calls: (read('calls') ?? '').trim().split('\n').filter(Boolean),
      body: read('body'),
      pwned: existsSync(join(dir, 'pwned'))
    };
  }

  const report = (findings: unknown, score: unknown = '1.2/10') => ({ findings, stats: { 'risk score': score } });

  it('posts one comment with the count, highest severity and score of the active findings, and a link to the run', () => {
    const r = run(
      report(
        [{ severity: 'low' }, { severity: 'medium' }, { severity: 'critical', suppression: { kind: 'inline' } }],
        '1.2/10'
      )
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.calls[0]).toBe(
      `api -X GET repos/octo-org/octo-repo/pulls -f state=open -f head=forker:fix-typo --jq map(select(.head.sha == "${SHA}")) | .[0].number // empty`
    );
    expect(r.calls.at(-1)).toMatch(/^api repos\/octo-org\/octo-repo\/issues\/7\/comments -f body=/);
    expect(r.body).toBe(
      '<!-- security-actions:pr-anomaly-scan-fork -->\n' +
        '**PR anomaly scan**: 2 finding(s), highest severity **medium**, risk score 1.2/10.\n' +
        'Details: the [scan run](https://github.com/octo-org/octo-repo/actions/runs/123) (job summary) and code scanning.'
    );
    expect(r.stdout).toContain('Commented on #7.');
  });

  it('edits its earlier comment instead of adding a second one', () => {
    const r = run(report([]), { STUB_EXISTING: '99' });
    expect(r.status).toBe(0);
    expect(r.calls.at(-1)).toMatch(/^api -X PATCH repos\/octo-org\/octo-repo\/issues\/comments\/99 -f body=/);
    expect(r.body).toContain('0 finding(s), highest severity **none**');
  });

  it('a hostile report: severities and score outside the fixed forms are dropped, nothing runs, no link gets in', () => {
    const evil = '$(touch pwned) [x](https://evil.example) `touch pwned`';
    const r = run(report([{ severity: evil }, { severity: 'low\n**critical**' }], `$(touch pwned)/10`));
    expect(r.status).toBe(0);
    expect(r.pwned).toBe(false);
    expect(r.body).toContain('2 finding(s), highest severity **none**, risk score ?/10.');
    expect(r.body).not.toMatch(/evil|pwned/);
  });

  it.each([
    ['not JSON', 'not json'],
    ['not an object', '[1, 2]'],
    ['findings that are not a list', { findings: 'x'.repeat(10), stats: { 'risk score': '0/10' } }]
  ])('a report that is %s: the step fails, no comment', (_n, rep) => {
    const r = run(rep);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("::error::the report's findings are malformed");
    expect(r.calls.some((c) => c.includes('-f body='))).toBe(false);
  });

  it('odd entries are ignored and a missing score shows as ?', () => {
    const r = run({ findings: ['x', 3, null, { severity: 'high' }], stats: 'x' });
    expect(r.status).toBe(0);
    expect(r.body).toContain('1 finding(s), highest severity **high**, risk score ?/10.');
  });

  it('a branch name with shell syntax reaches gh as one argument and runs nothing', () => {
    const r = run(report([]), { HEAD_BRANCH: '$(touch pwned)";`touch pwned`' });
    expect(r.status).toBe(0);
    expect(r.pwned).toBe(false);
    expect(r.calls[0]).toContain('head=forker:$(touch pwned)";`touch pwned`');
  });

  it('no open PR with the scanned head: nothing posted, the job succeeds', () => {
    const r = run(report([{ severity: 'high' }]), { STUB_PR: '' });
    expect(r.status).toBe(0);
    expect(r.calls).toHaveLength(1);
    expect(r.stdout).toContain('nothing to comment on');
  });

  it.each([
    ['a run id that is not a number', { RUN_ID: '1; touch pwned' }],
    ['a head SHA that is not 40 hex digits', { HEAD_SHA: 'main' }]
  ])('%s: refused before any API call', (_n, env) => {
    const r = run(report([]), env);
    expect(r.status).toBe(1);
    expect(r.calls).toEqual([]);
    expect(r.pwned).toBe(false);
  });
});
