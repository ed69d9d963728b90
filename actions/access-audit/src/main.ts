// access-audit adapter: read inputs and config, build the GitHub client, call
// the engine (or merge shard reports), and keep one dashboard issue current.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type ActionContext,
  type ActionDefinition,
  type ActionRuntime,
  type GitHubClient,
  HttpClient,
  PyPIClient,
  type Report,
  UserError,
  actionsRuntime,
  describeApiError,
  renderMarkdown,
  runAction
} from '@security-actions/core';
import { DEFAULT_AUDIT_CONFIG, audit } from './engine';
import { type Dashboard, dashboardPreamble, mergeReports, publishDashboard } from './dashboard';
import configSchema from '../config.schema.json' with { type: 'json' };
import { REGISTRY } from './rules';
import {
  assessReport,
  assessmentData,
  declarationSuppressions,
  historyBefore,
  writeAssessment
} from './assessment/index';
import { BestPracticesClient } from './best-practices';
import type { AccessSnapshot, AuditConfig, AuditIO, Declaration, Exemption } from './types';

export function auditIO(client: GitHubClient): AuditIO {
  // The REST core budget only: GraphQL answers report their own (points) budget.
  let restRemaining: number | undefined;
  const track = (headers: Record<string, unknown> | undefined) => {
    const v = headers?.['x-ratelimit-remaining'];
    if (v !== undefined && headers?.['x-ratelimit-resource'] !== 'graphql') restRemaining = Number(v);
  };
  return {
    async graphql(query, variables) {
      try {
        return { data: await client.graphql<Record<string, unknown>>(query, variables) };
      } catch (e) {
        // Octokit rejects on any `errors`, partial answers included; keep the data it carries.
        const err = e as {
          name?: string;
          data?: Record<string, unknown> | null;
          errors?: { message: string; type?: string; path?: (string | number)[] }[];
        };
        if (err.name === 'GraphqlResponseError' && err.errors) {
          if (err.errors.some((x) => x.type === 'RATE_LIMITED') && !err.data)
            throw Object.assign(new Error('GitHub GraphQL rate limit exhausted (RATE_LIMITED)'), { status: 429 });
          return { data: err.data, errors: err.errors };
        }
        throw e;
      }
    },
    async request(route, params) {
      try {
        const res = await client.rest.request(route, params);
        track(res.headers);
        return res;
      } catch (e) {
        track((e as { response?: { headers?: Record<string, unknown> } }).response?.headers);
        throw e;
      }
    },
    remaining: () => restRemaining
  };
}

/** The `access-audit` section of the config file (validated by the core schema). */
export function auditConfig(section: Record<string, unknown> | undefined): AuditConfig {
  const s = (section ?? {}) as {
    packages?: Record<string, string[]>;
    exemptions?: Exemption[];
    'max-owners'?: number;
    'max-admins'?: number;
    'token-secret-patterns'?: string[];
    'release-environments'?: string;
    'allowed-apps'?: string[];
    'require-signed-commits'?: boolean | string[];
    'custom-properties'?: AuditConfig['customProperties'];
    declared?: Declaration[];
  };
  const signed = s['require-signed-commits'];
  return {
    exemptions: s.exemptions ?? [],
    packages: s.packages ?? {},
    maxOwners: s['max-owners'] ?? DEFAULT_AUDIT_CONFIG.maxOwners,
    maxAdmins: s['max-admins'] ?? DEFAULT_AUDIT_CONFIG.maxAdmins,
    tokenSecretPatterns:
      s['token-secret-patterns']?.map((p) => new RegExp(p, 'i')) ?? DEFAULT_AUDIT_CONFIG.tokenSecretPatterns,
    releaseEnvironments: s['release-environments']
      ? new RegExp(s['release-environments'], 'i')
      : DEFAULT_AUDIT_CONFIG.releaseEnvironments,
    allowedApps: (s['allowed-apps'] ?? []).map((a) => a.toLowerCase()),
    requireSignedCommits: signed === true ? ['*'] : Array.isArray(signed) ? signed : [],
    customProperties: s['custom-properties'] ?? {},
    declared: s.declared ?? []
  };
}

