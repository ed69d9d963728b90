// The audit engine: pure over an injected GitHub client (GraphQL + REST) and a
// clock. Repository data comes from batched GraphQL; REST only where GraphQL
// has no field (org settings, 2FA filters, Actions secrets). Anything that
// could not be read becomes a NotChecked with the permission it needs, so a
// missing permission is never read as a pass.
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { type Finding, type NotChecked, type Rule, createFinding, describeApiError, oneLine, parseTomlFile } from '@security-actions/core';
import { ALL_RULES, RULES } from './rules';
import { type PyPIIO, packageState, projectName } from './pypi';
import { publishWorkflowFindings } from './publish';
import { type ContributionsData, LIST_REPOS, ORG_POLICY, REPO_FIELDS, type RepoData, TEAMS, activityQuery, repoBatchQuery } from './queries';

export interface GraphQLError {
  message: string;
  type?: string;
  path?: (string | number)[];
}

export interface AuditIO {
  /** Resolves with data and errors (GitHub's partial answers included); rejects only when nothing came back. */
  graphql(query: string, variables: Record<string, unknown>): Promise<{ data?: Record<string, unknown> | null; errors?: GraphQLError[] }>;
  /** An Octokit `request`: resolves with `{ data }`, rejects with an error carrying `status`. */
  request(route: string, params?: Record<string, unknown>): Promise<{ data: unknown }>;
  /** Requests left in the REST core budget, when known. */
  remaining(): number | undefined;
}

export interface Exemption {
  repo: string;
  check?: string;
  reason: string;
  expires?: string;
}

export interface AuditConfig {
  exemptions: Exemption[];
  maxOwners: number;
  maxAdmins: number;
  /** Secret names (regular expressions) that look like long-lived publish tokens. */
  tokenSecretPatterns: RegExp[];
  releaseEnvironments: RegExp;
  /** Repository name → PyPI packages published from it; repositories not listed are discovered from pyproject.toml. */
  packages: Record<string, string[]>;
}

export const DEFAULT_AUDIT_CONFIG: AuditConfig = {
  exemptions: [],
  maxOwners: 5,
  maxAdmins: 5,
  tokenSecretPatterns: [/PYPI/i, /TWINE/i, /(^|_)API_?TOKEN$/i, /ANACONDA/i, /CONDA_TOKEN/i],
  releaseEnvironments: /^(pypi|testpypi|release|releases|publish|deploy)/i,
  packages: {}
};

export interface AuditOptions {
  org: string;
  /** Globs of repository names; empty: all. */
  repositories: string[];
  includeArchived: boolean;
  includeForks: boolean;
  inactiveDays: number;
  shard?: { index: number; count: number };
  now: Date;
  config: AuditConfig;
  /** The previous run's access snapshot and when it was taken; absent: changes are not reported. */
  previous?: { finishedAt: string; access: AccessSnapshot };
  /** PyPI, for package owners and provenance; absent: those checks are not run. */
  pypi?: PyPIIO;
  /** Stop auditing repositories when fewer REST requests than this are left. */
  reserve?: number;
  batchSize?: number;
  concurrency?: number;
}

/** Repository → people with write or more, and the secrets and deploy keys there (for the next run's comparison). */
// A list is absent when it was not readable, so absence never reads as "nothing to rotate".
export type AccessSnapshot = Record<string, { people?: string[]; secrets?: { name: string; updatedAt: string }[]; deployKeys?: { title: string; createdAt: string }[] }>;

/** One row of the dashboard table. */
export interface RepoRow {
  repo: string;
  findings: number;
  notChecked: number;
}

export interface AuditResult {
  rules: Rule[];
  findings: Finding[];
  notChecked: NotChecked[];
  notes: string[];
  repos: RepoRow[];
  audited: number;
  /** Repositories of this run's scope (its shard) not audited: archived, forks, filtered, exempt, failed or out of budget. */
  skipped: number;
  /** All repositories of the organization. */
  listed: number;
  target: string;
  access: AccessSnapshot;
}

/** Checks this version does not perform; listed in every report so silence is never read as a pass. */
export const NOT_IMPLEMENTED = [
  'org/fork-pr-approval',
  'org/github-apps',
  'org/fine-grained-tokens',
  'org/webhooks',
  'org/custom-properties',
  'repo/security-features',
  'repo/self-hosted-runners',
  'repo/signed-commits',
];

/** The NotChecked name of the publish/* rules as a group. */
export const PUBLISH_CHECK = 'repo/publish-workflow';

const HUMAN = (login: string) => !/\[bot\]$/i.test(login);
const ELEVATED = new Set(['ADMIN', 'MAINTAIN']);
const WRITE_OR_MORE = new Set(['WRITE', 'MAINTAIN', 'ADMIN']);

