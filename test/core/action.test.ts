import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type ActionDefinition, runAction } from '../../packages/core/src/action';
import type { Finding, NotChecked, Rule } from '../../packages/core/src/findings';
import type { Annotation, EngineResult } from '../../packages/core/src/report';
import { NO_FILE } from '../../packages/core/src/sarif';
import type { ActionRuntime } from '../../packages/core/src/runtime';
import { FAIL_ON, type Severity } from '../../packages/core/src/severity';
import { RuleRegistry } from '../../packages/core/src/rules';
import { finding, lineOf, rule } from './helpers';

interface Fake extends ActionRuntime {
  outputs: Record<string, string>;
  summaries: string[];
  annotations: Annotation[];
  failures: { message: string; reportsExisted: boolean; summaryWritten: boolean }[];
  logs: string[];
  /** Everything the runtime was handed, for secret checks. */
  everything(): string;
}

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});

let ws: string;
let temp: string;
beforeEach(async () => {
  const root = await mkdtemp(join(tmpdir(), 'core-action-'));
  roots.push(root);
  ws = join(root, 'ws');
  temp = join(root, 'temp');
  await mkdir(ws, { recursive: true });
  await mkdir(temp, { recursive: true });
});

const NAME = 'verify-deps';
const defaultSarif = () => join(temp, `${NAME}.sarif`);
const defaultReport = () => join(temp, `${NAME}-report.json`);

function fake(inputs: Record<string, string> = {}, env: Record<string, string> = {}): Fake {
  const f: Fake = {
    env: {
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: temp,
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])),
      ...env
    },
    now: () => new Date('2025-06-15T12:00:00Z'),
    outputs: {},
    summaries: [],
    annotations: [],
    failures: [],
    logs: [],
    setOutput(n, v) {
      f.outputs[n] = v;
    },
    setFailed(message) {
      f.failures.push({
        message,
        reportsExisted:
          existsSync(f.outputs['sarif-file'] || defaultSarif()) &&
          existsSync(f.outputs['report-file'] || defaultReport()),
        summaryWritten: f.summaries.length > 0
      });
    },
    async appendSummary(md) {
      f.summaries.push(md);
    },
    annotate(a) {
      f.annotations.push(a);
    },
    info: (m) => void f.logs.push(`info ${m}`),
    warning: (m) => void f.logs.push(`warning ${m}`),
    debug: (m) => void f.logs.push(`debug ${m}`),
    everything: () => JSON.stringify([f.outputs, f.summaries, f.annotations, f.failures, f.logs])
  };
  return f;
}

function engine(
  result: (Partial<EngineResult> & { outputs?: Record<string, string> }) | (() => Promise<never>),
  extra: Partial<ActionDefinition> = {}
): ActionDefinition {
  return {
    name: NAME,
    rules: new RuleRegistry(NAME, []),
    run: typeof result === 'function' ? result : async () => ({ rules: [], findings: [], notChecked: [], ...result }),
    ...extra
  };
}

const rHigh = rule('workflow/unpinned-action', 'high');
const rMed = rule('deps/no-hash', 'medium');
const rLow = rule('deps/old', 'low');
const rules: Rule[] = [rHigh, rMed, rLow];
const at = (r: Rule, i: number, severity?: Severity): Finding =>
  finding(r, { location: { file: `f${i}.txt`, line: i + 1 }, evidence: `e${i}`, ...(severity ? { severity } : {}) });

async function readJson(file: string): Promise<any> {
  return JSON.parse(await readFile(file, 'utf8'));
}

