// The subcommands, one module each so that every action owns its own.
import type { Command } from './types';
import { verifyDeps } from './verify-deps';

export const COMMANDS: Record<string, Command> = {
  'verify-deps': verifyDeps
};

/** `scan` runs every command that works on a checkout without a token. */
export const SCAN = ['verify-deps'];
