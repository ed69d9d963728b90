// Indicators of compromise shipped with the action: commits known to be
// malicious even where an advisory database has no record (or was not
// reachable). Sources are cited per entry; add entries only from primary sources.
export interface ActionIoc {
  /** `owner/repo`, lower case. */
  repo: string;
  sha: string;
  what: string;
  reference: string;
}

export const ACTION_IOCS: ActionIoc[] = [
  {
    repo: 'tj-actions/changed-files',
    sha: '0e58ed8671d6b60d0890c21b07f8835ace038e67',
    what: "the commit every tag of tj-actions/changed-files pointed to on 14-15 March 2025; it printed the runner's secrets into the build log (CVE-2025-30066)",
    reference: 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3'
  }
];

export function findIoc(owner: string, repo: string, sha: string): ActionIoc | undefined {
  const name = `${owner}/${repo}`.toLowerCase();
  return ACTION_IOCS.find((i) => i.repo === name && i.sha === sha.toLowerCase());
}