export function parseShard(text: string): { index: number; count: number } | undefined {
  if (!text) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
    throw new UserError(`Input 'shard' must look like i/n with 1 ≤ i ≤ n (e.g. 2/4); got '${text}'.`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

async function readReport(ctx: ActionContext, file: string): Promise<Report> {
  const path = resolve(ctx.workspace, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read the report (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const r = JSON.parse(text) as Report;
    if (!Array.isArray(r.findings) || !Array.isArray(r.notChecked))
      throw new Error('not a security-actions JSON report');
    return r;
  } catch (e) {
    throw new UserError(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
}

let dashboard: Dashboard | undefined;

/**
 * Whether the repository this workflow runs in is public: the event payload
 * says so for most events (not for `schedule`), else its metadata is read.
 * Undefined when neither could tell.
 */
async function isPublicRepository(ctx: ActionContext, tokens: string[]): Promise<{ public?: boolean; why?: string }> {
  const visible = (r: { private?: unknown; visibility?: unknown }) =>
    typeof r.visibility === 'string' ? r.visibility === 'public' : r.private === false;
  const fromEvent = ctx.event?.repository as { private?: unknown; visibility?: unknown } | undefined;
  if (fromEvent && (typeof fromEvent.private === 'boolean' || typeof fromEvent.visibility === 'string'))
    return { public: visible(fromEvent) };
  const [owner, repo] = (ctx.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) return { why: 'GITHUB_REPOSITORY is not set' };
  let why = 'no token to ask GitHub with';
  for (const token of tokens.filter(Boolean)) {
    try {
      const { data } = await (await ctx.github(token)).rest.request('GET /repos/{owner}/{repo}', { owner, repo });
      return { public: visible(data as { private?: unknown; visibility?: unknown }) };
    } catch (e) {
      why = describeApiError(e, 'metadata: read');
    }
  }
  return { why };
}

export const definition: ActionDefinition = {
  name: 'access-audit',
  rules: REGISTRY,
  configSchema,
  // What could not be audited is no pass: a token that reads nothing must not leave a green run.
  failOnNotChecked: (ctx) => ctx.inputs.boolean('fail-on-not-checked', true),
  async run(ctx) {
    const { inputs } = ctx;
    const token = inputs.string('token', { required: true });
    const org = inputs.string('org') || (ctx.env.GITHUB_REPOSITORY ?? '').split('/')[0];
    const repositories = inputs.list('repositories');
    const includeArchived = inputs.boolean('include-archived', false);
    const includeForks = inputs.boolean('include-forks', false);
    const inactiveDays = inputs.integer('inactive-days', 180, { min: 1 });
    inputs.boolean('issue', true);
    inputs.string('issue-token');
    const previousFile = inputs.string('previous-report');
    const mergeFiles = inputs.lines('merge-reports');
    const pypiUrl = inputs.url('pypi-url', 'https://pypi.org');
    const bestPracticesUrl = inputs.string('best-practices-url') && inputs.url('best-practices-url', '');
    const assessmentDir = inputs.string('self-assessment');
    const shard = parseShard(inputs.string('shard'));
    const previous = previousFile ? await readReport(ctx, previousFile) : undefined;
    const allowPublic = inputs.boolean('allow-public-repository', false);
    inputs.boolean('fail-on-not-checked', true);

    // The report names people without 2FA, secret names and weak settings: in a public repository
    // the job summary, the logs and the dashboard issue are readable by anyone.
    if (ctx.env.GITHUB_ACTIONS === 'true' && !allowPublic) {
      const where = ctx.env.GITHUB_REPOSITORY ?? 'this repository';
      const visibility = await isPublicRepository(ctx, [inputs.string('issue-token'), token]);
      if (visibility.public !== false) {
        throw new UserError(
          `${where} ${visibility.public ? 'is public' : `may be public (its visibility could not be read: ${visibility.why})`}: the audit's summary, logs and dashboard issue would show anyone who lacks 2FA, secret names and weak settings. Run it from a private repository (for example ${(ctx.env.GITHUB_REPOSITORY ?? 'org/').split('/')[0]}/.github-private), or set allow-public-repository: true.`
        );
      }
    }

    const history = historyBefore(previous);
    const assessmentOutput: Record<string, string> = assessmentDir
      ? { 'self-assessment': resolve(ctx.workspace, assessmentDir) }
      : {};
    if (mergeFiles.length) {
      const merged = mergeReports(await Promise.all(mergeFiles.map((f) => readReport(ctx, f))));
      dashboard = { org: merged.target ?? org, audited: merged.audited, previous, history };
      return {
        rules: merged.rules,
        findings: merged.findings,
        notChecked: merged.notChecked,
        notes: merged.notes,
        target: merged.target,
        data: { ...merged.data, history },
        stats: merged.stats,
        preamble: dashboardPreamble(dashboard, merged.findings, merged.notChecked),
        outputs: {
          'repos-audited': String(merged.audited),
          'repos-skipped': String(merged.skipped),
          'api-requests': String(merged.requests),
          ...assessmentOutput
        }
      };
    }

    if (!org) throw new UserError("Input 'org' is empty and GITHUB_REPOSITORY is not set.");
    const client = await ctx.github(token);
    const config = auditConfig(ctx.config.sections['access-audit']);
    const result = await audit(auditIO(client), {
      org,
      repositories,
      includeArchived,
      includeForks,
      inactiveDays,
      shard,
      now: new Date(),
      config,
      previous: previous?.data?.access
        ? { finishedAt: previous.finishedAt, access: previous.data.access as AccessSnapshot }
        : undefined,
      pypi: new PyPIClient(pypiUrl, new HttpClient('PyPI', { userAgent: 'security-actions access-audit' })),
      bestPractices: bestPracticesUrl
        ? new BestPracticesClient(
            bestPracticesUrl,
            new HttpClient('OpenSSF Best Practices', { userAgent: 'security-actions access-audit' })
          )
        : undefined
    });
    dashboard = { org, audited: result.audited, previous, history };
    return {
      rules: result.rules,
      findings: result.findings,
      notChecked: result.notChecked,
      notes: result.notes,
      suppressions: [...result.suppressions, ...declarationSuppressions(config.declared)],
      target: result.target,
      data: { access: result.access, assessment: assessmentData(result.evidence, config), history },
      stats: { 'repos audited': result.audited, 'repos skipped': result.skipped, 'repos listed': result.listed },
      preamble: dashboardPreamble(dashboard, result.findings, result.notChecked),
      outputs: {
        'repos-audited': String(result.audited),
        'repos-skipped': String(result.skipped),
        'api-requests': String(client.stats.requests),
        ...assessmentOutput
      }
    };
  },
  async publish(ctx, report) {
    if (!dashboard) return;
    const notes: string[] = [];
    const org = dashboard.org.split(', ')[0];
    dashboard.assessment = assessReport(org, report, auditConfig(ctx.config.sections['access-audit']).declared);
    const dir = ctx.inputs.string('self-assessment');
    if (dir && dashboard.assessment)
      notes.push(
        await writeAssessment(resolve(ctx.workspace, dir), org, dashboard.assessment, report.finishedAt.slice(0, 10))
      );
    if (!ctx.inputs.boolean('issue', true)) return notes;
    const token = ctx.inputs.string('issue-token');
    const repo = ctx.env.GITHUB_REPOSITORY;
    if (!token || !repo) return [...notes, 'dashboard issue not updated: issue-token or GITHUB_REPOSITORY is empty'];
    const client = await ctx.github(token);
    const marker = `security-actions:access-audit:${dashboard.org}`;
    const body = renderMarkdown(report, {
      marker,
      preamble: dashboardPreamble(dashboard, report.findings, report.notChecked)
    });
    return [...notes, await publishDashboard(client.rest, repo, marker, body)];
  }
};

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
