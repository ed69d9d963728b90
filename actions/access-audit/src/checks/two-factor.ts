// Members and outside collaborators without two-factor authentication, or
// with SMS as their second factor (GitHub's 2FA filters, owners only).
import { defineRules, describeApiError, rulesOf } from '@security-actions/core';
import { listAll } from '../rest';
import type { OrgCheck } from '../types';

export const RULES = defineRules({
  memberNo2fa: {
    id: 'org/member-without-2fa',
    title: 'Member or outside collaborator without two-factor authentication',
    severity: 'high',
    why: 'An account with access to the organization but no second factor is protected by its password alone.',
    remediation:
      'Ask the person to enable 2FA (a hardware key or an authenticator app), or remove their access until they do.',
    spec: ['S6-11']
  },
  memberInsecure2fa: {
    id: 'org/member-insecure-2fa',
    title: 'Member or outside collaborator uses SMS as second factor',
    severity: 'medium',
    why: 'SMS codes can be intercepted through SIM swapping; GitHub classes SMS as insecure 2FA.',
    remediation: 'Ask the person to switch to a security key, passkey or authenticator app and remove SMS.',
    spec: ['S6-11']
  }
});

export const twoFactor: OrgCheck = {
  id: 'two-factor',
  scope: 'org',
  rules: rulesOf(RULES),
  async run({ io, org, add, skip }) {
    for (const [filter, rule] of [
      ['2fa_disabled', RULES.memberNo2fa],
      ['2fa_insecure', RULES.memberInsecure2fa]
    ] as const) {
      for (const [route, who] of [
        ['GET /orgs/{org}/members', 'member'],
        ['GET /orgs/{org}/outside_collaborators', 'outside collaborator']
      ] as const) {
        try {
          for (const m of await listAll<{ login: string }>(io, route, { org, filter })) {
            add(rule, undefined, {
              message: `${who} ${m.login} ${filter === '2fa_disabled' ? 'has no two-factor authentication' : 'uses SMS as second factor'}.`,
              key: `${filter}/${m.login}`,
              properties: { login: m.login }
            });
          }
        } catch (e) {
          const reason =
            (e as { status?: number }).status === 422
              ? 'needs an organization owner (GitHub: only owners can use the 2FA filters)'
              : describeApiError(e, 'members: read');
          skip(rule.id, `not checked for ${who}s: ${reason}`, org);
        }
      }
    }
  }
};
