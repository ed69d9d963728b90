// Actions whose reports name what must stay private (people without 2FA,
// unpublished advisories and who they affect) refuse to run from a public
// repository, whose job summaries, logs and issues anyone can read.
import type { ActionContext } from './action';
import { UserError } from './errors';
import { describeApiError } from './github';

/**
 * Whether the repository this workflow runs in is public: the event payload
 * says so for most events (not for `schedule`), else its metadata is read with
 * the first token that can. `public` is undefined when neither could tell.
 */
export async function repositoryVisibility(
  ctx: ActionContext,
  tokens: string[]
): Promise<{ public?: boolean; why?: string }> {
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

/**
 * Throws a UserError, before anything private is read, when the workflow runs in a public
 * repository (or one whose visibility cannot be told); `exposed` says what anyone could read.
 * Outside GitHub Actions (the CLI) there is no such page, and nothing is checked.
 */
export async function refusePublicRepository(ctx: ActionContext, tokens: string[], exposed: string): Promise<void> {
  if (ctx.env.GITHUB_ACTIONS !== 'true') return;
  const where = ctx.env.GITHUB_REPOSITORY ?? 'this repository';
  const v = await repositoryVisibility(ctx, tokens);
  if (v.public === false) return;
  const owner = (ctx.env.GITHUB_REPOSITORY ?? 'org/').split('/')[0];
  throw new UserError(
    `${where} ${v.public ? 'is public' : `may be public (its visibility could not be read: ${v.why})`}: ${exposed}. Run it from a private repository (for example ${owner}/.github-private), or set allow-public-repository: true.`
  );
}
