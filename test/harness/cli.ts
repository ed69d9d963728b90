// The CLI's main() in this process, as the tests that read its output run it.
import type { Io } from '../../packages/cli/src/commands/types';
import { main } from '../../packages/cli/src/main';
import { REPO_ROOT } from './run-action';

/**
 * `sp-security ARGS` in process: exit status, stdout, stderr (a newline after each line). Progress lines are held
 * back a minute unless `io` says otherwise: on a pipe they appear after one second, so on a loaded machine they
 * would become part of what a test reads (verify-bundle's one-error-line check failed that way once).
 */
export async function runCli(
  args: string[],
  io: Partial<Io> = {}
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (s) => (out += s),
    err: (s) => (err += `${s}\n`),
    env: {},
    cwd: REPO_ROOT,
    progressAfterMs: 60_000,
    ...io
  });
  return { code, out, err };
}