describe('runAction outputs', () => {
  it('findings-count, highest-severity, sarif-file and report-file', async () => {
    const suppressed: Finding = {
      ...at(rHigh, 9, 'critical'),
      suppression: { kind: 'inSource', reason: 'reviewed and fine' }
    };
    const findings = [at(rMed, 1), at(rLow, 2), at(rMed, 3), suppressed];
    const rt = fake({ 'fail-on': 'none' });
    await runAction(engine({ rules, findings }), rt);
    expect(rt.outputs['findings-count']).toBe(String(findings.filter((f) => !f.suppression).length));
    expect(rt.outputs['highest-severity']).toBe('medium'); // the suppressed critical does not count
    expect(rt.outputs['sarif-file']).toBe(defaultSarif());
    expect(rt.outputs['report-file']).toBe(defaultReport());
    const sarif = await readJson(defaultSarif());
    expect(sarif.runs[0].results).toHaveLength(findings.length);
    const json = await readJson(defaultReport());
    expect(json.findings).toHaveLength(findings.length);
    expect(rt.failures).toEqual([]);
    expect(rt.summaries).toHaveLength(1);
  });

  it('highest-severity is none and the count 0 without findings; engine outputs pass through', async () => {
    const rt = fake();
    await runAction(engine({ rules, outputs: { 'dependencies-count': '17' } }), rt);
    expect(rt.outputs['findings-count']).toBe('0');
    expect(rt.outputs['highest-severity']).toBe('none');
    expect(rt.outputs['dependencies-count']).toBe('17');
    expect(rt.failures).toEqual([]);
  });

  it('relative sarif-file and report-file inputs resolve against the workspace', async () => {
    const rt = fake({ 'sarif-file': 'out/r.sarif', 'report-file': 'out/r.json' });
    await runAction(engine({ rules }), rt);
    expect(rt.outputs['sarif-file']).toBe(join(ws, 'out/r.sarif'));
    expect(rt.outputs['report-file']).toBe(join(ws, 'out/r.json'));
    expect(existsSync(join(ws, 'out/r.sarif'))).toBe(true);
    expect(existsSync(join(ws, 'out/r.json'))).toBe(true);
  });
});

describe('runAction fail-on', () => {
  const findings = () => [at(rMed, 1), at(rMed, 2), at(rLow, 3)];

  it('none never fails', async () => {
    const rt = fake({ 'fail-on': 'none' });
    await runAction(engine({ rules, findings: [at(rHigh, 1, 'critical')] }), rt);
    expect(rt.failures).toEqual([]);
  });

  it('high (the default) passes below high and fails at or above it', async () => {
    for (const inputs of [{ 'fail-on': 'high' }, {}] as Record<string, string>[]) {
      const below = fake(inputs);
      await runAction(engine({ rules, findings: findings() }), below);
      expect(below.failures).toEqual([]);
      const above = fake(inputs);
      await runAction(engine({ rules, findings: [...findings(), at(rHigh, 4)] }), above);
      expect(above.failures).toHaveLength(1);
      expect(above.failures[0].message).toContain('1 high');
    }
  });

  it('low fails on low and above, counting each severity; suppressed findings never fail', async () => {
    const rt = fake({ 'fail-on': 'LOW' });
    await runAction(engine({ rules, findings: findings() }), rt);
    expect(rt.failures).toHaveLength(1);
    expect(rt.failures[0].message).toContain('2 medium');
    expect(rt.failures[0].message).toContain('1 low');
    expect(rt.failures[0].message).not.toMatch(/\n/);

    const quiet = fake({ 'fail-on': 'low' });
    await runAction(
      engine({
        rules,
        findings: findings().map((f) => ({ ...f, suppression: { kind: 'inSource' as const, reason: 'accepted risk' } }))
      }),
      quiet
    );
    expect(quiet.failures).toEqual([]);
  });

  it('reports and the summary are written before the step fails', async () => {
    const rt = fake({ 'fail-on': 'low' });
    await runAction(engine({ rules, findings: findings() }), rt);
    expect(rt.failures).toEqual([expect.objectContaining({ reportsExisted: true, summaryWritten: true })]);
  });
});

