// GraphQL over the world, executed by graphql-js against GitHub's real schema.
// Resolvers build plain "source" objects holding only the fields the fake
// implements (values or `(args) => value` functions). Selecting any other field,
// or passing an argument the fake does not honour, is an error naming it, never
// a silent null or an ignored filter: a null from the fake always means "the
// world has no such data", as it would on GitHub.
import { isDeepStrictEqual } from 'node:util';
import { execute, GraphQLError, parse, validate } from 'graphql';
import {
  canSeeRepo,
  canSeeTeam,
  hasPermission,
  isOrgMember,
  isOrgOwner,
  notAccessibleMessage,
  seesOrgMembership
} from './access.mjs';
import { actorRole, allRefs, itemAssociation } from './representations.mjs';
import { analyzeQuery, AUDIT_ENTRY_TYPES, githubSchema } from './graphql-schema.mjs';
import { dateRange, searchIssues, SearchQueryError } from './search.mjs';
import {
  accountOf,
  authorAssociation,
  collaboratorsOf,
  filesAt,
  findCommit,
  gitBlobSha,
  history,
  lookup,
  nodeId,
  protectionFor,
  sha1,
  refPatternMatches,
  repoRole,
  resolveCommit,
  roleAtLeast,
  rulesetsForBranch,
  stableId,
  teamWithChildren
} from './world.mjs';

/** A GraphQL error carrying GitHub's top-level `type` (NOT_FOUND, FORBIDDEN, ...). */
const typed = (type, message) => new GraphQLError(message, { extensions: { type } });

const upper = (s) => (s === null || s === undefined ? null : String(s).toUpperCase());
const GRAPHQL_ROLE = { pull: 'READ', triage: 'TRIAGE', push: 'WRITE', maintain: 'MAINTAIN', admin: 'ADMIN' };

const cursor = (i) => Buffer.from(`cursor:v2:${i}`).toString('base64');
function cursorIndex(c) {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(c, 'base64').toString('utf8'));
  if (!m) throw typed('INVALID_CURSOR_ARGUMENTS', `\`${c}\` does not appear to be a valid cursor.`);
  return Number(m[1]);
}

/** Marks which arguments (beyond first/last/after/before) a field function honours. */
const takes = (names, fn) => Object.assign(fn, { handles: names });
const PAGING = new Set(['first', 'last', 'after', 'before']);

const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts for an `orderBy` argument; `keys` maps the order fields the fake supports to sort keys. */
function ordered(items, orderBy, keys) {
  if (!orderBy) return items;
  const key = keys[orderBy.field];
  if (!key) throw new GraphQLError(`The fake GitHub does not implement ordering by ${orderBy.field}`);
  const sign = orderBy.direction === 'DESC' ? -1 : 1;
  return [...items].sort((a, b) => sign * compare(key(a), key(b)));
}

const BY_TIME = { CREATED_AT: (x) => x.created_at, UPDATED_AT: (x) => x.updated_at };
const ISSUE_ORDER = { ...BY_TIME, COMMENTS: (i) => i.comments.length };

/**
 * A Relay connection over `items` honouring first/last/after/before.
 * `node(item)` builds each node; `edge(item)` adds edge fields (role, permission...).
 */
