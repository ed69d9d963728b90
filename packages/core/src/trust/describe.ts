// Trust reports in words: one line for a PR comment or job summary ("42
// merged PRs in numpy, scipy since 2021; merged by a numpy maintainer,
// @alice"), and the facts and paths line by line for the CLI. Facts and
// people only: no score about a person.
import type { Activity, Edge, PathStart, TrustPath, TrustReport } from './types';

/** `numpy/numpy` → `numpy`; other repositories keep their owner. */
export const shortRepo = (repo: string) => {
  const [owner, name] = repo.split('/');
  return owner.toLowerCase() === name?.toLowerCase() ? name : repo;
};

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

export function age(days: number): string {
  if (days < 60) return plural(days, 'day');
  if (days < 730) return plural(Math.floor(days / 30.44), 'month');
  return plural(Math.floor(days / 365.25), 'year');
}

/** `a maintainer of numpy` style: what puts someone at the start of a path. */
export function role(s: PathStart): string {
  return s.kind === 'root' ? `root in ${s.where[0]}` : `${s.where.map(shortRepo).slice(0, 2).join(', ')} maintainer`;
}

const repoList = (repos: string[]) =>
  repos.length > 3
    ? `${repos.slice(0, 3).map(shortRepo).join(', ')} and ${repos.length - 3} more`
    : repos.map(shortRepo).join(', ');

/** One edge as evidence: "@alice merged 12 PRs of @bob in numpy since 2022". */
export function edgeText(e: Edge, start?: PathStart): string {
  const who = `@${e.from}${start ? ` (${role(start)})` : ''}`;
  if (e.kind === 'vouched')
    return `${who} vouches for @${e.to} since ${e.since} (${e.vouch!.source}: "${e.vouch!.why}")`;
  const n = `${e.atLeast ? 'at least ' : ''}${plural(e.count, 'PR')}`;
  return `${who} ${e.kind} ${n} of @${e.to} in ${repoList(e.repos)} since ${e.since.slice(0, 4)}`;
}

/** A path as people and evidence, from the maintainer to the author. */
export function pathText(p: TrustPath): string {
  if (!p.steps.length) return `@${p.start.login} is a ${role(p.start)}`;
  return p.steps.map((e, i) => edgeText(e, i === 0 ? p.start : undefined)).join('; ');
}

function mergedText(a: Activity): string | undefined {
  if (!a.total) return undefined;
  const repos = Object.entries(a.byRepo)
    .sort((x, y) => y[1] - x[1])
    .map(([r]) => r);
  const since = a.first?.slice(0, 4);
  // The lists hold the newest PRs: with more than listed, the first one is older than any listed.
  return `${plural(a.total, 'merged PR')} in ${repoList(repos)} ${a.listed < a.total ? `(the newest ${a.listed} since ${since})` : `since ${since}`}`;
}

/** Who connects the author to the maintainers, in a few words. */
function nearest(p: TrustPath): string {
  if (!p.steps.length) return `${role(p.start)} (push access)`;
  const last = p.steps[p.steps.length - 1];
  const direct = p.steps.length === 1;
  const by = direct ? `a ${role(p.start)}, @${last.from}` : `@${last.from}`;
  const how =
    last.kind === 'merged'
      ? `merged by ${by}`
      : last.kind === 'approved'
        ? `reviewed by ${by}`
        : `vouched for by ${direct ? `@${last.from} (${role(p.start)})` : `@${last.from}`} since ${last.since}`;
  return direct ? how : `${how}, ${plural(p.steps.length, 'hop')} from @${p.start.login} (${role(p.start)})`;
}

