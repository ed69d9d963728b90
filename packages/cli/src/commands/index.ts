// The subcommands, one module each so that every action owns its own.
import { REPO_OPTION, REPORT_OPTIONS } from '../options';
import { audit } from './audit';
import { disclosure } from './disclosure';
import { init } from './init';
import { prScan } from './pr-scan';
import type { Check, Command, ReportCommand } from './types';
import { trust } from './trust';
import { verify } from './verify';
import { verifyBundle } from './verify-bundle';
import { verifyDeps, verifyDepsCheck } from './verify-deps';

/**
 * What `scan` runs: every check that needs only the checkout. A new check is
 * one more entry here (its flags map to its inputs in its own Check).
 */
export const SCAN_CHECKS: Check[] = [verifyDepsCheck];

export const scan: ReportCommand = {
  summary: `run every check that needs only the checkout (${SCAN_CHECKS.map((c) => c.definition.name).join(', ')}), offline`,
  usage: '[--repo PATH] [options]',
  checkout: true,
  checks: SCAN_CHECKS,
  options: { ...REPO_OPTION, ...REPORT_OPTIONS }
};

export const COMMANDS: Record<string, Command> = {
  scan,
  init,
  'verify-deps': verifyDeps,
  'pr-scan': prScan,
  audit,
  disclosure,
  verify,
  'verify-bundle': verifyBundle,
  trust
};