/** fnmatch as GitHub applies it to ref names: `*` stays inside a path segment, `**` crosses them. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function inShard(name: string, shard: { index: number; count: number }): boolean {
  const h = createHash('sha256').update(name.toLowerCase()).digest().readUInt32BE(0);
  return h % shard.count === shard.index - 1;
}

interface Protection {
  protected: boolean;
  reviews: number;
  forcePushBlocked: boolean;
  deletionBlocked: boolean;
}

/** Union of classic protection and active rulesets for one branch; undefined when neither source was readable. */
export function branchProtection(repo: RepoData, branch: string, readable: { classic: boolean; rulesets: boolean }): Protection | 'unknown' {
  const p: Protection = { protected: false, reviews: 0, forcePushBlocked: false, deletionBlocked: false };
  if (readable.classic) {
    const rules = repo.branchProtectionRules?.nodes ?? [];
    const exact = rules.find((r) => r.pattern === branch);
    const rule = exact ?? rules.find((r) => globToRegExp(r.pattern).test(branch));
    if (rule) {
      p.protected = true;
      p.reviews = Math.max(p.reviews, rule.requiresApprovingReviews ? (rule.requiredApprovingReviewCount ?? 0) : 0);
      p.forcePushBlocked ||= !rule.allowsForcePushes;
      p.deletionBlocked ||= !rule.allowsDeletions;
    }
  }
  if (readable.rulesets) {
    const ref = `refs/heads/${branch}`;
    const isDefault = branch === repo.defaultBranchRef?.name;
    const matches = (pat: string) => pat === '~ALL' || (pat === '~DEFAULT_BRANCH' && isDefault) || globToRegExp(pat).test(ref);
    for (const rs of repo.rulesets?.nodes ?? []) {
      if (rs.enforcement !== 'ACTIVE' || (rs.target ?? 'BRANCH') !== 'BRANCH') continue;
      const include = rs.conditions?.refName?.include ?? [];
      const exclude = rs.conditions?.refName?.exclude ?? [];
      if (!include.some(matches) || exclude.some(matches)) continue;
      for (const rule of rs.rules?.nodes ?? []) {
        p.protected = true;
        if (rule.type === 'NON_FAST_FORWARD') p.forcePushBlocked = true;
        if (rule.type === 'DELETION') p.deletionBlocked = true;
        if (rule.type === 'PULL_REQUEST') p.reviews = Math.max(p.reviews, rule.parameters?.requiredApprovingReviewCount ?? 0);
      }
    }
  }
  // One readable source showing nothing says nothing about the other.
  if (!p.protected && !(readable.classic && readable.rulesets)) return 'unknown';
  return p;
}

const isExpired = (e: Exemption, today: string) => !!e.expires && e.expires < today;