/** The one line a maintainer reads in the PR comment or job summary. */
export function contextLine(r: TrustReport): string {
  const parts: string[] = [];
  const acct = r.account.ok ? r.account.value : undefined;
  if (acct?.kind === 'bot') return acct.knownBot ? `verified bot (${acct.knownBot})` : `unverified app bot @${r.login}`;
  if (acct?.kind === 'missing') return `no GitHub account @${r.login}`;
  const merged = r.merged.ok ? mergedText(r.merged.value) : undefined;
  if (merged) parts.push(merged);
  else if (r.merged.ok) parts.push('first contribution to the ecosystem');
  if (r.paths.ok && r.paths.value.length) parts.push(nearest(r.paths.value[0]));
  if (acct?.ageDays !== undefined && acct.ageDays < 730) parts.push(`account ${age(acct.ageDays)} old`);
  if (r.paths.ok && !r.paths.value.length) {
    const vouches = r.vouches.ok ? r.vouches.value : [];
    parts.push(
      vouches.length
        ? `${plural(vouches.length, 'vouch')} that do${vouches.length === 1 ? 'es' : ''} not count (${vouches.map((v) => `@${v.vouch.by}: ${v.status}`).join(', ')})`
        : 'no vouch'
    );
    const out = r.commits.ok ? r.commits.value.outside : undefined;
    if (out?.contributions)
      parts.push(
        `active elsewhere (${plural(out.contributions, 'public contribution')} in ${plural(out.repositories, 'repository', 'repositories')})`
      );
  }
  if (r.signing.ok) {
    const { keyChange, emailChange } = r.signing.value;
    if (keyChange) parts.push(`signing key changed ${keyChange.at.slice(0, 10)}`);
    if (emailChange) parts.push(`commit email changed ${emailChange.at.slice(0, 10)}`);
  }
  if (!r.paths.ok) parts.push(`path to the maintainers not checked: ${r.paths.reason}`);
  return parts.join('; ');
}

const years = (m: Record<string, number>) =>
  Object.entries(m)
    .sort()
    .map(([y, n]) => `${y} ${n}`)
    .join(' · ');
const repos = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r} ${n}`)
    .join(' · ');

function activityText(a: Activity): string {
  const here = a.here === undefined ? '' : `, ${a.here} in this repository`;
  if (!a.total) return `none in the ecosystem${here}`;
  const listed = a.listed < a.total ? ` (by repository and year: the newest ${a.listed})` : '';
  return `${a.total} in the ecosystem${here}${listed}: ${repos(a.byRepo)}; by year ${years(a.byYear)}`;
}

/** The facts and paths, one `[label, text]` per line; a section that could not be read says why. */
export function explain(r: TrustReport): [string, string][] {
  const line = <T>(label: string, c: { ok: true; value: T } | { ok: false; reason: string }, f: (v: T) => string) =>
    [label, c.ok ? f(c.value) : `not checked: ${c.reason}`] as [string, string];
  const out: [string, string][] = [
    line('Account', r.account, (a) =>
      a.kind === 'bot'
        ? a.knownBot
          ? `${a.knownBot}, verified by its account id ${a.id}`
          : `a GitHub App's bot, not a known one`
        : a.createdAt
          ? `created ${a.createdAt.slice(0, 10)} (${age(a.ageDays ?? 0)} ago)`
          : a.kind
    ),
    line('Public membership', r.memberships, (m) =>
      m.length ? m.join(', ') : 'none of the ecosystem’s organisations'
    ),
    line('Merged PRs', r.merged, activityText),
    line('Reviews given', r.reviews, activityText),
    line('Commits', r.commits, (c) => {
      const here = c.here === undefined ? '' : `, ${c.here} in this repository`;
      const inside = c.total
        ? `${c.total} in the ecosystem${here}: ${repos(c.byRepo)}; by year ${years(c.byYear)}`
        : `none in the ecosystem${here}`;
      return `${c.years[0]}–${c.years[c.years.length - 1]}: ${inside}; elsewhere ${c.outside.contributions} public contributions in ${c.outside.repositories} repositories`;
    }),
    line('Signing', r.signing, (s) => {
      if (!s.commits) return 'no commits of theirs in their recent merged PRs';
      const changes = [
        s.keyChange
          ? `key changed ${s.keyChange.at.slice(0, 10)} (${s.keyChange.from} → ${s.keyChange.to})`
          : 'key unchanged',
        s.emailChange
          ? `email changed ${s.emailChange.at.slice(0, 10)} (${s.emailChange.from} → ${s.emailChange.to})`
          : 'email unchanged'
      ];
      return `${s.signed} of ${s.commits} recent commits signed, ${s.verified} verified; ${changes.join('; ')} (last 90 days)`;
    }),
    line('Vouches', r.vouches, (vs) =>
      vs.length
        ? vs
            .map(
              (v) =>
                `@${v.vouch.by} since ${v.vouch.since} (${v.vouch.source}): ${v.status}${v.detail ? ` (${v.detail})` : ''}`
            )
            .join('; ')
        : 'none'
    )
  ];
  if (!r.paths.ok) out.push(['Paths', `not checked: ${r.paths.reason}`]);
  else if (!r.paths.value.length) out.push(['Paths', 'none: nothing links them to the maintainers']);
  else r.paths.value.forEach((p, i) => out.push([i ? '' : `Paths (${plural(p.steps.length, 'hop')})`, pathText(p)]));
  for (const n of r.notes) out.push(['Note', n]);
  return out;
}
