// PyPI reads for verify-deps: the Simple JSON API (PEP 691/700/740: files,
// hashes, yanked, upload time, provenance URL) once per project, and the
// Integrity API per locked file that has provenance.
import { normalizeName } from '@security-actions/core';
import { HttpClient, ServiceError } from './http';

export interface SimpleFile {
  filename: string;
  sha256?: string;
  yanked: boolean | string;
  uploadTime?: string;
  /** Integrity API URL, or null when the file has no provenance. */
  provenance: string | null;
  version?: string;
}

export interface SimpleProject {
  name: string;
  versions: string[];
  files: SimpleFile[];
}

export interface IntegrityAttestation {
  version: number;
  verification_material: { certificate: string; transparency_entries: unknown[] };
  envelope: { statement: string; signature: string };
}

export interface Provenance {
  version: number;
  attestation_bundles: { publisher: Record<string, unknown>; attestations: IntegrityAttestation[] }[];
}

/** The version a distribution filename carries (PEP 427 wheels, PEP 625 sdists), or undefined. */
export function versionFromFilename(filename: string, project: string): string | undefined {
  const wheel = /^([^-]+)-([^-]+)-(?:\d[^-]*-)?[^-]+-[^-]+-[^-]+\.whl$/.exec(filename);
  if (wheel) return normalizeName(wheel[1]) === project ? wheel[2] : undefined;
  const sdist = /^(.+)-([^-]+)\.(tar\.gz|zip|tar\.bz2|tgz|tar)$/.exec(filename);
  return sdist && normalizeName(sdist[1]) === project ? sdist[2] : undefined;
}

export class PyPIClient {
  readonly http: HttpClient;
  constructor(
    private readonly baseUrl: string,
    http?: HttpClient
  ) {
    this.http = http ?? new HttpClient('PyPI');
  }

  /** The project's files; undefined when PyPI does not know it (404). */
  async project(name: string): Promise<SimpleProject | undefined> {
    const res = await this.http.json<Record<string, unknown>>(`${this.baseUrl}/simple/${name}/`, {
      headers: { accept: 'application/vnd.pypi.simple.v1+json' },
      accept: [404]
    });
    if (res.status === 404) return undefined;
    const body = res.body;
    if (!body || !Array.isArray(body.files))
      throw new ServiceError(`PyPI simple API returned no file list for ${name}`);
    const files = (body.files as Record<string, unknown>[])
      .filter((f) => f && typeof f.filename === 'string')
      .map((f) => {
        const hashes = (f.hashes ?? {}) as Record<string, unknown>;
        return {
          filename: f.filename as string,
          sha256: typeof hashes.sha256 === 'string' ? hashes.sha256.toLowerCase() : undefined,
          yanked: (typeof f.yanked === 'string' ? f.yanked || true : f.yanked === true) as boolean | string,
          uploadTime: typeof f['upload-time'] === 'string' ? (f['upload-time'] as string) : undefined,
          provenance: typeof f.provenance === 'string' ? f.provenance : null,
          version: versionFromFilename(f.filename as string, name)
        };
      });
    return { name, versions: Array.isArray(body.versions) ? (body.versions as string[]) : [], files };
  }

  /** The Integrity API object, or undefined on 404 (no provenance). */
  async provenance(url: string): Promise<Provenance | undefined> {
    const abs = new URL(url, `${this.baseUrl}/`).toString();
    const res = await this.http.json<Provenance>(abs, {
      headers: { accept: 'application/vnd.pypi.integrity.v1+json' },
      accept: [404]
    });
    if (res.status === 404) return undefined;
    const p = res.body;
    if (!p || !Array.isArray(p.attestation_bundles))
      throw new ServiceError(`PyPI Integrity API returned a malformed provenance object for ${new URL(abs).pathname}`);
    return p;
  }

  integrityUrl(name: string, version: string, filename: string): string {
    return `${this.baseUrl}/integrity/${name}/${version}/${filename}/provenance`;
  }
}
