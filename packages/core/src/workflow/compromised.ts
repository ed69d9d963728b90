// Actions known to have shipped malicious code, from primary sources (the
// advisory, or the first public report): the exact commits, and the window in
// which the repository's tags or branches pointed at them. Add an entry only
// with a source. The workflow audit reports a pin to a listed commit, and a
// tag or branch reference to a listed repository (it may have run then).
export interface CompromisedAction {
  /** `owner/repo`, lower case. */
  repo: string;
  /** Malicious commits (full SHAs). */
  commits: string[];
  /** When tags or branches pointed at malicious code (UTC, as reported). */
  window: string;
  /** Refs that were never moved, for the message. */
  cleanRefs?: string[];
  what: string;
  references: { title: string; url: string }[];
}

export const COMPROMISED_ACTIONS: readonly CompromisedAction[] = [
  {
    repo: 'tj-actions/changed-files',
    commits: ['0e58ed8671d6b60d0890c21b07f8835ace038e67'],
    window: '2025-03-14 to 2025-03-15',
    what: "every tag (v1 to v45.0.7) was moved to a commit that printed the runner's secrets into the build log",
    references: [
      { title: 'GHSA-mrrh-fwg8-r2c3 (CVE-2025-30066)', url: 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3' },
      {
        title: 'CISA alert',
        url: 'https://www.cisa.gov/news-events/alerts/2025/03/18/supply-chain-compromise-third-party-tj-actionschanged-files-cve-2025-30066-and-reviewdogaction'
      }
    ]
  },
  {
    repo: 'reviewdog/action-setup',
    commits: ['f0d342d24037bb11d26b9bd8496e0808ba32e9ec'],
    window: '2025-03-11 18:42 to 20:31',
    what: "the v1 tag was moved to a commit whose install.sh printed the runner's secrets into the build log; reviewdog actions that use action-setup@v1 ran it too",
    references: [
      { title: 'GHSA-qmg3-hpqr-gqvc (CVE-2025-30154)', url: 'https://github.com/advisories/GHSA-qmg3-hpqr-gqvc' },
      { title: 'reviewdog security advisory', url: 'https://github.com/reviewdog/reviewdog/issues/2079' },
      {
        title: 'Wiz: reviewdog/action-setup',
        url: 'https://www.wiz.io/blog/new-github-action-supply-chain-attack-reviewdog-action-setup'
      }
    ]
  },
  {
    repo: 'aquasecurity/trivy-action',
    commits: [],
    window: '2026-03-19 17:43 to 2026-03-20 05:40',
    cleanRefs: ['0.35.0', '57a97c7e7821a5776cebc9bb87c984fa69cba8f1'],
    what: 'every version tag but 0.35.0, and master, were force-pushed to commits with a credential stealer',
    references: [
      {
        title: 'GHSA-69fq-xp46-6x23 (CVE-2026-33634)',
        url: 'https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23'
      },
      { title: 'aquasecurity/trivy-action#541', url: 'https://github.com/aquasecurity/trivy-action/issues/541' }
    ]
  },
  {
    repo: 'aquasecurity/setup-trivy',
    commits: [],
    window: '2026-03-19 17:43 to 2026-03-20 05:40',
    what: 'all seven tags were force-pushed to commits with a credential stealer',
    references: [
      {
        title: 'GHSA-69fq-xp46-6x23 (CVE-2026-33634)',
        url: 'https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23'
      }
    ]
  },
  {
    repo: 'actions-cool/issues-helper',
    commits: [],
    window: 'July 2026',
    what: 'all tags were moved to an imposter commit that sent CI credentials out',
    references: [
      {
        title: 'StepSecurity: actions-cool/issues-helper compromised',
        url: 'https://www.stepsecurity.io/blog/actions-cool-issues-helper-github-action-compromised-all-tags-point-to-imposter-commit-that-exfiltrates-ci-cd-credentials'
      }
    ]
  }
];

export function compromisedEntry(owner: string | undefined, repo: string | undefined): CompromisedAction | undefined {
  const name = `${owner}/${repo}`.toLowerCase();
  return COMPROMISED_ACTIONS.find((c) => c.repo === name);
}
