// The REST route table, keyed by OpenAPI path templates so every request the fake
// serves maps to exactly one operation in @octokit/openapi (the conformance test
// checks the table against the spec). Each route declares the docs anchor GitHub
// puts in its error bodies, the fine-grained permission GitHub requires
// (`x-accepted-github-permissions` format: alternatives separated by "; "), and
// whether public resources are readable without it.
import {
  canSeeRepo,
  canSeeTeam,
  isOrgMember,
  isOrgOwner,
  hasPermission,
  seesOrgMembership,
  seesSecurityAndAnalysis
} from './access.mjs';
import {
  actorRole,
  allRefs,
  assetJson,
  branchJson,
  collaboratorJson,
  commentJson,
  commitJson,
  contentEntryJson,
  contentFileJson,
  customPropertyValuesJson,
  defaultSetupJson,
  deployKeyJson,
  detailedRuleJson,
  environmentJson,
  gitRefJson,
  gitTagJson,
  installationJson,
  issueJson,
  orgHookJson,
  orgJson,
  orgSimpleJson,
  patGrantJson,
  privateUser,
  protectionJson,
  publicUser,
  pullJson,
  pullSimpleJson,
  rateLimitJson,
  releaseJson,
  repoJson,
  repoSettingsJson,
  rulesetJson,
  rulesetSummaryJson,
  runnerGroupJson,
  runnerJson,
  shortBranchJson,
  simpleUser,
  teamJson
} from './representations.mjs';
import { compareRoutes } from './compare.mjs';
import { advisoryRoutes } from './advisories.mjs';
import { codeSecurityRoutes } from './code-security.mjs';
import { writeRoutes } from './writes.mjs';
import { searchIssues, SearchQueryError } from './search.mjs';
import {
  accountOf,
  collaboratorsOf,
  filesAt,
  findCommit,
  history,
  isoNow,
  lookup,
  nodeId,
  normalizeAsset,
  outsideCollaborators,
  protectionFor,
  repoRole,
  resolveCommit,
  roleAtLeast,
  rulesetsForBranch,
  stableId,
  teamWithChildren
} from './world.mjs';

export const DOCS = 'https://docs.github.com/rest';

/** A GitHub-style error: the server renders `{ message, documentation_url, status }` plus `extra`. */
export class GitHubError extends Error {
  /** @param {number} status @param {string} message @param {Record<string, unknown>} [extra] */
  constructor(status, message, extra) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

const notFound = (message = 'Not Found') => new GitHubError(404, message);
/** GitHub's request-schema failure, e.g. `Invalid request.\n\n"title" wasn't supplied.` */
const missingField = (field) => new GitHubError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);

// ---------------------------------------------------------------------------
// Helpers shared by handlers.

const int = (s) => (s !== null && /^\d+$/.test(s) ? Number(s) : null);

/**
 * Slices `items` for `per_page` (default 30, max 100) and `page`, and builds the
 * Link header in GitHub's order: prev, next, last, first.
 */
