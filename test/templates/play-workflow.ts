// Plays a template's jobs the way the runner would, for the step kinds the
// templates use and nothing else (an unknown `uses:` fails the test):
//
// - `if:`, `with:`, `env:` and job outputs are evaluated with GitHub's own
//   expression library (@actions/expressions, which @actions/workflow-parser
//   is built on), with the status functions of the runner: an `if:` without
//   one means `success() && (...)`;
// - `run:` steps run in bash as the runner starts them (`bash --noprofile
//   --norc -eo pipefail`), with a stub `gh` on PATH that answers the few API
//   routes of the Actions REST API the scripts call from a simulated history of
//   workflow runs (filters applied as GitHub applies them, `--jq` through the
//   real jq), and refuses them without `actions: read` like a private repository;
// - actions/upload-artifact and actions/download-artifact move files between
//   jobs of one run and, with `run-id`, from an earlier run (which needs
//   `github-token` and `actions: read`);
// - actions/create-github-app-token hands out a token;
// - this suite's actions run from their committed bundles (test/harness).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import { type RunResult, parseFileCommands, runAction } from '../harness/run-action';
import { OWN_PREFIX, type Perms, type Step, actionName, permsOf, stepsOf } from './workflows';

export interface Artifact {
  id: number;
  name: string;
  files: Record<string, string>;
  retentionDays?: number;
  expired: boolean;
}

export interface SimRun {
  id: number;
  event: string;
  headBranch: string;
  /** Another repository's id: a pull request from a fork. */
  headRepositoryId?: number;
  status: 'completed' | 'in_progress';
  conclusion?: 'success' | 'failure' | null;
  workflowPath: string;
  artifacts: Artifact[];
}

export interface World {
  repository: string;
  repositoryId: number;
  defaultBranch: string;
  runs: SimRun[];
  /** API routes (substring of the path) the stub answers with an HTTP error. */
  apiFaults?: Record<string, number>;
  /** Everything the runs' access-audit steps need that a runner would give them. */
  audit: { apiUrl: string; graphqlUrl: string; pypiUrl: string };
  /** Fails the App token step of the legs this returns true for (a broken shard). */
  failAppToken?: (matrix: Record<string, unknown>) => boolean;
  /** The repository's files at the default branch, for actions/checkout. */
  files?: Record<string, string>;
}

export type Outcome = 'success' | 'failure' | 'skipped';

export interface StepResult {
  id?: string;
  name: string;
  outcome: Outcome;
  outputs: Record<string, string>;
  /** The evaluated `with:` (or `env:` for scripts). */
  given: Record<string, string>;
  /** The bundle's run, for this suite's actions. */
  action?: RunResult;
  log?: string;
}

export interface JobResult {
  result: Outcome;
  outputs: Record<string, string>;
  legs: { matrix: Record<string, unknown>; steps: StepResult[]; workspace: string }[];
}

const CONTEXTS = [
  'github',
  'needs',
  'steps',
  'matrix',
  'strategy',
  'vars',
  'secrets',
  'env',
  'runner',
  'job',
  'inputs'
];
const STATUS = ['always', 'cancelled', 'success', 'failure'];

function evaluate(expr: string, context: Record<string, unknown>, ok: boolean): data.ExpressionData {
  const parsed = new Parser(
    new Lexer(expr).lex().tokens,
    CONTEXTS,
    STATUS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }))
  ).parse();
  const fn = (name: string, v: boolean) =>
    [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(v) }] as const;
  const functions = new Map([fn('always', true), fn('cancelled', false), fn('success', ok), fn('failure', !ok)]);
  return new Evaluator(
    parsed,
    JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary,
    functions
  ).evaluate();
}

/** A `with:`/`env:` value: every `${{ }}` replaced by its string value, as the runner passes inputs. */
export function interpolate(value: unknown, context: Record<string, unknown>): string {
  return String(value ?? '').replace(/\$\{\{(.*?)\}\}/gs, (_m, e: string) => evaluate(e, context, true).coerceString());
}

/** An `if:` (with or without `${{ }}`); without a status function it is `success() && (...)`. */
export function condition(value: unknown, context: Record<string, unknown>, ok: boolean): boolean {
  if (value === undefined || value === null) return ok;
  let expr = String(value).trim();
  const whole = /^\$\{\{(.*)\}\}$/s.exec(expr);
  if (whole) expr = whole[1];
  if (!new RegExp(`\\b(${STATUS.join('|')})\\s*\\(`).test(expr)) expr = `success() && (${expr})`;
  return truthy(evaluate(expr, context, ok));
}

