// The fake GitHub's world: a structured, hand-authored description of orgs, users
// and repositories (documented in docs/fakes/github.md), normalised into the
// in-memory state every REST and GraphQL answer is derived from. Normalising
// rejects unknown keys, so a typo in a world file fails loudly instead of
// silently producing a default.
import { createHash } from 'node:crypto';
import { AUDIT_ENTRY_TYPES } from './graphql-schema.mjs';
import { advisoryLogins, linkAdvisoryForks, normalizeAdvisories, normalizeDependencyGraph } from './advisory-world.mjs';
import { linkConfigurations, normalizeConfigurations } from './code-security-world.mjs';

/** Timestamp used wherever the world leaves one out. */
const DEFAULT_TIME = '2020-01-01T00:00:00Z';

/** Repository roles, weakest first (REST names; GitHub's UI calls push "write" and pull "read"). */
const ROLES = ['pull', 'triage', 'push', 'maintain', 'admin'];
const ROLE_ALIASES = { read: 'pull', write: 'push' };

export const sha1 = (data) => createHash('sha1').update(data).digest('hex');

/** Git's blob id, which is what GitHub reports as a file's `sha`. */
export function gitBlobSha(buf) {
  return sha1(Buffer.concat([Buffer.from(`blob ${buf.length}\0`), buf]));
}

/** Deterministic positive 31-bit id, so ids survive edits elsewhere in the world. */
export function stableId(kind, key) {
  let h = 0x811c9dc5;
  for (const ch of `${kind}:${key}`) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193);
  }
  return h & 0x7fffffff || 1;
}

/** Opaque global node id in GitHub's current `PREFIX_kgDO…` style. */
export function nodeId(prefix, id) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(id));
  return `${prefix}_kgDO${b.toString('base64url')}`;
}

/** Seconds-precision ISO time, the format GitHub uses. */
export const isoNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Case-insensitive key lookup: GitHub logins and repository names are case-insensitive. */
export function lookup(map, key) {
  if (key === undefined || key === null) return undefined;
  if (Object.hasOwn(map, key)) return map[key];
  const lower = String(key).toLowerCase();
  const hit = Object.keys(map).find((k) => k.toLowerCase() === lower);
  return hit === undefined ? undefined : map[hit];
}

export function roleAtLeast(role, wanted) {
  return Boolean(role) && ROLES.indexOf(role) >= ROLES.indexOf(wanted);
}

function maxRole(a, b) {
  if (!a) return b;
  if (!b) return a;
  return ROLES.indexOf(a) >= ROLES.indexOf(b) ? a : b;
}

function role(value, where) {
  const r = ROLE_ALIASES[value] ?? value;
  if (!ROLES.includes(r)) throw new Error(`world: ${where}: unknown permission "${value}" (use ${ROLES.join('|')})`);
  return r;
}

/** An object whose keys are names the world chooses (slugs, property names): only its shape is checked. */
const anyKeys = (obj, where) => only(obj, obj && typeof obj === 'object' ? Object.keys(obj) : [], where);

/** Rejects keys outside `allowed`: the world format is closed so typos surface. */
function only(obj, allowed, where) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    throw new Error(`world: ${where} must be an object`);
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new Error(`world: ${where}: unknown key "${k}" (allowed: ${allowed.join(', ')})`);
  }
  return obj;
}

/** GitHub Actions policy of an org (GET /orgs/{org}/actions/permissions and …/workflow); GitHub's defaults. */
const ORG_ACTIONS = {
  enabled_repositories: 'all',
  allowed_actions: 'all',
  sha_pinning_required: false,
  default_workflow_permissions: 'read',
  can_approve_pull_request_reviews: false,
  // GET …/actions/permissions/fork-pr-contributor-approval
  fork_pr_approval_policy: 'first_time_contributors_new_to_github'
};

const FORK_PR_APPROVAL_POLICIES = [
  'first_time_contributors_new_to_github',
  'first_time_contributors',
  'all_external_contributors'
];

/** GET …/actions/permissions/fork-pr-workflows-private-repos; GitHub's defaults. */
const FORK_PR_PRIVATE = {
  run_workflows_from_fork_pull_requests: false,
  send_write_tokens_to_workflows: false,
  send_secrets_and_variables: false,
  require_approval_for_fork_pr_workflows: true
};

/** security_and_analysis features a world may set; the first three are always reported, the others only when given. */
const SECURITY_FEATURES = [
  'secret_scanning',
  'secret_scanning_push_protection',
  'dependabot_security_updates',
  'advanced_security',
  'code_security'
];
const ALWAYS_REPORTED_FEATURES = SECURITY_FEATURES.slice(0, 3);

/** Languages code scanning default setup accepts (code-scanning-default-setup schema). */
const CODE_SCANNING_LANGUAGES = [
  'actions',
  'c-cpp',
  'csharp',
  'go',
  'java-kotlin',
  'javascript-typescript',
  'javascript',
  'python',
  'ruby',
  'typescript',
  'swift'
];
const PERMISSION_LEVELS = ['read', 'write', 'admin'];

const ORG_SETTINGS = {
  two_factor_requirement_enabled: false,
  default_repository_permission: 'read',
  members_can_create_repositories: true,
  members_allowed_repository_creation_type: 'all',
  members_can_create_public_repositories: true,
  members_can_create_private_repositories: true,
  members_can_create_internal_repositories: false,
  members_can_create_pages: true,
  members_can_create_public_pages: true,
  members_can_create_private_pages: true,
  members_can_fork_private_repositories: false,
  members_can_delete_repositories: true,
  members_can_change_repo_visibility: true,
  members_can_invite_outside_collaborators: true,
  members_can_delete_issues: false,
  members_can_create_teams: true,
  members_can_view_dependency_insights: true,
  display_commenter_full_name_setting_enabled: false,
  readers_can_create_discussions: true,
  web_commit_signoff_required: false,
  billing_email: null,
  default_repository_branch: 'main',
  advanced_security_enabled_for_new_repositories: false,
  dependabot_alerts_enabled_for_new_repositories: false,
  dependabot_security_updates_enabled_for_new_repositories: false,
  dependency_graph_enabled_for_new_repositories: false,
  secret_scanning_enabled_for_new_repositories: false,
  secret_scanning_push_protection_enabled_for_new_repositories: false,
  deploy_keys_enabled_for_repositories: true
};
const BASE_PERMISSIONS = { none: null, read: 'pull', write: 'push', admin: 'admin' };

const PROTECTION_FLAGS = {
  enforce_admins: false,
  required_signatures: false,
  required_linear_history: false,
  allow_force_pushes: false,
  allow_deletions: false,
  block_creations: false,
  required_conversation_resolution: false,
  lock_branch: false,
  allow_fork_syncing: false
};

const VERIFICATION_REASONS = [
  'expired_key',
  'not_signing_key',
  'gpgverify_error',
  'gpgverify_unavailable',
  'unsigned',
  'unknown_signature_type',
  'no_user',
  'unverified_email',
  'bad_email',
  'unknown_key',
  'malformed_signature',
  'invalid',
  'valid',
  'bad_cert',
  'ocsp_pending',
  'ocsp_error',
  'ocsp_revoked'
];

const TWO_FACTOR = [true, false, 'insecure'];

/**
 * Normalises a world description (see docs/fakes/github.md) into the fake's state.
 * The input is not modified.
 * @param {any} input
 */
