// Runs a report command's checks: each is an action definition run through
// the shared adapter, with the command's flags mapped to the action's inputs.
// The adapter's own report files go to a temporary directory; the command
// prints and writes its reports itself, from the Report objects.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Env, type Report, inputEnvName, renameInputs, runAction } from '@security-actions/core';
import type { Check, Io, ReportCommand, Values } from './commands/types';
import { UsageError } from './commands/types';
import type { Progress } from './progress';
import { cliRuntime } from './runtime';

export interface CheckRun {
  check: Check;
  report: Report;
  /** The action's own verdict: it would fail the step (findings or not-checked entries it counts). */
  failed: boolean;
}

/** Common inputs every reporting action reads, and the flag that sets each. */
const COMMON_INPUTS: Record<string, string> = { config: 'config', 'fail-on': 'fail-on' };

/** The checkout named by --repo: a local directory that exists; a URL is refused with what to do instead. */
export async function checkoutOf(values: Values, io: Io): Promise<string> {
  const given = typeof values.repo === 'string' ? values.repo : '.';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(given) || /^[\w.-]+@[\w.-]+:/.test(given))
    throw new UsageError(
      `--repo takes a local checkout, not a URL; clone it first (git clone ${given} DIR) and give --repo DIR`
    );
  const dir = resolve(io.cwd, given);
  const s = await stat(dir).catch(() => undefined);
  if (!s) throw new UsageError(`--repo ${given}: no such directory`);
  if (!s.isDirectory()) throw new UsageError(`--repo ${given}: not a directory`);
  return dir;
}

/** The value of each flag that has one, from the command line or its environment variable. */
function flagValue(cmd: ReportCommand, values: Values, io: Io, flag: string): string | undefined {
  const v = values[flag];
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  const env = cmd.options[flag]?.env;
  return env ? io.env[env] || undefined : undefined;
}

export async function runChecks(
  cmd: ReportCommand,
  values: Values,
  io: Io,
  progress: Progress
): Promise<{ workspace: string; runs: CheckRun[] }> {
  const workspace = cmd.checkout ? await checkoutOf(values, io) : io.cwd;
  const runs: CheckRun[] = [];
  for (const check of cmd.checks) {
    if (check.optOut && values[check.optOut] === false) continue;
    const temp = await mkdtemp(join(tmpdir(), 'sp-security-'));
    const env: Env = {
      PATH: io.env.PATH,
      HOME: io.env.HOME,
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: temp,
      GITHUB_API_URL: io.env.GITHUB_API_URL,
      GITHUB_GRAPHQL_URL: io.env.GITHUB_GRAPHQL_URL
    };
    const set = (input: string, v: string | undefined) => {
      if (v !== undefined) env[inputEnvName(input)] = v;
    };
    for (const [flag, input] of Object.entries(COMMON_INPUTS)) set(input, flagValue(cmd, values, io, flag));
    const fixed = typeof check.fixed === 'function' ? await check.fixed() : check.fixed;
    for (const [k, v] of Object.entries(fixed ?? {})) set(k, v);
    for (const [flag, input] of Object.entries(check.inputs)) set(input, flagValue(cmd, values, io, flag));

    let failure: string | undefined;
    const rt = cliRuntime(env, io.err, progress);
    rt.setFailed = (m) => {
      failure = m;
    };
    progress.start(check.name);
    let report: Report;
    try {
      report = await runAction(await check.load(), rt);
    } finally {
      progress.stop();
      await rm(temp, { recursive: true, force: true });
    }
    runs.push({ check, report: inFlagWords(report, cmd, check), failed: failure !== undefined });
  }
  return { workspace, runs };
}

/** The report's messages with each input the command sets through a flag named as that flag. */
function inFlagWords(report: Report, cmd: ReportCommand, check: Check): Report {
  const flags = new Map<string, string>();
  for (const [flag, input] of Object.entries({ ...COMMON_INPUTS, ...check.inputs })) {
    const env = cmd.options[flag]?.env;
    flags.set(input, `--${flag}${env ? ` (or ${env})` : ''}`);
  }
  const say = (m: string) => renameInputs(m, (input) => flags.get(input));
  return {
    ...report,
    errors: report.errors.map(say),
    notes: report.notes.map(say),
    notChecked: report.notChecked.map((n) => ({ ...n, reason: say(n.reason) }))
  };
}
