// The suite's one PyPI client, over the core HTTP client (timeouts, bounded
// retries, ServiceError as the "not checked" reason): the JSON API (the
// latest release, its files, the project's owners), the Simple JSON API
// (PEP 691/700/740: every file with its digest, yanked state, upload time and
// provenance URL) and the Integrity API (PEP 740 provenance). An answer
// without the fields a caller relies on throws, so it is never read as "none".
import { HttpClient, ServiceError } from './http';
import { type TrustedPublisher, normalizeName } from './python/types';

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

/** The JSON API's view of a project: the release PyPI calls latest, and who owns the project. */
export interface JsonProject {
  name: string;
  /** Not yanked first, then final before pre-release, then the highest version (warehouse's choice). */
  version: string;
  /** Filenames of that release's files (`urls`), in PyPI's order. */
  files: string[];
  /** Undefined when the answer has no `ownership` (older PyPI, mirrors): unknown, not "nobody". */
  ownership?: { roles: { role: string; user: string }[]; organization: string | null };
}

export interface IntegrityAttestation {
  version: number;
  verification_material: { certificate: string; transparency_entries: unknown[] };
  envelope: { statement: string; signature: string };
}

export interface Provenance {
  version: number;
  /** `publisher` as PyPI sends it (unsigned); read it with `trustedPublisher`. */
  attestation_bundles: { publisher: Record<string, unknown>; attestations: IntegrityAttestation[] }[];
}

/** A publisher object from the Integrity API, or undefined when it names no kind. */
export function trustedPublisher(raw: unknown): TrustedPublisher | undefined {
  const p = raw as Record<string, unknown> | null | undefined;
  if (typeof p?.kind !== 'string') return undefined;
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  return { kind: p.kind, repository: str('repository'), workflow: str('workflow'), environment: str('environment') };
}

/** The version a distribution filename carries (PEP 427 wheels, PEP 625 sdists), or undefined. */
export function versionFromFilename(filename: string, project: string): string | undefined {
  const wheel = /^([^-]+)-([^-]+)-(?:\d[^-]*-)?[^-]+-[^-]+-[^-]+\.whl$/.exec(filename);
  if (wheel) return normalizeName(wheel[1]) === project ? wheel[2] : undefined;
  const sdist = /^(.+)-([^-]+)\.(tar\.gz|zip|tar\.bz2|tgz|tar)$/.exec(filename);
  return sdist && normalizeName(sdist[1]) === project ? sdist[2] : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export class PyPIClient {
  readonly http: HttpClient;
  private readonly baseUrl: string;
  constructor(baseUrl: string, http?: HttpClient) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.http = http ?? new HttpClient('PyPI');
  }

  /** The JSON API (`/pypi/<name>/json`); undefined when PyPI does not know the project (404). */
  async project(name: string): Promise<JsonProject | undefined> {
    const res = await this.http.json<Record<string, unknown>>(`${this.baseUrl}/pypi/${encodeURIComponent(name)}/json`, {
      headers: { accept: 'application/json' },
      accept: [404]
    });
    if (res.status === 404) return undefined;
    const body = res.body;
    const info = isObject(body) && isObject(body.info) ? body.info : undefined;
    if (!info || typeof info.version !== 'string' || !Array.isArray(body!.urls))
      throw new ServiceError(`PyPI JSON API returned no latest release for ${name}`);
    const own = body!.ownership;
    return {
      name: typeof info.name === 'string' ? info.name : name,
      version: info.version,
      files: (body!.urls as unknown[])
        .map((u) => (isObject(u) && typeof u.filename === 'string' ? u.filename : undefined))
        .filter((f): f is string => !!f),
      ownership: isObject(own)
        ? {
            roles: (Array.isArray(own.roles) ? own.roles : []).filter(
              (r): r is { role: string; user: string } =>
                isObject(r) && typeof r.role === 'string' && typeof r.user === 'string'
            ),
            organization: typeof own.organization === 'string' ? own.organization : null
          }
        : undefined
    };
  }

  /** The Simple JSON API's files of a project (name normalised); undefined when PyPI does not know it (404). */
  async simple(name: string): Promise<SimpleProject | undefined> {
    const res = await this.http.json<Record<string, unknown>>(`${this.baseUrl}/simple/${encodeURIComponent(name)}/`, {
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

  /** The Integrity API object at `url` (as the Simple API gives it), or undefined on 404 (no provenance). */
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

  /** The Integrity API URL of one file, for callers that know the file but not its Simple API entry. */
  integrityUrl(name: string, version: string, filename: string): string {
    return `${this.baseUrl}/integrity/${[name, version, filename].map(encodeURIComponent).join('/')}/provenance`;
  }
}
