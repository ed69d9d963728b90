// The GraphQL the trust model sends, and the reading of GitHub's answers. One
// request covers several people (aliases) and the whole ecosystem (search
// qualifiers, chunked); searches carry `is:public` and contributions in
// private repositories are dropped, so only public data is read. An answer
// without the promised fields raises ShapeError: its section is "not checked".
import type { GivenReview, MergedPull } from './types';

export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** A GraphQL string literal (JSON's escaping is GraphQL's). */
const lit = (s: string) => JSON.stringify(s);

/** Search qualifiers per request field: GitHub ORs `org:`/`repo:` qualifiers, and long queries are refused. */
const QUALIFIERS_PER_SEARCH = 6;

/** The ecosystem (plus the PR's repository) as chunks of `org:`/`repo:` qualifiers; repositories of a listed org are left out. */
export function scopeChunks(orgs: string[], repositories: string[]): string[] {
  const lower = new Set(orgs.map((o) => o.toLowerCase()));
  const repos = [...new Set(repositories.map((r) => r.toLowerCase()))].filter((r) => !lower.has(r.split('/')[0]));
  const terms = [...[...lower].map((o) => `org:${o}`), ...repos.map((r) => `repo:${r}`)];
  const chunks: string[] = [];
  for (let i = 0; i < terms.length; i += QUALIFIERS_PER_SEARCH)
    chunks.push(terms.slice(i, i + QUALIFIERS_PER_SEARCH).join(' '));
  return chunks;
}

export interface PersonQuery {
  alias: string;
  login: string;
  /** The author: account, contributions, commits and counts in the PR's repository too. */
  full: boolean;
  scope: string[];
  repo?: string;
  /** Contribution windows, one a year (full only). */
  years?: { year: number; from: string; to: string }[];
  /** PRs listed per search. */
  first: number;
}

const SIGNATURE = 'signature { isValid state ... on GpgSignature { keyId } ... on SshSignature { keyFingerprint } }';

function mergedSearch(q: PersonQuery, i: number, scope: string): string {
  const commits = q.full
    ? ` commits(last: 3) { nodes { commit { committedDate author { email user { login } } ${SIGNATURE} } } }`
    : '';
  const query = `is:pr is:merged is:public author:${q.login} ${scope} sort:created-desc`;
  return `${q.alias}m${i}: search(query: ${lit(query)}, type: ISSUE, first: ${q.first}) { issueCount nodes { ... on PullRequest { mergedAt repository { nameWithOwner } mergedBy { login } reviews(first: 10, states: [APPROVED]) { nodes { author { login } authorCanPushToRepository } }${commits} } } }`;
}

function reviewedSearch(q: PersonQuery, i: number, scope: string): string {
  const query = `is:pr is:public reviewed-by:${q.login} ${scope} sort:created-desc`;
  return `${q.alias}r${i}: search(query: ${lit(query)}, type: ISSUE, first: ${q.first}) { issueCount nodes { ... on PullRequest { repository { nameWithOwner } reviews(first: 1, author: ${lit(q.login)}) { nodes { authorCanPushToRepository submittedAt } } } } }`;
}

const BY_REPO =
  'maxRepositories: 100) { repository { nameWithOwner isPrivate } contributions(first: 1) { totalCount } }';

function userFields(q: PersonQuery): string {
  const years = (q.years ?? []).map(
    (y) =>
      `y${y.year}: contributionsCollection(from: ${lit(y.from)}, to: ${lit(y.to)}) { commitContributionsByRepository(${BY_REPO} pullRequestContributionsByRepository(${BY_REPO} pullRequestReviewContributionsByRepository(${BY_REPO} }`
  );
  return `${q.alias}u: user(login: ${lit(q.login)}) { login databaseId createdAt ${years.join(' ')} }`;
}

/** The fields for one person (all aliased under `q.alias`). */
export function personFields(q: PersonQuery): string {
  const parts = q.scope.flatMap((scope, i) => [mergedSearch(q, i, scope), reviewedSearch(q, i, scope)]);
  if (q.full) {
    parts.unshift(userFields(q));
    if (q.repo) {
      const here = `repo:${q.repo}`;
      parts.push(
        `${q.alias}hm: search(query: ${lit(`is:pr is:merged is:public author:${q.login} ${here}`)}, type: ISSUE, first: 1) { issueCount }`,
        `${q.alias}hr: search(query: ${lit(`is:pr is:public reviewed-by:${q.login} ${here}`)}, type: ISSUE, first: 1) { issueCount }`
      );
    }
  }
  return parts.join('\n');
}

/** The query of one request: the rate limit plus each part. */
export const request = (parts: string[]) => `query {\n  rateLimit { remaining resetAt }\n  ${parts.join('\n  ')}\n}`;

/** The vouch file of an organisation at `ref` (the `.github` repository). */
export const vouchFileField = (alias: string, org: string, ref: string, path: string) =>
  `${alias}: repository(owner: ${lit(org)}, name: ".github") { object(expression: ${lit(`${ref}:${path}`)}) { __typename ... on Blob { text isTruncated } } }`;

// ---------------------------------------------------------------------------
// Reading answers.

type Obj = Record<string, unknown>;

function obj(x: unknown, what: string): Obj {
  if (!x || typeof x !== 'object' || Array.isArray(x)) throw new ShapeError(`no ${what} in GitHub's answer`);
  return x as Obj;
}
function arr(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) throw new ShapeError(`no ${what} in GitHub's answer`);
  return x;
}
function str(x: unknown, what: string): string {
  if (typeof x !== 'string') throw new ShapeError(`no ${what} in GitHub's answer`);
  return x;
}
function num(x: unknown, what: string): number {
  if (typeof x !== 'number') throw new ShapeError(`no ${what} in GitHub's answer`);
  return x;
}
/** A login from an actor that may be null (a deleted account is GitHub's "ghost"). */
const loginOf = (x: unknown): string | undefined =>
  x && typeof x === 'object' && typeof (x as Obj).login === 'string' ? ((x as Obj).login as string) : undefined;

