// Which OSV records a query hits, following the OSV schema's evaluation rules and
// api.osv.dev's server (google/osv.dev gcp/api/server.py: `_is_affected`,
// `_is_semver_affected`, `is_matching_package_ecosystem`). Kept apart from the
// HTTP layer so the matching rules are tested on their own.
import { normalizeName, parseVersion, compareParsed } from '../pypi/packaging.mjs';

/** Ecosystem names api.osv.dev accepts (ossf/osv-schema ecosystems.json); anything else is a 400. */
export const ECOSYSTEMS = new Set([
  'AlmaLinux',
  'Alpaquita',
  'Alpine',
  'Android',
  'BellSoft Hardened Containers',
  'Bioconductor',
  'Bitnami',
  'Chainguard',
  'ConanCenter',
  'CRAN',
  'crates.io',
  'Debian',
  'Echo',
  'GHC',
  'GIT',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Julia',
  'Linux',
  'Mageia',
  'Maven',
  'MinimOS',
  'npm',
  'NuGet',
  'openEuler',
  'openSUSE',
  'OSS-Fuzz',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'Ubuntu',
  'Wolfi'
]);

/** Is `ecosystem` (possibly "Debian:12") one OSV knows? Case-sensitive, as the API is. */
export function isKnownEcosystem(ecosystem) {
  return ECOSYSTEMS.has(ecosystem.split(':')[0]);
}

// SemVer 2.0 with the leniency of OSV's semver_index: a leading "v" and missing
// minor/patch ("1.2" -> "1.2.0") are accepted. Build metadata does not order.
const SEMVER_RE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseSemver(text) {
  const m = SEMVER_RE.exec(text.trim());
  if (!m) return null;
  return { core: [m[1], m[2] ?? '0', m[3] ?? '0'].map(BigInt), pre: m[4] ? m[4].split('.') : [] };
}

export function compareSemverParsed(a, b) {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i] < b.core[i] ? -1 : 1;
  // A version without pre-release identifiers is higher than one with them.
  if (!a.pre.length || !b.pre.length) return Math.sign(b.pre.length - a.pre.length);
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const [x, y] = [a.pre[i], b.pre[i]];
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny && BigInt(x) !== BigInt(y)) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1; // numeric identifiers sort before alphanumeric ones
    if (!nx && x !== y) return x < y ? -1 : 1;
  }
  return Math.sign(a.pre.length - b.pre.length);
}

const PEP440 = { parse: parseVersion, compare: compareParsed };
const SEMVER = { parse: parseSemver, compare: compareSemverParsed };

/**
 * The order a range is evaluated in. SEMVER ranges are SemVer; ECOSYSTEM ranges use
 * the ecosystem's own order: PEP 440 for PyPI, and (an assumption, see the docs)
 * SemVer for GitHub Actions tags. Other ecosystems' orders are not modelled.
 */
function orderFor(rangeType, ecosystem) {
  if (rangeType === 'SEMVER') return SEMVER;
  if (rangeType !== 'ECOSYSTEM') return null;
  if (ecosystem === 'PyPI') return PEP440;
  if (ecosystem === 'GitHub Actions') return SEMVER;
  return null;
}

/** OSV: the ecosystem "Debian" matches "Debian:12"; "Debian:12" only itself. */
function ecosystemMatches(recordEcosystem, queryEcosystem) {
  if (queryEcosystem.includes(':')) return recordEcosystem === queryEcosystem;
  return recordEcosystem.split(':')[0] === queryEcosystem;
}

/** OSV stores PyPI names PEP 503-normalised and normalises query names the same way. */
function nameKey(name, ecosystem) {
  return ecosystem === 'PyPI' ? normalizeName(name) : name;
}

/** Walks one range's events in version order (schema "Evaluation"); malformed events are skipped. */
function inRange(range, version, order) {
  const events = [];
  for (const e of range.events ?? []) {
    const [kind, value] = Object.entries(e ?? {})[0] ?? [];
    if (!['introduced', 'fixed', 'last_affected'].includes(kind) || typeof value !== 'string') continue;
    if (kind === 'introduced' && value === '0') {
      events.push({ kind, at: null });
      continue;
    }
    const at = order.parse(value);
    if (at) events.push({ kind, at });
  }
  // introduced "0" sorts first; OSV sorts the rest by version.
  events.sort((a, b) => (a.at === null ? -1 : b.at === null ? 1 : order.compare(a.at, b.at)));
  let affected = false;
  for (const { kind, at } of events) {
    if (kind === 'introduced' && (at === null || order.compare(version, at) >= 0)) affected = true;
    else if (kind === 'fixed' && order.compare(version, at) >= 0) affected = false;
    else if (kind === 'last_affected' && order.compare(version, at) > 0) affected = false;
  }
  return affected;
}

/**
 * Does `record` affect the package (and version, when given)?
 * @param {object} record  an OSV record
 * @param {{name: string, ecosystem?: string, version?: string}} query
 */
export function affectsPackage(record, { name, ecosystem, version }) {
  return (record.affected ?? []).some((a) => {
    const pkg = a.package;
    if (!pkg?.name || !pkg.ecosystem) return false;
    if (ecosystem && !ecosystemMatches(pkg.ecosystem, ecosystem)) return false;
    // Without an ecosystem the server neither normalises the name nor knows an order.
    const queried = ecosystem ? nameKey(name, ecosystem.split(':')[0]) : name;
    if (nameKey(pkg.name, pkg.ecosystem) !== queried) return false;
    if (version === undefined) return true;
    // Listed versions are compared as strings, as the server does.
    if ((a.versions ?? []).includes(version)) return true;
    const base = pkg.ecosystem.split(':')[0];
    return (a.ranges ?? []).some((range) => {
      const order = ecosystem || range.type === 'SEMVER' ? orderFor(range.type, base) : null;
      const v = order?.parse(version);
      return v ? inRange(range, v, order) : false;
    });
  });
}

/**
 * Does `record` affect this git commit? OSV answers from commits it enumerated by
 * walking each GIT range's repository; the fake has no repositories, so a commit
 * is affected when it is a range's `introduced` or `last_affected` commit (both
 * affected by definition) or is listed for the record in `extraCommits`.
 */
export function affectsCommit(record, commit, extraCommits = []) {
  const c = commit.toLowerCase();
  if (extraCommits.some((x) => x.toLowerCase() === c)) return true;
  return (record.affected ?? []).some((a) =>
    (a.ranges ?? []).some(
      (r) =>
        r.type === 'GIT' &&
        (r.events ?? []).some((e) =>
          [e?.introduced, e?.last_affected].some((v) => typeof v === 'string' && v.toLowerCase() === c)
        )
    )
  );
}
