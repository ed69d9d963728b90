// A branch is protected by classic protection and active rulesets together:
// each property is the strongest either source gives, never the last one read.
import { describe, expect, it } from '@jest/globals';
import { branchProtection } from '../../actions/access-audit/src/branch-protection';
import type { RepoData } from '../../actions/access-audit/src/types';

type Rulesets = NonNullable<RepoData['rulesets']>['nodes'];
type ClassicRules = NonNullable<RepoData['branchProtectionRules']>['nodes'];

const classic = (reviews: number, extra: Partial<ClassicRules[number]> = {}): ClassicRules =>
  [
    {
      pattern: 'main',
      requiresApprovingReviews: reviews > 0,
      requiredApprovingReviewCount: reviews,
      allowsForcePushes: true,
      allowsDeletions: true,
      requiresCommitSignatures: false,
      ...extra
    }
  ] as ClassicRules;

const ruleset = (rules: { type: string; parameters?: Record<string, unknown> }[], include = ['~DEFAULT_BRANCH']) =>
  ({
    name: 'rs',
    enforcement: 'ACTIVE',
    target: 'BRANCH',
    conditions: { refName: { include, exclude: [] } },
    rules: { nodes: rules }
  }) as Rulesets[number];

const repo = (rules: ClassicRules, rulesets: Rulesets): RepoData =>
  ({
    name: 'r',
    defaultBranchRef: { name: 'main' },
    branchProtectionRules: { nodes: rules },
    rulesets: { nodes: rulesets }
  }) as RepoData;

const both = { classic: true, rulesets: true };
const pr = (n: number) => ({ type: 'PULL_REQUEST', parameters: { requiredApprovingReviewCount: n } });

describe('branchProtection: classic ∪ rulesets', () => {
  it('keeps the larger review count whichever source has it', () => {
    expect(branchProtection(repo(classic(2), [ruleset([pr(1)])]), 'main', both)).toMatchObject({ reviews: 2 });
    expect(branchProtection(repo(classic(1), [ruleset([pr(3)])]), 'main', both)).toMatchObject({ reviews: 3 });
    // Two rulesets: the stricter one, in either order.
    for (const order of [
      [ruleset([pr(2)]), ruleset([pr(0)], ['~ALL'])],
      [ruleset([pr(0)], ['~ALL']), ruleset([pr(2)])]
    ])
      expect(branchProtection(repo([], order), 'main', both)).toMatchObject({ reviews: 2 });
  });

  it('a classic rule without required reviews counts none, whatever its count says', () => {
    const rules = classic(0, { requiresApprovingReviews: false, requiredApprovingReviewCount: 4 });
    expect(branchProtection(repo(rules, []), 'main', both)).toMatchObject({ protected: true, reviews: 0 });
  });

  it('each block is on when either source sets it, and off only when neither does', () => {
    const strict = classic(1, { allowsForcePushes: false, allowsDeletions: false, requiresCommitSignatures: true });
    const loose = ruleset([pr(0)]);
    expect(branchProtection(repo(strict, [loose]), 'main', both)).toEqual({
      protected: true,
      reviews: 1,
      forcePushBlocked: true,
      deletionBlocked: true,
      signaturesRequired: true
    });
    const blocks = ruleset([{ type: 'NON_FAST_FORWARD' }, { type: 'DELETION' }, { type: 'REQUIRED_SIGNATURES' }]);
    expect(branchProtection(repo(classic(0), [blocks]), 'main', both)).toEqual({
      protected: true,
      reviews: 0,
      forcePushBlocked: true,
      deletionBlocked: true,
      signaturesRequired: true
    });
    expect(branchProtection(repo(classic(0), [loose]), 'main', both)).toEqual({
      protected: true,
      reviews: 0,
      forcePushBlocked: false,
      deletionBlocked: false,
      signaturesRequired: false
    });
  });

  it('ignores rulesets that are not active, not for branches, or not for this branch', () => {
    const off = [
      { ...ruleset([pr(5)]), enforcement: 'EVALUATE' },
      { ...ruleset([pr(5)]), target: 'TAG' },
      ruleset([pr(5)], ['refs/heads/release/*']),
      { ...ruleset([pr(5)], ['~ALL']), conditions: { refName: { include: ['~ALL'], exclude: ['refs/heads/main'] } } }
    ] as Rulesets;
    expect(branchProtection(repo(classic(1), off), 'main', both)).toMatchObject({ reviews: 1 });
  });

  it('prefers the classic rule for the exact branch over a wider pattern', () => {
    const rules = [...classic(1, { pattern: '*' }), ...classic(3, { pattern: 'main' })] as ClassicRules;
    expect(branchProtection(repo(rules, []), 'main', both)).toMatchObject({ reviews: 3 });
  });

  it('is unknown when one source is unreadable and the other shows nothing; unprotected only when both were read', () => {
    const nothing = repo([], []);
    expect(branchProtection(nothing, 'main', { classic: false, rulesets: true })).toBe('unknown');
    expect(branchProtection(nothing, 'main', { classic: true, rulesets: false })).toBe('unknown');
    expect(branchProtection(nothing, 'main', { classic: false, rulesets: false })).toBe('unknown');
    expect(branchProtection(nothing, 'main', both)).toEqual({
      protected: false,
      reviews: 0,
      forcePushBlocked: false,
      deletionBlocked: false,
      signaturesRequired: false
    });
    // What one readable source shows stands even when the other could not be read.
    expect(branchProtection(repo(classic(2), []), 'main', { classic: true, rulesets: false })).toMatchObject({
      protected: true,
      reviews: 2
    });
  });

  it('reads nothing from a source marked unreadable, whatever its data holds', () => {
    // Each source shows what the other does not, so counting an unreadable one changes the answer either way.
    const data = repo(classic(5, { requiresCommitSignatures: true }), [ruleset([pr(2), { type: 'NON_FAST_FORWARD' }])]);
    expect(branchProtection(data, 'main', { classic: false, rulesets: true })).toMatchObject({
      reviews: 2,
      forcePushBlocked: true,
      signaturesRequired: false
    });
    expect(branchProtection(data, 'main', { classic: true, rulesets: false })).toMatchObject({
      reviews: 5,
      forcePushBlocked: false,
      signaturesRequired: true
    });
  });

  it('matches classic patterns and ruleset conditions as GitHub does', () => {
    const release = (rulesets: Rulesets, branch = 'release/1.x') =>
      branchProtection(repo(classic(1, { pattern: 'main' }), rulesets), branch, both);
    expect(branchProtection(repo(classic(2, { pattern: 'release/*' }), []), 'release/1.x', both)).toMatchObject({
      protected: true,
      reviews: 2
    });
    // ~DEFAULT_BRANCH is the default branch only; ~ALL is every branch.
    expect(release([ruleset([pr(2)])])).toMatchObject({ protected: false });
    expect(release([ruleset([pr(2)], ['~ALL'])])).toMatchObject({ protected: true, reviews: 2 });
    // Any one included pattern is enough.
    expect(release([ruleset([pr(2)], ['refs/heads/main', 'refs/heads/release/*'])])).toMatchObject({ reviews: 2 });
    // A ruleset without a target is a branch ruleset; one without conditions applies to no branch.
    expect(release([{ ...ruleset([pr(2)], ['~ALL']), target: null } as Rulesets[number]])).toMatchObject({
      reviews: 2
    });
    expect(release([{ ...ruleset([pr(2)]), conditions: null } as Rulesets[number]])).toMatchObject({
      protected: false
    });
  });
});