describe('runAction errors', () => {
  it('an engine that throws: one line, no stack, reports still written, step fails', async () => {
    const rt = fake();
    const report = await runAction(
      engine(async () => {
        throw new Error('could not parse uv.lock\n    at parse (engine.ts:12:3)\n    at run (main.ts:4:1)');
      }),
      rt
    );
    expect(rt.failures).toHaveLength(1);
    const f = rt.failures[0];
    expect(f.reportsExisted).toBe(true);
    expect(f.message).toContain('could not parse uv.lock');
    expect(f.message).not.toMatch(/\n|engine\.ts| {4}at /);
    const json = await readJson(defaultReport());
    expect(json.errors).toEqual(['could not parse uv.lock']);
    expect(json.notChecked).toEqual([expect.objectContaining({ check: NAME })]);
    expect(report.errors).toEqual(json.errors);
    expect(rt.summaries.join('')).not.toContain('engine.ts');
  });

  it('an invalid config: error names file:line, the engine still runs, reports written, step fails', async () => {
    const text = 'version: 1\nignores:\n  - rule: deps/no-hash\n    reason: docs only builds\n    colour: red\n';
    await mkdir(join(ws, '.github'), { recursive: true });
    await writeFile(join(ws, '.github/security-actions.yml'), text);
    const rt = fake();
    let ran = false;
    await runAction(
      {
        name: NAME,
        rules: new RuleRegistry(NAME, []),
        async run() {
          ran = true;
          return { rules, findings: [], notChecked: [] };
        }
      },
      rt
    );
    expect(ran).toBe(true);
    expect(rt.failures).toHaveLength(1);
    expect(rt.failures[0].reportsExisted).toBe(true);
    expect(rt.failures[0].message).toContain(`.github/security-actions.yml:${lineOf(text, 'colour')}:`);
    expect(rt.failures[0].message).not.toMatch(/\n/);
    expect((await readJson(defaultReport())).errors[0]).toMatch(/^\.github\/security-actions\.yml:\d+: /);
  });

  it('a valid config is applied (ignores and overrides); a finding without a file points at no file, not the config', async () => {
    await mkdir(join(ws, 'conf'), { recursive: true });
    await writeFile(
      join(ws, 'conf/sa.yml'),
      'rules:\n  deps/old: {severity: high}\nignores:\n  - rule: deps/no-hash\n    reason: docs only builds\n'
    );
    const rt = fake({ config: 'conf/sa.yml', 'fail-on': 'high' });
    const unlocated = finding(rMed, { message: 'no location' });
    await runAction(engine({ rules, findings: [at(rLow, 1), unlocated] }), rt);
    const json = await readJson(defaultReport());
    expect(json.findings.find((f: Finding) => f.ruleId === rMed.id).suppression.reason).toBe('docs only builds');
    expect(rt.outputs['highest-severity']).toBe('high');
    expect(rt.failures).toHaveLength(1);
    const sarif = await readJson(defaultSarif());
    const res = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === rMed.id);
    expect(decodeURIComponent(res.locations[0].physicalLocation.artifactLocation.uri)).toBe(NO_FILE);
    // The override is what code scanning shows: deps/old's findings are reported under its high variant.
    const old = sarif.runs[0].results.find((r: { properties: { rule: string } }) => r.properties.rule === rLow.id);
    expect(old.ruleId).toBe(`${rLow.id}/high`);
  });

  it('the default config path may be absent (action.yml passes it as the input default)', async () => {
    const rt = fake({ config: '.github/security-actions.yml' });
    await runAction(engine({ rules }), rt);
    expect(rt.failures).toEqual([]);
  });

  it('a named config file that does not exist is an error naming it', async () => {
    const rt = fake({ config: 'conf/missing.yml' });
    await runAction(engine({ rules }), rt);
    expect(rt.failures).toHaveLength(1);
    expect(rt.failures[0].message).toContain('conf/missing.yml');
    expect(rt.failures[0].reportsExisted).toBe(true);
  });

  it('a malformed event payload: one line naming the file; the engine still runs without it', async () => {
    const eventFile = join(temp, 'event.json');
    await writeFile(eventFile, '{"action": "opened",\n "pull_request": {\n');
    const rt = fake({}, { GITHUB_EVENT_PATH: eventFile });
    let seen: unknown = 'not run';
    await runAction(
      {
        name: NAME,
        rules: new RuleRegistry(NAME, []),
        async run(ctx) {
          seen = ctx.event;
          return { rules, findings: [], notChecked: [] };
        }
      },
      rt
    );
    expect(seen).toBeUndefined();
    expect(rt.failures).toHaveLength(1);
    expect(rt.failures[0].message).toContain(eventFile);
    expect(rt.failures[0].message).not.toMatch(/\n/);
    expect(rt.failures[0].reportsExisted).toBe(true);
  });

  it('a well-formed event payload reaches the engine', async () => {
    const eventFile = join(temp, 'event.json');
    await writeFile(eventFile, JSON.stringify({ action: 'opened', number: 7 }));
    let seen: unknown;
    await runAction(
      {
        name: NAME,
        rules: new RuleRegistry(NAME, []),
        async run(ctx) {
          seen = ctx.event;
          return { rules, findings: [], notChecked: [] };
        }
      },
      fake({}, { GITHUB_EVENT_PATH: eventFile })
    );
    expect(seen).toEqual({ action: 'opened', number: 7 });
  });

  it('an invalid input (fail-on: bogus) names the input and the allowed values; the engine does not run', async () => {
    const rt = fake({ 'fail-on': 'bogus' });
    let ran = false;
    await runAction(
      {
        name: NAME,
        rules: new RuleRegistry(NAME, []),
        async run() {
          ran = true;
          return { rules, findings: [], notChecked: [] };
        }
      },
      rt
    );
    expect(ran).toBe(false);
    expect(rt.failures).toHaveLength(1);
    const m = rt.failures[0].message;
    expect(m).toContain("'fail-on'");
    expect(m).toContain('bogus');
    for (const v of FAIL_ON) expect(m).toContain(v);
    expect(m).not.toMatch(/\n/);
    expect(rt.failures[0].reportsExisted).toBe(true);
  });
});

