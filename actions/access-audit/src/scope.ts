// Which repositories of the organization this run audits: its shard, the
// `repositories` filter, archived and forks, whole-repository exemptions and
// the custom properties that exempt a repository or mark it critical.
import { createHash } from 'node:crypto';
import { repositoryExemption } from './exemptions';
import { globToRegExp } from './glob';
import { propertyMatches } from './listing';
import type { AuditOptions, RepoListing } from './types';

export function inShard(name: string, shard: { index: number; count: number }): boolean {
  const h = createHash('sha256').update(name.toLowerCase()).digest().readUInt32BE(0);
  return h % shard.count === shard.index - 1;
}

export interface Scope {
  /** The repositories to audit, in listing order. */
  selected: RepoListing[];
  /** Names of selected repositories whose findings are raised one severity. */
  critical: Set<string>;
  /** Repositories left to the other shards. */
  otherShards: number;
}

/** Notes each repository left out by an exemption, with its reason. */
export function selectRepositories(listed: RepoListing[], opts: AuditOptions, today: string, notes: string[]): Scope {
  const { config } = opts;
  const filters = opts.repositories.map(globToRegExp);
  const scope: Scope = { selected: [], critical: new Set(), otherShards: 0 };
  for (const r of listed) {
    const exempt = repositoryExemption(config.exemptions, r.name, today);
    if (opts.shard && !inShard(r.name, opts.shard)) scope.otherShards++;
    else if ((r.archived && !opts.includeArchived) || (r.fork && !opts.includeForks)) continue;
    else if (filters.length && !filters.some((f) => f.test(r.name))) continue;
    else if (exempt) {
      notes.push(
        `${r.name}: exempt from the audit (${exempt.reason}${exempt.expires ? `, until ${exempt.expires}` : ''}).`
      );
    } else if (propertyMatches(r, config.customProperties.exempt)) {
      notes.push(
        `${r.name}: exempt from the audit by its custom property ${config.customProperties.exempt!.property}.`
      );
    } else {
      if (propertyMatches(r, config.customProperties.critical)) scope.critical.add(r.name);
      scope.selected.push(r);
    }
  }
  return scope;
}
