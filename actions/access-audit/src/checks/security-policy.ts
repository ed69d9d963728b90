// A security policy (SPEC 6): SECURITY.md in the repository, or in the
// organization's `.github` repository, which GitHub shows on every repository.
import { defineRules, rulesOf } from '@security-actions/core';
import type { RepoCheck } from '../types';

export const RULES = defineRules({
  noSecurityPolicy: {
    id: 'repo/no-security-policy',
    title: 'No SECURITY.md (repository or organization .github)',
    severity: 'low',
    why: 'Without a security policy, reporters do not know how to disclose a vulnerability privately.',
    remediation:
      "Add SECURITY.md to the organization's `.github` repository (applies to all repositories) or to this repository.",
    spec: ['S6-1']
  }
});

const OWN = ['sec1', 'sec2', 'sec3'] as const;

export const securityPolicy: RepoCheck = {
  id: 'security-policy',
  scope: 'repo',
  rules: rulesOf(RULES),
  run({ org, name, repo, orgPolicy, failed, add, skip }) {
    if (OWN.some((f) => repo[f])) return;
    if (OWN.some((f) => failed(f)) || orgPolicy === undefined)
      skip(RULES.noSecurityPolicy.id, 'not checked: needs contents: read', name);
    else if (!orgPolicy)
      add(RULES.noSecurityPolicy, name, { message: `${name}: no SECURITY.md in the repository or in ${org}/.github.` });
  }
};
