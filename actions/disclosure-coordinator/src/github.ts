// Reading GitHub for the coordinator: the repositories of an organization,
// repository security advisories (per organization, else per repository), and
// the rate budget every step checks before it spends requests. An answer
// without the fields the coordinator relies on is an error, never "none".
import picomatch from 'picomatch';
import { isRateLimitError, type Octokit } from '@security-actions/core';
import type { Advisory, AdvisoryState, TrackedRepo, Vulnerability } from './types';

const STATES: AdvisoryState[] = ['triage', 'draft', 'published', 'closed', 'withdrawn'];

/** Stops spending once fewer than `reserve` requests would be left (or GitHub refused for the rate limit). */
export class Budget {
  exhausted = false;
  constructor(
    private readonly remaining: () => number | undefined,
    private readonly reserve: number
  ) {}

  /** Whether `cost` more requests fit; once it says no, it keeps saying no. */
  allows(cost = 1): boolean {
    const left = this.remaining();
    if (!this.exhausted && left !== undefined && left - cost < this.reserve) this.exhausted = true;
    return !this.exhausted;
  }

  /** Marks the budget spent when `e` is a rate-limit refusal. */
  note(e: unknown): void {
    if (isRateLimitError(e)) this.exhausted = true;
  }

  /** Rethrows `e`, after `note`. */
  fail(e: unknown): never {
    this.note(e);
    throw e;
  }
}

export const OUT_OF_BUDGET = 'not checked: the API rate budget ran out before it';

/** The repositories of an organization, as the list endpoint gives them. */
export async function orgRepos(
  api: Octokit,
  org: string
): Promise<(TrackedRepo & { archived: boolean; fork: boolean })[]> {
  const out: (TrackedRepo & { archived: boolean; fork: boolean })[] = [];
  for await (const { data } of api.paginate.iterator('GET /orgs/{org}/repos', { org, type: 'all', per_page: 100 })) {
    for (const r of data) {
      if (typeof r.full_name !== 'string')
        throw new Error(`GitHub answered the repository list of ${org} without full_name`);
      out.push({
        fullName: r.full_name,
        private: r.private,
        pushedAt: r.pushed_at ?? null,
        archived: Boolean(r.archived),
        fork: Boolean(r.fork)
      });
    }
  }
  return out;
}

/** One repository's metadata (for repositories configured outside the tracked organizations). */
export async function repoInfo(api: Octokit, fullName: string): Promise<TrackedRepo & { archived: boolean }> {
  const [owner, repo] = fullName.split('/');
  const { data } = await api.request('GET /repos/{owner}/{repo}', { owner, repo });
  return { fullName: data.full_name, private: data.private, pushedAt: data.pushed_at ?? null, archived: data.archived };
}

/** Every advisory of an organization (`org`) or of one repository (`owner/name`), any state. */
export async function listAdvisories(api: Octokit, scope: { org: string } | { repo: string }): Promise<unknown[]> {
  const out: unknown[] = [];
  const iterator =
    'org' in scope
      ? api.paginate.iterator('GET /orgs/{org}/security-advisories', { org: scope.org, per_page: 100 })
      : api.paginate.iterator('GET /repos/{owner}/{repo}/security-advisories', {
          owner: scope.repo.split('/')[0],
          repo: scope.repo.split('/')[1],
          per_page: 100
        });
  for await (const { data } of iterator) {
    if (!Array.isArray(data)) throw new Error('GitHub answered the advisory list without a list');
    out.push(...data);
  }
  return out;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** An advisory as the coordinator uses it, or the reason GitHub's answer lacks what it needs. */
export function parseAdvisory(raw: unknown): Advisory | string {
  const a = (raw ?? {}) as Record<string, unknown>;
  const ghsa = str(a.ghsa_id);
  const url = str(a.url);
  const state = str(a.state) as AdvisoryState | null;
  const createdAt = str(a.created_at);
  // The advisory's repository is only in its API URL: …/repos/{owner}/{repo}/security-advisories/{id}.
  const repo = url ? /\/repos\/([^/]+\/[^/]+)\/security-advisories\//.exec(url)?.[1] : undefined;
  const missing = [
    !ghsa && 'ghsa_id',
    !repo && 'url',
    !(state && STATES.includes(state)) && 'state',
    !createdAt && 'created_at',
    !Array.isArray(a.collaborating_users) && a.collaborating_users !== null && 'collaborating_users'
  ].filter(Boolean);
  if (missing.length) return `GitHub answered an advisory (${ghsa ?? 'no id'}) without ${missing.join(', ')}`;
  const vulns: Vulnerability[] = Array.isArray(a.vulnerabilities)
    ? (a.vulnerabilities as Record<string, unknown>[]).map((v) => {
        const pkg = (v.package ?? {}) as Record<string, unknown>;
        return {
          ecosystem: str(pkg.ecosystem) ?? 'other',
          name: str(pkg.name),
          range: str(v.vulnerable_version_range),
          patched: str(v.patched_versions)
        };
      })
    : [];
  const fork = (a.private_fork ?? null) as { full_name?: unknown } | null;
  return {
    ghsa: ghsa!,
    repo: repo!,
    state: state!,
    summary: str(a.summary) ?? '',
    severity: str(a.severity),
    cveId: str(a.cve_id),
    url: str(a.html_url) ?? url!,
    createdAt: createdAt!,
    publishedAt: str(a.published_at),
    report: a.submission !== null && a.submission !== undefined,
    vulnerabilities: vulns,
    collaborators: ((a.collaborating_users ?? []) as { login?: unknown }[]).map((u) => String(u.login)),
    privateFork: fork ? str(fork.full_name) : null
  };
}

/** Matches `owner/name` against globs (`*` within a segment), case-insensitively as GitHub names are. */
export function globMatcher(globs: string[]): (name: string) => boolean {
  if (!globs.length) return () => false;
  const match = picomatch(globs, { nocase: true, dot: true });
  return (name) => match(name);
}
