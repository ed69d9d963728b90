// PEP 503 name normalisation and PEP 440 version parsing/ordering for the PyPI and
// OSV fakes: a port of the parts of pypa/packaging (`utils.canonicalize_name`,
// `version.Version`, `utils.canonicalize_version`) that PyPI (warehouse) and OSV
// use to look releases up and to order them. No maintained PEP 440 package is
// installed, so this is kept small and checked against packaging's own ordering
// vectors in packaging.test.ts. Only valid PEP 440 versions are ordered; PyPI's
// pre-PEP 440 "legacy" versions are not modelled.

/** PEP 503: lower-case, runs of `-_.` become one `-`. */
export function normalizeName(name) {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

// packaging.version.VERSION_PATTERN, anchored and case-insensitive as packaging uses it.
const VERSION_RE = new RegExp(
  '^\\s*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?' +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
    '\\s*$',
  'i'
);

const PRE_LETTER = { alpha: 'a', a: 'a', beta: 'b', b: 'b', c: 'rc', pre: 'rc', preview: 'rc', rc: 'rc' };

/**
 * @typedef {object} Version
 * @property {number} epoch
 * @property {number[]} release
 * @property {[string, number] | null} pre   e.g. ['rc', 1]
 * @property {number | null} post
 * @property {number | null} dev
 * @property {(string|number)[] | null} local  numeric parts as numbers
 */

/** Parses a PEP 440 version; null when it is not one. */
export function parseVersion(text) {
  const m = VERSION_RE.exec(text);
  if (!m?.groups) return null;
  const g = m.groups;
  const num = (s) => (s === undefined ? 0 : Number(s));
  return {
    epoch: num(g.epoch),
    release: g.release.split('.').map(Number),
    pre: g.pre_l ? [PRE_LETTER[g.pre_l.toLowerCase()], num(g.pre_n)] : null,
    post: g.post ? num(g.post_n1 ?? g.post_n2) : null,
    dev: g.dev ? num(g.dev_n) : null,
    local: g.local
      ? g.local
          .toLowerCase()
          .split(/[-_.]/)
          .map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p))
      : null
  };
}

/** Is this a pre-release (a/b/rc or dev) in PEP 440 terms? */
export function isPrerelease(v) {
  return v.pre !== null || v.dev !== null;
}

// Sort keys follow packaging's _cmpkey: -Inf/+Inf sentinels become -1/1 ranks in
// front of the real value, so plain lexicographic comparison of arrays works.
const NEG = [-1];
const POS = [1];

function cmpkey(v) {
  const release = [...v.release];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  // A dev release without pre/post sorts before the first pre-release (1.0.dev0 < 1.0a0).
  const pre = v.pre ? [0, ...v.pre] : v.post === null && v.dev !== null ? NEG : POS;
  const post = v.post === null ? NEG : [0, v.post];
  const dev = v.dev === null ? POS : [0, v.dev];
  // Local segments: alphanumeric parts sort before numeric ones.
  const local = v.local === null ? NEG : [0, ...v.local.map((p) => (typeof p === 'number' ? [1, p] : [0, p]))];
  return [[v.epoch], release, pre, post, dev, local];
}

function cmpAny(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = cmpAny(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders two parsed versions (negative, zero, positive). */
export function compareParsed(a, b) {
  return Math.sign(cmpAny(cmpkey(a), cmpkey(b)));
}

/** Orders two version strings; throws on a string that is not PEP 440. */
export function compareVersions(a, b) {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new Error(`not a PEP 440 version: ${pa ? b : a}`);
  return compareParsed(pa, pb);
}

/**
 * packaging.utils.canonicalize_version (strip_trailing_zero=True): what warehouse
 * compares to find `/pypi/<name>/<version>/json`. Non-PEP 440 input is returned as is.
 */
export function canonicalizeVersion(text) {
  const v = parseVersion(text);
  if (!v) return text;
  const release = [...v.release];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  let out = (v.epoch ? `${v.epoch}!` : '') + release.join('.');
  if (v.pre) out += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local.join('.')}`;
  return out;
}
