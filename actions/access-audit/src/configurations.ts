// The organization's code security configurations, read once so that a
// repository whose settings an enforced configuration fixes needs no request
// of its own for them. GitHub's rules (docs: "Security configuration
// statuses", "Security configuration enforcement"):
//  - `enforced` (the repository's status under a configuration whose
//    `enforcement` is `enforced`): repository admins cannot change the
//    enablement of a feature the configuration enables or disables, through
//    the UI or the REST API (the call "appears to succeed" and changes nothing);
//  - `attached` (unenforced) is documented as inheriting every setting, but a
//    repository admin may change one, which GitHub then shows as `removed`:
//    the audit does not rely on a status a person can change under it;
//  - code scanning default setup set to `enabled` is not guaranteed even when
//    enforced (it does not apply when Actions is disabled or unavailable, or
//    when the excluded languages change), so only `disabled` is taken;
//  - `not_set`, `attaching`, `updating`, `failed`, `removed`, `detached`
//    guarantee nothing; enterprise configurations are not read (their
//    enforcement may exempt organization owners).
// Anything unreadable or incomplete leaves the repositories to their own
// requests, with a note saying why: never "none found".
import { describeApiError, promised } from '@security-actions/core';
import { listByCursor } from './rest';
import type { AuditIO, Enforced } from './types';

interface Configuration {
  id: number;
  name?: string;
  target_type?: string;
  enforcement: string;
  private_vulnerability_reporting?: string;
  code_scanning_default_setup?: string;
}

const LIST = 'GET /orgs/{org}/code-security/configurations';
const REPOS = 'GET /orgs/{org}/code-security/configurations/{configuration_id}/repositories';

/** What the configuration fixes for every repository enforced under it; undefined when nothing the audit reads. */
function guarantees(c: Configuration): Enforced | undefined {
  if (c.enforcement !== 'enforced' || c.target_type === 'enterprise') return undefined;
  const pvr = c.private_vulnerability_reporting;
  const g: Enforced = { configuration: c.name ?? String(c.id) };
  if (pvr === 'enabled' || pvr === 'disabled') g.privateVulnerabilityReporting = pvr === 'enabled';
  if (c.code_scanning_default_setup === 'disabled') g.defaultSetupOff = true;
  return g.privateVulnerabilityReporting === undefined && !g.defaultSetupOff ? undefined : g;
}

/**
 * Repository name → what its enforced configuration guarantees. Repositories
 * absent from the map are read one by one, as are all when the configurations
 * cannot be read (a note says why).
 */
export async function enforcedConfigurations(
  io: AuditIO,
  org: string,
  notes: string[]
): Promise<Map<string, Enforced>> {
  const out = new Map<string, Enforced>();
  const fallback = (what: string, e: unknown) =>
    notes.push(
      `${what} (${describeApiError(e, 'organization administration: read')}), so private vulnerability reporting and CodeQL default setup were read per repository.`
    );
  let list: Configuration[];
  try {
    list = (await listByCursor<unknown>(io, LIST, { org })).map((c) =>
      promised<Configuration>(c, LIST, { id: 'number', enforcement: 'string' })
    );
  } catch (e) {
    fallback('Code security configurations were not read', e);
    return out;
  }
  for (const c of list) {
    const g = guarantees(c);
    if (!g) continue;
    try {
      const items = await listByCursor<unknown>(io, REPOS, { org, configuration_id: c.id, status: 'enforced' });
      for (const item of items) {
        const { status, repository } = promised<{ status: string; repository: object }>(item, REPOS, {
          status: 'string',
          repository: 'object'
        });
        const { name } = promised<{ name: string }>(repository, REPOS, { name: 'string' });
        if (status === 'enforced') out.set(name, g);
      }
    } catch (e) {
      // None of this configuration's repositories is taken, so the note covers exactly what it says.
      for (const [name, x] of out) if (x === g) out.delete(name);
      fallback(`The repositories of code security configuration "${g.configuration}" were not read`, e);
    }
  }
  if (out.size)
    notes.push(
      `${out.size} repositories have an enforced code security configuration: what it fixes (private vulnerability reporting, CodeQL default setup when disabled) was taken from it instead of one request per repository.`
    );
  return out;
}
