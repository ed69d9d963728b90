// disclosure-coordinator adapter: read inputs and the config section, refuse
// a public repository, build the GitHub clients, call the engine, and keep one
// dashboard issue current in the coordination repository.
import {
  type ActionDefinition,
  type ActionRuntime,
  UserError,
  actionsRuntime,
  refusePublicRepository,
  renderMarkdown,
  runAction,
  upsertMarked
} from '@security-actions/core';
import { coordinate } from './engine';
import { type Dashboard, dashboardPreamble } from './dashboard';
import { DEFAULT_CONFIG, type DisclosureConfig, type DownstreamEntry } from './types';
import configSchema from '../config.schema.json' with { type: 'json' };
import { REGISTRY } from './rules';

export const DASHBOARD_MARKER = 'security-actions:disclosure-coordinator';

/** The `disclosure-coordinator` section of the config file (already validated by the schema). */
export function disclosureConfig(section: Record<string, unknown> | undefined): DisclosureConfig {
  const s = (section ?? {}) as {
    orgs?: string[];
    repositories?: string[];
    exclude?: string[];
    'service-levels'?: { acknowledge?: number; fix?: number; 'follow-up'?: number };
    'releases-lookback'?: number;
    downstream?: DownstreamEntry[];
    'map-orgs'?: boolean;
    sbom?: boolean;
    invite?: string[];
    'pull-requests'?: boolean;
  };
  const d = DEFAULT_CONFIG;
  const sl = s['service-levels'] ?? {};
  return {
    orgs: s.orgs ?? d.orgs,
    repositories: s.repositories ?? d.repositories,
    exclude: s.exclude ?? d.exclude,
    serviceLevels: {
      acknowledge: sl.acknowledge ?? d.serviceLevels.acknowledge,
      fix: sl.fix ?? d.serviceLevels.fix,
      followUp: sl['follow-up'] ?? d.serviceLevels.followUp
    },
    releasesLookback: s['releases-lookback'] ?? d.releasesLookback,
    downstream: s.downstream ?? d.downstream,
    mapOrgs: s['map-orgs'] ?? d.mapOrgs,
    sbom: s.sbom ?? d.sbom,
    invite: s.invite ?? d.invite,
    pullRequests: s['pull-requests'] ?? d.pullRequests
  };
}

let dashboard: Dashboard | undefined;

export const definition: ActionDefinition = {
  name: 'disclosure-coordinator',
  rules: REGISTRY,
  configSchema,
  async run(ctx) {
    const { inputs } = ctx;
    const token = inputs.string('token', { required: true });
    const notifyToken = inputs.string('notify-token') || token;
    const apply = inputs.boolean('apply', false);
    const allowPublic = inputs.boolean('allow-public-repository', false);
    inputs.boolean('issue', true);
    const issueToken = inputs.string('issue-token');
    const config = disclosureConfig(ctx.config.sections['disclosure-coordinator']);
    const orgs = inputs.list('orgs');
    if (orgs.length) config.orgs = orgs;
    if (!config.orgs.length && !config.repositories.length) {
      const owner = (ctx.env.GITHUB_REPOSITORY ?? '').split('/')[0];
      if (!owner)
        throw new UserError(
          "Input 'orgs' is empty, the config names no repositories and GITHUB_REPOSITORY is not set."
        );
      config.orgs = [owner];
    }
    // Unpublished advisories and who they affect would be readable by anyone in a public repository.
    if (!allowPublic)
      await refusePublicRepository(
        ctx,
        [issueToken, token],
        'the dashboard, job summary and logs list unpublished advisories and the projects they affect'
      );

    const api = await ctx.github(token);
    const writer = notifyToken === token ? api : await ctx.github(notifyToken);
    const result = await coordinate(
      { api: api.rest, writer: writer.rest, remaining: () => api.stats.rateLimitRemaining },
      { now: new Date(), config, apply, self: ctx.env.GITHUB_REPOSITORY }
    );
    dashboard = {
      scope: result.target,
      tracked: result.stats['repositories tracked'],
      rows: result.advisories,
      levels: config.serviceLevels
    };
    return {
      rules: result.rules,
      findings: result.findings,
      notChecked: result.notChecked,
      notes: result.notes,
      target: result.target,
      stats: result.stats,
      data: { advisories: result.advisories },
      preamble: dashboardPreamble(dashboard),
      outputs: {
        'advisories-open': String(result.stats['open advisories']),
        'downstream-affected': String(result.advisories.reduce((n, r) => n + r.affected, 0)),
        'notices-opened': String(result.stats['notices opened'] ?? 0)
      }
    };
  },
  async publish(ctx, report) {
    if (!ctx.inputs.boolean('issue', true) || !dashboard) return;
    const token = ctx.inputs.string('issue-token');
    const [owner, repo] = (ctx.env.GITHUB_REPOSITORY ?? '').split('/');
    if (!token || !owner || !repo) return ['dashboard issue not updated: issue-token or GITHUB_REPOSITORY is empty'];
    const client = await ctx.github(token);
    const body = renderMarkdown(report, { marker: DASHBOARD_MARKER, preamble: dashboardPreamble(dashboard) });
    const r = await upsertMarked(
      client.rest,
      { kind: 'issue', owner, repo, title: 'Disclosure coordination dashboard' },
      DASHBOARD_MARKER,
      body
    );
    return [`dashboard issue #${r.id} ${r.action}`];
  }
};

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
