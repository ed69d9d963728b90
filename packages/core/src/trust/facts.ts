// The facts about an author, from what the searches and contributions
// returned: activity by year and repository, commits in the ecosystem and
// outside it, and whether their commits are signed and with which key and
// email lately.
import { compareStrings } from '../sorted';
import type { CommitSignature, UserAnswer } from './queries';
import type { Activity, Commits, Signing } from './types';

/** A change of key or email counts as recent within this many days. */
export const RECENT_DAYS = 90;

const bump = (m: Record<string, number>, k: string, n = 1) => void (m[k] = (m[k] ?? 0) + n);

export function activity(items: { repo: string; at: string }[], total: number, here?: number): Activity {
  const byYear: Record<string, number> = {};
  const byRepo: Record<string, number> = {};
  for (const i of items) {
    bump(byYear, i.at.slice(0, 4));
    bump(byRepo, i.repo);
  }
  const first = items.map((i) => i.at).sort()[0];
  return { total, ...(here === undefined ? {} : { here }), byYear, byRepo, listed: items.length, first };
}

export function commitFacts(u: UserAnswer, inEcosystem: (repo: string) => boolean, here?: string): Commits {
  const byYear: Record<string, number> = {};
  const byRepo: Record<string, number> = {};
  const outsideRepos = new Set<string>();
  let outside = 0;
  let total = 0;
  let inHere = 0;
  for (const [year, repos] of u.years) {
    for (const [repo, c] of repos) {
      if (!inEcosystem(repo)) {
        outside += c.commits + c.pulls + c.reviews;
        outsideRepos.add(repo);
        continue;
      }
      if (!c.commits) continue;
      bump(byYear, String(year), c.commits);
      bump(byRepo, repo, c.commits);
      total += c.commits;
      if (here && repo.toLowerCase() === here.toLowerCase()) inHere += c.commits;
    }
  }
  return {
    years: [...u.years.keys()].sort(),
    total,
    ...(here ? { here: inHere } : {}),
    byYear,
    byRepo,
    outside: { contributions: outside, repositories: outsideRepos.size }
  };
}

/** Where the newest run of `value` began after an older, different value, when that was recent. */
function change(
  rows: { at: string; value: string }[],
  now: Date
): { at: string; from: string; to: string } | undefined {
  const [newest] = rows;
  const older = rows.findIndex((r) => r.value !== newest?.value);
  if (!newest || older < 0) return undefined;
  const began = rows[older - 1].at;
  return now.getTime() - Date.parse(began) <= RECENT_DAYS * 86_400_000
    ? { at: began, from: rows[older].value, to: newest.value }
    : undefined;
}

export function signingFacts(commits: CommitSignature[], now: Date): Signing {
  const newestFirst = [...commits].sort((a, b) => compareStrings(b.at, a.at));
  const keyChange = change(
    newestFirst.filter((c) => c.key).map((c) => ({ at: c.at, value: c.key! })),
    now
  );
  const emailChange = change(
    newestFirst.map((c) => ({ at: c.at, value: c.email.toLowerCase() })),
    now
  );
  return {
    commits: commits.length,
    signed: commits.filter((c) => c.signed).length,
    verified: commits.filter((c) => c.valid).length,
    ...(keyChange ? { keyChange } : {}),
    ...(emailChange ? { emailChange } : {})
  };
}
