// Offline checks of Python dependency files: pinning, hashes, VCS refs, URL
// and path dependencies, extra indexes and a missing lock.
import { type Finding, type PythonDependency, type PythonManifest, createFinding } from '@security-actions/core';
import { RULES } from './rules';

const loc = (d: { file: string; line: number }) => ({ file: d.file, line: d.line });
const label = (d: PythonDependency) => `\`${d.rawName}${d.specifier ? ` ${d.specifier}` : ''}\``;

/** Is this manifest an input file whose ranges are meant to be resolved elsewhere (pyproject, requirements.in)? */
const isInputFile = (m: PythonManifest) => m.kind === 'pyproject' || /\.in$/.test(m.file);

function sourceFindings(d: PythonDependency, out: Finding[]): boolean {
  if (d.vcs) {
    if (!d.vcs.commit) {
      const what = d.vcs.ref ? `the ref \`${d.vcs.ref}\`, which can move` : 'no ref at all (the default branch)';
      out.push(
        createFinding(RULES.PY_VCS_UNPINNED, {
          message: `${d.rawName} is installed from ${d.vcs.url} at ${what}.`,
          location: loc(d),
          key: `${d.name}:${d.vcs.url}`,
          properties: { package: d.name }
        })
      );
    }
    return true;
  }
  if (d.url || d.path) {
    if (d.path || !d.hashes.length) {
      const what = d.path ? `the local path \`${d.path}\`` : `the URL ${d.url} without a hash`;
      if (!(d.editable && d.path && d.source !== 'requirements' && d.source !== 'environment-yml')) {
        out.push(
          createFinding(RULES.PY_URL_DEPENDENCY, {
            message: `${d.rawName} is installed from ${what}.`,
            location: loc(d),
            key: `${d.name}:${d.url ?? d.path}`,
            properties: { package: d.name }
          })
        );
      }
    }
    return true;
  }
  return false;
}

/** Pinning and hash findings of one manifest. */
export function checkPinning(m: PythonManifest): Finding[] {
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
            message: `${d.rawName} ${d.version ?? ''} is locked with ${what}.`,
            location: loc(d),
            key: d.name,
            properties: { package: d.name }
          })
        );
      }
    }
    return out;
  }
  const input = isInputFile(m);
  const requireHashes =
    m.options.some((o) => o.option === '--require-hashes') || m.dependencies.some((d) => d.hashes.length);
  let pinnedWithoutHash = 0;
  for (const d of m.dependencies) {
    if (sourceFindings(d, out) || input) continue;
    if (!d.version) {
      out.push(
        createFinding(RULES.PY_UNPINNED, {
          message: `${label(d)} is not pinned to one version${d.specifier ? '' : ' (no version at all)'}.`,
          location: loc(d),
          key: d.name,
          properties: { package: d.name }
        })
      );
    }
    if (!d.hashes.length) {
      if (requireHashes) {
        out.push(
          createFinding(RULES.PY_MISSING_HASHES, {
            severity: 'high',
            message: `${label(d)} has no \`--hash\` while other requirements in this file do: pip's hash-checking mode then refuses the whole install, or (if hashes are dropped to make it work) checks nothing.`,
            location: loc(d),
            key: d.name,
            properties: { package: d.name }
          })
        );
      } else if (d.version) pinnedWithoutHash++;
    }
  }
  if (pinnedWithoutHash && !requireHashes) {
    const first = m.dependencies.find((d) => d.version && !d.hashes.length)!;
    out.push(
      createFinding(RULES.PY_MISSING_HASHES, {
        message: `None of the ${pinnedWithoutHash} pinned requirements in ${m.file} has a \`--hash\`.`,
        location: loc(first),
        key: `${m.file}:no-hashes`
      })
    );
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
