// Branch and tag protection (SPEC 8): the default branch and the release
// branches (`release*`, `maint*`) under classic protection and rulesets
// together, signed commits where the config asks for them, and a tag ruleset
// for release tags.
import { defineRules, rulesOf } from '@security-actions/core';
import { branchProtection } from '../branch-protection';
import { globToRegExp } from '../glob';
import type { RepoCheck } from '../types';

export const RULES = defineRules({
  branchUnprotected: {
    id: 'repo/branch-unprotected',
    title: 'Default or release branch is not protected',
    severity: 'high',
    why: 'An unprotected branch can be rewritten or deleted by anyone with write access, including a stolen token, and releases are cut from it.',
    remediation:
      'Add a branch ruleset (Settings → Rules → Rulesets) targeting the default branch and release/* that blocks force pushes and deletion and requires a pull request.',
    spec: ['S8-5']
  },
  noReview: {
    id: 'repo/review-not-required',
    title: 'Branch does not require an approving review',
    severity: 'medium',
    why: 'Without a required review one compromised account can land code that the next release ships.',
    remediation:
      'In the branch ruleset (or classic protection), require a pull request with at least one approving review.',
    spec: ['S8-5']
  },
  forcePush: {
    id: 'repo/force-push-allowed',
    title: 'Force pushes are allowed on a protected branch',
    severity: 'high',
    why: 'A force push rewrites history silently; released commits can be replaced.',
    remediation:
      'Add the "Block force pushes" rule to the branch ruleset (or untick "Allow force pushes" in classic protection).',
    spec: ['S8-5']
  },
  deletion: {
    id: 'repo/deletion-allowed',
    title: 'A protected branch can be deleted',
    severity: 'medium',
    why: 'Deleting the branch loses the protection with it and can be used to recreate it with other content.',
    remediation: 'Add the "Restrict deletions" rule to the branch ruleset (or untick "Allow deletions").',
    spec: ['S8-5']
  },
  signedCommits: {
    id: 'repo/signed-commits-not-required',
    title: 'Default branch does not require signed commits',
    severity: 'low',
    why: 'The organization asked for signed commits on this repository (config `require-signed-commits`); without the rule an unsigned commit, possibly from a stolen account or token, lands unnoticed.',
    remediation:
      'Add the "Require signed commits" rule to the branch ruleset (or tick it in classic branch protection).',
    spec: ['S8-4']
  },
  tagsUnprotected: {
    id: 'repo/tags-unprotected',
    title: 'Release tags are not protected by a tag ruleset',
    severity: 'low',
    why: 'Anyone with write access can move or delete a release tag, so a tag no longer names what was released.',
    remediation: 'Add a tag ruleset for `v*` that restricts updates and deletions.',
    spec: ['S8-4']
  }
});

export const protection: RepoCheck = {
  id: 'protection',
  scope: 'repo',
  rules: rulesOf(RULES),
  start({ config, notes }) {
    if (!config.requireSignedCommits.length)
      notes.push('Signed commits are not checked: no repositories listed in access-audit.require-signed-commits.');
  },
  run({ name, repo, config, failed, unreadable, add, skip }) {
    const readable = { classic: !failed('branchProtectionRules'), rulesets: !failed('rulesets') };
    const branches = [
      repo.defaultBranchRef?.name,
      ...(failed('releaseBranches') ? [] : (repo.releaseBranches?.nodes ?? []).map((n) => n.name))
    ].filter(
      (b: string | undefined): b is string => !!b && (b === repo.defaultBranchRef?.name || /^(release|maint)/i.test(b))
    );
    for (const branch of [...new Set(branches)]) {
      const p = branchProtection(repo, branch, readable);
      if (p === 'unknown') {
        skip(
          RULES.branchUnprotected.id,
          `not checked for ${branch}: neither classic protection nor rulesets were readable (needs administration: read)`,
          name
        );
        continue;
      }
      const props = { branch };
      if (!p.protected) {
        add(RULES.branchUnprotected, name, {
          message: `${name}: branch ${branch} has no branch protection and no active ruleset.`,
          key: branch,
          properties: props
        });
        continue;
      }
      if (p.reviews < 1)
        add(RULES.noReview, name, {
          message: `${name}: branch ${branch} does not require an approving review.`,
          key: branch,
          properties: props
        });
      if (!p.forcePushBlocked)
        add(RULES.forcePush, name, {
          message: `${name}: force pushes to ${branch} are allowed.`,
          key: branch,
          properties: props
        });
      if (!p.deletionBlocked)
        add(RULES.deletion, name, {
          message: `${name}: branch ${branch} can be deleted.`,
          key: branch,
          properties: props
        });
      // Signed commits only where the organization asked for them (SPEC 8 calls them advisory).
      if (
        branch === repo.defaultBranchRef?.name &&
        !p.signaturesRequired &&
        config.requireSignedCommits.some((g) => globToRegExp(g).test(name))
      ) {
        if (readable.classic && readable.rulesets)
          add(RULES.signedCommits, name, {
            message: `${name}: branch ${branch} does not require signed commits.`,
            key: branch,
            properties: props
          });
        else
          skip(
            RULES.signedCommits.id,
            `not checked for ${branch}: classic protection or rulesets were not readable (needs administration: read)`,
            name
          );
      }
    }

    if (readable.rulesets) {
      const tagRules = (repo.rulesets?.nodes ?? []).filter(
        (rs) =>
          rs.enforcement === 'ACTIVE' &&
          rs.target === 'TAG' &&
          (rs.rules?.nodes ?? []).some((r) => ['UPDATE', 'DELETION'].includes(r.type))
      );
      if (!tagRules.length)
        add(RULES.tagsUnprotected, name, {
          message: `${name}: no active tag ruleset restricts updating or deleting tags.`
        });
    } else skip(RULES.tagsUnprotected.id, unreadable('rulesets', 'metadata: read'), name);
  }
};