function connection(items, args, node, edge = () => ({})) {
  let start = args.after ? cursorIndex(args.after) + 1 : 0;
  let end = args.before ? Math.min(cursorIndex(args.before), items.length) : items.length;
  if (args.first !== null && args.first !== undefined) end = Math.min(end, start + args.first);
  if (args.last !== null && args.last !== undefined) start = Math.max(start, end - args.last);
  const page = items.slice(start, end).map((item, k) => ({ item, i: start + k }));
  return {
    totalCount: items.length,
    nodes: () => page.map(({ item }) => node(item)),
    edges: () => page.map(({ item, i }) => ({ cursor: cursor(i), node: node(item), ...edge(item) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursor(page[0].i) : null,
      endCursor: page.length ? cursor(page[page.length - 1].i) : null
    }
  };
}

function requirePermission(v, spec) {
  const [name, level] = spec.split('=');
  if (v.actor.permissions && !hasPermission(v.actor, name, level))
    throw typed('FORBIDDEN', notAccessibleMessage(v.actor));
}

/** `avatarUrl(size:)`, as a field function. */
const avatar = (v, id) => takes(['size'], ({ size }) => `${v.base}/avatars/u/${id}?v=4${size ? `&s=${size}` : ''}`);

// ---------------------------------------------------------------------------
// Source builders, one per GraphQL type.

function gActor(v, login) {
  if (!login) return null;
  const acct = accountOf(v.world, login);
  if (lookup(v.world.orgs, login)) return gOrg(v, acct);
  return acct.type === 'Bot' ? gBot(v, acct) : gUser(v, acct);
}

/** For fields typed `User`: bots and orgs are not Users, so they would not resolve there. */
const userNode = (v, login) => gUser(v, accountOf(v.world, login));

function gBot(v, u) {
  return {
    __typename: 'Bot',
    id: u.node_id,
    databaseId: u.id,
    login: u.login,
    avatarUrl: avatar(v, u.id),
    url: `${v.base}/apps/${u.login.replace(/\[bot\]$/, '')}`,
    resourcePath: `/apps/${u.login.replace(/\[bot\]$/, '')}`,
    createdAt: u.created_at,
    updatedAt: u.updated_at
  };
}

function gUser(v, u) {
  const same = (l) => l?.toLowerCase() === u.login.toLowerCase();
  const visibleRepos = () => Object.values(v.world.repos).filter((r) => canSeeRepo(v, r));
  const authored = (kind) =>
    visibleRepos().flatMap((repo) => repo[kind].filter((it) => same(it.user)).map((it) => ({ repo, it })));
  return {
    __typename: 'User',
    id: u.node_id,
    databaseId: u.id,
    login: u.login,
    name: u.name,
    email: u.email ?? '',
    company: u.company,
    location: u.location,
    bio: u.bio,
    isSiteAdmin: u.site_admin,
    createdAt: u.created_at,
    updatedAt: u.updated_at,
    url: `${v.base}/${u.login}`,
    resourcePath: `/${u.login}`,
    avatarUrl: avatar(v, u.id),
    contributionsCollection: takes(['from', 'to'], (args) => gContributions(v, u, args)),
    pullRequests: takes(PULL_FILTERS, (args) =>
      connection(
        ordered(
          authored('pulls').filter(({ it }) => pullMatches(it, args)),
          args.orderBy,
          wrapKeys(ISSUE_ORDER)
        ),
        args,
        ({ repo, it }) => gPull(v, repo, it)
      )
    ),
    issues: takes(['states', 'labels', 'orderBy'], (args) =>
      connection(
        ordered(
          authored('issues').filter(({ it }) => issueMatches(it, args)),
          args.orderBy,
          wrapKeys(ISSUE_ORDER)
        ),
        args,
        ({ repo, it }) => gIssue(v, repo, it)
      )
    ),
    repositories: takes([...REPO_FILTERS, 'ownerAffiliations'], (args) => {
      const wants = (a) => (args.ownerAffiliations ?? []).includes(a);
      const affiliated = (r) =>
        (wants('OWNER') && same(r.owner)) ||
        (wants('COLLABORATOR') && Boolean(lookup(r.collaborators, u.login))) ||
        (wants('ORGANIZATION_MEMBER') && Boolean(lookup(lookup(v.world.orgs, r.owner)?.members ?? {}, u.login)));
      return repoConnection(v, visibleRepos().filter(affiliated), args);
    }),
    // Concealed memberships show only to the user, fellow members and those who see all membership.
    organizations: (args) =>
      connection(
        Object.values(v.world.orgs).filter(
          (o) =>
            lookup(o.members, u.login) &&
            (lookup(o.members, u.login).public || same(v.actor.login) || isOrgMember(v, o) || seesOrgMembership(v, o))
        ),
        args,
        (o) => gOrg(v, o)
      )
  };
}

/** ISSUE_ORDER keys for `{ repo, it }` rows. */
const wrapKeys = (keys) => Object.fromEntries(Object.entries(keys).map(([k, f]) => [k, ({ it }) => f(it)]));

const YEAR_MS = 366 * 24 * 3600 * 1000;

/**
 * Contributions in public repositories and those the viewer sees, in a window of at most a year:
 * commits (not in forks, as GitHub counts them), issues and pull requests opened, reviews submitted,
 * repositories created. The totals come from the user's `contributions` when the world pins them.
 */
function gContributions(v, u, args) {
  const to = args.to ? new Date(args.to) : new Date();
  const from = args.from ? new Date(args.from) : new Date(to.getTime() - 365 * 24 * 3600 * 1000);
  if (to.getTime() - from.getTime() > YEAR_MS)
    throw typed('INVALID_ARGUMENTS', "The total time spanned by 'from' and 'to' must not exceed 1 year");
  const inWindow = (t) => Boolean(t) && t >= from.toISOString() && t <= to.toISOString();
  const same = (l) => l?.toLowerCase() === u.login.toLowerCase();
  const repos = Object.values(v.world.repos).filter((r) => canSeeRepo(v, r));
  const commitsIn = (r) => (r.fork ? [] : r.commits.filter((c) => same(c.author.login) && inWindow(c.author.date)));
  const pullsIn = (r) => r.pulls.filter((p) => same(p.user) && inWindow(p.created_at));
  const reviewsIn = (r) =>
    r.pulls.flatMap((p) =>
      p.reviews.filter((x) => same(x.user) && inWindow(x.submitted_at)).map((review) => ({ p, review }))
    );
  const counted = u.contributions ?? {
    commits: repos.reduce((n, r) => n + commitsIn(r).length, 0),
    issues: repos.flatMap((r) => r.issues).filter((i) => same(i.user) && inWindow(i.created_at)).length,
    pull_requests: repos.reduce((n, r) => n + pullsIn(r).length, 0),
    reviews: repos.reduce((n, r) => n + reviewsIn(r).length, 0),
    repositories: repos.filter((r) => same(r.owner) && inWindow(r.created_at)).length
  };
  const c = { commits: 0, issues: 0, pull_requests: 0, reviews: 0, repositories: 0, restricted: 0, ...counted };
  const total = c.commits + c.issues + c.pull_requests + c.reviews + c.repositories + c.restricted;
  const contribution = (repo, occurredAt, extra) => ({
    isRestricted: false,
    occurredAt,
    repository: () => gRepo(v, repo),
    user: () => gUser(v, u),
    url: `${v.base}/${repo.full_name}`,
    resourcePath: `/${repo.full_name}`,
    ...extra
  });
  /** Per repository, most contributions first (GitHub's order), at most `maxRepositories` (1 to 100). */
  const byRepository = (rows, toConnection) =>
    takes(['maxRepositories'], ({ maxRepositories }) => {
      if (maxRepositories < 1 || maxRepositories > 100)
        throw typed('INVALID_ARGUMENTS', 'maxRepositories must be between 1 and 100');
      return repos
        .map((repo) => ({ repo, items: rows(repo) }))
        .filter((x) => x.items.length)
        .sort((a, b) => b.items.length - a.items.length)
        .slice(0, maxRepositories)
        .map(({ repo, items }) => ({
          repository: () => gRepo(v, repo),
          url: `${v.base}/${repo.full_name}`,
          resourcePath: `/${repo.full_name}`,
          contributions: (cargs) => toConnection(repo, items, cargs)
        }));
    });
  const newestFirst = (items, date) => [...items].sort((a, b) => compare(date(b), date(a)));
  return {
    startedAt: from.toISOString(),
    endedAt: to.toISOString(),
    totalCommitContributions: c.commits,
    totalIssueContributions: c.issues,
    totalPullRequestContributions: c.pull_requests,
    totalPullRequestReviewContributions: c.reviews,
    totalRepositoryContributions: c.repositories,
    restrictedContributionsCount: c.restricted,
    hasAnyRestrictedContributions: c.restricted > 0,
    hasAnyContributions: total > 0,
    contributionCalendar: { totalContributions: total },
    user: () => gUser(v, u),
    // Commit contributions are one per repository and day; totalCount counts the commits.
    commitContributionsByRepository: byRepository(commitsIn, (repo, commits, cargs) => {
      const days = new Map();
      for (const x of commits) days.set(x.author.date.slice(0, 10), (days.get(x.author.date.slice(0, 10)) ?? 0) + 1);
      const rows = [...days].sort((a, b) => compare(b[0], a[0]));
      return {
        ...connection(rows, cargs, ([day, n]) => contribution(repo, `${day}T00:00:00Z`, { commitCount: n })),
        totalCount: commits.length
      };
    }),
    pullRequestContributionsByRepository: byRepository(pullsIn, (repo, pulls, cargs) =>
      connection(
        newestFirst(pulls, (p) => p.created_at),
        cargs,
        (p) => contribution(repo, p.created_at, { pullRequest: () => gPull(v, repo, p) })
      )
    ),
    pullRequestReviewContributionsByRepository: byRepository(reviewsIn, (repo, reviews, cargs) =>
      connection(
        newestFirst(reviews, (x) => x.review.submitted_at),
        cargs,
        ({ p, review }) =>
          contribution(repo, review.submitted_at, {
            pullRequest: () => gPull(v, repo, p),
            pullRequestReview: () => gReview(v, repo, p, review)
          })
      )
    )
  };
}

function gOrg(v, org) {
  const sees = seesOrgMembership(v, org);
  const member = isOrgMember(v, org);
  return {
    __typename: 'Organization',
    id: org.node_id,
    databaseId: org.id,
    login: org.login,
    name: org.name,
    description: org.description,
    email: org.email,
    createdAt: org.created_at,
    updatedAt: org.updated_at,
    url: `${v.base}/${org.login}`,
    resourcePath: `/${org.login}`,
    avatarUrl: avatar(v, org.id),
    // Owner-only, like two_factor_requirement_enabled in REST.
    requiresTwoFactorAuthentication: sees ? org.settings.two_factor_requirement_enabled : null,
    viewerIsAMember: member,
    viewerCanAdminister: isOrgOwner(v, org),
    membersWithRole: (args) =>
      connection(
        Object.keys(org.members).filter((l) => member || sees || org.members[l].public),
        args,
        (l) => userNode(v, l),
        (l) => ({
          role: upper(org.members[l].role),
          hasTwoFactorEnabled: sees ? accountOf(v.world, l).two_factor !== false : null
        })
      ),
    // Every org repository has the org as OWNER, so other owner affiliations select nothing.
    repositories: takes([...REPO_FILTERS, 'ownerAffiliations'], (args) =>
      repoConnection(
        v,
        Object.values(v.world.repos).filter(
          (r) =>
            (args.ownerAffiliations ?? []).includes('OWNER') &&
            r.owner.toLowerCase() === org.login.toLowerCase() &&
            canSeeRepo(v, r)
        ),
        args
      )
    ),
    repository: takes(['name'], ({ name }) => {
      const repo = lookup(v.world.repos, `${org.login}/${name}`);
      return repo && canSeeRepo(v, repo) ? gRepo(v, repo) : null;
    }),
    teams: takes(['privacy', 'rootTeamsOnly', 'userLogins', 'query', 'orderBy'], (args) => {
      requirePermission(v, 'members=read');
      const q = args.query?.toLowerCase();
      const teams = Object.values(org.teams).filter(
        (t) =>
          canSeeTeam(v, org, t) &&
          (!args.rootTeamsOnly || !t.parent) &&
          (!args.privacy || teamPrivacy(t) === args.privacy) &&
          (!args.userLogins || args.userLogins.some((l) => lookup(t.members, l))) &&
          (!q || t.slug.includes(q) || t.name.toLowerCase().includes(q))
      );
      return connection(ordered(teams, args.orderBy, { NAME: (t) => t.name.toLowerCase() }), args, (t) =>
        gTeam(v, org, t)
      );
    }),
    team: takes(['slug'], ({ slug }) => {
      const team = lookup(org.teams, slug);
      return team && canSeeTeam(v, org, team) ? gTeam(v, org, team) : null;
    }),
    auditLog: takes(['query', 'orderBy'], (args) => {
      if (v.actor.kind === 'user' && !isOrgOwner(v, org)) throw typed('FORBIDDEN', AUDIT_LOG_OWNERS_ONLY);
      requirePermission(v, 'organization_administration=read');
      if (org.plan.name !== 'enterprise') throw typed('FORBIDDEN', AUDIT_LOG_ENTERPRISE_ONLY);
      const entries = org.audit_log.filter(auditQuery(args.query ?? ''));
      const sorted = ordered(entries, args.orderBy, { CREATED_AT: (e) => e.created_at });
      return connection(sorted, args, (e) => gAuditEntry(v, org, e));
    })
  };
}

/** The fake's wording (GitHub's own for these cases could not be confirmed; see docs/fakes/github.md). */
const AUDIT_LOG_OWNERS_ONLY = 'Must be an organization owner to read the audit log.';
const AUDIT_LOG_ENTERPRISE_ONLY = 'The audit log API is only available to organizations on GitHub Enterprise Cloud.';

/**
 * The audit-log search phrase: `actor:LOGIN`, `action:ACTION` (or a category such as
 * `action:repo`), `created:` with `>`, `>=`, `<`, `<=`, a day or `a..b`, and `-` negation.
 * Anything else is an error rather than silently ignored.
 */
function auditQuery(q) {
  const tests = [];
  for (const raw of q.split(/\s+/).filter(Boolean)) {
    const negate = raw.startsWith('-');
    const term = negate ? raw.slice(1) : raw;
    const m = /^(actor|action|created):(.+)$/.exec(term);
    if (!m) throw typed('INVALID_ARGUMENTS', `The fake GitHub does not implement the audit log search term "${raw}"`);
    const [, key, value] = m;
    let test;
    if (key === 'actor') test = (e) => e.actor.toLowerCase() === value.toLowerCase();
    else if (key === 'action') test = (e) => e.action === value || e.action.startsWith(`${value}.`);
    else {
      try {
        const inRange = dateRange(value);
        test = (e) => inRange(e.created_at);
      } catch (err) {
        if (err instanceof SearchQueryError)
          throw typed('INVALID_ARGUMENTS', `The fake GitHub does not implement the audit log date "${value}"`);
        throw err;
      }
    }
    tests.push(negate ? (e) => !test(e) : test);
  }
  return (e) => tests.every((t) => t(e));
}

/** An OrganizationAuditEntry node, typed by its action (see AUDIT_ENTRY_TYPES); AuditEntry fields plus the org's. */
function gAuditEntry(v, org, e) {
  const actor = accountOf(v.world, e.actor);
  const path = actor?.type === 'Bot' ? `/apps/${e.actor.replace(/\[bot\]$/, '')}` : `/${e.actor}`;
  return {
    __typename: AUDIT_ENTRY_TYPES.get(e.action),
    id: nodeId('AE', stableId('audit', `${org.login}/${e.action}/${e.actor}/${e.created_at}`)),
    action: e.action,
    actorLogin: e.actor,
    actor: () => gActor(v, e.actor),
    actorResourcePath: path,
    actorUrl: `${v.base}${path}`,
    createdAt: e.created_at,
    organization: () => gOrg(v, org),
    organizationName: org.login,
    organizationResourcePath: `/${org.login}`,
    organizationUrl: `${v.base}/${org.login}`
  };
}

const teamPrivacy = (t) => (t.privacy === 'secret' ? 'SECRET' : 'VISIBLE');

function gTeam(v, org, team) {
  return {
    __typename: 'Team',
    id: team.node_id,
    databaseId: team.id,
    name: team.name,
    slug: team.slug,
    combinedSlug: `${org.login}/${team.slug}`,
    description: team.description,
    privacy: teamPrivacy(team),
    url: `${v.base}/orgs/${org.login}/teams/${team.slug}`,
    resourcePath: `/orgs/${org.login}/teams/${team.slug}`,
    organization: () => gOrg(v, org),
    parentTeam: () => (team.parent ? gTeam(v, org, org.teams[team.parent]) : null),
    members: takes(['membership', 'role', 'query'], (args) => {
      const teams =
        args.membership === 'IMMEDIATE'
          ? [team]
          : teamWithChildren(org, team).slice(args.membership === 'CHILD_TEAM' ? 1 : 0);
      const members = new Map();
      for (const t of teams) for (const [l, r] of Object.entries(t.members)) if (!members.has(l)) members.set(l, r);
      const rows = [...members].filter(
        ([l, r]) =>
          (!args.role || upper(r) === args.role) && (!args.query || l.toLowerCase().includes(args.query.toLowerCase()))
      );
      return connection(
        rows,
        args,
        ([l]) => userNode(v, l),
        ([, r]) => ({ role: upper(r) })
      );
    }),
    repositories: (args) => {
      const rows = Object.entries(team.repos)
        .map(([name, perm]) => [lookup(v.world.repos, `${org.login}/${name}`), perm])
        .filter(([repo]) => repo && canSeeRepo(v, repo));
      return connection(
        rows,
        args,
        ([repo]) => gRepo(v, repo),
        ([, perm]) => ({ permission: GRAPHQL_ROLE[perm] })
      );
    }
  };
}

const REPO_FILTERS = ['isArchived', 'isFork', 'privacy', 'visibility', 'orderBy'];
const REPO_ORDER = { ...BY_TIME, PUSHED_AT: (r) => r.pushed_at, NAME: (r) => r.name.toLowerCase() };
const given = (x) => x !== null && x !== undefined;

function repoConnection(v, repos, args) {
  const filtered = repos.filter(
    (r) =>
      (!given(args.isArchived) || r.archived === args.isArchived) &&
      (!given(args.isFork) || r.fork === args.isFork) &&
      (!args.privacy || (r.private ? 'PRIVATE' : 'PUBLIC') === args.privacy) &&
      (!args.visibility || upper(r.visibility) === args.visibility)
  );
  return connection(ordered(filtered, args.orderBy, REPO_ORDER), args, (r) => gRepo(v, r));
}

const PULL_FILTERS = ['states', 'labels', 'headRefName', 'baseRefName', 'orderBy'];
const pullMatches = (p, args) =>
  (!args.states || args.states.includes(pullState(p))) &&
  (!args.headRefName || p.head.ref === args.headRefName) &&
  (!args.baseRefName || p.base.ref === args.baseRefName) &&
  (!args.labels || args.labels.some((l) => p.labels.includes(l)));
const issueMatches = (i, args) =>
  (!args.states || args.states.includes(upper(i.state))) &&
  (!args.labels || args.labels.some((l) => i.labels.includes(l)));

function gRepo(v, repo) {
  const full = repo.full_name;
  return {
    __typename: 'Repository',
    id: repo.node_id,
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: full,
    owner: () => gActor(v, repo.owner),
    description: repo.description,
    homepageUrl: repo.homepage,
    url: `${v.base}/${full}`,
    resourcePath: `/${full}`,
    isArchived: repo.archived,
    isDisabled: repo.disabled,
    isFork: repo.fork,
    isPrivate: repo.private,
    isTemplate: repo.is_template,
    isLocked: false,
    isEmpty: repo.commits.length === 0,
    visibility: upper(repo.visibility),
    hasIssuesEnabled: repo.has_issues,
    hasWikiEnabled: repo.has_wiki,
    createdAt: repo.created_at,
    updatedAt: repo.updated_at,
    pushedAt: repo.pushed_at,
    viewerPermission: () => GRAPHQL_ROLE[actorRole(v, repo)] ?? null,
    parent: () => {
      const parent = repo.parent && lookup(v.world.repos, repo.parent);
      return parent && canSeeRepo(v, parent) ? gRepo(v, parent) : null;
    },
    repositoryTopics: (args) =>
      connection(repo.topics, args, (t) => ({
        id: nodeId('RT', stableId('topic', `${full}/${t}`)),
        topic: { id: nodeId('TO', stableId('topic', t)), name: t },
        url: `${v.base}/topics/${t}`,
        resourcePath: `/topics/${t}`
      })),
    defaultBranchRef: () =>
      repo.branches[repo.default_branch] ? gRef(v, repo, `refs/heads/${repo.default_branch}`) : null,
    ref: takes(['qualifiedName'], ({ qualifiedName }) => {
      const q = qualifiedName.startsWith('refs/')
        ? qualifiedName
        : repo.branches[qualifiedName]
          ? `refs/heads/${qualifiedName}`
          : `refs/tags/${qualifiedName}`;
      return allRefs(repo).some((r) => r.ref === q) ? gRef(v, repo, q) : null;
    }),
    refs: takes(['refPrefix', 'query', 'orderBy'], (args) => {
      const refs = allRefs(repo).filter(
        (r) =>
          r.ref.startsWith(args.refPrefix) && (!args.query || r.ref.slice(args.refPrefix.length).includes(args.query))
      );
      const commitDate = (r) =>
        findCommit(repo, r.object.type === 'tag' ? repo.tags[r.ref.slice('refs/tags/'.length)].commit : r.object.sha)
          .committer.date;
      return connection(
        ordered(refs, args.orderBy, { ALPHABETICAL: (r) => r.ref, TAG_COMMIT_DATE: commitDate }),
        args,
        (r) => gRef(v, repo, r.ref)
      );
    }),
    object: takes(['oid', 'expression'], ({ oid, expression }) => gObject(v, repo, oid ?? expression)),
    branchProtectionRules: (args) =>
      connection(Object.entries(repo.branch_protection), args, ([pattern, rule]) =>
        gProtectionRule(v, repo, pattern, rule)
      ),
    // No organization rulesets in the world, so including parents changes nothing.
    rulesets: takes(['includeParents'], (args) => connection(repo.rulesets, args, (rs) => gRuleset(v, repo, rs))),
    environments: takes(['names', 'orderBy'], (args) => {
      if (repo.private) requirePermission(v, 'actions=read');
      const envs = Object.values(repo.environments).filter((e) => !args.names.length || args.names.includes(e.name));
      return connection(ordered(envs, args.orderBy, { NAME: (e) => e.name }), args, (e) => gEnvironment(v, repo, e));
    }),
    collaborators: takes(['affiliation', 'login', 'query'], (args) => {
      if (
        v.actor.kind === 'user' &&
        !['push', 'maintain', 'admin'].includes(repoRole(v.world, repo, v.actor.login) ?? '')
      ) {
        throw typed('FORBIDDEN', 'Must have push access to view repository collaborators.');
      }
      const collabs = collaboratorsOf(v.world, repo, (args.affiliation ?? 'ALL').toLowerCase())
        .filter((c) => !args.login || c.login.toLowerCase() === args.login.toLowerCase())
        .filter((c) => !args.query || c.login.toLowerCase().includes(args.query.toLowerCase()));
      return connection(
        collabs,
        args,
        (c) => userNode(v, c.login),
        (c) => ({ permission: GRAPHQL_ROLE[c.role] })
      );
    }),
    // Apps need Administration (as for REST …/vulnerability-alerts); users need push or admin.
    hasVulnerabilityAlertsEnabled: () => {
      requirePermission(v, 'administration=read');
      if (v.actor.kind === 'user' && !roleAtLeast(repoRole(v.world, repo, v.actor.login), 'push')) {
        throw typed('FORBIDDEN', 'Must have push access to view whether vulnerability alerts are enabled.');
      }
      return repo.vulnerability_alerts;
    },
    deployKeys: (args) => {
      requirePermission(v, 'administration=read');
      return connection(repo.deploy_keys, args, (k) => ({
        id: nodeId('DK', k.id),
        title: k.title,
        key: k.key,
        readOnly: k.read_only,
        verified: k.verified,
        createdAt: k.created_at
      }));
    },
    pullRequest: takes(['number'], ({ number }) => {
      const pr = repo.pulls.find((p) => p.number === number);
      if (!pr) throw typed('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${number}.`);
      return gPull(v, repo, pr);
    }),
    pullRequests: takes(PULL_FILTERS, (args) =>
      connection(
        ordered(
          repo.pulls.filter((p) => pullMatches(p, args)),
          args.orderBy,
          ISSUE_ORDER
        ),
        args,
        (p) => gPull(v, repo, p)
      )
    ),
    issue: takes(['number'], ({ number }) => {
      const issue = repo.issues.find((i) => i.number === number);
      if (!issue) throw typed('NOT_FOUND', `Could not resolve to an Issue with the number of ${number}.`);
      return gIssue(v, repo, issue);
    }),
    issues: takes(['states', 'labels', 'orderBy'], (args) =>
      connection(
        ordered(
          repo.issues.filter((i) => issueMatches(i, args)),
          args.orderBy,
          ISSUE_ORDER
        ),
        args,
        (i) => gIssue(v, repo, i)
      )
    ),
    releases: takes(['orderBy'], (args) =>
      connection(
        ordered(visibleReleases(v, repo), args.orderBy, { CREATED_AT: (r) => r.created_at, NAME: (r) => r.name }),
        args,
        (r) => gRelease(v, repo, r)
      )
    ),
    release: takes(['tagName'], ({ tagName }) => {
      const rel = visibleReleases(v, repo).find((r) => r.tag_name === tagName);
      return rel ? gRelease(v, repo, rel) : null;
    }),
    latestRelease: () => {
      const rel = latestRelease(repo);
      return rel ? gRelease(v, repo, rel) : null;
    }
  };
}

const visibleReleases = (v, repo) =>
  repo.releases.filter((r) => !r.draft || ['push', 'maintain', 'admin'].includes(actorRole(v, repo) ?? ''));
const latestRelease = (repo) =>
  repo.releases
    .filter((r) => !r.draft && !r.prerelease)
    .sort((a, b) => (b.published_at ?? '').localeCompare(a.published_at ?? ''))[0] ?? null;

/** Resolves `oid`, or an expression `rev` / `rev:path` (rev may be HEAD), to a Commit, Tag, Blob or Tree. */
function gObject(v, repo, expr) {
  if (!expr) return null;
  const colon = expr.indexOf(':');
  const rev = (colon >= 0 ? expr.slice(0, colon) : expr).replace(/^HEAD$/, repo.default_branch);
  if (colon >= 0) {
    const files = filesAt(repo, rev);
    const path = expr.slice(colon + 1).replace(/\/+$/, '');
    if (!files) return null;
    if (Object.hasOwn(files, path)) return gBlob(files[path]);
    return gTree(files, path);
  }
  const tag = Object.entries(repo.tags).find(([, t]) => t.annotated?.sha === rev);
  if (tag) return gTag(v, repo, tag[0], tag[1]);
  const sha = resolveCommit(repo, rev);
  return sha ? gCommit(v, repo, findCommit(repo, sha)) : null;
}

function gBlob(text) {
  const buf = Buffer.from(text, 'utf8');
  const oid = gitBlobSha(buf);
  return {
    __typename: 'Blob',
    id: nodeId('B', stableId('blob', oid)),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    byteSize: buf.length,
    text,
    isBinary: false,
    isTruncated: false
  };
}

/** The directory `dir` ('' for the root) of a file map as a git Tree, or null when no file lies under it. */
function gTree(files, dir) {
  const prefix = dir ? `${dir}/` : '';
  const children = new Map();
  for (const path of Object.keys(files)) {
    if (!path.startsWith(prefix)) continue;
    const [head, ...rest] = path.slice(prefix.length).split('/');
    children.set(head, rest.length ? 'tree' : 'blob');
  }
  if (!children.size) return null;
  // Git sorts tree entries by name, a directory as if its name ended in '/'.
  const names = [...children.keys()].sort((a, b) => {
    const ka = children.get(a) === 'tree' ? `${a}/` : a;
    const kb = children.get(b) === 'tree' ? `${b}/` : b;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const entries = names.map((name) => {
    const type = children.get(name);
    const path = prefix + name;
    const object = type === 'blob' ? gBlob(files[path]) : gTree(files, path);
    return {
      name,
      path,
      type,
      mode: type === 'blob' ? 33188 : 16384,
      oid: object.oid,
      size: type === 'blob' ? Buffer.byteLength(files[path]) : 0,
      object
    };
  });
  // Git's tree id: "tree <len>\0" then "<mode> <name>\0<20-byte id>" per entry (modes in octal, no leading 0).
  const body = Buffer.concat(
    entries.map((e) =>
      Buffer.concat([Buffer.from(`${e.type === 'blob' ? '100644' : '40000'} ${e.name}\0`), Buffer.from(e.oid, 'hex')])
    )
  );
  const oid = sha1(Buffer.concat([Buffer.from(`tree ${body.length}\0`), body]));
  return { __typename: 'Tree', id: nodeId('T', stableId('tree', oid)), oid, abbreviatedOid: oid.slice(0, 7), entries };
}

function gRef(v, repo, qualified) {
  const ref = allRefs(repo).find((r) => r.ref === qualified);
  const branch = qualified.startsWith('refs/heads/');
  const prefix = branch ? 'refs/heads/' : 'refs/tags/';
  const name = qualified.slice(prefix.length);
  return {
    __typename: 'Ref',
    id: nodeId('REF', stableId('ref', `${repo.full_name}:${qualified}`)),
    name,
    prefix,
    target: () =>
      ref.object.type === 'tag'
        ? gTag(v, repo, name, repo.tags[name])
        : gCommit(v, repo, findCommit(repo, ref.object.sha)),
    branchProtectionRule: () => {
      const prot = branch ? protectionFor(repo, name) : null;
      return prot ? gProtectionRule(v, repo, prot.pattern, prot.rule) : null;
    },
    rules: takes(['orderBy'], (args) =>
      connection(
        ordered(
          branch ? rulesetsForBranch(repo, name).flatMap((rs) => rs.rules.map((rule) => [rs, rule])) : [],
          args.orderBy,
          {
            UPDATED_AT: ([rs]) => rs.updated_at,
            CREATED_AT: ([rs]) => rs.created_at,
            TYPE: ([, rule]) => rule.type
          }
        ),
        args,
        ([rs, rule]) => gRule(v, repo, rs, rule)
      )
    ),
    associatedPullRequests: takes(PULL_FILTERS, (args) =>
      connection(
        ordered(
          repo.pulls.filter(
            (p) => branch && p.head.ref === name && p.head.repo === repo.full_name && pullMatches(p, args)
          ),
          args.orderBy,
          ISSUE_ORDER
        ),
        args,
        (p) => gPull(v, repo, p)
      )
    )
  };
}

const SIGNATURE_STATES = {
  malformed_signature: 'MALFORMED_SIG',
  unknown_signature_type: 'UNKNOWN_SIG_TYPE'
};
const SIGNATURE_TYPES = { gpg: 'GpgSignature', ssh: 'SshSignature', smime: 'SmimeSignature' };

function gitActor(v, a) {
  const user = a.login ? accountOf(v.world, a.login) : null;
  return {
    name: a.name,
    email: a.email,
    date: a.date,
    avatarUrl: avatar(v, user?.id ?? 0),
    user: () => (user && !lookup(v.world.orgs, a.login) && user.type === 'User' ? gUser(v, user) : null)
  };
}

function gCommit(v, repo, c) {
  const url = `${v.base}/${repo.full_name}/commit/${c.sha}`;
  const [headline, ...rest] = c.message.split('\n');
  const ver = c.verification;
  const signer = c.committer.login ? accountOf(v.world, c.committer.login) : null;
  return {
    __typename: 'Commit',
    id: nodeId('C', stableId('commit', c.sha)),
    oid: c.sha,
    abbreviatedOid: c.sha.slice(0, 7),
    message: c.message,
    messageHeadline: headline,
    messageBody: rest.join('\n').trim(),
    authoredDate: c.author.date,
    committedDate: c.committer.date,
    author: gitActor(v, c.author),
    committer: gitActor(v, c.committer),
    additions: c.files.reduce((n, f) => n + f.additions, 0),
    deletions: c.files.reduce((n, f) => n + f.deletions, 0),
    url,
    resourcePath: `/${repo.full_name}/commit/${c.sha}`,
    commitUrl: url,
    commitResourcePath: `/${repo.full_name}/commit/${c.sha}`,
    repository: () => gRepo(v, repo),
    signature: ver.type
      ? {
          __typename: SIGNATURE_TYPES[ver.type],
          isValid: ver.verified,
          state: SIGNATURE_STATES[ver.reason] ?? upper(ver.reason),
          signature: ver.signature,
          payload: ver.payload ?? '',
          email: c.committer.email,
          signer: () => (signer?.type === 'User' ? gUser(v, signer) : null),
          wasSignedByGitHub: false,
          // GpgSignature.keyId and SshSignature.keyFingerprint; each type exposes only its own.
          keyId: ver.key,
          keyFingerprint: ver.key
        }
      : null,
    parents: (args) =>
      connection(c.parents.map((p) => findCommit(repo, p)).filter(Boolean), args, (p) => gCommit(v, repo, p)),
    history: takes(['since', 'until', 'path', 'author'], (args) => {
      const emails = args.author?.emails?.map((e) => e.toLowerCase());
      const authorLogin = args.author?.id
        ? Object.values(v.world.users).find((u) => u.node_id === args.author.id)?.login
        : null;
      const commits = history(repo, c.sha).filter(
        (x) =>
          (!args.since || x.committer.date >= args.since) &&
          (!args.until || x.committer.date <= args.until) &&
          (!args.path || x.files.some((f) => f.filename === args.path || f.filename.startsWith(`${args.path}/`))) &&
          (!emails || emails.includes(x.author.email.toLowerCase())) &&
          (!args.author?.id || x.author.login === authorLogin)
      );
      return connection(commits, args, (x) => gCommit(v, repo, x));
    })
  };
}

function gTag(v, repo, name, tag) {
  const t = tag.annotated;
  return {
    __typename: 'Tag',
    id: nodeId('TAG', stableId('tag', t.sha)),
    oid: t.sha,
    abbreviatedOid: t.sha.slice(0, 7),
    name,
    message: t.message,
    tagger: gitActor(v, t.tagger),
    target: () => gCommit(v, repo, findCommit(repo, tag.commit)),
    repository: () => gRepo(v, repo),
    commitUrl: `${v.base}/${repo.full_name}/commit/${tag.commit}`,
    commitResourcePath: `/${repo.full_name}/commit/${tag.commit}`
  };
}

function gProtectionRule(v, repo, pattern, rule) {
  const reviews = rule.required_pull_request_reviews;
  const checks = rule.required_status_checks;
  const id = stableId('branch_protection', `${repo.full_name}/${pattern}`);
  return {
    __typename: 'BranchProtectionRule',
    id: nodeId('BPR', id),
    databaseId: id,
    pattern,
    allowsDeletions: rule.allow_deletions,
    allowsForcePushes: rule.allow_force_pushes,
    blocksCreations: rule.block_creations,
    dismissesStaleReviews: reviews?.dismiss_stale_reviews ?? false,
    isAdminEnforced: rule.enforce_admins,
    lockBranch: rule.lock_branch,
    lockAllowsFetchAndMerge: rule.allow_fork_syncing,
    requireLastPushApproval: reviews?.require_last_push_approval ?? false,
    requiredApprovingReviewCount: reviews ? reviews.required_approving_review_count : null,
    requiresApprovingReviews: Boolean(reviews),
    requiresCodeOwnerReviews: reviews?.require_code_owner_reviews ?? false,
    requiresCommitSignatures: rule.required_signatures,
    requiresConversationResolution: rule.required_conversation_resolution,
    requiresLinearHistory: rule.required_linear_history,
    requiresStatusChecks: Boolean(checks),
    requiresStrictStatusChecks: checks?.strict ?? false,
    requiredStatusCheckContexts: checks?.contexts ?? [],
    requiredStatusChecks: (checks?.contexts ?? []).map((context) => ({ context, app: null })),
    requiresDeployments: false,
    requiredDeploymentEnvironments: [],
    restrictsPushes: Boolean(rule.restrictions),
    restrictsReviewDismissals: false,
    repository: () => gRepo(v, repo),
    matchingRefs: takes(['query'], (args) =>
      connection(
        Object.keys(repo.branches)
          .sort()
          .filter((b) => refPatternMatches(pattern, b) && (!args.query || b.includes(args.query))),
        args,
        (b) => gRef(v, repo, `refs/heads/${b}`)
      )
    )
  };
}

/** GraphQL types of the RuleParameters union, by REST rule type. */
const RULE_PARAMETER_TYPES = {
  pull_request: 'PullRequestParameters',
  required_status_checks: 'RequiredStatusChecksParameters',
  required_deployments: 'RequiredDeploymentsParameters',
  update: 'UpdateParameters',
  commit_message_pattern: 'CommitMessagePatternParameters',
  commit_author_email_pattern: 'CommitAuthorEmailPatternParameters',
  committer_email_pattern: 'CommitterEmailPatternParameters',
  branch_name_pattern: 'BranchNamePatternParameters',
  tag_name_pattern: 'TagNamePatternParameters',
  workflows: 'WorkflowsParameters',
  code_scanning: 'CodeScanningParameters',
  file_path_restriction: 'FilePathRestrictionParameters',
  max_file_path_length: 'MaxFilePathLengthParameters',
  file_extension_restriction: 'FileExtensionRestrictionParameters',
  max_file_size: 'MaxFileSizeParameters'
};

/** REST snake_case parameters → GraphQL camelCase fields, recursively. */
function camel(value) {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, x]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), camel(x)])
  );
}