export async function audit(io: AuditIO, opts: AuditOptions): Promise<AuditResult> {
  const { org, config } = opts;
  const today = opts.now.toISOString().slice(0, 10);
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const notes: string[] = [];
  const rows = new Map<string, RepoRow>();
  const reserve = opts.reserve ?? 50;
  const batchSize = opts.batchSize ?? 20;
  const limit = pLimit(opts.concurrency ?? 4);
  // REST calls of all batches share one bound, under GitHub's 100 concurrent requests.
  const restLimit = pLimit(8);

  const exemptionFor = (repo: string | undefined, check: string): Exemption | undefined =>
    config.exemptions.find((e) => (!repo ? e.repo === '*' : globToRegExp(e.repo).test(repo)) && (!e.check || e.check === check));
  const expiredNoted = new Set<Exemption>();
  const add = (rule: Rule, repo: string | undefined, input: Parameters<typeof createFinding>[1]) => {
    let f = createFinding(rule, { ...input, key: `${repo ?? org}\0${input.key ?? input.message}`, properties: { org, ...(repo ? { repo } : {}), ...input.properties } });
    const ex = exemptionFor(repo, rule.id);
    if (ex && isExpired(ex, today)) {
      if (!expiredNoted.has(ex)) notes.push(`The exemption for ${ex.repo}${ex.check ? ` (${ex.check})` : ''} expired on ${ex.expires}; its findings are reported again.`);
      expiredNoted.add(ex);
    } else if (ex) {
      f = { ...f, suppression: { kind: 'external', reason: ex.reason, expires: ex.expires, source: `config: access-audit.exemptions (${ex.repo})` } };
    }
    findings.push(f);
    if (repo && rows.has(repo) && !f.suppression) rows.get(repo)!.findings++;
  };
  const skip = (check: string, reason: string, target?: string) => {
    notChecked.push({ check, reason, target });
    if (target && rows.has(target)) rows.get(target)!.notChecked++;
  };

  const fatal = await orgChecks(io, org, config, add, skip);
  if (fatal) {
    skip('access-audit', `nothing audited: ${fatal}`, org);
    return { rules: ALL_RULES, findings, notChecked, notes, repos: [], audited: 0, skipped: 0, listed: 0, access: {}, target: org };
  }
  for (const check of NOT_IMPLEMENTED) skip(check, 'not implemented in this version of access-audit', org);
  if (!opts.pypi) skip('pypi/*', 'not checked: no PyPI URL given', org);

  // Repository list: cheap names-only pages, then the filters.
  const names: { name: string; isArchived: boolean; isFork: boolean }[] = [];
  try {
    let after: string | null = null;
    do {
      const { data, errors } = await io.graphql(LIST_REPOS, { org, after });
      const conn = (data?.organization as { repositories?: { nodes: typeof names; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null)?.repositories;
      if (!conn) throw new Error(errors?.[0]?.message ?? 'no repositories in the answer');
      names.push(...conn.nodes);
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
  } catch (e) {
    // The repositories listed so far are still audited; the rest are named as unknown.
    skip('repositories', `the repository list stopped after ${names.length} repositories (the others were not audited): ${describeApiError(e, 'metadata: read')}`, org);
  }
  const filters = opts.repositories.map(globToRegExp);
  let otherShards = 0;
  const selected: string[] = [];
  for (const r of names) {
    const exempt = exemptionFor(r.name, '*');
    if (opts.shard && !inShard(r.name, opts.shard)) otherShards++;
    else if ((r.isArchived && !opts.includeArchived) || (r.isFork && !opts.includeForks)) continue;
    else if (filters.length && !filters.some((f) => f.test(r.name))) continue;
    else if (exempt && !isExpired(exempt, today)) {
      notes.push(`${r.name}: exempt from the audit (${exempt.reason}${exempt.expires ? `, until ${exempt.expires}` : ''}).`);
    } else selected.push(r.name);
  }
  for (const n of selected) rows.set(n, { repo: n, findings: 0, notChecked: 0 });

  // Org-wide SECURITY.md fallback (GitHub shows the org's .github policy on every repository).
  let orgPolicy: boolean | undefined;
  try {
    const { data } = await io.graphql(ORG_POLICY, { org });
    orgPolicy = !!(data?.repository as { object?: unknown } | null)?.object;
  } catch {
    orgPolicy = undefined;
  }

  const teams = await teamMembers(io, org);
  const omitted = new Map<string, GraphQLError>();
  const access: AccessSnapshot = {};
  const elevated = new Map<string, string[]>(); // login → repos where they hold admin/maintain
  let audited = 0;
  let outOfBudget = false;
  const batches: string[][] = [];
  for (let i = 0; i < selected.length; i += batchSize) batches.push(selected.slice(i, i + batchSize));

  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        const left = io.remaining();
        if (outOfBudget || (left !== undefined && left < reserve + batch.length)) {
          outOfBudget = true;
          for (const n of batch) skip('repository', 'not audited: the API rate budget ran out before this repository', n);
          return;
        }
        let answer: Awaited<ReturnType<AuditIO['graphql']>>;
        try {
          const vars: Record<string, unknown> = { org };
          batch.forEach((n, i) => (vars[`n${i}`] = n));
          answer = await io.graphql(repoBatchQuery(batch.length, new Set(omitted.keys())), vars);
          // Fields the token cannot read: drop them and ask again, once per new field.
          const fresh = (answer.errors ?? []).filter((e) => typeof e.path?.[1] === 'string' && REPO_FIELDS[e.path[1]] && !omitted.has(e.path[1] as string));
          if (fresh.length) {
            for (const e of fresh) omitted.set(e.path![1] as string, e);
            answer = await io.graphql(repoBatchQuery(batch.length, new Set(omitted.keys())), vars);
          }
        } catch (e) {
          for (const n of batch) skip('repository', `not audited: ${describeApiError(e)}`, n);
          return;
        }
        await Promise.all(
          batch.map(async (name, i) => {
            const repo = answer.data?.[`r${i}`] as RepoData | null | undefined;
            const errs = (answer.errors ?? []).filter((e) => e.path?.[0] === `r${i}`);
            if (!repo) {
              skip('repository', `not audited: ${errs[0]?.message ?? (answer.errors?.[0]?.message || 'missing from the answer')}`, name);
              return;
            }
            const failed = (field: string) => omitted.get(field) ?? errs.find((e) => e.path?.[1] === field);
            await auditRepo(io, org, repo, failed, { add, skip, config, orgPolicy, elevated, limit: restLimit, teams, pypi: opts.pypi, access });
            audited++;
          })
        );
      })
    )
  );
  if (outOfBudget) notes.push('The API rate budget ran out: the repositories listed as "not audited" were not checked this run.');

  await inactivity(io, opts, elevated, add, skip);
  if (opts.previous) changes(opts.previous, access, add, skip, notes);
  else skip('people/removed-rotate-secrets', 'not checked: no previous report given (input previous-report)', org);

  return {
    rules: ALL_RULES,
    findings,
    notChecked,
    notes,
    repos: [...rows.values()],
    audited,
    skipped: names.length - otherShards - audited,
    listed: names.length,
    access,
    target: opts.shard ? `${org} (shard ${opts.shard.index}/${opts.shard.count})` : org
  };
}

