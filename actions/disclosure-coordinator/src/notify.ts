// After publication: one issue per affected downstream repository and
// advisory, naming the advisory, the affected and patched versions and the
// exact lines that pin them. The issue carries a hidden marker; before writing,
// the repository's issues updated since the publication are searched for it
// (open or closed), so a re-run (after a crash included) edits the one issue in
// place and never opens a second, and a notice the maintainers closed stays
// closed. Nothing is written for an advisory that is not published.
import {
  type Octokit,
  codeSpan,
  describeApiError,
  escapeMarkdown,
  markerTag,
  upsertMarked
} from '@security-actions/core';
import { needsAction, upgradeFor } from './affected';
import { bumpPlan, proposeBump } from './bump';
import { RULES } from './rules';
import type { Advisory, Affected, DependencyEntry, Sink } from './types';

export const noticeMarker = (ghsa: string): string => `security-actions:disclosure-coordinator:${ghsa}`;

export type NoticeResult = 'created' | 'updated' | 'unchanged' | 'closed' | 'pending' | 'failed';

export function noticeTitle(advisory: Advisory, affected: Affected[]): string {
  const names = [...new Set(affected.map((a) => a.entry.name))].join(', ');
  return `Security advisory ${advisory.ghsa}: the ${names} version this project requires is affected`;
}

export function noticeBody(advisory: Advisory, affected: Affected[]): string {
  const origin = new URL(advisory.url).origin;
  const rows = affected.map((a) => {
    const where = a.entry.line
      ? `[${codeSpan(`${a.entry.file}:${a.entry.line}`, { max: 80, table: true })}](${origin}/${a.repo}/blob/HEAD/${encodeURI(a.entry.file)}#L${a.entry.line})`
      : escapeMarkdown(a.entry.file);
    return `| ${where} | ${codeSpan(a.entry.text ?? `${a.entry.name}${a.entry.specifier}`, { max: 80, table: true })} | ${codeSpan(a.range, { max: 60, table: true })} | ${a.patched.length ? escapeMarkdown(a.patched.join(', ')) : 'none yet'} |`;
  });
  const advice = affected.map((a) => {
    const target = a.entry.version ? upgradeFor(a.entry.version, a) : a.patched[0];
    const what =
      a.exposure === 'pins-affected'
        ? `move the pin of ${escapeMarkdown(a.entry.name)} to ${target ? escapeMarkdown(target) : 'a patched release once one exists'}${a.entry.lock || a.entry.hashed ? ' (regenerate the lock file and its hashes)' : ''}`
        : `change the requirement of ${escapeMarkdown(a.entry.name)} to admit ${target ? escapeMarkdown(target) : 'the patched release'} and exclude the affected versions`;
    return `- ${codeSpan(a.entry.file, { max: 80 })}: ${what}.`;
  });
  return [
    markerTag(noticeMarker(advisory.ghsa)),
    `The maintainers of ${escapeMarkdown(advisory.repo)} published the security advisory [${advisory.ghsa}](${advisory.url})${advisory.cveId ? ` (${escapeMarkdown(advisory.cveId)})` : ''}${advisory.severity ? `, severity ${escapeMarkdown(advisory.severity)}` : ''}:`,
    '',
    `> ${escapeMarkdown(advisory.summary)}`,
    '',
    'This repository requires an affected version:',
    '',
    '| Where | Requirement | Affected versions | Patched |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    '**What to do:**',
    '',
    ...[...new Set(advice)],
    '',
    '<sub>Opened by the ecosystem’s disclosure coordinator (security-actions disclosure-coordinator) once the advisory was public. It is edited here when the advisory changes, never opened twice; close it when the requirement has moved.</sub>',
    ''
  ].join('\n');
}

/** The issue carrying `marker` among those updated since `since` (open or closed), if any. */
async function findNotice(
  writer: Octokit,
  repo: string,
  marker: string,
  since: string
): Promise<{ number: number; state: string; body: string } | undefined> {
  const [owner, name] = repo.split('/');
  const tag = markerTag(marker);
  for await (const { data } of writer.paginate.iterator('GET /repos/{owner}/{repo}/issues', {
    owner,
    repo: name,
    state: 'all',
    since,
    per_page: 100
  })) {
    const hit = data.find((i) => !i.pull_request && i.body?.includes(tag));
    if (hit) return { number: hit.number, state: hit.state, body: hit.body ?? '' };
  }
  return undefined;
}

/**
 * Notifies one downstream repository of a published advisory. Without `apply`, or when writing
 * fails, the notice stays pending as a finding.
 */
export async function notifyRepo(
  advisory: Advisory,
  repo: string,
  affected: Affected[],
  c: { writer: Octokit; apply: boolean; sink: Sink; pullRequests?: { repoEntries: DependencyEntry[] } }
): Promise<NoticeResult> {
  const act = affected.filter(needsAction);
  if (!act.length || advisory.state !== 'published' || !advisory.publishedAt) return 'unchanged';
  const marker = noticeMarker(advisory.ghsa);
  const body = noticeBody(advisory, act);
  const pending = (why: string) =>
    c.sink.add(RULES.notifyPending, {
      message: `${repo} is affected by ${advisory.ghsa} (${advisory.repo}) and was not notified: ${why}.`,
      key: `${advisory.ghsa}\0${repo}`,
      properties: { advisory: advisory.ghsa, upstream: advisory.repo, repo }
    });
  if (!c.apply) {
    pending('the run did not apply (apply: false)');
    return 'pending';
  }
  const [owner, name] = repo.split('/');
  try {
    const existing = await findNotice(c.writer, repo, marker, advisory.publishedAt);
    if (existing?.state === 'closed') {
      c.sink.note(
        `${repo}: the notice of ${advisory.ghsa} (#${existing.number}) was closed by its maintainers; left as is.`
      );
      return 'closed';
    }
    if (existing?.body === body) return 'unchanged';
    const edits = !existing && c.pullRequests ? bumpPlan(act, c.pullRequests.repoEntries) : undefined;
    if (edits) {
      try {
        const title = `Move ${[...new Set(act.map((a) => a.entry.name))].join(', ')} past ${advisory.ghsa} (security)`;
        const r = await proposeBump(c.writer, advisory, repo, edits, { title, body });
        if (r === 'created') c.sink.note(`${repo}: opened a pull request moving the pin past ${advisory.ghsa}.`);
        return r;
      } catch (e) {
        c.sink.note(
          `${repo}: no pull request for ${advisory.ghsa} (${(e as { status?: number }).status ? describeApiError(e, 'contents: write, pull requests: write') : (e as Error).message}); an issue instead.`
        );
      }
    }
    const r = await upsertMarked(
      c.writer,
      { kind: 'issue', owner, repo: name, title: noticeTitle(advisory, act) },
      marker,
      body
    );
    c.sink.note(`${repo}: ${r.action === 'created' ? 'opened' : 'updated'} issue #${r.id} for ${advisory.ghsa}.`);
    return r.action;
  } catch (e) {
    pending(describeApiError(e, 'issues: write'));
    return 'failed';
  }
}