function gRule(v, repo, rs, rule) {
  const typename = RULE_PARAMETER_TYPES[rule.type];
  return {
    __typename: 'RepositoryRule',
    id: nodeId('RR', stableId('rule', `${rs.id}/${rule.type}`)),
    type: upper(rule.type),
    parameters: typename && rule.parameters ? { __typename: typename, ...camel(rule.parameters) } : null,
    repositoryRuleset: () => gRuleset(v, repo, rs)
  };
}

function gRuleset(v, repo, rs) {
  return {
    __typename: 'RepositoryRuleset',
    id: rs.node_id,
    databaseId: rs.id,
    name: rs.name,
    enforcement: upper(rs.enforcement),
    target: upper(rs.target),
    createdAt: rs.created_at,
    updatedAt: rs.updated_at,
    source: () => gRepo(v, repo),
    conditions: {
      refName: { include: rs.conditions.ref_name.include, exclude: rs.conditions.ref_name.exclude },
      repositoryId: null,
      repositoryName: null,
      repositoryProperty: null
    },
    rules: takes(['type'], (args) =>
      connection(
        rs.rules.filter((r) => !args.type || upper(r.type) === args.type),
        args,
        (r) => gRule(v, repo, rs, r)
      )
    ),
    bypassActors: (args) => {
      // Only repository admins may see who can bypass a ruleset.
      if (actorRole(v, repo) !== 'admin') return null;
      return connection(rs.bypass_actors, args, (a) => ({
        id: nodeId('RBA', stableId('bypass', `${rs.id}/${a.actor_type}/${a.actor_id}`)),
        bypassMode: a.bypass_mode === 'exempt' ? null : upper(a.bypass_mode ?? 'always'),
        organizationAdmin: a.actor_type === 'OrganizationAdmin',
        deployKey: a.actor_type === 'DeployKey',
        repositoryRoleDatabaseId: a.actor_type === 'RepositoryRole' ? a.actor_id : null,
        repositoryRoleName: null,
        actor: null,
        repositoryRuleset: () => gRuleset(v, repo, rs)
      }));
    }
  };
}

