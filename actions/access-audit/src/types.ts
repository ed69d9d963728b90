// The shapes the audit passes around: its I/O, its config and options, the
// data GitHub answers, and the contexts the checks run in. Types only, and no
// import from the rest of the action, so every module can depend on it.
import type { Finding, FindingInput, NotChecked, PyPIClient, Rule, SuppressionEntry } from '@security-actions/core';
import type { WorkflowDocument } from '@security-actions/core/workflow';

export interface GraphQLError {
  message: string;
  type?: string;
  path?: (string | number)[];
}

export interface AuditIO {
  /** Resolves with data and errors (GitHub's partial answers included); rejects only when nothing came back. */
  graphql(
    query: string,
    variables: Record<string, unknown>
  ): Promise<{ data?: Record<string, unknown> | null; errors?: GraphQLError[] }>;
  /** An Octokit `request`: resolves with `{ data, headers }`, rejects with an error carrying `status`. */
  request(route: string, params?: Record<string, unknown>): Promise<{ data: unknown; headers?: { link?: string } }>;
  /** Requests left in the REST core budget, when known. */
  remaining(): number | undefined;
}

/** An entry of the config's `exemptions`: a whole repository (no `check`), or one rule on it. */
export interface Exemption {
  /** Repository name or glob; '*' also matches organization-level findings. */
  repo: string;
  /** A rule id. */
  check?: string;
  reason: string;
  expires?: string;
}

/** A custom property value that marks a repository (`value` may list several). */
export interface PropertyMatch {
  property: string;
  value: string | string[];
}

export interface AuditConfig {
  exemptions: Exemption[];
  /** Repositories whose custom property matches are not audited (`exempt`) or have their findings raised one severity (`critical`). */
  customProperties: { exempt?: PropertyMatch; critical?: PropertyMatch };
  /** App slugs (lower case) approved to be installed on all repositories with write access. */
  allowedApps: string[];
  /** Repository globs whose default branch must require signed commits; empty: not checked. */
  requireSignedCommits: string[];
  maxOwners: number;
  maxAdmins: number;
  /** Secret names (regular expressions) that look like long-lived publish tokens. */
  tokenSecretPatterns: RegExp[];
  releaseEnvironments: RegExp;
  /** Repository name → PyPI packages published from it; repositories not listed are discovered from pyproject.toml. */
  packages: Record<string, string[]>;
  /** Self-assessment items the project states it meets where the audit cannot see (shown as declared, not verified). */
  declared: Declaration[];
}

/** An entry of the config's `declared`. */
export interface Declaration {
  /** A self-assessment item id (docs/self-assessment.md). */
  item: string;
  /** When it was last confirmed (YYYY-MM-DD). */
  date: string;
  /** Repository name or glob; default '*'. */
  repo?: string;
}

/** Repository → check id → what the check read that the self-assessment shows as evidence (no names). */
export type Evidence = Record<string, Record<string, string>>;

/** The OpenSSF Best Practices badge entries registered for a repository URL (its `projects.json?url=` search). */
export interface BestPracticesLookup {
  projects(repoUrl: string): Promise<{ id: number; badge_level?: string; repo_url?: string }[]>;
}

/** Repository → people with write or more, and the secrets and deploy keys there (for the next run's comparison). */
// A list is absent when it was not readable, so absence never reads as "nothing to rotate".
export type AccessSnapshot = Record<
  string,
  {
    people?: string[];
    secrets?: { name: string; updatedAt: string }[];
    deployKeys?: { title: string; createdAt: string }[];
    /** People who lost write access, and since when, while something they could reach is not rotated yet. */
    removed?: { login: string; since: string }[];
  }
>;

export interface AuditOptions {
  org: string;
  /** Globs of repository names; empty: all. */
  repositories: string[];
  includeArchived: boolean;
  includeForks: boolean;
  inactiveDays: number;
  shard?: { index: number; count: number };
  now: Date;
  config: AuditConfig;
  /** The previous run's access snapshot and when it was taken; absent: changes are not reported. */
  previous?: { finishedAt: string; access: AccessSnapshot };
  /** PyPI, for package owners and provenance; absent: those checks are not run. */
  pypi?: PyPIClient;
  /** The OpenSSF Best Practices badge service; absent: the badge is not checked. */
  bestPractices?: BestPracticesLookup;
  /** Stop auditing repositories when fewer REST requests than this are left. */
  reserve?: number;
  batchSize?: number;
  concurrency?: number;
}

