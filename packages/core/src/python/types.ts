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
  /** `algorithm:hexdigest`, lower case. */
  hashes: string[];
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
  /** Every `algorithm:hexdigest` the file records for it (all files, for locks). */
  hashes: string[];
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

/** The hashlib algorithms a lock may name (PEP 751: `hashlib.algorithms_guaranteed`, fixed-length ones). */
const ALGORITHMS = [
  'md5',
  'sha1',
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'sha3_224',
  'sha3_256',
  'sha3_384',
  'sha3_512',
  'blake2b',
  'blake2s'
];
/** What pip's `--hash` accepts (pip refuses the others). */
export const PIP_HASHES = ['sha256', 'sha384', 'sha512'];

/**
 * Why `algorithm:hexdigest` is not a hash (no algorithm, an unknown one, a
 * digest that is empty or not hex), or undefined when it is one. A malformed
 * hash must never count as a hash: it would let an unhashed package pass the
 * hash checks. (A hex digest of the wrong length is a hash that matches no
 * file: the installer then fails closed.)
 */
export function hashProblem(hash: string, algorithms: string[] = ALGORITHMS): string | undefined {
  const m = /^([a-z0-9_]+):([0-9a-f]+)$/.exec(hash.toLowerCase());
  const shown = hash.length > 40 ? `${hash.slice(0, 40)}…` : hash;
  if (!m) return `malformed hash '${shown}' (expected ALGORITHM:HEXDIGEST)`;
  if (!algorithms.includes(m[1])) return `malformed hash '${shown}': ${m[1]} is not one of ${algorithms.join(', ')}`;
  return undefined;
}

/** The exact version a specifier pins, if any (`==1.2` or `===1.2`, not `==1.*`). */
export function pinnedVersion(specifier: string): string | undefined {
  const m = /^\s*===?\s*([^\s,;*]+)\s*$/.exec(specifier);
  return m ? m[1] : undefined;
}
