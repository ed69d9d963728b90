// pr-anomaly-scan adapter: read the inputs and event, call the engine, and
// keep one PR comment up to date.
import { resolve } from 'node:path';
import {
  type ActionContext,
  type ActionDefinition,
  type ActionRuntime,
  COMMENT_LIMIT,
  type Config,
  DEFAULT_CONFIG_PATH,
  EMPTY_CONFIG,
  UserError,
  actionsRuntime,
  describeApiError,
  oneLine,
  parseConfig,
  renderMarkdown,
  runAction
} from '@security-actions/core';
import { readFileAt, resolveCommit } from './git';
import { type AllowEntry, scanPr } from './engine';
import { MAX_REQUESTS, prMetaFromEvent } from './meta';
import type { Score } from './score';
import configSchema from '../config.schema.json' with { type: 'json' };
import { REGISTRY } from './rules';

export const COMMENT_MARKER = 'security-actions:pr-anomaly-scan';

/** The `pr-anomaly-scan:` section of the config: `allow: [{sha256, reason, rule?, expires?}]`. */
export function parseSection(section: Record<string, unknown> | undefined, file = 'config'): { allow: AllowEntry[] } {
  if (!section) return { allow: [] };
  for (const k of Object.keys(section))
    if (k !== 'allow') throw new UserError(`${file}: pr-anomaly-scan: unknown key '${k}' (allowed: allow)`);
  const allow = section.allow ?? [];
  if (!Array.isArray(allow)) throw new UserError(`${file}: pr-anomaly-scan.allow must be a list`);
  return {
    allow: allow.map((a: Record<string, unknown>, i) => {
      const at = `${file}: pr-anomaly-scan.allow.${i}`;
      if (!a || typeof a !== 'object') throw new UserError(`${at} must be a mapping`);
      if (typeof a.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(a.sha256))
        throw new UserError(`${at}.sha256 must be 64 lower-case hex digits`);
      if (typeof a.reason !== 'string' || !a.reason.trim()) throw new UserError(`${at}.reason is required`);
      if (a.expires !== undefined && !(typeof a.expires === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(a.expires)))
        throw new UserError(`${at}.expires must be YYYY-MM-DD`);
      if (a.rule !== undefined && typeof a.rule !== 'string') throw new UserError(`${at}.rule must be a rule id`);
      return {
        sha256: a.sha256,
        reason: a.reason,
        rule: a.rule as string | undefined,
        expires: a.expires as string | undefined
      };
    })
  };
}

export function scorePreamble(s: Score): string {
  const chains = s.chains.length ? ` Chained signals: ${s.chains.join('; ')}.` : '';
  return `**Risk score: ${s.score}/10 (${s.band}).**${chains}`;
}

/**
 * The workspace holds the PR's version of the config file, so a PR could ignore its own findings. The
 * scan applies the base commit's config instead; the adapter applies the config `run()` returns.
 */
async function baseConfig(
  ctx: ActionContext,
  repo: string,
  base: string,
  path: string
): Promise<{ config: Config; notes: string[] }> {
  const current = ctx.config;
  let text: string | undefined;
  try {
    text = await readFileAt(repo, await resolveCommit(repo, base, 'base'), path);
  } catch {
    return { config: current, notes: [] }; // the scan reports the missing base itself
  }
  if (current === EMPTY_CONFIG) {
    return {
      config: current,
      notes: text === undefined ? [] : [`${path} exists at the base but not in the workspace; it was not applied.`]
    };
  }
  try {
    const config = text === undefined ? { ...EMPTY_CONFIG, file: current.file } : parseConfig(text, path);
    const changed = JSON.stringify(config) !== JSON.stringify(current);
    return {
      config,
      notes: changed ? [`The PR changes ${path}; the base commit's version was applied to this scan.`] : []
    };
  } catch (e) {
    return {
      config: { ...EMPTY_CONFIG, file: current.file },
      notes: [`${path} at the base is invalid (${oneLine(e)}); no ignores were applied.`]
    };
  }
}

const scores = new WeakMap<ActionContext, Score>();

