// The runner side of an action, behind an interface so engines and the
// adapter can be tested without a runner; `actionsRuntime` is the real one.
import type { Env } from './inputs';
import type { Annotation } from './report';
import { redact } from './errors';

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
  return {
    env,
    now: () => new Date(),
    setOutput: (n, v) => core.setOutput(n, v),
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
