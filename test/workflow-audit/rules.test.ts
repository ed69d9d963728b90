// Each rule of the workflow audit named once where it must fire and once
// where it must stay quiet (test/rules.test.ts reads these calls), on the
// cases of audits.test.ts; and the audit's contract on inputs that are not
// workflows at all: never a throw, one error line per unreadable file.
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import {
  WORKFLOW_AUDITS,
  WORKFLOW_AUDIT_REGISTRY,
  WORKFLOW_AUDIT_RULES,
  auditWorkflowDiff,
  auditWorkflows,
  parseWorkflowDocument,
  type WorkflowSource
} from '@security-actions/core/workflow';
import { expectFires, expectQuiet } from '../helpers/rules';
import { sourcesOf } from './cases';

const here = import.meta.dirname;
const run = (c: string) => auditWorkflows(sourcesOf(join(here, c)), { visibility: 'public' }).findings;
const diff = (c: string) =>
  auditWorkflowDiff(sourcesOf(join(here, 'diff', c, 'base')), sourcesOf(join(here, 'diff', c, 'head'))).findings;

describe('every workflow rule fires and stays quiet', () => {
  test('template injection', () => {
    expectFires(run('template-injection/pull-request-target.yml'), 'workflow/template-injection', 4);
    expectQuiet(run('template-injection/safe.yml'), 'workflow/template-injection');
  });
  test('dangerous triggers', () => {
    expectFires(run('dangerous-triggers/through-env.yml'), 'workflow/dangerous-trigger');
    expectQuiet(run('dangerous-triggers/labeler-only.yml'), 'workflow/dangerous-trigger');
  });
  test('permissions', () => {
    expectFires(run('permissions/write-all.yml'), 'workflow/write-permissions');
    expectQuiet(run('permissions/read-only.yml'), 'workflow/write-permissions');
    expectFires(run('permissions/default.yml'), 'workflow/default-permissions', 2);
    expectQuiet(run('permissions/read-only.yml'), 'workflow/default-permissions');
  });
  test('credential persistence', () => {
    expectFires(run('artipacked/checkouts.yml'), 'workflow/checkout-persist-credentials');
    expectQuiet(run('permissions/read-only.yml'), 'workflow/checkout-persist-credentials');
  });
  test('pinning', () => {
    expectFires(run('unpinned-uses/refs.yml'), 'workflow/unpinned-uses', 5);
    expectQuiet(run('publish/good.yml'), 'workflow/unpinned-uses');
    expectFires(run('unpinned-uses/refs.yml'), 'workflow/no-version-comment', 1);
    expectQuiet(run('publish/good.yml'), 'workflow/no-version-comment');
    expectFires(run('unpinned-images/images.yml'), 'workflow/unpinned-images');
    expectQuiet(run('hardcoded-container-credentials/credentials.yml'), 'workflow/unpinned-images');
    expectFires(run('known-compromised/actions.yml'), 'workflow/compromised-action', 3);
    expectQuiet(run('unpinned-uses/refs.yml'), 'workflow/compromised-action');
  });
  test('caches in release builds', () => {
    expectFires(run('cache-poisoning/release.yml'), 'workflow/cache-poisoning');
    expectQuiet(run('cache-poisoning/not-release.yml'), 'workflow/cache-poisoning');
    expectFires(run('publish/bad.yml'), 'publish/cache-in-release');
    expectQuiet(run('publish/good.yml'), 'publish/cache-in-release');
  });
  test('runners', () => {
    expectFires(run('self-hosted-runner/runners.yml'), 'workflow/self-hosted-runner', 3);
    expectQuiet(run('permissions/read-only.yml'), 'workflow/self-hosted-runner');
    expectFires(run('self-hosted-runner/registration.yml'), 'workflow/runner-registration');
    expectQuiet(run('self-hosted-runner/runners.yml'), 'workflow/runner-registration');
  });
  test('secrets', () => {
    expectFires(run('secrets/all-secrets.yml'), 'workflow/all-secrets', 3);
    expectQuiet(run('secrets/exfiltration.yml'), 'workflow/all-secrets');
    expectFires(run('secrets/exfiltration.yml'), 'workflow/secrets-to-outside-host', 2);
    expectQuiet(run('secrets/not-exfiltration.yml'), 'workflow/secrets-to-outside-host');
  });
  test('expressions and conditions', () => {
    expectFires(run('obfuscation/expressions.yml'), 'workflow/obfuscation');
    expectQuiet(run('template-injection/safe.yml'), 'workflow/obfuscation');
    expectFires(run('unsound-conditions/conditions.yml'), 'workflow/unsound-condition', 2);
    expectQuiet(run('bot-conditions/prt.yml'), 'workflow/unsound-condition');
    expectFires(run('unsound-conditions/conditions.yml'), 'workflow/unsound-contains', 2);
    expectQuiet(run('bot-conditions/prt.yml'), 'workflow/unsound-contains');
    expectFires(run('unsound-conditions/conditions.yml'), 'workflow/unsound-ternary', 1);
    expectQuiet(run('template-injection/pull-request-target.yml'), 'workflow/unsound-ternary');
    expectFires(run('bot-conditions/prt.yml'), 'workflow/bot-conditions', 2);
    expectQuiet(run('unsound-conditions/conditions.yml'), 'workflow/bot-conditions');
  });
  test('environment files and commands', () => {
    expectFires(run('github-env/prt.yml'), 'workflow/github-env', 4);
    expectQuiet(run('template-injection/safe.yml'), 'workflow/github-env');
    expectFires(run('insecure-commands/env.yml'), 'workflow/insecure-commands');
    expectQuiet(run('template-injection/safe.yml'), 'workflow/insecure-commands');
    expectFires(run('hardcoded-container-credentials/credentials.yml'), 'workflow/hardcoded-container-credentials', 1);
    expectQuiet(run('unpinned-images/images.yml'), 'workflow/hardcoded-container-credentials');
  });
  test('publishing', () => {
    const bad = run('publish/bad.yml');
    const good = run('publish/good.yml');
    expectFires(bad, 'publish/trigger');
    expectQuiet(good, 'publish/trigger');
    expectQuiet(run('publish/tag-guard.yml'), 'publish/trigger');
    expectFires(bad, 'publish/no-environment');
    expectQuiet(good, 'publish/no-environment');
    expectFires(bad, 'publish/password');
    expectQuiet(good, 'publish/password');
    expectFires(bad, 'publish/id-token-scope');
    expectQuiet(good, 'publish/id-token-scope');
    expectFires(bad, 'publish/no-print-hash');
    expectQuiet(good, 'publish/no-print-hash');
    expectFires(run('publish/verify.yml'), 'publish/unverified-artifacts', 3);
    expectQuiet(good, 'publish/unverified-artifacts');
    expectFires(run('trusted-publishing/tokens.yml'), 'workflow/use-trusted-publishing', 2);
    // PyPI credentials are publish/password's; the same step is not reported twice.
    expectQuiet(bad, 'workflow/use-trusted-publishing');
  });
  test('new triggers, in diff mode only', () => {
    expectFires(diff('untrusted-trigger'), 'workflow/untrusted-trigger');
    expectQuiet(run('untrusted-trigger/full-mode.yml'), 'workflow/untrusted-trigger');
  });
});

