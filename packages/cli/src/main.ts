// sp-security: the actions' engines on a local checkout, with the same
// options and reports. Every command declares its flags (commands/); this
// file dispatches, prints help, and turns every failure into one line and an
// exit status: 0 pass, 1 findings, 2 usage or input error. Never a stack trace.
import { type FailOn, VERSION, oneLine, redact } from '@security-actions/core';
import { COMMANDS } from './commands/index';
import {
  type Command,
  EXIT,
  type Io,
  type Options,
  type ReportCommand,
  UsageError,
  type Values
} from './commands/types';
import { EXIT_HELP, type Format, formatOptions, parseOptions, wrap } from './options';
import { emit, verdictOf } from './output';
import { progress } from './progress';
import { runChecks } from './run';

export type { Io };

const GLOBAL_OPTIONS: Options = {
  help: { type: 'boolean', short: 'h', help: "show this help; 'sp-security COMMAND --help' shows a command's options" },
  version: { type: 'boolean', short: 'V', help: 'print the version' }
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 4;
  const cmds = Object.entries(COMMANDS)
    .map(([n, c]) => {
      const lines = wrap(c.summary, 96 - width);
      return [`  ${n.padEnd(width)}${lines[0]}`, ...lines.slice(1).map((l) => ' '.repeat(width + 2) + l)].join('\n');
    })
    .join('\n');
  return `sp-security ${VERSION}: the Scientific Python security checks (SPEC 6, SPEC 8) on a local checkout

Usage: sp-security COMMAND [options]

Commands:
${cmds}

Options:
${formatOptions(GLOBAL_OPTIONS)}

${wrap(EXIT_HELP, 100).join('\n')}
`;
}

function commandHelp(name: string, c: Command): string {
  const paragraphs = [
    `Usage: sp-security ${name} ${c.usage ?? '[options]'}`,
    wrap(c.summary.charAt(0).toUpperCase() + c.summary.slice(1) + '.', 100).join('\n'),
    `Options:\n${formatOptions(c.options)}`,
    ...(c.notes ?? []).map((n) => wrap(n, 100).join('\n')),
    ...('checks' in c ? [wrap(EXIT_HELP, 100).join('\n')] : [])
  ];
  return `${paragraphs.join('\n\n')}\n`;
}

async function runReport(name: string, cmd: ReportCommand, values: Values, io: Io): Promise<number> {
  const mode = values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal';
  const { workspace, runs } = await runChecks(cmd, values, io, progress(io, mode));
  const failOn = (values['fail-on'] ?? 'high') as FailOn;
  const verdict = verdictOf(runs, values, failOn, workspace);
  await emit(name, runs, verdict, {
    format: (values.format ?? 'plain') as Format,
    values,
    io,
    quiet: mode === 'quiet'
  });
  return verdict.code;
}

export async function main(argv: string[], given: Io): Promise<number> {
  // Nothing reaches the terminal with a credential in it, whatever printed it (a URL a flag echoed).
  const io: Io = { ...given, out: (s) => given.out(redact(s)), err: (s) => given.err(redact(s)) };
  const [name, ...rest] = argv;
  if (!name) {
    io.err(usage().trimEnd());
    return EXIT.usage;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    const cmd = rest[0] && Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]] : undefined; // not `toString`
    io.out(cmd ? commandHelp(rest[0], cmd) : usage());
    return EXIT.ok;
  }
  if (name === '-V' || name === '--version' || name === 'version') {
    io.out(`${VERSION}\n`);
    return EXIT.ok;
  }
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    io.err(
      name.startsWith('-')
        ? `sp-security: unknown option ${name}; options go after the command. Run 'sp-security --help' for the commands.`
        : `sp-security: unknown command '${name}'. Run 'sp-security --help' for the list.`
    );
    return EXIT.usage;
  }
  try {
    const values = parseOptions(cmd, rest, io.env);
    if (values.help) {
      io.out(commandHelp(name, cmd));
      return EXIT.ok;
    }
    return 'run' in cmd ? await cmd.run(values, io) : await runReport(name, cmd, cmd.prepare?.(values) ?? values, io);
  } catch (e) {
    // A usage error is the user's to fix; anything else is ours, still one line.
    io.err(`sp-security ${name}: ${e instanceof UsageError ? e.message : `internal error: ${oneLine(e)}`}`);
    return EXIT.usage;
  }
}
