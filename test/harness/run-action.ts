// Runs a committed action bundle exactly as the GitHub runner does: `node
// actions/<name>/dist/index.js` with INPUT_* variables for every input that
// action.yml declares (defaults applied, `${{ github.token }}` evaluated),
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the event payload, and the
// runner's other variables. What ships is what is tested.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunOptions {
  /** Inputs as a workflow's `with:` would give them; undeclared names are rejected like the runner warns. */
  inputs?: Record<string, string>;
  /** The workflow's GITHUB_TOKEN, used for `${{ github.token }}` defaults. */
  githubToken?: string;
  /** Event payload (object, written as JSON) or raw text (to test malformed payloads). */
  event?: object | string;
  eventName?: string;
  repository?: string;
  workspace?: string;
  apiUrl?: string;
  graphqlUrl?: string;
  oidc?: { url: string; token: string };
  /** Extra environment (e.g. GITHUB_SHA, GITHUB_REF). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Called with the started process (a test may kill it midway, as a crash would). */
  onSpawn?: (child: ChildProcess) => void;
}

export interface Annotation {
  level: string;
  properties: Record<string, string>;
  message: string;
}

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  /** Parsed sarif-file and report-file outputs, when written. */
  sarif?: any;
  report?: any;
  durationMs: number;
  /** Milliseconds from spawn until GITHUB_OUTPUT first had content (start-up benchmark). */
  firstOutputMs?: number;
  tempDir: string;
}

interface ActionMeta {
  inputs?: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; main: string };
}

export async function loadActionMeta(name: string): Promise<ActionMeta> {
  return parseYaml(await readFile(join(REPO_ROOT, 'actions', name, 'action.yml'), 'utf8')) as ActionMeta;
}

/** The runner's file-command format: `name=value` lines or `name<<DELIM` heredocs. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]);
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** `::error file=a,line=1::message` workflow commands, unescaped as the runner does. */
export function parseAnnotations(stdout: string): Annotation[] {
  const unescape = (s: string) =>
    s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const out: Annotation[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = kv.indexOf('=');
      properties[kv.slice(0, eq)] = unescape(kv.slice(eq + 1));
    }
    out.push({ level: m[1], properties, message: unescape(m[3]) });
  }
  return out;
}

export async function runAction(name: string, opts: RunOptions = {}): Promise<RunResult> {
  const meta = await loadActionMeta(name);
  const temp = await mkdtemp(join(tmpdir(), `run-${name}-`));
  const runnerTemp = join(temp, 'runner-temp');
  const workspace = opts.workspace ?? join(temp, 'workspace');
  await mkdir(runnerTemp, { recursive: true });
  await mkdir(workspace, { recursive: true });
  const outputFile = join(temp, 'github_output');
  const summaryFile = join(temp, 'step_summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? temp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ENV: join(temp, 'github_env'),
    GITHUB_PATH: join(temp, 'github_path'),
    GITHUB_STATE: join(temp, 'github_state'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: opts.repository ?? 'octo-org/octo-repo',
    GITHUB_REPOSITORY_OWNER: (opts.repository ?? 'octo-org/octo-repo').split('/')[0],
    GITHUB_EVENT_NAME: opts.eventName ?? 'push',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: opts.apiUrl ?? 'http://127.0.0.1:9',
    GITHUB_GRAPHQL_URL: opts.graphqlUrl ?? `${opts.apiUrl ?? 'http://127.0.0.1:9'}/graphql`,
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW: 'test',
    GITHUB_JOB: 'test',
    GITHUB_ACTION: name,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...(opts.oidc
      ? { ACTIONS_ID_TOKEN_REQUEST_URL: opts.oidc.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: opts.oidc.token }
      : {}),
    ...(opts.env ?? {})
  };
  if (opts.event !== undefined) {
    env.GITHUB_EVENT_PATH = join(temp, 'event.json');
    await writeFile(env.GITHUB_EVENT_PATH, typeof opts.event === 'string' ? opts.event : JSON.stringify(opts.event));
  }

  const declared = meta.inputs ?? {};
  for (const k of Object.keys(opts.inputs ?? {})) {
    if (!(k in declared)) throw new Error(`${name}: input '${k}' is not declared in action.yml`);
  }
  for (const [k, d] of Object.entries(declared)) {
    let v = opts.inputs?.[k] ?? d.default ?? '';
    v = v.replace(/\$\{\{\s*github\.token\s*\}\}/g, opts.githubToken ?? '');
    env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  }

  const started = performance.now();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'actions', name, meta.runs.main)], { cwd: workspace, env });
  opts.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  let firstOutputMs: number | undefined;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const poll = setInterval(async () => {
    if (firstOutputMs === undefined && (await readFile(outputFile, 'utf8').catch(() => '')).length)
      firstOutputMs = performance.now() - started;
  }, 5);
  const exitCode = await new Promise<number | null>((resolveExit, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not finish in ${opts.timeoutMs ?? 60000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 60000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveExit(code);
    });
  });
  clearInterval(poll);
  const durationMs = performance.now() - started;

  const outputs = parseFileCommands(await readFile(outputFile, 'utf8'));
  const readJson = async (p?: string) => (p ? JSON.parse(await readFile(p, 'utf8')) : undefined);
  return {
    exitCode,
    stdout,
    stderr,
    outputs,
    summary: await readFile(summaryFile, 'utf8'),
    annotations: parseAnnotations(stdout),
    sarif: await readJson(outputs['sarif-file']).catch(() => undefined),
    report: await readJson(outputs['report-file']).catch(() => undefined),
    durationMs,
    firstOutputMs,
    tempDir: temp
  };
}
