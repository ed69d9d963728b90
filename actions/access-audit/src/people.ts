// Possibly inactive people with elevated access, from layered evidence, cheapest
// first: commits on the default branches already fetched with the repositories;
// then GitHub's contribution data (commits, issues, pull requests, reviews) in
// windows of at most a year, GitHub's limit; then the organization audit log,
// which only GitHub Enterprise Cloud has. Each layer only asks about the people
// the previous ones did not see. A finding says "possibly inactive" and lists
// the evidence looked at; nobody is removed.
import { describeApiError } from '@security-actions/core';
import type { Add, AuditIO, Skip } from './engine';
import { type ContributionsData, activityQuery, auditLogQuery } from './queries';
import { RULES } from './rules';

const DAY = 86_400_000;
const BATCH = 20;

export interface InactivityInput {
  org: string;
  now: Date;
  inactiveDays: number;
  /** login → repositories where the person holds admin or maintain. */
  elevated: Map<string, string[]>;
  /** Lower-cased logins seen committing to an audited default branch within the window. */
  committers: Set<string>;
  /** Whether the default-branch history was readable for every audited repository. */
  historyComplete: boolean;
}

export async function inactivity(
  io: AuditIO,
  input: InactivityInput,
  add: Add,
  skip: Skip,
  notes: string[]
): Promise<void> {
  const { now, inactiveDays } = input;
  let unseen = [...input.elevated.keys()].filter((l) => !input.committers.has(l.toLowerCase())).sort();
  const unknown = new Map<string, string>(); // login → why it could not be decided
  const sources = [
    input.historyComplete
      ? 'commits on the audited default branches'
      : 'commits on the default branches that were readable'
  ];

  // GitHub's contribution data, one window of at most 365 days at a time, newest first.
  const start = now.getTime() - inactiveDays * DAY;
  for (let to = now.getTime(); to > start && unseen.length; to -= 365 * DAY) {
    const from = Math.max(start, to - 365 * DAY);
    const active = new Set<string>();
    for (let i = 0; i < unseen.length; i += BATCH) {
      const batch = unseen.slice(i, i + BATCH);
      try {
        const vars: Record<string, unknown> = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
        batch.forEach((l, j) => (vars[`u${j}`] = l));
        const { data, errors } = await io.graphql(activityQuery(batch.length), vars);
        batch.forEach((login, j) => {
          const c = (data?.[`u${j}`] as { contributionsCollection?: ContributionsData } | null | undefined)
            ?.contributionsCollection;
          if (!c) unknown.set(login, errors?.find((e) => e.path?.[0] === `u${j}`)?.message ?? 'no contribution data');
          else if (total(c) > 0) active.add(login);
        });
      } catch (e) {
        for (const login of batch) unknown.set(login, describeApiError(e));
      }
    }
    unseen = unseen.filter((l) => !active.has(l) && !unknown.has(l));
  }
  sources.push('contributions on GitHub (commits, issues, pull requests, reviews)');

  // The audit log sees what contributions do not (merges, settings, web activity); Enterprise Cloud only.
  if (unseen.length) {
    const since = new Date(start).toISOString().slice(0, 10);
    let available = true;
    const active = new Set<string>();
    for (let i = 0; i < unseen.length && available; i += BATCH) {
      const batch = unseen.slice(i, i + BATCH);
      const vars: Record<string, unknown> = { org: input.org };
      batch.forEach((l, j) => (vars[`q${j}`] = `actor:${l} created:>=${since}`));
      try {
        const { data, errors } = await io.graphql(auditLogQuery(batch.length), vars);
        const log = data?.organization as Record<string, { nodes?: unknown[] } | null> | null | undefined;
        if (!log || batch.some((_, j) => !log[`a${j}`])) {
          available = false;
          notes.push(
            `The organization audit log was not readable (${errors?.[0]?.message ?? 'no answer'}); it exists on GitHub Enterprise Cloud only. Inactivity was judged from commits and contributions.`
          );
          break;
        }
        batch.forEach((login, j) => {
          if (log[`a${j}`]?.nodes?.length) active.add(login);
        });
      } catch (e) {
        available = false;
        notes.push(
          `The organization audit log was not readable (${describeApiError(e)}); inactivity was judged from commits and contributions.`
        );
      }
    }
    if (available) sources.push('the organization audit log');
    unseen = unseen.filter((l) => !active.has(l));
  }

  for (const [login, reason] of unknown) skip(RULES.inactive.id, `not checked: ${reason}`, login);
  for (const login of unseen) {
    const repos = input.elevated.get(login)!;
    add(RULES.inactive, undefined, {
      message: `${login} holds admin or maintain on ${repos.length} repositor${repos.length === 1 ? 'y' : 'ies'} (${repos.slice(0, 5).join(', ')}${repos.length > 5 ? ', …' : ''}) and shows no activity in the last ${inactiveDays} days: possibly inactive.`,
      key: login,
      confidence: 'medium',
      properties: { login, repos, evidence: sources }
    });
  }
}

const total = (c: ContributionsData) =>
  c.totalCommitContributions +
  c.totalIssueContributions +
  c.totalPullRequestContributions +
  c.totalPullRequestReviewContributions +
  c.restrictedContributionsCount;
