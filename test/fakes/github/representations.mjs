// REST representations: turn normalised world entities into the JSON GitHub sends.
// Each builder names the OpenAPI schema it produces; the conformance test holds
// them to those schemas, including "no property the schema does not declare".
// API URLs hang off the fake's base URL; so do web (html_url) URLs, the way a
// GitHub Enterprise Server host serves both.
import {
  accountOf,
  authorAssociation,
  findCommit,
  gitBlobSha,
  lookup,
  nodeId,
  orgOf,
  protectionFor,
  repoRole,
  roleAtLeast,
  sha1,
  stableId
} from './world.mjs';

/**
 * @typedef {object} View
 * @property {any} world  normalised world (see world.mjs)
 * @property {string} base  the fake's base URL
 * @property {any} actor  who is asking (see server.mjs `resolveActor`)
 */

const LICENSES = {
  'BSD-3-Clause': 'BSD 3-Clause "New" or "Revised" License',
  'BSD-2-Clause': 'BSD 2-Clause "Simplified" License',
  MIT: 'MIT License',
  'Apache-2.0': 'Apache License 2.0',
  'GPL-3.0': 'GNU General Public License v3.0',
  'MPL-2.0': 'Mozilla Public License 2.0'
};

/** REST role name → the `role_name` GitHub reports for it. */
const ROLE_NAMES = { pull: 'read', triage: 'triage', push: 'write', maintain: 'maintain', admin: 'admin' };

/** The boolean `permissions` object GitHub derives from a role. */
function permissionFlags(role) {
  return Object.fromEntries(['admin', 'maintain', 'push', 'triage', 'pull'].map((r) => [r, roleAtLeast(role, r)]));
}

const repoApi = (v, repo) => `${v.base}/repos/${repo.full_name}`;
const repoHtml = (v, repo) => `${v.base}/${repo.full_name}`;
/** A slash-separated path or ref, percent-encoded segment by segment. */
const encodePath = (p) => p.split('/').map(encodeURIComponent).join('/');

/** schema: simple-user (also the `owner` of repositories, where orgs appear with type Organization). */
export function simpleUser(v, login) {
  const acct = accountOf(v.world, login);
  if (!acct) throw new Error(`world has no user or org "${login}"`);
  // Bot logins end in "[bot]": GitHub percent-encodes them in API URLs and links bots to their app page.
  const api = `${v.base}/users/${encodeURIComponent(acct.login)}`;
  const bot = acct.type === 'Bot';
  return {
    login: acct.login,
    id: acct.id,
    node_id: acct.node_id,
    avatar_url: `${v.base}/avatars/u/${acct.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: bot ? `${v.base}/apps/${acct.login.replace(/\[bot\]$/, '')}` : `${v.base}/${acct.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: lookup(v.world.orgs, login) ? 'Organization' : acct.type,
    user_view_type: 'public',
    site_admin: acct.site_admin ?? false
  };
}

const userOrNull = (v, login) => (login ? simpleUser(v, login) : null);

function ownedRepos(v, login) {
  return Object.values(v.world.repos).filter((r) => r.owner.toLowerCase() === login.toLowerCase());
}

/** schema: public-user (GET /users/{username}); orgs answer with the same view. */
export function publicUser(v, login) {
  const acct = accountOf(v.world, login);
  return {
    ...simpleUser(v, login),
    name: acct.name,
    company: acct.company,
    blog: acct.blog,
    location: acct.location,
    email: acct.email,
    hireable: null,
    bio: acct.bio ?? null,
    twitter_username: acct.twitter_username ?? null,
    public_repos: ownedRepos(v, login).filter((r) => !r.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: acct.created_at,
    updated_at: acct.updated_at
  };
}

/** schema: private-user (GET /user). */
export function privateUser(v, login) {
  const acct = accountOf(v.world, login);
  const owned = ownedRepos(v, login).filter((r) => r.private).length;
  return {
    ...publicUser(v, login),
    user_view_type: 'private',
    notification_email: acct.email,
    private_gists: 0,
    total_private_repos: owned,
    owned_private_repos: owned,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: acct.two_factor !== false,
    plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 }
  };
}

/** schema: organization-simple. */
export function orgSimpleJson(v, org) {
  const api = `${v.base}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: org.node_id,
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${v.base}/avatars/u/${org.id}?v=4`,
    description: org.description
  };
}

