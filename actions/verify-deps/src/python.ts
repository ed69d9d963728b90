// Offline checks of Python dependency files: pinning, hashes, VCS refs, URL
// and path dependencies, extra indexes and a missing lock.
//
// What a range means depends on what the file installs. SPEC 8 is about the
// release: what builds and publishes it must install exactly what was
// reviewed (pinned, hashed). A requirements file that a publishing workflow
// installs, or that is named for the release, gets a finding per range
// (medium). Ranges in lists for tests, docs, CI or development are the
// ordinary way to declare those environments: one low finding per file says
// so. Files a resolver generated (pip-compile, uv, PDM headers) are locks and
// judged as locks; files generated from pyproject.toml are declarations, like
// pyproject.toml itself, and their ranges are not findings.
import {
  type Finding,
  type NotChecked,
  type PythonDependency,
  type PythonManifest,
  createFinding,
  isProjectItself,
  oneLine,
  parsePythonFile,
  pythonFileKind,
  redact,
  resolveInclude,
  templateKind
} from '@security-actions/core';
import type { SourceFile } from './actions';
import { RULES } from './rules';

/**
 * Reads the Python files. A template (cookiecutter, copier: Jinja markup in its path, or in a text that
 * does not parse) is skipped with a note; any other file that does not parse is not checked, in one
 * line naming file and line, marked as unreadable input (the runner fails on it unless fail-on is none).
 */
export function readPythonFiles(files: SourceFile[]): {
  manifests: PythonManifest[];
  notChecked: NotChecked[];
  notes: string[];
} {
  const manifests: PythonManifest[] = [];
  const notChecked: NotChecked[] = [];
  const templates: string[] = [];
  for (const f of files) {
    const byPath = templateKind(f.path, '');
    if (byPath) {
      templates.push(`${f.path} (${byPath})`);
      continue;
    }
    try {
      // A file named by `-r` is a requirements file whatever its name.
      manifests.push(parsePythonFile(f.text, f.path, pythonFileKind(f.path) ?? 'requirements'));
    } catch (e) {
      const template = templateKind(f.path, f.text);
      if (template) templates.push(`${f.path} (${template})`);
      else notChecked.push({ check: 'python dependencies', reason: oneLine(e), input: true });
    }
  }
  const notes = templates.length
    ? [`Skipped ${plural(templates.length, 'template')}, dependency files only once rendered: ${templates.join(', ')}.`]
    : [];
  return { manifests, notChecked, notes };
}

const loc = (d: { file: string; line: number }) => ({ file: d.file, line: d.line });
const label = (d: PythonDependency) => `\`${d.rawName}${d.specifier ? ` ${d.specifier}` : ''}\``;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Is this manifest a declaration whose ranges a resolver or installer resolves (pyproject, .in, generated from pyproject)? */
const isInputFile = (m: PythonManifest) =>
  m.kind === 'pyproject' || /\.in$/.test(m.file) || m.generated?.kind === 'derived';

/** Words in a file's path that say it installs what builds or publishes the release. */
const RELEASE_WORDS =
  /(^|[^a-z])(release|releases|releasing|publish|publishing|deploy|deployment|upload|dist|sdist|wheels?|cibuildwheel|delvewheel)([^a-z]|$)/i;
/** Steps that publish to an index. */
const PUBLISHES = /pypa\/gh-action-pypi-publish|\b(twine|flit|hatch|poetry|uv|maturin|pdm)\s+(upload|publish)\b/;

/** Workflow texts that publish a release, for `checkPinning`. */
export const publishingWorkflows = (files: { text: string }[]) =>
  files.map((f) => f.text).filter((t) => PUBLISHES.test(t));

/** Does this file install what builds or publishes the release (by its name, or named in a publishing workflow)? */
const installsRelease = (file: string, publishing: string[]) =>
  RELEASE_WORDS.test(file) || publishing.some((t) => t.includes(file));

/**
 * VCS, URL and path sources. In a test, docs or development list (`aside`) a moving source is low, as a
 * range is there: it does not build the release.
 */
