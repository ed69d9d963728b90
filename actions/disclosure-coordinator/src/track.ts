// Tracking: each advisory against the service levels and the hygiene of a
// disclosure (private fork, CVE, patched versions), private vulnerability
// reporting on every tracked public repository, and releases that announce a
// security fix no advisory covers. Unpublished advisories are named by id,
// repository, state and age only: their summary and packages stay in the
// advisory.
import pLimit from 'p-limit';
import { type Octokit, describeApiError, patchedVersions } from '@security-actions/core';
import { type Budget, OUT_OF_BUDGET } from './github';
import { RULES } from './rules';
import type { Advisory, DisclosureConfig, Sink, TrackedRepo } from './types';

const DAY = 86_400_000;
export const OPEN_STATES = new Set(['triage', 'draft']);

export const ageDays = (since: string, now: Date): number => Math.floor((now.getTime() - Date.parse(since)) / DAY);
const dateAfter = (since: string, days: number) => new Date(Date.parse(since) + days * DAY).toISOString().slice(0, 10);

export function trackAdvisory(
  a: Advisory,
  repo: TrackedRepo | undefined,
  c: { now: Date; config: DisclosureConfig; sink: Sink }
): void {
  const { acknowledge, fix } = c.config.serviceLevels;
  const age = ageDays(a.createdAt, c.now);
  const props = { repo: a.repo, advisory: a.ghsa, state: a.state, ageDays: age };
  const add = (rule: (typeof RULES)[keyof typeof RULES], message: string, extra: Record<string, unknown> = {}) =>
    c.sink.add(rule, { message, key: a.ghsa, properties: { ...props, ...extra } });
  if (a.state === 'triage' && age > acknowledge)
    add(
      RULES.reportUnanswered,
      `${a.repo}: private report ${a.ghsa} has waited ${age} days for an answer (service level ${acknowledge} days, due ${dateAfter(a.createdAt, acknowledge)}).`,
      { due: dateAfter(a.createdAt, acknowledge) }
    );
  if (OPEN_STATES.has(a.state) && age > fix)
    add(
      RULES.fixOverdue,
      `${a.repo}: ${a.ghsa} (${a.state}) is ${age} days old and not published (service level ${fix} days, due ${dateAfter(a.createdAt, fix)}).`,
      { due: dateAfter(a.createdAt, fix) }
    );
  if (a.state === 'draft' && !a.privateFork)
    add(RULES.noPrivateFork, `${a.repo}: draft advisory ${a.ghsa} has no temporary private fork.`);
  if ((a.state === 'draft' || a.state === 'published') && repo && !repo.private && !a.cveId)
    add(RULES.noCve, `${a.repo}: ${a.state} advisory ${a.ghsa} has no CVE.`);
  if (a.state === 'published') {
    const unpatched = a.vulnerabilities.filter((v) => !patchedVersions(v.patched).length);
    if (!a.vulnerabilities.length || unpatched.length)
      add(
        RULES.noPatchedVersion,
        `${a.repo}: published advisory ${a.ghsa} names no patched version${unpatched.length ? ` for ${unpatched.map((v) => v.name ?? v.ecosystem).join(', ')}` : ''}.`
      );
  }
}

/** Private vulnerability reporting on each tracked public repository (one request each). */
export async function checkReporting(api: Octokit, repos: TrackedRepo[], budget: Budget, sink: Sink): Promise<void> {
  const limit = pLimit(8);
  await Promise.all(
    repos
      .filter((r) => !r.private)
      .map((r) =>
        limit(async () => {
          if (!budget.allows()) return sink.skip(RULES.reportingOff.id, OUT_OF_BUDGET, r.fullName);
          const [owner, repo] = r.fullName.split('/');
          try {
            const { data } = await api
              .request('GET /repos/{owner}/{repo}/private-vulnerability-reporting', { owner, repo })
              .catch((e: unknown) => budget.fail(e));
            if (typeof data?.enabled !== 'boolean') throw new Error('GitHub answered without `enabled`');
            if (!data.enabled)
              sink.add(RULES.reportingOff, {
                message: `${r.fullName}: private vulnerability reporting is off.`,
                key: r.fullName,
                properties: { repo: r.fullName }
              });
          } catch (e) {
            sink.skip(RULES.reportingOff.id, `not checked: ${describeApiError(e, 'metadata: read')}`, r.fullName);
          }
        })
      )
  );
}

const SECURITY_WORDS =
  /\b(CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|security (?:fix|issue|vulnerability|release|patch|advisory)|vulnerabilit(?:y|ies))\b/i;

/**
 * Releases of the last `releasesLookback` days whose name or notes announce a security fix, in
 * repositories pushed to in that time, that no advisory of the repository covers: one that the
 * notes name (GHSA or CVE), that lists the release as patched, or a draft still in progress.
 */
export async function checkReleases(
  api: Octokit,
  repos: TrackedRepo[],
  advisories: Advisory[],
  c: { now: Date; config: DisclosureConfig; budget: Budget; sink: Sink }
): Promise<void> {
  const since = c.now.getTime() - c.config.releasesLookback * DAY;
  const limit = pLimit(8);
  const recent = repos.filter((r) => r.pushedAt && Date.parse(r.pushedAt) >= since);
  await Promise.all(
    recent.map((r) =>
      limit(async () => {
        if (!c.budget.allows()) return c.sink.skip(RULES.fixWithoutAdvisory.id, OUT_OF_BUDGET, r.fullName);
        const [owner, repo] = r.fullName.split('/');
        let releases: {
          tag_name: string;
          name?: string | null;
          body?: string | null;
          published_at: string | null;
          html_url: string;
        }[];
        try {
          ({ data: releases } = await api
            .request('GET /repos/{owner}/{repo}/releases', { owner, repo, per_page: 10 })
            .catch((e: unknown) => c.budget.fail(e)));
        } catch (e) {
          return c.sink.skip(
            RULES.fixWithoutAdvisory.id,
            `not checked: ${describeApiError(e, 'contents: read')}`,
            r.fullName
          );
        }
        const own = advisories.filter(
          (a) => a.repo.toLowerCase() === r.fullName.toLowerCase() && a.state !== 'withdrawn'
        );
        for (const rel of releases) {
          if (!rel.published_at || Date.parse(rel.published_at) < since) continue;
          const text = `${rel.name ?? ''}\n${rel.body ?? ''}`;
          const hit = SECURITY_WORDS.exec(text);
          if (!hit) continue;
          const version = rel.tag_name.replace(/^v/i, '');
          const covered = own.some(
            (a) =>
              a.state === 'draft' ||
              text.includes(a.ghsa) ||
              (a.cveId && text.includes(a.cveId)) ||
              a.vulnerabilities.some((v) => patchedVersions(v.patched).includes(version))
          );
          if (covered) continue;
          c.sink.add(RULES.fixWithoutAdvisory, {
            message: `${r.fullName}: release ${rel.tag_name} (${rel.published_at.slice(0, 10)}) mentions "${hit[0]}" but no advisory of the repository covers it.`,
            key: `${r.fullName}@${rel.tag_name}`,
            confidence: 'medium',
            properties: { repo: r.fullName, release: rel.tag_name, url: rel.html_url }
          });
        }
      })
    )
  );
}
