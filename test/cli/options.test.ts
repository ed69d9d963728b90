// Flag parsing and help layout of sp-security, and the renaming of action
// inputs to flags in messages.
import { describe, expect, it } from '@jest/globals';
import type { FunctionCommand } from '../../packages/cli/src/commands/types';
import { formatOptions, parseOptions, wrap } from '../../packages/cli/src/options';
import { renameInputs } from '../../packages/core/src/inputs';

const cmd: FunctionCommand = {
  summary: 'test',
  options: {
    offline: { type: 'boolean', help: 'a switch' },
    level: { type: 'string', value: 'LEVEL', choices: ['low', 'high'], help: 'a choice' },
    token: { type: 'string', value: 'TOKEN', required: true, env: 'GITHUB_TOKEN', help: 'required, or from env' },
    verbose: { type: 'boolean', short: 'v', help: 'short form' }
  },
  run: async () => 0
};
const parse = (args: string[], env = { GITHUB_TOKEN: 't' }) => parseOptions(cmd, args, env);

describe('parseOptions', () => {
  it('switches: --x, --no-x, --x=true|false|yes|no|1|0, -v', () => {
    expect(parse(['--offline']).offline).toBe(true);
    expect(parse(['--no-offline']).offline).toBe(false);
    for (const v of ['true', 'TRUE', 'yes', '1']) expect(parse([`--offline=${v}`]).offline).toBe(true);
    for (const v of ['false', 'no', '0']) expect(parse([`--offline=${v}`]).offline).toBe(false);
    expect(parse(['-v']).verbose).toBe(true);
  });

  it('choices match without case and are stored as declared', () => {
    expect(parse(['--level', 'HIGH']).level).toBe('high');
    expect(() => parse(['--level', 'mid'])).toThrow("--level must be one of low|high; got 'mid'");
  });

  it('a required flag may come from its environment variable, and says so when missing', () => {
    expect(parse([]).token).toBeUndefined();
    expect(() => parse([], { GITHUB_TOKEN: '' })).toThrow('--token (or GITHUB_TOKEN) is required');
  });

  it.each([
    [
      ['--offline', 'perhaps'],
      "--offline is a switch and takes no value; got 'perhaps' (write --offline or --no-offline)"
    ],
    [['--offline=perhaps'], "--offline takes true or false; got 'perhaps'"],
    [['--level'], '--level needs a value'],
    [['--no-level'], '--no-level is not a switch: give --level a value'],
    [['--nope'], 'unknown option --nope'],
    [['stray'], "unexpected argument 'stray'"]
  ])('%j is a usage error naming the flag', (args, message) => {
    expect(() => parse(args as string[])).toThrow(message as string);
  });
});

describe('formatOptions', () => {
  it('puts every text in one column, two spaces at least after the longest name that fits', () => {
    const text = formatOptions(cmd.options);
    const lines = text.split('\n');
    expect(lines).toEqual([
      '      --offline      a switch',
      '      --level LEVEL  a choice',
      '      --token TOKEN  required, or from env',
      '  -v, --verbose      short form'
    ]);
  });

  it('wraps long text under its column and gives a long name a line of its own', () => {
    const text = formatOptions(
      {
        a: { type: 'boolean', help: 'short' },
        'a-very-long-option-name-indeed': { type: 'string', value: 'VALUE', help: 'x '.repeat(80) }
      },
      60
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('      --a                     short');
    expect(lines[1]).toBe('      --a-very-long-option-name-indeed VALUE');
    for (const l of lines.slice(2)) {
      expect(l.startsWith(' '.repeat(30))).toBe(true);
      expect(l.length).toBeLessThanOrEqual(60);
    }
  });

  it('wrap keeps words whole', () => {
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrap('averyverylongword x', 5)).toEqual(['averyverylongword', 'x']);
  });
});

describe('renameInputs: what a message calls an input, as the CLI calls its flag', () => {
  const flags: Record<string, string> = { offline: '--offline', 'diff-base': '--diff-base', token: '--token' };
  const say = (m: string) => renameInputs(m, (i) => flags[i]);

  it.each([
    ["Input 'offline' must be true or false; got 'perhaps'.", "--offline must be true or false; got 'perhaps'."],
    ["Input 'diff-base': 'x' is not a commit", "--diff-base: 'x' is not a commit"],
    [
      "no token: set the 'token' input (the default github.token is enough)",
      'no token: set --token (the default github.token is enough)'
    ],
    ['no previous report given (input `offline`)', 'no previous report given (--offline)'],
    ['no token input here', 'no --token here']
  ])('%s', (message, expected) => {
    expect(say(message)).toBe(expected);
  });

  it('leaves inputs it has no flag for, and other uses of the word, as written', () => {
    expect(say("Input 'issue' must be true or false")).toBe("Input 'issue' must be true or false");
    expect(say('anyone can start it with input they control; hashed inputs')).toBe(
      'anyone can start it with input they control; hashed inputs'
    );
  });
});