export function normalizeWorld(input) {
  const raw = structuredClone(input ?? {});
  only(raw, ['viewer', 'rate_limit', 'tokens', 'users', 'orgs', 'repos'], 'world');
  const world = {
    viewer: raw.viewer ?? null,
    tokens: raw.tokens ? normalizeTokens(raw.tokens) : null,
    rate_limit: normalizeRateLimit(raw.rate_limit ?? {}),
    /** @type {Record<string, any>} */ users: {},
    /** @type {Record<string, any>} */ orgs: {},
    /** @type {Record<string, any>} */ repos: {}
  };
  for (const [login, u] of Object.entries(raw.users ?? {})) world.users[login] = normalizeUser(login, u);
  for (const [login, o] of Object.entries(raw.orgs ?? {})) world.orgs[login] = normalizeOrg(login, o);
  for (const [fullName, r] of Object.entries(raw.repos ?? {})) world.repos[fullName] = normalizeRepo(fullName, r);
  for (const repo of Object.values(world.repos)) linkRepo(world, repo);
  for (const org of Object.values(world.orgs)) checkOrgReferences(world, org);
  linkConfigurations(world);
  // A pull request from a fork implies the fork exists (GitHub serves it); create any the world left out.
  for (const repo of Object.values(world.repos)) {
    for (const pr of repo.pulls) {
      if (lookup(world.repos, pr.head.repo)) continue;
      const fork = normalizeRepo(pr.head.repo, {
        parent: repo.full_name,
        default_branch: repo.default_branch,
        branches: { [repo.default_branch]: repo.branches[repo.default_branch], [pr.head.ref]: pr.head.sha },
        created_at: pr.created_at
      });
      fork.commits = [...repo.commits]; // a fork shares its parent's history
      world.repos[pr.head.repo] = fork;
      linkRepo(world, fork);
    }
  }
  linkAdvisoryForks(world);

  const mentioned = new Set([
    ...Object.values(world.orgs).flatMap((o) => [
      ...Object.keys(o.members),
      ...Object.values(o.teams).flatMap((t) => Object.keys(t.members)),
      ...o.pat_grants.map((g) => g.owner),
      ...o.audit_log.map((e) => e.actor)
    ]),
    ...Object.values(world.repos).flatMap(reposLogins),
    ...Object.values(world.tokens ?? {}).map((t) => t.login)
  ]);
  for (const login of mentioned) {
    if (!lookup(world.users, login) && !lookup(world.orgs, login)) world.users[login] = normalizeUser(login, {});
  }
  world.viewer ??=
    Object.values(world.orgs).flatMap((o) => Object.keys(o.members).filter((l) => o.members[l].role === 'admin'))[0] ??
    Object.keys(world.users)[0] ??
    null;
  if (world.viewer && !lookup(world.users, world.viewer)) world.users[world.viewer] = normalizeUser(world.viewer, {});
  return world;
}

function normalizeTokens(tokens) {
  const out = {};
  for (const [token, t] of Object.entries(tokens)) {
    only(t, ['login', 'type', 'permissions', 'scopes', 'repositories'], `tokens.${token}`);
    if (!t.login) throw new Error(`world: tokens.${token}: "login" is required`);
    const type = t.type ?? (t.login.endsWith('[bot]') ? 'app' : 'user');
    if (!['app', 'user'].includes(type)) throw new Error(`world: tokens.${token}: type must be app|user`);
    if (type === 'app' && !t.permissions) throw new Error(`world: tokens.${token}: app tokens need "permissions"`);
    if (t.permissions && t.scopes)
      throw new Error(`world: tokens.${token}: give "permissions" (fine-grained) or "scopes" (classic), not both`);
    for (const [p, level] of Object.entries(t.permissions ?? {})) {
      if (!['read', 'write', 'admin'].includes(level))
        throw new Error(`world: tokens.${token}.permissions.${p}: read|write|admin`);
    }
    out[token] = {
      login: t.login,
      type,
      permissions: t.permissions ?? null,
      scopes: t.scopes ?? null,
      repositories: t.repositories ?? null
    };
  }
  return out;
}

function normalizeRateLimit(rl) {
  only(rl, ['core', 'search', 'graphql'], 'rate_limit');
  const reset = Math.floor(Date.now() / 1000) + 3600;
  const bucket = (name, limit) => {
    const b = only(rl[name] ?? {}, ['limit', 'remaining', 'reset'], `rate_limit.${name}`);
    const l = b.limit ?? limit;
    const remaining = b.remaining ?? l;
    return { limit: l, remaining, used: l - remaining, reset: b.reset ?? reset };
  };
  return { core: bucket('core', 5000), search: bucket('search', 30), graphql: bucket('graphql', 5000) };
}

function normalizeUser(login, u) {
  only(
    u,
    [
      'id',
      'type',
      'name',
      'email',
      'company',
      'blog',
      'location',
      'bio',
      'twitter_username',
      'site_admin',
      'created_at',
      'updated_at',
      'two_factor',
      'contributions'
    ],
    `users.${login}`
  );
  const two = u.two_factor ?? true;
  if (!TWO_FACTOR.includes(two)) throw new Error(`world: users.${login}.two_factor must be true, false or "insecure"`);
  const type = u.type ?? (login.endsWith('[bot]') ? 'Bot' : 'User');
  if (!['User', 'Bot'].includes(type)) throw new Error(`world: users.${login}.type must be User|Bot`);
  const id = u.id ?? stableId('user', login.toLowerCase());
  if (u.contributions) {
    only(
      u.contributions,
      ['commits', 'issues', 'pull_requests', 'reviews', 'repositories', 'restricted'],
      `users.${login}.contributions`
    );
  }
  return {
    login,
    id,
    node_id: nodeId(type === 'Bot' ? 'BOT' : 'U', id),
    type,
    name: u.name ?? null,
    email: u.email ?? null,
    company: u.company ?? null,
    blog: u.blog ?? '',
    location: u.location ?? null,
    bio: u.bio ?? null,
    twitter_username: u.twitter_username ?? null,
    site_admin: u.site_admin ?? false,
    created_at: u.created_at ?? DEFAULT_TIME,
    updated_at: u.updated_at ?? u.created_at ?? DEFAULT_TIME,
    two_factor: two,
    contributions: u.contributions ?? null
  };
}

