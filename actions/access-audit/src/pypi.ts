// PyPI side of the audit: who owns each package, and whether its latest
// release was published by this repository through Trusted Publishing. The
// provenance's publisher fields are compared; verifying the attestation
// signatures is verify-deps' job.
import { type PyPIClient, type TrustedPublisher, oneLine, trustedPublisher } from '@security-actions/core';

export interface PackageState {
  name: string;
  version: string;
  /** Undefined when PyPI's answer says nothing of ownership: unknown, never "nobody". */
  owners?: string[];
  organization?: string | null;
  /** Undefined: the latest release has no provenance. */
  publisher?: TrustedPublisher;
}

/** Reads what the checks need; throws a one-line error when PyPI cannot answer. */
export async function packageState(pypi: PyPIClient, name: string): Promise<PackageState | 'not-found'> {
  const p = await pypi.project(name);
  if (!p) return 'not-found';
  const state: PackageState = {
    name,
    version: p.version,
    owners: p.ownership?.roles.filter((r) => r.role === 'Owner').map((r) => r.user),
    organization: p.ownership?.organization
  };
  const file = p.files[0];
  if (!file) return state;
  try {
    const prov = await pypi.provenance(pypi.integrityUrl(name, p.version, file));
    state.publisher = trustedPublisher(prov?.attestation_bundles[0]?.publisher);
  } catch (e) {
    throw new Error(`${name} ${p.version}: ${oneLine(e)}`);
  }
  return state;
}

/** `[project] name` of a pyproject.toml, or undefined. */
export function projectName(doc: Record<string, unknown>): string | undefined {
  const project = doc.project as { name?: unknown } | undefined;
  return typeof project?.name === 'string' ? project.name : undefined;
}
