// Fine-grained personal access tokens granted access to the organization:
// never expiring, valid for more than a year, or unused.
import { defineRules, describeApiError, rulesOf } from '@security-actions/core';
import { listAll } from '../rest';
import type { OrgCheck } from '../types';

export const RULES = defineRules({
  tokenNoExpiry: {
    id: 'org/token-no-expiry',
    title: 'Fine-grained personal access token with organization access never expires',
    severity: 'medium',
    why: 'A token that never expires keeps working long after its owner stopped needing it, or after it leaked.',
    remediation:
      'Revoke the grant (Organization settings → Personal access tokens → Active tokens) and ask the owner for a token with an expiry (a year at most); set the organization policy "Enforce maximum lifetime".',
    spec: ['S6-4']
  },
  tokenLongLived: {
    id: 'org/token-long-lived',
    title: 'Fine-grained personal access token valid for more than a year',
    severity: 'low',
    why: 'SPEC 6 asks tokens to expire after a reasonable time, typically a year; longer lifetimes widen the window in which a leaked token works.',
    remediation:
      "Ask the owner to replace it with a token that expires within a year, and set the organization's maximum token lifetime.",
    spec: ['S6-4']
  },
  tokenUnused: {
    id: 'org/token-unused',
    title: 'Fine-grained personal access token with organization access is not used',
    severity: 'low',
    why: 'An unused token gives access nobody needs; it can only leak.',
    remediation: 'Revoke the grant in Organization settings → Personal access tokens → Active tokens.',
    spec: ['S6-4', 'S6-3']
  }
});

const DAY = 86_400_000;

export const tokens: OrgCheck = {
  id: 'tokens',
  scope: 'org',
  rules: rulesOf(RULES),
  async run({ io, org, now, inactiveDays, add, skip }) {
    interface Grant {
      owner: { login: string };
      token_name: string;
      token_id: number;
      token_expired: boolean;
      token_expires_at: string | null;
      token_last_used_at: string | null;
      access_granted_at: string;
    }
    let grants: Grant[];
    try {
      grants = await listAll<Grant>(io, 'GET /orgs/{org}/personal-access-tokens', { org });
    } catch (e) {
      const status = (e as { status?: number }).status;
      const reason =
        status === 403 && !/rate limit/i.test(String((e as Error).message))
          ? 'GitHub lists fine-grained token grants to GitHub Apps only (organization personal access tokens: read)'
          : describeApiError(e, 'organization personal access tokens: read');
      for (const r of [RULES.tokenNoExpiry, RULES.tokenUnused]) skip(r.id, `not checked: ${reason}`, org);
      return;
    }
    const stale = now.getTime() - inactiveDays * DAY;
    for (const g of grants) {
      if (g.token_expired) continue;
      const who = `${g.owner?.login ?? 'unknown'}'s token "${g.token_name}"`;
      const props = {
        login: g.owner?.login,
        token: g.token_name,
        expiresAt: g.token_expires_at,
        lastUsedAt: g.token_last_used_at
      };
      const key = `${g.owner?.login}/${g.token_id}`;
      if (!g.token_expires_at)
        add(RULES.tokenNoExpiry, undefined, {
          message: `${who} has access to ${org} and never expires.`,
          key,
          properties: props
        });
      else if (Date.parse(g.token_expires_at) - Date.parse(g.access_granted_at) > 366 * DAY) {
        add(RULES.tokenLongLived, undefined, {
          message: `${who} has access to ${org} until ${g.token_expires_at.slice(0, 10)}, more than a year after it was granted.`,
          key,
          properties: props
        });
      }
      const lastUse = g.token_last_used_at ?? g.access_granted_at;
      if (Date.parse(lastUse) < stale) {
        add(RULES.tokenUnused, undefined, {
          message: `${who} ${g.token_last_used_at ? `was last used on ${g.token_last_used_at.slice(0, 10)}` : `has not been used since access was granted on ${g.access_granted_at.slice(0, 10)}`}.`,
          key,
          properties: props
        });
      }
    }
  }
};
