// The rules of access-audit, as the checks under src/checks/ declare them.
// Findings about settings carry no location; the repository, environment or
// person they concern is in the message and in `properties`. The publish/*
// findings (and the self-hosted runner and Dependabot ones) point at the
// workflow or config file and line.
import { RuleRegistry } from '@security-actions/core';
import { CHECKS } from './checks/index';
import { PUBLISH_RULES } from './checks/publish';

export const REGISTRY = new RuleRegistry(
  'access-audit',
  CHECKS.flatMap((c) => c.rules),
  PUBLISH_RULES.aliases
);