type Add = (rule: Rule, repo: string | undefined, input: Parameters<typeof createFinding>[1]) => void;
type Skip = (check: string, reason: string, target?: string) => void;

async function pages(io: AuditIO, route: string, params: Record<string, unknown>): Promise<{ login: string }[]> {
  const out: { login: string }[] = [];
  for (let page = 1; ; page++) {
    const data = (await io.request(route, { ...params, per_page: 100, page })).data as { login: string }[];
    out.push(...data);
    if (data.length < 100) return out;
  }
}

/** Returns why the organization cannot be audited at all (API unreachable, no such org), or undefined. */
async function orgChecks(io: AuditIO, org: string, config: AuditConfig, add: Add, skip: Skip): Promise<string | undefined> {
  let ownerView = false;
  try {
    const data = (await io.request('GET /orgs/{org}', { org })).data as { two_factor_requirement_enabled?: boolean; default_repository_permission?: string };
    ownerView = typeof data.two_factor_requirement_enabled === 'boolean';
    // Owner-only fields are simply absent for other callers.
    if (typeof data.two_factor_requirement_enabled !== 'boolean') {
      skip(RULES.orgTwoFactor.id, 'not checked: needs organization administration: read (GitHub returned no two_factor_requirement_enabled)', org);
    } else if (!data.two_factor_requirement_enabled) {
      add(RULES.orgTwoFactor, undefined, { message: `${org} does not require two-factor authentication.` });
    }
    if (typeof data.default_repository_permission !== 'string') {
      skip(RULES.defaultPermission.id, 'not checked: needs organization administration: read (GitHub returned no default_repository_permission)', org);
    } else if (['write', 'admin'].includes(data.default_repository_permission)) {
      add(RULES.defaultPermission, undefined, { message: `${org} gives every member ${data.default_repository_permission} on every repository.` });
    }
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === undefined || status === 401) return describeApiError(e);
    if (status === 404) return `organization ${org} not found (or not visible to the token)`;
    skip(RULES.orgTwoFactor.id, `not checked: ${describeApiError(e, 'organization administration: read')}`, org);
    skip(RULES.defaultPermission.id, `not checked: ${describeApiError(e, 'organization administration: read')}`, org);
  }

  try {
    const policy = (await io.request('GET /orgs/{org}/actions/permissions', { org })).data as { allowed_actions?: string; sha_pinning_required?: boolean };
    if (policy.allowed_actions === 'all') add(RULES.actionsAllAllowed, undefined, { message: `${org} lets workflows use any action from any owner.` });
    if (policy.sha_pinning_required === false) add(RULES.actionsShaPinning, undefined, { message: `${org} does not require actions pinned to a full commit SHA.` });
    else if (policy.sha_pinning_required === undefined) skip(RULES.actionsShaPinning.id, 'not checked: GitHub did not return sha_pinning_required', org);
  } catch (e) {
    for (const r of [RULES.actionsAllAllowed, RULES.actionsShaPinning]) skip(r.id, `not checked: ${describeApiError(e, 'organization administration: read')}`, org);
  }
  try {
    const wf = (await io.request('GET /orgs/{org}/actions/permissions/workflow', { org })).data as { default_workflow_permissions: string; can_approve_pull_request_reviews: boolean };
    if (wf.default_workflow_permissions === 'write') add(RULES.actionsTokenWrite, undefined, { message: `${org} gives workflows a read-write GITHUB_TOKEN by default.` });
    if (wf.can_approve_pull_request_reviews) add(RULES.actionsApprovePrs, undefined, { message: `${org} lets GitHub Actions create and approve pull requests.` });
  } catch (e) {
    for (const r of [RULES.actionsTokenWrite, RULES.actionsApprovePrs]) skip(r.id, `not checked: ${describeApiError(e, 'organization administration: read')}`, org);
  }

  try {
    // Without members: read GitHub lists public members only, which would undercount owners:
    // trust the list only when an owner-only field or a members-only route was readable.
    if (!ownerView) await io.request('GET /orgs/{org}/teams', { org, per_page: 1 });
    const owners = (await pages(io, 'GET /orgs/{org}/members', { org, role: 'admin' })).map((m) => m.login as string);
    if (owners.length < 2) add(RULES.tooFewOwners, undefined, { message: `${org} has ${owners.length} owner${owners.length === 1 ? '' : 's'}.` });
    else if (owners.length > config.maxOwners) {
      add(RULES.tooManyOwners, undefined, { message: `${org} has ${owners.length} owners (more than ${config.maxOwners}).`, properties: { owners } });
    }
  } catch (e) {
    skip(RULES.tooFewOwners.id, `not checked: ${describeApiError(e, 'members: read')}`, org);
  }

  for (const [filter, rule] of [
    ['2fa_disabled', RULES.memberNo2fa],
    ['2fa_insecure', RULES.memberInsecure2fa]
  ] as const) {
    for (const [route, who] of [
      ['GET /orgs/{org}/members', 'member'],
      ['GET /orgs/{org}/outside_collaborators', 'outside collaborator']
    ] as const) {
      try {
        for (const m of await pages(io, route, { org, filter })) {
          add(rule, undefined, {
            message: `${who} ${m.login} ${filter === '2fa_disabled' ? 'has no two-factor authentication' : 'uses SMS as second factor'}.`,
            key: `${filter}/${m.login}`,
            properties: { login: m.login }
          });
        }
      } catch (e) {
        const reason = (e as { status?: number }).status === 422 ? 'needs an organization owner (GitHub: only owners can use the 2FA filters)' : describeApiError(e, 'members: read');
        skip(rule.id, `not checked for ${who}s: ${reason}`, org);
      }
    }
  }
}

