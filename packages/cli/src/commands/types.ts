// What a CLI subcommand is. Most run one or more checks (an action's
// definition through the shared adapter, flags mapped to its inputs) and
// report on them; a few (signature verification, init) are plain functions.
import type { ActionDefinition, Env, Paint } from '@security-actions/core';

export interface Io {
  out(s: string): void;
  /** One line to stderr (the newline is added). */
  err(s: string): void;
  env: Env;
  cwd: string;
  /** Colours stdout text by role; identity when stdout gets no colour. */
  paint?: Paint;
  /** Rewrites the current stderr status line in place (a terminal); absent when stderr is not one. */
  status?(line: string): void;
  /** How long a check runs before progress is shown (ms). */
  progressAfterMs?: number;
}

/** Parsed flags; `_` holds positional arguments. */
export type Values = Record<string, string | boolean | string[] | undefined> & { _?: string[] };

export interface Option {
  type: 'string' | 'boolean';
  help: string;
  /** The placeholder shown in help: `--fail-on LEVEL`. */
  value?: string;
  short?: string;
  /** The only values accepted (string options). */
  choices?: readonly string[];
  required?: boolean;
  /** The environment variable that gives the value when the flag is absent. */
  env?: string;
}

export type Options = Record<string, Option>;

interface CommandBase {
  summary: string;
  /** Usage after the command name, e.g. `FILE... --repo OWNER/REPO`. */
  usage?: string;
  options: Options;
  /** Accepts positional arguments. */
  positionals?: boolean;
  /** Paragraphs after the options in `--help`. */
  notes?: string[];
}

/** One action run by a command, with the flags it reads. */
export interface Check {
  /** The action's name (its definition's), known before it is loaded. */
  name: string;
  /** The action, imported when a command runs it: `--help`, `--version` and other commands never load it. */
  load(): Promise<ActionDefinition>;
  /** Inputs fixed for local use (a function: computed once the checks are loaded). */
  fixed?: Record<string, string> | (() => Promise<Record<string, string>>);
  /** Flag → input, for the flags this check reads. */
  inputs: Record<string, string>;
  /** What it looks for, for the statement made when it found nothing to examine (`Report.examined` 0). */
  looksFor?: string;
  /** The flag that names files to examine, when the user may name them (nothing found is then an error). */
  filesFlag?: string;
  /** A switch that runs this check unless given as `--no-<name>` (the check is on by default). */
  optOut?: string;
}

/** Runs checks on a checkout (`--repo PATH`) or on GitHub, and reports on them. */
export interface ReportCommand extends CommandBase {
  checks: Check[];
  /** Takes `--repo PATH`, the checkout to scan. */
  checkout: boolean;
  /** Derives further flag values from the given ones (assess: `--repo OWNER/NAME` → org and repository). */
  prepare?(values: Values): Values;
}

export interface FunctionCommand extends CommandBase {
  /** Returns the exit status. */
  run(values: Values, io: Io): Promise<number>;
}

export type Command = ReportCommand | FunctionCommand;

/** Exit statuses, documented in the README and every `--help`. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A usage or input error: one line, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
