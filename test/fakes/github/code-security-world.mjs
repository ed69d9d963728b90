// The world side of code security configurations: `orgs.<org>.code_security_configurations`
// (name, enforcement and the two settings the fake models) and
// `repos.<name>.security_configuration` (`{ configuration, status? }`) normalised
// and checked against each other, so a world is one GitHub could produce: a
// repository `attached` or `enforced` has what its configuration enables or
// disables (private vulnerability reporting on public repositories; CodeQL
// default setup when disabled; an enabled default setup may still be missing,
// as GitHub documents when Actions is off), `enforced` only under an enforced
// configuration and `removed` only under an unenforced one. Routes and
// representations are in code-security.mjs.
import { lookup, orgOf, stableId } from './world.mjs';

export const ATTACHMENT_STATUSES = [
  'attached',
  'attaching',
  'detached',
  'removed',
  'enforced',
  'failed',
  'updating',
  'removed_by_enterprise'
];
const SETTING = ['enabled', 'disabled', 'not_set'];
const KEYS = [
  'id',
  'name',
  'description',
  'target_type',
  'enforcement',
  'private_vulnerability_reporting',
  'code_scanning_default_setup',
  'created_at',
  'updated_at'
];
const DEFAULT_TIME = '2024-07-01T00:00:00Z';

function oneOf(value, allowed, where) {
  if (!allowed.includes(value)) throw new Error(`world: ${where} must be ${allowed.join('|')}`);
  return value;
}

function onlyKeys(obj, allowed, where) {
  if (!obj || typeof obj !== 'object') throw new Error(`world: ${where} must be an object`);
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw new Error(`world: ${where}.${k} is not modelled`);
  return obj;
}

/** `orgs.<login>.code_security_configurations`: the organization's configurations (the global one if given). */
export function normalizeConfigurations(login, list) {
  const names = new Set();
  return (list ?? []).map((c, i) => {
    const where = `orgs.${login}.code_security_configurations[${i}]`;
    onlyKeys(c, KEYS, where);
    if (typeof c.name !== 'string' || !c.name) throw new Error(`world: ${where}.name is required`);
    if (names.has(c.name)) throw new Error(`world: ${where}.name "${c.name}" is used twice`);
    names.add(c.name);
    return {
      id: c.id ?? stableId('code-security-configuration', `${login}/${c.name}`.toLowerCase()),
      name: c.name,
      description: c.description ?? null,
      target_type: oneOf(c.target_type ?? 'organization', ['organization', 'global'], `${where}.target_type`),
      enforcement: oneOf(c.enforcement ?? 'unenforced', ['enforced', 'unenforced'], `${where}.enforcement`),
      private_vulnerability_reporting: oneOf(
        c.private_vulnerability_reporting ?? 'not_set',
        SETTING,
        `${where}.private_vulnerability_reporting`
      ),
      code_scanning_default_setup: oneOf(
        c.code_scanning_default_setup ?? 'not_set',
        SETTING,
        `${where}.code_scanning_default_setup`
      ),
      created_at: c.created_at ?? DEFAULT_TIME,
      updated_at: c.updated_at ?? c.created_at ?? DEFAULT_TIME
    };
  });
}

/**
 * Resolves every repository's `security_configuration` to its organization's
 * configuration, fills in the status (`enforced` under an enforced
 * configuration, else `attached`) and refuses what GitHub would not show.
 */
export function linkConfigurations(world) {
  for (const [fullName, repo] of Object.entries(world.repos)) {
    const a = repo.security_configuration;
    if (!a) continue;
    const where = `repos.${fullName}.security_configuration`;
    onlyKeys(a, ['configuration', 'status'], where);
    const config = (orgOf(world, repo)?.code_security_configurations ?? []).find((c) => c.name === a.configuration);
    if (!config) throw new Error(`world: ${where}: no configuration "${a.configuration}" in the repository's org`);
    const enforced = config.enforcement === 'enforced';
    const status = oneOf(a.status ?? (enforced ? 'enforced' : 'attached'), ATTACHMENT_STATUSES, `${where}.status`);
    if (status === 'enforced' && !enforced)
      throw new Error(`world: ${where}: "enforced" needs an enforced configuration`);
    if (status === 'removed' && enforced)
      throw new Error(`world: ${where}: "removed" happens under unenforced configurations only`);
    if (status === 'attached' || status === 'enforced') {
      const pvr = config.private_vulnerability_reporting;
      if (!repo.private && pvr !== 'not_set' && repo.private_vulnerability_reporting !== (pvr === 'enabled'))
        throw new Error(
          `world: ${fullName}: ${status} to "${config.name}", so private vulnerability reporting is ${pvr}`
        );
      if (
        config.code_scanning_default_setup === 'disabled' &&
        repo.code_scanning_default_setup.state !== 'not-configured'
      )
        throw new Error(`world: ${fullName}: ${status} to "${config.name}", so CodeQL default setup is not configured`);
    }
    repo.security_configuration = { configuration: config, status };
  }
}

/** The repositories of an organization attached (in any status) to `config`. */
export const attachedTo = (world, org, config) =>
  Object.values(world.repos).filter(
    (r) => r.security_configuration?.configuration === config && lookup(world.orgs, r.owner) === org
  );
