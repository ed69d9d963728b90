// The subcommands, one module each so that every action owns its own.
import { REPO_OPTION, REPORT_OPTIONS } from '../options';
import { assess } from './assess';
import { audit } from './audit';
import { CONTENT_OPTIONS, contentCheck } from './content';
import { disclosure } from './disclosure';
import { init } from './init';
import { prScan } from './pr-scan';
import type { Check, Command, ReportCommand } from './types';
import { trust } from './trust';
import { verify } from './verify';
import { verifyBundle } from './verify-bundle';
import { VERIFY_DEPS_OPTIONS, verifyDeps, verifyDepsCheck } from './verify-deps';
import { workflowAuditCheck } from './workflow-audit';

/**
 * What `scan` runs: every check that needs only the checkout, one report and
 * one SARIF run (code scanning category) each. A new check is one more entry
 * here, its flags among scan's options. The tree-wide content pass (Unicode,
 * obfuscation, malicious-code and opaque-binary rules over every file) comes
 * last; `--no-content` skips it.
 */
export const SCAN_CHECKS: Check[] = [workflowAuditCheck([verifyDepsCheck]), verifyDepsCheck, contentCheck];

export const scan: ReportCommand = {
  summary: `run every check that needs only the checkout (${SCAN_CHECKS.map((c) => c.name).join(', ')}); offline unless --no-offline`,
  usage: '[--repo PATH] [--no-offline] [--no-content] [options]',
  checkout: true,
  checks: SCAN_CHECKS,
  options: { ...VERIFY_DEPS_OPTIONS, ...CONTENT_OPTIONS, ...REPO_OPTION, ...REPORT_OPTIONS }
};

export const COMMANDS: Record<string, Command> = {
  scan,
  init,
  'verify-deps': verifyDeps,
  'pr-scan': prScan,
  audit,
  assess,
  disclosure,
  verify,
  'verify-bundle': verifyBundle,
  trust
};