function normalizeOrg(login, o) {
  only(
    o,
    [
      'id',
      'name',
      'description',
      'email',
      'blog',
      'location',
      'company',
      'is_verified',
      'created_at',
      'updated_at',
      'settings',
      'plan',
      'members',
      'teams',
      'actions',
      'installations',
      'pat_grants',
      'hooks',
      'runner_groups',
      'audit_log',
      'code_security_configurations'
    ],
    `orgs.${login}`
  );
  only(o.settings ?? {}, Object.keys(ORG_SETTINGS), `orgs.${login}.settings`);
  const { fork_pr_private: forkPrivate, ...actions } = only(
    o.actions ?? {},
    [...Object.keys(ORG_ACTIONS), 'fork_pr_private'],
    `orgs.${login}.actions`
  );
  if (
    actions.fork_pr_approval_policy !== undefined &&
    !FORK_PR_APPROVAL_POLICIES.includes(actions.fork_pr_approval_policy)
  ) {
    throw new Error(
      `world: orgs.${login}.actions.fork_pr_approval_policy must be ${FORK_PR_APPROVAL_POLICIES.join('|')}`
    );
  }
  const forkPr = {
    ...FORK_PR_PRIVATE,
    ...only(forkPrivate ?? {}, Object.keys(FORK_PR_PRIVATE), `orgs.${login}.actions.fork_pr_private`)
  };
  for (const [k, val] of Object.entries(forkPr)) {
    if (typeof val !== 'boolean')
      throw new Error(`world: orgs.${login}.actions.fork_pr_private.${k} must be a boolean`);
  }
  const settings = { ...ORG_SETTINGS, ...o.settings };
  if (!(settings.default_repository_permission in BASE_PERMISSIONS)) {
    throw new Error(
      `world: orgs.${login}.settings.default_repository_permission must be ${Object.keys(BASE_PERMISSIONS).join('|')}`
    );
  }
  const id = o.id ?? stableId('org', login.toLowerCase());
  const members = {};
  for (const [m, v] of Object.entries(o.members ?? {})) {
    const entry = typeof v === 'string' ? { role: v } : only(v, ['role', 'public'], `orgs.${login}.members.${m}`);
    if (!['admin', 'member'].includes(entry.role))
      throw new Error(`world: orgs.${login}.members.${m}: role must be admin|member`);
    members[m] = { role: entry.role, public: entry.public ?? false };
  }
  const teams = {};
  for (const [slug, t] of Object.entries(o.teams ?? {})) {
    only(t, ['id', 'name', 'description', 'privacy', 'parent', 'members', 'repos'], `orgs.${login}.teams.${slug}`);
    if (t.privacy !== undefined && !['closed', 'secret'].includes(t.privacy)) {
      throw new Error(`world: orgs.${login}.teams.${slug}.privacy must be closed|secret`);
    }
    const teamId = t.id ?? stableId('team', `${login}/${slug}`.toLowerCase());
    const tm = {};
    for (const [m, r] of Object.entries(t.members ?? {})) {
      if (!['member', 'maintainer'].includes(r))
        throw new Error(`world: orgs.${login}.teams.${slug}.members.${m}: member|maintainer`);
      tm[m] = r;
    }
    const repos = {};
    for (const [r, p] of Object.entries(t.repos ?? {})) repos[r] = role(p, `orgs.${login}.teams.${slug}.repos.${r}`);
    teams[slug] = {
      slug,
      id: teamId,
      node_id: nodeId('T', teamId),
      name: t.name ?? slug,
      description: t.description ?? null,
      privacy: t.privacy ?? 'closed',
      parent: t.parent ?? null,
      members: tm,
      repos
    };
  }
  for (const t of Object.values(teams)) {
    if (t.parent && !teams[t.parent])
      throw new Error(`world: orgs.${login}.teams.${t.slug}: unknown parent team "${t.parent}"`);
  }
  const plan = only(o.plan ?? {}, ['name', 'space', 'private_repos', 'seats', 'filled_seats'], `orgs.${login}.plan`);
  return {
    login,
    id,
    node_id: nodeId('O', id),
    name: o.name ?? login,
    description: o.description ?? null,
    email: o.email ?? null,
    blog: o.blog ?? '',
    location: o.location ?? null,
    company: o.company ?? null,
    is_verified: o.is_verified ?? false,
    created_at: o.created_at ?? DEFAULT_TIME,
    updated_at: o.updated_at ?? o.created_at ?? DEFAULT_TIME,
    settings,
    actions: { ...ORG_ACTIONS, ...actions, fork_pr_private: forkPr },
    plan: {
      name: 'free',
      space: 976562499,
      private_repos: 10000,
      seats: 0,
      filled_seats: Object.keys(members).length,
      ...plan
    },
    members,
    teams,
    installations: normalizeInstallations(login, o.installations ?? {}),
    pat_grants: (o.pat_grants ?? []).map((g, i) => normalizePatGrant(login, g, `orgs.${login}.pat_grants[${i}]`)),
    hooks: (o.hooks ?? []).map((h, i) => normalizeHook(login, h, `orgs.${login}.hooks[${i}]`)),
    runner_groups: normalizeRunnerGroups(login, o.runner_groups ?? []),
    audit_log: (o.audit_log ?? []).map((e, i) => normalizeAuditEntry(e, `orgs.${login}.audit_log[${i}]`)),
    code_security_configurations: normalizeConfigurations(login, o.code_security_configurations)
  };
}

const oneOf = (value, allowed, where) => {
  if (!allowed.includes(value)) throw new Error(`world: ${where} must be ${allowed.join('|')}`);
  return value;
};

function permissionMap(perms, where) {
  for (const [p, level] of Object.entries(anyKeys(perms ?? {}, where)))
    oneOf(level, PERMISSION_LEVELS, `${where}.${p}`);
  return { ...perms };
}

/** GitHub App installations on the org, keyed by app slug (GET /orgs/{org}/installations). */
function normalizeInstallations(login, installs) {
  const out = [];
  for (const [slug, inst] of Object.entries(anyKeys(installs, `orgs.${login}.installations`))) {
    const where = `orgs.${login}.installations.${slug}`;
    only(
      inst,
      ['id', 'app_id', 'permissions', 'repository_selection', 'events', 'created_at', 'updated_at', 'suspended_at'],
      where
    );
    const id = inst.id ?? stableId('installation', `${login}/${slug}`.toLowerCase());
    out.push({
      app_slug: slug,
      id,
      app_id: inst.app_id ?? stableId('app', slug.toLowerCase()),
      permissions: permissionMap(inst.permissions, `${where}.permissions`),
      repository_selection: oneOf(
        inst.repository_selection ?? 'all',
        ['all', 'selected'],
        `${where}.repository_selection`
      ),
      events: inst.events ?? [],
      created_at: inst.created_at ?? DEFAULT_TIME,
      updated_at: inst.updated_at ?? inst.created_at ?? DEFAULT_TIME,
      suspended_at: inst.suspended_at ?? null
    });
  }
  return out;
}

/** Fine-grained PATs approved to access the org (GET /orgs/{org}/personal-access-tokens). */
function normalizePatGrant(login, g, where) {
  only(
    g,
    [
      'id',
      'owner',
      'token_name',
      'token_id',
      'token_expires_at',
      'token_expired',
      'token_last_used_at',
      'access_granted_at',
      'repository_selection',
      'permissions'
    ],
    where
  );
  if (!g.owner || !g.token_name) throw new Error(`world: ${where}: "owner" and "token_name" are required`);
  const perms = only(g.permissions ?? {}, ['organization', 'repository', 'other'], `${where}.permissions`);
  const permissions = {};
  for (const [kind, map] of Object.entries(perms))
    permissions[kind] = permissionMap(map, `${where}.permissions.${kind}`);
  const expiresAt = g.token_expires_at ?? null;
  const key = `${login}/${g.owner}/${g.token_name}`.toLowerCase();
  return {
    id: g.id ?? stableId('pat_grant', key),
    owner: g.owner,
    token_name: g.token_name,
    token_id: g.token_id ?? stableId('pat', key),
    token_expires_at: expiresAt,
    // Unless pinned, expired is judged against the clock, as GitHub does when it answers.
    token_expired: g.token_expired ?? null,
    token_last_used_at: g.token_last_used_at ?? null,
    access_granted_at: g.access_granted_at ?? DEFAULT_TIME,
    repository_selection: oneOf(
      g.repository_selection ?? 'all',
      ['none', 'all', 'subset'],
      `${where}.repository_selection`
    ),
    permissions
  };
}

/** Organization webhooks (GET /orgs/{org}/hooks); `secret` says whether one is set, never its value. */
function normalizeHook(login, h, where) {
  only(
    h,
    ['id', 'name', 'url', 'content_type', 'insecure_ssl', 'secret', 'active', 'events', 'created_at', 'updated_at'],
    where
  );
  if (!h.url) throw new Error(`world: ${where}: "url" is required`);
  if (h.secret !== undefined && typeof h.secret !== 'boolean')
    throw new Error(`world: ${where}.secret must be a boolean (whether a secret is set)`);
  return {
    id: h.id ?? stableId('hook', `${login}/${h.url}`.toLowerCase()),
    name: oneOf(h.name ?? 'web', ['web'], `${where}.name`),
    url: h.url,
    content_type: oneOf(h.content_type ?? 'form', ['form', 'json'], `${where}.content_type`),
    insecure_ssl: oneOf(h.insecure_ssl ?? '0', ['0', '1'], `${where}.insecure_ssl`),
    secret: h.secret ?? false,
    active: h.active ?? true,
    events: h.events ?? ['push'],
    created_at: h.created_at ?? DEFAULT_TIME,
    updated_at: h.updated_at ?? h.created_at ?? DEFAULT_TIME
  };
}