describe('the audit on inputs that are not workflows', () => {
  const odd: WorkflowSource[] = [
    { path: 'empty.yml', text: '' },
    { path: 'list.yml', text: '- a\n- b\n' },
    { path: 'scalar.yml', text: 'just text\n' },
    { path: 'wrong-types.yml', text: 'on: 5\njobs: 3\npermissions: [a]\nenv: x\n' },
    {
      path: 'jobs-wrong.yml',
      text: 'on: push\njobs:\n  a: [1, 2]\n  b:\n    steps: {x: 1}\n    runs-on: {group: 7}\n'
    },
    { path: 'action.yml', text: 'runs:\n  using: composite\n  steps: 3\n' },
    { path: 'bad.yml', text: 'on: push\njobs:\n  a: {\n' },
    { path: 'tabs.yml', text: 'on: push\njobs:\n\ta: 1\n' }
  ];

  test('reads what it can, never throws, and names each unreadable file once with its line', () => {
    const r = auditWorkflows(odd);
    expect(r.errors).toEqual([
      expect.stringMatching(/^bad\.yml:\d+: invalid YAML: /),
      expect.stringMatching(/^tabs\.yml:3: invalid YAML: /)
    ]);
    expect(r.notChecked.map((n) => n.target)).toEqual(['bad.yml', 'tabs.yml']);
    expect(r.documents.map((d) => d.path)).toEqual(
      odd.map((o) => o.path).filter((p) => !['bad.yml', 'tabs.yml'].includes(p))
    );
  });

  test('an alias bomb is cut short, not expanded', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`
      );
    const text = `${levels.join('\n')}\non: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n`;
    const t0 = performance.now();
    const r = auditWorkflows([{ path: 'bomb.yml', text }]);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.documents).toHaveLength(1);
  });

  test('positions: an aliased value is where its text is written, with the alias beside it', () => {
    const text =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - &co\n        uses: actions/checkout@v4\n      - *co\n';
    const r = parseWorkflowDocument({ path: 'w.yml', text });
    if (!('doc' in r)) throw new Error(r.error);
    const [first, second] = r.doc.jobs[0].steps;
    expect(first.uses?.text.pos).toEqual({ line: 7, column: 15 });
    expect(second.uses?.text.pos).toEqual({ line: 7, column: 15 });
    expect(second.via).toEqual({ line: 8, column: 9 });
    const f = auditWorkflows([{ path: 'w.yml', text }]).findings.filter((x) => x.ruleId === 'workflow/unpinned-uses');
    expect(f.map((x) => [x.location?.line, x.properties?.aliasLine])).toEqual([
      [7, undefined],
      [7, 8]
    ]);
    // Two occurrences of one text keep distinct fingerprints (their sites differ).
    expect(new Set(f.map((x) => x.fingerprint)).size).toBe(2);
  });

  test('fingerprints do not move with lines', () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
    const moved = text.replace('jobs:', '# a comment\n\njobs:');
    const fp = (t: string) =>
      auditWorkflows([{ path: 'w.yml', text: t }]).findings.map((x) => `${x.ruleId} ${x.fingerprint}`);
    expect(fp(moved)).toEqual(fp(text));
  });

  test('the registry owns every rule of every audit and maps the retired ids', () => {
    expect(WORKFLOW_AUDIT_REGISTRY.get('actions/unpinned')?.id).toBe('workflow/unpinned-uses');
    expect(WORKFLOW_AUDIT_REGISTRY.get('publish/unpinned-action')?.id).toBe('workflow/unpinned-uses');
    expect(WORKFLOW_AUDIT_REGISTRY.get('actions/docker-unpinned')?.id).toBe('workflow/unpinned-images');
    expect(WORKFLOW_AUDIT_REGISTRY.list().every((r) => r.spec.length > 0 && r.why && r.remediation)).toBe(true);
  });

  test('the light rule list is the audits, in their order, with the very rule objects the audits raise', () => {
    expect(WORKFLOW_AUDIT_RULES.map((a) => a.id)).toEqual(WORKFLOW_AUDITS.map((a) => a.id));
    WORKFLOW_AUDITS.forEach((a, i) => expect(a.rules).toBe(WORKFLOW_AUDIT_RULES[i].rules));
  });
});
