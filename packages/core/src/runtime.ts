// The runner side of an action, behind an interface so engines and the
// adapter can be tested without a runner; `actionsRuntime` is the real one.
// @actions/core's own modules, not its entry point: the entry imports its OIDC
// client, which loads @actions/http-client and undici (about 100 ms of CPU at
// every start). Nothing here needs HTTP.
// (`@actions/core/lib/*` is mapped to the package's files in tsconfig.json and
// jest.config.js: the package's `exports` names only its entry.)
import { issueCommand } from '@actions/core/lib/command.js';
import { issueFileCommand, prepareKeyValueMessage } from '@actions/core/lib/file-command.js';
import { summary } from '@actions/core/lib/summary.js';
import { toCommandProperties } from '@actions/core/lib/utils.js';
import type { Env } from './inputs';
import type { Annotation } from './report';
import { onSecretRegistered, redact } from './errors';

export interface ActionRuntime {
  env: Env;
  now(): Date;
  setOutput(name: string, value: string): void;
  setFailed(message: string): void;
  appendSummary(markdown: string): Promise<void>;
  annotate(a: Annotation): void;
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

/** The GitHub Actions runner, through @actions/core's workflow and file commands; everything printed is redacted. */
export async function actionsRuntime(env: Env = process.env): Promise<ActionRuntime> {
  const log = (m: string) => process.stdout.write(`${m}\n`);
  // Let the runner mask tokens we learn at run time in its own log too.
  onSecretRegistered((s) => issueCommand('add-mask', {}, s));
  return {
    env,
    now: () => new Date(),
    setOutput: (n, v) => {
      // The runner always provides GITHUB_OUTPUT; if it is missing or unwritable, say so once per output.
      try {
        if (!process.env.GITHUB_OUTPUT) throw new Error('GITHUB_OUTPUT is not set');
        issueFileCommand('OUTPUT', prepareKeyValueMessage(n, v));
      } catch (e) {
        issueCommand('warning', {}, `could not set output ${n}: ${redact(e instanceof Error ? e.message : String(e))}`);
      }
    },
    setFailed: (m) => {
      process.exitCode = 1;
      issueCommand('error', {}, redact(m));
    },
    appendSummary: async (md) => {
      if (env.GITHUB_STEP_SUMMARY) await summary.addRaw(redact(md)).write();
    },
    annotate: (a) =>
      issueCommand(
        a.level,
        toCommandProperties({
          title: a.title,
          file: a.file,
          startLine: a.startLine,
          startColumn: a.startColumn,
          endLine: a.endLine
        }),
        redact(a.message)
      ),
    info: (m) => log(redact(m)),
    warning: (m) => issueCommand('warning', {}, redact(m)),
    debug: (m) => issueCommand('debug', {}, redact(m))
  };
}

/**
 * The entry point of every action bundle: run the action against the real
 * runner, and turn anything unforeseen into one redacted error line and a
 * failed step rather than a stack trace.
 */
export async function runMain(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    process.stdout.write(`::error::${redact(e instanceof Error ? e.message.split('\n')[0] : String(e))}\n`);
    process.exitCode = 1;
  }
}
