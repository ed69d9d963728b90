// The CLI side of an action run: inputs come from flags, progress and
// warnings go to stderr, and the reports the adapter writes land in a
// temporary directory; the CLI prints and writes its own from the report.
import type { ActionRuntime, Env } from '@security-actions/core';
import { redact } from '@security-actions/core';
import type { Progress } from './progress';

export interface CliRuntime extends ActionRuntime {
  outputs: Record<string, string>;
}

export function cliRuntime(env: Env, warn: (s: string) => void, progress: Progress): CliRuntime {
  const rt: CliRuntime = {
    env,
    outputs: {},
    now: () => new Date(),
    setOutput: (n, v) => {
      rt.outputs[n] = v;
    },
    // The CLI decides the exit status from the report itself (main.ts).
    setFailed: () => undefined,
    appendSummary: async () => undefined,
    annotate: () => undefined,
    info: (m) => progress.message(redact(m)),
    warning: (m) => warn(`warning: ${redact(m)}`),
    debug: () => undefined
  };
  return rt;
}
