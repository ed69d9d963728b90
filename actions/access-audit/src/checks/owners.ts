// The organization's owners: at least two, and not so many that every extra
// one widens who can change any setting and reach every secret.
import { defineRules, describeApiError, rulesOf } from '@security-actions/core';
import { listAll } from '../rest';
import type { OrgCheck } from '../types';

export const RULES = defineRules({
  tooFewOwners: {
    id: 'org/too-few-owners',
    title: 'Organization has fewer than two owners',
    severity: 'medium',
    why: 'With a single owner, the organization is lost (or held hostage) when that person is unavailable.',
    remediation: 'Promote a second trusted maintainer to owner and document who the owners are.',
    spec: ['S6-6']
  },
  tooManyOwners: {
    id: 'org/too-many-owners',
    title: 'Organization has many owners',
    severity: 'low',
    why: 'Every owner can change any setting and reach every secret; each extra owner widens the attack surface.',
    remediation: 'Keep two to a few owners; give others maintain or admin on the repositories they work on.',
    spec: ['S6-2']
  }
});

export const owners: OrgCheck = {
  id: 'owners',
  scope: 'org',
  rules: rulesOf(RULES),
  async run({ io, org, config, settings, add, skip }) {
    // Owner-only fields of the organization settings were readable: the caller is an owner.
    const ownerView = 'data' in settings && typeof settings.data.two_factor_requirement_enabled === 'boolean';
    try {
      // Without members: read GitHub lists public members only, which would undercount owners:
      // trust the list only when an owner-only field or a members-only route was readable.
      if (!ownerView) await io.request('GET /orgs/{org}/teams', { org, per_page: 1 });
      const list = (await listAll<{ login: string }>(io, 'GET /orgs/{org}/members', { org, role: 'admin' })).map(
        (m) => m.login
      );
      if (list.length < 2)
        add(RULES.tooFewOwners, undefined, {
          message: `${org} has ${list.length} owner${list.length === 1 ? '' : 's'}.`
        });
      else if (list.length > config.maxOwners) {
        add(RULES.tooManyOwners, undefined, {
          message: `${org} has ${list.length} owners (more than ${config.maxOwners}).`,
          properties: { owners: list }
        });
      }
    } catch (e) {
      skip(RULES.tooFewOwners.id, `not checked: ${describeApiError(e, 'members: read')}`, org);
    }
  }
};
