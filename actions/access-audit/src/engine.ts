// The audit engine: pure over an injected GitHub client (GraphQL + REST) and a
// clock. It lists the repositories, reads them in GraphQL batches within the
// REST rate budget, and runs the checks of src/checks/ (organization checks
// once, repository checks per repository, then the checks over what the
// repositories gathered). Anything that could not be read becomes a
// NotChecked with the permission it needs, so a missing permission is never
// read as a pass.
import {
  type Finding,
  type NotChecked,
  SEVERITIES,
  type Severity,
  createFinding,
  describeApiError,
  isRateLimitError,
  pLimit
} from '@security-actions/core';
import { fetchBatch, inBatches, orgSecurityPolicy, repositoryOf, teamMembers } from './batch';
import { CHECKS } from './checks/index';
import { enforcedConfigurations } from './configurations';
import { exemptionSuppressions } from './exemptions';
import { listAll } from './rest';
import { REGISTRY } from './rules';
import { selectRepositories } from './scope';
import type {
  Add,
  AfterCheck,
  AuditConfig,
  AuditIO,
  AuditOptions,
  AuditResult,
  CheckContext,
  Gathered,
  GraphQLError,
  OrgCheck,
  OrgContext,
  OrgSettings,
  RepoCheck,
  RepoContext,
  RepoData,
  RepoListing,
  Skip,
  Workflow
} from './types';
import { readWorkflows } from './workflows';

export const DEFAULT_AUDIT_CONFIG: AuditConfig = {
  exemptions: [],
  customProperties: {},
  allowedApps: [],
  requireSignedCommits: [],
  maxOwners: 5,
  maxAdmins: 5,
  tokenSecretPatterns: [/PYPI/i, /TWINE/i, /(^|_)API_?TOKEN$/i, /ANACONDA/i, /CONDA_TOKEN/i],
  releaseEnvironments: /^(pypi|testpypi|release|releases|publish|deploy)/i,
  packages: {},
  declared: []
};

const ORG_CHECKS = CHECKS.filter((c): c is OrgCheck => c.scope === 'org');
const REPO_CHECKS = CHECKS.filter((c): c is RepoCheck => c.scope === 'repo');
const AFTER_CHECKS = CHECKS.filter((c): c is AfterCheck => c.scope === 'after');

