// sp-security: the actions' engines on a local checkout, with the same
// options and reports. Each subcommand maps its flags to the action's inputs
// and runs the action definition through the shared adapter.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Env, VERSION, inputEnvName, oneLine, renderText, runAction } from '@security-actions/core';
import { COMMANDS, SCAN } from './commands/index';
import type { ActionCommand, Command, Io, Values } from './commands/types';
import { cliRuntime } from './runtime';

export type { Io };

const COMMON_HELP = `Common options:
  --repo PATH        checkout to scan (default: current directory)
  --config FILE      config file (default: .github/security-actions.yml)
  --fail-on LEVEL    exit 1 when a finding at or above LEVEL exists: none|info|low|medium|high|critical (default: high)
  --sarif FILE       also write SARIF 2.1.0 to FILE
  --json FILE        also write the JSON report to FILE
  --verbose          print progress to stderr
  -h, --help         this help`;

function usage(): string {
  const cmds = Object.entries(COMMANDS)
    .map(([n, c]) => `  ${n.padEnd(18)} ${c.summary}`)
    .join('\n');
  return `sp-security ${VERSION}: Scientific Python security checks (SPEC 6, SPEC 8) on a local checkout

Usage: sp-security <command> [options]

Commands:
  scan               run every local check (${SCAN.join(', ')})
${cmds}

${COMMON_HELP}
`;
}

function commandHelp(name: string, c: Command): string {
  const flags = Object.entries(c.flags)
    .map(([f, d]) => `  --${f}${d.type === 'string' ? ' VALUE' : ''}`.padEnd(21) + d.help)
    .join('\n');
  return `Usage: sp-security ${name} ${c.usage ?? '[options]'}\n\n${c.summary}\n\n${flags ? `Options:\n${flags}\n\n` : ''}${COMMON_HELP}\n`;
}

const COMMON_OPTIONS = {
  repo: { type: 'string' },
  config: { type: 'string' },
  'fail-on': { type: 'string' },
  sarif: { type: 'string' },
  json: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const;

async function runCommand(name: string, c: Command, values: Values, io: Io): Promise<number> {
  if ('run' in c) return c.run(values, io);
  return runActionCommand(c, values, io);
}

async function runActionCommand(c: ActionCommand, values: Values, io: Io): Promise<number> {
  const repo = resolve(io.cwd, String(values.repo ?? '.'));
  const temp = await mkdtemp(join(tmpdir(), 'sp-security-'));
  const env: Env = {
    PATH: io.env.PATH,
    HOME: io.env.HOME,
    GITHUB_WORKSPACE: repo,
    RUNNER_TEMP: temp,
    GITHUB_API_URL: io.env.GITHUB_API_URL,
    GITHUB_GRAPHQL_URL: io.env.GITHUB_GRAPHQL_URL
  };
  const set = (input: string, v: string | undefined) => {
    if (v !== undefined) env[inputEnvName(input)] = v;
  };
  set('config', values.config as string | undefined);
  set('fail-on', values['fail-on'] as string | undefined);
  set('sarif-file', values.sarif ? resolve(io.cwd, String(values.sarif)) : undefined);
  set('report-file', values.json ? resolve(io.cwd, String(values.json)) : undefined);
  for (const [k, v] of Object.entries(c.fixed ?? {})) set(k, v);
  for (const [flag, d] of Object.entries(c.flags)) {
    const v = values[flag];
    if (v !== undefined && d.input) set(d.input, String(v));
  }
  const rt = cliRuntime(env, io.err, Boolean(values.verbose));
  const report = await runAction(c.definition, rt);
  io.out(renderText(report));
  if (values.sarif) io.err(`SARIF written to ${rt.outputs['sarif-file'] || '(not written)'}`);
  if (values.json) io.err(`JSON report written to ${rt.outputs['report-file'] || '(not written)'}`);
  if (rt.failure) {
    io.err(rt.failure);
    return 1;
  }
  return 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const names = name === 'scan' ? SCAN : [name];
  const first = COMMANDS[names[0]];
  if (!first) {
    io.err(`sp-security: unknown command '${name}'. Run 'sp-security --help' for the list.`);
    return 2;
  }
  const flags = name === 'scan' ? {} : first.flags;
  let values: Values;
  try {
    const options = {
      ...COMMON_OPTIONS,
      ...Object.fromEntries(Object.entries(flags).map(([f, d]) => [f, { type: d.type }]))
    };
    const parsed = parseArgs({ args: rest, options, allowPositionals: Boolean(first.positionals), strict: true });
    values = { ...(parsed.values as Values), _: parsed.positionals };
  } catch (e) {
    io.err(`sp-security ${name}: ${oneLine(e)}`);
    return 2;
  }
  if (values.help) {
    io.out(name === 'scan' ? usage() : commandHelp(name, first));
    return 0;
  }
  let code = 0;
  for (const n of names) code = Math.max(code, await runCommand(n, COMMANDS[n], values, io));
  return code;
}
