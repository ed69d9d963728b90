// The one shape every Python dependency file is read into, so verify-deps
// and pr-anomaly-scan reason about requirements, pyproject and the lock
// formats alike.

export type PythonSourceKind = 'requirements' | 'pyproject' | 'uv-lock' | 'poetry-lock' | 'pylock' | 'environment-yml';

export interface VcsRef {
  /** `git`, `hg`, `svn` or `bzr`. */
  type: string;
  /** Repository URL without the VCS prefix, revision or fragment. */
  url: string;
  /** The revision as written (`@v1.2`, `?rev=main`, `requested-revision`). */
  ref?: string;
  /** A full commit id when the file records one (lock files, or a 40-hex ref). */
  commit?: string;
}

export interface LockedFile {
  /** Distribution filename (`pkg-1.0-py3-none-any.whl`), from the file or its URL. */
  filename?: string;
  url?: string;
  /** `algorithm:hexdigest`, lower case: only digests pip accepts (see isStrongHash). */
  hashes: string[];
  /** Hash entries that are not such a digest (`md5:zz`, `nohash`): recorded for the report, never counted. */
  badHashes?: string[];
  size?: number;
  /** ISO 8601, as locked (pylock `upload-time`, uv `upload-time`). */
  uploadTime?: string;
}

export interface PythonDependency {
  /** PEP 503-normalised project name. */
  name: string;
  /** The name as written. */
  rawName: string;
  /** Version specifier as written (`==1.2.3`, `>=1,<2`, `''`). */
  specifier: string;
  /** The exact version when the file pins one (`==X` without wildcard, `===X`, or a lock entry). */
  version?: string;
  /** Every `algorithm:hexdigest` the file records for it (all files, for locks), only digests pip accepts. */
  hashes: string[];
  /** Hash entries that are not such a digest (`md5:zz`, `nohash`): recorded for the report, never counted. */
  badHashes?: string[];
  markers?: string;
  /** Direct URL (`name @ https://...`, archive URL). */
  url?: string;
  vcs?: VcsRef;
  /** Local path or directory source. */
  path?: string;
  editable?: boolean;
  extras: string[];
  file: string;
  /** 1-based line of the entry. */
  line: number;
  source: PythonSourceKind;
  /** Declared by the project itself (not only pulled in by another package). */
  direct: boolean;
  /** Where it is declared: `project.dependencies`, `optional:dev`, `group:test`, `build-system`, `main`. */
  group?: string;
  /** Locked distribution files (lock formats). */
  files?: LockedFile[];
  /** Index or registry URL the lock names for it. */
  index?: string;
}

export interface RequirementsOption {
  option: string;
  value?: string;
  line: number;
}

export interface PythonManifest {
  file: string;
  kind: PythonSourceKind;
  dependencies: PythonDependency[];
  /** Whether the format is a lock (records resolved versions and hashes). */
  lock: boolean;
  /** Global options of requirements files and environment.yml `pip:` parts: index URLs, -r/-c, --require-hashes. */
  options: RequirementsOption[];
  /** `[[packages.attestation-identities]]` of pylock, by normalised name. */
  attestationIdentities?: Record<string, AttestationIdentity[]>;
  /**
   * What wrote the file, from its header comment: a resolver's lock (`pip-compile`, `uv pip compile`,
   * `uv export`, PDM), or a list derived from pyproject.toml by the project's own script.
   */
  generated?: { kind: 'lock' | 'derived'; by: string };
  /** Conda packages of an environment.yml, which no Python advisory database covers. */
  condaPackages?: { spec: string; line: number }[];
}

/**
 * A Trusted Publisher: the one PyPI names for a release (Integrity API, claimed
 * and unsigned), the one a policy or a lock expects, or the one configured for
 * a project. `kind` is PyPI's (`GitHub`, `GitLab`, ...).
 */
export interface TrustedPublisher {
  kind: string;
  /** `owner/name` (GitHub) or the project path (GitLab). */
  repository?: string;
  /** Workflow file name (GitHub). */
  workflow?: string;
  environment?: string;
}

/** A pylock `attestation-identities` entry: a publisher, with whatever other keys its kind defines. */
export interface AttestationIdentity extends TrustedPublisher {
  [key: string]: unknown;
}

/** PEP 503 normalisation: `Foo.Bar_baz` → `foo-bar-baz`. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** The exact version a specifier pins, if any (`==1.2` or `===1.2`, not `==1.*`). */
export function pinnedVersion(specifier: string): string | undefined {
  const m = /^\s*===?\s*([^\s,;*]+)\s*$/.exec(specifier);
  return m ? m[1] : undefined;
}

/** Digest lengths (hex) of the algorithms pip's hash-checking mode accepts (pip/_internal/utils/hashes.py STRONG_HASHES). */
const DIGEST_HEX: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** `sha256:<64 hex>` (or sha384/sha512 of the right length): a hash that can actually pin a file. */
export function isStrongHash(h: string): boolean {
  const m = /^([a-z0-9]+):([0-9a-f]+)$/.exec(h.toLowerCase());
  return !!m && DIGEST_HEX[m[1]] === m[2].length;
}

/** Splits recorded hash entries into usable digests (lower case) and the malformed rest. */
export function sortHashes(entries: string[]): { hashes: string[]; badHashes?: string[] } {
  const hashes = entries.filter(isStrongHash).map((h) => h.toLowerCase());
  const bad = entries.filter((h) => !isStrongHash(h));
  return bad.length ? { hashes, badHashes: bad } : { hashes };
}

/** A local path that names the project being installed itself (`.`, `..`, `../..`), not another package. */
export function isProjectItself(path: string): boolean {
  return /^\.{1,2}(\/\.\.)*\/?$/.test(path.replace(/\\/g, '/'));
}