/** Self-hosted runners, of an org's runner group or of a repository. */
function normalizeRunners(scope, runners, where) {
  return (runners ?? []).map((r, i) => {
    only(r, ['id', 'name', 'os', 'status', 'labels'], `${where}[${i}]`);
    if (!r.name) throw new Error(`world: ${where}[${i}]: "name" is required`);
    return {
      id: r.id ?? stableId('runner', `${scope}/${r.name}`.toLowerCase()),
      name: r.name,
      os: oneOf(r.os ?? 'linux', ['linux', 'macos', 'windows'], `${where}[${i}].os`),
      status: oneOf(r.status ?? 'online', ['online', 'offline'], `${where}[${i}].status`),
      labels: r.labels ?? []
    };
  });
}

/**
 * Self-hosted runner groups. Every org has GitHub's "Default" group (id 1, visible to
 * all repositories, not to public ones); it is added unless the world marks one as `default`.
 */
function normalizeRunnerGroups(login, groups) {
  const out = groups.map((g, i) => {
    const where = `orgs.${login}.runner_groups[${i}]`;
    only(g, ['id', 'name', 'visibility', 'default', 'allows_public_repositories', 'runners'], where);
    if (!g.name) throw new Error(`world: ${where}: "name" is required`);
    return {
      id: g.id ?? (g.default ? 1 : stableId('runner_group', `${login}/${g.name}`.toLowerCase())),
      name: g.name,
      visibility: oneOf(g.visibility ?? 'all', ['all', 'selected', 'private'], `${where}.visibility`),
      default: g.default ?? false,
      allows_public_repositories: g.allows_public_repositories ?? false,
      runners: normalizeRunners(login, g.runners, `${where}.runners`)
    };
  });
  if (out.filter((g) => g.default).length > 1)
    throw new Error(`world: orgs.${login}.runner_groups: only one group can be the default`);
  if (!out.some((g) => g.default)) {
    out.unshift({
      id: 1,
      name: 'Default',
      visibility: 'all',
      default: true,
      allows_public_repositories: false,
      runners: []
    });
  }
  return out;
}

/** Org audit log entries, served through GraphQL `Organization.auditLog` (GitHub Enterprise Cloud orgs only). */
function normalizeAuditEntry(e, where) {
  only(e, ['actor', 'action', 'created_at'], where);
  if (!e.actor || !e.action) throw new Error(`world: ${where}: "actor" and "action" are required`);
  if (!AUDIT_ENTRY_TYPES.has(e.action)) {
    throw new Error(
      `world: ${where}.action: GitHub's GraphQL audit log has no entry type for "${e.action}" ` +
        `(use one of the OrganizationAuditEntry actions, e.g. org.add_member, repo.access, team.add_member)`
    );
  }
  return { actor: e.actor, action: e.action, created_at: e.created_at ?? DEFAULT_TIME };
}

export function normalizeRepo(fullName, r) {
  const [owner, name, ...rest] = fullName.split('/');
  if (!owner || !name || rest.length) throw new Error(`world: repos key "${fullName}" must be "owner/name"`);
  const where = `repos.${fullName}`;
  only(
    r,
    [
      'id',
      'description',
      'homepage',
      'language',
      'license',
      'private',
      'visibility',
      'archived',
      'disabled',
      'fork',
      'parent',
      'is_template',
      'default_branch',
      'topics',
      'created_at',
      'updated_at',
      'pushed_at',
      'has_issues',
      'has_projects',
      'has_wiki',
      'has_pages',
      'has_discussions',
      'has_downloads',
      'collaborators',
      'commits',
      'branches',
      'tags',
      'branch_protection',
      'rulesets',
      'environments',
      'secrets',
      'deploy_keys',
      'releases',
      'files',
      'pulls',
      'issues',
      'security_and_analysis',
      'private_vulnerability_reporting',
      'vulnerability_alerts',
      'code_scanning_default_setup',
      'runners',
      'custom_properties',
      'security_advisories',
      'dependency_graph',
      'security_configuration'
    ],
    where
  );
  const id = r.id ?? stableId('repo', fullName.toLowerCase());
  const visibility = r.visibility ?? (r.private ? 'private' : 'public');
  if (!['public', 'private', 'internal'].includes(visibility))
    throw new Error(`world: ${where}.visibility: public|private|internal`);
  const collaborators = {};
  for (const [login, p] of Object.entries(r.collaborators ?? {}))
    collaborators[login] = role(p, `${where}.collaborators.${login}`);

  const repo = {
    owner,
    name,
    full_name: fullName,
    id,
    node_id: nodeId('R', id),
    description: r.description ?? null,
    homepage: r.homepage ?? null,
    language: r.language ?? null,
    license: r.license ?? null,
    private: visibility !== 'public',
    visibility,
    archived: r.archived ?? false,
    disabled: r.disabled ?? false,
    fork: r.fork ?? Boolean(r.parent),
    parent: r.parent ?? null,
    is_template: r.is_template ?? false,
    default_branch: r.default_branch ?? 'main',
    topics: r.topics ?? [],
    created_at: r.created_at ?? DEFAULT_TIME,
    updated_at: r.updated_at ?? r.pushed_at ?? r.created_at ?? DEFAULT_TIME,
    pushed_at: r.pushed_at ?? r.created_at ?? DEFAULT_TIME,
    has_issues: r.has_issues ?? true,
    has_projects: r.has_projects ?? true,
    has_wiki: r.has_wiki ?? true,
    has_pages: r.has_pages ?? false,
    has_discussions: r.has_discussions ?? false,
    has_downloads: r.has_downloads ?? true,
    collaborators,
    commits: (r.commits ?? []).map((c, i) => normalizeCommit(c, `${where}.commits[${i}]`)),
    branches: { ...r.branches },
    tags: {},
    branch_protection: {},
    rulesets: [],
    environments: {},
    secrets: {},
    deploy_keys: [],
    releases: [],
    files: {},
    pulls: [],
    issues: [],
    attestations: [],
    security_and_analysis: normalizeSecurity(r.security_and_analysis, `${where}.security_and_analysis`),
    private_vulnerability_reporting: flag(
      r.private_vulnerability_reporting,
      false,
      `${where}.private_vulnerability_reporting`
    ),
    vulnerability_alerts: flag(r.vulnerability_alerts, false, `${where}.vulnerability_alerts`),
    code_scanning_default_setup: normalizeDefaultSetup(
      r.code_scanning_default_setup,
      `${where}.code_scanning_default_setup`
    ),
    runners: normalizeRunners(fullName, r.runners, `${where}.runners`),
    custom_properties: normalizeCustomProperties(r.custom_properties, `${where}.custom_properties`),
    security_advisories: normalizeAdvisories(fullName, r.security_advisories, `${where}.security_advisories`),
    dependency_graph: normalizeDependencyGraph(r.dependency_graph, `${where}.dependency_graph`),
    // Resolved against the org's configurations by linkConfigurations, once every org is known.
    security_configuration: r.security_configuration ?? null
  };
  for (const [tag, t] of Object.entries(r.tags ?? {}))
    repo.tags[tag] = normalizeTag(fullName, tag, t, `${where}.tags.${tag}`);
  for (const [pattern, p] of Object.entries(r.branch_protection ?? {})) {
    repo.branch_protection[pattern] = normalizeProtection(p, `${where}.branch_protection.${pattern}`);
  }
  repo.rulesets = (r.rulesets ?? []).map((rs, i) => normalizeRuleset(fullName, rs, `${where}.rulesets[${i}]`));
  for (const [env, e] of Object.entries(r.environments ?? {})) {
    repo.environments[env] = normalizeEnvironment(fullName, env, e, `${where}.environments.${env}`);
  }
  for (const [secret, s] of Object.entries(r.secrets ?? {})) {
    only(s, ['created_at', 'updated_at'], `${where}.secrets.${secret}`);
    repo.secrets[secret] = {
      created_at: s.created_at ?? DEFAULT_TIME,
      updated_at: s.updated_at ?? s.created_at ?? DEFAULT_TIME
    };
  }
  repo.deploy_keys = (r.deploy_keys ?? []).map((k, i) => {
    only(
      k,
      ['id', 'title', 'key', 'read_only', 'verified', 'created_at', 'added_by', 'last_used', 'enabled'],
      `${where}.deploy_keys[${i}]`
    );
    if (!k.title || !k.key) throw new Error(`world: ${where}.deploy_keys[${i}]: "title" and "key" are required`);
    return {
      id: k.id ?? stableId('key', `${fullName}/${k.title}`),
      title: k.title,
      key: k.key,
      read_only: k.read_only ?? true,
      verified: k.verified ?? true,
      created_at: k.created_at ?? DEFAULT_TIME,
      added_by: k.added_by ?? null,
      last_used: k.last_used ?? null,
      enabled: k.enabled ?? true
    };
  });
  repo.releases = (r.releases ?? []).map((rel, i) => normalizeRelease(fullName, rel, `${where}.releases[${i}]`));
  for (const [ref, files] of Object.entries(r.files ?? {})) {
    for (const [path, content] of Object.entries(files)) {
      if (typeof content !== 'string') throw new Error(`world: ${where}.files.${ref}.${path} must be a string`);
    }
    repo.files[ref] = { ...files };
  }
  repo.issues = (r.issues ?? []).map((it, i) => normalizeIssue(fullName, it, `${where}.issues[${i}]`));
  repo.pulls = (r.pulls ?? []).map((pr, i) => normalizePull(fullName, pr, `${where}.pulls[${i}]`));
  return repo;
}

