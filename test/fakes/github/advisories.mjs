// Repository security advisories (private vulnerability reports, drafts,
// collaborators, CVE requests, temporary private forks) and the dependency
// graph's SPDX SBOM: representations and routes, kept apart from routes.mjs
// (owned elsewhere), which appends these routes; the world side is in
// advisory-world.mjs.
// Request bodies are held to the operation's OpenAPI requestBody schema: a
// body GitHub would refuse is refused (422), so a client the fake accepts is
// one GitHub accepts.
import { requestProblems } from './openapi.mjs';
import { canSeeRepo, hasPermission, isOrgOwner } from './access.mjs';
import { repoJson, simpleUser, teamJson } from './representations.mjs';
import { GitHubError } from './routes.mjs';
import { isoNow, lookup, orgOf, repoRole, stableId } from './world.mjs';
import { ghsaId, normalizeAdvisories, privateFork, vulnerability } from './advisory-world.mjs';

// ---------------------------------------------------------------------------
// Representations.

const API = (v, repo) => `${v.base}/repos/${repo.full_name}`;

/** schema: simple-repository (an advisory's private fork, a code security configuration's repositories). */
export function simpleRepoJson(v, repo) {
  const full = repoJson(v, repo);
  const keys = [
    'id',
    'node_id',
    'name',
    'full_name',
    'owner',
    'private',
    'html_url',
    'description',
    'fork',
    'url',
    ...Object.keys(full).filter(
      (k) => k.endsWith('_url') && !['git_url', 'ssh_url', 'clone_url', 'svn_url', 'mirror_url'].includes(k)
    )
  ];
  return Object.fromEntries(keys.map((k) => [k, full[k]]));
}

/** schema: repository-advisory. */
export function advisoryJson(v, repo, a) {
  const org = orgOf(v.world, repo);
  const fork = typeof a.private_fork === 'string' ? lookup(v.world.repos, a.private_fork) : null;
  return {
    ghsa_id: a.ghsa_id,
    cve_id: a.cve_id,
    url: `${API(v, repo)}/security-advisories/${a.ghsa_id}`,
    html_url: `${v.base}/${repo.full_name}/security/advisories/${a.ghsa_id}`,
    summary: a.summary,
    description: a.description,
    severity: a.severity,
    author: a.author ? simpleUser(v, a.author) : null,
    publisher: a.publisher ? simpleUser(v, a.publisher) : null,
    identifiers: [{ type: 'GHSA', value: a.ghsa_id }, ...(a.cve_id ? [{ type: 'CVE', value: a.cve_id }] : [])],
    state: a.state,
    created_at: a.created_at,
    updated_at: a.updated_at,
    published_at: a.published_at,
    closed_at: a.closed_at,
    withdrawn_at: a.withdrawn_at,
    submission: a.submission,
    vulnerabilities: a.vulnerabilities,
    cvss: a.cvss_vector_string ? { vector_string: a.cvss_vector_string, score: null } : null,
    cvss_severities: a.cvss_vector_string
      ? { cvss_v3: { vector_string: a.cvss_vector_string, score: null }, cvss_v4: null }
      : null,
    cwes: a.cwe_ids.map((id) => ({ cwe_id: id, name: id })),
    cwe_ids: a.cwe_ids,
    credits: a.credits.map((c) => ({ login: c.login, type: c.type })),
    credits_detailed: a.credits.map((c) => ({ user: simpleUser(v, c.login), type: c.type, state: 'accepted' })),
    collaborating_users: a.collaborating_users.map((l) => simpleUser(v, l)),
    collaborating_teams: org ? a.collaborating_teams.map((s) => teamJson(v, org, org.teams[s])) : [],
    private_fork: fork ? simpleRepoJson(v, fork) : null
  };
}

