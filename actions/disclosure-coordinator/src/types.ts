// The shapes every part of the coordinator shares (a leaf: it imports no
// module of the action, so the parts never import each other in a circle).
import type { Finding, FindingInput, Octokit, PythonSourceKind, Rule } from '@security-actions/core';

export type AdvisoryState = 'triage' | 'draft' | 'published' | 'closed' | 'withdrawn';

export interface Vulnerability {
  ecosystem: string;
  /** Package name as the advisory writes it. */
  name: string | null;
  range: string | null;
  patched: string | null;
}

/** A repository security advisory, read from GitHub's answer (only the fields the coordinator uses). */
export interface Advisory {
  ghsa: string;
  /** `owner/name` of the repository the advisory belongs to. */
  repo: string;
  state: AdvisoryState;
  summary: string;
  severity: string | null;
  cveId: string | null;
  url: string;
  createdAt: string;
  publishedAt: string | null;
  /** A private vulnerability report (it arrived through the reporting form), accepted or not. */
  report: boolean;
  vulnerabilities: Vulnerability[];
  collaborators: string[];
  privateFork: string | null;
}

export interface TrackedRepo {
  fullName: string;
  private: boolean;
  pushedAt: string | null;
}

export interface DownstreamEntry {
  repo: string;
  /** Logins to invite during an embargo; absent: the repository's admins, where the token can read them. */
  contacts?: string[];
  /** Dependency files to read besides those found at the root and in `requirements/`. */
  files?: string[];
}

export interface DisclosureConfig {
  orgs: string[];
  repositories: string[];
  /** Globs of `owner/name` left out of tracking and mapping. */
  exclude: string[];
  serviceLevels: { acknowledge: number; fix: number; followUp: number };
  releasesLookback: number;
  downstream: DownstreamEntry[];
  mapOrgs: boolean;
  sbom: boolean;
  /** Logins `apply: true` may add as collaborators on a draft advisory. */
  invite: string[];
  pullRequests: boolean;
}

export const DEFAULT_CONFIG: DisclosureConfig = {
  orgs: [],
  repositories: [],
  exclude: [],
  serviceLevels: { acknowledge: 7, fix: 90, followUp: 90 },
  releasesLookback: 30,
  downstream: [],
  mapOrgs: true,
  sbom: true,
  invite: [],
  pullRequests: false
};

/** One dependency a downstream repository declares or locks. */
export interface DependencyEntry {
  repo: string;
  /** File path, or `dependency graph` for an SBOM entry. */
  file: string;
  line?: number;
  /** The line as written, for notifications. */
  text?: string;
  /** PEP 503-normalised name. */
  name: string;
  specifier: string;
  version?: string;
  kind: PythonSourceKind | 'sbom';
  lock: boolean;
  /** The file records hashes for it: a pin cannot be moved without regenerating them. */
  hashed: boolean;
}

export type Exposure = 'pins-affected' | 'range-excludes-fix' | 'range-allows-affected';

export interface Affected {
  advisory: Advisory;
  repo: string;
  entry: DependencyEntry;
  exposure: Exposure;
  /** The vulnerable range and patched versions of the matching vulnerability entries. */
  range: string;
  patched: string[];
}

/** The GitHub clients: `api` reads and coordinates, `writer` writes in downstream repositories. */
export interface CoordinatorIO {
  api: Octokit;
  writer: Octokit;
  /** REST requests left for `api`, when known. */
  remaining(): number | undefined;
}

export type Add = (rule: Rule, input: FindingInput) => void;
export type Skip = (check: string, reason: string, target?: string) => void;

/** What every part reports into. */
export interface Sink {
  add: Add;
  skip: Skip;
  note(message: string): void;
  findings: Finding[];
}