interface RepoContext {
  add: Add;
  skip: Skip;
  config: AuditConfig;
  orgPolicy: boolean | undefined;
  elevated: Map<string, string[]>;
  /** Team slug → up to two member logins; undefined when teams were unreadable. */
  teams: Map<string, string[]> | undefined;
  pypi?: PyPIIO;
  access: AccessSnapshot;
  limit: <T>(f: () => Promise<T>) => Promise<T>;
}

async function auditRepo(io: AuditIO, org: string, repo: RepoData, failed: (field: string) => GraphQLError | undefined, c: RepoContext): Promise<void> {
  const name: string = repo.name;
  const { add, skip, config } = c;
  const why = (field: string, permission: string) => `not checked: needs ${permission} (${failed(field)!.message})`;

  // Protection: default branch and release branches, classic ∪ rulesets.
  const readable = { classic: !failed('branchProtectionRules'), rulesets: !failed('rulesets') };
  const branches = [repo.defaultBranchRef?.name, ...(failed('releaseBranches') ? [] : (repo.releaseBranches?.nodes ?? []).map((n) => n.name))]
    .filter((b: string | undefined): b is string => !!b && (b === repo.defaultBranchRef?.name || /^(release|maint)/i.test(b)));
  for (const branch of [...new Set(branches)]) {
    const p = branchProtection(repo, branch, readable);
    if (p === 'unknown') {
      skip(RULES.branchUnprotected.id, `not checked for ${branch}: neither classic protection nor rulesets were readable (needs administration: read)`, name);
      continue;
    }
    const props = { branch };
    if (!p.protected) {
      add(RULES.branchUnprotected, name, { message: `${name}: branch ${branch} has no branch protection and no active ruleset.`, key: branch, properties: props });
      continue;
    }
    if (p.reviews < 1) add(RULES.noReview, name, { message: `${name}: branch ${branch} does not require an approving review.`, key: branch, properties: props });
    if (!p.forcePushBlocked) add(RULES.forcePush, name, { message: `${name}: force pushes to ${branch} are allowed.`, key: branch, properties: props });
    if (!p.deletionBlocked) add(RULES.deletion, name, { message: `${name}: branch ${branch} can be deleted.`, key: branch, properties: props });
  }

  // Tag rulesets.
  if (readable.rulesets) {
    const tagRules = (repo.rulesets?.nodes ?? []).filter(
      (rs) => rs.enforcement === 'ACTIVE' && rs.target === 'TAG' && (rs.rules?.nodes ?? []).some((r) => ['UPDATE', 'DELETION'].includes(r.type))
    );
    if (!tagRules.length) add(RULES.tagsUnprotected, name, { message: `${name}: no active tag ruleset restricts updating or deleting tags.` });
  } else skip(RULES.tagsUnprotected.id, why('rulesets', 'metadata: read'), name);

  // People: admins/maintainers, outside collaborators with write.
  if (failed('collaborators') || !repo.collaborators) {
    skip(RULES.singleAdmin.id, failed('collaborators') ? why('collaborators', 'metadata: read') : 'not checked: collaborators not returned', name);
  } else {
    const edges = repo.collaborators.edges ?? [];
    const humans = edges.flatMap((e) => (e.node && HUMAN(e.node.login) ? [{ login: e.node.login, permission: e.permission }] : []));
    const admins = humans.filter((e) => e.permission === 'ADMIN').map((e) => e.login);
    const keyHolders = humans.filter((e) => ELEVATED.has(e.permission)).map((e) => e.login);
    for (const l of keyHolders) c.elevated.set(l, [...(c.elevated.get(l) ?? []), name]);
    const snap = (c.access[name] ??= {});
    snap.people = humans.filter((e) => WRITE_OR_MORE.has(e.permission)).map((e) => e.login).sort();
    if (keyHolders.length < 2) {
      add(RULES.singleAdmin, name, {
        message: `${name}: ${keyHolders.length === 0 ? 'nobody' : `only ${keyHolders[0]}`} holds admin or maintain.`,
        properties: { admins: keyHolders }
      });
    } else if (admins.length > config.maxAdmins) {
      add(RULES.tooManyAdmins, name, { message: `${name}: ${admins.length} people hold admin (more than ${config.maxAdmins}).`, properties: { admins } });
    }
  }
  if (failed('outside') || !repo.outside) skip(RULES.outsideWrite.id, failed('outside') ? why('outside', 'metadata: read') : 'not checked', name);
  else {
    for (const e of repo.outside.edges ?? []) {
      if (e.node && WRITE_OR_MORE.has(e.permission)) {
        add(RULES.outsideWrite, name, {
          message: `${name}: outside collaborator ${e.node.login} has ${e.permission.toLowerCase()} access.`,
          key: e.node.login,
          properties: { login: e.node.login, permission: e.permission }
        });
      }
    }
  }

  // Deploy keys.
  if (failed('deployKeys') || !repo.deployKeys) skip(RULES.deployKeyWrite.id, failed('deployKeys') ? why('deployKeys', 'administration: read') : 'not checked', name);
  else {
    (c.access[name] ??= {}).deployKeys = (repo.deployKeys.nodes ?? []).map((k) => ({ title: k.title, createdAt: k.createdAt }));
    for (const k of repo.deployKeys.nodes ?? []) {
      if (!k.readOnly) {
        add(RULES.deployKeyWrite, name, {
          message: `${name}: deploy key "${k.title}" (added ${String(k.createdAt).slice(0, 10)}) can push.`,
          key: k.title,
          properties: { title: k.title, createdAt: k.createdAt }
        });
      }
    }
  }

  // Release environments.
  if (failed('environments') || !repo.environments) skip(RULES.envNoReviewers.id, failed('environments') ? why('environments', 'actions: read') : 'not checked', name);
  else {
    for (const env of repo.environments.nodes ?? []) {
      if (!config.releaseEnvironments.test(env.name)) continue;
      const rules = env.protectionRules?.nodes ?? [];
      const props = { environment: env.name };
      const reviewRule = rules.find((r) => r.type === 'REQUIRED_REVIEWERS');
      if (!reviewRule) add(RULES.envNoReviewers, name, { message: `${name}: environment ${env.name} has no required reviewers.`, key: env.name, properties: props });
      else {
        const people = new Set<string>();
        let unknownTeam = false;
        for (const r of reviewRule.reviewers?.nodes ?? []) {
          if (r.__typename === 'User' && HUMAN(r.login)) people.add(r.login.toLowerCase());
          if (r.__typename === 'Team') {
            const members = c.teams?.get(r.slug);
            if (!members) unknownTeam = true;
            for (const m of members ?? []) if (HUMAN(m)) people.add(m.toLowerCase());
          }
        }
        if (people.size < 2 && unknownTeam) {
          skip(RULES.envSingleReviewer.id, `not checked for ${env.name}: the members of a reviewing team were not readable (needs members: read)`, name);
        } else if (people.size < 2) {
          add(RULES.envSingleReviewer, name, { message: `${name}: environment ${env.name} has ${people.size} distinct human reviewer${people.size === 1 ? '' : 's'}.`, key: env.name, properties: props });
        }
        if (!reviewRule.preventSelfReview) add(RULES.envSelfReview, name, { message: `${name}: environment ${env.name} lets the person who started a run approve it.`, key: env.name, properties: props });
      }
      if (!rules.some((r) => r.type === 'BRANCH_POLICY')) {
        add(RULES.envAnyBranch, name, { message: `${name}: environment ${env.name} accepts deployments from any branch.`, key: env.name, properties: props });
      }
    }
  }

  // SECURITY.md, with the org .github fallback.
  const own = ['sec1', 'sec2', 'sec3'] as const;
  if (own.some((f) => repo[f])) {
    // present
  } else if (own.some((f) => failed(f)) || c.orgPolicy === undefined) {
    skip(RULES.noSecurityPolicy.id, 'not checked: needs contents: read', name);
  } else if (!c.orgPolicy) {
    add(RULES.noSecurityPolicy, name, { message: `${name}: no SECURITY.md in the repository or in ${org}/.github.` });
  }

  publishWorkflows(repo, failed, c);

  if (c.pypi) await auditPackages(c.pypi, org, repo, failed, c);

  // Actions secrets: names only; GraphQL has no field for them.
  try {
    const { data } = (await c.limit(() => io.request('GET /repos/{owner}/{repo}/actions/secrets', { owner: org, repo: name, per_page: 100 }))) as {
      data: { secrets?: { name: string; created_at: string; updated_at?: string }[] };
    };
    (c.access[name] ??= {}).secrets = (data.secrets ?? []).map((s) => ({ name: s.name, updatedAt: s.updated_at ?? s.created_at }));
    for (const s of data.secrets ?? []) {
      if (!config.tokenSecretPatterns.some((p) => p.test(s.name))) continue;
      add(RULES.longLivedToken, name, {
        message: `${name}: secret ${s.name} (last updated ${String(s.updated_at ?? s.created_at).slice(0, 10)}) looks like a long-lived publish token.`,
        key: s.name,
        properties: { secret: s.name, updatedAt: s.updated_at ?? s.created_at }
      });
    }
  } catch (e) {
    skip(RULES.longLivedToken.id, `not checked: ${describeApiError(e, 'secrets: read')}`, name);
  }
}

