// Organization-level checks: settings, owners, 2FA, the Actions policy
// (workflow token, allowed actions, SHA pinning, fork pull requests), GitHub
// Apps, fine-grained tokens, webhooks and self-hosted runner groups. One or a
// few REST requests each, made once per run; each check that cannot read its
// endpoint is reported as not checked with the permission it needs.
import { describeApiError } from '@security-actions/core';
import type { Add, AuditConfig, AuditIO, Skip } from './engine';
import { RULES } from './rules';

const DAY = 86_400_000;

/**
 * Every item of a paginated REST list; `key` names the array in wrapped
 * answers (`{ total_count, installations }`). Items are pushed into `out` as
 * pages arrive, so a caller keeps what was listed before a failure.
 */
export async function listAll<T>(
  io: AuditIO,
  route: string,
  params: Record<string, unknown>,
  key?: string,
  out: T[] = []
): Promise<T[]> {
  for (let page = 1; ; page++) {
    const data = (await io.request(route, { ...params, per_page: 100, page })).data as T[] | Record<string, T[]>;
    const items = key ? (data as Record<string, T[]>)[key] : (data as T[]);
    if (!Array.isArray(items))
      throw new Error(`GitHub answered ${route} without ${key ?? 'a list'} (truncated answer?)`);
    out.push(...items);
    if (items.length < 100) return out;
  }
}

export interface OrgContext {
  io: AuditIO;
  org: string;
  config: AuditConfig;
  now: Date;
  inactiveDays: number;
  add: Add;
  skip: Skip;
  notes: string[];
}

/** Returns why the organization cannot be audited at all (API unreachable, no such org), or undefined. */
export async function orgChecks(c: OrgContext): Promise<string | undefined> {
  const { io, org, add, skip } = c;
  let ownerView = false;
  try {
    const data = (await io.request('GET /orgs/{org}', { org })).data as {
      two_factor_requirement_enabled?: boolean;
      default_repository_permission?: string;
    };
    ownerView = typeof data.two_factor_requirement_enabled === 'boolean';
    // Owner-only fields are simply absent for other callers.
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
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === undefined || status === 401) return describeApiError(e);
    if (status === 404) return `organization ${org} not found (or not visible to the token)`;
    skip(RULES.orgTwoFactor.id, `not checked: ${describeApiError(e, 'organization administration: read')}`, org);
    skip(RULES.defaultPermission.id, `not checked: ${describeApiError(e, 'organization administration: read')}`, org);
  }

  await actionsPolicy(c);
  await owners(c, ownerView);
  await twoFactor(c);
  await apps(c);
  await tokens(c);
  await webhooks(c);
  await runnerGroups(c);
  return undefined;
}