export interface AuditResult {
  rules: Rule[];
  findings: Finding[];
  notChecked: NotChecked[];
  notes: string[];
  /** The config's per-check exemptions as the core's suppressions, for the runner to apply. */
  suppressions: SuppressionEntry[];
  audited: number;
  /** Repositories of this run's scope (its shard) not audited: archived, forks, filtered, exempt, failed or out of budget. */
  skipped: number;
  /** All repositories of the organization. */
  listed: number;
  target: string;
  access: AccessSnapshot;
  evidence: Evidence;
}

/** `GET /orgs/{org}`, the fields the audit reads; owner-only fields are absent for other callers. */
export interface OrgSettings {
  two_factor_requirement_enabled?: boolean;
  default_repository_permission?: string;
}

type Status = { status?: 'enabled' | 'disabled' } | undefined;

/** One item of `GET /orgs/{org}/repos`, the fields the audit reads. */
export interface RepoListing {
  name: string;
  private?: boolean;
  visibility?: string;
  archived?: boolean;
  fork?: boolean;
  /** Present only for callers that administer the repository. */
  security_and_analysis?: {
    advanced_security?: Status;
    code_security?: Status;
    secret_scanning?: Status;
    secret_scanning_push_protection?: Status;
    dependabot_security_updates?: Status;
  } | null;
  custom_properties?: Record<string, string | string[] | null>;
}

/** What the fields of queries.ts's REPO_FIELDS answer; a field left out (omitted or failed) is absent or null. */
export interface RepoData {
  name: string;
  isArchived?: boolean;
  isFork?: boolean;
  isPrivate?: boolean;
  defaultBranchRef?: { name: string } | null;
  branchProtectionRules?: {
    nodes: {
      pattern: string;
      requiresApprovingReviews: boolean;
      requiredApprovingReviewCount: number | null;
      allowsForcePushes: boolean;
      allowsDeletions: boolean;
      requiresCommitSignatures?: boolean;
    }[];
  } | null;
  rulesets?: {
    nodes: {
      name: string;
      enforcement: string;
      target: string | null;
      conditions?: { refName?: { include: string[]; exclude: string[] } | null } | null;
      rules?: { nodes: { type: string; parameters?: { requiredApprovingReviewCount?: number } | null }[] } | null;
    }[];
  } | null;
  releaseBranches?: { nodes: { name: string }[] } | null;
  environments?: {
    nodes: {
      name: string;
      protectionRules?: {
        nodes: {
          type: string;
          preventSelfReview: boolean | null;
          reviewers?: {
            nodes: ({ __typename: 'User'; login: string } | { __typename: 'Team'; slug: string })[];
          } | null;
        }[];
      } | null;
    }[];
  } | null;
  collaborators?: { edges: { permission: string; node: { login: string } | null }[] } | null;
  outside?: { edges: { permission: string; node: { login: string } | null }[] } | null;
  deployKeys?: { nodes: { title: string; readOnly: boolean; createdAt: string }[] } | null;
  pyproject?: { text?: string | null } | null;
  sec1?: unknown;
  sec2?: unknown;
  sec3?: unknown;
  vulnerabilityAlerts?: boolean | null;
  dependabot?: { text?: string | null } | null;
  dependabot2?: { text?: string | null } | null;
  activity?: {
    target?: {
      history?: {
        nodes: {
          author?: { user?: { login: string } | null } | null;
          committer?: { user?: { login: string } | null } | null;
        }[];
      };
    } | null;
  } | null;
  /** The assessment's documents (assessment/fields.ts), by alias. */
  [doc: `doc${number}`]: { text?: string | null } | null | undefined;
  releases?: {
    nodes: {
      tagName: string;
      isDraft: boolean;
      isPrerelease: boolean;
      releaseAssets: { nodes: { name: string }[] };
    }[];
  } | null;
  workflows?: {
    entries?:
      | {
          name: string;
          type: string;
          object?: { text?: string | null; byteSize?: number; isBinary?: boolean | null; isTruncated?: boolean } | null;
        }[]
      | null;
  } | null;
}

