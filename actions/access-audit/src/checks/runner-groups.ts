// Self-hosted runner groups open to public repositories, where anyone's pull
// request can reach the runners.
import { defineRules, describeApiError, rulesOf } from '@security-actions/core';
import { listAll } from '../rest';
import type { OrgCheck } from '../types';

export const RULES = defineRules({
  runnerGroupPublic: {
    id: 'org/runner-group-public',
    title: 'Self-hosted runners are available to public repositories',
    severity: 'high',
    why: "Anyone can open a pull request on a public repository; its workflow can target the group's runners, run code on the machine and persist there (the PyTorch runner compromise).",
    remediation:
      'Untick "Allow public repositories" on the runner group, or use ephemeral, isolated runners and require approval for all outside contributors.',
    spec: ['S8-16']
  }
});

export const runnerGroups: OrgCheck = {
  id: 'runner-groups',
  scope: 'org',
  rules: rulesOf(RULES),
  async run({ io, org, add, skip }) {
    interface Group {
      id: number;
      name: string;
      allows_public_repositories: boolean;
    }
    const need = 'organization self-hosted runners: read';
    let groups: Group[];
    try {
      groups = await listAll<Group>(io, 'GET /orgs/{org}/actions/runner-groups', { org }, 'runner_groups');
    } catch (e) {
      return skip(RULES.runnerGroupPublic.id, `not checked: ${describeApiError(e, need)}`, org);
    }
    for (const g of groups.filter((x) => x.allows_public_repositories)) {
      try {
        const runners = await listAll<{ name: string }>(
          io,
          'GET /orgs/{org}/actions/runner-groups/{runner_group_id}/runners',
          { org, runner_group_id: g.id },
          'runners'
        );
        // An empty group is a latent risk only: a runner added later is exposed at once.
        add(RULES.runnerGroupPublic, undefined, {
          severity: runners.length ? 'high' : 'low',
          message: `Runner group "${g.name}" of ${org} is open to public repositories${runners.length ? ` and has ${runners.length} runner${runners.length === 1 ? '' : 's'}` : ' (no runners in it now)'}.`,
          key: String(g.id),
          properties: { group: g.name, runners: runners.map((r) => r.name) }
        });
      } catch (e) {
        skip(RULES.runnerGroupPublic.id, `not checked for runner group "${g.name}": ${describeApiError(e, need)}`, org);
      }
    }
  }
};