function gEnvironment(v, repo, env) {
  const rules = [];
  const rule = (type, extra) => {
    const id = stableId('protection_rule', `${repo.full_name}/${env.name}/${type.toLowerCase()}`);
    rules.push({
      databaseId: id,
      type,
      timeout: 0,
      preventSelfReview: null,
      reviewers: (args) => connection([], args, (x) => x),
      ...extra
    });
  };
  if (env.wait_timer > 0) rule('WAIT_TIMER', { timeout: env.wait_timer });
  if (env.reviewers.length) {
    rule('REQUIRED_REVIEWERS', {
      preventSelfReview: env.prevent_self_review,
      reviewers: (args) =>
        connection(env.reviewers, args, (r) => {
          if (r.type === 'User') return gActor(v, r.login);
          const org = lookup(v.world.orgs, r.org);
          return gTeam(v, org, org.teams[r.slug]);
        })
    });
  }
  if (env.deployment_branch_policy) rule('BRANCH_POLICY', {});
  return {
    __typename: 'Environment',
    id: env.node_id,
    databaseId: env.id,
    name: env.name,
    isPinned: false,
    pinnedPosition: null,
    latestCompletedDeployment: null,
    protectionRules: (args) => connection(rules, args, (r) => r)
  };
}

const pullState = (p) => (p.merged_at ? 'MERGED' : upper(p.state));