function sourceFindings(d: PythonDependency, out: Finding[], aside = false): boolean {
  const severity = aside ? ('low' as const) : undefined;
  const why = aside ? ' This list does not build or publish the release, so this is low.' : '';
  if (d.vcs) {
    if (!d.vcs.commit) {
      const what = d.vcs.ref ? `the ref \`${d.vcs.ref}\`, which can move` : 'no ref at all (the default branch)';
      out.push(
        createFinding(RULES.PY_VCS_UNPINNED, {
          severity,
          message: `${d.rawName} is installed from ${d.vcs.url} at ${what}.${why}`,
          location: loc(d),
          key: `${d.name}:${d.vcs.url}`,
          properties: { package: d.name }
        })
      );
    }
    return true;
  }
  if (d.url || d.path) {
    // `.`, `-e .[doc]`: the project installs itself, which is what is being checked, not a dependency.
    const itself = d.path !== undefined && isProjectItself(d.path);
    const inPyproject = d.editable && d.path && d.source !== 'requirements' && d.source !== 'environment-yml';
    if (!itself && !inPyproject && (d.path || !d.hashes.length)) {
      const what = d.path ? `the local path \`${d.path}\`` : `the URL ${d.url} without a hash`;
      out.push(
        createFinding(RULES.PY_URL_DEPENDENCY, {
          severity,
          message: `${d.rawName} is installed from ${what}.${why}`,
          location: loc(d),
          key: `${d.name}:${d.url ?? d.path}`,
          properties: { package: d.name }
        })
      );
    }
    return true;
  }
  return false;
}

const malformed = (d: { badHashes?: string[] }) => {
  const bad = d.badHashes ?? [];
  if (!bad.length) return '';
  const one = bad.length === 1;
  return ` (its ${one ? 'hash' : 'hashes'} \`${bad.join('`, `')}\` ${one ? 'is' : 'are'} not a sha256, sha384 or sha512 digest)`;
};

function lockFindings(m: PythonManifest, out: Finding[]): void {
  for (const d of m.dependencies) {
    if (sourceFindings(d, out)) continue;
    const unhashed = (d.files ?? []).filter((f) => !f.hashes.length);
    if (!d.files?.length || unhashed.length) {
      const what = !d.files?.length
        ? 'no files with hashes'
        : `${unhashed.length} file(s) without a hash (${unhashed
            .map((f) => f.filename ?? f.url)
            .slice(0, 3)
            .join(', ')})`;
      out.push(
        createFinding(RULES.PY_MISSING_HASHES, {
          message: `${d.rawName} ${d.version ?? ''} is locked with ${what}${malformed(d)}.`,
          location: loc(d),
          key: d.name,
          properties: { package: d.name }
        })
      );
    }
  }
}

