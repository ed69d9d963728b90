// Rules of sign-release. Ids are stable: configs and code-scanning alerts refer to them.
// Failed verification, a disallowed event and release-asset conflicts are
// errors, not findings: a config ignore must never turn them into a pass.
import { RuleRegistry, defineRules, rulesOf } from '@security-actions/core';

export const RULES = defineRules({
  UNSIGNED_TAG: {
    id: 'release/unsigned-tag',
    title: 'Release tag is not signed and verified',
    severity: 'medium',
    why: 'A verified tag signature shows which maintainer cut the release; an unsigned or lightweight tag can be pushed by anyone with write access, and GitHub cannot tell the release team from a stolen token.',
    remediation:
      'Create release tags with `git tag -s vX.Y.Z -m "vX.Y.Z"` (GPG or SSH signing, key added to your GitHub account) and push them; set `require-signed-tag: true` once every release manager signs.',
    spec: ['S8-4']
  },
  UNSIGNED_COMMIT: {
    id: 'release/unsigned-commit',
    title: 'Release commit is not signed and verified',
    severity: 'medium',
    why: 'SPEC 8 asks that each release maps to a verified commit, so the released source can be traced to a maintainer and not only to whoever could push.',
    remediation:
      'Sign release commits (`git commit -S`, or `git config commit.gpgsign true`) with a key registered on GitHub, so GitHub shows them as Verified.',
    spec: ['S8-4']
  }
});

export const REGISTRY = new RuleRegistry('sign-release', rulesOf(RULES));
