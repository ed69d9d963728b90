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
  type Report,
  UserError,
  actionsRuntime,
  describeApiError,
  escapeMarkdown,
  oneLine,
  parseConfig,
  renderMarkdown,
  runAction,
  upsertMarked
} from '@security-actions/core';
import { ecosystemFrom, isLogin } from '@security-actions/core/trust';
import { scanPr } from './engine';
import { gitCheckout } from './git';
import { type AuthorContext, MAX_REQUESTS, prMetaFromEvent } from './meta';
import { type Score, riskScore } from './score';
import { allowSuppressions } from './suppressions';
import type { GitIO } from './types';
import configSchema from '../config.schema.json' with { type: 'json' };
import { REGISTRY } from './rules';

export const COMMENT_MARKER = 'security-actions:pr-anomaly-scan';

/** Where the line about the author goes: the job summary always, the public PR comment only when asked. */
const AUTHOR_CONTEXT = ['summary', 'comment'] as const;

const WEIGHED: Record<string, string> = {
  none: 'nothing links the author to the maintainers',
  near: 'the author is close to the maintainers',
  maintainer: 'the author has push access in the ecosystem'
};

/** The score line; `author`: also say why findings were weighed by who the author is (where the author line shows). */
export function scorePreamble(s: Score, author = false): string {
  const chains = s.chains.length ? ` Chained signals: ${s.chains.join('; ')}.` : '';
  const a = s.author;
  const weighed = a
    ? author
      ? ` ${a.findings} sensitive-path or build finding(s) weighed ×${a.factor}: ${WEIGHED[a.standing]}.`
      : ' Some findings are weighed by who the author is (see the job summary).'
    : '';
  return `**Risk score: ${s.score}/10 (${s.band}).**${chains}${weighed}`;
}

/** The author context the scan put in the report, when it did. */
export function authorOf(report: Report): AuthorContext | undefined {
  const a = report.data?.author as Partial<AuthorContext> | undefined;
  return a && typeof a.login === 'string' && typeof a.line === 'string' && typeof a.standing === 'string'
    ? (a as AuthorContext)
    : undefined;
}

/** The score, and the author line when `withAuthor`. */
function preamble(report: Report, withAuthor: boolean): string {
  const author = authorOf(report);
  const score = scorePreamble(riskScore(report.findings, author?.standing), withAuthor);
  return author && withAuthor ? `${score}\n\n**Author:** ${escapeMarkdown(`@${author.login}: ${author.line}`)}` : score;
}

/**
 * The workspace holds the PR's version of the config file, so a PR could ignore its own findings. The
 * scan applies the base commit's config instead; the adapter applies the config `run()` returns.
 */
async function baseConfig(
  ctx: ActionContext,
  git: GitIO,
  base: string,
  path: string
): Promise<{ config: Config; notes: string[] }> {
  const current = ctx.config;
  let text: string | undefined;
  try {
    text = await git.readFileAt(await git.resolveCommit(base, 'base'), path);
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

export const definition: ActionDefinition = {
  name: 'pr-anomaly-scan',
  rules: REGISTRY,
  configSchema,
  async run(ctx) {
    const { inputs } = ctx;
    const meta = prMetaFromEvent(ctx.event, ctx.env.GITHUB_REPOSITORY);
    const base = inputs.string('base') || meta.baseSha || '';
    const head = inputs.string('head') || meta.headSha || 'HEAD';
    const git = gitCheckout(resolve(ctx.workspace, inputs.string('path', { default: '.' })));
    const trustedOrgs = inputs.list('trusted-orgs');
    const badOrg = trustedOrgs.find((o) => !isLogin(o));
    if (badOrg) throw new UserError(`Input 'trusted-orgs': '${badOrg}' is not a GitHub organisation.`);
    inputs.boolean('comment', false);
    inputs.choice('author-context', AUTHOR_CONTEXT, 'summary');
    const token = inputs.string('token');
    if (!base)
      throw new UserError("Input 'base' is required outside pull_request events (the base commit of the comparison).");
    try {
      const { config, notes } = await baseConfig(ctx, git, base, inputs.string('config') || DEFAULT_CONFIG_PATH);
      // The base commit's `trust:` section: a PR cannot name its own author a maintainer.
      const ecosystem = ecosystemFrom(config.sections.trust, {
        orgs: trustedOrgs,
        source: config.file ?? DEFAULT_CONFIG_PATH
      });
      const result = await scanPr({
        git,
        base,
        head,
        meta: { ...meta, ecosystem },
        client: token ? () => ctx.github(token) : undefined,
        noTokenReason: token ? undefined : 'no token given',
        trustedOrgs,
        configPath: config.file ?? DEFAULT_CONFIG_PATH
      });
      return {
        ...result,
        notes: [...notes, ...(result.notes ?? [])],
        suppressions: [...(result.suppressions ?? []), ...allowSuppressions(config)],
        config
      };
    } finally {
      git.close(); // the git process that read refs and blobs
    }
  },

  // The score weighs what stands after the config and every suppression, so an allowed fixture adds nothing.
  summarise(report) {
    const score = riskScore(report.findings, authorOf(report)?.standing);
    return {
      outputs: { 'risk-score': String(score.score) },
      stats: { 'risk score': `${score.score}/10` },
      preamble: preamble(report, true)
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
    const body = renderMarkdown(report, {
      marker: COMMENT_MARKER,
      maxChars: COMMENT_LIMIT,
      preamble: preamble(report, ctx.inputs.choice('author-context', AUTHOR_CONTEXT, 'summary') === 'comment'),
      fullReport: 'the job summary and the JSON report artifact'
    });
    try {
      const target = { kind: 'comment' as const, owner, repo, issue: meta.number, maxPages: Math.min(3, budget - 1) };
      const r = await upsertMarked(client.rest, target, COMMENT_MARKER, body);
      return [r.action === 'updated' ? `Updated the PR comment ${r.id}.` : `Posted PR comment ${r.id}.`];
    } catch (e) {
      return [`PR comment not posted: ${describeApiError(e, 'pull-requests: write')}`];
    }
  }
};

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
