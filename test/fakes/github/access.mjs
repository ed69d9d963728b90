// Who is calling and what they may see: token → actor, repository visibility,
// fine-grained permission checks. Shared by REST and GraphQL so both answer the
// same caller the same way.
import { lookup, repoRole } from './world.mjs';

/**
 * @typedef {object} Actor
 * @property {'anonymous'|'user'|'app'} kind  app: GitHub App installation token or GITHUB_TOKEN
 * @property {string} [login]
 * @property {Record<string,string>|null} [permissions]  fine-grained permissions (apps, fine-grained PATs)
 * @property {string[]|null} [scopes]  classic PAT scopes
 * @property {string[]|null} [repositories]  "owner/name" the token is limited to
 */

const LEVELS = ['read', 'write', 'admin'];

/**
 * The actor behind an Authorization header; undefined when the token is unknown
 * (GitHub answers 401 "Bad credentials"). Without world tokens any token acts as
 * the world's viewer with that user's own access.
 * @returns {Actor|undefined}
 */
export function resolveActor(world, authorization) {
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return { kind: 'anonymous' };
  if (!world.tokens) return { kind: 'user', login: world.viewer, permissions: null, scopes: null, repositories: null };
  const t = world.tokens[m[1]];
  if (!t) return undefined;
  return { kind: t.type, login: t.login, permissions: t.permissions, scopes: t.scopes, repositories: t.repositories };
}

/** Does a fine-grained permission set satisfy `spec` ("a=read; b=write": any one alternative)? */
export function grants(permissions, spec) {
  return spec.split(';').some((alt) =>
    alt
      .trim()
      .split(',')
      .every((need) => {
        const [name, level] = need.trim().split('=');
        // Every app and fine-grained token has metadata:read.
        const have = permissions[name] ?? (name === 'metadata' ? 'read' : undefined);
        return have !== undefined && LEVELS.indexOf(have) >= LEVELS.indexOf(level);
      })
  );
}

export const hasPermission = (actor, name, level) =>
  Boolean(actor.permissions && grants(actor.permissions, `${name}=${level}`));

/** The 403 message GitHub gives a fine-grained actor lacking a permission. */
export const notAccessibleMessage = (actor) =>
  `Resource not accessible by ${actor.kind === 'app' ? 'integration' : 'personal access token'}`;

function tokenCovers(actor, repo) {
  return !actor.repositories || actor.repositories.some((r) => r.toLowerCase() === repo.full_name.toLowerCase());
}

/** Private repositories are invisible (404) to anyone without access; GitHub does not reveal they exist. */
export function canSeeRepo(v, repo) {
  if (!repo.private) return true;
  const a = v.actor;
  if (a.kind === 'anonymous' || !tokenCovers(a, repo)) return false;
  if (a.kind === 'app') return true;
  if (a.scopes && !a.scopes.includes('repo')) return false;
  return repoRole(v.world, repo, a.login) !== null;
}

export function isOrgMember(v, org) {
  return v.actor.kind === 'user' && Boolean(lookup(org.members, v.actor.login));
}

export function isOrgOwner(v, org) {
  return v.actor.kind === 'user' && lookup(org.members, v.actor.login)?.role === 'admin';
}

/** Org owners, and apps with the Members permission, see everything about membership (2FA, concealed members). */
export const seesOrgMembership = (v, org) =>
  isOrgOwner(v, org) || (v.actor.kind === 'app' && hasPermission(v.actor, 'members', 'read'));

/** Secret teams are visible only to their members and to those who see all membership. */
export const canSeeTeam = (v, org, team) =>
  team.privacy !== 'secret' ||
  seesOrgMembership(v, org) ||
  (v.actor.kind === 'user' && Boolean(lookup(team.members, v.actor.login)));

/**
 * Whether the caller is shown a repository's `security_and_analysis`: GitHub reports it to
 * repository admins (org owners included); an app needs the repository Administration
 * permission, and a fine-grained PAT needs it on top of its owner's admin role.
 */
export function seesSecurityAndAnalysis(v, repo) {
  const a = v.actor;
  if (a.kind === 'anonymous' || !tokenCovers(a, repo)) return false;
  if (a.permissions && !grants(a.permissions, 'administration=read')) return false;
  if (a.kind === 'app') return true;
  if (a.scopes && repo.private && !a.scopes.includes('repo')) return false;
  return repoRole(v.world, repo, a.login) === 'admin';
}

/**
 * Applies a route's access rules before its handler runs. Returns null when allowed,
 * else `{ status, message }` for the error GitHub would send.
 * Route fields: `permission` (fine-grained spec), `public` (answers public data without it),
 * `auth: 'user'` (needs a user, not an app), `auth: 'app'` (GitHub Apps only, as for the
 * fine-grained PAT administration endpoints).
 */
export function authorize(v, route, { repo, method }) {
  const a = v.actor;
  if (repo && !canSeeRepo(v, repo)) return { status: 404, message: 'Not Found' };
  if (route.auth === 'user') {
    if (a.kind === 'anonymous') return { status: 401, message: 'Requires authentication' };
    if (a.kind === 'app') return { status: 403, message: notAccessibleMessage(a) };
  }
  if (route.auth === 'app') {
    if (a.kind === 'anonymous') return { status: 401, message: 'Requires authentication' };
    if (a.kind !== 'app') return { status: 403, message: notAccessibleMessage(a) };
  }
  if (!route.permission) return null;
  if (method === 'GET' && route.public && (!repo || !repo.private)) return null;
  if (a.kind === 'anonymous') return { status: 401, message: 'Requires authentication' };
  if (repo && !tokenCovers(a, repo)) return { status: 403, message: notAccessibleMessage(a) };
  if (a.permissions && !grants(a.permissions, route.permission))
    return { status: 403, message: notAccessibleMessage(a) };
  return null;
}