const STUB = `import { appendFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const world = JSON.parse(readFileSync(process.env.STUB_WORLD, 'utf8'));
const args = process.argv.slice(2);
appendFileSync(process.env.STUB_LOG, JSON.stringify(args) + '\\n');
const fail = (msg, status) => { process.stderr.write('gh: ' + msg + (status ? ' (HTTP ' + status + ')' : '') + '\\n'); process.exit(1); };
if (args[0] !== 'api') fail('the stub answers gh api only');
if (!process.env.GH_TOKEN) fail('To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable.');
let method; let path; let jq; const fields = {};
for (let i = 1; i < args.length; i++) {
  const a = args[i];
  if (a === '-X' || a === '--method') method = args[++i];
  else if (a === '-f' || a === '-F' || a === '--raw-field' || a === '--field') { const [k, ...v] = args[++i].split('='); fields[k] = v.join('='); }
  else if (a === '--jq' || a === '-q') jq = args[++i];
  else if (a.startsWith('-')) fail('the stub does not know ' + a);
  else path = a;
}
// gh sends fields as a POST body unless the method is given.
method = method ?? (Object.keys(fields).length ? 'POST' : 'GET');
if (method !== 'GET') fail('Not Found', 404);
const perms = JSON.parse(process.env.STUB_PERMISSIONS);
for (const [route, status] of Object.entries(world.apiFaults ?? {})) if (path.includes(route)) fail('Server Error', status);
const repo = 'repos/' + world.repository;
const actionsRead = () => { if (!['read', 'write'].includes(perms.actions)) fail('Resource not accessible by integration', 403); };
const runJson = (r) => ({ id: r.id, event: r.event, head_branch: r.headBranch, status: r.status, conclusion: r.conclusion ?? null,
  path: r.workflowPath, repository: { id: world.repositoryId, full_name: world.repository },
  head_repository: { id: r.headRepositoryId ?? world.repositoryId } });
let body;
let m;
const rest = path.startsWith(repo + '/') ? path.slice(repo.length) : undefined;
if (path === repo) body = { full_name: world.repository, default_branch: world.defaultBranch };
else if (rest && (m = rest.split('/')).length === 5 && m[1] === 'actions' && m[2] === 'workflows' && m[4] === 'runs') {
  actionsRead();
  const runs = world.runs.filter((r) => r.workflowPath.split('/').pop() === decodeURIComponent(m[3]));
  if (!runs.length) fail('Not Found', 404);
  const page = runs
    .filter((r) => (!fields.branch || r.headBranch === fields.branch) && (!fields.status || r.status === fields.status) && (!fields.event || r.event === fields.event))
    .sort((a, b) => b.id - a.id);
  body = { total_count: page.length, workflow_runs: page.slice(0, Number(fields.per_page ?? 30)).map(runJson) };
} else if (rest && (m = rest.split('/')).length === 5 && m[1] === 'actions' && m[2] === 'runs' && m[4] === 'artifacts') {
  actionsRead();
  const run = world.runs.find((r) => String(r.id) === m[3]);
  if (!run) fail('Not Found', 404);
  const list = run.artifacts.filter((a) => !fields.name || a.name === fields.name).map((a) => ({ id: a.id, name: a.name, expired: a.expired }));
  body = { total_count: list.length, artifacts: list };
} else fail('Not Found', 404);
process.stdout.write(jq === undefined ? JSON.stringify(body) + '\\n' : execFileSync('jq', ['-r', jq], { input: JSON.stringify(body), encoding: 'utf8' }));
`;

let artifactIds = 1000;

