// The subcommands, one module each so that every action owns its own.
import type { Command } from './types';
import { verifyDeps } from './verify-deps';
import { verify } from './verify';
import { verifyBundle } from './verify-bundle';
import { prScan } from './pr-scan';
import { audit } from './audit';
import { disclosure } from './disclosure';

export const COMMANDS: Record<string, Command> = {
  'verify-deps': verifyDeps,
  verify,
  'verify-bundle': verifyBundle,
  'pr-scan': prScan,
  audit,
  disclosure
};

/** `scan` runs every command that works on a checkout without a token. */
export const SCAN = ['verify-deps'];