function labelsOf(v, repo, names) {
  return (args) =>
    connection(names, args, (name) => ({
      id: nodeId('LA', stableId('label', `${repo.full_name}/${name}`)),
      name,
      color: 'ededed',
      description: null
    }));
}

function gComment(v, repo, item, c) {
  const kind = repo.pulls.includes(item) ? 'pull' : 'issues';
  return {
    __typename: 'IssueComment',
    id: c.node_id,
    databaseId: c.id,
    body: c.body,
    author: () => gActor(v, c.user),
    authorAssociation: authorAssociation(v.world, repo, c.user, c.author_association),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    url: `${v.base}/${repo.full_name}/${kind}/${item.number}#issuecomment-${c.id}`
  };
}

function issueCommon(v, repo, it, kind) {
  const url = `${v.base}/${repo.full_name}/${kind}/${it.number}`;
  return {
    id: it.node_id,
    databaseId: it.id,
    number: it.number,
    title: it.title,
    body: it.body ?? '',
    author: () => gActor(v, it.user),
    authorAssociation: itemAssociation(v, repo, it),
    createdAt: it.created_at,
    updatedAt: it.updated_at,
    closedAt: it.closed_at,
    closed: it.state === 'closed',
    locked: it.locked,
    url,
    resourcePath: `/${repo.full_name}/${kind}/${it.number}`,
    repository: () => gRepo(v, repo),
    labels: labelsOf(v, repo, it.labels),
    comments: (args) => connection(it.comments, args, (c) => gComment(v, repo, it, c))
  };
}