function flag(value, fallback, where) {
  if (value !== undefined && typeof value !== 'boolean') throw new Error(`world: ${where} must be a boolean`);
  return value ?? fallback;
}

/** Repository security features, 'enabled' | 'disabled' each. */
function normalizeSecurity(sa, where) {
  const given = only(sa ?? {}, SECURITY_FEATURES, where);
  const out = {};
  for (const k of SECURITY_FEATURES) {
    if (given[k] !== undefined) out[k] = oneOf(given[k], ['enabled', 'disabled'], `${where}.${k}`);
    else if (ALWAYS_REPORTED_FEATURES.includes(k)) out[k] = 'disabled';
  }
  return out;
}

/** Code scanning default setup (GET …/code-scanning/default-setup); not configured unless given. */
function normalizeDefaultSetup(ds, where) {
  const d = only(ds ?? {}, ['state', 'languages', 'query_suite', 'updated_at'], where);
  const state = oneOf(d.state ?? 'not-configured', ['configured', 'not-configured'], `${where}.state`);
  for (const l of d.languages ?? []) oneOf(l, CODE_SCANNING_LANGUAGES, `${where}.languages[]`);
  return {
    state,
    languages: d.languages ?? [],
    query_suite: oneOf(d.query_suite ?? 'default', ['default', 'extended'], `${where}.query_suite`),
    updated_at: d.updated_at ?? (state === 'configured' ? DEFAULT_TIME : null)
  };
}

/** Custom property values: name → string or list of strings (multi-select). */
function normalizeCustomProperties(cp, where) {
  const props = anyKeys(cp ?? {}, where);
  for (const [k, val] of Object.entries(props)) {
    const ok = typeof val === 'string' || (Array.isArray(val) && val.every((x) => typeof x === 'string'));
    if (!ok) throw new Error(`world: ${where}.${k} must be a string or a list of strings`);
  }
  return { ...props };
}

function normalizeActor(a, where) {
  only(a ?? {}, ['login', 'name', 'email', 'date'], where);
  return {
    login: a?.login ?? null,
    name: a?.name ?? a?.login ?? 'Unknown',
    email: a?.email ?? (a?.login ? `${a.login}@users.noreply.github.com` : 'unknown@example.com'),
    date: a?.date ?? DEFAULT_TIME
  };
}

function normalizeVerification(v, where) {
  if (!v) return { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null, type: null };
  only(v, ['verified', 'reason', 'signature', 'payload', 'verified_at', 'type', 'key'], where);
  const reason = v.reason ?? (v.verified ? 'valid' : 'unsigned');
  if (!VERIFICATION_REASONS.includes(reason)) throw new Error(`world: ${where}.reason: unknown reason "${reason}"`);
  const signed = reason !== 'unsigned';
  return {
    verified: v.verified ?? reason === 'valid',
    reason,
    signature: v.signature ?? (signed ? '-----BEGIN PGP SIGNATURE-----\n\nfake\n-----END PGP SIGNATURE-----\n' : null),
    payload: v.payload ?? null,
    verified_at: v.verified_at ?? null,
    type: signed ? (v.type ?? 'gpg') : null,
    // The GPG key id or SSH key fingerprint (GraphQL GpgSignature.keyId, SshSignature.keyFingerprint).
    key: signed ? (v.key ?? null) : null
  };
}

export function normalizeCommit(c, where) {
  only(c, ['sha', 'message', 'author', 'committer', 'parents', 'verification', 'files'], where);
  const author = normalizeActor(c.author, `${where}.author`);
  const committer = c.committer ? normalizeActor(c.committer, `${where}.committer`) : { ...author };
  const parents = c.parents ?? [];
  const message = c.message ?? 'Update';
  const sha = c.sha ?? sha1(`commit\0${message}\0${parents.join(',')}\0${author.date}`);
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`world: ${where}.sha must be 40 lowercase hex digits`);
  const files = (c.files ?? []).map((f, i) => {
    only(f, ['filename', 'status', 'additions', 'deletions', 'patch'], `${where}.files[${i}]`);
    return {
      filename: f.filename,
      status: f.status ?? 'modified',
      additions: f.additions ?? 0,
      deletions: f.deletions ?? 0,
      patch: f.patch ?? null
    };
  });
  return {
    sha,
    message,
    author,
    committer,
    parents,
    verification: normalizeVerification(c.verification, `${where}.verification`),
    files
  };
}

function normalizeTag(fullName, tag, t, where) {
  if (typeof t === 'string') return { commit: t, annotated: null };
  only(t, ['commit', 'sha', 'message', 'tagger', 'verification'], where);
  if (!t.commit) throw new Error(`world: ${where}: annotated tags need "commit"`);
  return {
    commit: t.commit,
    annotated: {
      sha: t.sha ?? sha1(`tag\0${fullName}\0${tag}`),
      message: t.message ?? `${tag}\n`,
      tagger: normalizeActor(t.tagger, `${where}.tagger`),
      verification: normalizeVerification(t.verification, `${where}.verification`)
    }
  };
}

/** Classic protection in the shape of GitHub's "update branch protection" request: flags plus three optional sections. */
function normalizeProtection(p, where) {
  only(
    p,
    [...Object.keys(PROTECTION_FLAGS), 'required_status_checks', 'required_pull_request_reviews', 'restrictions'],
    where
  );
  const out = { ...PROTECTION_FLAGS };
  for (const k of Object.keys(PROTECTION_FLAGS)) if (p[k] !== undefined) out[k] = Boolean(p[k]);
  const section = (key, allowed, defaults) =>
    p[key] ? { ...defaults, ...only(p[key], allowed, `${where}.${key}`) } : null;
  out.required_status_checks = section('required_status_checks', ['strict', 'contexts'], {
    strict: false,
    contexts: []
  });
  out.required_pull_request_reviews = section(
    'required_pull_request_reviews',
    [
      'required_approving_review_count',
      'dismiss_stale_reviews',
      'require_code_owner_reviews',
      'require_last_push_approval'
    ],
    {
      required_approving_review_count: 1,
      dismiss_stale_reviews: false,
      require_code_owner_reviews: false,
      require_last_push_approval: false
    }
  );
  out.restrictions = section('restrictions', ['users', 'teams'], { users: [], teams: [] });
  return out;
}

