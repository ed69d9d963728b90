// The contributor-trust model's shapes (docs/contributor-trust.md). A leaf:
// it imports nothing, so every part of the model and its callers share it.

/** An answer, or why there is none. A missing or partial answer is never read as "nothing found". */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export const checked = <T>(value: T): Checked<T> => ({ ok: true, value });
export const notChecked = <T = never>(reason: string): Checked<T> => ({ ok: false, reason });

/** What the model reads GitHub through: injected, so the model is pure and tests run it against the fake. */
export interface TrustIO {
  /** A GraphQL query. When GitHub answers with errors it rejects with `errors` and the partial `data` (as Octokit does). */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** A REST request in Octokit's `request` form: `rest('GET /users/{username}/orgs', { username })`. */
  rest(route: string, params?: Record<string, unknown>): Promise<{ data: unknown }>;
  now(): Date;
}

/** Who the ecosystem is: its organisations and repositories, its maintainers by fiat, and how deep paths may go. */
export interface Ecosystem {
  /** Organisations whose public repositories make up the ecosystem. */
  orgs: string[];
  /** Further repositories (`owner/name`). */
  repositories: string[];
  /** Logins trusted by fiat (maintainers named in the config), with where they are named. */
  roots: { login: string; source: string }[];
  /** The vouch file in each organisation's `.github` repository. */
  vouchFile: string;
  /** The longest chain from a maintainer to an author that counts (hops). */
  maxDepth: number;
  /** Years of commit history read (this one included): GitHub answers contributions a year at a time. */
  years: number;
}

export interface Vouch {
  by: string;
  for: string;
  why: string;
  since: string;
  expires?: string;
  /** `org/.github/trust.yml:12`. */
  source: string;
}

export interface Revocation {
  for: string;
  /** Only the vouches of this person; absent: every vouch for `for`. */
  by?: string;
  why: string;
  since: string;
  source: string;
}

/** A merged pull request of a person, with who merged and approved it. */
export interface MergedPull {
  repo: string;
  mergedAt: string;
  mergedBy?: string;
  approvers: { login: string; canPush: boolean }[];
}

/** A pull request a person reviewed, and whether they had push access to its repository. */
export interface GivenReview {
  repo: string;
  at: string;
  canPush: boolean;
}

/** A person's ecosystem history as the search API lists it (the newest entries; the totals count all). */
export interface History {
  merged: MergedPull[];
  mergedTotal: number;
  reviewed: GivenReview[];
  reviewedTotal: number;
}

export type EdgeKind = 'merged' | 'approved' | 'vouched';

/** `from` merged or approved PRs of `to`, or vouches for `to`. */
export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Repositories the PRs were in (merged, approved). */
  repos: string[];
  /** How many PRs (merged, approved); 1 for a vouch. */
  count: number;
  /** The count is of the PRs listed, and more exist. */
  atLeast: boolean;
  /** Date of the first PR, or the vouch's `since`. */
  since: string;
  vouch?: Vouch;
}

/** Why someone stands at the start of a path. */
export interface PathStart {
  login: string;
  /** `root` (named in the config) or `maintainer` (push access seen in an ecosystem repository). */
  kind: 'root' | 'maintainer';
  /** The config file that names a root; the repositories a maintainer has push access in. */
  where: string[];
}

/** A chain from a root or maintainer to the author; `steps[0].from` is `start.login`. */
export interface TrustPath {
  start: PathStart;
  steps: Edge[];
}

export interface Activity {
  total: number;
  /** In the repository the PR is for (when one is given). */
  here?: number;
  byYear: Record<string, number>;
  byRepo: Record<string, number>;
  /** byYear and byRepo count the newest `listed` entries only (total is larger). */
  listed: number;
  first?: string;
}

export interface Commits {
  /** Years read (oldest first). */
  years: number[];
  total: number;
  here?: number;
  byYear: Record<string, number>;
  byRepo: Record<string, number>;
  /** Public commits, PRs opened and reviews outside the ecosystem in those years, and in how many repositories. */
  outside: { contributions: number; repositories: number };
}

export interface Signing {
  /** The author's commits among the newest ones of their merged PRs. */
  commits: number;
  signed: number;
  verified: number;
  /** The newest signed commits use a key first seen within the last 90 days, after another key. */
  keyChange?: { at: string; from: string; to: string };
  /** The newest commits carry an email first seen within the last 90 days, after another one. */
  emailChange?: { at: string; from: string; to: string };
}

export interface Account {
  kind: 'user' | 'bot' | 'organization' | 'missing';
  id?: number;
  createdAt?: string;
  ageDays?: number;
  /** A known bot, verified by its account id (Dependabot, Renovate, pre-commit.ci, GitHub Actions). */
  knownBot?: string;
}

/** Where the author stands; what the PR scan weighs sensitive changes by. Never a number about a person. */
export type Standing = 'maintainer' | 'near' | 'far' | 'none' | 'unknown' | 'bot';

export interface VouchStatus {
  vouch: Vouch;
  /** counted, or why not. */
  status: 'counted' | 'expired' | 'revoked' | 'not yet valid' | 'voucher not trusted' | 'not checked';
  detail?: string;
}

export interface TrustReport {
  login: string;
  /** When it was computed (ISO). */
  at: string;
  ecosystem: { orgs: string[]; repositories: string[] };
  repo?: string;
  account: Checked<Account>;
  /** Public memberships of the ecosystem's organisations. */
  memberships: Checked<string[]>;
  merged: Checked<Activity>;
  reviews: Checked<Activity>;
  commits: Checked<Commits>;
  signing: Checked<Signing>;
  vouches: Checked<VouchStatus[]>;
  /** The shortest paths found (several when they start from different people); [] = none within maxDepth. */
  paths: Checked<TrustPath[]>;
  standing: Standing;
  /** Requests this author cost (the run's shared ones not included). */
  requests: number;
  notes: string[];
}
