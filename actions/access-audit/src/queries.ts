// The GraphQL queries the audit sends. Repository data comes in batches of
// aliased `repository(...)` fields so that a failed batch names exactly the
// repositories it leaves unaudited; nested `first` values are kept small to
// bound the node count (GitHub refuses more than 500,000 nodes per call).
import { ASSESSMENT_FIELDS } from './assessment/fields';

/**
 * The repository fields, by the name a GraphQL error path gives them. A field
 * the token cannot read makes GitHub null the whole repository (the
 * connections are non-null), so a failing field is dropped from later queries
 * and reported as not checked instead.
 */
export const REPO_FIELDS: Record<string, string> = {
  base: 'name isArchived isFork isPrivate defaultBranchRef { name }',
  branchProtectionRules:
    'branchProtectionRules(first: 30) { nodes { pattern requiresApprovingReviews requiredApprovingReviewCount allowsForcePushes allowsDeletions requiresCommitSignatures } }',
  rulesets: `rulesets(first: 30, includeParents: true) {
      nodes {
        name enforcement target
        conditions { refName { include exclude } }
        rules(first: 30) { nodes { type parameters { ... on PullRequestParameters { requiredApprovingReviewCount } } } }
      }
    }`,
  releaseBranches: 'releaseBranches: refs(refPrefix: "refs/heads/", query: "release", first: 20) { nodes { name } }',
  environments: `environments(first: 10) {
      nodes {
        name
        protectionRules(first: 3) {
          nodes {
            type preventSelfReview
            reviewers(first: 6) { nodes { __typename ... on User { login } ... on Team { slug } } }
          }
        }
      }
    }`,
  collaborators: 'collaborators(first: 100) { edges { permission node { login } } }',
  outside: 'outside: collaborators(affiliation: OUTSIDE, first: 100) { edges { permission node { login } } }',
  deployKeys: 'deployKeys(first: 20) { nodes { title readOnly createdAt } }',
  pyproject: 'pyproject: object(expression: "HEAD:pyproject.toml") { ... on Blob { text } }',
  sec1: 'sec1: object(expression: "HEAD:SECURITY.md") { __typename }',
  sec2: 'sec2: object(expression: "HEAD:.github/SECURITY.md") { __typename }',
  sec3: 'sec3: object(expression: "HEAD:docs/SECURITY.md") { __typename }',
  vulnerabilityAlerts: 'vulnerabilityAlerts: hasVulnerabilityAlertsEnabled',
  dependabot: 'dependabot: object(expression: "HEAD:.github/dependabot.yml") { ... on Blob { text } }',
  dependabot2: 'dependabot2: object(expression: "HEAD:.github/dependabot.yaml") { ... on Blob { text } }',
  // Who committed to the default branch lately: evidence of activity at no extra request.
  activity:
    'activity: defaultBranchRef { target { ... on Commit { history(first: 50, since: $since) { nodes { author { user { login } } committer { user { login } } } } } } }',
  // A list, not a connection: the workflow files add no rate-limit cost and no request.
  workflows:
    'workflows: object(expression: "HEAD:.github/workflows") { ... on Tree { entries { name type object { ... on Blob { text byteSize isBinary isTruncated } } } } }',
  ...ASSESSMENT_FIELDS
};

/** One query for `n` repositories, variables `$org`, `$n0 … $n{n-1}` and (with the activity field) `$since`. */
export function repoBatchQuery(n: number, omit: ReadonlySet<string> = new Set()): string {
  const vars = [
    ...Array.from({ length: n }, (_, i) => `$n${i}: String!`),
    ...(omit.has('activity') ? [] : ['$since: GitTimestamp!'])
  ].join(', ');
  const body = Object.entries(REPO_FIELDS)
    .filter(([k]) => !omit.has(k))
    .map(([, f]) => `    ${f}`)
    .join('\n');
  const fields = Array.from(
    { length: n },
    (_, i) => `  r${i}: repository(owner: $org, name: $n${i}) {\n${body}\n  }`
  ).join('\n');
  return `query($org: String!, ${vars}) {\n${fields}\n}`;
}

/**
 * Team members, once per organization rather than under every environment
 * reviewer: GitHub's cost formula multiplies nested connections, and members
 * nested under reviewers would cost more than all other repository fields.
 * Two people are enough to decide "at least two reviewers".
 */
export const TEAMS = `query($org: String!, $after: String) {
  organization(login: $org) {
    teams(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { slug members(first: 2) { nodes { login } } }
    }
  }
}`;

export const ORG_POLICY = `query($org: String!) {
  repository(owner: $org, name: ".github") { object(expression: "HEAD:SECURITY.md") { __typename } }
}`;

/**
 * The organization audit log (GitHub Enterprise Cloud only): the latest entry
 * of each of `n` people since `$from`, variables `$org` and `$q0 … $q{n-1}`
 * (each `actor:<login> created:>=<date>`).
 */
export function auditLogQuery(n: number): string {
  const vars = Array.from({ length: n }, (_, i) => `$q${i}: String!`).join(', ');
  const fields = Array.from(
    { length: n },
    (_, i) => `    a${i}: auditLog(first: 1, query: $q${i}) { nodes { ... on AuditEntry { actorLogin createdAt } } }`
  ).join('\n');
  return `query($org: String!, ${vars}) {\n  organization(login: $org) {\n${fields}\n  }\n}`;
}

/** Contributions of `n` people since `$from`, variables `$from` and `$u0 … $u{n-1}`. */
export function activityQuery(n: number): string {
  const vars = Array.from({ length: n }, (_, i) => `$u${i}: String!`).join(', ');
  const fields = Array.from(
    { length: n },
    (_, i) =>
      `  u${i}: user(login: $u${i}) { login contributionsCollection(from: $from, to: $to) { totalCommitContributions totalIssueContributions totalPullRequestContributions totalPullRequestReviewContributions restrictedContributionsCount } }`
  ).join('\n');
  return `query($from: DateTime!, $to: DateTime!, ${vars}) {\n${fields}\n}`;
}

export interface ContributionsData {
  totalCommitContributions: number;
  totalIssueContributions: number;
  totalPullRequestContributions: number;
  totalPullRequestReviewContributions: number;
  restrictedContributionsCount: number;
}
