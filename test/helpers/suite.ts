// Every rule of the suite in one registry, from each action's definition and
// the core's workflow audit (the check `scan` runs; actions carry its rules).
import { RuleRegistry } from '@security-actions/core';
import { workflowAuditDefinition } from '@security-actions/core/workflow';
import { definition as accessAudit } from '@security-actions/access-audit';
import { definition as disclosureCoordinator } from '@security-actions/disclosure-coordinator';
import { definition as prAnomalyScan } from '@security-actions/pr-anomaly-scan';
import { definition as signRelease } from '@security-actions/sign-release';
import { definition as verifyDeps } from '@security-actions/verify-deps';

export const DEFINITIONS = [
  accessAudit,
  prAnomalyScan,
  signRelease,
  verifyDeps,
  disclosureCoordinator,
  workflowAuditDefinition
];

export const suiteRegistry = (): RuleRegistry =>
  RuleRegistry.combine(
    'security-actions',
    DEFINITIONS.map((d) => d.rules)
  );
