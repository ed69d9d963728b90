// The config's `exemptions`. A whole-repository exemption (no `check`) limits
// what is audited; every exemption also becomes the core's SuppressionEntry,
// which the shared runner applies with the config file's `ignores` and whose
// expiry it reports in one wording.
import type { SuppressionEntry } from '@security-actions/core';
import { globToRegExp } from './glob';
import type { Exemption } from './types';

export const isExpired = (e: Exemption, today: string): boolean => !!e.expires && e.expires < today;

/** The first unexpired whole-repository exemption that names the repository. */
export const repositoryExemption = (exemptions: Exemption[], repo: string, today: string): Exemption | undefined =>
  exemptions.find((e) => !e.check && !isExpired(e, today) && globToRegExp(e.repo).test(repo));

/**
 * Suppressions for the findings the exemptions name: `check` is a rule id
 * (absent: every rule); `repo: '*'` is every finding, organization-level ones
 * included; any other name or glob is one entry per audited repository it
 * matches (findings carry their repository in `properties.repo`). Entries of
 * whole-repository exemptions match only when they expired (an unexpired one
 * kept the repository out of the audit), and then say so.
 */
export function exemptionSuppressions(exemptions: Exemption[], audited: readonly string[]): SuppressionEntry[] {
  return exemptions.flatMap((e) => {
    const entry = {
      ...(e.check ? { rule: e.check } : {}),
      reason: e.reason,
      ...(e.expires ? { expires: e.expires } : {}),
      source: `config: access-audit.exemptions (${e.repo})`
    };
    if (e.repo === '*') return [entry];
    const re = globToRegExp(e.repo);
    return audited
      .filter((repo) => re.test(repo))
      .map((repo) => ({
        ...entry,
        // A glob matching several repositories: name the one, so an expiry note says which.
        ...(repo === e.repo ? {} : { source: `config: access-audit.exemptions (${e.repo}: ${repo})` }),
        properties: { repo }
      }));
  });
}
