// GitHub Apps installed on every repository with write access to code,
// workflows, settings or secrets; every App is listed in a note, the SPEC 6
// inventory.
import { compareStrings, defineRules, describeApiError, rulesOf } from '@security-actions/core';
import { listAll } from '../rest';
import type { OrgCheck } from '../types';

export const RULES = defineRules({
  appBroadWrite: {
    id: 'org/app-broad-write',
    title: 'GitHub App installed on every repository with write access to code or settings',
    // Low when contents is the only write it has.
    severity: 'medium',
    why: 'An App installed on all repositories with write to contents, workflows, administration or secrets can change every project at once; a compromise of the App vendor becomes a compromise of the organization.',
    remediation:
      'Limit the installation to the repositories that need it (Organization settings → GitHub Apps → Configure → Only select repositories), or ask the vendor for narrower permissions; list approved Apps in `access-audit.allowed-apps`.',
    spec: ['S6-2']
  }
});

/** App permissions whose write access changes code, workflows, settings or secrets. */
const POWERFUL = [
  'administration',
  'contents',
  'workflows',
  'secrets',
  'actions',
  'environments',
  'organization_administration',
  'organization_secrets',
  'members'
];

export const apps: OrgCheck = {
  id: 'apps',
  scope: 'org',
  rules: rulesOf(RULES),
  async run({ io, org, config, add, skip, notes }) {
    interface Installation {
      app_slug: string;
      repository_selection: string;
      permissions: Record<string, string>;
      suspended_at?: string | null;
    }
    let list: Installation[];
    try {
      list = await listAll<Installation>(io, 'GET /orgs/{org}/installations', { org }, 'installations');
    } catch (e) {
      return skip(
        RULES.appBroadWrite.id,
        `not checked: ${describeApiError(e, 'organization administration: read')}`,
        org
      );
    }
    const active = list.filter((i) => !i.suspended_at);
    if (active.length)
      notes.push(
        `GitHub Apps installed in ${org}: ${[...active]
          .sort((a, b) => compareStrings(a.app_slug, b.app_slug))
          .map(
            (i) => `${i.app_slug} (${i.repository_selection === 'all' ? 'all repositories' : 'selected repositories'})`
          )
          .join(', ')}.`
      );
    for (const i of active) {
      if (i.repository_selection !== 'all' || config.allowedApps.includes(i.app_slug.toLowerCase())) continue;
      const writes = POWERFUL.filter((p) => i.permissions?.[p] === 'write' || i.permissions?.[p] === 'admin');
      if (!writes.length) continue;
      add(RULES.appBroadWrite, undefined, {
        severity: writes.some((w) => w !== 'contents') ? 'medium' : 'low',
        message: `GitHub App ${i.app_slug} is installed on all repositories of ${org} with write access to ${writes.join(', ')}.`,
        key: i.app_slug,
        properties: { app: i.app_slug, writes }
      });
    }
  }
};
