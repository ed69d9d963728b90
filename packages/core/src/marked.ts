// One PR comment, one dashboard issue: the results a maintainer reads are
// edited in place, found by a hidden marker, never posted twice. Shared by
// every action that publishes (the PR comment, the audit dashboard, the
// disclosure tracker) so the search and the edit are written once.
import type { Octokit } from './github';

export type MarkedTarget =
  /** A comment on an issue or pull request, found among its first `maxPages` pages of comments. */
  | { kind: 'comment'; owner: string; repo: string; issue: number; maxPages?: number }
  /** An open issue of the repository (pull requests excluded), opened with `title` when none carries the marker. */
  | { kind: 'issue'; owner: string; repo: string; title: string; labels?: string[]; maxPages?: number };

export interface MarkedResult {
  action: 'created' | 'updated';
  /** The comment id, or the issue number. */
  id: number;
}

/** The hidden HTML comment that marks a body as ours. */
export const markerTag = (marker: string): string => `<!-- ${marker} -->`;

/**
 * Updates the comment or issue whose body carries `marker`, or creates it.
 * Errors (permissions, rate limits) are thrown for the caller to describe.
 */
export async function upsertMarked(
  rest: Octokit,
  target: MarkedTarget,
  marker: string,
  body: string
): Promise<MarkedResult> {
  const tag = markerTag(marker);
  const { owner, repo } = target;
  const maxPages = target.maxPages ?? Infinity;
  if (target.kind === 'comment') {
    let existing: number | undefined;
    for (let page = 1; page <= maxPages && existing === undefined; page++) {
      const { data } = await rest.rest.issues.listComments({
        owner,
        repo,
        issue_number: target.issue,
        per_page: 100,
        page
      });
      existing = data.find((c) => c.body?.includes(tag))?.id;
      if (data.length < 100) break;
    }
    if (existing !== undefined) {
      await rest.rest.issues.updateComment({ owner, repo, comment_id: existing, body });
      return { action: 'updated', id: existing };
    }
    const { data } = await rest.rest.issues.createComment({ owner, repo, issue_number: target.issue, body });
    return { action: 'created', id: data.id };
  }
  let page = 0;
  for await (const { data } of rest.paginate.iterator(rest.rest.issues.listForRepo, {
    owner,
    repo,
    state: 'open',
    per_page: 100
  })) {
    const existing = data.find((i) => !i.pull_request && i.body?.includes(tag));
    if (existing) {
      await rest.rest.issues.update({ owner, repo, issue_number: existing.number, body });
      return { action: 'updated', id: existing.number };
    }
    if (++page >= maxPages) break;
  }
  const { data } = await rest.rest.issues.create({
    owner,
    repo,
    title: target.title,
    body,
    ...(target.labels?.length ? { labels: target.labels } : {})
  });
  return { action: 'created', id: data.number };
}