/** schema: dependency-graph-spdx-sbom. */
function sbomJson(v, repo) {
  const pkgs = repo.dependency_graph.packages.map((p, i) => {
    const purlType = p.ecosystem === 'pip' ? 'pypi' : p.ecosystem;
    const exact = p.version && /^[0-9]/.test(p.version);
    return {
      SPDXID: `SPDXRef-${p.ecosystem}-${p.name}-${i}`,
      name: `${p.ecosystem}:${p.name}`,
      versionInfo: p.version ?? '',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceLocator: `pkg:${purlType}/${p.name.toLowerCase()}${exact ? `@${encodeURIComponent(p.version)}` : ''}`,
          referenceType: 'purl'
        }
      ]
    };
  });
  const self = `SPDXRef-github-${repo.owner}-${repo.name}`;
  return {
    sbom: {
      SPDXID: 'SPDXRef-DOCUMENT',
      spdxVersion: 'SPDX-2.3',
      creationInfo: { created: isoNow(), creators: ['Tool: GitHub.com-Dependency-Graph'] },
      name: `com.github.${repo.full_name}`,
      dataLicense: 'CC0-1.0',
      documentNamespace: `${v.base}/${repo.full_name}/dependency_graph/sbom-${stableId('sbom', repo.full_name)}`,
      packages: [
        {
          SPDXID: self,
          name: `com.github.${repo.full_name}`,
          versionInfo: repo.default_branch,
          downloadLocation: `git+${v.base}/${repo.full_name}`,
          filesAnalyzed: false
        },
        ...pkgs
      ],
      relationships: pkgs.map((p) => ({
        relationshipType: 'DEPENDS_ON',
        spdxElementId: self,
        relatedSpdxElement: p.SPDXID
      }))
    }
  };
}

// ---------------------------------------------------------------------------
// Access.

/** Admins (org owners included) and apps holding the permission see every advisory of a repository. */
function managesAdvisories(v, repo, level) {
  const a = v.actor;
  if (a.kind === 'anonymous') return false;
  if (a.permissions) return hasPermission(a, 'repository_advisories', level);
  return repoRole(v.world, repo, a.login) === 'admin';
}

/** Published advisories of visible repositories are public; the rest only to managers and the advisory's collaborators and author. */
function seesAdvisory(v, repo, a) {
  if (a.state === 'published') return true;
  if (managesAdvisories(v, repo, 'read')) return true;
  const login = v.actor.login?.toLowerCase();
  return (
    Boolean(login) &&
    (a.author?.toLowerCase() === login || a.collaborating_users.some((u) => u.toLowerCase() === login))
  );
}

function find(ctx) {
  const a = ctx.repo.security_advisories.find((x) => x.ghsa_id.toLowerCase() === ctx.params.ghsa_id.toLowerCase());
  if (!a || !seesAdvisory(ctx.v, ctx.repo, a)) throw new GitHubError(404, 'Not Found');
  return a;
}

/** The body held to the operation's requestBody schema; GitHub refuses a body it does not describe. */
function validBody(ctx) {
  const body = ctx.body ?? {};
  const problems = requestProblems(ctx.route.method, ctx.route.path, body);
  if (problems.length) throw new GitHubError(422, `Invalid request.\n\n${problems[0]}`);
  return body;
}

// ---------------------------------------------------------------------------
// Handlers.

const SORT_KEYS = { created: 'created_at', updated: 'updated_at', published: 'published_at' };

/** Cursor pagination (`before`/`after`, `per_page`), as these endpoints page, with GitHub's Link header. */
function cursorList(ctx, items) {
  const state = ctx.query.get('state');
  if (state && !['triage', 'draft', 'published', 'closed'].includes(state))
    throw new GitHubError(422, 'Validation Failed', {
      errors: [{ resource: 'Advisory', field: 'state', code: 'invalid' }]
    });
  const key = SORT_KEYS[ctx.query.get('sort') ?? 'created'];
  if (!key)
    throw new GitHubError(422, 'Validation Failed', {
      errors: [{ resource: 'Advisory', field: 'sort', code: 'invalid' }]
    });
  const sign = (ctx.query.get('direction') ?? 'desc') === 'asc' ? 1 : -1;
  const rows = items
    .filter((r) => !state || r.a.state === state)
    .sort(
      (x, y) =>
        sign * String(x.a[key] ?? '').localeCompare(String(y.a[key] ?? '')) || x.a.ghsa_id.localeCompare(y.a.ghsa_id)
    );
  const { slice, headers } = cursorPage(ctx, rows);
  return { status: 200, headers, body: slice.map((r) => advisoryJson(ctx.v, r.repo, r.a)) };
}

/** The page of `rows` that `per_page` and the `before`/`after` cursors select, with GitHub's Link header. */
export function cursorPage(ctx, rows) {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30) || 30, 1), 100);
  const decode = (c) => (c ? Number(Buffer.from(c, 'base64url').toString()) : NaN);
  const after = decode(ctx.query.get('after'));
  const before = decode(ctx.query.get('before'));
  const start = Number.isInteger(after) ? after : Number.isInteger(before) ? Math.max(before - perPage, 0) : 0;
  const end = Number.isInteger(before) ? before : start + perPage;
  const slice = rows.slice(start, Math.min(end, start + perPage));
  const link = (rel, param, at) => {
    const q = new URLSearchParams(ctx.query);
    q.delete('after');
    q.delete('before');
    q.set(param, Buffer.from(String(at)).toString('base64url'));
    return `<${ctx.v.base}${ctx.url.pathname}?${q}>; rel="${rel}"`;
  };
  const links = [];
  if (start > 0) links.push(link('prev', 'before', start));
  if (start + slice.length < rows.length) links.push(link('next', 'after', start + slice.length));
  return { slice, headers: links.length ? { link: links.join(', ') } : {} };
}