export interface CommitSignature {
  at: string;
  email: string;
  signed: boolean;
  valid: boolean;
  key?: string;
}

export interface MergedAnswer {
  total: number;
  pulls: MergedPull[];
  commits: CommitSignature[];
}

export function readMerged(x: unknown, login: string): MergedAnswer {
  const o = obj(x, 'search result');
  const pulls: MergedPull[] = [];
  const commits: CommitSignature[] = [];
  for (const n of arr(o.nodes, 'search nodes')) {
    const pr = obj(n, 'pull request');
    const approvers = arr(obj(pr.reviews, 'reviews').nodes, 'review nodes').flatMap((r) => {
      const who = loginOf(obj(r, 'review').author);
      const canPush = (r as Obj).authorCanPushToRepository;
      if (typeof canPush !== 'boolean') throw new ShapeError("no review's push access in GitHub's answer");
      return who ? [{ login: who, canPush }] : [];
    });
    pulls.push({
      repo: str(obj(pr.repository, 'repository').nameWithOwner, 'repository name'),
      mergedAt: str(pr.mergedAt, 'merge date'),
      mergedBy: loginOf(pr.mergedBy),
      approvers
    });
    if (pr.commits !== undefined) commits.push(...readCommits(pr.commits, login));
  }
  return { total: num(o.issueCount, 'issue count'), pulls, commits };
}

function readCommits(x: unknown, login: string): CommitSignature[] {
  return arr(obj(x, 'commits').nodes, 'commit nodes').flatMap((n) => {
    const c = obj(obj(n, 'commit').commit, 'commit');
    const author = obj(c.author, 'commit author');
    if (loginOf(author.user)?.toLowerCase() !== login.toLowerCase()) return [];
    const sig = c.signature === null ? null : obj(c.signature, 'signature');
    const key = sig ? ((sig.keyId ?? sig.keyFingerprint) as string | null | undefined) : undefined;
    return [
      {
        at: str(c.committedDate, 'commit date'),
        email: str(author.email, 'commit email'),
        signed: sig !== null,
        valid: sig !== null && sig.isValid === true,
        key: key ?? undefined
      }
    ];
  });
}

export function readReviewed(x: unknown): { total: number; reviews: GivenReview[] } {
  const o = obj(x, 'search result');
  const reviews = arr(o.nodes, 'search nodes').flatMap((n) => {
    const pr = obj(n, 'pull request');
    const repo = str(obj(pr.repository, 'repository').nameWithOwner, 'repository name');
    // A review the search matched may be pending (unsubmitted): it shows no submission date.
    return arr(obj(pr.reviews, 'reviews').nodes, 'review nodes').flatMap((r) => {
      const review = obj(r, 'review');
      if (typeof review.authorCanPushToRepository !== 'boolean')
        throw new ShapeError("no review's push access in GitHub's answer");
      return typeof review.submittedAt === 'string'
        ? [{ repo, at: review.submittedAt, canPush: review.authorCanPushToRepository }]
        : [];
    });
  });
  return { total: num(o.issueCount, 'issue count'), reviews };
}

export const readCount = (x: unknown) => num(obj(x, 'search result').issueCount, 'issue count');

export interface UserAnswer {
  id: number;
  createdAt: string;
  /** Per year: per public repository, commits, PRs opened and reviews. */
  years: Map<number, Map<string, { commits: number; pulls: number; reviews: number }>>;
}

export function readUser(x: unknown, years: number[]): UserAnswer {
  const u = obj(x, 'user');
  const out: UserAnswer['years'] = new Map();
  for (const year of years) {
    const c = obj(u[`y${year}`], `contributions of ${year}`);
    const repos = new Map<string, { commits: number; pulls: number; reviews: number }>();
    const add = (field: string, key: 'commits' | 'pulls' | 'reviews') => {
      for (const e of arr(c[field], field)) {
        const r = obj(obj(e, field).repository, 'repository');
        if (r.isPrivate !== false) continue; // public data only
        const name = str(r.nameWithOwner, 'repository name');
        const n = num(obj((e as Obj).contributions, 'contributions').totalCount, 'contribution count');
        const row = repos.get(name) ?? { commits: 0, pulls: 0, reviews: 0 };
        row[key] += n;
        repos.set(name, row);
      }
    };
    add('commitContributionsByRepository', 'commits');
    add('pullRequestContributionsByRepository', 'pulls');
    add('pullRequestReviewContributionsByRepository', 'reviews');
    out.set(year, repos);
  }
  return { id: num(u.databaseId, 'account id'), createdAt: str(u.createdAt, 'account creation date'), years: out };
}

/** A vouch file's text, null when the repository or file does not exist. */
export function readVouchFile(x: unknown): string | null {
  if (x === null) return null;
  const object = obj(x, 'repository').object;
  if (object === null) return null;
  const blob = obj(object, 'file');
  if (blob.__typename !== 'Blob') throw new ShapeError('the vouch file is not a file');
  if (blob.isTruncated === true) throw new ShapeError('the vouch file is too large for GitHub to return whole');
  return str(blob.text, 'file text');
}

export function readRate(x: unknown): { remaining: number; resetAt: string } | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const r = x as Obj;
  return typeof r.remaining === 'number' && typeof r.resetAt === 'string'
    ? { remaining: r.remaining, resetAt: r.resetAt }
    : undefined;
}