export function paginate(ctx, items) {
  const perPage = Math.min(Math.max(int(ctx.query.get('per_page')) ?? 30, 1), 100);
  const page = Math.max(int(ctx.query.get('page')) ?? 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const href = (p) => {
    const q = new URLSearchParams(ctx.query);
    q.set('page', String(p));
    return `<${ctx.v.base}${ctx.url.pathname}?${q}>`;
  };
  const links = [];
  if (page > 1) links.push(`${href(page - 1)}; rel="prev"`);
  if (page < last) links.push(`${href(page + 1)}; rel="next"`, `${href(last)}; rel="last"`);
  if (page > 1) links.push(`${href(1)}; rel="first"`);
  return {
    slice: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {}
  };
}

const list = (ctx, items) => {
  const { slice, headers } = paginate(ctx, items);
  return { status: 200, headers, body: slice };
};

/** Lists that GitHub wraps as `{ total_count, <key>: [...] }`. */
const countedList = (ctx, key, items) => {
  const { slice, headers } = paginate(ctx, items);
  return { status: 200, headers, body: { total_count: items.length, [key]: slice } };
};

const ok = (body) => ({ status: 200, body });
const created = (body, location) => ({ status: 201, headers: { location }, body });

function sortBy(items, key, direction) {
  const sign = direction === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => sign * (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
}

function issueOrPull(repo, number) {
  const n = int(number);
  return repo.issues.find((i) => i.number === n) ?? repo.pulls.find((p) => p.number === n) ?? null;
}

function requireCommits(repo) {
  if (!repo.commits.length) throw new GitHubError(409, 'Git Repository is empty.');
}

function twoFactorFilter(ctx, org, logins) {
  const filter = ctx.query.get('filter') ?? 'all';
  if (filter === 'all') return logins;
  if (!['2fa_disabled', '2fa_insecure'].includes(filter)) throw new GitHubError(422, 'Validation Failed');
  if (!seesOrgMembership(ctx.v, org)) throw new GitHubError(422, 'Only owners can use this filter.');
  const want = filter === '2fa_disabled' ? false : 'insecure';
  return logins.filter((l) => accountOf(ctx.v.world, l).two_factor === want);
}

const nextNumber = (repo) => Math.max(0, ...repo.issues.map((i) => i.number), ...repo.pulls.map((p) => p.number)) + 1;
let writeCounter = 0;
/** Ids for objects created through the API: unique for the process, unrelated to world ids. */
const freshId = (kind) => stableId(kind, `${Date.now()}/${++writeCounter}`);

function findComment(repo, id) {
  for (const item of [...repo.issues, ...repo.pulls]) {
    const c = item.comments.find((x) => x.id === int(id));
    if (c) return { item, comment: c };
  }
  return null;
}

function findAsset(repo, id) {
  for (const rel of repo.releases) {
    const a = rel.assets.find((x) => x.id === int(id));
    if (a) return { release: rel, asset: a };
  }
  return null;
}

const canPush = (ctx) => roleAtLeast(actorRole(ctx.v, ctx.repo), 'push');
const visibleReleases = (ctx) => ctx.repo.releases.filter((r) => !r.draft || canPush(ctx));

function bodyField(ctx, field) {
  const value = ctx.body?.[field];
  if (value === undefined || value === null) throw missingField(field);
  return value;
}

function treeAt(files, path) {
  if (path === '') return { type: 'dir' };
  if (Object.hasOwn(files, path)) return { type: 'file', text: files[path] };
  return Object.keys(files).some((f) => f.startsWith(`${path}/`)) ? { type: 'dir' } : null;
}

function directoryEntries(files, dir) {
  const prefix = dir ? `${dir}/` : '';
  const entries = new Map();
  for (const [path, text] of Object.entries(files)) {
    if (!path.startsWith(prefix)) continue;
    const [head, ...rest] = path.slice(prefix.length).split('/');
    entries.set(prefix + head, rest.length ? { type: 'dir' } : { type: 'file', text });
  }
  return [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Org settings only owners see: apps pass with the route's permission; other users get 404, as GitHub hides them. */
function ownersOnly(ctx) {
  if (ctx.v.actor.kind === 'user' && !isOrgOwner(ctx.v, ctx.org)) throw notFound();
}

/** Repository endpoints GitHub reserves for admins: apps pass with the route's permission; other users get 403. */
function adminsOnly(ctx) {
  const { actor } = ctx.v;
  if (actor.kind === 'user' && repoRole(ctx.v.world, ctx.repo, actor.login) !== 'admin') {
    throw new GitHubError(403, 'Must have admin rights to Repository.');
  }
}

/** A query parameter the fake does not evaluate: refused loudly (500), since ignoring it would give a wrong answer. */
function unsupported(ctx, ...names) {
  for (const n of names) {
    if (ctx.query.get(n))
      throw new Error(`query parameter "${n}" is not supported by the fake GitHub on ${ctx.route.path}`);
  }
}

/** An array query parameter in any of the forms clients send: `a=x&a=y`, `a[]=x`, `a=x,y`. */
const queryList = (ctx, name) =>
  [...ctx.query.getAll(name), ...ctx.query.getAll(`${name}[]`)].flatMap((x) => x.split(',')).filter(Boolean);

const withSettings = (ctx, repo, json) => ({
  ...json,
  ...repoSettingsJson(ctx.v, repo, { security: seesSecurityAndAnalysis(ctx.v, repo) })
});

/** schema: issue-search-result-item — an issue plus `score`; `body` is a non-null string there, so absent bodies are left out. */
function searchItem(v, repo, item) {
  const { body, ...rest } = issueJson(v, repo, item);
  return { ...rest, ...(body === null ? {} : { body }), score: 1 };
}

// ---------------------------------------------------------------------------
// Handlers.

const handlers = {
  rateLimit: (ctx) => ok(rateLimitJson(ctx.v.world.rate_limit)),

  authenticatedUser: (ctx) => ok(privateUser(ctx.v, ctx.v.actor.login)),

  user(ctx) {
    if (!accountOf(ctx.v.world, ctx.params.username)) throw notFound();
    return ok(publicUser(ctx.v, ctx.params.username));
  },

  // Public memberships only, whoever asks (GitHub's documented behaviour for this endpoint).
  userOrgs(ctx) {
    if (!accountOf(ctx.v.world, ctx.params.username)) throw notFound();
    const login = ctx.params.username.toLowerCase();
    const orgs = Object.values(ctx.v.world.orgs).filter((o) =>
      Object.entries(o.members).some(([m, e]) => m.toLowerCase() === login && e.public)
    );
    const { slice, headers } = paginate(ctx, orgs);
    return ok(
      slice.map((o) => orgSimpleJson(ctx.v, o)),
      headers
    );
  },

  org: (ctx) =>
    ok(
      orgJson(ctx.v, ctx.org, {
        full: isOrgOwner(ctx.v, ctx.org) || hasPermission(ctx.v.actor, 'organization_administration', 'read')
      })
    ),

  // Owner-only settings: apps need organization_administration (checked by the route); other users get 404.
  orgActionsPermissions(ctx) {
    ownersOnly(ctx);
    const a = ctx.org.actions;
    const base = `${ctx.v.base}/orgs/${ctx.org.login}/actions/permissions`;
    return ok({
      enabled_repositories: a.enabled_repositories,
      ...(a.enabled_repositories === 'selected' ? { selected_repositories_url: `${base}/repositories` } : {}),
      allowed_actions: a.allowed_actions,
      ...(a.allowed_actions === 'selected' ? { selected_actions_url: `${base}/selected-actions` } : {}),
      sha_pinning_required: a.sha_pinning_required
    });
  },

  orgWorkflowPermissions(ctx) {
    ownersOnly(ctx);
    const a = ctx.org.actions;
    return ok({
      default_workflow_permissions: a.default_workflow_permissions,
      can_approve_pull_request_reviews: a.can_approve_pull_request_reviews
    });
  },

  orgForkPrApproval(ctx) {
    ownersOnly(ctx);
    return ok({ approval_policy: ctx.org.actions.fork_pr_approval_policy });
  },

  orgForkPrPrivateRepos(ctx) {
    ownersOnly(ctx);
    return ok({ ...ctx.org.actions.fork_pr_private });
  },

  orgInstallations(ctx) {
    ownersOnly(ctx);
    return countedList(
      ctx,
      'installations',
      ctx.org.installations.map((i) => installationJson(ctx.v, ctx.org, i))
    );
  },

  // Only GitHub Apps reach this (route `auth: 'app'`).
  orgPatGrants(ctx) {
    unsupported(ctx, 'repository', 'permission');
    const owners = queryList(ctx, 'owner').map((o) => o.toLowerCase());
    const tokenIds = queryList(ctx, 'token_id').map(Number);
    const before = ctx.query.get('last_used_before');
    const after = ctx.query.get('last_used_after');
    const sort = ctx.query.get('sort') ?? 'created_at';
    if (sort !== 'created_at')
      throw new GitHubError(422, 'Validation Failed', {
        errors: [{ resource: 'Search', field: 'sort', code: 'invalid' }]
      });
    const grants = ctx.org.pat_grants.filter(
      (g) =>
        (!owners.length || owners.includes(g.owner.toLowerCase())) &&
        (!tokenIds.length || tokenIds.includes(g.token_id)) &&
        (!before || (g.token_last_used_at !== null && g.token_last_used_at < before)) &&
        (!after || (g.token_last_used_at !== null && g.token_last_used_at > after))
    );
    const now = isoNow();
    return list(
      ctx,
      sortBy(grants, 'access_granted_at', ctx.query.get('direction') ?? 'desc').map((g) =>
        patGrantJson(ctx.v, ctx.org, g, now)
      )
    );
  },

  orgHooks(ctx) {
    ownersOnly(ctx);
    return list(
      ctx,
      ctx.org.hooks.map((h) => orgHookJson(ctx.v, ctx.org, h))
    );
  },

  orgRunnerGroups(ctx) {
    ownersOnly(ctx);
    unsupported(ctx, 'visible_to_repository');
    return countedList(
      ctx,
      'runner_groups',
      ctx.org.runner_groups.map((g) => runnerGroupJson(ctx.v, ctx.org, g))
    );
  },

  orgRunnerGroupRunners(ctx) {
    ownersOnly(ctx);
    const group = ctx.org.runner_groups.find((g) => g.id === int(ctx.params.runner_group_id));
    if (!group) throw notFound();
    return countedList(
      ctx,
      'runners',
      group.runners.map((r) => runnerJson(r, group.id))
    );
  },

  // "Organization members can read these properties"; others get 404.
  orgPropertyValues(ctx) {
    if (ctx.v.actor.kind === 'user' && !isOrgMember(ctx.v, ctx.org)) throw notFound();
    unsupported(ctx, 'repository_query');
    const repos = Object.values(ctx.v.world.repos).filter(
      (r) => r.owner.toLowerCase() === ctx.org.login.toLowerCase() && canSeeRepo(ctx.v, r)
    );
    return list(ctx, repos.map(customPropertyValuesJson));
  },

  orgMembers(ctx) {
    const { org } = ctx;
    const all = isOrgMember(ctx.v, org) || seesOrgMembership(ctx.v, org);
    const roleFilter = ctx.query.get('role') ?? 'all';
    let logins = Object.keys(org.members).filter((l) => all || org.members[l].public);
    if (roleFilter !== 'all') logins = logins.filter((l) => org.members[l].role === roleFilter);
    return list(
      ctx,
      twoFactorFilter(ctx, org, logins).map((l) => simpleUser(ctx.v, l))
    );
  },

  outsideCollaborators(ctx) {
    const logins = twoFactorFilter(ctx, ctx.org, outsideCollaborators(ctx.v.world, ctx.org));
    return list(
      ctx,
      logins.map((l) => simpleUser(ctx.v, l))
    );
  },

  orgRepos(ctx) {
    const type = ctx.query.get('type') ?? 'all';
    const sort = ctx.query.get('sort') ?? 'created';
    const key =
      { created: 'created_at', updated: 'updated_at', pushed: 'pushed_at', full_name: 'full_name' }[sort] ??
      'created_at';
    const direction = ctx.query.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
    const typeFilter =
      {
        all: () => true,
        public: (r) => !r.private,
        private: (r) => r.private,
        forks: (r) => r.fork,
        sources: (r) => !r.fork,
        member: (r) => actorRole(ctx.v, r) !== null
      }[type] ?? (() => true);
    const repos = Object.values(ctx.v.world.repos).filter(
      (r) => r.owner.toLowerCase() === ctx.org.login.toLowerCase() && canSeeRepo(ctx.v, r) && typeFilter(r)
    );
    return list(
      ctx,
      sortBy(repos, key, direction).map((r) => withSettings(ctx, r, repoJson(ctx.v, r)))
    );
  },

  orgTeams(ctx) {
    const { org } = ctx;
    const visible = Object.values(org.teams).filter((t) => canSeeTeam(ctx.v, org, t));
    return list(
      ctx,
      visible.map((t) => teamJson(ctx.v, org, t))
    );
  },

  teamMembers(ctx) {
    const team = lookup(ctx.org.teams, ctx.params.team_slug);
    if (!team || !canSeeTeam(ctx.v, ctx.org, team)) throw notFound();
    const role = ctx.query.get('role') ?? 'all';
    const members = new Map();
    for (const t of teamWithChildren(ctx.org, team)) {
      for (const [l, r] of Object.entries(t.members)) if (!members.has(l)) members.set(l, r);
    }
    const logins = [...members].filter(([, r]) => role === 'all' || r === role).map(([l]) => l);
    return list(
      ctx,
      logins.map((l) => simpleUser(ctx.v, l))
    );
  },

  repo: (ctx) => ok(withSettings(ctx, ctx.repo, repoJson(ctx.v, ctx.repo, { full: true }))),

  privateVulnerabilityReporting: (ctx) => ok({ enabled: ctx.repo.private_vulnerability_reporting }),

  // 204 when Dependabot alerts are on; 404 when off, with GitHub's usual error body (the description documents none).
  vulnerabilityAlerts(ctx) {
    adminsOnly(ctx);
    if (!ctx.repo.vulnerability_alerts) throw notFound('Vulnerability alerts are disabled.');
    return { status: 204 };
  },

  codeScanningDefaultSetup(ctx) {
    adminsOnly(ctx);
    const sa = ctx.repo.security_and_analysis;
    if (ctx.repo.private && sa.advanced_security !== 'enabled' && sa.code_security !== 'enabled') {
      throw new GitHubError(403, 'Advanced Security must be enabled for this repository to use code scanning.');
    }
    return ok(defaultSetupJson(ctx.repo));
  },

  repoRunners(ctx) {
    adminsOnly(ctx);
    const name = ctx.query.get('name');
    return countedList(
      ctx,
      'runners',
      ctx.repo.runners.filter((r) => !name || r.name === name).map((r) => runnerJson(r))
    );
  },

  commit(ctx) {
    requireCommits(ctx.repo);
    const sha = resolveCommit(ctx.repo, ctx.params.ref);
    if (!sha) throw new GitHubError(422, `No commit found for SHA: ${ctx.params.ref}`);
    return ok(commitJson(ctx.v, ctx.repo, findCommit(ctx.repo, sha), { detailed: true }));
  },

  commits(ctx) {
    const { repo, query } = ctx;
    requireCommits(repo);
    const start = resolveCommit(repo, query.get('sha') ?? repo.default_branch);
    if (!start) throw notFound();
    const author = query.get('author')?.toLowerCase();
    const since = query.get('since');
    const until = query.get('until');
    const path = query.get('path');
    const commits = history(repo, start).filter(
      (c) =>
        (!author || c.author.login?.toLowerCase() === author || c.author.email.toLowerCase() === author) &&
        (!since || c.committer.date >= since) &&
        (!until || c.committer.date <= until) &&
        (!path || c.files.some((f) => f.filename === path || f.filename.startsWith(`${path}/`)))
    );
    return list(
      ctx,
      commits.map((c) => commitJson(ctx.v, repo, c))
    );
  },

  gitRef(ctx) {
    const hit = allRefs(ctx.repo).find((r) => r.ref === `refs/${ctx.params.ref}`);
    if (!hit) throw notFound();
    return ok(gitRefJson(ctx.v, ctx.repo, hit.ref, hit.object));
  },

  matchingRefs(ctx) {
    const prefix = `refs/${ctx.params.ref}`;
    const refs = allRefs(ctx.repo).filter((r) => r.ref.startsWith(prefix));
    return list(
      ctx,
      refs.map((r) => gitRefJson(ctx.v, ctx.repo, r.ref, r.object))
    );
  },

  gitTag(ctx) {
    const hit = Object.entries(ctx.repo.tags).find(([, t]) => t.annotated?.sha === ctx.params.tag_sha);
    if (!hit) throw notFound();
    return ok(gitTagJson(ctx.v, ctx.repo, hit[0], hit[1]));
  },

  contents(ctx) {
    const { repo } = ctx;
    const ref = ctx.query.get('ref') ?? repo.default_branch;
    const files = filesAt(repo, ref);
    if (!files) throw notFound(`No commit found for the ref ${ref}`);
    const path = ctx.params.path.replace(/^\/+|\/+$/g, '');
    const entry = treeAt(files, path);
    if (!entry) throw notFound();
    if (entry.type === 'file') {
      if (/application\/vnd\.github(\.v3)?\.raw/.test(ctx.requestHeaders.accept ?? '')) {
        return {
          status: 200,
          headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' },
          body: entry.text
        };
      }
      return ok(contentFileJson(ctx.v, repo, path, ref, entry.text));
    }
    return ok(directoryEntries(files, path).map(([p, e]) => contentEntryJson(ctx.v, repo, p, ref, e)));
  },

  branches(ctx) {
    const only = ctx.query.get('protected');
    const names = Object.keys(ctx.repo.branches)
      .sort()
      .filter((b) => only === null || String(Boolean(protectionFor(ctx.repo, b))) === only);
    return list(
      ctx,
      names.map((b) => shortBranchJson(ctx.v, ctx.repo, b))
    );
  },

  branch(ctx) {
    if (!Object.hasOwn(ctx.repo.branches, ctx.params.branch)) throw notFound('Branch not found');
    return ok(branchJson(ctx.v, ctx.repo, ctx.params.branch));
  },

  branchProtection(ctx) {
    const { branch } = ctx.params;
    if (!Object.hasOwn(ctx.repo.branches, branch)) throw notFound('Branch not found');
    const prot = protectionFor(ctx.repo, branch);
    if (!prot) throw notFound('Branch not protected');
    return ok(protectionJson(ctx.v, ctx.repo, branch, prot.rule));
  },

  branchRules(ctx) {
    const rules = rulesetsForBranch(ctx.repo, ctx.params.branch).flatMap((rs) =>
      rs.rules.map((rule) => detailedRuleJson(ctx.repo, rs, rule))
    );
    return list(ctx, rules);
  },

  rulesets: (ctx) =>
    list(
      ctx,
      ctx.repo.rulesets.map((rs) => rulesetSummaryJson(ctx.v, ctx.repo, rs))
    ),

  ruleset(ctx) {
    const rs = ctx.repo.rulesets.find((r) => r.id === int(ctx.params.ruleset_id));
    if (!rs) throw notFound();
    return ok(rulesetJson(ctx.v, ctx.repo, rs));
  },

  collaborators(ctx) {
    const { actor } = ctx.v;
    if (actor.kind === 'user' && !roleAtLeast(repoRole(ctx.v.world, ctx.repo, actor.login), 'push')) {
      throw new GitHubError(403, 'Must have push access to view repository collaborators.');
    }
    const permission = ctx.query.get('permission');
    const collabs = collaboratorsOf(ctx.v.world, ctx.repo, ctx.query.get('affiliation') ?? 'all').filter(
      (c) => !permission || c.role === permission
    );
    return list(
      ctx,
      collabs.map((c) => collaboratorJson(ctx.v, c.login, c.role))
    );
  },

  deployKeys: (ctx) =>
    list(
      ctx,
      ctx.repo.deploy_keys.map((k) => deployKeyJson(ctx.v, ctx.repo, k))
    ),

  environments: (ctx) =>
    countedList(
      ctx,
      'environments',
      Object.values(ctx.repo.environments).map((e) => environmentJson(ctx.v, ctx.repo, e))
    ),

  environment(ctx) {
    const env = ctx.repo.environments[ctx.params.environment_name];
    if (!env) throw notFound();
    return ok(environmentJson(ctx.v, ctx.repo, env));
  },

  secrets: (ctx) =>
    countedList(
      ctx,
      'secrets',
      Object.entries(ctx.repo.secrets).map(([name, s]) => ({ name, ...s }))
    ),

  pull(ctx) {
    const pr = ctx.repo.pulls.find((p) => p.number === int(ctx.params.pull_number));
    if (!pr) throw notFound();
    return ok(pullJson(ctx.v, ctx.repo, pr));
  },

  pulls(ctx) {
    const { query, repo } = ctx;
    const state = query.get('state') ?? 'open';
    const head = query.get('head');
    const base = query.get('base');
    const sort = query.get('sort') ?? 'created';
    const direction = query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
    const pulls = repo.pulls.filter(
      (p) =>
        (state === 'all' || p.state === state) &&
        (!head || `${p.head.repo.split('/')[0]}:${p.head.ref}`.toLowerCase() === head.toLowerCase()) &&
        (!base || p.base.ref === base)
    );
    const key = sort === 'updated' ? 'updated_at' : 'created_at';
    return list(
      ctx,
      sortBy(pulls, key, direction).map((p) => pullSimpleJson(ctx.v, repo, p))
    );
  },

  issueComments(ctx) {
    const item = issueOrPull(ctx.repo, ctx.params.issue_number);
    if (!item) throw notFound();
    const since = ctx.query.get('since');
    const comments = item.comments.filter((c) => !since || c.updated_at >= since);
    return list(
      ctx,
      comments.map((c) => commentJson(ctx.v, ctx.repo, item, c))
    );
  },

  createIssueComment(ctx) {
    const item = issueOrPull(ctx.repo, ctx.params.issue_number);
    if (!item) throw notFound();
    const body = bodyField(ctx, 'body');
    const id = freshId('comment');
    const now = isoNow();
    const c = {
      id,
      node_id: nodeId('IC', id),
      user: ctx.v.actor.login,
      body,
      created_at: now,
      updated_at: now,
      author_association: null
    };
    item.comments.push(c);
    item.updated_at = now;
    const json = commentJson(ctx.v, ctx.repo, item, c);
    return created(json, json.url);
  },

  updateIssueComment(ctx) {
    const hit = findComment(ctx.repo, ctx.params.comment_id);
    if (!hit) throw notFound();
    hit.comment.body = bodyField(ctx, 'body');
    hit.comment.updated_at = isoNow();
    return ok(commentJson(ctx.v, ctx.repo, hit.item, hit.comment));
  },

  issues(ctx) {
    const { query, repo } = ctx;
    const state = query.get('state') ?? 'open';
    const labels = query.get('labels')?.split(',').filter(Boolean) ?? [];
    const creator = query.get('creator')?.toLowerCase();
    const since = query.get('since');
    const sort = query.get('sort') ?? 'created';
    const key = { created: 'created_at', updated: 'updated_at', comments: 'comments' }[sort] ?? 'created_at';
    const items = [...repo.issues, ...repo.pulls].filter(
      (i) =>
        (state === 'all' || i.state === state) &&
        labels.every((l) => i.labels.includes(l)) &&
        (!creator || i.user.toLowerCase() === creator) &&
        (!since || i.updated_at >= since)
    );
    const rows = items.map((i) => ({
      item: i,
      created_at: i.created_at,
      updated_at: i.updated_at,
      comments: i.comments.length
    }));
    const sorted = sortBy(rows, key, query.get('direction') ?? 'desc');
    return list(
      ctx,
      sorted.map(({ item }) => issueJson(ctx.v, repo, item))
    );
  },

  createIssue(ctx) {
    const { repo } = ctx;
    if (!repo.has_issues) throw new GitHubError(410, 'Issues are disabled for this repo');
    const title = String(bodyField(ctx, 'title'));
    const number = nextNumber(repo);
    const id = freshId('issue');
    const now = isoNow();
    const issue = {
      number,
      id,
      node_id: nodeId('I', id),
      title,
      body: ctx.body.body ?? null,
      user: ctx.v.actor.login,
      labels: (ctx.body.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name)),
      locked: false,
      created_at: now,
      updated_at: now,
      author_association: null,
      comments: [],
      state: 'open',
      state_reason: null,
      closed_at: null,
      closed_by: null
    };
    repo.issues.push(issue);
    const json = issueJson(ctx.v, repo, issue, { single: true });
    return created(json, json.url);
  },

  issue(ctx) {
    const item = issueOrPull(ctx.repo, ctx.params.issue_number);
    if (!item) throw notFound();
    return ok(issueJson(ctx.v, ctx.repo, item, { single: true }));
  },

  updateIssue(ctx) {
    const item = issueOrPull(ctx.repo, ctx.params.issue_number);
    if (!item) throw notFound();
    const b = ctx.body ?? {};
    const now = isoNow();
    if (b.title !== undefined && b.title !== null) item.title = String(b.title);
    if (b.body !== undefined) item.body = b.body;
    if (b.labels !== undefined) item.labels = b.labels.map((l) => (typeof l === 'string' ? l : l.name));
    if (b.state !== undefined && b.state !== item.state) {
      // Unknown states, and reopening a merged pull request, are rejected.
      if (!['open', 'closed'].includes(b.state) || item.merged_at) {
        throw new GitHubError(422, 'Validation Failed', {
          errors: [{ resource: 'Issue', field: 'state', code: 'invalid' }]
        });
      }
      item.state = b.state;
      item.closed_at = b.state === 'closed' ? now : null;
      if (ctx.repo.issues.includes(item)) {
        item.state_reason = b.state === 'closed' ? (b.state_reason ?? 'completed') : 'reopened';
        item.closed_by = b.state === 'closed' ? ctx.v.actor.login : null;
      }
    }
    item.updated_at = now;
    return ok(issueJson(ctx.v, ctx.repo, item, { single: true }));
  },

  releases(ctx) {
    const rels = [...visibleReleases(ctx)].sort((a, b) => b.created_at.localeCompare(a.created_at));
    return list(
      ctx,
      rels.map((r) => releaseJson(ctx.v, ctx.repo, r))
    );
  },

  releaseByTag(ctx) {
    const rel = ctx.repo.releases.find((r) => r.tag_name === ctx.params.tag && !r.draft);
    if (!rel) throw notFound();
    return ok(releaseJson(ctx.v, ctx.repo, rel));
  },

  release(ctx) {
    const rel = visibleReleases(ctx).find((r) => r.id === int(ctx.params.release_id));
    if (!rel) throw notFound();
    return ok(releaseJson(ctx.v, ctx.repo, rel));
  },

  releaseAssets(ctx) {
    const rel = visibleReleases(ctx).find((r) => r.id === int(ctx.params.release_id));
    if (!rel) throw notFound();
    return list(
      ctx,
      rel.assets.map((a) => assetJson(ctx.v, ctx.repo, rel, a))
    );
  },

  uploadAsset(ctx) {
    const rel = visibleReleases(ctx).find((r) => r.id === int(ctx.params.release_id));
    if (!rel) throw notFound();
    const name = ctx.query.get('name');
    if (!name)
      throw new GitHubError(422, 'Validation Failed', {
        errors: [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'name' }]
      });
    if (rel.assets.some((a) => a.name === name)) {
      throw new GitHubError(422, 'Validation Failed', {
        errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }]
      });
    }
    const now = isoNow();
    const asset = normalizeAsset(
      `${ctx.repo.full_name}/${rel.tag_name}`,
      {
        id: freshId('asset'),
        name,
        label: ctx.query.get('label') ?? undefined,
        content_type: ctx.requestHeaders['content-type'] ?? 'application/octet-stream',
        content_base64: ctx.raw.toString('base64'),
        uploader: ctx.v.actor.login,
        created_at: now
      },
      `upload ${name}`
    );
    rel.assets.push(asset);
    return { status: 201, body: assetJson(ctx.v, ctx.repo, rel, asset) };
  },

  asset(ctx) {
    const hit = findAsset(ctx.repo, ctx.params.asset_id);
    if (!hit || !visibleReleases(ctx).includes(hit.release)) throw notFound();
    const json = assetJson(ctx.v, ctx.repo, hit.release, hit.asset);
    // With Accept: application/octet-stream GitHub redirects to the download.
    if ((ctx.requestHeaders.accept ?? '').includes('application/octet-stream')) {
      return { status: 302, headers: { location: json.browser_download_url } };
    }
    return ok(json);
  },

  deleteAsset(ctx) {
    const hit = findAsset(ctx.repo, ctx.params.asset_id);
    if (!hit) throw notFound();
    hit.release.assets.splice(hit.release.assets.indexOf(hit.asset), 1);
    return { status: 204 };
  },

  createAttestation(ctx) {
    const bundle = bodyField(ctx, 'bundle');
    if (typeof bundle !== 'object' || Array.isArray(bundle)) {
      throw new GitHubError(422, "Invalid request.\n\nFor 'properties/bundle', is not an object.");
    }
    const id = freshId('attestation');
    ctx.repo.attestations.push({ id, bundle, created_at: isoNow(), actor: ctx.v.actor.login });
    return { status: 201, body: { id } };
  },

  searchIssues(ctx) {
    const q = ctx.query.get('q');
    if (!q)
      throw new GitHubError(422, 'Validation Failed', {
        errors: [{ resource: 'Search', field: 'q', code: 'missing' }]
      });
    let result;
    try {
      result = searchIssues(ctx.v.world, q, (repo) => canSeeRepo(ctx.v, repo));
    } catch (e) {
      // Not GitHub's answer: the fake cannot evaluate this query, and says so loudly.
      if (e instanceof SearchQueryError) throw new Error(`search query not supported by the fake: ${e.message}`);
      throw e;
    }
    if (!result.kinds.size) throw new GitHubError(422, "Query must include 'is:issue' or 'is:pull-request'");
    const { slice, headers } = paginate(ctx, result.hits);
    return {
      status: 200,
      headers,
      body: {
        total_count: result.hits.length,
        incomplete_results: false,
        search_type: 'lexical',
        items: slice.map(({ repo, item }) => searchItem(ctx.v, repo, item))
      }
    };
  }
};