function gIssue(v, repo, issue) {
  return {
    __typename: 'Issue',
    ...issueCommon(v, repo, issue, 'issues'),
    state: upper(issue.state),
    stateReason: upper(issue.state_reason)
  };
}

function gPull(v, repo, pr) {
  const headRepo = lookup(v.world.repos, pr.head.repo);
  return {
    __typename: 'PullRequest',
    ...issueCommon(v, repo, pr, 'pull'),
    permalink: `${v.base}/${repo.full_name}/pull/${pr.number}`,
    state: pullState(pr),
    merged: Boolean(pr.merged_at),
    mergedAt: pr.merged_at,
    mergedBy: () => gActor(v, pr.merged_by),
    isDraft: pr.draft,
    headRefName: pr.head.ref,
    headRefOid: pr.head.sha,
    baseRefName: pr.base.ref,
    baseRefOid: pr.base.sha,
    isCrossRepository: pr.head.repo.toLowerCase() !== repo.full_name.toLowerCase(),
    headRepository: () => (headRepo && canSeeRepo(v, headRepo) ? gRepo(v, headRepo) : null),
    headRepositoryOwner: () => gActor(v, pr.head.repo.split('/')[0]),
    baseRepository: () => gRepo(v, repo),
    additions: pr.additions,
    deletions: pr.deletions,
    changedFiles: pr.changed_files,
    // Pending reviews are seen only by their author.
    reviews: takes(['states', 'author'], (args) =>
      connection(
        pr.reviews.filter(
          (r) =>
            (r.state !== 'PENDING' || r.user.toLowerCase() === v.actor.login?.toLowerCase()) &&
            (!args.states || args.states.includes(r.state)) &&
            (!args.author || r.user.toLowerCase() === args.author.toLowerCase())
        ),
        args,
        (r) => gReview(v, repo, pr, r)
      )
    ),
    // The head's commits that the base does not have, oldest first.
    commits: (args) => {
      const base = new Set(history(repo, pr.base.sha).map((c) => c.sha));
      const own = history(repo, pr.head.sha)
        .filter((c) => !base.has(c.sha))
        .reverse();
      return connection(own, args, (c) => ({
        __typename: 'PullRequestCommit',
        id: nodeId('PURC', stableId('pull_commit', `${repo.full_name}#${pr.number}/${c.sha}`)),
        commit: gCommit(v, repo, c),
        url: `${v.base}/${repo.full_name}/pull/${pr.number}/commits/${c.sha}`,
        resourcePath: `/${repo.full_name}/pull/${pr.number}/commits/${c.sha}`,
        pullRequest: () => gPull(v, repo, pr)
      }));
    }
  };
}

