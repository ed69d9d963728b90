// PEP 508 dependency specifiers and pip's URL forms, parsed by hand: the one
// npm parser of requirement lines rejects `--hash` and continuations, which
// every generated hashes file has.
import { type VcsRef, normalizeName, pinnedVersion } from './types';

export interface Requirement {
  rawName: string;
  name: string;
  extras: string[];
  specifier: string;
  version?: string;
  markers?: string;
  url?: string;
  vcs?: VcsRef;
  path?: string;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;
const VCS_SCHEMES = /^(git|hg|svn|bzr)\+/;
const FULL_COMMIT = /^[0-9a-f]{40}$/i;

/** Splits `git+https://host/o/r.git@ref#egg=x` into type, URL and ref. */
export function parseVcsUrl(raw: string): VcsRef | undefined {
  const m = VCS_SCHEMES.exec(raw);
  if (!m) return undefined;
  const noFragment = raw.slice(m[0].length).split('#')[0];
  const scheme = noFragment.indexOf('://');
  const pathStart = scheme < 0 ? 0 : noFragment.indexOf('/', scheme + 3);
  const at = pathStart < 0 ? -1 : noFragment.lastIndexOf('@');
  const url = at > pathStart ? noFragment.slice(0, at) : noFragment;
  const ref = at > pathStart ? noFragment.slice(at + 1) : undefined;
  return { type: m[1], url, ref, commit: ref && FULL_COMMIT.test(ref) ? ref.toLowerCase() : undefined };
}

/** The project name a bare URL or path names: `#egg=name`, or the distribution filename. */
export function nameFromUrl(url: string): string | undefined {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  if (egg) return egg[1];
  const file = url.split(/[?#]/)[0].split('/').pop() ?? '';
  const wheel = /^([A-Za-z0-9_.]+)-[^-]+(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(file);
  if (wheel) return wheel[1];
  const sdist = /^(.+?)-(\d[^-]*)\.(tar\.gz|zip|tar\.bz2|tgz)$/.exec(file);
  return sdist?.[1];
}

/**
 * Parses one PEP 508 specifier (`name[extra]>=1; marker` or `name @ url`).
 * Throws an Error with a short reason on malformed input.
 */
export function parsePep508(text: string): Requirement {
  const s = text.trim();
  const nm = NAME.exec(s);
  if (!nm) throw new Error(`not a requirement: '${s.slice(0, 60)}'`);
  let rest = s.slice(nm[0].length);
  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new Error(`unclosed '[' in '${s.slice(0, 60)}'`);
    extras = rest
      .slice(1, close)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
      .map(normalizeName);
    rest = rest.slice(close + 1).trimStart();
  }
  const req: Requirement = { rawName: nm[1], name: normalizeName(nm[1]), extras, specifier: '' };
  if (rest.startsWith('@')) {
    // A URL ends at whitespace; a marker after it must be separated by whitespace (PEP 508).
    const m = /^@\s*(\S+)(?:\s+;\s*(.*))?\s*$/.exec(rest);
    if (!m) throw new Error(`bad URL requirement '${s.slice(0, 60)}'`);
    setUrl(req, m[1]);
    if (m[2]) req.markers = m[2].trim();
    return req;
  }
  const semi = rest.indexOf(';');
  let spec = (semi < 0 ? rest : rest.slice(0, semi)).trim();
  if (semi >= 0) req.markers = rest.slice(semi + 1).trim() || undefined;
  if (spec.startsWith('(') && spec.endsWith(')')) spec = spec.slice(1, -1).trim();
  if (
    spec &&
    !/^(~=|===|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+(\s*,\s*(~=|===|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+)*$/.test(spec)
  ) {
    throw new Error(`bad version specifier '${spec.slice(0, 60)}' for ${nm[1]}`);
  }
  req.specifier = spec.replace(/\s+/g, '');
  req.version = pinnedVersion(req.specifier);
  return req;
}

function setUrl(req: Requirement, url: string): void {
  const vcs = parseVcsUrl(url);
  if (vcs) req.vcs = vcs;
  else if (/^file:/i.test(url)) req.path = url.replace(/^file:(\/\/)?/i, '');
  else req.url = url;
}

/** Is this requirement text a bare URL or local path rather than a name (pip accepts both)? */
export function isUrlOrPath(text: string): boolean {
  return (
    /^(\w+\+)?[a-z][a-z0-9+.-]*:\/\//i.test(text) ||
    /^(\.{1,2}([/\\[]|$)|[/\\~]|[A-Za-z]:[/\\])/.test(text) ||
    /\.(whl|tar\.gz|zip|tar\.bz2|tgz)$/i.test(text.split(/[;\s]/)[0])
  );
}

/** A requirement given as a URL or path, as pip accepts it (`git+https://...#egg=x`, `./pkg`, `pkg.whl`). */
export function parseUrlRequirement(text: string): Requirement {
  const [written, ...markerParts] = text.trim().split(/\s*;\s*/);
  const markers = markerParts.join(';').trim() || undefined;
  // pip takes extras after a local path (`.[doc]`, `./pkg[test]`), not after a URL.
  const withExtras = /^([^[]+)\[([^\]]*)\]$/.exec(written);
  const target = withExtras && !/^[a-z][a-z0-9+.-]*:\/\//i.test(written) ? withExtras[1] : written;
  const extras =
    target === written
      ? []
      : withExtras![2]
          .split(',')
          .map((e) => normalizeName(e.trim()))
          .filter(Boolean);
  const rawName = nameFromUrl(target) ?? target;
  const req: Requirement = { rawName, name: normalizeName(rawName), extras, specifier: '', markers };
  if (VCS_SCHEMES.test(target) || /^[a-z][a-z0-9+.-]*:\/\//i.test(target)) setUrl(req, target);
  else req.path = target;
  return req;
}

/**
 * Where a URL's code comes from, however it is spelt: `host/path`, lower case, without scheme, VCS prefix,
 * credentials, port, ref, fragment, query, `.git` or trailing slash, so that `git+https://github.com/pydata/pandas.git@main`,
 * `git://github.com/pydata/pandas` and `git@github.com:pydata/pandas.git` are all `github.com/pydata/pandas`.
 * Undefined for what is no URL.
 */
export function sourceIdentity(url: string): string | undefined {
  const s = url.trim().replace(/^(?:git|hg|svn|bzr)\+/i, '');
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)([^#?]+)/.exec(s); // git@github.com:owner/repo
  const m = scp ? undefined : /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/?#:]+)(?::\d+)?(\/[^?#]*)?/i.exec(s);
  if (!scp && !m) return undefined;
  let path = (scp ? `/${scp[2]}` : (m![2] ?? '')).replace(/@[^/]*$/, ''); // pip's `@ref` ends the last segment
  path = path.replace(/\/+$/, '').replace(/\.git$/i, '');
  return `${(scp ? scp[1] : m![1]).toLowerCase()}${path.toLowerCase()}`;
}

/** Forges whose first path segment is the owner of the code. */
const FORGES = /^(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\/([^/]+)\//;

/** The account that owns a source on a forge (`github.com/dask/s3fs` → `dask`), lower case. */
export const sourceOwner = (identity: string): string | undefined => FORGES.exec(identity)?.[1];