async function actionsPolicy({ io, org, add, skip }: OrgContext): Promise<void> {
  const need = 'organization administration: read';
  try {
    const policy = (await io.request('GET /orgs/{org}/actions/permissions', { org })).data as {
      allowed_actions?: string;
      sha_pinning_required?: boolean;
    };
    if (policy.allowed_actions === 'all')
      add(RULES.actionsAllAllowed, undefined, { message: `${org} lets workflows use any action from any owner.` });
    if (policy.sha_pinning_required === false)
      add(RULES.actionsShaPinning, undefined, {
        message: `${org} does not require actions pinned to a full commit SHA.`
      });
    else if (policy.sha_pinning_required === undefined)
      skip(RULES.actionsShaPinning.id, 'not checked: GitHub did not return sha_pinning_required', org);
  } catch (e) {
    for (const r of [RULES.actionsAllAllowed, RULES.actionsShaPinning])
      skip(r.id, `not checked: ${describeApiError(e, need)}`, org);
  }
  try {
    const wf = (await io.request('GET /orgs/{org}/actions/permissions/workflow', { org })).data as {
      default_workflow_permissions: string;
      can_approve_pull_request_reviews: boolean;
    };
    if (wf.default_workflow_permissions === 'write')
      add(RULES.actionsTokenWrite, undefined, {
        message: `${org} gives workflows a read-write GITHUB_TOKEN by default.`
      });
    if (wf.can_approve_pull_request_reviews)
      add(RULES.actionsApprovePrs, undefined, {
        message: `${org} lets GitHub Actions create and approve pull requests.`
      });
  } catch (e) {
    for (const r of [RULES.actionsTokenWrite, RULES.actionsApprovePrs])
      skip(r.id, `not checked: ${describeApiError(e, need)}`, org);
  }
  try {
    const { approval_policy: policy } = (
      await io.request('GET /orgs/{org}/actions/permissions/fork-pr-contributor-approval', { org })
    ).data as { approval_policy?: string };
    if (policy === 'first_time_contributors_new_to_github') {
      add(RULES.forkPrApproval, undefined, {
        message: `${org} requires approval of fork pull request workflows only for first-time contributors who are new to GitHub.`,
        properties: { approval_policy: policy }
      });
    } else if (policy !== 'first_time_contributors' && policy !== 'all_external_contributors') {
      skip(RULES.forkPrApproval.id, `not checked: GitHub returned an unknown approval_policy (${String(policy)})`, org);
    }
  } catch (e) {
    // GitHub Enterprise Server before 3.19 has no such endpoint.
    skip(
      RULES.forkPrApproval.id,
      `not checked: ${(e as { status?: number }).status === 404 ? 'not available on this GitHub (or needs organization administration: read)' : describeApiError(e, need)}`,
      org
    );
  }
  try {
    const p = (await io.request('GET /orgs/{org}/actions/permissions/fork-pr-workflows-private-repos', { org }))
      .data as {
      run_workflows_from_fork_pull_requests: boolean;
      send_write_tokens_to_workflows: boolean;
      send_secrets_and_variables: boolean;
      require_approval_for_fork_pr_workflows: boolean;
    };
    if (p.run_workflows_from_fork_pull_requests) {
      const given = [
        p.send_secrets_and_variables && 'secrets and variables',
        p.send_write_tokens_to_workflows && 'a write token'
      ].filter(Boolean);
      if (given.length) {
        add(RULES.forkPrPrivate, undefined, {
          message: `${org} sends ${given.join(' and ')} to workflows of fork pull requests on private repositories.`,
          key: 'secrets',
          properties: p
        });
      } else if (!p.require_approval_for_fork_pr_workflows) {
        add(RULES.forkPrPrivate, undefined, {
          severity: 'medium',
          message: `${org} runs workflows of fork pull requests on private repositories without approval.`,
          key: 'approval',
          properties: p
        });
      }
    }
  } catch (e) {
    skip(
      RULES.forkPrPrivate.id,
      `not checked: ${(e as { status?: number }).status === 404 ? 'not available on this GitHub (or needs organization administration: read)' : describeApiError(e, need)}`,
      org
    );
  }
}

async function owners({ io, org, config, add, skip }: OrgContext, ownerView: boolean): Promise<void> {
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

async function twoFactor({ io, org, add, skip }: OrgContext): Promise<void> {
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

async function apps({ io, org, config, add, skip, notes }: OrgContext): Promise<void> {
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
        .sort((a, b) => a.app_slug.localeCompare(b.app_slug))
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

async function tokens({ io, org, now, inactiveDays, add, skip }: OrgContext): Promise<void> {
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

async function webhooks({ io, org, add, skip }: OrgContext): Promise<void> {
  interface Hook {
    id: number;
    name: string;
    active: boolean;
    config: { url?: string; insecure_ssl?: string | number; secret?: string };
  }
  let hooks: Hook[];
  try {
    hooks = await listAll<Hook>(io, 'GET /orgs/{org}/hooks', { org });
  } catch (e) {
    for (const r of [RULES.webhookInsecure, RULES.webhookNoSecret])
      skip(r.id, `not checked: ${describeApiError(e, 'organization webhooks: read')}`, org);
    return;
  }
  for (const h of hooks.filter((x) => x.active)) {
    // Only the host: the path and query of a webhook URL often carry a token.
    const url = h.config?.url ?? '';
    let host = '?';
    try {
      host = new URL(url).host;
    } catch {
      // keep '?'
    }
    const props = { hook: h.id, host };
    if (/^http:/i.test(url))
      add(RULES.webhookInsecure, undefined, {
        message: `Webhook ${h.id} of ${org} delivers to ${host} over plain http.`,
        key: `${h.id}/http`,
        properties: props
      });
    else if (String(h.config?.insecure_ssl) === '1') {
      add(RULES.webhookInsecure, undefined, {
        message: `Webhook ${h.id} of ${org} delivers to ${host} without verifying its TLS certificate.`,
        key: `${h.id}/ssl`,
        properties: props
      });
    }
    if (!h.config?.secret)
      add(RULES.webhookNoSecret, undefined, {
        message: `Webhook ${h.id} of ${org} (to ${host}) has no secret.`,
        key: `${h.id}`,
        properties: props
      });
  }
}

async function runnerGroups({ io, org, add, skip }: OrgContext): Promise<void> {
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