/** REST defaults GitHub always fills in for these rule types' parameters. */
const RULE_PARAMETER_DEFAULTS = {
  pull_request: {
    dismiss_stale_reviews_on_push: false,
    require_code_owner_review: false,
    require_last_push_approval: false,
    required_approving_review_count: 0,
    required_review_thread_resolution: false
  },
  required_status_checks: { strict_required_status_checks_policy: false, required_status_checks: [] },
  update: { update_allows_fetch_and_merge: false }
};

function normalizeRuleset(fullName, rs, where) {
  only(
    rs,
    ['id', 'name', 'target', 'enforcement', 'conditions', 'rules', 'bypass_actors', 'created_at', 'updated_at'],
    where
  );
  if (!rs.name) throw new Error(`world: ${where}: "name" is required`);
  const id = rs.id ?? stableId('ruleset', `${fullName}/${rs.name}`);
  const enforcement = rs.enforcement ?? 'active';
  if (!['active', 'disabled', 'evaluate'].includes(enforcement))
    throw new Error(`world: ${where}.enforcement: active|disabled|evaluate`);
  // Repository rulesets condition on ref names only; repository_* conditions belong to org rulesets.
  only(rs.conditions ?? {}, ['ref_name'], `${where}.conditions`);
  return {
    id,
    node_id: nodeId('RRS', id),
    name: rs.name,
    target: rs.target ?? 'branch',
    enforcement,
    conditions: {
      ref_name: {
        include: [],
        exclude: [],
        ...only(rs.conditions?.ref_name ?? {}, ['include', 'exclude'], `${where}.conditions.ref_name`)
      }
    },
    rules: (rs.rules ?? []).map((rule, i) => {
      if (!rule?.type) throw new Error(`world: ${where}.rules[${i}]: "type" is required`);
      const defaults = RULE_PARAMETER_DEFAULTS[rule.type];
      return defaults ? { ...rule, parameters: { ...defaults, ...rule.parameters } } : rule;
    }),
    bypass_actors: rs.bypass_actors ?? [],
    created_at: rs.created_at ?? DEFAULT_TIME,
    updated_at: rs.updated_at ?? rs.created_at ?? DEFAULT_TIME
  };
}

function normalizeEnvironment(fullName, name, e, where) {
  only(
    e,
    ['id', 'wait_timer', 'reviewers', 'prevent_self_review', 'deployment_branch_policy', 'created_at', 'updated_at'],
    where
  );
  const id = e.id ?? stableId('environment', `${fullName}/${name}`);
  const reviewers = (e.reviewers ?? []).map((r) => {
    const slash = r.indexOf('/');
    return slash < 0 ? { type: 'User', login: r } : { type: 'Team', org: r.slice(0, slash), slug: r.slice(slash + 1) };
  });
  if (reviewers.length > 6) throw new Error(`world: ${where}.reviewers: GitHub allows at most six reviewers`);
  const policy = e.deployment_branch_policy ?? null;
  if (policy) {
    only(policy, ['protected_branches', 'custom_branch_policies'], `${where}.deployment_branch_policy`);
    if (Boolean(policy.protected_branches) === Boolean(policy.custom_branch_policies)) {
      throw new Error(
        `world: ${where}.deployment_branch_policy: exactly one of protected_branches/custom_branch_policies must be true`
      );
    }
  }
  return {
    id,
    node_id: nodeId('EN', id),
    name,
    wait_timer: e.wait_timer ?? 0,
    reviewers,
    prevent_self_review: e.prevent_self_review ?? false,
    deployment_branch_policy: policy
      ? {
          protected_branches: Boolean(policy.protected_branches),
          custom_branch_policies: Boolean(policy.custom_branch_policies)
        }
      : null,
    created_at: e.created_at ?? DEFAULT_TIME,
    updated_at: e.updated_at ?? e.created_at ?? DEFAULT_TIME
  };
}

/** Also used for uploads; `key` (repo/tag) seeds the default id. */
export function normalizeAsset(key, a, where) {
  only(
    a,
    [
      'id',
      'name',
      'label',
      'content_type',
      'content',
      'content_base64',
      'size',
      'download_count',
      'uploader',
      'created_at',
      'updated_at'
    ],
    where
  );
  if (!a.name) throw new Error(`world: ${where}: "name" is required`);
  const bytes =
    a.content_base64 !== undefined
      ? Buffer.from(a.content_base64, 'base64')
      : a.content !== undefined
        ? Buffer.from(a.content, 'utf8')
        : null;
  const id = a.id ?? stableId('asset', `${key}/${a.name}`);
  return {
    id,
    node_id: nodeId('RA', id),
    name: a.name,
    label: a.label ?? null,
    content_type: a.content_type ?? 'application/octet-stream',
    content_base64: bytes ? bytes.toString('base64') : null,
    size: bytes ? bytes.length : (a.size ?? 0),
    digest: bytes ? `sha256:${createHash('sha256').update(bytes).digest('hex')}` : null,
    download_count: a.download_count ?? 0,
    uploader: a.uploader ?? null,
    created_at: a.created_at ?? DEFAULT_TIME,
    updated_at: a.updated_at ?? a.created_at ?? DEFAULT_TIME
  };
}

function normalizeRelease(fullName, rel, where) {
  only(
    rel,
    [
      'id',
      'tag_name',
      'name',
      'body',
      'draft',
      'prerelease',
      'immutable',
      'target_commitish',
      'author',
      'created_at',
      'published_at',
      'assets'
    ],
    where
  );
  if (!rel.tag_name) throw new Error(`world: ${where}: "tag_name" is required`);
  const id = rel.id ?? stableId('release', `${fullName}/${rel.tag_name}`);
  const draft = rel.draft ?? false;
  return {
    id,
    node_id: nodeId('RE', id),
    tag_name: rel.tag_name,
    name: rel.name ?? rel.tag_name,
    body: rel.body ?? null,
    draft,
    prerelease: rel.prerelease ?? false,
    immutable: rel.immutable ?? false,
    target_commitish: rel.target_commitish ?? null,
    author: rel.author ?? null,
    created_at: rel.created_at ?? DEFAULT_TIME,
    published_at: draft ? null : (rel.published_at ?? rel.created_at ?? DEFAULT_TIME),
    assets: (rel.assets ?? []).map((a, i) => normalizeAsset(`${fullName}/${rel.tag_name}`, a, `${where}.assets[${i}]`))
  };
}

function normalizeComments(fullName, number, comments, where) {
  return (comments ?? []).map((c, i) => {
    only(c, ['id', 'user', 'body', 'created_at', 'updated_at', 'author_association'], `${where}.comments[${i}]`);
    if (!c.user) throw new Error(`world: ${where}.comments[${i}]: "user" is required`);
    const id = c.id ?? stableId('comment', `${fullName}#${number}/${i}`);
    return {
      id,
      node_id: nodeId('IC', id),
      user: c.user,
      body: c.body ?? '',
      created_at: c.created_at ?? DEFAULT_TIME,
      updated_at: c.updated_at ?? c.created_at ?? DEFAULT_TIME,
      author_association: c.author_association ?? null
    };
  });
}

const ISSUE_KEYS = [
  'number',
  'id',
  'title',
  'body',
  'user',
  'state',
  'state_reason',
  'labels',
  'locked',
  'created_at',
  'updated_at',
  'closed_at',
  'author_association',
  'comments'
];