describe('runAction annotations', () => {
  it('at most 10 per level; the summary says how many were left out', async () => {
    const counts: Record<Severity, number> = { critical: 4, high: 21, medium: 3, low: 9, info: 5 };
    const findings: Finding[] = [];
    let i = 0;
    for (const [sev, n] of Object.entries(counts) as [Severity, number][])
      for (let k = 0; k < n; k++) findings.push(at(rLow, i++, sev));
    const rt = fake({ 'fail-on': 'none' });
    await runAction(engine({ rules, findings }), rt);
    const perLevel = { error: counts.critical + counts.high, warning: counts.medium, notice: counts.low + counts.info };
    const byLevel = (l: string) => rt.annotations.filter((a) => a.level === l).length;
    for (const [level, n] of Object.entries(perLevel))
      expect([level, byLevel(level)]).toEqual([level, Math.min(n, 10)]);
    const omitted = Object.values(perLevel).reduce((s, n) => s + Math.max(0, n - 10), 0);
    expect(omitted).toBe(19);
    expect(rt.summaries.join('')).toContain(`${omitted} more findings not annotated`);
    // The most severe are the ones annotated.
    expect(
      rt.annotations
        .filter((a) => a.level === 'error')
        .every((a) => findings.some((f) => f.location?.file === a.file && f.severity !== 'low'))
    ).toBe(true);
    for (const a of rt.annotations) {
      expect(a.file).toMatch(/^f\d+\.txt$/);
      expect(a.startLine).toBeGreaterThanOrEqual(1);
    }
  });

  it('no omission note when everything is annotated', async () => {
    const rt = fake({ 'fail-on': 'none' });
    await runAction(engine({ rules, findings: [at(rLow, 1), at(rHigh, 2)] }), rt);
    expect(rt.annotations).toHaveLength(2);
    expect(rt.summaries.join('')).not.toContain('not annotated');
  });
});

describe('runAction secrets', () => {
  it('a token given to ctx.github() never reaches any output, summary, log or report', async () => {
    const token = `tok-${'k7Q'.repeat(8)}-${Date.now()}`; // not GitHub-shaped: only registration can hide it
    const rt = fake({ 'fail-on': 'none' });
    await runAction(
      {
        name: NAME,
        rules: new RuleRegistry(NAME, []),
        async run(ctx) {
          await ctx.github(token);
          throw new Error(`GET /repos/o/r failed with Authorization: token ${token}`);
        }
      },
      rt
    );
    expect(rt.failures).toHaveLength(1);
    expect(rt.failures[0].message).toContain('***');
    const files = (await readFile(defaultSarif(), 'utf8')) + (await readFile(defaultReport(), 'utf8'));
    expect(rt.everything()).not.toContain(token);
    expect(files).not.toContain(token);
  });

  it('nor when the engine puts it in findings, not-checked reasons, errors, notes or outputs', async () => {
    const token = `tok-${'Zp4'.repeat(8)}-${Date.now()}`;
    const rt = fake({ 'fail-on': 'none' });
    await runAction(
      {
        name: NAME,
        rules: new RuleRegistry(NAME, []),
        async run(ctx) {
          await ctx.github(token);
          const f = finding(rHigh, {
            message: `token ${token} is too broad`,
            evidence: token,
            location: { file: 'a.yml', line: 1 }
          });
          const nc: NotChecked = { check: 'x', reason: `401 for ${token}`, target: token };
          return {
            rules,
            findings: [f],
            notChecked: [nc],
            errors: [`bad ${token}`],
            notes: [token],
            stats: { token },
            outputs: { leaked: token }
          };
        }
      },
      rt
    );
    const files = (await readFile(defaultSarif(), 'utf8')) + (await readFile(defaultReport(), 'utf8'));
    expect(rt.everything()).not.toContain(token);
    expect(files).not.toContain(token);
    expect(files).toContain('***');
  });
});