/** The publish/* rules over the default branch's workflow files (fetched with the repository, no request of their own). */
function publishWorkflows(repo: RepoData, failed: (field: string) => GraphQLError | undefined, c: RepoContext): void {
  const name = repo.name;
  const err = failed('workflows');
  if (err) return c.skip(PUBLISH_CHECK, `not checked: needs contents: read (${err.message})`, name);
  for (const entry of repo.workflows?.entries ?? []) {
    if (entry.type !== 'blob' || !/\.ya?ml$/.test(entry.name)) continue;
    const file = `.github/workflows/${entry.name}`;
    const blob = entry.object;
    if (!blob || typeof blob.text !== 'string' || blob.isBinary || blob.isTruncated) {
      c.skip(PUBLISH_CHECK, `not checked for ${file}: GitHub returned no text${blob?.isTruncated ? ' (truncated)' : blob?.isBinary ? ' (binary)' : ''}`, name);
      continue;
    }
    const { issues, error } = publishWorkflowFindings(file, blob.text);
    if (error) c.skip(PUBLISH_CHECK, `not checked: ${error}`, name);
    for (const { rule, input } of issues) c.add(rule, name, { ...input, message: `${name}: ${input.message}` });
  }
}

async function auditPackages(pypi: PyPIIO, org: string, repo: RepoData, failed: (field: string) => GraphQLError | undefined, c: RepoContext): Promise<void> {
  const name = repo.name;
  let packages = c.config.packages[name];
  if (!packages) {
    if (failed('pyproject')) return c.skip('pypi/*', 'not checked: pyproject.toml not readable (needs contents: read)', name);
    const text = repo.pyproject?.text;
    if (!text) return; // not a Python package, or not configured
    try {
      const pkg = projectName(parseTomlFile(text, `${name}/pyproject.toml`));
      packages = pkg ? [pkg] : [];
    } catch (e) {
      return c.skip('pypi/*', `not checked: ${oneLine(e)}`, name);
    }
  }
  const envs = failed('environments') ? undefined : new Set((repo.environments?.nodes ?? []).map((e) => e.name));
  for (const pkg of packages) {
    let state: Awaited<ReturnType<typeof packageState>>;
    try {
      state = await c.limit(() => packageState(pypi, pkg));
    } catch (e) {
      c.skip('pypi/*', `not checked for ${pkg}: ${oneLine(e)}`, name);
      continue;
    }
    if (state === 'not-found') {
      c.skip('pypi/*', `not checked: ${pkg} is not on PyPI`, name);
      continue;
    }
    const props = { package: pkg, version: state.version };
    if (state.owners.length < 2 && !state.organization) {
      c.add(RULES.pypiSingleOwner, name, { message: `${name}: PyPI package ${pkg} has ${state.owners.length} owner${state.owners.length === 1 ? '' : 's'} and no PyPI organization.`, key: pkg, properties: props });
    }
    const p = state.publisher;
    if (!p) {
      c.add(RULES.pypiNoProvenance, name, { message: `${name}: the latest release of ${pkg} (${state.version ?? 'no version'}) has no provenance.`, key: pkg, properties: props });
      continue;
    }
    const problems: string[] = [];
    if (p.kind !== 'GitHub' || (p.repository ?? '').toLowerCase() !== `${org}/${name}`.toLowerCase()) problems.push(`published from ${p.kind ?? '?'} ${p.repository ?? '?'}`);
    if (!p.environment) problems.push('published without an environment');
    else if (envs && !envs.has(p.environment)) problems.push(`environment ${p.environment} does not exist in the repository`);
    if (problems.length) {
      c.add(RULES.pypiPublisherMismatch, name, {
        message: `${name}: the latest release of ${pkg} (${state.version}) was ${problems.join('; ')} (workflow ${p.workflow ?? '?'}).`,
        key: pkg,
        properties: { ...props, publisher: p }
      });
    }
  }
}

