// Entry point of the CLI bundle: the real streams, colour as Node decides it
// for each stream (a terminal, NO_COLOR, FORCE_COLOR), and a status line when
// stderr is a terminal.
import { styleText } from 'node:util';
import { type Paint, type TextRole, redact } from '@security-actions/core';
import { main } from './main';

type Style = Parameters<typeof styleText>[0];
const STYLE: Record<TextRole, Style> = {
  critical: ['bold', 'magenta'],
  high: ['bold', 'red'],
  medium: 'yellow',
  low: 'cyan',
  info: 'gray',
  notChecked: 'yellow',
  error: ['bold', 'red'],
  note: 'gray',
  dim: 'dim',
  pass: ['bold', 'green'],
  fail: ['bold', 'red']
};
const paint: Paint = (role, text) => styleText(STYLE[role], text, { stream: process.stdout });

try {
  process.exitCode = await main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(`${s}\n`),
    env: process.env,
    cwd: process.cwd(),
    paint,
    ...(process.stderr.isTTY
      ? {
          status: (line: string) =>
            process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 80) - 1)}`)
        }
      : {})
  });
} catch (e) {
  // main() turns every error into a line; this is the last guard, still without a stack trace.
  process.stderr.write(
    `sp-security: internal error: ${redact(e instanceof Error ? e.message.split('\n')[0] : String(e))}\n`
  );
  process.exitCode = 2;
}