describe('runAction not-checked', () => {
  const nc: NotChecked[] = [
    { check: 'deps/provenance', reason: 'PyPI unreachable', target: 'numpy' },
    { check: 'deps/vulnerabilities', reason: 'OSV unreachable' }
  ];

  it('failOnNotChecked makes not-checked entries fail the step', async () => {
    const rt = fake();
    await runAction(engine({ rules, notChecked: nc }, { failOnNotChecked: () => true }), rt);
    expect(rt.failures).toHaveLength(1);
    expect(rt.failures[0].message).toContain(`${nc.length} check(s) could not run`);
    expect(rt.failures[0].reportsExisted).toBe(true);
  });

  it('without it they are reported but do not fail', async () => {
    for (const extra of [{}, { failOnNotChecked: () => false }]) {
      const rt = fake();
      await runAction(engine({ rules, notChecked: nc }, extra), rt);
      expect(rt.failures).toEqual([]);
      expect(rt.summaries.join('')).toMatch(/not passes/);
      expect((await readJson(defaultReport())).notChecked).toEqual(nc);
    }
  });
});

describe('runAction: input files that could not be read', () => {
  const unreadable: NotChecked[] = [{ check: 'deps', reason: 'pyproject.toml:4: invalid TOML', input: true }];

  it('fail the step at any fail-on but none, whatever counts for other not-checked entries', async () => {
    const rt = fake();
    await runAction(engine({ rules, notChecked: unreadable }, { failOnNotChecked: () => false }), rt);
    expect(rt.failures.map((f) => f.message)).toEqual(['verify-deps: 1 input file(s) could not be read']);
    expect(rt.failures[0].reportsExisted).toBe(true);
    const none = fake({ 'fail-on': 'none' });
    await runAction(engine({ rules, notChecked: unreadable }, { failOnNotChecked: () => false }), none);
    expect(none.failures).toEqual([]);
  });
});

describe('runAction publish', () => {
  it('runs after the reports are written; its failure is a warning, not a failed step', async () => {
    const rt = fake();
    let existedAtPublish = false;
    await runAction(
      engine(
        { rules },
        {
          async publish() {
            existedAtPublish = existsSync(defaultSarif()) && existsSync(defaultReport());
            throw new Error('comment API down\nstack');
          }
        }
      ),
      rt
    );
    expect(existedAtPublish).toBe(true);
    expect(rt.failures).toEqual([]);
    expect(rt.logs).toContain('warning could not publish results: comment API down');
  });
});

describe('runAction: where the files are, and inputs read late', () => {
  const sha = 'b'.repeat(40);
  const gh = { GITHUB_SERVER_URL: 'https://github.example', GITHUB_REPOSITORY: 'sp/project', GITHUB_SHA: sha };

  it('the runner environment gives the report a revision, and the summary links each location there', async () => {
    const rt = fake({ 'fail-on': 'none' }, gh);
    const report = await runAction(engine({ rules, findings: [at(rHigh, 1)] }), rt);
    expect(report.revision).toEqual({ server: 'https://github.example', repository: 'sp/project', commit: sha });
    expect(rt.summaries[0]).toContain(`](https://github.example/sp/project/blob/${sha}/f1.txt#L2)`);
  });

  it("the engine's commit wins over GITHUB_SHA (a PR's head), and malformed values give no links", async () => {
    const head = 'c'.repeat(40);
    const withHead = await runAction(engine({ rules, findings: [at(rHigh, 1)], commit: head }), fake({}, gh));
    expect(withHead.revision?.commit).toBe(head);
    for (const bad of [
      { GITHUB_SHA: 'main' },
      { GITHUB_REPOSITORY: 'a/b) [x](y' },
      { GITHUB_SERVER_URL: 'javascript:x' }
    ]) {
      const rt = fake({}, { ...gh, ...bad });
      expect((await runAction(engine({ rules, findings: [at(rHigh, 1)] }), rt)).revision).toBeUndefined();
      expect(rt.summaries[0]).not.toContain('](');
    }
  });

  it('an input that failOnNotChecked cannot read fails the step with one line instead of throwing', async () => {
    const def = engine(
      { rules, notChecked: [{ check: 'x', reason: 'offline' }] },
      { failOnNotChecked: (ctx) => ctx.inputs.boolean('offline', false) }
    );
    const rt = fake({ offline: 'perhaps' });
    await expect(runAction(def, rt)).resolves.toBeDefined();
    expect(rt.failures).toHaveLength(1);
    expect(rt.failures[0].message).toContain('1 check(s) could not run');
  });
});
