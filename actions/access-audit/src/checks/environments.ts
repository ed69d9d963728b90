// Release environments (SPEC 8): the environments whose names match
// `release-environments` need two distinct human reviewers (team members
// counted), no self-review, and a deployment branch policy.
import { defineRules, rulesOf } from '@security-actions/core';
import { isHuman } from '../logins';
import type { RepoCheck } from '../types';

export const RULES = defineRules({
  envNoReviewers: {
    id: 'env/no-reviewers',
    title: 'Release environment has no required reviewers',
    severity: 'high',
    why: 'Any workflow run allowed into the environment publishes without a human approving it.',
    remediation:
      'Environment settings → Required reviewers: add at least two maintainers and tick "Prevent self-review".',
    spec: ['S8-3', 'S8-8']
  },
  envSingleReviewer: {
    id: 'env/single-reviewer',
    title: 'Release environment has fewer than two distinct reviewers',
    severity: 'medium',
    why: 'With one reviewer, releases stop when that person is away, and self-approval becomes the norm.',
    remediation: 'Add a second maintainer (or a team with two people) as required reviewer.',
    spec: ['S8-3', 'S6-6']
  },
  envSelfReview: {
    id: 'env/self-review-allowed',
    title: 'Release environment allows self-review',
    severity: 'medium',
    why: 'The person who triggered the release can approve it, so the second-person check is optional.',
    remediation: 'Tick "Prevent self-review" in the environment settings.',
    spec: ['S8-3']
  },
  envAnyBranch: {
    id: 'env/any-branch',
    title: 'Release environment can be used from any branch',
    severity: 'medium',
    why: 'A workflow on an unreviewed branch can enter the environment and use its secrets or its PyPI Trusted Publisher.',
    remediation: 'Set Deployment branches and tags to "Protected branches" or to release tags only.',
    spec: ['S8-8']
  }
});

export const environments: RepoCheck = {
  id: 'environments',
  scope: 'repo',
  rules: rulesOf(RULES),
  run({ name, repo, config, teams, failed, unreadable, add, skip }) {
    if (failed('environments') || !repo.environments)
      return skip(RULES.envNoReviewers.id, unreadable('environments', 'actions: read'), name);
    for (const env of repo.environments.nodes ?? []) {
      if (!config.releaseEnvironments.test(env.name)) continue;
      const rules = env.protectionRules?.nodes ?? [];
      const props = { environment: env.name };
      const reviewRule = rules.find((r) => r.type === 'REQUIRED_REVIEWERS');
      if (!reviewRule)
        add(RULES.envNoReviewers, name, {
          message: `${name}: environment ${env.name} has no required reviewers.`,
          key: env.name,
          properties: props
        });
      else {
        const people = new Set<string>();
        let unknownTeam = false;
        for (const r of reviewRule.reviewers?.nodes ?? []) {
          if (r.__typename === 'User' && isHuman(r.login)) people.add(r.login.toLowerCase());
          if (r.__typename === 'Team') {
            const members = teams?.get(r.slug);
            if (!members) unknownTeam = true;
            for (const m of members ?? []) if (isHuman(m)) people.add(m.toLowerCase());
          }
        }
        if (people.size < 2 && unknownTeam) {
          skip(
            RULES.envSingleReviewer.id,
            `not checked for ${env.name}: the members of a reviewing team were not readable (needs members: read)`,
            name
          );
        } else if (people.size < 2) {
          add(RULES.envSingleReviewer, name, {
            message: `${name}: environment ${env.name} has ${people.size} distinct human reviewer${people.size === 1 ? '' : 's'}.`,
            key: env.name,
            properties: props
          });
        }
        if (!reviewRule.preventSelfReview)
          add(RULES.envSelfReview, name, {
            message: `${name}: environment ${env.name} lets the person who started a run approve it.`,
            key: env.name,
            properties: props
          });
      }
      if (!rules.some((r) => r.type === 'BRANCH_POLICY')) {
        add(RULES.envAnyBranch, name, {
          message: `${name}: environment ${env.name} accepts deployments from any branch.`,
          key: env.name,
          properties: props
        });
      }
    }
  }
};
