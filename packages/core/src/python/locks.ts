// Lock files: uv.lock, poetry.lock and PEP 751 pylock.toml. Each entry
// becomes one PythonDependency with its exact version and every locked file.
import { fileError } from '../errors';
import { QuotedLocator, type TomlTable, arr, arrayTableLines, isTable, parseTomlFile, str } from './toml';
import {
  type AttestationIdentity,
  type LockedFile,
  type PythonDependency,
  type PythonManifest,
  normalizeName,
  sortHashes
} from './types';

/** The file name a URL ends in, percent-decoded (kept as written when its escapes are malformed). */
function filenameOf(url?: string): string | undefined {
  const last = url?.split(/[?#]/)[0].split('/').pop();
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function entries(doc: TomlTable, key: string, file: string): TomlTable[] {
  const list = doc[key];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw fileError(file, undefined, `'${key}' must be an array of tables`);
  return list.map((p, i) => {
    if (!isTable(p)) throw fileError(file, undefined, `${key}[${i}] is not a table`);
    return p;
  });
}

/** A lock entry's hashes: every file's usable digests, and the malformed entries when there are any. */
function depHashes(files: LockedFile[]): { hashes: string[]; badHashes?: string[] } {
  const bad = files.flatMap((f) => f.badHashes ?? []);
  return { hashes: files.flatMap((f) => f.hashes), ...(bad.length ? { badHashes: bad } : {}) };
}

function requireName(p: TomlTable, file: string, line: number): string {
  const name = str(p.name);
  if (!name) throw fileError(file, line, 'lock entry without a name');
  return name;
}

/** uv.lock: `[[package]]` with `source`, `sdist`, `wheels`; workspace members name the direct dependencies. */
export function parseUvLock(text: string, file: string): PythonManifest {
  const doc = parseTomlFile(text, file);
  const lines = arrayTableLines(text, 'package');
  const packages = entries(doc, 'package', file);
  const direct = new Set<string>();
  const dependencies: PythonDependency[] = [];
  packages.forEach((p, i) => {
    const line = lines[i] ?? 1;
    const rawName = requireName(p, file, line);
    const source = isTable(p.source) ? p.source : {};
    if (str(source.editable) !== undefined || str(source.virtual) !== undefined) {
      // A workspace member is the project itself: what it depends on is direct.
      const depLists = [
        p.dependencies,
        ...Object.values(isTable(p['optional-dependencies']) ? p['optional-dependencies'] : {}),
        ...Object.values(isTable(p['dev-dependencies']) ? p['dev-dependencies'] : {})
      ];
      for (const list of depLists)
        for (const d of arr(list)) if (isTable(d) && str(d.name)) direct.add(normalizeName(str(d.name)!));
      return;
    }
    const files: LockedFile[] = [];
    const addFile = (f: unknown): void => {
      if (!isTable(f)) return;
      const hash = str(f.hash);
      files.push({
        url: str(f.url) ?? str(f.path),
        filename: filenameOf(str(f.url) ?? str(f.path)),
        ...sortHashes(hash ? [hash] : []),
        size: typeof f.size === 'number' ? f.size : undefined,
        uploadTime: str(f['upload-time'])
      });
    };
    addFile(p.sdist);
    for (const w of arr(p.wheels)) addFile(w);
    const dep: PythonDependency = {
      name: normalizeName(rawName),
      rawName,
      specifier: str(p.version) ? `==${str(p.version)}` : '',
      version: str(p.version),
      ...depHashes(files),
      extras: [],
      file,
      line,
      source: 'uv-lock',
      direct: false,
      files,
      index: str(source.registry)
    };
    if (str(source.git)) dep.vcs = uvGit(str(source.git)!);
    else if (str(source.url)) dep.url = str(source.url);
    else if (str(source.path) ?? str(source.directory)) dep.path = str(source.path) ?? str(source.directory);
    dependencies.push(dep);
  });
  for (const d of dependencies) d.direct = direct.has(d.name);
  return { file, kind: 'uv-lock', dependencies, options: [], lock: true };
}

/** uv writes git sources as `https://host/o/r?rev=main#<commit>` (also `?tag=`, `?branch=`). */
function uvGit(raw: string): { type: string; url: string; ref?: string; commit?: string } {
  const [base, commit] = raw.split('#');
  const q = base.indexOf('?');
  const url = q < 0 ? base : base.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : base.slice(q + 1));
  const ref = params.get('rev') ?? params.get('tag') ?? params.get('branch') ?? undefined;
  return { type: 'git', url, ref, commit: commit && /^[0-9a-f]{40}$/i.test(commit) ? commit.toLowerCase() : undefined };
}

/** poetry.lock: `[[package]]` with `files` (1.x+ inline, or the older `[metadata.files]`) and `[package.source]`. */
export function parsePoetryLock(text: string, file: string): PythonManifest {
  const doc = parseTomlFile(text, file);
  const lines = arrayTableLines(text, 'package');
  const metadata = isTable(doc.metadata) ? doc.metadata : {};
  const legacyFiles = isTable(metadata.files) ? metadata.files : {};
  const dependencies = entries(doc, 'package', file).map((p, i): PythonDependency => {
    const line = lines[i] ?? 1;
    const rawName = requireName(p, file, line);
    const version = str(p.version);
    const fileList =
      p.files !== undefined ? arr(p.files) : arr(legacyFiles[rawName] ?? legacyFiles[normalizeName(rawName)]);
    const files: LockedFile[] = fileList
      .filter(isTable)
      .map((f) => ({ filename: str(f.file), ...sortHashes(str(f.hash) ? [str(f.hash)!] : []) }));
    const dep: PythonDependency = {
      name: normalizeName(rawName),
      rawName,
      specifier: version ? `==${version}` : '',
      version,
      ...depHashes(files),
      extras: [],
      file,
      line,
      source: 'poetry-lock',
      direct: false,
      files,
      group:
        arr(p.groups)
          .filter((g) => typeof g === 'string')
          .join(',') || undefined
    };
    const src = isTable(p.source) ? p.source : undefined;
    const type = str(src?.type);
    if (src && type === 'git') {
      const resolved = str(src.resolved_reference);
      dep.vcs = {
        type: 'git',
        url: str(src.url) ?? '',
        ref: str(src.reference),
        commit: resolved && /^[0-9a-f]{40}$/i.test(resolved) ? resolved.toLowerCase() : undefined
      };
    } else if (src && (type === 'directory' || type === 'file')) dep.path = str(src.url);
    else if (src && type === 'url') dep.url = str(src.url);
    else if (src && type === 'legacy') dep.index = str(src.url);
    return dep;
  });
  return { file, kind: 'poetry-lock', dependencies, options: [], lock: true };
}

/** PEP 751 pylock.toml: `[[packages]]` with `vcs`, `directory`, `archive`, `sdist`, `wheels`, `attestation-identities`. */
export function parsePylock(text: string, file: string): PythonManifest {
  const doc = parseTomlFile(text, file);
  if (str(doc['lock-version']) === undefined) throw fileError(file, 1, "not a pylock file: 'lock-version' is missing");
  if (!/^1(\.\d+)?$/.test(str(doc['lock-version'])!))
    throw fileError(file, 1, `unsupported lock-version '${str(doc['lock-version'])}'`);
  const lines = arrayTableLines(text, 'packages');
  const loc = new QuotedLocator(text);
  const attestationIdentities: Record<string, AttestationIdentity[]> = {};
  const dependencies = entries(doc, 'packages', file).map((p, i): PythonDependency => {
    const rawName = requireName(p, file, lines[i] ?? 1);
    const line = lines[i] ?? loc.line(rawName, 1);
    const version = str(p.version);
    const files: LockedFile[] = [];
    const addFile = (f: unknown): void => {
      if (!isTable(f)) return;
      const hashes = isTable(f.hashes) ? Object.entries(f.hashes).map(([alg, h]) => `${alg}:${String(h)}`) : [];
      const uploaded = f['upload-time'];
      files.push({
        filename: str(f.name) ?? filenameOf(str(f.url) ?? str(f.path)),
        url: str(f.url) ?? str(f.path),
        ...sortHashes(hashes),
        size: typeof f.size === 'number' ? f.size : undefined,
        uploadTime: uploaded instanceof Date ? new Date(uploaded.getTime()).toISOString() : str(uploaded)
      });
    };
    addFile(p.sdist);
    for (const w of arr(p.wheels)) addFile(w);
    addFile(p.archive);
    const dep: PythonDependency = {
      name: normalizeName(rawName),
      rawName,
      specifier: version ? `==${version}` : '',
      version,
      ...depHashes(files),
      markers: str(p.marker),
      extras: [],
      file,
      line,
      source: 'pylock',
      direct: false,
      files,
      index: str(p.index)
    };
    if (isTable(p.vcs)) {
      const commit = str(p.vcs['commit-id']);
      dep.vcs = {
        type: str(p.vcs.type) ?? 'git',
        url: str(p.vcs.url) ?? str(p.vcs.path) ?? '',
        ref: str(p.vcs['requested-revision']),
        commit: commit && /^[0-9a-f]{40}$/i.test(commit) ? commit.toLowerCase() : undefined
      };
    } else if (isTable(p.directory)) {
      dep.path = str(p.directory.path);
      dep.editable = p.directory.editable === true || undefined;
    } else if (isTable(p.archive) && str(p.archive.url)) dep.url = str(p.archive.url);
    const ids = arr(p['attestation-identities']).filter(isTable);
    if (ids.length) attestationIdentities[dep.name] = ids.map((t) => ({ ...t, kind: str(t.kind) ?? '' }));
    return dep;
  });
  return { file, kind: 'pylock', dependencies, options: [], lock: true, attestationIdentities };
}
