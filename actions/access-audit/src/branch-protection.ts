// What protects a branch: classic branch protection and active branch
// rulesets (organization rulesets included) together, as GitHub enforces them.
import { globToRegExp } from './glob';
import type { RepoData } from './types';

export interface Protection {
  protected: boolean;
  reviews: number;
  forcePushBlocked: boolean;
  deletionBlocked: boolean;
  signaturesRequired: boolean;
}

/** Union of classic protection and active rulesets for one branch; 'unknown' when an unreadable source could change the answer. */
export function branchProtection(
  repo: RepoData,
  branch: string,
  readable: { classic: boolean; rulesets: boolean }
): Protection | 'unknown' {
  const p: Protection = {
    protected: false,
    reviews: 0,
    forcePushBlocked: false,
    deletionBlocked: false,
    signaturesRequired: false
  };
  if (readable.classic) {
    const rules = repo.branchProtectionRules?.nodes ?? [];
    const exact = rules.find((r) => r.pattern === branch);
    const rule = exact ?? rules.find((r) => globToRegExp(r.pattern).test(branch));
    if (rule) {
      p.protected = true;
      p.reviews = Math.max(p.reviews, rule.requiresApprovingReviews ? (rule.requiredApprovingReviewCount ?? 0) : 0);
      p.forcePushBlocked ||= !rule.allowsForcePushes;
      p.deletionBlocked ||= !rule.allowsDeletions;
      p.signaturesRequired ||= !!rule.requiresCommitSignatures;
    }
  }
  if (readable.rulesets) {
    const ref = `refs/heads/${branch}`;
    const isDefault = branch === repo.defaultBranchRef?.name;
    const matches = (pat: string) =>
      pat === '~ALL' || (pat === '~DEFAULT_BRANCH' && isDefault) || globToRegExp(pat).test(ref);
    for (const rs of repo.rulesets?.nodes ?? []) {
      if (rs.enforcement !== 'ACTIVE' || (rs.target ?? 'BRANCH') !== 'BRANCH') continue;
      const include = rs.conditions?.refName?.include ?? [];
      const exclude = rs.conditions?.refName?.exclude ?? [];
      if (!include.some(matches) || exclude.some(matches)) continue;
      for (const rule of rs.rules?.nodes ?? []) {
        p.protected = true;
        if (rule.type === 'NON_FAST_FORWARD') p.forcePushBlocked = true;
        if (rule.type === 'DELETION') p.deletionBlocked = true;
        if (rule.type === 'REQUIRED_SIGNATURES') p.signaturesRequired = true;
        if (rule.type === 'PULL_REQUEST')
          p.reviews = Math.max(p.reviews, rule.parameters?.requiredApprovingReviewCount ?? 0);
      }
    }
  }
  // One readable source showing nothing says nothing about the other.
  if (!p.protected && !(readable.classic && readable.rulesets)) return 'unknown';
  return p;
}
