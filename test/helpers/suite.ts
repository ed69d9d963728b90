// Every rule of the suite in one registry, from each action's definition.
import { RuleRegistry } from '@security-actions/core';
import { definition as accessAudit } from '@security-actions/access-audit';
import { definition as disclosureCoordinator } from '@security-actions/disclosure-coordinator';
import { definition as prAnomalyScan } from '@security-actions/pr-anomaly-scan';
import { definition as signRelease } from '@security-actions/sign-release';
import { definition as verifyDeps } from '@security-actions/verify-deps';

export const DEFINITIONS = [accessAudit, prAnomalyScan, signRelease, verifyDeps, disclosureCoordinator];

export const suiteRegistry = (): RuleRegistry =>
  RuleRegistry.combine(
    'security-actions',
    DEFINITIONS.map((d) => d.rules)
  );