/** Pinning and hash findings of one manifest; `publishing` are the texts of the workflows that publish. */
export function checkPinning(m: PythonManifest, publishing: string[] = []): Finding[] {
  const out: Finding[] = [];
  for (const o of m.options) {
    if (o.option === '--extra-index-url') {
      out.push(
        createFinding(RULES.PY_EXTRA_INDEX, {
          message: `\`--extra-index-url ${o.value}\` adds a second index; pip takes the highest version found on any of them.`,
          location: { file: m.file, line: o.line },
          evidence: `--extra-index-url ${o.value}`,
          key: o.value
        })
      );
    }
  }
  if (m.lock) {
    lockFindings(m, out);
    return out;
  }
  const generatedLock = m.generated?.kind === 'lock';
  const release = installsRelease(m.file, publishing);
  const aside = m.kind !== 'pyproject' && !generatedLock && !release;
  const deps = m.dependencies.filter((d) => !sourceFindings(d, out, aside));
  if (isInputFile(m)) return out;
  const ranges = deps.filter((d) => !d.version);
  const requireHashes = m.options.some((o) => o.option === '--require-hashes') || deps.some((d) => d.hashes.length);
  const lockLike = generatedLock || (deps.length > 0 && !ranges.length);
  if (ranges.length && (generatedLock || requireHashes)) {
    // In a lock or a hash-checked file each range is an anomaly of its own (a hand edit, an install pip refuses).
    const what = generatedLock ? `a lock generated by ${m.generated!.by}` : 'a file in hash-checking mode';
    for (const d of ranges)
      out.push(
        createFinding(RULES.PY_UNPINNED, {
          message: `${label(d)} is not pinned to one version${d.specifier ? '' : ' (no version at all)'}, in ${what}.`,
          location: loc(d),
          key: d.name,
          properties: { package: d.name }
        })
      );
  } else if (ranges.length) {
    // A file of ranges has one fix (lock it): one finding, at medium only where it installs the release.
    const listed = `${ranges.slice(0, 5).map(label).join(', ')}${ranges.length > 5 ? ', …' : ''}`;
    const ofThem = `${plural(ranges.length, 'requirement')} of ${deps.length} in ${m.file} ${ranges.length === 1 ? 'is a range' : 'are ranges'} (${listed})`;
    out.push(
      createFinding(RULES.PY_UNPINNED, {
        severity: release ? undefined : 'low',
        message: release
          ? `${ofThem}, and the file installs what builds or publishes the release (by its name, or a publishing workflow installs it): each release is built with whatever is newest on the index that day.`
          : `${ofThem}: installs of this test, docs or development environment take whatever is newest. Nothing here builds or publishes the release (no publishing workflow names the file), so this is low; pin it (a lock with hashes) if these jobs hold secrets or make artifacts.`,
        location: loc(ranges[0]),
        key: `${m.file}:ranges:${ranges.map((d) => d.name).join(',')}`,
        properties: { packages: ranges.map((d) => d.name).join(', ') }
      })
    );
  }
  if (requireHashes) {
    for (const d of deps.filter((x) => !x.hashes.length))
      out.push(
        createFinding(RULES.PY_MISSING_HASHES, {
          severity: 'high',
          message: `${label(d)} has no usable \`--hash\`${malformed(d)} while other requirements in this file do: pip's hash-checking mode then refuses the whole install, or (if hashes are dropped to make it work) checks nothing.`,
          location: loc(d),
          key: d.name,
          properties: { package: d.name }
        })
      );
  } else if (lockLike) {
    const pinned = deps.filter((d) => d.version);
    if (pinned.length)
      out.push(
        createFinding(RULES.PY_MISSING_HASHES, {
          severity: release ? undefined : 'low',
          message: `${pinned.length === 1 ? `The pinned requirement in ${m.file} has no` : `None of the ${pinned.length} pinned requirements in ${m.file} has a`} \`--hash\`${release ? '' : ' (it does not install the release build, so this is low)'}.`,
          location: loc(pinned[0]),
          key: `${m.file}:no-hashes`
        })
      );
  }
  return out;
}

/** `-r`/`-c` targets the checks cannot follow: URLs, paths outside the checkout, files that are not there. */
export function unfollowedIncludes(manifests: PythonManifest[], present: Set<string>): NotChecked[] {
  const out: NotChecked[] = [];
  for (const m of manifests) {
    for (const o of m.options) {
      if ((o.option !== '--requirement' && o.option !== '--constraint') || !o.value) continue;
      const r = resolveInclude(m.file, o.value);
      const why = 'outside' in r ? r.outside : present.has(r.path) ? undefined : 'not found in the checkout';
      if (why)
        out.push({
          check: 'python dependencies',
          target: `${m.file}:${o.line}`,
          reason: `\`${o.option === '--requirement' ? '-r' : '-c'} ${redact(o.value)}\` is ${why}; the requirements it holds are not checked.`
        });
    }
  }
  return out;
}

/** A project that declares dependencies in pyproject.toml but commits no lock of any kind. */
export function checkNoLock(manifests: PythonManifest[]): Finding[] {
  const hasLock = manifests.some(
    (m) =>
      m.lock ||
      (m.kind === 'requirements' &&
        !/\.in$/.test(m.file) &&
        m.dependencies.length > 0 &&
        m.dependencies.every((d) => d.version || d.vcs?.commit))
  );
  if (hasLock) return [];
  return manifests
    .filter((m) => m.kind === 'pyproject' && m.dependencies.some((d) => d.group !== 'build-system'))
    .map((m) =>
      createFinding(RULES.PY_NO_LOCK, {
        message: `${m.file} declares ${m.dependencies.length} dependencies but the repository has no lock file (uv.lock, poetry.lock, pylock.toml or hashed requirements).`,
        location: { file: m.file, line: 1 },
        key: m.file
      })
    );
}

/** conda packages have no advisory ecosystem: say so in the report instead of staying silent. */
export function condaNotCovered(manifests: PythonManifest[]): string[] {
  return manifests
    .filter((m) => m.condaPackages?.length)
    .map(
      (m) =>
        `${m.file}: ${m.condaPackages!.length} conda package(s) are not covered by verify-deps (OSV has no conda ecosystem); only the pip: part is checked.`
    );
}