function normalizeIssueCommon(fullName, it, where, kind) {
  if (!Number.isInteger(it.number) || it.number < 1)
    throw new Error(`world: ${where}: "number" must be a positive integer`);
  if (!it.user) throw new Error(`world: ${where}: "user" is required`);
  const id = it.id ?? stableId(kind, `${fullName}#${it.number}`);
  return {
    number: it.number,
    id,
    title: it.title ?? `${kind === 'pull' ? 'Pull request' : 'Issue'} ${it.number}`,
    body: it.body ?? null,
    user: it.user,
    labels: it.labels ?? [],
    locked: it.locked ?? false,
    created_at: it.created_at ?? DEFAULT_TIME,
    updated_at: it.updated_at ?? it.closed_at ?? it.created_at ?? DEFAULT_TIME,
    author_association: it.author_association ?? null,
    comments: normalizeComments(fullName, it.number, it.comments, where)
  };
}

function normalizeIssue(fullName, it, where) {
  only(it, ISSUE_KEYS, where);
  const base = normalizeIssueCommon(fullName, it, where, 'issue');
  const state = it.state ?? (it.closed_at ? 'closed' : 'open');
  return {
    ...base,
    node_id: nodeId('I', base.id),
    state,
    state_reason: it.state_reason ?? (state === 'closed' ? 'completed' : null),
    closed_at: state === 'closed' ? (it.closed_at ?? base.updated_at) : null,
    closed_by: null
  };
}

export function normalizePull(fullName, pr, where) {
  only(
    pr,
    [
      ...ISSUE_KEYS.filter((k) => k !== 'state_reason'),
      'draft',
      'head',
      'base',
      'merged_at',
      'merged_by',
      'merge_commit_sha',
      'commits',
      'additions',
      'deletions',
      'changed_files',
      'reviews'
    ],
    where
  );
  const base = normalizeIssueCommon(fullName, pr, where, 'pull');
  only(pr.head ?? {}, ['ref', 'sha', 'repo'], `${where}.head`);
  only(pr.base ?? {}, ['ref', 'sha'], `${where}.base`);
  if (!pr.head?.ref) throw new Error(`world: ${where}.head.ref is required`);
  const merged = Boolean(pr.merged_at);
  const state = pr.state ?? (merged || pr.closed_at ? 'closed' : 'open');
  if (merged && state !== 'closed') throw new Error(`world: ${where}: a merged pull request is closed`);
  return {
    ...base,
    node_id: nodeId('PR', base.id),
    state,
    draft: pr.draft ?? false,
    closed_at: state === 'closed' ? (pr.closed_at ?? pr.merged_at ?? base.updated_at) : null,
    merged_at: pr.merged_at ?? null,
    merged_by: merged ? (pr.merged_by ?? null) : null,
    merge_commit_sha: pr.merge_commit_sha ?? null,
    head: { ref: pr.head.ref, sha: pr.head.sha ?? null, repo: pr.head.repo ?? fullName },
    base: { ref: pr.base?.ref ?? null, sha: pr.base?.sha ?? null },
    commits: pr.commits ?? 1,
    additions: pr.additions ?? 0,
    deletions: pr.deletions ?? 0,
    changed_files: pr.changed_files ?? 0,
    reviews: (pr.reviews ?? []).map((r, i) => normalizeReview(fullName, pr.number, r, `${where}.reviews[${i}]`))
  };
}

const REVIEW_STATES = ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING'];

/** A pull request review (GraphQL `PullRequestReview`); `state` as GitHub spells it in both APIs. */
function normalizeReview(fullName, number, r, where) {
  only(r, ['id', 'user', 'state', 'body', 'submitted_at'], where);
  if (!r.user) throw new Error(`world: ${where}: "user" is required`);
  const id = r.id ?? stableId('review', `${fullName}#${number}/${where}`);
  const state = oneOf(r.state ?? 'APPROVED', REVIEW_STATES, `${where}.state`);
  return {
    id,
    node_id: nodeId('PRR', id),
    user: r.user,
    state,
    body: r.body ?? '',
    // A pending review has not been submitted.
    submitted_at: state === 'PENDING' ? null : (r.submitted_at ?? DEFAULT_TIME)
  };
}

/** Cross-entity defaults: branch tips, synthesised commits, PR bases, numbering checks. */
export function linkRepo(world, repo) {
  const where = `repos.${repo.full_name}`;
  const known = new Set(repo.commits.map((c) => c.sha));
  const ensureCommit = (sha, message, login = repo.owner, parents = []) => {
    if (known.has(sha)) return;
    // The world named a commit it did not describe: synthesise one so refs resolve.
    repo.commits.push(normalizeCommit({ sha, message, parents, author: { login } }, `${where} (synthesised ${sha})`));
    known.add(sha);
  };
  if (!Object.keys(repo.branches).length && repo.commits.length)
    repo.branches[repo.default_branch] = repo.commits[0].sha;
  for (const [branch, sha] of Object.entries(repo.branches)) {
    if (typeof sha !== 'string') throw new Error(`world: ${where}.branches.${branch} must be a commit sha`);
    ensureCommit(sha, `Tip of ${branch}`);
  }
  for (const [tag, t] of Object.entries(repo.tags)) ensureCommit(t.commit, `Release ${tag}`);
  if (repo.commits.length && !(repo.default_branch in repo.branches)) {
    throw new Error(`world: ${where}: default branch "${repo.default_branch}" is not in "branches"`);
  }

  const numbers = new Set();
  for (const it of [...repo.issues, ...repo.pulls]) {
    if (numbers.has(it.number)) throw new Error(`world: ${where}: issue/pull number ${it.number} is used twice`);
    numbers.add(it.number);
  }
  for (const pr of repo.pulls) {
    pr.base.ref ??= repo.default_branch;
    pr.base.sha ??= repo.branches[pr.base.ref] ?? null;
    if (!pr.base.sha)
      throw new Error(`world: ${where}.pulls #${pr.number}: base "${pr.base.ref}" is not a branch; give base.sha`);
    pr.head.sha ??= pr.head.repo === repo.full_name ? (repo.branches[pr.head.ref] ?? null) : null;
    pr.head.sha ??= sha1(`head\0${repo.full_name}#${pr.number}`);
    // GitHub serves a pull request's head commit from the base repository (refs/pull/N/head);
    // a synthesised one builds on the base.
    ensureCommit(pr.head.sha, pr.title, pr.user, [pr.base.sha]);
  }
  for (const rel of repo.releases) {
    rel.target_commitish ??= repo.default_branch;
  }
  for (const k of Object.keys(repo.files)) {
    if (!resolveCommit(repo, k)) throw new Error(`world: ${where}.files: "${k}" is not a branch, tag or known commit`);
  }
  if (repo.parent && !lookup(world.repos, repo.parent)) repo.parent = null;
}

/** Teams named by team repos, environment reviewers and push restrictions must exist. */
function checkOrgReferences(world, org) {
  for (const team of Object.values(org.teams)) {
    for (const name of Object.keys(team.repos)) {
      if (!lookup(world.repos, `${org.login}/${name}`))
        throw new Error(`world: orgs.${org.login}.teams.${team.slug}.repos: no repository ${org.login}/${name}`);
    }
  }
  for (const repo of Object.values(world.repos)) {
    if (repo.owner.toLowerCase() !== org.login.toLowerCase()) continue;
    const teams = [
      ...Object.values(repo.environments).flatMap((e) =>
        e.reviewers.filter((r) => r.type === 'Team').map((r) => [r.org, r.slug])
      ),
      ...Object.values(repo.branch_protection).flatMap((p) =>
        (p.restrictions?.teams ?? []).map((slug) => [org.login, slug])
      )
    ];
    for (const [o, slug] of teams) {
      if (!lookup(world.orgs, o)?.teams[slug]) throw new Error(`world: repos.${repo.full_name}: no team ${o}/${slug}`);
    }
  }
}

