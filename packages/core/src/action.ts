// The shared adapter of every action: read the common inputs, load the config
// and event, run the engine, then always write every report before deciding
// whether the step fails. Engines never touch the runner; this file and
// runtime.ts are the only places that do.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { type Config, DEFAULT_CONFIG_PATH, EMPTY_CONFIG, parseConfig } from './config';
import { UserError, oneLine, redact } from './errors';
import { readRegularFile } from './files';
import { type Report, countsAtOrAbove, tally } from './findings';
import { type GitHubClient, apiUrlsFromEnv, createGitHubClient } from './github';
import { type Env, Inputs } from './inputs';
import {
  type EngineResult,
  annotationsFor,
  buildReport,
  revisionFromEnv,
  summaryMarkdown,
  writeJsonReport,
  writeSarif
} from './report';
import { FAIL_ON, type FailOn } from './severity';
import type { ActionRuntime } from './runtime';
import type { RuleRegistry } from './rules';

export interface ActionContext {
  name: string;
  inputs: Inputs;
  env: Env;
  /** GITHUB_WORKSPACE, or the current directory. */
  workspace: string;
  config: Config;
  /** The parsed event payload, or undefined when there is none or it was unreadable. */
  event?: Record<string, unknown>;
  /** Today's date (YYYY-MM-DD, UTC) for expiry checks. */
  today: string;
  log: (message: string) => void;
  /** A GitHub client for `token`, created once per token; its requests are counted in the report. */
  github(token: string): Promise<GitHubClient>;
}

export interface ActionDefinition {
  name: string;
  /** Every rule the action can raise (its registry; the CLI combines them into the suite's). */
  rules: RuleRegistry;
  /** JSON Schema of the action's section of the config file, when it reads one (`<name>:`). */
  configSchema?: Record<string, unknown>;
  /**
   * The engine run. `config`, when returned, is applied to the findings instead of ctx.config
   * (pr-anomaly-scan applies the base commit's config, never the one the PR brings).
   */
  run(
    ctx: ActionContext
  ): Promise<EngineResult & { outputs?: Record<string, string>; preamble?: string; config?: Config }>;
  /**
   * After config overrides and suppressions are applied, before anything is
   * written: figures derived from the findings that stand (pr-anomaly-scan's
   * risk score), added to the stats, outputs and the summary's preamble.
   */
  summarise?(report: Report): Derived;
  /** After the reports are written: post a PR comment, update a dashboard issue. */
  publish?(ctx: ActionContext, report: Report, markdown: string): Promise<string[] | void>;
  /** Whether "not checked" entries fail the step (verify-deps' fail-closed mode). */
  failOnNotChecked?(ctx: ActionContext): boolean;
}

export interface Derived {
  outputs?: Record<string, string>;
  preamble?: string;
  stats?: Record<string, number | string>;
}

export interface CommonInputs {
  failOn: FailOn;
  sarifFile: string;
  reportFile: string;
  configPath: string;
}

/**
 * Reads the inputs every reporting action shares. Each is read on its own, so
 * one bad value (a typo in fail-on) does not move the reports away from the
 * paths the workflow's later steps expect; the errors are returned instead.
 */
export function readCommonInputs(
  name: string,
  inputs: Inputs,
  env: Env,
  workspace: string
): CommonInputs & { errors: string[] } {
  const temp = env.RUNNER_TEMP || workspace;
  const path = (p: string) => (isAbsolute(p) ? p : resolve(workspace, p));
  const errors: string[] = [];
  const read = <T>(f: () => T, fallback: T): T => {
    try {
      return f();
    } catch (e) {
      errors.push(oneLine(e));
      return fallback;
    }
  };
  return {
    failOn: read(() => inputs.choice('fail-on', FAIL_ON, 'high'), 'high'),
    sarifFile: path(inputs.string('sarif-file') || join(temp, `${name}.sarif`)),
    reportFile: path(inputs.string('report-file') || join(temp, `${name}-report.json`)),
    configPath: inputs.string('config'),
    errors
  };
}