/** A review; `authorCanPushToRepository` is the reviewer's push access now, as GitHub answers it. */
function gReview(v, repo, pr, r) {
  return {
    __typename: 'PullRequestReview',
    id: r.node_id,
    databaseId: r.id,
    author: () => gActor(v, r.user),
    authorAssociation: authorAssociation(v.world, repo, r.user, null),
    authorCanPushToRepository: roleAtLeast(repoRole(v.world, repo, r.user), 'push'),
    state: r.state,
    body: r.body,
    submittedAt: r.submitted_at,
    createdAt: r.submitted_at ?? pr.created_at,
    url: `${v.base}/${repo.full_name}/pull/${pr.number}#pullrequestreview-${r.id}`,
    resourcePath: `/${repo.full_name}/pull/${pr.number}#pullrequestreview-${r.id}`,
    pullRequest: () => gPull(v, repo, pr),
    repository: () => gRepo(v, repo)
  };
}

function gRelease(v, repo, rel) {
  const sha = resolveCommit(repo, rel.tag_name);
  return {
    __typename: 'Release',
    id: rel.node_id,
    databaseId: rel.id,
    name: rel.name,
    tagName: rel.tag_name,
    description: rel.body,
    isDraft: rel.draft,
    isPrerelease: rel.prerelease,
    isLatest: latestRelease(repo) === rel,
    createdAt: rel.created_at,
    publishedAt: rel.published_at,
    url: `${v.base}/${repo.full_name}/releases/tag/${rel.tag_name}`,
    resourcePath: `/${repo.full_name}/releases/tag/${rel.tag_name}`,
    author: () => gActor(v, rel.author ?? repo.owner),
    tagCommit: () => (sha ? gCommit(v, repo, findCommit(repo, sha)) : null),
    releaseAssets: takes(['name'], (args) =>
      connection(
        rel.assets.filter((a) => !args.name || a.name === args.name),
        args,
        (a) => ({
          id: a.node_id,
          databaseId: a.id,
          name: a.name,
          contentType: a.content_type,
          size: a.size,
          downloadCount: a.download_count,
          downloadUrl: `${v.base}/${repo.full_name}/releases/download/${rel.tag_name}/${encodeURIComponent(a.name)}`,
          createdAt: a.created_at,
          updatedAt: a.updated_at,
          uploadedBy: () => gActor(v, a.uploader ?? repo.owner)
        })
      )
    )
  };
}