function reposLogins(repo) {
  return [
    repo.owner,
    ...Object.keys(repo.collaborators),
    ...repo.commits.flatMap((c) => [c.author.login, c.committer.login]).filter(Boolean),
    ...repo.releases.flatMap((r) => [r.author, ...r.assets.map((a) => a.uploader)]).filter(Boolean),
    ...[...repo.issues, ...repo.pulls]
      .flatMap((it) => [
        it.user,
        it.merged_by,
        ...it.comments.map((c) => c.user),
        ...(it.reviews ?? []).map((r) => r.user)
      ])
      .filter(Boolean),
    ...repo.pulls.map((pr) => pr.head.repo.split('/')[0]),
    ...Object.values(repo.environments).flatMap((e) =>
      e.reviewers.filter((r) => r.type === 'User').map((r) => r.login)
    ),
    ...advisoryLogins(repo)
  ];
}

// ---------------------------------------------------------------------------
// Queries over the normalised world, shared by the REST and GraphQL layers.

/** Resolves a branch, tag, `refs/...` name or (abbreviated) sha to a commit sha. */
export function resolveCommit(repo, ref) {
  if (!ref) return null;
  const name = ref.replace(/^refs\/(heads|tags)\//, '');
  if (!ref.startsWith('refs/tags/') && repo.branches[name]) return repo.branches[name];
  if (!ref.startsWith('refs/heads/') && repo.tags[name]) return repo.tags[name].commit;
  if (/^[0-9a-f]{7,40}$/.test(ref)) {
    const hits = repo.commits.filter((c) => c.sha.startsWith(ref));
    if (hits.length === 1) return hits[0].sha;
  }
  return null;
}

export const findCommit = (repo, sha) => repo.commits.find((c) => c.sha === sha) ?? null;

/** Commits reachable from `sha`, newest committer date first (git log order). */
export function history(repo, sha) {
  const seen = new Set();
  const out = [];
  const queue = [sha];
  while (queue.length) {
    const c = findCommit(repo, queue.shift());
    if (!c || seen.has(c.sha)) continue;
    seen.add(c.sha);
    out.push(c);
    queue.push(...c.parents);
  }
  return out.sort((a, b) => b.committer.date.localeCompare(a.committer.date));
}

/** The file map at a ref: the `files` entry whose key names the same commit. */
export function filesAt(repo, ref) {
  const sha = resolveCommit(repo, ref);
  if (!sha) return null;
  for (const [k, files] of Object.entries(repo.files)) if (resolveCommit(repo, k) === sha) return files;
  return {};
}

export const accountOf = (world, login) => lookup(world.orgs, login) ?? lookup(world.users, login) ?? null;
export const orgOf = (world, repo) => lookup(world.orgs, repo.owner) ?? null;

/** A team plus its descendants: GitHub counts child-team members as team members. */
export function teamWithChildren(org, team) {
  const out = [team];
  for (const t of Object.values(org.teams)) if (t.parent === team.slug) out.push(...teamWithChildren(org, t));
  return out;
}

/** The user's role on the repository from ownership, org role, teams, collaborators and base permission. */
export function repoRole(world, repo, login) {
  if (!login) return null;
  if (login.toLowerCase() === repo.owner.toLowerCase()) return 'admin';
  let best = lookup(repo.collaborators, login) ?? null;
  const org = orgOf(world, repo);
  if (org) {
    const member = lookup(org.members, login);
    if (member?.role === 'admin') return 'admin';
    if (member) best = maxRole(best, BASE_PERMISSIONS[org.settings.default_repository_permission]);
    for (const team of Object.values(org.teams)) {
      const perm = lookup(team.repos, repo.name);
      if (perm && teamWithChildren(org, team).some((t) => lookup(t.members, login))) best = maxRole(best, perm);
    }
  }
  return best;
}

/** Users with any role on the repository, with that role; `affiliation` as in the collaborators API. */
export function collaboratorsOf(world, repo, affiliation = 'all') {
  const org = orgOf(world, repo);
  const logins = new Set(Object.keys(repo.collaborators));
  if (affiliation === 'outside') {
    for (const l of [...logins]) if (org && lookup(org.members, l)) logins.delete(l);
  } else if (affiliation === 'all') {
    if (org) {
      const base = BASE_PERMISSIONS[org.settings.default_repository_permission];
      for (const [l, m] of Object.entries(org.members)) if (m.role === 'admin' || base) logins.add(l);
      for (const team of Object.values(org.teams)) {
        if (!lookup(team.repos, repo.name)) continue;
        for (const t of teamWithChildren(org, team)) for (const l of Object.keys(t.members)) logins.add(l);
      }
    } else {
      logins.add(repo.owner);
    }
  }
  return [...logins].map((login) => ({ login, role: repoRole(world, repo, login) })).filter((c) => c.role);
}

/** Outside collaborators of an org: people with access to one of its repositories who are not members. */
export function outsideCollaborators(world, org) {
  const out = new Set();
  for (const repo of Object.values(world.repos)) {
    if (repo.owner.toLowerCase() !== org.login.toLowerCase()) continue;
    for (const l of Object.keys(repo.collaborators)) if (!lookup(org.members, l)) out.add(l);
  }
  return [...out];
}

/** GitHub's author_association of `login` on `repo`, unless the world pinned one. */
export function authorAssociation(world, repo, login, pinned, { isPull = false, number = 0 } = {}) {
  if (pinned) return pinned;
  if (login.toLowerCase() === repo.owner.toLowerCase()) return 'OWNER';
  const org = orgOf(world, repo);
  if (org && lookup(org.members, login)) return 'MEMBER';
  if (lookup(repo.collaborators, login)) return 'COLLABORATOR';
  const same = (l) => l?.toLowerCase() === login.toLowerCase();
  // "Previously committed": to the default branch, not merely an open pull request's head.
  const contributed =
    history(repo, repo.branches[repo.default_branch]).some((c) => same(c.author.login)) ||
    repo.pulls.some((pr) => pr.number !== number && pr.merged_at && same(pr.user));
  if (contributed) return 'CONTRIBUTOR';
  if (isPull && !repo.pulls.some((pr) => pr.number < number && same(pr.user))) return 'FIRST_TIME_CONTRIBUTOR';
  return 'NONE';
}

/** fnmatch as GitHub applies it to ref names: `*` stays within a path segment, `**` crosses. */
export function refPatternMatches(pattern, name) {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*|\*|\?/g, (m) => (m === '**' ? '.*' : m === '*' ? '[^/]*' : '[^/]'));
  return new RegExp(`^${re}$`).test(name);
}

/** Active rulesets whose ref_name condition selects `refs/heads/<branch>`. */
export function rulesetsForBranch(repo, branch) {
  const ref = `refs/heads/${branch}`;
  const matches = (p) =>
    p === '~ALL' || (p === '~DEFAULT_BRANCH' ? branch === repo.default_branch : refPatternMatches(p, ref));
  return repo.rulesets.filter(
    (rs) =>
      rs.target === 'branch' &&
      rs.enforcement === 'active' &&
      rs.conditions.ref_name.include.some(matches) &&
      !rs.conditions.ref_name.exclude.some(matches)
  );
}

/** Classic branch protection for a branch: an exact pattern wins, then the first matching wildcard. */
export function protectionFor(repo, branch) {
  if (repo.branch_protection[branch]) return { pattern: branch, rule: repo.branch_protection[branch] };
  for (const [pattern, rule] of Object.entries(repo.branch_protection)) {
    if (refPatternMatches(pattern, branch)) return { pattern, rule };
  }
  return null;
}