/** A workflow file of the default branch, read once into the workflow model for every check that reads it. */
export interface Workflow {
  file: string;
  /** The model (the core workflow audit's), when the file parsed. */
  doc?: WorkflowDocument;
  /** Why it could not be read or parsed, naming file and line. */
  error?: string;
}

/** Records a finding; `repo` undefined: about the organization. */
export type Add = (rule: Rule, repo: string | undefined, input: FindingInput) => void;
/** Records a check that could not run, under a rule id (or a group's name) and the org, repository or person. */
export type Skip = (check: string, reason: string, target?: string) => void;
export type Limit = <T>(f: () => Promise<T>) => Promise<T>;

/** What every check gets. */
export interface CheckContext {
  io: AuditIO;
  org: string;
  config: AuditConfig;
  now: Date;
  inactiveDays: number;
  add: Add;
  skip: Skip;
  notes: string[];
}

export interface OrgContext extends CheckContext {
  /** `GET /orgs/{org}`, read once by the engine (it tells whether the organization exists), or why it failed. */
  settings: { data: OrgSettings } | { error: unknown };
}

/** What the repository checks gather for the checks that run after all of them. */
export interface Gathered {
  access: AccessSnapshot;
  /** login → repositories where the person holds admin or maintain. */
  elevated: Map<string, string[]>;
  /** Lower-cased logins seen committing to an audited default branch within the window. */
  committers: Set<string>;
  /** Whether the default-branch history was readable for every audited repository. */
  historyComplete: boolean;
  evidence: Evidence;
}

/** What an enforced code security configuration fixes for a repository (configurations.ts says when). */
export interface Enforced {
  /** The configuration's name, for notes. */
  configuration: string;
  /** Private vulnerability reporting is on (true) or off (false); absent: the configuration does not set it. */
  privateVulnerabilityReporting?: boolean;
  /** CodeQL default setup is off. */
  defaultSetupOff?: true;
}

export interface RepoContext extends CheckContext {
  name: string;
  repo: RepoData;
  listing: RepoListing;
  /** The error of a repository field the token could not read; undefined when it was read. */
  failed(field: string): GraphQLError | undefined;
  /** Why a field cannot be checked: the permission it needs and GitHub's error, or `absent` when it came back empty. */
  unreadable(field: string, permission: string, absent?: string): string;
  /** The default branch's workflow files, read and parsed on first use; undefined when contents are unreadable. */
  workflows(): Workflow[] | undefined;
  /** Bounds the REST requests of all repositories together. */
  limit: Limit;
  /** Whether the organization's `.github` repository has a SECURITY.md; undefined when unreadable. */
  orgPolicy: boolean | undefined;
  /** Team slug → up to two member logins; undefined when teams were unreadable. */
  teams: Map<string, string[]> | undefined;
  /** What the repository's enforced code security configuration fixes; undefined: read per repository. */
  enforced: Enforced | undefined;
  pypi?: PyPIClient;
  bestPractices?: BestPracticesLookup;
  gathered: Gathered;
}

export interface AfterContext extends CheckContext {
  gathered: Gathered;
  previous?: AuditOptions['previous'];
  /** Whether a repository is in this run's scope (shard, filters, exemptions), audited or not. */
  inScope(repo: string): boolean;
}

interface CheckBase {
  /** The file's name under src/checks/. */
  id: string;
  rules: readonly Rule[];
}

/** Runs once, before the repositories. */
export interface OrgCheck extends CheckBase {
  scope: 'org';
  run(c: OrgContext): Promise<void>;
}

/** Runs once per audited repository. */
export interface RepoCheck extends CheckBase {
  scope: 'repo';
  run(c: RepoContext): Promise<void> | void;
  /** Once per run, before the repositories: says when this run's options leave the check out. */
  start?(c: CheckContext & Pick<RepoContext, 'pypi' | 'bestPractices'>): void;
}

/** Runs once, after every repository, over what the repository checks gathered. */
export interface AfterCheck extends CheckBase {
  scope: 'after';
  run(c: AfterContext): Promise<void>;
}

export type Check = OrgCheck | RepoCheck | AfterCheck;
