// What a CLI subcommand is. Most subcommands run an action's definition
// through the shared adapter with flags mapped to inputs; a few (signature
// verification) are plain functions.
import type { ActionDefinition, Env } from '@security-actions/core';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  env: Env;
  cwd: string;
}

/** Parsed flags; `_` holds positional arguments. */
export type Values = Record<string, string | boolean | string[] | undefined> & { _?: string[] };

export interface Flag {
  type: 'string' | 'boolean';
  help: string;
  /** The action input the flag sets (ActionCommand only). */
  input?: string;
}

interface CommandBase {
  summary: string;
  /** Usage after the command name, e.g. `FILE... --repo OWNER/REPO`. */
  usage?: string;
  flags: Record<string, Flag>;
  /** Accepts positional arguments. */
  positionals?: boolean;
}

export interface ActionCommand extends CommandBase {
  definition: ActionDefinition;
  /** Inputs fixed for local use. */
  fixed?: Record<string, string>;
}

export interface FunctionCommand extends CommandBase {
  /** Returns the exit status. */
  run(values: Values, io: Io): Promise<number>;
}

export type Command = ActionCommand | FunctionCommand;