function root(v, rate) {
  return {
    viewer: () => {
      if (v.actor.kind === 'app') throw typed('FORBIDDEN', notAccessibleMessage(v.actor));
      return gUser(v, accountOf(v.world, v.actor.login));
    },
    rateLimit: () => ({
      cost: rate.cost,
      limit: rate.bucket.limit,
      nodeCount: rate.nodeCount,
      remaining: rate.bucket.remaining,
      used: rate.bucket.used,
      resetAt: new Date(rate.bucket.reset * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    }),
    organization: takes(['login'], ({ login }) => {
      const org = lookup(v.world.orgs, login);
      if (!org) throw typed('NOT_FOUND', `Could not resolve to an Organization with the login of '${login}'.`);
      return gOrg(v, org);
    }),
    // followRenames (default true) has nothing to follow: the world has no renames.
    repository: takes(['owner', 'name', 'followRenames'], ({ owner, name }) => {
      const repo = lookup(v.world.repos, `${owner}/${name}`);
      if (!repo || !canSeeRepo(v, repo))
        throw typed('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return gRepo(v, repo);
    }),
    // Issue and pull request search (type ISSUE), GitHub's query language as search.mjs knows it; at most 1,000 results.
    search: takes(['query', 'type'], ({ query, type, ...args }) => {
      if (type !== 'ISSUE') throw new GraphQLError(`The fake GitHub does not implement search type ${type}`);
      let found;
      try {
        found = searchIssues(v.world, query, (repo) => canSeeRepo(v, repo));
      } catch (e) {
        if (e instanceof SearchQueryError)
          throw typed('INVALID_ARGUMENTS', `The fake GitHub does not implement ${e.message}`);
        throw e;
      }
      const conn = connection(found.hits.slice(0, 1000), args, ({ repo, item }) =>
        repo.pulls.includes(item) ? gPull(v, repo, item) : gIssue(v, repo, item)
      );
      return { ...conn, issueCount: found.hits.length };
    }),
    user: takes(['login'], ({ login }) => {
      const u = lookup(v.world.users, login);
      if (!u || u.type !== 'User')
        throw typed('NOT_FOUND', `Could not resolve to a User with the login of '${login}'.`);
      return gUser(v, u);
    })
  };
}

/**
 * Reads a field from a source object. A field the fake does not model, or an
 * argument it does not honour given a non-default value, is an error, not a null.
 */
function fieldResolver(source, args, _ctx, info) {
  const where = `${info.parentType.name}.${info.fieldName}`;
  if (source === null || typeof source !== 'object' || !(info.fieldName in source)) {
    throw new GraphQLError(`The fake GitHub does not implement ${where}`);
  }
  const value = source[info.fieldName];
  const handles = typeof value === 'function' ? (value.handles ?? []) : [];
  for (const arg of info.parentType.getFields()[info.fieldName].args) {
    if (PAGING.has(arg.name) || handles.includes(arg.name)) continue;
    if (args[arg.name] !== undefined && !isDeepStrictEqual(args[arg.name], arg.defaultValue)) {
      throw new GraphQLError(`The fake GitHub does not implement argument "${arg.name}" of ${where}`);
    }
  }
  return typeof value === 'function' ? value(args) : value;
}

/** GitHub's error shape: `type` (when GitHub sets one), path, locations, message. */
function formatError(e) {
  const out = {};
  if (e.extensions?.type) out.type = e.extensions.type;
  if (e.path) out.path = e.path;
  if (e.locations) out.locations = e.locations;
  out.message = e.message;
  return out;
}

/**
 * Parses, validates and analyses a request body; the caller charges `cost` before `run`.
 * @returns {{ errors: object[] } | { cost: number, nodeCount: number, run: (v: any, bucket: any) => Promise<object> }}
 */
export function prepareGraphQL(body) {
  if (typeof body?.query !== 'string')
    return { errors: [{ message: 'A query attribute must be specified and must be a string.' }] };
  let doc;
  try {
    doc = parse(body.query);
  } catch (e) {
    return { errors: [formatError(/** @type {GraphQLError} */ (e))] };
  }
  const invalid = validate(githubSchema, doc);
  if (invalid.length) return { errors: invalid.map(formatError) };
  const { errors, cost, nodeCount } = analyzeQuery(doc, body.operationName, body.variables ?? {});
  if (errors.length) return { errors };
  return {
    cost,
    nodeCount,
    run: async (v, bucket) => {
      const result = await execute({
        schema: githubSchema,
        document: doc,
        rootValue: root(v, { cost, nodeCount, bucket }),
        variableValues: body.variables,
        operationName: body.operationName,
        fieldResolver,
        typeResolver: (value) => value.__typename
      });
      return result.errors
        ? { data: result.data ?? null, errors: result.errors.map(formatError) }
        : { data: result.data };
    }
  };
}