export const definition: ActionDefinition = {
  name: 'pr-anomaly-scan',
  rules: REGISTRY,
  configSchema,
  async run(ctx) {
    const { inputs } = ctx;
    const meta = prMetaFromEvent(ctx.event, ctx.env.GITHUB_REPOSITORY);
    const base = inputs.string('base') || meta.baseSha || '';
    const head = inputs.string('head') || meta.headSha || 'HEAD';
    const repo = resolve(ctx.workspace, inputs.string('path', { default: '.' }));
    const trustedOrgs = inputs.list('trusted-orgs');
    inputs.boolean('comment', false);
    const token = inputs.string('token');
    if (!base)
      throw new UserError("Input 'base' is required outside pull_request events (the base commit of the comparison).");
    const { config, notes } = await baseConfig(ctx, repo, base, inputs.string('config') || DEFAULT_CONFIG_PATH);
    const { allow } = parseSection(config.sections['pr-anomaly-scan'], config.file);
    const result = await scanPr({
      repo,
      base,
      head,
      meta,
      client: token ? () => ctx.github(token) : undefined,
      noTokenReason: token ? undefined : 'no token given',
      trustedOrgs,
      allow,
      configPath: config.file ?? DEFAULT_CONFIG_PATH,
      today: ctx.today
    });
    scores.set(ctx, result.score);
    return {
      ...result,
      notes: [...notes, ...(result.notes ?? [])],
      stats: { ...result.stats, 'risk score': `${result.score.score}/10` },
      outputs: { 'risk-score': String(result.score.score) },
      preamble: scorePreamble(result.score),
      config
    };
  },

  async publish(ctx, report, _markdown) {
    if (!ctx.inputs.boolean('comment', false)) return;
    const meta = prMetaFromEvent(ctx.event, ctx.env.GITHUB_REPOSITORY);
    const token = ctx.inputs.string('token');
    if (!meta.number || !meta.repo) return ['PR comment not posted: no pull_request event payload.'];
    if (!token) return ['PR comment not posted: no token given.'];
    const client = await ctx.github(token);
    // The scan's API calls come first; the comment gets what is left of the per-PR budget.
    const budget = MAX_REQUESTS - client.stats.requests;
    if (budget < 2) return [`PR comment not posted: the ${MAX_REQUESTS}-request API budget is used up.`];
    const [owner, repo] = meta.repo.split('/');
    const score = scores.get(ctx);
    const body = renderMarkdown(report, {
      marker: COMMENT_MARKER,
      maxChars: COMMENT_LIMIT,
      preamble: score ? scorePreamble(score) : undefined,
      fullReport: 'the job summary and the JSON report artifact'
    });
    return [
      await upsertComment(client.rest, { owner, repo, issue: meta.number, body, pages: Math.min(3, budget - 1) })
    ];
  }
};

type Rest = Awaited<ReturnType<ActionContext['github']>>['rest'];

/** Updates the comment carrying the marker, or creates it; never a second comment per push. */
export async function upsertComment(
  rest: Rest,
  o: { owner: string; repo: string; issue: number; body: string; pages: number }
): Promise<string> {
  const marker = `<!-- ${COMMENT_MARKER} -->`;
  try {
    let existing: number | undefined;
    for (let page = 1; page <= o.pages && existing === undefined; page++) {
      const { data } = await rest.rest.issues.listComments({
        owner: o.owner,
        repo: o.repo,
        issue_number: o.issue,
        per_page: 100,
        page
      });
      existing = data.find((c) => c.body?.startsWith(marker))?.id;
      if (data.length < 100) break;
    }
    if (existing !== undefined) {
      await rest.rest.issues.updateComment({ owner: o.owner, repo: o.repo, comment_id: existing, body: o.body });
      return `Updated the PR comment ${existing}.`;
    }
    const { data } = await rest.rest.issues.createComment({
      owner: o.owner,
      repo: o.repo,
      issue_number: o.issue,
      body: o.body
    });
    return `Posted PR comment ${data.id}.`;
  } catch (e) {
    return `PR comment not posted: ${describeApiError(e, 'pull-requests: write')}`;
  }
}

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