/** schema: organization-full. Owner-only settings appear only when `full` (GitHub hides them from others). */
export function orgJson(v, org, { full }) {
  const repos = ownedRepos(v, org.login);
  const base = {
    ...orgSimpleJson(v, org),
    // organization-full types these as non-null strings, so unset ones are left out.
    ...Object.fromEntries(
      ['name', 'company', 'blog', 'location', 'email'].filter((k) => org[k]).map((k) => [k, org[k]])
    ),
    twitter_username: null,
    is_verified: org.is_verified,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: repos.filter((r) => !r.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${v.base}/${org.login}`,
    created_at: org.created_at,
    updated_at: org.updated_at,
    archived_at: null,
    type: 'Organization'
  };
  if (!full) return base;
  const privateCount = repos.filter((r) => r.private).length;
  return {
    ...base,
    total_private_repos: privateCount,
    owned_private_repos: privateCount,
    private_gists: 0,
    disk_usage: 0,
    collaborators: 0,
    plan: org.plan,
    ...org.settings
  };
}

function licenseJson(v, spdx) {
  if (!spdx) return null;
  const key = spdx.toLowerCase();
  return {
    key,
    name: LICENSES[spdx] ?? spdx,
    spdx_id: spdx,
    url: `${v.base}/licenses/${key}`,
    node_id: nodeId('L', stableId('license', key))
  };
}

/** The actor's role on a repository, as the `permissions` object reports it. */
export function actorRole(v, repo) {
  const a = v.actor;
  if (a.kind === 'anonymous') return null;
  if (a.permissions) {
    const p = a.permissions;
    if (p.administration === 'write') return 'admin';
    if (p.contents === 'write') return 'push';
    return 'pull';
  }
  return repoRole(v.world, repo, a.login) ?? (repo.private ? null : 'pull');
}

/**
 * schema: minimal-repository (lists) or full-repository (`full`); `repository` for
 * pull request heads/bases, which is the full shape without the `organization`/`parent` extras.
 */
export function repoJson(v, repo, { full = false } = {}) {
  const api = repoApi(v, repo);
  const html = repoHtml(v, repo);
  const host = new URL(v.base).host;
  const openIssues = [...repo.issues, ...repo.pulls].filter((i) => i.state === 'open').length;
  const out = {
    id: repo.id,
    node_id: repo.node_id,
    name: repo.name,
    full_name: repo.full_name,
    private: repo.private,
    owner: simpleUser(v, repo.owner),
    html_url: html,
    description: repo.description,
    fork: repo.fork,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: repo.created_at,
    updated_at: repo.updated_at,
    pushed_at: repo.pushed_at,
    git_url: `git://${host}/${repo.full_name}.git`,
    ssh_url: `git@${host}:${repo.full_name}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: repo.homepage,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: repo.language,
    has_issues: repo.has_issues,
    has_projects: repo.has_projects,
    has_downloads: repo.has_downloads,
    has_wiki: repo.has_wiki,
    has_pages: repo.has_pages,
    has_discussions: repo.has_discussions,
    forks_count: 0,
    mirror_url: null,
    archived: repo.archived,
    disabled: repo.disabled,
    open_issues_count: openIssues,
    license: licenseJson(v, repo.license),
    allow_forking: true,
    is_template: repo.is_template,
    web_commit_signoff_required: false,
    topics: repo.topics,
    visibility: repo.visibility,
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.default_branch
  };
  const role = actorRole(v, repo);
  if (role) out.permissions = permissionFlags(role);
  if (!full) return out;
  Object.assign(out, { network_count: 0, subscribers_count: 0 });
  const org = orgOf(v.world, repo);
  if (org) out.organization = simpleUser(v, org.login);
  const parent = repo.parent && lookup(v.world.repos, repo.parent);
  if (parent) {
    out.parent = repoJson(v, parent);
    out.source = out.parent;
  }
  return out;
}

const treeSha = (sha) => sha1(`tree\0${sha}`);
const gitUser = (a) => ({ name: a.name, email: a.email, date: a.date });
const verificationJson = (ver) => ({
  verified: ver.verified,
  reason: ver.reason,
  signature: ver.signature,
  payload: ver.payload,
  verified_at: ver.verified_at
});

/** schema: commit. `detailed` adds stats and files, which only the single-commit endpoint returns. */
export function commitJson(v, repo, c, { detailed = false } = {}) {
  const api = repoApi(v, repo);
  const html = repoHtml(v, repo);
  const out = {
    sha: c.sha,
    node_id: nodeId('C', stableId('commit', c.sha)),
    url: `${api}/commits/${c.sha}`,
    html_url: `${html}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${c.sha}`,
      author: gitUser(c.author),
      committer: gitUser(c.committer),
      message: c.message,
      comment_count: 0,
      tree: { sha: treeSha(c.sha), url: `${api}/git/trees/${treeSha(c.sha)}` },
      verification: verificationJson(c.verification)
    },
    author: userOrNull(v, c.author.login),
    committer: userOrNull(v, c.committer.login),
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}`, html_url: `${html}/commit/${p}` }))
  };
  if (!detailed) return out;
  const additions = c.files.reduce((n, f) => n + f.additions, 0);
  const deletions = c.files.reduce((n, f) => n + f.deletions, 0);
  out.stats = { total: additions + deletions, additions, deletions };
  out.files = c.files.map((f) => {
    const entry = {
      sha: f.status === 'removed' ? null : sha1(`blob\0${c.sha}\0${f.filename}`),
      filename: f.filename,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.additions + f.deletions,
      blob_url: `${html}/blob/${c.sha}/${encodePath(f.filename)}`,
      raw_url: `${html}/raw/${c.sha}/${encodePath(f.filename)}`,
      contents_url: `${api}/contents/${encodePath(f.filename)}?ref=${c.sha}`
    };
    if (f.patch !== null) entry.patch = f.patch;
    return entry;
  });
  return out;
}

