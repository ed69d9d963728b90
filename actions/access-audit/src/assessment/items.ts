// The self-assessment's items: every observable recommendation of SPEC 6,
// SPEC 8, the OpenSSF Concise Guides (for Developing More Secure Software,
// "CG-Dev n"; for Evaluating Open Source Software, "CG-Eval: rule") and the
// playbook's "core 5 + 4" ("Core n", "Plus n"), each once, with the audit
// rules whose findings decide it. docs/self-assessment.md is the same table.

export interface Item {
  id: string;
  title: string;
  /** About the organization (its findings apply to every repository) or each repository. */
  scope: 'org' | 'repo';
  /** SPEC clauses, Concise Guide lines and playbook items it answers. */
  sources: string[];
  /** The audit rules that decide it: met when they were checked and none stands. */
  rules?: string[];
  /** The evidence key a check records when it found the thing itself (a document, a badge, release files). */
  evidence?: string;
  /** What the audit reads for it, shown as the evidence of a pass. */
  reads: string;
  fix: string;
  /** No API shows it: not observable unless declared in the config. */
  unobservable?: true;
  /** Found by heuristics that may miss a document kept elsewhere: a declaration in the config stands for it. */
  declarable?: true;
  /** Checked on public repositories only (a free feature there, a paid one or absent elsewhere). */
  publicOnly?: true;
  /** Observable, but the audit does not read it yet: always not checked, with this reason. */
  notRead?: string;
}

