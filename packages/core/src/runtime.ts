// The runner side of an action, behind an interface so engines and the
// adapter can be tested without a runner; `actionsRuntime` is the real one.
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

/** The GitHub Actions runner, through @actions/core; everything printed is redacted. */
export async function actionsRuntime(env: Env = process.env): Promise<ActionRuntime> {
  const core = await import('@actions/core');
  // Let the runner mask tokens we learn at run time in its own log too.
  onSecretRegistered((s) => core.setSecret(s));
  return {
    env,
    now: () => new Date(),
    // The runner always provides GITHUB_OUTPUT; if it is missing, say so once per output instead of crashing.
    setOutput: (n, v) => {
      try {
        core.setOutput(n, v);
      } catch (e) {
        core.warning(`could not set output ${n}: ${redact(e instanceof Error ? e.message : String(e))}`);
      }
    },
    setFailed: (m) => core.setFailed(redact(m)),
    appendSummary: async (md) => {
      if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(redact(md)).write();
    },
    annotate: (a) =>
      core[a.level](redact(a.message), {
        title: a.title,
        file: a.file,
        startLine: a.startLine,
        startColumn: a.startColumn,
        endLine: a.endLine
      }),
    info: (m) => core.info(redact(m)),
    warning: (m) => core.warning(redact(m)),
    debug: (m) => core.debug(redact(m))
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