/** Runs one `run:` step as the runner does, with the stub `gh`. */
export function runScript(
  script: string,
  opts: { world: World; env: Record<string, string>; permissions: Perms; workflowRef: string }
): { exitCode: number | null; outputs: Record<string, string>; stdout: string; stderr: string; ghCalls: string[][] } {
  const dir = mkdtempSync(join(tmpdir(), 'play-run-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(dir, 'stub.mjs'), STUB);
  writeFileSync(join(bin, 'gh'), `#!/usr/bin/env bash\nexec "${process.execPath}" "${join(dir, 'stub.mjs')}" "$@"\n`, {
    mode: 0o755
  });
  const { audit: _audit, failAppToken: _f, ...plain } = opts.world;
  writeFileSync(join(dir, 'world.json'), JSON.stringify(plain));
  writeFileSync(join(dir, 'script.sh'), script);
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'gh.log'), '');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'script.sh')], {
    encoding: 'utf8',
    env: {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      HOME: dir,
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_REPOSITORY: opts.world.repository,
      GITHUB_WORKFLOW_REF: opts.workflowRef,
      STUB_WORLD: join(dir, 'world.json'),
      STUB_LOG: join(dir, 'gh.log'),
      STUB_PERMISSIONS: JSON.stringify(opts.permissions),
      ...opts.env
    }
  });
  return {
    exitCode: r.status,
    outputs: parseFileCommands(readFileSync(join(dir, 'output'), 'utf8')),
    stdout: r.stdout,
    stderr: r.stderr,
    ghCalls: readFileSync(join(dir, 'gh.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  };
}

function filesUnder(root: string): Record<string, string> {
  if (statSync(root).isFile()) return { [basename(root)]: readFileSync(root, 'utf8') };
  const out: Record<string, string> = {};
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[relative(root, join(e.parentPath, e.name))] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

function writeFiles(dest: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dest, rel)), { recursive: true });
    writeFileSync(join(dest, rel), text);
  }
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`
  );

interface Leg {
  run: SimRun;
  world: World;
  workflowRef: string;
  permissions: Perms;
  workspace: string;
  context: Record<string, any>;
  matrix: Record<string, unknown>;
}

async function playStep(
  step: Step & { id?: string; 'continue-on-error'?: boolean },
  leg: Leg
): Promise<Omit<StepResult, 'id' | 'name'>> {
  const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, leg.context)]));
  const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(v, leg.context)]));
  const done = (outcome: Outcome, outputs: Record<string, string> = {}, extra: Partial<StepResult> = {}) => ({
    outcome,
    outputs,
    given: step.run ? env : w,
    ...extra
  });
  if (step.run) {
    const r = runScript(step.run, {
      world: leg.world,
      env,
      permissions: leg.permissions,
      workflowRef: leg.workflowRef
    });
    return done(r.exitCode === 0 ? 'success' : 'failure', r.outputs, { log: `${r.stdout}${r.stderr}` });
  }
  const uses = step.uses ?? '';
  const name = actionName(uses);
  if (name === 'actions/create-github-app-token') {
    if (!w['app-id'] || !w['private-key'] || leg.world.failAppToken?.(leg.matrix)) return done('failure');
    return done('success', { token: 'audit-token' });
  }
  if (name === 'actions/checkout') {
    if (!['read', 'write'].includes(leg.permissions.contents))
      return done('failure', {}, { log: 'Repository not found (the job has no contents: read)' });
    // sparse-checkout (cone mode off): only the listed paths.
    const only = w['sparse-checkout']
      ? w['sparse-checkout']
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : undefined;
    const files = Object.fromEntries(Object.entries(leg.world.files ?? {}).filter(([p]) => !only || only.includes(p)));
    writeFiles(resolve(leg.workspace, w.path || '.'), files);
    return done('success');
  }
  if (name === 'actions/download-artifact') {
    let source = leg.run;
    if (w['run-id']) {
      // Another run's artifacts come through the REST API with github-token.
      if (!w['github-token'] || !['read', 'write'].includes(leg.permissions.actions))
        return done('failure', {}, { log: 'Resource not accessible by integration' });
      const other = leg.world.runs.find((r) => r.id === Number(w['run-id']));
      if (!other) return done('failure', {}, { log: `no run ${w['run-id']}` });
      source = other;
    }
    const live = source.artifacts.filter((a) => !a.expired);
    const picked = w.name
      ? live.filter((a) => a.name === w.name)
      : live.filter((a) => glob(w.pattern || '*').test(a.name));
    if (w.name && !picked.length) return done('failure', {}, { log: `Artifact not found for name: ${w.name}` });
    const dest = resolve(leg.workspace, w.path || '.');
    for (const a of picked) writeFiles(w.name || w['merge-multiple'] === 'true' ? dest : join(dest, a.name), a.files);
    return done('success', { 'download-path': dest });
  }
  if (name === 'actions/upload-artifact') {
    if (!w.path) return done('failure', {}, { log: 'Input required and not supplied: path' });
    const path = resolve(leg.workspace, w.path);
    const artifactName = w.name || 'artifact';
    if (!existsSync(path))
      return done(
        (w['if-no-files-found'] || 'warn') === 'error' ? 'failure' : 'success',
        {},
        { log: `No files were found with the provided path: ${w.path}` }
      );
    if (leg.run.artifacts.some((a) => a.name === artifactName))
      return done('failure', {}, { log: `an artifact named ${artifactName} already exists` });
    const a: Artifact = {
      id: ++artifactIds,
      name: artifactName,
      files: filesUnder(path),
      retentionDays: w['retention-days'] ? Number(w['retention-days']) : undefined,
      expired: false
    };
    leg.run.artifacts.push(a);
    return done('success', { 'artifact-id': String(a.id) });
  }
  if (uses.startsWith(`${OWN_PREFIX}access-audit@`)) {
    // The one input the test adds: PyPI is the fake (no internet here).
    const r = await runAction('access-audit', {
      inputs: { ...w, 'pypi-url': leg.world.audit.pypiUrl },
      githubToken: leg.context.github.token,
      repository: leg.world.repository,
      apiUrl: leg.world.audit.apiUrl,
      graphqlUrl: leg.world.audit.graphqlUrl,
      workspace: leg.workspace,
      eventName: leg.run.event,
      env: { GITHUB_REF: `refs/heads/${leg.run.headBranch}`, GITHUB_RUN_ID: String(leg.run.id) }
    });
    return done(r.exitCode === 0 ? 'success' : 'failure', r.outputs, { action: r });
  }
  throw new Error(`play-workflow does not know how to run ${uses}`);
}

/** Plays every job of `doc` in `needs` order as run `run` of `world`; returns each job's result. */
export async function playRun(
  doc: any,
  workflowPath: string,
  run: SimRun,
  world: World
): Promise<Record<string, JobResult>> {
  const jobs: Record<string, JobResult> = {};
  const pending = Object.keys(doc.jobs);
  const workflowRef = `${world.repository}/${workflowPath}@refs/heads/${run.headBranch}`;
  const github = {
    token: 'workflow-token',
    repository: world.repository,
    repository_owner: world.repository.split('/')[0],
    event_name: run.event,
    workflow_ref: workflowRef
  };
  while (pending.length) {
    const id = pending.find((j) => [doc.jobs[j].needs ?? []].flat().every((n: string) => jobs[n]));
    if (!id) throw new Error(`unsatisfiable needs among ${pending.join(', ')}`);
    pending.splice(pending.indexOf(id), 1);
    const job = doc.jobs[id];
    const needIds: string[] = [job.needs ?? []].flat();
    const needs = Object.fromEntries(needIds.map((n) => [n, { result: jobs[n].result, outputs: jobs[n].outputs }]));
    const needsOk = needIds.every((n) => jobs[n].result === 'success');
    if (!condition(job.if, { github, needs }, needsOk)) {
      jobs[id] = { result: 'skipped', outputs: {}, legs: [] };
      continue;
    }
    const axes = Object.entries(job.strategy?.matrix ?? {}) as [string, unknown[]][];
    if (axes.length > 1) throw new Error('play-workflow handles one matrix axis');
    const combos: Record<string, unknown>[] = axes.length ? axes[0][1].map((v) => ({ [axes[0][0]]: v })) : [{}];
    const result: JobResult = { result: 'success', outputs: {}, legs: [] };
    for (const matrix of combos) {
      const workspace = mkdtempSync(join(tmpdir(), `play-${id}-`));
      const context: Record<string, any> = {
        github,
        needs,
        matrix,
        strategy: { 'job-total': combos.length },
        vars: { AUDIT_APP_ID: '123456' },
        secrets: { AUDIT_APP_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----' },
        steps: {}
      };
      const leg: Leg = { run, world, workflowRef, permissions: permsOf(job.permissions), workspace, context, matrix };
      const steps: StepResult[] = [];
      let ok = true;
      for (const step of stepsOf(job) as (Step & { id?: string; 'continue-on-error'?: boolean })[]) {
        const label = step.name ?? step.uses ?? 'run';
        let r: Omit<StepResult, 'id' | 'name'>;
        if (!condition(step.if, context, ok)) r = { outcome: 'skipped', outputs: {}, given: {} };
        else r = await playStep(step, leg);
        if (r.outcome === 'failure' && !step['continue-on-error']) ok = false;
        steps.push({ id: step.id, name: label, ...r });
        if (step.id)
          context.steps[step.id] = {
            outcome: r.outcome,
            conclusion: r.outcome === 'failure' && step['continue-on-error'] ? 'success' : r.outcome,
            outputs: r.outputs
          };
      }
      if (!ok) result.result = 'failure';
      result.outputs = Object.fromEntries(
        Object.entries(job.outputs ?? {}).map(([k, v]) => [k, interpolate(v, context)])
      );
      result.legs.push({ matrix, steps, workspace });
    }
    jobs[id] = result;
  }
  return jobs;
}

/** A leg's step by id or name. */
export function stepOf(job: JobResult, idOrName: string, leg = 0): StepResult {
  const s = job.legs[leg]?.steps.find((x) => x.id === idOrName || x.name === idOrName);
  if (!s) throw new Error(`no step ${idOrName} in leg ${leg}`);
  return s;
}

/** Copies a run's artifact files somewhere readable (for assertions). */
export function artifactText(run: SimRun, name: string): Record<string, string> | undefined {
  return run.artifacts.find((a) => a.name === name)?.files;
}
