// Possibly inactive people with elevated access, from layered evidence, cheapest
// first: commits on the default branches already fetched with the repositories;
// then GitHub's contribution data (commits, issues, pull requests, reviews) in
// windows of at most a year, GitHub's limit; then the organization audit log,
// which only GitHub Enterprise Cloud has. Each layer only asks about the people
// the previous ones did not see. A finding says "possibly inactive" and lists
// the evidence looked at; nobody is removed.
import { defineRules, describeApiError, rulesOf } from '@security-actions/core';
import { type ContributionsData, activityQuery, auditLogQuery } from '../queries';
import type { AfterCheck, AfterContext, Gathered } from '../types';

export const RULES = defineRules({
  inactive: {
    id: 'people/possibly-inactive',
    title: 'Person with elevated access shows no recent activity',
    severity: 'low',
    why: 'Dormant accounts with admin or maintain access are attractive targets and rarely noticed when compromised.',
    remediation:
      'Follow the SPEC 6 review: ask the person whether they still need the access, then lower it if not. Nobody is removed automatically.',
    spec: ['S6-3', 'S6-8']
  }
});

const DAY = 86_400_000;
const BATCH = 20;

export const inactivity: AfterCheck = {
  id: 'inactivity',
  scope: 'after',
  rules: rulesOf(RULES),
  run: (c) => judge(c, c.gathered)
};

async function judge({ io, org, now, inactiveDays, add, skip, notes }: AfterContext, input: Gathered): Promise<void> {
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
      const vars: Record<string, unknown> = { org };
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
