// The organization's own settings: required two-factor authentication and the
// base permission, from `GET /orgs/{org}`, which the engine reads first (it
// tells whether the organization can be audited at all). Owner-only fields
// are simply absent for other callers.
import { defineRules, describeApiError, rulesOf } from '@security-actions/core';
import type { OrgCheck } from '../types';

export const RULES = defineRules({
  orgTwoFactor: {
    id: 'org/2fa-not-required',
    title: 'Organization does not require two-factor authentication',
    severity: 'high',
    why: "Without required 2FA a single phished password gives an attacker the member's access to every repository and release credential.",
    remediation:
      'Organization settings → Authentication security → "Require two-factor authentication for everyone". Members without 2FA are removed, so warn them first.',
    spec: ['S6-11']
  },
  defaultPermission: {
    id: 'org/default-permission-too-broad',
    title: 'Organization base permission grants write or admin',
    severity: 'high',
    why: 'The base permission applies to every member on every repository, so each member can push to all of them.',
    remediation:
      'Organization settings → Member privileges → Base permissions: "Read" or "No permission"; grant write through teams.',
    spec: ['S6-2']
  }
});

export const orgSettings: OrgCheck = {
  id: 'org-settings',
  scope: 'org',
  rules: rulesOf(RULES),
  async run({ org, settings, add, skip }) {
    if ('error' in settings) {
      for (const r of [RULES.orgTwoFactor, RULES.defaultPermission])
        skip(r.id, `not checked: ${describeApiError(settings.error, 'organization administration: read')}`, org);
      return;
    }
    const { data } = settings;
    if (typeof data.two_factor_requirement_enabled !== 'boolean') {
      skip(
        RULES.orgTwoFactor.id,
        'not checked: needs organization administration: read (GitHub returned no two_factor_requirement_enabled)',
        org
      );
    } else if (!data.two_factor_requirement_enabled) {
      add(RULES.orgTwoFactor, undefined, { message: `${org} does not require two-factor authentication.` });
    }
    if (typeof data.default_repository_permission !== 'string') {
      skip(
        RULES.defaultPermission.id,
        'not checked: needs organization administration: read (GitHub returned no default_repository_permission)',
        org
      );
    } else if (['write', 'admin'].includes(data.default_repository_permission)) {
      add(RULES.defaultPermission, undefined, {
        message: `${org} gives every member ${data.default_repository_permission} on every repository.`
      });
    }
  }
};