/** schema: git-ref. */
export function gitRefJson(v, repo, ref, object) {
  const api = repoApi(v, repo);
  return {
    ref,
    node_id: nodeId('REF', stableId('ref', `${repo.full_name}:${ref}`)),
    url: `${api}/git/${ref}`,
    object: {
      sha: object.sha,
      type: object.type,
      url: `${api}/git/${object.type === 'tag' ? 'tags' : 'commits'}/${object.sha}`
    }
  };
}

/** All refs of a repository with the object each points at (annotated tags point at their tag object). */
export function allRefs(repo) {
  return [
    ...Object.entries(repo.branches).map(([b, sha]) => ({ ref: `refs/heads/${b}`, object: { sha, type: 'commit' } })),
    ...Object.entries(repo.tags).map(([t, tag]) => ({
      ref: `refs/tags/${t}`,
      object: tag.annotated ? { sha: tag.annotated.sha, type: 'tag' } : { sha: tag.commit, type: 'commit' }
    }))
  ].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/** schema: git-tag. */
export function gitTagJson(v, repo, name, tag) {
  const api = repoApi(v, repo);
  const t = tag.annotated;
  return {
    node_id: nodeId('TAG', stableId('tag', t.sha)),
    tag: name,
    sha: t.sha,
    url: `${api}/git/tags/${t.sha}`,
    message: t.message,
    tagger: gitUser(t.tagger),
    object: { sha: tag.commit, type: 'commit', url: `${api}/git/commits/${tag.commit}` },
    verification: verificationJson(t.verification)
  };
}

function contentLinks(v, repo, path, ref, sha, type) {
  const api = repoApi(v, repo);
  const self = `${api}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`;
  const git = `${api}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`;
  const html = `${repoHtml(v, repo)}/${type === 'dir' ? 'tree' : 'blob'}/${encodePath(ref)}/${encodePath(path)}`;
  return { url: self, git_url: git, html_url: html, _links: { self, git, html } };
}

/** schema: content-file. GitHub wraps the base64 at 60 columns. */
export function contentFileJson(v, repo, path, ref, text) {
  const buf = Buffer.from(text, 'utf8');
  const sha = gitBlobSha(buf);
  return {
    type: 'file',
    encoding: 'base64',
    size: buf.length,
    name: path.split('/').pop(),
    path,
    content: buf.toString('base64').replace(/.{1,60}/g, '$&\n'),
    sha,
    download_url: `${repoHtml(v, repo)}/raw/${encodePath(ref)}/${encodePath(path)}`,
    ...contentLinks(v, repo, path, ref, sha, 'file')
  };
}

/** schema: content-directory item. */
export function contentEntryJson(v, repo, path, ref, entry) {
  const sha = entry.type === 'file' ? gitBlobSha(Buffer.from(entry.text, 'utf8')) : sha1(`tree\0${ref}\0${path}`);
  return {
    type: entry.type,
    size: entry.type === 'file' ? Buffer.byteLength(entry.text) : 0,
    name: path.split('/').pop(),
    path,
    sha,
    download_url: entry.type === 'file' ? `${repoHtml(v, repo)}/raw/${encodePath(ref)}/${encodePath(path)}` : null,
    ...contentLinks(v, repo, path, ref, sha, entry.type)
  };
}

/** schema: short-branch. */
export function shortBranchJson(v, repo, name) {
  const sha = repo.branches[name];
  return {
    name,
    commit: { sha, url: `${repoApi(v, repo)}/commits/${sha}` },
    protected: Boolean(protectionFor(repo, name))
  };
}

/** schema: branch-with-protection. */
export function branchJson(v, repo, name) {
  const api = repoApi(v, repo);
  const prot = protectionFor(repo, name);
  const checks = prot?.rule.required_status_checks;
  return {
    name,
    commit: commitJson(v, repo, findCommit(repo, repo.branches[name])),
    _links: { self: `${api}/branches/${encodePath(name)}`, html: `${repoHtml(v, repo)}/tree/${encodePath(name)}` },
    protected: Boolean(prot),
    protection: {
      enabled: Boolean(prot),
      required_status_checks: {
        enforcement_level: !checks ? 'off' : prot.rule.enforce_admins ? 'everyone' : 'non_admins',
        contexts: checks?.contexts ?? [],
        checks: (checks?.contexts ?? []).map((context) => ({ context, app_id: null }))
      }
    },
    protection_url: `${api}/branches/${encodePath(name)}/protection`
  };
}

/** schema: branch-protection; unset sections are omitted, as GitHub does. */
export function protectionJson(v, repo, branch, rule) {
  const url = `${repoApi(v, repo)}/branches/${encodePath(branch)}/protection`;
  const out = { url };
  if (rule.required_status_checks) {
    out.required_status_checks = {
      url: `${url}/required_status_checks`,
      strict: rule.required_status_checks.strict,
      contexts: rule.required_status_checks.contexts,
      contexts_url: `${url}/required_status_checks/contexts`,
      checks: rule.required_status_checks.contexts.map((context) => ({ context, app_id: null }))
    };
  }
  if (rule.required_pull_request_reviews) {
    out.required_pull_request_reviews = {
      url: `${url}/required_pull_request_reviews`,
      ...rule.required_pull_request_reviews
    };
  }
  out.required_signatures = { url: `${url}/required_signatures`, enabled: rule.required_signatures };
  out.enforce_admins = { url: `${url}/enforce_admins`, enabled: rule.enforce_admins };
  for (const k of [
    'required_linear_history',
    'allow_force_pushes',
    'allow_deletions',
    'block_creations',
    'required_conversation_resolution',
    'lock_branch',
    'allow_fork_syncing'
  ]) {
    out[k] = { enabled: rule[k] };
  }
  if (rule.restrictions) {
    const org = orgOf(v.world, repo);
    out.restrictions = {
      url: `${url}/restrictions`,
      users_url: `${url}/restrictions/users`,
      teams_url: `${url}/restrictions/teams`,
      apps_url: `${url}/restrictions/apps`,
      users: rule.restrictions.users.map((l) => simpleUser(v, l)),
      teams: rule.restrictions.teams.map((slug) => teamJson(v, org, org.teams[slug])),
      apps: []
    };
  }
  return out;
}

/** schema: team-simple (also nullable-team-simple for `parent`). */
function teamSimpleJson(v, org, team) {
  const url = `${v.base}/organizations/${org.id}/team/${team.id}`;
  return {
    id: team.id,
    node_id: team.node_id,
    url,
    html_url: `${v.base}/orgs/${org.login}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: team.description,
    privacy: team.privacy,
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    type: 'organization',
    organization_id: org.id
  };
}

/** schema: team. */
export function teamJson(v, org, team) {
  const parent = team.parent ? org.teams[team.parent] : null;
  return { ...teamSimpleJson(v, org, team), parent: parent ? teamSimpleJson(v, org, parent) : null };
}

/** schema: collaborator. */
export function collaboratorJson(v, login, role) {
  return { ...simpleUser(v, login), permissions: permissionFlags(role), role_name: ROLE_NAMES[role] };
}

/** schema: deploy-key. */
export function deployKeyJson(v, repo, k) {
  return {
    id: k.id,
    key: k.key,
    url: `${repoApi(v, repo)}/keys/${k.id}`,
    title: k.title,
    verified: k.verified,
    created_at: k.created_at,
    read_only: k.read_only,
    added_by: k.added_by,
    last_used: k.last_used,
    enabled: k.enabled
  };
}

/** schema: environment; GitHub lists only the protection rules that are configured. */
export function environmentJson(v, repo, env) {
  const rules = [];
  const ruleId = (type) => stableId('protection_rule', `${repo.full_name}/${env.name}/${type}`);
  if (env.wait_timer > 0) {
    const id = ruleId('wait_timer');
    rules.push({ id, node_id: nodeId('GA', id), type: 'wait_timer', wait_timer: env.wait_timer });
  }
  if (env.reviewers.length) {
    const id = ruleId('required_reviewers');
    rules.push({
      id,
      node_id: nodeId('GA', id),
      type: 'required_reviewers',
      prevent_self_review: env.prevent_self_review,
      reviewers: env.reviewers.map((r) => {
        if (r.type === 'User') return { type: 'User', reviewer: simpleUser(v, r.login) };
        const org = lookup(v.world.orgs, r.org);
        return { type: 'Team', reviewer: teamJson(v, org, org.teams[r.slug]) };
      })
    });
  }
  if (env.deployment_branch_policy) {
    const id = ruleId('branch_policy');
    rules.push({ id, node_id: nodeId('GA', id), type: 'branch_policy' });
  }
  return {
    id: env.id,
    node_id: env.node_id,
    name: env.name,
    url: `${repoApi(v, repo)}/environments/${encodeURIComponent(env.name)}`,
    html_url: `${repoHtml(v, repo)}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
    created_at: env.created_at,
    updated_at: env.updated_at,
    protection_rules: rules,
    deployment_branch_policy: env.deployment_branch_policy
  };
}

function rulesetLinks(v, repo, rs) {
  return {
    self: { href: `${repoApi(v, repo)}/rulesets/${rs.id}` },
    html: { href: `${repoHtml(v, repo)}/rules/${rs.id}` }
  };
}

/** schema: repository-ruleset; the list endpoint returns this summary without rules or conditions. */
export function rulesetSummaryJson(v, repo, rs) {
  return {
    id: rs.id,
    name: rs.name,
    target: rs.target,
    source_type: 'Repository',
    source: repo.full_name,
    enforcement: rs.enforcement,
    node_id: rs.node_id,
    _links: rulesetLinks(v, repo, rs),
    created_at: rs.created_at,
    updated_at: rs.updated_at
  };
}

/** schema: repository-ruleset (GET by id); only repository admins are shown who may bypass it. */
export function rulesetJson(v, repo, rs) {
  const out = { ...rulesetSummaryJson(v, repo, rs), conditions: rs.conditions, rules: rs.rules };
  if (roleAtLeast(actorRole(v, repo), 'admin')) out.bypass_actors = rs.bypass_actors;
  return out;
}

/** schema: repository-rule-detailed. */
export function detailedRuleJson(repo, rs, rule) {
  return { ...rule, ruleset_source_type: 'Repository', ruleset_source: repo.full_name, ruleset_id: rs.id };
}

function labelJson(v, repo, name) {
  const id = stableId('label', `${repo.full_name}/${name}`);
  return {
    id,
    node_id: nodeId('LA', id),
    url: `${repoApi(v, repo)}/labels/${encodeURIComponent(name)}`,
    name,
    description: '',
    color: 'ededed',
    default: false
  };
}

function reactionsJson(url) {
  return { url, total_count: 0, '+1': 0, '-1': 0, laugh: 0, confused: 0, heart: 0, hooray: 0, eyes: 0, rocket: 0 };
}

const isPull = (repo, item) => repo.pulls.includes(item);

/** author_association of an issue or pull request's author. */
export function itemAssociation(v, repo, item) {
  return authorAssociation(v.world, repo, item.user, item.author_association, {
    isPull: isPull(repo, item),
    number: item.number
  });
}

/**
 * schema: issue; pull requests appear here too, with a `pull_request` link block, as on GitHub.
 * `single`: the one-issue endpoints, which alone report `closed_by`.
 */
export function issueJson(v, repo, item, { single = false } = {}) {
  const api = `${repoApi(v, repo)}/issues/${item.number}`;
  const pull = isPull(repo, item);
  const html = `${repoHtml(v, repo)}/${pull ? 'pull' : 'issues'}/${item.number}`;
  const out = {
    id: item.id,
    node_id: item.node_id,
    url: api,
    repository_url: repoApi(v, repo),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: html,
    number: item.number,
    state: item.state,
    title: item.title,
    body: item.body,
    user: simpleUser(v, item.user),
    labels: item.labels.map((l) => labelJson(v, repo, l)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: item.locked,
    active_lock_reason: null,
    comments: item.comments.length,
    closed_at: item.closed_at,
    created_at: item.created_at,
    updated_at: item.updated_at,
    author_association: itemAssociation(v, repo, item),
    reactions: reactionsJson(`${api}/reactions`),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
    state_reason: pull ? null : item.state_reason
  };
  if (single) out.closed_by = userOrNull(v, pull ? item.merged_by : item.closed_by);
  if (pull) {
    const prHtml = `${repoHtml(v, repo)}/pull/${item.number}`;
    out.draft = item.draft;
    out.pull_request = {
      url: `${repoApi(v, repo)}/pulls/${item.number}`,
      html_url: prHtml,
      diff_url: `${prHtml}.diff`,
      patch_url: `${prHtml}.patch`,
      merged_at: item.merged_at
    };
  }
  return out;
}

/** schema: issue-comment. */
export function commentJson(v, repo, item, c) {
  const pull = isPull(repo, item);
  return {
    id: c.id,
    node_id: c.node_id,
    url: `${repoApi(v, repo)}/issues/comments/${c.id}`,
    html_url: `${repoHtml(v, repo)}/${pull ? 'pull' : 'issues'}/${item.number}#issuecomment-${c.id}`,
    body: c.body,
    user: simpleUser(v, c.user),
    created_at: c.created_at,
    updated_at: c.updated_at,
    issue_url: `${repoApi(v, repo)}/issues/${item.number}`,
    author_association: authorAssociation(v.world, repo, c.user, c.author_association),
    performed_via_github_app: null,
    reactions: reactionsJson(`${repoApi(v, repo)}/issues/comments/${c.id}/reactions`)
  };
}

/** A pull request's `head` or `base`: the branch, its commit and its repository (a fork's, for a head from a fork). */
function prEnd(v, fullName, { ref, sha }) {
  const r = lookup(v.world.repos, fullName);
  return { label: `${r.owner}:${ref}`, ref, sha, user: simpleUser(v, r.owner), repo: repoJson(v, r) };
}

/** schema: pull-request-simple (lists). */
export function pullSimpleJson(v, repo, pr) {
  const api = repoApi(v, repo);
  const url = `${api}/pulls/${pr.number}`;
  const html = `${repoHtml(v, repo)}/pull/${pr.number}`;
  return {
    url,
    id: pr.id,
    node_id: pr.node_id,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pr.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pr.number}/comments`,
    statuses_url: `${api}/statuses/${pr.head.sha}`,
    number: pr.number,
    state: pr.state,
    locked: pr.locked,
    title: pr.title,
    user: simpleUser(v, pr.user),
    body: pr.body,
    labels: pr.labels.map((l) => labelJson(v, repo, l)),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.created_at,
    updated_at: pr.updated_at,
    closed_at: pr.closed_at,
    merged_at: pr.merged_at,
    merge_commit_sha: pr.merge_commit_sha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: prEnd(v, pr.head.repo, pr.head),
    base: prEnd(v, repo.full_name, pr.base),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: `${api}/issues/${pr.number}` },
      comments: { href: `${api}/issues/${pr.number}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/statuses/${pr.head.sha}` }
    },
    author_association: itemAssociation(v, repo, pr),
    auto_merge: null,
    draft: pr.draft
  };
}

/** schema: pull-request (GET one). */
export function pullJson(v, repo, pr) {
  const open = pr.state === 'open';
  return {
    ...pullSimpleJson(v, repo, pr),
    merged: Boolean(pr.merged_at),
    mergeable: open ? true : null,
    rebaseable: open ? true : null,
    mergeable_state: open ? 'clean' : 'unknown',
    merged_by: userOrNull(v, pr.merged_by),
    comments: pr.comments.length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commits,
    additions: pr.additions,
    deletions: pr.deletions,
    changed_files: pr.changed_files
  };
}

/** schema: release-asset. */
export function assetJson(v, repo, release, a) {
  return {
    url: `${repoApi(v, repo)}/releases/assets/${a.id}`,
    browser_download_url: `${repoHtml(v, repo)}/releases/download/${encodePath(release.tag_name)}/${encodeURIComponent(a.name)}`,
    id: a.id,
    node_id: a.node_id,
    name: a.name,
    label: a.label,
    state: 'uploaded',
    content_type: a.content_type,
    size: a.size,
    digest: a.digest,
    download_count: a.download_count,
    created_at: a.created_at,
    updated_at: a.updated_at,
    uploader: userOrNull(v, a.uploader)
  };
}

/** schema: release. */
export function releaseJson(v, repo, rel) {
  const api = repoApi(v, repo);
  const html = repoHtml(v, repo);
  return {
    url: `${api}/releases/${rel.id}`,
    html_url: `${html}/releases/tag/${encodePath(rel.tag_name)}`,
    assets_url: `${api}/releases/${rel.id}/assets`,
    upload_url: `${v.base}/repos/${repo.full_name}/releases/${rel.id}/assets{?name,label}`,
    tarball_url: `${api}/tarball/${rel.tag_name}`,
    zipball_url: `${api}/zipball/${rel.tag_name}`,
    id: rel.id,
    node_id: rel.node_id,
    tag_name: rel.tag_name,
    target_commitish: rel.target_commitish,
    name: rel.name,
    draft: rel.draft,
    prerelease: rel.prerelease,
    immutable: rel.immutable,
    created_at: rel.created_at,
    published_at: rel.published_at,
    updated_at: rel.assets.reduce((t, a) => (a.updated_at > t ? a.updated_at : t), rel.published_at ?? rel.created_at),
    author: simpleUser(v, rel.author ?? repo.owner),
    assets: rel.assets.map((a) => assetJson(v, repo, rel, a)),
    body: rel.body
  };
}

/** schema: rate-limit-overview. */
export function rateLimitJson(buckets) {
  const view = (b) => ({ limit: b.limit, used: b.used, remaining: b.remaining, reset: b.reset });
  return {
    resources: { core: view(buckets.core), search: view(buckets.search), graphql: view(buckets.graphql) },
    rate: view(buckets.core)
  };
}

/** The repository fields only some callers see: `security_and_analysis` (when `security`) and an org repository's `custom_properties`. */
export function repoSettingsJson(v, repo, { security }) {
  const out = {};
  if (security) {
    out.security_and_analysis = Object.fromEntries(
      Object.entries(repo.security_and_analysis).map(([k, status]) => [k, { status }])
    );
  }
  if (orgOf(v.world, repo)) out.custom_properties = { ...repo.custom_properties };
  return out;
}

/** schema: installation (an app installed on an org). */
export function installationJson(v, org, inst) {
  return {
    id: inst.id,
    account: simpleUser(v, org.login),
    repository_selection: inst.repository_selection,
    access_tokens_url: `${v.base}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${v.base}/installation/repositories`,
    html_url: `${v.base}/organizations/${org.login}/settings/installations/${inst.id}`,
    app_id: inst.app_id,
    app_slug: inst.app_slug,
    target_id: org.id,
    target_type: 'Organization',
    permissions: inst.permissions,
    events: inst.events,
    created_at: inst.created_at,
    updated_at: inst.updated_at,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: inst.suspended_at
  };
}

/** schema: organization-programmatic-access-grant (an approved fine-grained PAT). */
export function patGrantJson(v, org, g, now = new Date().toISOString()) {
  return {
    id: g.id,
    owner: simpleUser(v, g.owner),
    repository_selection: g.repository_selection,
    repositories_url: `${v.base}/orgs/${org.login}/personal-access-tokens/${g.id}/repositories`,
    permissions: g.permissions,
    access_granted_at: g.access_granted_at,
    token_id: g.token_id,
    token_name: g.token_name,
    token_expired: g.token_expired ?? (g.token_expires_at !== null && g.token_expires_at <= now),
    token_expires_at: g.token_expires_at,
    token_last_used_at: g.token_last_used_at
  };
}

/** schema: org-hook; GitHub masks a configured secret as "********" and leaves the key out when none is set. */
export function orgHookJson(v, org, h) {
  const url = `${v.base}/orgs/${org.login}/hooks/${h.id}`;
  return {
    id: h.id,
    url,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    name: h.name,
    events: h.events,
    active: h.active,
    config: {
      url: h.url,
      insecure_ssl: h.insecure_ssl,
      content_type: h.content_type,
      ...(h.secret ? { secret: '********' } : {})
    },
    updated_at: h.updated_at,
    created_at: h.created_at,
    type: 'Organization'
  };
}

/** schema: runner-groups-org. */
export function runnerGroupJson(v, org, g) {
  const api = `${v.base}/orgs/${org.login}/actions/runner-groups/${g.id}`;
  return {
    id: g.id,
    name: g.name,
    visibility: g.visibility,
    default: g.default,
    ...(g.visibility === 'selected' ? { selected_repositories_url: `${api}/repositories` } : {}),
    runners_url: `${api}/runners`,
    hosted_runners_url: `${api}/hosted-runners`,
    inherited: false,
    allows_public_repositories: g.allows_public_repositories,
    restricted_to_workflows: false,
    selected_workflows: [],
    workflow_restrictions_read_only: false
  };
}

const RUNNER_OS_LABEL = { linux: 'Linux', macos: 'macOS', windows: 'Windows' };

/** schema: runner. Its read-only labels (self-hosted, OS, architecture) come first, then the world's custom ones. */
export function runnerJson(r, groupId) {
  const readOnly = ['self-hosted', RUNNER_OS_LABEL[r.os], 'X64'];
  const custom = r.labels.filter((l) => !readOnly.some((x) => x.toLowerCase() === l.toLowerCase()));
  const label = (name, type) => ({ id: stableId('runner_label', name.toLowerCase()), name, type });
  return {
    id: r.id,
    ...(groupId === undefined ? {} : { runner_group_id: groupId }),
    name: r.name,
    os: r.os,
    status: r.status,
    busy: false,
    ephemeral: false,
    labels: [...readOnly.map((l) => label(l, 'read-only')), ...custom.map((l) => label(l, 'custom'))]
  };
}

/** schema: org-repo-custom-property-values. */
export function customPropertyValuesJson(repo) {
  return {
    repository_id: repo.id,
    repository_name: repo.name,
    repository_full_name: repo.full_name,
    properties: Object.entries(repo.custom_properties).map(([property_name, value]) => ({ property_name, value }))
  };
}

/** schema: code-scanning-default-setup. */
export function defaultSetupJson(repo) {
  const d = repo.code_scanning_default_setup;
  const configured = d.state === 'configured';
  return {
    state: d.state,
    languages: d.languages,
    runner_type: configured ? 'standard' : null,
    runner_label: null,
    query_suite: d.query_suite,
    threat_model: 'remote',
    updated_at: d.updated_at,
    schedule: configured ? 'weekly' : null
  };
}