/** One severity higher, for findings on repositories marked critical. */
const raise = (s: Severity): Severity => SEVERITIES[Math.min(SEVERITIES.indexOf(s) + 1, SEVERITIES.length - 1)];

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
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const notes: string[] = [];
  let critical = new Set<string>();
  const add: Add = (rule, repo, input) => {
    const raised = !!repo && critical.has(repo);
    findings.push(
      createFinding(rule, {
        ...input,
        severity: raised ? raise(input.severity ?? rule.severity) : input.severity,
        key: `${repo ?? org}\0${input.key ?? input.message}`,
        properties: { org, ...(repo ? { repo } : {}), ...(raised ? { critical: true } : {}), ...input.properties }
      })
    );
  };
  const skip: Skip = (check, reason, target) => void notChecked.push({ check, reason, target });
  const base: CheckContext = { io, org, config, now: opts.now, inactiveDays: opts.inactiveDays, add, skip, notes };
  const result = { rules: REGISTRY.list(), findings, notChecked, notes, target: org };

  const settings = await readSettings(io, org);
  if ('fatal' in settings) {
    skip('access-audit', `nothing audited: ${settings.fatal}`, org);
    return { ...result, suppressions: [], audited: 0, skipped: 0, listed: 0, access: {}, evidence: {} };
  }
  // The organization checks, the repository list (REST: it carries the security settings and custom
  // properties) and the organization-wide answers the repository checks share are independent reads, so
  // they overlap; the checks still run one after another, so their findings keep their order.
  const listed: RepoListing[] = [];
  const listing = listAll(
    io,
    'GET /orgs/{org}/repos',
    { org, type: 'all', sort: 'full_name', direction: 'asc' },
    undefined,
    listed
  ).catch((e: unknown) => {
    // The repositories listed so far are still audited; the rest are named as unknown.
    skip(
      'repositories',
      `the repository list stopped after ${listed.length} repositories (the others were not audited): ${describeApiError(e, 'metadata: read')}`,
      org
    );
  });
  const shared = Promise.all([
    orgSecurityPolicy(io, org),
    teamMembers(io, org),
    enforcedConfigurations(io, org, notes)
  ]);
  for (const c of ORG_CHECKS) await c.run({ ...base, settings });
  for (const c of REPO_CHECKS) c.start?.({ ...base, pypi: opts.pypi, bestPractices: opts.bestPractices });
  await listing;
  const configured = config.customProperties.exempt || config.customProperties.critical;
  if (configured && listed.length && listed.every((r) => r.custom_properties === undefined)) {
    skip(
      'org/custom-properties',
      'not checked: GitHub returned no custom_properties with the repositories (needs a GitHub version with custom properties)',
      org
    );
  }
  const scope = selectRepositories(listed, opts, opts.now.toISOString().slice(0, 10), notes);
  critical = scope.critical;
  const selected = new Map(scope.selected.map((r) => [r.name, r]));

  const [orgPolicy, teams, enforced] = await shared;
  const gathered: Gathered = {
    access: {},
    elevated: new Map(),
    committers: new Set(),
    historyComplete: true,
    evidence: {}
  };
  const omitted = new Map<string, GraphQLError>();
  const since = new Date(opts.now.getTime() - opts.inactiveDays * 86_400_000).toISOString();
  const reserve = opts.reserve ?? 50;
  // Up to 4 batches in flight: while one batch's GraphQL query runs (the core client sends queries one at a
  // time, back to back: GitHub allows GraphQL at most 60 s of its CPU time per minute), the others' REST
  // calls proceed. REST calls of all batches share one bound of 8; with the one query, 9 requests at most,
  // far under GitHub's "no more than 100 concurrent requests" (REST and GraphQL together).
  const limit = pLimit(opts.concurrency ?? 4);
  const restLimit = pLimit(8);
  let audited = 0;

  const auditRepository = async (repo: RepoData, listing: RepoListing, failed: RepoContext['failed']) => {
    const history = repo.activity?.target?.history?.nodes;
    if (failed('activity') || (repo.defaultBranchRef && !history)) gathered.historyComplete = false;
    for (const c of history ?? [])
      for (const login of [c.author?.user?.login, c.committer?.user?.login])
        if (login) gathered.committers.add(login.toLowerCase());
    let workflows: { files: Workflow[] | undefined } | undefined;
    const ctx: RepoContext = {
      ...base,
      name: repo.name,
      repo,
      listing,
      failed,
      unreadable: (field, permission, absent = 'not checked') => {
        const error = failed(field);
        return error ? `not checked: needs ${permission} (${error.message})` : absent;
      },
      workflows: () => (workflows ??= { files: readWorkflows(repo, failed, skip) }).files,
      limit: restLimit,
      orgPolicy,
      teams,
      enforced: enforced.get(repo.name),
      pypi: opts.pypi,
      bestPractices: opts.bestPractices,
      gathered
    };
    for (const c of REPO_CHECKS) {
      // A check that reads only the batch's answer does not yield: repositories interleave only at requests.
      const pending = c.run(ctx);
      if (pending) await pending;
    }
    audited++;
  };

  await Promise.all(
    inBatches(
      scope.selected.map((r) => r.name),
      opts.batchSize ?? 20
    ).map((batch) =>
      limit(async () => {
        const left = io.remaining();
        if (outOfBudget || (left !== undefined && left < reserve + batch.length)) {
          outOfBudget = true;
          for (const n of batch)
            skip('repository', 'not audited: the API rate budget ran out before this repository', n);
          return;
        }
        let answer: Awaited<ReturnType<AuditIO['graphql']>>;
        try {
          answer = await fetchBatch(io, org, batch, omitted, since);
        } catch (e) {
          for (const n of batch) skip('repository', `not audited: ${describeApiError(e)}`, n);
          return;
        }
        await Promise.all(
          batch.map(async (name, i) => {
            const r = repositoryOf(answer, i, omitted);
            if ('missing' in r) skip('repository', `not audited: ${r.missing}`, name);
            else await auditRepository(r.repo, selected.get(name)!, r.failed);
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

  const inScope = (repo: string) => selected.has(repo);
  for (const c of AFTER_CHECKS) await c.run({ ...base, gathered, previous: opts.previous, inScope });

  return {
    ...result,
    suppressions: exemptionSuppressions(config.exemptions, [...selected.keys()]),
    audited,
    skipped: listed.length - scope.otherShards - audited,
    listed: listed.length,
    access: gathered.access,
    evidence: gathered.evidence,
    target: opts.shard ? `${org} (shard ${opts.shard.index}/${opts.shard.count})` : org
  };
}

/** `GET /orgs/{org}`; `fatal` when the organization cannot be audited at all (API unreachable, no such org). */
async function readSettings(io: AuditIO, org: string): Promise<OrgContext['settings'] | { fatal: string }> {
  try {
    return { data: (await io.request('GET /orgs/{org}', { org })).data as OrgSettings };
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === undefined || status === 401) return { fatal: describeApiError(e) };
    if (status === 404) return { fatal: `organization ${org} not found (or not visible to the token)` };
    return { error: e };
  }
}
