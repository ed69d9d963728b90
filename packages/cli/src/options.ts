// Flags: the sets commands share, parsing with node:util's parseArgs (plus
// what it leaves to us: `--switch=true|false`, choices, required flags,
// one-line messages), and `--help` with aligned columns.
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { type Env, FAIL_ON } from '@security-actions/core';
import { type Command, type Option, type Options, UsageError, type Values } from './commands/types';

export const FORMATS = ['plain', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export const HELP_OPTION: Options = { help: { type: 'boolean', short: 'h', help: 'show this help' } };

export const REPO_OPTION: Options = {
  repo: { type: 'string', value: 'PATH', help: 'the checkout to scan (default: the current directory)' }
};

/** The read-only GitHub token of the commands that read GitHub's API (audit, assess). */
export const TOKEN_OPTION: Options = {
  token: {
    type: 'string',
    value: 'TOKEN',
    env: 'GITHUB_TOKEN',
    required: true,
    help: 'read-only token (default: $GITHUB_TOKEN); it goes to GitHub only, never to output'
  }
};

/** The options of every command that reports findings. */
export const REPORT_OPTIONS: Options = {
  config: {
    type: 'string',
    value: 'FILE',
    help: 'config file, relative to the checkout (default: .github/security-actions.yml)'
  },
  'fail-on': {
    type: 'string',
    value: 'LEVEL',
    choices: FAIL_ON,
    help: `exit 1 when a finding at or above LEVEL stands: ${FAIL_ON.join('|')} (default: high)`
  },
  format: {
    type: 'string',
    value: 'FORMAT',
    choices: FORMATS,
    help: 'what stdout gets: plain (default), json (the report), sarif (SARIF 2.1.0), github (workflow annotations)'
  },
  sarif: { type: 'string', value: 'FILE', help: 'also write SARIF 2.1.0 to FILE' },
  json: { type: 'string', value: 'FILE', help: 'also write the JSON report to FILE' },
  verbose: { type: 'boolean', short: 'v', help: 'print every progress message to stderr' },
  quiet: { type: 'boolean', short: 'q', help: 'print no progress to stderr' },
  ...HELP_OPTION
};

export const EXIT_HELP =
  'Exit status: 0 nothing at or above --fail-on; 1 findings (or checks that could not run, where they count) at or above --fail-on, or a file in the checkout that could not be read (unless --fail-on none: then INCOMPLETE); 2 a usage or input error (a bad flag, a missing path, an unreadable config).';

/**
 * Parses a command's arguments. Boolean flags also take `--no-NAME` and
 * `--NAME=true|false`; anything else that does not fit is a UsageError whose
 * message names the flag.
 */
export function parseOptions(cmd: Command, args: string[], env: Env = {}): Values {
  const booleans = Object.entries(cmd.options).filter(([, o]) => o.type === 'boolean');
  const normalised = args.map((a) => {
    const m = /^--([a-z0-9-]+)=(.*)$/s.exec(a);
    if (!m || !booleans.some(([n]) => n === m[1])) return a;
    if (/^(true|yes|1)$/i.test(m[2])) return `--${m[1]}`;
    if (/^(false|no|0)$/i.test(m[2])) return `--no-${m[1]}`;
    throw new UsageError(`--${m[1]} takes true or false; got '${m[2]}'`);
  });
  const options: ParseArgsOptionsConfig = Object.fromEntries(
    Object.entries(cmd.options).map(([n, o]) => [n, { type: o.type, ...(o.short ? { short: o.short } : {}) }])
  );
  const parsed = (() => {
    try {
      return parseArgs({
        args: normalised,
        options,
        allowPositionals: true,
        allowNegative: true,
        strict: true,
        tokens: true
      });
    } catch (e) {
      throw new UsageError(describeParseError(e as Error & { code?: string }, cmd.options));
    }
  })();
  if (!cmd.positionals && parsed.positionals.length) {
    const at = parsed.tokens.findIndex((t) => t.kind === 'positional');
    const before = parsed.tokens[at - 1];
    if (before?.kind === 'option' && cmd.options[before.name]?.type === 'boolean')
      throw new UsageError(
        `--${before.name} is a switch and takes no value; got '${parsed.positionals[0]}' (write --${before.name} or --no-${before.name})`
      );
    throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
  }
  const values: Values = { ...(parsed.values as Values), _: parsed.positionals };
  if (values.help) return values;
  for (const [name, o] of Object.entries(cmd.options)) {
    const v = values[name];
    if (typeof v === 'string' && o.choices) {
      const hit = o.choices.find((c) => c.toLowerCase() === v.toLowerCase());
      if (!hit) throw new UsageError(`--${name} must be one of ${o.choices.join('|')}; got '${v}'`);
      values[name] = hit;
    }
    if (o.required && (v === undefined || v === '') && !(o.env && env[o.env]))
      throw new UsageError(`--${name}${o.env ? ` (or ${o.env})` : ''} is required`);
  }
  return values;
}

function describeParseError(e: Error & { code?: string }, options: Options): string {
  const flag = /'(-[^']*)'/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = flag.replace(/^-+(no-)?/, '').replace(/=.*$/, '');
      const isString = options[name]?.type === 'string';
      return isString ? `${flag} is not a switch: give --${name} a value` : `unknown option ${flag}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(e.message)
        ? `${flag.replace(/ .*$/, '')} needs a value`
        : `${flag.replace(/ .*$/, '')} takes no value`;
    default:
      return e.message.split('\n')[0];
  }
}

/** `  -h, --help         text`, the text column aligned, long specs on a line of their own. */
export function formatOptions(options: Options, width = 100): string {
  const specs = Object.entries(options).map(([name, o]) => [spec(name, o), o.help] as const);
  const column = Math.min(30, Math.max(...specs.map(([s]) => s.length)) + 4);
  return specs
    .map(([s, help]) => {
      const lines = wrap(help, width - column);
      const first =
        s.length + 2 <= column - 2
          ? `${`  ${s}`.padEnd(column)}${lines[0]}`
          : `  ${s}\n${' '.repeat(column)}${lines[0]}`;
      return [first, ...lines.slice(1).map((l) => ' '.repeat(column) + l)].join('\n');
    })
    .join('\n');
}

function spec(name: string, o: Option): string {
  return `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
}

/** Words to lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