/**
 * @typedef {object} Route
 * @property {string} method
 * @property {string} path  OpenAPI path template
 * @property {string} docs  anchor under https://docs.github.com/rest/ (the operation's externalDocs)
 * @property {string} [permission]  fine-grained permissions GitHub accepts, "; "-separated alternatives
 * @property {boolean} [public]  GET answers public resources without `permission`
 * @property {'user'|'app'} [auth]  only user tokens (not apps), or only GitHub Apps
 * @property {'core'|'search'|null} [resource]  rate-limit bucket; null: not counted (default core)
 * @property {boolean} [rawBody]  body is not JSON (uploads)
 * @property {(ctx: any) => any} handler
 */

/** @type {Route[]} */
export const routes = [
  {
    method: 'GET',
    path: '/rate_limit',
    docs: 'rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user',
    resource: null,
    handler: handlers.rateLimit
  },
  {
    method: 'GET',
    path: '/user',
    docs: 'users/users#get-the-authenticated-user',
    auth: 'user',
    handler: handlers.authenticatedUser
  },
  { method: 'GET', path: '/users/{username}', docs: 'users/users#get-a-user', handler: handlers.user },
  {
    method: 'GET',
    path: '/users/{username}/orgs',
    docs: 'orgs/orgs#list-organizations-for-a-user',
    handler: handlers.userOrgs
  },
  { method: 'GET', path: '/orgs/{org}', docs: 'orgs/orgs#get-an-organization', handler: handlers.org },
  {
    method: 'GET',
    path: '/orgs/{org}/actions/permissions',
    docs: 'actions/permissions#get-github-actions-permissions-for-an-organization',
    permission: 'organization_administration=read',
    handler: handlers.orgActionsPermissions
  },
  {
    method: 'GET',
    path: '/orgs/{org}/actions/permissions/workflow',
    docs: 'actions/permissions#get-default-workflow-permissions-for-an-organization',
    permission: 'organization_administration=read',
    handler: handlers.orgWorkflowPermissions
  },
  {
    method: 'GET',
    path: '/orgs/{org}/actions/permissions/fork-pr-contributor-approval',
    docs: 'actions/permissions#get-fork-pr-contributor-approval-permissions-for-an-organization',
    permission: 'organization_administration=read',
    handler: handlers.orgForkPrApproval
  },
  {
    method: 'GET',
    path: '/orgs/{org}/actions/permissions/fork-pr-workflows-private-repos',
    docs: 'actions/permissions#get-private-repo-fork-pr-workflow-settings-for-an-organization',
    permission: 'organization_administration=read',
    handler: handlers.orgForkPrPrivateRepos
  },
  {
    method: 'GET',
    path: '/orgs/{org}/actions/runner-groups',
    docs: 'actions/self-hosted-runner-groups#list-self-hosted-runner-groups-for-an-organization',
    permission: 'organization_self_hosted_runners=read',
    handler: handlers.orgRunnerGroups
  },
  {
    method: 'GET',
    path: '/orgs/{org}/actions/runner-groups/{runner_group_id}/runners',
    docs: 'actions/self-hosted-runner-groups#list-self-hosted-runners-in-a-group-for-an-organization',
    permission: 'organization_self_hosted_runners=read',
    handler: handlers.orgRunnerGroupRunners
  },
  {
    method: 'GET',
    path: '/orgs/{org}/installations',
    docs: 'orgs/orgs#list-app-installations-for-an-organization',
    permission: 'organization_administration=read',
    handler: handlers.orgInstallations
  },
  {
    method: 'GET',
    path: '/orgs/{org}/personal-access-tokens',
    docs: 'orgs/personal-access-tokens#list-fine-grained-personal-access-tokens-with-access-to-organization-resources',
    permission: 'organization_personal_access_tokens=read',
    auth: 'app',
    handler: handlers.orgPatGrants
  },
  {
    method: 'GET',
    path: '/orgs/{org}/hooks',
    docs: 'orgs/webhooks#list-organization-webhooks',
    permission: 'organization_hooks=read',
    handler: handlers.orgHooks
  },
  {
    method: 'GET',
    path: '/orgs/{org}/properties/values',
    docs: 'orgs/custom-properties#list-custom-property-values-for-organization-repositories',
    permission: 'organization_custom_properties=read',
    handler: handlers.orgPropertyValues
  },
  {
    method: 'GET',
    path: '/orgs/{org}/members',
    docs: 'orgs/members#list-organization-members',
    permission: 'members=read',
    public: true,
    handler: handlers.orgMembers
  },
  {
    method: 'GET',
    path: '/orgs/{org}/outside_collaborators',
    docs: 'orgs/outside-collaborators#list-outside-collaborators-for-an-organization',
    permission: 'members=read',
    handler: handlers.outsideCollaborators
  },
  {
    method: 'GET',
    path: '/orgs/{org}/repos',
    docs: 'repos/repos#list-organization-repositories',
    permission: 'metadata=read',
    public: true,
    handler: handlers.orgRepos
  },
  {
    method: 'GET',
    path: '/orgs/{org}/teams',
    docs: 'teams/teams#list-teams',
    permission: 'members=read',
    handler: handlers.orgTeams
  },
  {
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}/members',
    docs: 'teams/members#list-team-members',
    permission: 'members=read',
    handler: handlers.teamMembers
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    docs: 'repos/repos#get-a-repository',
    permission: 'metadata=read',
    public: true,
    handler: handlers.repo
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/private-vulnerability-reporting',
    docs: 'repos/repos#check-if-private-vulnerability-reporting-is-enabled-for-a-repository',
    permission: 'metadata=read',
    public: true,
    handler: handlers.privateVulnerabilityReporting
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/vulnerability-alerts',
    docs: 'repos/repos#check-if-vulnerability-alerts-are-enabled-for-a-repository',
    permission: 'administration=read',
    handler: handlers.vulnerabilityAlerts
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/code-scanning/default-setup',
    docs: 'code-scanning/code-scanning#get-a-code-scanning-default-setup-configuration',
    permission: 'administration=read',
    handler: handlers.codeScanningDefaultSetup
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runners',
    docs: 'actions/self-hosted-runners#list-self-hosted-runners-for-a-repository',
    permission: 'administration=read',
    handler: handlers.repoRunners
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}',
    docs: 'commits/commits#get-a-commit',
    permission: 'contents=read',
    public: true,
    handler: handlers.commit
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits',
    docs: 'commits/commits#list-commits',
    permission: 'contents=read',
    public: true,
    handler: handlers.commits
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref}',
    docs: 'git/refs#get-a-reference',
    permission: 'contents=read',
    public: true,
    handler: handlers.gitRef
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/matching-refs/{ref}',
    docs: 'git/refs#list-matching-references',
    permission: 'contents=read',
    public: true,
    handler: handlers.matchingRefs
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/tags/{tag_sha}',
    docs: 'git/tags#get-a-tag',
    permission: 'contents=read',
    public: true,
    handler: handlers.gitTag
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/contents/{path}',
    docs: 'repos/contents#get-repository-content',
    permission: 'contents=read',
    public: true,
    handler: handlers.contents
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches',
    docs: 'branches/branches#list-branches',
    permission: 'contents=read',
    public: true,
    handler: handlers.branches
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch}',
    docs: 'branches/branches#get-a-branch',
    permission: 'contents=read',
    public: true,
    handler: handlers.branch
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    docs: 'branches/branch-protection#get-branch-protection',
    permission: 'administration=read',
    handler: handlers.branchProtection
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/rules/branches/{branch}',
    docs: 'repos/rules#get-rules-for-a-branch',
    permission: 'metadata=read',
    public: true,
    handler: handlers.branchRules
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/rulesets',
    docs: 'repos/rules#get-all-repository-rulesets',
    permission: 'metadata=read',
    public: true,
    handler: handlers.rulesets
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/rulesets/{ruleset_id}',
    docs: 'repos/rules#get-a-repository-ruleset',
    permission: 'metadata=read',
    public: true,
    handler: handlers.ruleset
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators',
    docs: 'collaborators/collaborators#list-repository-collaborators',
    permission: 'metadata=read',
    handler: handlers.collaborators
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/keys',
    docs: 'deploy-keys/deploy-keys#list-deploy-keys',
    permission: 'administration=read',
    handler: handlers.deployKeys
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments',
    docs: 'deployments/environments#list-environments',
    permission: 'actions=read',
    public: true,
    handler: handlers.environments
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    docs: 'deployments/environments#get-an-environment',
    permission: 'actions=read',
    public: true,
    handler: handlers.environment
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/secrets',
    docs: 'actions/secrets#list-repository-secrets',
    permission: 'secrets=read',
    handler: handlers.secrets
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    docs: 'pulls/pulls#get-a-pull-request',
    permission: 'pull_requests=read',
    public: true,
    handler: handlers.pull
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls',
    docs: 'pulls/pulls#list-pull-requests',
    permission: 'pull_requests=read',
    public: true,
    handler: handlers.pulls
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    docs: 'issues/comments#list-issue-comments',
    permission: 'issues=read; pull_requests=read',
    public: true,
    handler: handlers.issueComments
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    docs: 'issues/comments#create-an-issue-comment',
    permission: 'issues=write; pull_requests=write',
    handler: handlers.createIssueComment
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    docs: 'issues/comments#update-an-issue-comment',
    permission: 'issues=write; pull_requests=write',
    handler: handlers.updateIssueComment
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues',
    docs: 'issues/issues#list-repository-issues',
    permission: 'issues=read',
    public: true,
    handler: handlers.issues
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues',
    docs: 'issues/issues#create-an-issue',
    permission: 'issues=write',
    handler: handlers.createIssue
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    docs: 'issues/issues#get-an-issue',
    permission: 'issues=read; pull_requests=read',
    public: true,
    handler: handlers.issue
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    docs: 'issues/issues#update-an-issue',
    permission: 'issues=write; pull_requests=write',
    handler: handlers.updateIssue
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases',
    docs: 'releases/releases#list-releases',
    permission: 'contents=read',
    public: true,
    handler: handlers.releases
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases/tags/{tag}',
    docs: 'releases/releases#get-a-release-by-tag-name',
    permission: 'contents=read',
    public: true,
    handler: handlers.releaseByTag
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases/{release_id}',
    docs: 'releases/releases#get-a-release',
    permission: 'contents=read',
    public: true,
    handler: handlers.release
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases/{release_id}/assets',
    docs: 'releases/assets#list-release-assets',
    permission: 'contents=read',
    public: true,
    handler: handlers.releaseAssets
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/releases/{release_id}/assets',
    docs: 'releases/assets#upload-a-release-asset',
    permission: 'contents=write',
    rawBody: true,
    handler: handlers.uploadAsset
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases/assets/{asset_id}',
    docs: 'releases/assets#get-a-release-asset',
    permission: 'contents=read',
    public: true,
    handler: handlers.asset
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/releases/assets/{asset_id}',
    docs: 'releases/assets#delete-a-release-asset',
    permission: 'contents=write',
    handler: handlers.deleteAsset
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/attestations',
    docs: 'repos/attestations#create-an-attestation',
    permission: 'attestations=write',
    handler: handlers.createAttestation
  },
  {
    method: 'GET',
    path: '/search/issues',
    docs: 'search/search#search-issues-and-pull-requests',
    resource: 'search',
    handler: handlers.searchIssues
  },
  ...compareRoutes,
  ...advisoryRoutes,
  ...codeSecurityRoutes,
  ...writeRoutes
];

// Path parameters that may contain "/" (git refs, file paths) when a client sends them unencoded.
const GREEDY = new Set(['path', 'ref']);

const compiled = routes.map((route) => {
  const names = [];
  const source = route.path
    .replace(/[.]/g, '\\.')
    .replace(/\{(\w+)\}/g, (_, name, offset) => {
      names.push(name);
      const last = offset + name.length + 2 === route.path.length;
      return GREEDY.has(name) && last ? '(.*)' : '([^/]+)';
    })
    // GitHub lists the root of a repository's contents with the path left out (`…/contents`).
    .replace(/\/contents\/\(\.\*\)$/, '/contents(?:/(.*))?');
  return { route, names, re: new RegExp(`^${source}/?$`) };
});

/** The route serving `method path` with its decoded parameters, or null. */
export function matchRoute(method, path) {
  for (const { route, names, re } of compiled) {
    if (route.method !== method) continue;
    const m = re.exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')])) };
  }
  return null;
}