const handlers = {
  orgAdvisories(ctx) {
    // Owners and security managers only; other users are answered as if the endpoint were not there.
    if (ctx.v.actor.kind === 'user' && !isOrgOwner(ctx.v, ctx.org)) throw new GitHubError(404, 'Not Found');
    const rows = Object.values(ctx.v.world.repos)
      .filter((r) => r.owner.toLowerCase() === ctx.org.login.toLowerCase() && canSeeRepo(ctx.v, r))
      .flatMap((repo) => repo.security_advisories.map((a) => ({ repo, a })));
    return cursorList(ctx, rows);
  },

  repoAdvisories: (ctx) =>
    cursorList(
      ctx,
      ctx.repo.security_advisories.filter((a) => seesAdvisory(ctx.v, ctx.repo, a)).map((a) => ({ repo: ctx.repo, a }))
    ),

  advisory: (ctx) => ({ status: 200, body: advisoryJson(ctx.v, ctx.repo, find(ctx)) }),

  createAdvisory(ctx) {
    if (!managesAdvisories(ctx.v, ctx.repo, 'write'))
      throw new GitHubError(403, 'You must be an admin or security manager to create an advisory.');
    const b = validBody(ctx);
    return create(ctx, b, { state: 'draft', accepted: undefined });
  },

  report(ctx) {
    if (!ctx.repo.private_vulnerability_reporting)
      throw new GitHubError(403, 'Private vulnerability reporting is not enabled for this repository.');
    const b = validBody(ctx);
    return create(ctx, b, {
      state: 'triage',
      accepted: false,
      credits: [{ login: ctx.v.actor.login, type: 'reporter' }]
    });
  },

  updateAdvisory(ctx) {
    const a = find(ctx);
    const login = ctx.v.actor.login?.toLowerCase();
    if (!managesAdvisories(ctx.v, ctx.repo, 'write') && !a.collaborating_users.some((u) => u.toLowerCase() === login))
      throw new GitHubError(403, 'You must be an admin, security manager or collaborator to update this advisory.');
    const b = validBody(ctx);
    const invalid = (field) =>
      new GitHubError(422, 'Validation Failed', { errors: [{ resource: 'Advisory', field, code: 'invalid' }] });
    for (const u of b.collaborating_users ?? [])
      if (!lookup(ctx.v.world.users, u)) throw invalid('collaborating_users');
    const org = orgOf(ctx.v.world, ctx.repo);
    for (const t of b.collaborating_teams ?? [])
      if (!org || !lookup(org.teams, t)) throw invalid('collaborating_teams');
    if (b.state !== undefined && b.state !== a.state) {
      // A report is accepted (draft) or closed; a draft is published or closed; a closed one reopens as a draft.
      const allowed = { triage: ['draft', 'closed'], draft: ['published', 'closed'], closed: ['draft'] }[a.state] ?? [];
      if (!allowed.includes(b.state)) throw invalid('state');
    }
    const now = isoNow();
    for (const k of ['summary', 'description', 'cve_id', 'severity', 'cvss_vector_string', 'cwe_ids', 'credits'])
      if (b[k] !== undefined) a[k] = b[k] ?? (k === 'cwe_ids' || k === 'credits' ? [] : null);
    if (b.vulnerabilities !== undefined)
      a.vulnerabilities = b.vulnerabilities.map((x, i) => vulnerability(x, `request vulnerabilities[${i}]`));
    if (b.collaborating_users !== undefined) a.collaborating_users = [...(b.collaborating_users ?? [])];
    if (b.collaborating_teams !== undefined) a.collaborating_teams = [...(b.collaborating_teams ?? [])];
    if (b.state !== undefined && b.state !== a.state) {
      if (a.state === 'triage' && b.state === 'draft') a.submission = { accepted: true };
      a.state = b.state;
      if (b.state === 'published') {
        a.published_at = now;
        a.publisher = ctx.v.actor.login;
      }
      a.closed_at = b.state === 'closed' ? now : null;
    }
    a.updated_at = now;
    return { status: 200, body: advisoryJson(ctx.v, ctx.repo, a) };
  },

  requestCve(ctx) {
    const a = find(ctx);
    if (!managesAdvisories(ctx.v, ctx.repo, 'write'))
      throw new GitHubError(403, 'You must be an admin or security manager to request a CVE.');
    if (ctx.repo.private) throw new GitHubError(422, 'A CVE cannot be requested for a private repository.');
    if (a.cve_id || a.cve_requested) throw new GitHubError(422, 'A CVE has already been requested for this advisory.');
    if (a.state !== 'draft') throw new GitHubError(422, 'A CVE can be requested only for a draft advisory.');
    a.cve_requested = true;
    a.updated_at = isoNow();
    return { status: 202, body: {} };
  },

  createFork(ctx) {
    const a = find(ctx);
    // Apps need administration: write besides the route's permission (checked with it); users must be admins.
    if (!managesAdvisories(ctx.v, ctx.repo, 'read'))
      throw new GitHubError(403, 'You must be an admin of the repository to create a temporary private fork.');
    if (!['draft', 'triage'].includes(a.state))
      throw new GitHubError(422, 'A temporary private fork can be created only for an unpublished advisory.');
    const fork = privateFork(ctx.v.world, ctx.repo, a);
    a.updated_at = isoNow();
    return { status: 202, body: repoJson(ctx.v, fork, { full: true }) };
  },

  sbom(ctx) {
    if (!ctx.repo.dependency_graph) throw new GitHubError(404, 'Dependency graph is not enabled for this repository.');
    return { status: 200, body: sbomJson(ctx.v, ctx.repo) };
  }
};

