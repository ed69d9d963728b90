// PyPI side of the audit: who owns each package, and whether its latest
// release was published by this repository through Trusted Publishing. The
// provenance's publisher fields are compared; verifying the attestation
// signatures is verify-deps' job.
import { oneLine } from '@security-actions/core';
import type { PyPIAnswer, PyPIIO } from './types';

export function pypiIO(baseUrl: string, fetchImpl: typeof fetch = fetch): PyPIIO {
  const base = baseUrl.replace(/\/+$/, '');
  const get = async (url: string, accept: string): Promise<PyPIAnswer> => {
    const res = await fetchImpl(url, { headers: { accept }, signal: AbortSignal.timeout(30_000) });
    if (!res.ok) return { status: res.status };
    return { status: res.status, data: await res.json() };
  };
  return {
    project: (name) => get(`${base}/pypi/${encodeURIComponent(name)}/json`, 'application/json'),
    provenance: (name, version, filename) =>
      get(
        `${base}/integrity/${encodeURIComponent(name)}/${encodeURIComponent(version)}/${encodeURIComponent(filename)}/provenance`,
        'application/vnd.pypi.integrity.v1+json'
      )
  };
}

export interface Publisher {
  kind?: string;
  repository?: string;
  workflow?: string;
  environment?: string | null;
}

export interface PackageState {
  name: string;
  version?: string;
  owners: string[];
  organization?: string | null;
  /** Undefined: the latest release has no provenance. */
  publisher?: Publisher;
}

/** Reads what the checks need; throws a one-line error when PyPI cannot answer. */
export async function packageState(io: PyPIIO, name: string): Promise<PackageState | 'not-found'> {
  const p = await io.project(name);
  if (p.status === 404) return 'not-found';
  if (p.status !== 200) throw new Error(`PyPI answered ${p.status} for ${name}`);
  const data = p.data as {
    info?: { version?: string };
    urls?: { filename: string }[];
    ownership?: { roles?: { role: string; user: string }[]; organization?: string | null };
  };
  const owners = (data.ownership?.roles ?? []).filter((r) => r.role === 'Owner').map((r) => r.user);
  const state: PackageState = { name, version: data.info?.version, owners, organization: data.ownership?.organization };
  const file = data.urls?.[0]?.filename;
  if (!file || !state.version) return state;
  try {
    const prov = await io.provenance(name, state.version, file);
    if (prov.status === 404) return state;
    if (prov.status !== 200) throw new Error(`PyPI integrity API answered ${prov.status} for ${file}`);
    const bundles = (prov.data as { attestation_bundles?: { publisher?: Publisher }[] }).attestation_bundles ?? [];
    state.publisher = bundles[0]?.publisher;
  } catch (e) {
    throw new Error(`${name} ${state.version}: ${oneLine(e)}`);
  }
  return state;
}

/** `[project] name` of a pyproject.toml, or undefined. */
export function projectName(doc: Record<string, unknown>): string | undefined {
  const project = doc.project as { name?: unknown } | undefined;
  return typeof project?.name === 'string' ? project.name : undefined;
}