export const ITEMS: readonly Item[] = [
  // The playbook's core 5.
  {
    id: 'secret-scanning',
    title: 'Secret scanning and push protection are on',
    scope: 'repo',
    sources: ['Core 1', 'S6-4', 'CG-Dev 9'],
    rules: ['repo/secret-scanning-off', 'repo/push-protection-off'],
    reads: 'the repository security settings',
    fix: 'Settings → Code security: enable secret scanning and push protection.',
    publicOnly: true
  },
  {
    id: 'code-scanning',
    title: 'Code scanning runs (CodeQL or zizmor)',
    scope: 'repo',
    sources: ['Core 2', 'S8-16', 'CG-Dev 3', 'CG-Eval: Static Analysis'],
    rules: ['repo/code-scanning-off'],
    reads: 'the workflow files and the CodeQL default setup',
    fix: 'Enable CodeQL default setup, or add a CodeQL or zizmor workflow.',
    publicOnly: true
  },
  {
    id: 'protected-branches',
    title: 'Default and release branches and release tags are protected',
    scope: 'repo',
    sources: ['Core 3', 'S8-5', 'CG-Dev 10', 'CG-Eval: Repository Security'],
    rules: [
      'repo/branch-unprotected',
      'repo/review-not-required',
      'repo/force-push-allowed',
      'repo/deletion-allowed',
      'repo/tags-unprotected'
    ],
    reads: 'branch protection rules and rulesets',
    fix: 'Add branch and tag rulesets: pull request with one approval, no force push, no deletion; protect v* tags.'
  },
  {
    id: 'private-vulnerability-reporting',
    title: 'Private vulnerability reporting is on',
    scope: 'repo',
    sources: ['Core 4', 'CG-Dev 11', 'CG-Eval: Vulnerability Reporting'],
    rules: ['repo/private-vulnerability-reporting-off'],
    reads: 'the private vulnerability reporting setting',
    fix: 'Settings → Code security: enable private vulnerability reporting.',
    publicOnly: true
  },
  {
    id: 'dependabot',
    title: 'Dependabot alerts, security updates and action updates',
    scope: 'repo',
    sources: ['Core 5', 'S8-10', 'CG-Dev 7', 'CG-Dev 8', 'CG-Eval: Dependency Management'],
    rules: ['repo/dependabot-alerts-off', 'repo/dependabot-security-updates-off', 'repo/dependabot-actions-missing'],
    reads: 'the Dependabot settings and .github/dependabot.yml',
    fix: 'Enable Dependabot alerts and security updates; add a github-actions entry to .github/dependabot.yml.'
  },
  // The playbook's additional 4.
  {
    id: 'security-policy',
    title: 'A security policy (SECURITY.md) tells reporters where to go',
    scope: 'repo',
    sources: ['Plus 1', 'S6-1', 'CG-Dev 11', 'CG-Eval: Vulnerability Reporting'],
    rules: ['repo/no-security-policy'],
    reads: "SECURITY.md in the repository and in the organization's .github",
    fix: "Add SECURITY.md to the repository or to the organization's .github repository."
  },
  {
    id: 'incident-response-plan',
    title: 'An incident response plan names roles and steps',
    scope: 'repo',
    sources: ['Plus 2', 'S6-8'],
    rules: ['repo/no-incident-response-plan'],
    evidence: 'incident-response',
    declarable: true,
    reads: 'INCIDENT_RESPONSE.md, docs/incident-response.md and SECURITY.md',
    fix: 'Add INCIDENT_RESPONSE.md naming who leads and the steps (revoke, rotate, yank, advise), or declare it.'
  },
  {
    id: 'maintainer-mfa',
    title: 'Two-factor authentication is required of everyone with access',
    scope: 'org',
    sources: ['Plus 3', 'S6-11', 'CG-Dev 1'],
    rules: ['org/2fa-not-required', 'org/member-without-2fa', 'org/member-insecure-2fa'],
    reads: "the organization's 2FA requirement and GitHub's 2FA member filters",
    fix: 'Require 2FA for the organization (Settings → Authentication security) and move SMS users to keys or apps.'
  },
  {
    id: 'mfa-other-services',
    title: 'Maintainers use 2FA on every other service (PyPI enforces it; docs hosting, domains, chat)',
    scope: 'org',
    sources: ['Plus 3', 'S6-11'],
    reads: 'nothing: no API shows it',
    fix: 'Confirm 2FA on each service the project uses, then declare it with the date.',
    unobservable: true
  },
  {
    id: 'threat-model',
    title: 'A threat model names assets, threats and mitigations',
    scope: 'repo',
    sources: ['Plus 4', 'CG-Eval: Security Documentation'],
    rules: ['repo/no-threat-model'],
    evidence: 'threat-model',
    declarable: true,
    reads: 'THREAT_MODEL.md, docs/threat-model.md and SECURITY.md',
    fix: 'Add THREAT_MODEL.md listing what an attacker would target and which control covers each, or declare it.'
  },
  // SPEC 6.
  {
    id: 'access-inventory',
    title: 'Restricted resources and how access is granted are documented',
    scope: 'org',
    sources: ['S6-1'],
    reads: 'nothing yet: off-GitHub resources are not visible',
    fix: 'Document who can reach each resource (GitHub, PyPI, hosting, social accounts) and how to join or leave.',
    unobservable: true
  },
  {
    id: 'least-privilege',
    title: 'Least privilege: few owners and admins, read by default, narrow Apps',
    scope: 'org',
    sources: ['S6-2'],
    rules: [
      'org/default-permission-too-broad',
      'org/too-many-owners',
      'repo/too-many-admins',
      'repo/outside-collaborator-write',
      'org/app-broad-write'
    ],
    reads: 'organization settings, owners, collaborators and App installations',
    fix: 'Set the base permission to read, keep owners and admins within the limits, narrow App installations.'
  },
  {
    id: 'access-review',
    title: 'Access is reviewed regularly; inactive maintainers are found',
    scope: 'org',
    sources: ['S6-3', 'CG-Dev 24'],
    rules: ['people/possibly-inactive'],
    reads: 'recent commits, contributions and (Enterprise Cloud) the audit log',
    fix: 'Run this audit on a schedule and remove access nobody uses.'
  },
  {
    id: 'token-hygiene',
    title: 'Tokens are scoped and expire; no long-lived publish tokens',
    scope: 'repo',
    sources: ['S6-4'],
    rules: ['org/token-no-expiry', 'org/token-long-lived', 'org/token-unused', 'repo/long-lived-token-secret'],
    reads: 'fine-grained token grants and Actions secret names',
    fix: 'Give tokens an expiry under a year, revoke unused ones, replace publish tokens by Trusted Publishing.'
  },
  {
    id: 'token-rotation-docs',
    title: 'How to rotate and revoke tokens is documented',
    scope: 'org',
    sources: ['S6-5'],
    reads: 'nothing: the audit does not read the project handbook',
    fix: 'Document, for each token, who can rotate it and how; then declare it.',
    unobservable: true
  },
  {
    id: 'two-maintainers',
    title: 'Every asset is reachable by at least two maintainers',
    scope: 'repo',
    sources: ['S6-6', 'CG-Dev 25', 'CG-Eval: Maintainer Diversity'],
    rules: ['org/too-few-owners', 'repo/single-maintainer', 'pypi/single-owner'],
    reads: 'organization owners, repository admins and PyPI owners',
    fix: 'Give at least two people owner or admin rights on GitHub and PyPI.'
  },
  {
    id: 'secret-sharing',
    title: 'Shared secrets live in an encrypted store with revocable access',
    scope: 'org',
    sources: ['S6-7'],
    reads: 'nothing: no API shows it',
    fix: 'Keep shared secrets in a store such as the scientific-python vault template; then declare it.',
    unobservable: true
  },
  {
    id: 'offboarding-rotation',
    title: 'Secrets are rotated when someone loses access',
    scope: 'org',
    sources: ['S6-8'],
    rules: ['people/removed-rotate-secrets'],
    reads: "the previous run's access snapshot, secret and deploy-key dates",
    fix: 'Rotate every secret and deploy key a departed maintainer could reach.'
  },
  {
    id: 'no-shared-passwords',
    title: 'No shared passwords in the release path',
    scope: 'repo',
    sources: ['S6-9'],
    rules: ['publish/password'],
    reads: 'the publishing workflows',
    fix: 'Publish with Trusted Publishing; remove password inputs.'
  },
  {
    id: 'trusted-publishing',
    title: 'PyPI releases are published with Trusted Publishing from this repository',
    scope: 'repo',
    sources: ['S6-10', 'S8-13', 'CG-Dev 13'],
    rules: ['pypi/no-trusted-publishing', 'pypi/publisher-mismatch', 'publish/password'],
    reads: 'PyPI provenance of the latest release and the publishing workflows',
    fix: 'Add a Trusted Publisher on PyPI for this repository, workflow and environment; revoke API tokens.'
  },
  {
    id: 'password-manager',
    title: 'Passwords come from a password manager',
    scope: 'org',
    sources: ['S6-12'],
    reads: 'nothing: no API shows it',
    fix: 'Use a password manager; then declare it.',
    unobservable: true
  },
  {
    id: 'ssh-keys',
    title: 'Deploy keys are read-only and recent',
    scope: 'repo',
    sources: ['S6-13'],
    rules: ['repo/deploy-key-write', 'repo/deploy-key-old'],
    reads: "the repository's deploy keys (personal keys and passphrases are not visible)",
    fix: 'Replace write deploy keys by read-only ones or an App; rotate old keys.'
  },
  {
    id: 'org-integrations',
    title: 'Webhooks use secrets over HTTPS; runners are not shared with public repositories',
    scope: 'org',
    sources: ['S6-4', 'S8-16'],
    rules: [
      'org/webhook-insecure',
      'org/webhook-no-secret',
      'org/runner-group-public',
      'repo/self-hosted-runner-public'
    ],
    reads: 'organization webhooks, runner groups and workflow runners',
    fix: 'Give every webhook a secret and an HTTPS URL; keep self-hosted runners away from public repositories.'
  },
  // SPEC 8.
  {
    id: 'release-process-docs',
    title: 'The release process is documented with the permissions each step needs',
    scope: 'repo',
    sources: ['S8-1'],
    reads: 'nothing yet',
    fix: 'Document the release steps (RELEASING.md or developer docs); then declare it.',
    unobservable: true
  },
  {
    id: 'intentional-release',
    title: 'Publishing starts only on an intentional action',
    scope: 'repo',
    sources: ['S8-2'],
    rules: ['publish/trigger'],
    reads: 'the publishing workflows',
    fix: 'Trigger publishing on workflow_dispatch or a published release only.'
  },
  {
    id: 'release-approval',
    title: 'A second person approves each publish run',
    scope: 'repo',
    sources: ['S8-3', 'S8-8'],
    rules: [
      'env/no-reviewers',
      'env/single-reviewer',
      'env/self-review-allowed',
      'env/any-branch',
      'publish/no-environment'
    ],
    reads: 'environments, their reviewers and branch policies, and the publishing workflows',
    fix: 'Publish from an environment with two or more reviewers, self-review prevented, protected branches only.'
  },
  {
    id: 'signed-commits',
    title: 'Release commits are signed (where the project requires it)',
    scope: 'repo',
    sources: ['S8-4'],
    rules: ['repo/signed-commits-not-required'],
    reads: 'branch protection and rulesets, for repositories listed in require-signed-commits',
    fix: 'Require signed commits on the default branch.'
  },
  {
    id: 'read-only-workflows',
    title: 'Workflow tokens default to read; writes only where a job needs them',
    scope: 'repo',
    sources: ['S8-6'],
    rules: ['org/actions-token-write', 'org/actions-can-approve-prs', 'publish/id-token-scope'],
    reads: 'Actions settings and the publishing workflows',
    fix: 'Set the default workflow permissions to read; grant id-token: write to the publish job only.'
  },
  {
    id: 'allowed-actions',
    title: 'Only selected actions may run, pinned to full SHAs',
    scope: 'repo',
    sources: ['S8-7', 'S8-9'],
    rules: [
      'org/actions-all-allowed',
      'org/actions-sha-pinning-not-required',
      'workflow/unpinned-uses',
      'workflow/unpinned-images'
    ],
    reads: 'Actions policy and the publishing workflows',
    fix: 'Allow selected actions only, require SHA pinning, pin every action in publishing workflows.'
  },
  {
    id: 'fork-pull-requests',
    title: 'Workflows from fork pull requests need approval',
    scope: 'org',
    sources: ['S8-16'],
    rules: ['org/fork-pr-approval-weak', 'org/fork-pr-private-repos'],
    reads: 'the fork pull request settings',
    fix: 'Require approval for workflows from all outside contributors.'
  },
  {
    id: 'release-provenance',
    title: 'Releases publish an SBOM or build provenance',
    scope: 'repo',
    sources: ['S8-11', 'CG-Dev 17', 'CG-Dev 18'],
    rules: ['repo/release-without-sbom-or-provenance'],
    evidence: 'release-artifacts',
    reads: 'the assets of the latest GitHub release',
    fix: 'Attach an SBOM and the attest-build-provenance bundle to each release.'
  },
  {
    id: 'verify-before-publish',
    title: 'Attestations are verified before upload',
    scope: 'repo',
    sources: ['S8-12'],
    rules: ['publish/unverified-artifacts'],
    reads: 'the publishing workflows (a publish job that uploads downloaded files verifies them first)',
    fix: 'Attest where you build, and run gh attestation verify (or sigstore verify) in the publish job before the upload step.'
  },
  {
    id: 'release-workflow-shape',
    title: 'The publish job follows the reference workflow (hashes printed, no cache)',
    scope: 'repo',
    sources: ['S8-14', 'S8-15'],
    rules: ['publish/no-print-hash', 'publish/cache-in-release'],
    reads: 'the publishing workflows',
    fix: 'Set print-hash: true on the publish step and drop caches from release jobs.'
  },
  // The Concise Guides' own lines.
  {
    id: 'best-practices-badge',
    title: 'OpenSSF Best Practices badge (passing or better)',
    scope: 'repo',
    sources: ['CG-Dev 14', 'CG-Eval: Best Practices Certification'],
    rules: ['repo/no-best-practices-badge'],
    evidence: 'best-practices',
    reads: "the OpenSSF Best Practices badge service's project search",
    fix: 'Register at bestpractices.dev and earn the passing badge.',
    publicOnly: true
  }
];

export const ITEM_IDS = new Set(ITEMS.map((i) => i.id));
