// The CLI side of an action run: inputs come from flags, results go to the
// terminal instead of the runner's summary, outputs and annotations.
import type { ActionRuntime, Env } from '@security-actions/core';
import { redact } from '@security-actions/core';

export interface CliRuntime extends ActionRuntime {
  failure?: string;
  outputs: Record<string, string>;
}

export function cliRuntime(env: Env, stderr: (s: string) => void, verbose = false): CliRuntime {
  const rt: CliRuntime = {
    env,
    outputs: {},
    now: () => new Date(),
    setOutput: (n, v) => {
      rt.outputs[n] = v;
    },
    setFailed: (m) => {
      rt.failure = redact(m);
    },
    appendSummary: async () => undefined,
    annotate: () => undefined,
    info: (m) => {
      if (verbose) stderr(redact(m));
    },
    warning: (m) => stderr(`warning: ${redact(m)}`),
    debug: () => undefined
  };
  return rt;
}