/**
 * People who had write access at the previous run and no longer have it, per
 * repository audited both times, with the secrets and deploy keys older than
 * the previous run (the removal happened after it): SPEC 6 says to rotate them.
 */
function changes(previous: NonNullable<AuditOptions['previous']>, now: AccessSnapshot, add: Add, skip: Skip, notes: string[]): void {
  for (const [repo, before] of Object.entries(previous.access)) {
    const after = now[repo];
    // Not audited this run, or people unreadable now or then: nothing can be said.
    if (!after?.people || !before.people) continue;
    const current = new Set(after.people.map((p) => p.toLowerCase()));
    const lost = before.people.filter((p) => !current.has(p.toLowerCase()));
    if (!lost.length) continue;
    if (!after.secrets || !after.deployKeys) {
      skip(RULES.accessRemoved.id, `not checked: ${lost.join(', ')} lost write access, but the secrets or deploy keys to rotate were not readable`, repo);
      continue;
    }
    const secrets = after.secrets.filter((s) => s.updatedAt < previous.finishedAt);
    const keys = after.deployKeys.filter((k) => k.createdAt < previous.finishedAt);
    for (const login of lost) {
      if (!secrets.length && !keys.length) {
        notes.push(`${login} no longer has write access to ${repo} (since ${previous.finishedAt.slice(0, 10)}); no secret or deploy key there predates the removal.`);
        continue;
      }
      const what = [...secrets.map((s) => `secret ${s.name} (updated ${s.updatedAt.slice(0, 10)})`), ...keys.map((k) => `deploy key "${k.title}" (added ${k.createdAt.slice(0, 10)})`)];
      add(RULES.accessRemoved, repo, {
        message: `${repo}: ${login} lost write access after ${previous.finishedAt.slice(0, 10)}; rotate ${what.join(', ')}.`,
        key: `${login}/${what.join(',')}`,
        properties: { login, secrets: secrets.map((s) => s.name), deployKeys: keys.map((k) => k.title) }
      });
    }
  }
}

