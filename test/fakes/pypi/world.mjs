// The PyPI fake's "world": which projects, releases and files exist. Documented in
// docs/fakes/pypi.md. Files are real bytes: digests, sizes and download contents
// are always computed from them, never declared, so a digest the fake advertises
// is one the bytes really have (unless a test overrides it on purpose).
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * @typedef {object} WorldFile
 * @property {string} filename
 * @property {Buffer|string} [content]  the distribution bytes (in-process worlds)
 * @property {string} [path]            or a file to read them from
 * @property {string} [upload_time]     ISO 8601 UTC, e.g. "2024-10-31T16:01:05.123456Z"
 * @property {object} [provenance]      PEP 740 provenance object served by the Integrity API
 * @property {string} [provenancePath]  or a file holding it
 * @property {Record<string,string>} [digests] overrides computed digests (models a tampered index)
 *
 * @typedef {object} WorldRelease
 * @property {string} version
 * @property {boolean} [yanked]
 * @property {string|null} [yanked_reason]
 * @property {string|null} [requires_python]
 * @property {object[]} [vulnerabilities]  PyPI JSON API `vulnerabilities` entries
 * @property {Record<string,unknown>} [info] extra/overriding `info` keys (summary, license, ...)
 * @property {WorldFile[]} files
 *
 * @typedef {object} WorldProject
 * @property {string} name  display name as registered (e.g. "Django")
 * @property {{roles:{role:string,user:string}[], organization:string|null}} [ownership]
 * @property {number} [lastSerial]
 * @property {WorldRelease[]} releases
 *
 * @typedef {{projects: WorldProject[]}} World
 */

/**
 * Reads a world JSON file; `path` and `provenancePath` entries are resolved
 * relative to the world file, so a checked-in world can point at ../shared/corpora.
 * @returns {World}
 */
export function loadWorldFile(file) {
  const world = JSON.parse(readFileSync(file, 'utf8'));
  return resolveWorld(world, path.dirname(path.resolve(file)));
}

/**
 * Loads every file's bytes and provenance; relative paths resolve against `baseDir`.
 * @param {World} world
 * @returns {World} a copy whose files all carry `content` (Buffer) and `provenance` (or none)
 */
export function resolveWorld(world, baseDir = process.cwd()) {
  return {
    projects: world.projects.map((p) => ({
      ...p,
      releases: p.releases.map((r) => ({
        ...r,
        files: r.files.map((f) => {
          const { path: filePath, provenancePath, ...rest } = f;
          const content =
            f.content !== undefined
              ? Buffer.from(f.content)
              : filePath
                ? readFileSync(path.resolve(baseDir, filePath))
                : null;
          if (!content) throw new Error(`world file ${f.filename}: give content or path`);
          const provenance = provenancePath
            ? JSON.parse(readFileSync(path.resolve(baseDir, provenancePath), 'utf8'))
            : f.provenance;
          return { ...rest, content, provenance };
        })
      }))
    }))
  };
}

/** Splits a wheel or sdist filename into its name and version parts. */
export function parseDistFilename(filename) {
  if (filename.endsWith('.whl')) {
    // name-version(-build)?-python-abi-platform.whl
    const parts = filename.slice(0, -4).split('-');
    return { name: parts[0], version: parts[1], packagetype: 'bdist_wheel', python_version: parts.at(-3) };
  }
  const m = /^(.+)-([^-]+)\.(tar\.gz|zip)$/.exec(filename);
  if (!m) throw new Error(`not a wheel or sdist filename: ${filename}`);
  return { name: m[1], version: m[2], packagetype: 'sdist', python_version: 'source' };
}

/**
 * Builds a world project from a real distribution in the corpus, e.g.
 * `../shared/corpora/pypi-attestations/pypi_attestations-0.0.19.tar.gz`. Its
 * provenance is the real Integrity API object `<dist>.provenance` when the corpus
 * has one; otherwise `<dist>.publish.attestation` wrapped with the given
 * `publisher` (PyPI's provenance = the attestations plus the Trusted Publisher
 * that uploaded them). Without either the file is served with no provenance.
 * @param {string} distPath
 * @param {{name?: string, publisher?: object, ownership?: WorldProject['ownership'], upload_time?: string}} [opts]
 * @returns {WorldProject}
 */
export function corpusProject(distPath, opts = {}) {
  const filename = path.basename(distPath);
  const { name, version } = parseDistFilename(filename);
  let provenance;
  if (existsSync(`${distPath}.provenance`)) {
    provenance = JSON.parse(readFileSync(`${distPath}.provenance`, 'utf8'));
  } else if (opts.publisher && existsSync(`${distPath}.publish.attestation`)) {
    const attestation = JSON.parse(readFileSync(`${distPath}.publish.attestation`, 'utf8'));
    provenance = { version: 1, attestation_bundles: [{ publisher: opts.publisher, attestations: [attestation] }] };
  }
  return {
    name: opts.name ?? name,
    ...(opts.ownership ? { ownership: opts.ownership } : {}),
    releases: [
      {
        version,
        files: [{ filename, content: readFileSync(distPath), upload_time: opts.upload_time, provenance }]
      }
    ]
  };
}
