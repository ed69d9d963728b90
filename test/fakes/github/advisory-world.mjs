// The world side of repository security advisories and the dependency graph:
// `repos.<name>.security_advisories` and `repos.<name>.dependency_graph`
// normalised, and temporary private forks created as repositories, the way
// GitHub names them. Routes and representations are in advisories.mjs.
import { isoNow, linkRepo, lookup, normalizeRepo, stableId } from './world.mjs';

const STATES = ['triage', 'draft', 'published', 'closed', 'withdrawn'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const ADVISORY_KEYS = [
  'ghsa_id',
  'cve_id',
  'summary',
  'description',
  'severity',
  'state',
  'author',
  'publisher',
  'created_at',
  'updated_at',
  'published_at',
  'closed_at',
  'accepted',
  'vulnerabilities',
  'cvss_vector_string',
  'cwe_ids',
  'credits',
  'collaborating_users',
  'collaborating_teams',
  'private_fork',
  'cve_requested'
];
// GHSA ids use this alphabet (no vowels or look-alikes): GHSA-xxxx-xxxx-xxxx.
const GHSA_ALPHABET = '23456789cfghjmpqrvwx';
const DEFAULT_TIME = '2020-01-01T00:00:00Z';

export function ghsaId(key) {
  let h = stableId('ghsa', key);
  let s = '';
  for (let i = 0; i < 12; i++) {
    s += GHSA_ALPHABET[h % GHSA_ALPHABET.length];
    h = Math.floor(h / GHSA_ALPHABET.length) || stableId('ghsa', `${key}/${i}`);
  }
  return `GHSA-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

export function vulnerability(v, where) {
  if (!v || typeof v !== 'object' || !v.package?.ecosystem)
    throw new Error(`world: ${where}: a vulnerability needs package.ecosystem`);
  return {
    package: { ecosystem: v.package.ecosystem, name: v.package.name ?? null },
    vulnerable_version_range: v.vulnerable_version_range ?? null,
    patched_versions: v.patched_versions ?? null,
    vulnerable_functions: v.vulnerable_functions ?? null
  };
}

/** `repos.<name>.security_advisories`: each advisory of the repository, any state. */
export function normalizeAdvisories(fullName, list, where) {
  return (list ?? []).map((a, i) => {
    const at = `${where}[${i}]`;
    for (const k of Object.keys(a)) if (!ADVISORY_KEYS.includes(k)) throw new Error(`world: ${at}: unknown key "${k}"`);
    const state = a.state ?? 'draft';
    if (!STATES.includes(state)) throw new Error(`world: ${at}.state must be ${STATES.join('|')}`);
    if (a.severity !== undefined && a.severity !== null && !SEVERITIES.includes(a.severity))
      throw new Error(`world: ${at}.severity must be ${SEVERITIES.join('|')}`);
    const created = a.created_at ?? DEFAULT_TIME;
    return {
      ghsa_id: a.ghsa_id ?? ghsaId(`${fullName}#${i}`),
      cve_id: a.cve_id ?? null,
      summary: a.summary ?? `Advisory ${i + 1}`,
      description: a.description ?? null,
      severity: a.severity ?? null,
      state,
      author: a.author ?? null,
      publisher: a.publisher ?? null,
      created_at: created,
      updated_at: a.updated_at ?? a.published_at ?? created,
      published_at: state === 'published' ? (a.published_at ?? created) : null,
      closed_at: state === 'closed' ? (a.closed_at ?? created) : null,
      withdrawn_at: null,
      // A report arrives in triage; it is accepted when it becomes a draft. Advisories made by maintainers have none.
      submission: a.accepted === undefined ? null : { accepted: Boolean(a.accepted) },
      vulnerabilities: (a.vulnerabilities ?? []).map((v, j) => vulnerability(v, `${at}.vulnerabilities[${j}]`)),
      cvss_vector_string: a.cvss_vector_string ?? null,
      cwe_ids: a.cwe_ids ?? [],
      credits: a.credits ?? [],
      collaborating_users: [...(a.collaborating_users ?? [])],
      collaborating_teams: [...(a.collaborating_teams ?? [])],
      private_fork: a.private_fork ?? false,
      cve_requested: a.cve_requested ?? false
    };
  });
}

/** `repos.<name>.dependency_graph`: the packages the graph knows; absent: the graph is off (no SBOM). */
export function normalizeDependencyGraph(dg, where) {
  if (dg === undefined) return null;
  if (!dg || typeof dg !== 'object' || !Array.isArray(dg.packages))
    throw new Error(`world: ${where} must be { packages: [{ name, version?, ecosystem? }] }`);
  return {
    packages: dg.packages.map((p, i) => {
      if (!p.name) throw new Error(`world: ${where}.packages[${i}]: "name" is required`);
      return { name: p.name, version: p.version ?? null, ecosystem: p.ecosystem ?? 'pip' };
    })
  };
}

/** Logins an advisory names, so the world creates their accounts. */
export const advisoryLogins = (repo) =>
  repo.security_advisories
    .flatMap((a) => [a.author, a.publisher, ...a.collaborating_users, ...a.credits.map((c) => c.login)])
    .filter(Boolean);

/** Temporary private forks the world declares exist as repositories, as GitHub creates them. */
export function linkAdvisoryForks(world) {
  for (const repo of Object.values(world.repos))
    for (const a of repo.security_advisories ?? []) if (a.private_fork === true) privateFork(world, repo, a);
}

/** `<repo>-<ghsa id>`, private, owned like the repository: GitHub's naming of a temporary private fork. */
export function privateFork(world, repo, a) {
  const name = `${repo.owner}/${repo.name}-${a.ghsa_id.toLowerCase()}`;
  let fork = lookup(world.repos, name);
  if (!fork) {
    fork = normalizeRepo(name, {
      private: true,
      parent: repo.full_name,
      default_branch: repo.default_branch,
      branches: { ...repo.branches },
      created_at: isoNow()
    });
    fork.commits = [...repo.commits];
    fork.security_advisories = [];
    world.repos[name] = fork;
    linkRepo(world, fork);
  }
  a.private_fork = fork.full_name;
  return fork;
}