/**
 * Loads the config file. The default path may be absent (action.yml passes it
 * as the input's default, so "given" cannot mean "must exist"); any other
 * named file must exist.
 */
export async function loadConfig(workspace: string, configured: string): Promise<Config> {
  const rel = configured || DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = await readRegularFile(resolve(workspace, rel), { display: rel });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (rel === DEFAULT_CONFIG_PATH && code === 'ENOENT') return EMPTY_CONFIG;
    throw new UserError(code ? `${rel}: cannot read the config file (${code})` : `${oneLine(e)} (the config file)`);
  }
  return parseConfig(text, rel);
}

export async function readEvent(env: Env): Promise<Record<string, unknown> | undefined> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`${file}: cannot read the event payload (GITHUB_EVENT_PATH)`);
  }
  try {
    const data = JSON.parse(text) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not a JSON object');
    return data as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`${file}: the event payload is not valid JSON: ${oneLine(e)}`);
  }
}

export function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Runs an action. Returns the report (for tests); the step's success or
 * failure goes through `runtime.setFailed`.
 */
export async function runAction(def: ActionDefinition, runner: ActionRuntime): Promise<Report> {
  // Secrets registered during the run (tokens given to ctx.github) must not
  // reach the runner through any runtime, not only the redacting real one.
  const runtime = redactingRuntime(runner);
  const startedAt = runtime.now();
  const env = runtime.env;
  const inputs = new Inputs(env);
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const errors: string[] = [];

  const common = readCommonInputs(def.name, inputs, env, workspace);
  errors.push(...common.errors);
  const inputsValid = common.errors.length === 0;

  let config = EMPTY_CONFIG;
  try {
    config = await loadConfig(workspace, common.configPath);
  } catch (e) {
    errors.push(oneLine(e));
  }

  let event: Record<string, unknown> | undefined;
  try {
    event = await readEvent(env);
  } catch (e) {
    errors.push(oneLine(e));
    // @actions/github parses this file again when loaded (from process.env); it was rejected above.
    if (process.env.GITHUB_EVENT_PATH === env.GITHUB_EVENT_PATH) delete process.env.GITHUB_EVENT_PATH;
  }

  const clients = new Map<string, Promise<GitHubClient>>();
  const ctx: ActionContext = {
    name: def.name,
    inputs,
    env,
    workspace,
    config,
    event,
    today: today(startedAt),
    log: (m) => runtime.info(m),
    github(token: string) {
      if (!clients.has(token)) {
        clients.set(token, createGitHubClient({ token, ...apiUrlsFromEnv(env), log: (m) => runtime.info(m) }));
      }
      return clients.get(token)!;
    }
  };

  let result: Awaited<ReturnType<ActionDefinition['run']>>;
  if (!inputsValid) {
    result = { rules: [], findings: [], notChecked: [{ check: def.name, reason: 'not run: invalid inputs' }] };
  } else {
    try {
      result = await def.run(ctx);
    } catch (e) {
      runtime.debug(e instanceof Error && e.stack ? e.stack : String(e));
      errors.push(oneLine(e));
      result = { rules: [], findings: [], notChecked: [{ check: def.name, reason: `stopped early: ${oneLine(e)}` }] };
    }
  }

  let requests = 0;
  for (const c of clients.values()) requests += await c.then((x) => x.stats.requests).catch(() => 0);
  const stats = { ...(result.stats ?? {}), ...(clients.size ? { 'API requests': requests } : {}) };
  // Redacted once here, so the SARIF, the JSON report, the summary and what
  // publish() posts never carry a secret an engine copied into a message.
  const report = redactDeep(
    buildReport(
      def.name,
      { ...result, stats, errors: [...errors, ...(result.errors ?? [])] },
      {
        config: result.config ?? config,
        today: ctx.today,
        startedAt,
        finishedAt: runtime.now(),
        revision: revisionFromEnv(env, result.commit),
        aliases: def.rules.aliases
      }
    )
  );
  const derived = redactDeep(def.summarise?.(report) ?? {});
  Object.assign(report.stats, derived.stats ?? {});
  const preamble = [result.preamble, derived.preamble].filter(Boolean).join('\n\n') || undefined;

  // Every report is written before anything can fail the step.
  const t = tally(report.findings);
  const written: string[] = [];
  for (const [what, write] of [
    ['SARIF', () => writeSarif(report, common.sarifFile, { repository: env.GITHUB_REPOSITORY })],
    ['JSON report', () => writeJsonReport(report, common.reportFile)]
  ] as const) {
    try {
      await write();
      written.push(what);
    } catch (e) {
      report.errors.push(`could not write the ${what}: ${oneLine(e)}`);
    }
  }
  const { annotations, omitted } = annotationsFor(report);
  for (const a of annotations) runtime.annotate(a);
  const footer = omitted
    ? `\n> ${omitted} more finding${omitted === 1 ? '' : 's'} not annotated in the diff (GitHub shows about 10 annotations per level per step); all are in this summary, the SARIF and the JSON report.\n`
    : '';
  const markdown = summaryMarkdown(report, {
    fullReport: `the JSON report (${common.reportFile})`,
    preamble,
    footer
  });
  await runtime
    .appendSummary(markdown)
    .catch((e: unknown) => runtime.warning(`could not write the job summary: ${oneLine(e)}`));

  runtime.setOutput('findings-count', String(t.active));
  runtime.setOutput('highest-severity', t.highest);
  runtime.setOutput('sarif-file', written.includes('SARIF') ? common.sarifFile : '');
  runtime.setOutput('report-file', written.includes('JSON report') ? common.reportFile : '');
  for (const [k, v] of Object.entries({ ...result.outputs, ...derived.outputs })) runtime.setOutput(k, v);

  if (def.publish && inputsValid) {
    try {
      const notes = await def.publish(ctx, report, markdown);
      for (const n of notes ?? []) runtime.info(n);
    } catch (e) {
      runtime.warning(`could not publish results: ${oneLine(e)}`);
    }
  }

  const failing = countsAtOrAbove(report.findings, common.failOn);
  const reasons: string[] = [];
  if (report.errors.length) reasons.push(report.errors.join('; '));
  if (failing.length) reasons.push(`${failing.join(', ')} finding(s) at or above fail-on: ${common.failOn}`);
  const unreadable = report.notChecked.filter((n) => n.input).length;
  if (unreadable && common.failOn !== 'none') reasons.push(`${unreadable} input file(s) could not be read`);
  if (report.notChecked.length > unreadable && notCheckedFails(def, ctx))
    reasons.push(`${report.notChecked.length - unreadable} check(s) could not run`);
  if (reasons.length) runtime.setFailed(`${def.name}: ${reasons.join('; ')}`);
  else
    runtime.info(
      `${def.name}: ${t.active} finding(s), ${common.failOn === 'none' ? 'none fails the run' : `none at or above ${common.failOn}`}`
    );
  return report;
}

/** Whether not-checked entries fail the run; an input it cannot read (already reported) counts as yes, failing closed. */
export function notCheckedFails(def: ActionDefinition, ctx: ActionContext): boolean {
  try {
    return def.failOnNotChecked?.(ctx) ?? false;
  } catch {
    return true;
  }
}

function redactingRuntime(r: ActionRuntime): ActionRuntime {
  return {
    env: r.env,
    now: () => r.now(),
    setOutput: (n, v) => r.setOutput(n, redact(v)),
    setFailed: (m) => r.setFailed(redact(m)),
    appendSummary: (md) => r.appendSummary(redact(md)),
    annotate: (a) => r.annotate({ ...a, title: redact(a.title), message: redact(a.message) }),
    info: (m) => r.info(redact(m)),
    warning: (m) => r.warning(redact(m)),
    debug: (m) => r.debug(redact(m))
  };
}

/** A JSON-like value with every string (keys included) redacted. */
function redactDeep<T>(v: T): T {
  if (typeof v === 'string') return redact(v) as T;
  if (Array.isArray(v)) return v.map(redactDeep) as T;
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [redact(k), redactDeep(x)])) as T;
  return v;
}