async function teamMembers(io: AuditIO, org: string): Promise<Map<string, string[]> | undefined> {
  const out = new Map<string, string[]>();
  try {
    let after: string | null = null;
    do {
      const { data } = await io.graphql(TEAMS, { org, after });
      type Page = { nodes: { slug: string; members: { nodes: { login: string }[] } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      const conn = (data?.organization as { teams?: Page } | null)?.teams;
      if (!conn) return undefined;
      for (const t of conn.nodes) out.set(t.slug, t.members.nodes.map((m) => m.login));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    return out;
  } catch {
    return undefined;
  }
}

async function inactivity(io: AuditIO, opts: AuditOptions, elevated: Map<string, string[]>, add: Add, skip: Skip): Promise<void> {
  const logins = [...elevated.keys()].sort();
  // GitHub answers contributions for at most one year per query.
  const days = Math.min(opts.inactiveDays, 365);
  const from = new Date(opts.now.getTime() - days * 86_400_000).toISOString();
  for (let i = 0; i < logins.length; i += 20) {
    const batch = logins.slice(i, i + 20);
    try {
      const vars: Record<string, unknown> = { from, to: opts.now.toISOString() };
      batch.forEach((l, j) => (vars[`u${j}`] = l));
      const { data, errors } = await io.graphql(activityQuery(batch.length), vars);
      batch.forEach((login, j) => {
        const c = (data?.[`u${j}`] as { contributionsCollection?: ContributionsData } | null | undefined)?.contributionsCollection;
        if (!c) {
          skip(RULES.inactive.id, `not checked: ${errors?.find((e) => e.path?.[0] === `u${j}`)?.message ?? 'no contribution data'}`, login);
          return;
        }
        const total =
          c.totalCommitContributions + c.totalIssueContributions + c.totalPullRequestContributions + c.totalPullRequestReviewContributions + c.restrictedContributionsCount;
        if (total === 0) {
          const repos = elevated.get(login)!;
          add(RULES.inactive, undefined, {
            message: `${login} holds admin or maintain on ${repos.length} repositor${repos.length === 1 ? 'y' : 'ies'} (${repos.slice(0, 5).join(', ')}${repos.length > 5 ? ', …' : ''}) and shows no contributions in the last ${days} days: possibly inactive.`,
            key: login,
            confidence: 'medium',
            properties: { login, repos }
          });
        }
      });
    } catch (e) {
      for (const login of batch) skip(RULES.inactive.id, `not checked: ${describeApiError(e)}`, login);
    }
  }
}