function create(ctx, b, { state, accepted, credits }) {
  const now = isoNow();
  const [a] = normalizeAdvisories(
    ctx.repo.full_name,
    [
      {
        ghsa_id: ghsaId(`${ctx.repo.full_name}@${now}#${ctx.repo.security_advisories.length}`),
        summary: b.summary,
        description: b.description ?? null,
        severity: b.severity ?? null,
        cve_id: b.cve_id ?? null,
        cvss_vector_string: b.cvss_vector_string ?? null,
        cwe_ids: b.cwe_ids ?? [],
        credits: credits ?? b.credits ?? [],
        vulnerabilities: b.vulnerabilities ?? [],
        state,
        accepted,
        author: ctx.v.actor.login,
        created_at: now
      }
    ],
    'request'
  );
  ctx.repo.security_advisories.push(a);
  if (b.start_private_fork) privateFork(ctx.v.world, ctx.repo, a);
  return {
    status: 201,
    headers: { location: `${API(ctx.v, ctx.repo)}/security-advisories/${a.ghsa_id}` },
    body: advisoryJson(ctx.v, ctx.repo, a)
  };
}

const DOCS = 'security-advisories/repository-advisories';

/** @type {import('./routes.mjs').Route[]} */
export const advisoryRoutes = [
  {
    method: 'GET',
    path: '/orgs/{org}/security-advisories',
    docs: `${DOCS}#list-repository-security-advisories-for-an-organization`,
    permission: 'repository_advisories=write',
    handler: handlers.orgAdvisories
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/security-advisories',
    docs: `${DOCS}#list-repository-security-advisories`,
    permission: 'repository_advisories=read',
    public: true,
    handler: handlers.repoAdvisories
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/security-advisories',
    docs: `${DOCS}#create-a-repository-security-advisory`,
    permission: 'repository_advisories=write',
    handler: handlers.createAdvisory
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/security-advisories/reports',
    docs: `${DOCS}#privately-report-a-security-vulnerability`,
    permission: 'repository_advisories=write',
    handler: handlers.report
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/security-advisories/{ghsa_id}',
    docs: `${DOCS}#get-a-repository-security-advisory`,
    permission: 'repository_advisories=read',
    public: true,
    handler: handlers.advisory
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/security-advisories/{ghsa_id}',
    docs: `${DOCS}#update-a-repository-security-advisory`,
    permission: 'repository_advisories=write',
    handler: handlers.updateAdvisory
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/security-advisories/{ghsa_id}/cve',
    docs: `${DOCS}#request-a-cve-for-a-repository-security-advisory`,
    permission: 'repository_advisories=write',
    handler: handlers.requestCve
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/security-advisories/{ghsa_id}/forks',
    docs: `${DOCS}#create-a-temporary-private-fork`,
    permission: 'repository_advisories=read, administration=write',
    handler: handlers.createFork
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/dependency-graph/sbom',
    docs: 'dependency-graph/sboms#export-a-software-bill-of-materials-sbom-for-a-repository',
    permission: 'contents=read',
    public: true,
    handler: handlers.sbom
  }
];
