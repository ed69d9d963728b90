// The audit engine: pure over an injected GitHub client (GraphQL + REST) and a
// clock. Repository data comes from batched GraphQL; REST only where GraphQL
// has no field (org settings, 2FA filters, the repository list with its
// security settings and custom properties, Actions secrets, private
// vulnerability reporting, CodeQL default setup). Anything that could not be
// read becomes a NotChecked with the permission it needs, so a missing
// permission is never read as a pass.
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import {
  type Finding,
  type NotChecked,
  type Rule,
  SEVERITIES,
  type Severity,
  createFinding,
  describeApiError,
  isRateLimitError,
  oneLine,
  findUses,
  parseTomlFile,
  parseYamlFile
} from '@security-actions/core';
import { REGISTRY, RULES } from './rules';
import { type PyPIIO, packageState, projectName } from './pypi';
import { publishWorkflowFindings, publishes } from './publish';
import { type RepoListing, type Workflow, securityFeatures } from './features';
import { listAll, orgChecks } from './org';
import { inactivity } from './people';
import { ORG_POLICY, REPO_FIELDS, type RepoData, TEAMS, repoBatchQuery } from './queries';

export interface GraphQLError {
  message: string;
  type?: string;
  path?: (string | number)[];
}

export interface AuditIO {
  /** Resolves with data and errors (GitHub's partial answers included); rejects only when nothing came back. */
  graphql(
    query: string,
    variables: Record<string, unknown>
  ): Promise<{ data?: Record<string, unknown> | null; errors?: GraphQLError[] }>;
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

/** A custom property value that marks a repository (`value` may list several). */
export interface PropertyMatch {
  property: string;
  value: string | string[];
}

export interface AuditConfig {
  exemptions: Exemption[];
  /** Repositories whose custom property matches are not audited (`exempt`) or have their findings raised one severity (`critical`). */
  customProperties: { exempt?: PropertyMatch; critical?: PropertyMatch };
  /** App slugs (lower case) approved to be installed on all repositories with write access. */
  allowedApps: string[];
  /** Repository globs whose default branch must require signed commits; empty: not checked. */
  requireSignedCommits: string[];
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
  customProperties: {},
  allowedApps: [],
  requireSignedCommits: [],
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
export type AccessSnapshot = Record<
  string,
  {
    people?: string[];
    secrets?: { name: string; updatedAt: string }[];
    deployKeys?: { title: string; createdAt: string }[];
    /** People who lost write access, and since when, while something they could reach is not rotated yet. */
    removed?: { login: string; since: string }[];
  }
>;

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
  signaturesRequired: boolean;
}

/** Union of classic protection and active rulesets for one branch; undefined when neither source was readable. */
export function branchProtection(
  repo: RepoData,
  branch: string,
  readable: { classic: boolean; rulesets: boolean }
): Protection | 'unknown' {
  const p: Protection = {
    protected: false,
    reviews: 0,
    forcePushBlocked: false,
    deletionBlocked: false,
    signaturesRequired: false
  };
  if (readable.classic) {
    const rules = repo.branchProtectionRules?.nodes ?? [];
    const exact = rules.find((r) => r.pattern === branch);
    const rule = exact ?? rules.find((r) => globToRegExp(r.pattern).test(branch));
    if (rule) {
      p.protected = true;
      p.reviews = Math.max(p.reviews, rule.requiresApprovingReviews ? (rule.requiredApprovingReviewCount ?? 0) : 0);
      p.forcePushBlocked ||= !rule.allowsForcePushes;
      p.deletionBlocked ||= !rule.allowsDeletions;
      p.signaturesRequired ||= !!rule.requiresCommitSignatures;
    }
  }
  if (readable.rulesets) {
    const ref = `refs/heads/${branch}`;
    const isDefault = branch === repo.defaultBranchRef?.name;
    const matches = (pat: string) =>
      pat === '~ALL' || (pat === '~DEFAULT_BRANCH' && isDefault) || globToRegExp(pat).test(ref);
    for (const rs of repo.rulesets?.nodes ?? []) {
      if (rs.enforcement !== 'ACTIVE' || (rs.target ?? 'BRANCH') !== 'BRANCH') continue;
      const include = rs.conditions?.refName?.include ?? [];
      const exclude = rs.conditions?.refName?.exclude ?? [];
      if (!include.some(matches) || exclude.some(matches)) continue;
      for (const rule of rs.rules?.nodes ?? []) {
        p.protected = true;
        if (rule.type === 'NON_FAST_FORWARD') p.forcePushBlocked = true;
        if (rule.type === 'DELETION') p.deletionBlocked = true;
        if (rule.type === 'REQUIRED_SIGNATURES') p.signaturesRequired = true;
        if (rule.type === 'PULL_REQUEST')
          p.reviews = Math.max(p.reviews, rule.parameters?.requiredApprovingReviewCount ?? 0);
      }
    }
  }
  // One readable source showing nothing says nothing about the other.
  if (!p.protected && !(readable.classic && readable.rulesets)) return 'unknown';
  return p;
}

const isExpired = (e: Exemption, today: string) => !!e.expires && e.expires < today;

/** One severity higher, for findings on repositories marked critical. */
const raise = (s: Severity): Severity => SEVERITIES[Math.min(SEVERITIES.indexOf(s) + 1, SEVERITIES.length - 1)];

const propertyMatches = (listing: RepoListing, m: PropertyMatch | undefined): boolean => {
  if (!m) return false;
  const v = listing.custom_properties?.[m.property];
  const wanted = (Array.isArray(m.value) ? m.value : [m.value]).map((x) => x.toLowerCase());
  return (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && wanted.includes(x.toLowerCase()));
};

export async function audit(api: AuditIO, opts: AuditOptions): Promise<AuditResult> {
  const { org, config } = opts;
  // A rate-limit refusal anywhere (organization checks included) means this run is partial: say so once.
  let outOfBudget = false;
  const noteLimit = (e: unknown): never => {
    if (isRateLimitError(e)) outOfBudget = true;
    throw e;
  };
  const io: AuditIO = {
    ...api,
    request: (route, params) => api.request(route, params).catch(noteLimit),
    graphql: (q, v) => api.graphql(q, v).catch(noteLimit)
  };
  const today = opts.now.toISOString().slice(0, 10);
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const notes: string[] = [];
  const rows = new Map<string, RepoRow>();
  const critical = new Set<string>();
  const reserve = opts.reserve ?? 50;
  const batchSize = opts.batchSize ?? 20;
  const limit = pLimit(opts.concurrency ?? 4);
  // REST calls of all batches share one bound, under GitHub's 100 concurrent requests.
  const restLimit = pLimit(8);

  const exemptionFor = (repo: string | undefined, check: string): Exemption | undefined =>
    config.exemptions.find(
      (e) => (!repo ? e.repo === '*' : globToRegExp(e.repo).test(repo)) && (!e.check || e.check === check)
    );
  const expiredNoted = new Set<Exemption>();
  const add: Add = (rule, repo, input) => {
    const severity = repo && critical.has(repo) ? raise(input.severity ?? rule.severity) : input.severity;
    let f = createFinding(rule, {
      ...input,
      severity,
      key: `${repo ?? org}\0${input.key ?? input.message}`,
      properties: {
        org,
        ...(repo ? { repo } : {}),
        ...(repo && critical.has(repo) ? { critical: true } : {}),
        ...input.properties
      }
    });
    const ex = exemptionFor(repo, rule.id);
    if (ex && isExpired(ex, today)) {
      if (!expiredNoted.has(ex))
        notes.push(
          `The exemption for ${ex.repo}${ex.check ? ` (${ex.check})` : ''} expired on ${ex.expires}; its findings are reported again.`
        );
      expiredNoted.add(ex);
    } else if (ex) {
      f = {
        ...f,
        suppression: {
          kind: 'external',
          reason: ex.reason,
          expires: ex.expires,
          source: `config: access-audit.exemptions (${ex.repo})`
        }
      };
    }
    findings.push(f);
    if (repo && rows.has(repo) && !f.suppression) rows.get(repo)!.findings++;
  };
  const skip: Skip = (check, reason, target) => {
    notChecked.push({ check, reason, target });
    if (target && rows.has(target)) rows.get(target)!.notChecked++;
  };

  const fatal = await orgChecks({ io, org, config, now: opts.now, inactiveDays: opts.inactiveDays, add, skip, notes });
  if (fatal) {
    skip('access-audit', `nothing audited: ${fatal}`, org);
    return {
      rules: REGISTRY.list(),
      findings,
      notChecked,
      notes,
      repos: [],
      audited: 0,
      skipped: 0,
      listed: 0,
      access: {},
      target: org
    };
  }
  if (!opts.pypi) skip('pypi/*', 'not checked: no PyPI URL given', org);
  if (!config.requireSignedCommits.length)
    notes.push('Signed commits are not checked: no repositories listed in access-audit.require-signed-commits.');

  // Repository list (REST: it carries the security settings and custom properties), then the filters.
  const names: RepoListing[] = [];
  try {
    await listAll<RepoListing>(
      io,
      'GET /orgs/{org}/repos',
      { org, type: 'all', sort: 'full_name', direction: 'asc' },
      undefined,
      names
    );
  } catch (e) {
    // The repositories listed so far are still audited; the rest are named as unknown.
    skip(
      'repositories',
      `the repository list stopped after ${names.length} repositories (the others were not audited): ${describeApiError(e, 'metadata: read')}`,
      org
    );
  }
  const configured = config.customProperties.exempt || config.customProperties.critical;
  if (configured && names.length && names.every((r) => r.custom_properties === undefined)) {
    skip(
      'org/custom-properties',
      'not checked: GitHub returned no custom_properties with the repositories (needs a GitHub version with custom properties)',
      org
    );
  }
  const filters = opts.repositories.map(globToRegExp);
  let otherShards = 0;
  const selected: RepoListing[] = [];
  for (const r of names) {
    const exempt = exemptionFor(r.name, '*');
    if (opts.shard && !inShard(r.name, opts.shard)) otherShards++;
    else if ((r.archived && !opts.includeArchived) || (r.fork && !opts.includeForks)) continue;
    else if (filters.length && !filters.some((f) => f.test(r.name))) continue;
    else if (exempt && !isExpired(exempt, today)) {
      notes.push(
        `${r.name}: exempt from the audit (${exempt.reason}${exempt.expires ? `, until ${exempt.expires}` : ''}).`
      );
    } else if (propertyMatches(r, config.customProperties.exempt)) {
      notes.push(
        `${r.name}: exempt from the audit by its custom property ${config.customProperties.exempt!.property}.`
      );
    } else {
      if (propertyMatches(r, config.customProperties.critical)) critical.add(r.name);
      selected.push(r);
    }
  }
  for (const r of selected) rows.set(r.name, { repo: r.name, findings: 0, notChecked: 0 });
  const listing = new Map(selected.map((r) => [r.name, r]));

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
  const committers = new Set<string>();
  let historyComplete = true;
  let audited = 0;
  const since = new Date(opts.now.getTime() - opts.inactiveDays * 86_400_000).toISOString();
  const batches: string[][] = [];
  const order = selected.map((r) => r.name);
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));

  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        const left = io.remaining();
        if (outOfBudget || (left !== undefined && left < reserve + batch.length)) {
          outOfBudget = true;
          for (const n of batch)
            skip('repository', 'not audited: the API rate budget ran out before this repository', n);
          return;
        }
        let answer: Awaited<ReturnType<AuditIO['graphql']>>;
        const vars: Record<string, unknown> = { org };
        batch.forEach((n, i) => (vars[`n${i}`] = n));
        const ask = () =>
          io.graphql(
            repoBatchQuery(batch.length, new Set(omitted.keys())),
            omitted.has('activity') ? vars : { ...vars, since }
          );
        try {
          answer = await ask();
          // Fields the token cannot read: drop them and ask again. GitHub may name only the first
          // failing field of a repository (a non-null field's error nulls the whole object), so
          // repeat while new ones appear; every field is dropped at most once per run.
          for (;;) {
            const fresh = (answer.errors ?? []).filter(
              (e) => typeof e.path?.[1] === 'string' && REPO_FIELDS[e.path[1]] && !omitted.has(e.path[1] as string)
            );
            if (!fresh.length) break;
            for (const e of fresh) omitted.set(e.path![1] as string, e);
            answer = await ask();
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
              skip(
                'repository',
                `not audited: ${errs[0]?.message ?? (answer.errors?.[0]?.message || 'missing from the answer')}`,
                name
              );
              return;
            }
            const failed = (field: string) => omitted.get(field) ?? errs.find((e) => e.path?.[1] === field);
            const history = repo.activity?.target?.history?.nodes;
            if (failed('activity') || (repo.defaultBranchRef && !history)) historyComplete = false;
            for (const c of history ?? []) {
              for (const login of [c.author?.user?.login, c.committer?.user?.login])
                if (login) committers.add(login.toLowerCase());
            }
            await auditRepo(io, org, repo, listing.get(name)!, failed, {
              now: opts.now,
              add,
              skip,
              config,
              orgPolicy,
              elevated,
              limit: restLimit,
              teams,
              pypi: opts.pypi,
              access
            });
            audited++;
          })
        );
      })
    )
  );
  if (outOfBudget) {
    notes.push(
      'The API rate budget ran out: what is listed as "not audited" or "not checked" because of the rate limit was not checked this run.'
    );
  }

  await inactivity(
    io,
    { org, now: opts.now, inactiveDays: opts.inactiveDays, elevated, committers, historyComplete },
    add,
    skip,
    notes
  );
  if (opts.previous) changes(opts.previous, access, (repo) => rows.has(repo), add, skip, notes);
  else skip('people/removed-rotate-secrets', 'not checked: no previous report given (input previous-report)', org);

  return {
    rules: REGISTRY.list(),
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

export type Add = (rule: Rule, repo: string | undefined, input: Parameters<typeof createFinding>[1]) => void;
export type Skip = (check: string, reason: string, target?: string) => void;

interface RepoContext {
  now: Date;
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

async function auditRepo(
  io: AuditIO,
  org: string,
  repo: RepoData,
  listing: RepoListing,
  failed: (field: string) => GraphQLError | undefined,
  c: RepoContext
): Promise<void> {
  const name: string = repo.name;
  const { add, skip, config } = c;
  const why = (field: string, permission: string) => `not checked: needs ${permission} (${failed(field)!.message})`;

  // Protection: default branch and release branches, classic ∪ rulesets.
  const readable = { classic: !failed('branchProtectionRules'), rulesets: !failed('rulesets') };
  const branches = [
    repo.defaultBranchRef?.name,
    ...(failed('releaseBranches') ? [] : (repo.releaseBranches?.nodes ?? []).map((n) => n.name))
  ].filter(
    (b: string | undefined): b is string => !!b && (b === repo.defaultBranchRef?.name || /^(release|maint)/i.test(b))
  );
  for (const branch of [...new Set(branches)]) {
    const p = branchProtection(repo, branch, readable);
    if (p === 'unknown') {
      skip(
        RULES.branchUnprotected.id,
        `not checked for ${branch}: neither classic protection nor rulesets were readable (needs administration: read)`,
        name
      );
      continue;
    }
    const props = { branch };
    if (!p.protected) {
      add(RULES.branchUnprotected, name, {
        message: `${name}: branch ${branch} has no branch protection and no active ruleset.`,
        key: branch,
        properties: props
      });
      continue;
    }
    if (p.reviews < 1)
      add(RULES.noReview, name, {
        message: `${name}: branch ${branch} does not require an approving review.`,
        key: branch,
        properties: props
      });
    if (!p.forcePushBlocked)
      add(RULES.forcePush, name, {
        message: `${name}: force pushes to ${branch} are allowed.`,
        key: branch,
        properties: props
      });
    if (!p.deletionBlocked)
      add(RULES.deletion, name, {
        message: `${name}: branch ${branch} can be deleted.`,
        key: branch,
        properties: props
      });
    // Signed commits only where the organization asked for them (SPEC 8 calls them advisory).
    if (
      branch === repo.defaultBranchRef?.name &&
      !p.signaturesRequired &&
      config.requireSignedCommits.some((g) => globToRegExp(g).test(name))
    ) {
      if (readable.classic && readable.rulesets)
        add(RULES.signedCommits, name, {
          message: `${name}: branch ${branch} does not require signed commits.`,
          key: branch,
          properties: props
        });
      else
        skip(
          RULES.signedCommits.id,
          `not checked for ${branch}: classic protection or rulesets were not readable (needs administration: read)`,
          name
        );
    }
  }

  // Tag rulesets.
  if (readable.rulesets) {
    const tagRules = (repo.rulesets?.nodes ?? []).filter(
      (rs) =>
        rs.enforcement === 'ACTIVE' &&
        rs.target === 'TAG' &&
        (rs.rules?.nodes ?? []).some((r) => ['UPDATE', 'DELETION'].includes(r.type))
    );
    if (!tagRules.length)
      add(RULES.tagsUnprotected, name, {
        message: `${name}: no active tag ruleset restricts updating or deleting tags.`
      });
  } else skip(RULES.tagsUnprotected.id, why('rulesets', 'metadata: read'), name);

  // People: admins/maintainers, outside collaborators with write.
  if (failed('collaborators') || !repo.collaborators) {
    skip(
      RULES.singleAdmin.id,
      failed('collaborators') ? why('collaborators', 'metadata: read') : 'not checked: collaborators not returned',
      name
    );
  } else {
    const edges = repo.collaborators.edges ?? [];
    const humans = edges.flatMap((e) =>
      e.node && HUMAN(e.node.login) ? [{ login: e.node.login, permission: e.permission }] : []
    );
    const admins = humans.filter((e) => e.permission === 'ADMIN').map((e) => e.login);
    const keyHolders = humans.filter((e) => ELEVATED.has(e.permission)).map((e) => e.login);
    for (const l of keyHolders) c.elevated.set(l, [...(c.elevated.get(l) ?? []), name]);
    const snap = (c.access[name] ??= {});
    snap.people = humans
      .filter((e) => WRITE_OR_MORE.has(e.permission))
      .map((e) => e.login)
      .sort();
    if (keyHolders.length < 2) {
      add(RULES.singleAdmin, name, {
        message: `${name}: ${keyHolders.length === 0 ? 'nobody' : `only ${keyHolders[0]}`} holds admin or maintain.`,
        properties: { admins: keyHolders }
      });
    } else if (admins.length > config.maxAdmins) {
      add(RULES.tooManyAdmins, name, {
        message: `${name}: ${admins.length} people hold admin (more than ${config.maxAdmins}).`,
        properties: { admins }
      });
    }
  }
  if (failed('outside') || !repo.outside)
    skip(RULES.outsideWrite.id, failed('outside') ? why('outside', 'metadata: read') : 'not checked', name);
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
  if (failed('deployKeys') || !repo.deployKeys)
    skip(
      RULES.deployKeyWrite.id,
      failed('deployKeys') ? why('deployKeys', 'administration: read') : 'not checked',
      name
    );
  else {
    (c.access[name] ??= {}).deployKeys = (repo.deployKeys.nodes ?? []).map((k) => ({
      title: k.title,
      createdAt: k.createdAt
    }));
    for (const k of repo.deployKeys.nodes ?? []) {
      const props = { title: k.title, createdAt: k.createdAt };
      if (!k.readOnly) {
        add(RULES.deployKeyWrite, name, {
          message: `${name}: deploy key "${k.title}" (added ${String(k.createdAt).slice(0, 10)}) can push.`,
          key: k.title,
          properties: props
        });
      } else if (Date.parse(k.createdAt) < c.now.getTime() - 365 * 86_400_000) {
        add(RULES.deployKeyOld, name, {
          message: `${name}: read-only deploy key "${k.title}" was added on ${String(k.createdAt).slice(0, 10)}, more than a year ago.`,
          key: k.title,
          properties: props
        });
      }
    }
  }

  // Release environments.
  if (failed('environments') || !repo.environments)
    skip(RULES.envNoReviewers.id, failed('environments') ? why('environments', 'actions: read') : 'not checked', name);
  else {
    for (const env of repo.environments.nodes ?? []) {
      if (!config.releaseEnvironments.test(env.name)) continue;
      const rules = env.protectionRules?.nodes ?? [];
      const props = { environment: env.name };
      const reviewRule = rules.find((r) => r.type === 'REQUIRED_REVIEWERS');
      if (!reviewRule)
        add(RULES.envNoReviewers, name, {
          message: `${name}: environment ${env.name} has no required reviewers.`,
          key: env.name,
          properties: props
        });
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
          skip(
            RULES.envSingleReviewer.id,
            `not checked for ${env.name}: the members of a reviewing team were not readable (needs members: read)`,
            name
          );
        } else if (people.size < 2) {
          add(RULES.envSingleReviewer, name, {
            message: `${name}: environment ${env.name} has ${people.size} distinct human reviewer${people.size === 1 ? '' : 's'}.`,
            key: env.name,
            properties: props
          });
        }
        if (!reviewRule.preventSelfReview)
          add(RULES.envSelfReview, name, {
            message: `${name}: environment ${env.name} lets the person who started a run approve it.`,
            key: env.name,
            properties: props
          });
      }
      if (!rules.some((r) => r.type === 'BRANCH_POLICY')) {
        add(RULES.envAnyBranch, name, {
          message: `${name}: environment ${env.name} accepts deployments from any branch.`,
          key: env.name,
          properties: props
        });
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

  const workflows = readWorkflows(repo, failed, c);
  publishWorkflows(name, workflows ?? [], c);
  await securityFeatures(repo, listing, workflows, failed, { io, org, add, skip, limit: c.limit });

  if (c.pypi) await auditPackages(c.pypi, org, repo, failed, c);

  // Actions secrets: names only; GraphQL has no field for them.
  try {
    const { data } = (await c.limit(() =>
      io.request('GET /repos/{owner}/{repo}/actions/secrets', { owner: org, repo: name, per_page: 100 })
    )) as {
      data: { secrets?: { name: string; created_at: string; updated_at?: string }[] };
    };
    (c.access[name] ??= {}).secrets = (data.secrets ?? []).map((s) => ({
      name: s.name,
      updatedAt: s.updated_at ?? s.created_at
    }));
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

/**
 * The default branch's workflow files, fetched with the repository (no request
 * of their own) and parsed once for every check that reads them; undefined
 * when the token cannot read contents. A file that cannot be read or parsed is
 * listed as not checked, naming file and line.
 */
function readWorkflows(
  repo: RepoData,
  failed: (field: string) => GraphQLError | undefined,
  c: RepoContext
): Workflow[] | undefined {
  const name = repo.name;
  const err = failed('workflows');
  if (err) {
    c.skip(PUBLISH_CHECK, `not checked: needs contents: read (${err.message})`, name);
    return undefined;
  }
  const out: Workflow[] = [];
  for (const entry of repo.workflows?.entries ?? []) {
    if (entry.type !== 'blob' || !/\.ya?ml$/.test(entry.name)) continue;
    const file = `.github/workflows/${entry.name}`;
    const blob = entry.object;
    if (!blob || typeof blob.text !== 'string' || blob.isBinary || blob.isTruncated) {
      c.skip(
        PUBLISH_CHECK,
        `not checked for ${file}: GitHub returned no text${blob?.isTruncated ? ' (truncated)' : blob?.isBinary ? ' (binary)' : ''}`,
        name
      );
      continue;
    }
    try {
      const y = parseYamlFile(blob.text, file);
      out.push({ file, y, uses: findUses(y) });
    } catch (e) {
      c.skip(PUBLISH_CHECK, `not checked: ${oneLine(e)}`, name);
      out.push({ file, error: oneLine(e) });
    }
  }
  return out;
}

/**
 * The publish/* rules over a repository's workflow files. A workflow that
 * calls a local reusable workflow which publishes is itself a publishing
 * workflow (its triggers start the release), so the set of publishing files
 * is grown until it is stable (GitHub nests reusable workflows at most four
 * levels deep).
 */
function publishWorkflows(name: string, workflows: Workflow[], c: RepoContext): void {
  const parsed = workflows.filter((w): w is Workflow & { y: NonNullable<Workflow['y']> } => !!w.y);
  const publishers = new Set<string>();
  for (let depth = 0; depth <= 4; depth++) {
    const before = publishers.size;
    for (const w of parsed) if (publishes(w.y, publishers)) publishers.add(w.file);
    if (publishers.size === before) break;
  }
  for (const w of parsed.filter((x) => publishers.has(x.file))) {
    for (const { rule, input } of publishWorkflowFindings(w.file, w.y, publishers).issues)
      c.add(rule, name, { ...input, message: `${name}: ${input.message}` });
  }
}

async function auditPackages(
  pypi: PyPIIO,
  org: string,
  repo: RepoData,
  failed: (field: string) => GraphQLError | undefined,
  c: RepoContext
): Promise<void> {
  const name = repo.name;
  let packages = c.config.packages[name];
  if (!packages) {
    if (failed('pyproject'))
      return c.skip('pypi/*', 'not checked: pyproject.toml not readable (needs contents: read)', name);
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
      c.add(RULES.pypiSingleOwner, name, {
        message: `${name}: PyPI package ${pkg} has ${state.owners.length} owner${state.owners.length === 1 ? '' : 's'} and no PyPI organization.`,
        key: pkg,
        properties: props
      });
    }
    const p = state.publisher;
    if (!p) {
      c.add(RULES.pypiNoProvenance, name, {
        message: `${name}: the latest release of ${pkg} (${state.version ?? 'no version'}) has no provenance.`,
        key: pkg,
        properties: props
      });
      continue;
    }
    const problems: string[] = [];
    if (p.kind !== 'GitHub' || (p.repository ?? '').toLowerCase() !== `${org}/${name}`.toLowerCase())
      problems.push(`published from ${p.kind ?? '?'} ${p.repository ?? '?'}`);
    if (!p.environment) problems.push('published without an environment');
    else if (envs && !envs.has(p.environment))
      problems.push(`environment ${p.environment} does not exist in the repository`);
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
 * the previous run (the removal happened after it): SPEC 6 says to rotate
 * them. A removal stays in the snapshot, and its finding in every report,
 * until each of those secrets has been updated and each key replaced.
 */
function changes(
  previous: NonNullable<AuditOptions['previous']>,
  now: AccessSnapshot,
  inScope: (repo: string) => boolean,
  add: Add,
  skip: Skip,
  notes: string[]
): void {
  for (const [repo, before] of Object.entries(previous.access)) {
    const after = now[repo];
    if (!after) {
      // In this run's scope but not audited (rate budget, an error): keep what the previous run knew for the next one.
      // Another shard's repositories are that shard's to carry.
      if (inScope(repo)) now[repo] = before;
      continue;
    }
    const pending = new Map((before.removed ?? []).map((r) => [r.login.toLowerCase(), r]));
    if (after.people && before.people) {
      const current = new Set(after.people.map((p) => p.toLowerCase()));
      for (const p of before.people)
        if (!current.has(p.toLowerCase()) && !pending.has(p.toLowerCase()))
          pending.set(p.toLowerCase(), { login: p, since: previous.finishedAt });
    }
    // Someone who has write access again needs no rotation on their account.
    for (const p of after.people ?? []) pending.delete(p.toLowerCase());
    if (!pending.size) continue;
    if (!after.secrets || !after.deployKeys) {
      skip(
        RULES.accessRemoved.id,
        `not checked: ${[...pending.values()].map((r) => r.login).join(', ')} lost write access, but the secrets or deploy keys to rotate were not readable`,
        repo
      );
      after.removed = [...pending.values()];
      continue;
    }
    const still: { login: string; since: string }[] = [];
    for (const r of pending.values()) {
      const secrets = after.secrets.filter((x) => x.updatedAt < r.since);
      const keys = after.deployKeys.filter((k) => k.createdAt < r.since);
      if (!secrets.length && !keys.length) {
        notes.push(
          `${r.login} no longer has write access to ${repo} (since ${r.since.slice(0, 10)}); no secret or deploy key there predates the removal.`
        );
        continue;
      }
      still.push(r);
      const what = [
        ...secrets.map((x) => `secret ${x.name} (updated ${x.updatedAt.slice(0, 10)})`),
        ...keys.map((k) => `deploy key "${k.title}" (added ${k.createdAt.slice(0, 10)})`)
      ];
      add(RULES.accessRemoved, repo, {
        message: `${repo}: ${r.login} lost write access after ${r.since.slice(0, 10)}; rotate ${what.join(', ')}.`,
        key: `${r.login}/${r.since}`,
        properties: {
          login: r.login,
          since: r.since,
          secrets: secrets.map((x) => x.name),
          deployKeys: keys.map((k) => k.title)
        }
      });
    }
    if (still.length) after.removed = still;
  }
}

async function teamMembers(io: AuditIO, org: string): Promise<Map<string, string[]> | undefined> {
  const out = new Map<string, string[]>();
  try {
    let after: string | null = null;
    do {
      const { data } = await io.graphql(TEAMS, { org, after });
      type Page = {
        nodes: { slug: string; members: { nodes: { login: string }[] } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      const conn = (data?.organization as { teams?: Page } | null)?.teams;
      if (!conn) return undefined;
      for (const t of conn.nodes)
        out.set(
          t.slug,
          t.members.nodes.map((m) => m.login)
        );
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    return out;
  } catch {
    return undefined;
  }
}
