// The checks of access-audit. Findings about settings carry no location; the
// repository, environment or person they concern is in the message and in
// `properties`. The publish/* findings point at the repository's workflow file
// and line.
import { RuleRegistry, defineRules, rulesOf } from '@security-actions/core';

export const RULES = defineRules({
  orgTwoFactor: {
    id: 'org/2fa-not-required',
    title: 'Organization does not require two-factor authentication',
    severity: 'high',
    why: "Without required 2FA a single phished password gives an attacker the member's access to every repository and release credential.",
    remediation:
      'Organization settings → Authentication security → "Require two-factor authentication for everyone". Members without 2FA are removed, so warn them first.',
    spec: ['S6-11']
  },
  memberNo2fa: {
    id: 'org/member-without-2fa',
    title: 'Member or outside collaborator without two-factor authentication',
    severity: 'high',
    why: 'An account with access to the organization but no second factor is protected by its password alone.',
    remediation:
      'Ask the person to enable 2FA (a hardware key or an authenticator app), or remove their access until they do.',
    spec: ['S6-11']
  },
  memberInsecure2fa: {
    id: 'org/member-insecure-2fa',
    title: 'Member or outside collaborator uses SMS as second factor',
    severity: 'medium',
    why: 'SMS codes can be intercepted through SIM swapping; GitHub classes SMS as insecure 2FA.',
    remediation: 'Ask the person to switch to a security key, passkey or authenticator app and remove SMS.',
    spec: ['S6-11']
  },
  tooFewOwners: {
    id: 'org/too-few-owners',
    title: 'Organization has fewer than two owners',
    severity: 'medium',
    why: 'With a single owner, the organization is lost (or held hostage) when that person is unavailable.',
    remediation: 'Promote a second trusted maintainer to owner and document who the owners are.',
    spec: ['S6-6']
  },
  tooManyOwners: {
    id: 'org/too-many-owners',
    title: 'Organization has many owners',
    severity: 'low',
    why: 'Every owner can change any setting and reach every secret; each extra owner widens the attack surface.',
    remediation: 'Keep two to a few owners; give others maintain or admin on the repositories they work on.',
    spec: ['S6-2']
  },
  defaultPermission: {
    id: 'org/default-permission-too-broad',
    title: 'Organization base permission grants write or admin',
    severity: 'high',
    why: 'The base permission applies to every member on every repository, so each member can push to all of them.',
    remediation:
      'Organization settings → Member privileges → Base permissions: "Read" or "No permission"; grant write through teams.',
    spec: ['S6-2']
  },
  actionsTokenWrite: {
    id: 'org/actions-token-write',
    title: 'Workflows get a read-write GITHUB_TOKEN by default',
    severity: 'high',
    why: 'Every workflow without a `permissions:` block can push code, create releases and edit issues; one injected step is enough.',
    remediation:
      'Organization settings → Actions → General → Workflow permissions: "Read repository contents and packages permissions"; grant write per job.',
    spec: ['S8-6']
  },
  actionsApprovePrs: {
    id: 'org/actions-can-approve-prs',
    title: 'GitHub Actions may create and approve pull requests',
    severity: 'medium',
    why: 'A workflow token that can approve pull requests satisfies a required review without a human.',
    remediation:
      'Untick "Allow GitHub Actions to create and approve pull requests" in the organization Actions settings.',
    spec: ['S8-6']
  },
  actionsAllAllowed: {
    id: 'org/actions-all-allowed',
    title: 'Any action from any owner may run',
    severity: 'low',
    why: "Without an allow list, a typo or a compromised third-party action runs with the workflow's token and secrets.",
    remediation: 'Allow GitHub-owned, verified-creator and a listed set of actions (Actions → General → Policies).',
    spec: ['S8-7']
  },
  actionsShaPinning: {
    id: 'org/actions-sha-pinning-not-required',
    title: 'Actions are not required to be pinned to a full commit SHA',
    severity: 'low',
    why: 'A tag can be moved to malicious code; only a full SHA pins what runs.',
    remediation:
      'Tick "Require actions to be pinned to a full-length commit SHA" in the organization Actions policy (and pin existing workflows first).',
    spec: ['S8-9']
  },
  forkPrApproval: {
    id: 'org/fork-pr-approval-weak',
    title: 'Workflows from fork pull requests run without approval for most outside contributors',
    severity: 'medium',
    why: 'With "first-time contributors new to GitHub" only brand-new accounts need approval; anyone with an older account can open a pull request whose workflow runs at once, which is how cache poisoning and self-hosted runner attacks start.',
    remediation:
      'Organization settings → Actions → General → "Approval for running fork pull request workflows from contributors": require approval for all external contributors (or at least first-time contributors).',
    spec: ['S8-16']
  },
  forkPrPrivate: {
    id: 'org/fork-pr-private-repos',
    title: 'Fork pull requests on private repositories get secrets or a write token',
    severity: 'high',
    why: 'A workflow started by a fork pull request runs code its author wrote; with secrets or a write token it can read the secrets or push to the repository.',
    remediation:
      'Organization settings → Actions → General → "Fork pull request workflows in private repositories": untick "Send write tokens" and "Send secrets and variables", and tick "Require approval for fork pull request workflows".',
    spec: ['S8-6', 'S8-16']
  },
  appBroadWrite: {
    id: 'org/app-broad-write',
    title: 'GitHub App installed on every repository with write access to code or settings',
    severity: 'low',
    why: 'An App installed on all repositories with write to contents, workflows, administration or secrets can change every project at once; a compromise of the App vendor becomes a compromise of the organization.',
    remediation:
      'Limit the installation to the repositories that need it (Organization settings → GitHub Apps → Configure → Only select repositories), or ask the vendor for narrower permissions; list approved Apps in `access-audit.allowed-apps`.',
    spec: ['S6-2']
  },
  tokenNoExpiry: {
    id: 'org/token-no-expiry',
    title: 'Fine-grained personal access token with organization access never expires',
    severity: 'medium',
    why: 'A token that never expires keeps working long after its owner stopped needing it, or after it leaked.',
    remediation:
      'Revoke the grant (Organization settings → Personal access tokens → Active tokens) and ask the owner for a token with an expiry (a year at most); set the organization policy "Enforce maximum lifetime".',
    spec: ['S6-4']
  },
  tokenLongLived: {
    id: 'org/token-long-lived',
    title: 'Fine-grained personal access token valid for more than a year',
    severity: 'low',
    why: 'SPEC 6 asks tokens to expire after a reasonable time, typically a year; longer lifetimes widen the window in which a leaked token works.',
    remediation:
      "Ask the owner to replace it with a token that expires within a year, and set the organization's maximum token lifetime.",
    spec: ['S6-4']
  },
  tokenUnused: {
    id: 'org/token-unused',
    title: 'Fine-grained personal access token with organization access is not used',
    severity: 'low',
    why: 'An unused token gives access nobody needs; it can only leak.',
    remediation: 'Revoke the grant in Organization settings → Personal access tokens → Active tokens.',
    spec: ['S6-4', 'S6-3']
  },
  webhookInsecure: {
    id: 'org/webhook-insecure',
    title: 'Organization webhook delivers over plain HTTP or without certificate checks',
    severity: 'medium',
    why: 'Webhook payloads describe pushes, members and repositories; sent without TLS verification they can be read or altered on the way.',
    remediation: 'Use an https:// URL and turn SSL verification on (Organization settings → Webhooks → Edit).',
    spec: ['S6-4']
  },
  webhookNoSecret: {
    id: 'org/webhook-no-secret',
    title: 'Organization webhook has no secret',
    severity: 'low',
    why: "Without a secret the receiver cannot tell GitHub's deliveries from forged ones; anyone who learns the URL can trigger it.",
    remediation: 'Set a random secret on the webhook and verify the X-Hub-Signature-256 header in the receiver.',
    spec: ['S6-4']
  },
  runnerGroupPublic: {
    id: 'org/runner-group-public',
    title: 'Self-hosted runners are available to public repositories',
    severity: 'high',
    why: "Anyone can open a pull request on a public repository; its workflow can target the group's runners, run code on the machine and persist there (the PyTorch runner compromise).",
    remediation:
      'Untick "Allow public repositories" on the runner group, or use ephemeral, isolated runners and require approval for all outside contributors.',
    spec: ['S8-16']
  },
  branchUnprotected: {
    id: 'repo/branch-unprotected',
    title: 'Default or release branch is not protected',
    severity: 'high',
    why: 'An unprotected branch can be rewritten or deleted by anyone with write access, including a stolen token, and releases are cut from it.',
    remediation:
      'Add a branch ruleset (Settings → Rules → Rulesets) targeting the default branch and release/* that blocks force pushes and deletion and requires a pull request.',
    spec: ['S8-5']
  },
  noReview: {
    id: 'repo/review-not-required',
    title: 'Branch does not require an approving review',
    severity: 'medium',
    why: 'Without a required review one compromised account can land code that the next release ships.',
    remediation:
      'In the branch ruleset (or classic protection), require a pull request with at least one approving review.',
    spec: ['S8-5']
  },
  forcePush: {
    id: 'repo/force-push-allowed',
    title: 'Force pushes are allowed on a protected branch',
    severity: 'high',
    why: 'A force push rewrites history silently; released commits can be replaced.',
    remediation:
      'Add the "Block force pushes" rule to the branch ruleset (or untick "Allow force pushes" in classic protection).',
    spec: ['S8-5']
  },
  deletion: {
    id: 'repo/deletion-allowed',
    title: 'A protected branch can be deleted',
    severity: 'medium',
    why: 'Deleting the branch loses the protection with it and can be used to recreate it with other content.',
    remediation: 'Add the "Restrict deletions" rule to the branch ruleset (or untick "Allow deletions").',
    spec: ['S8-5']
  },
  tagsUnprotected: {
    id: 'repo/tags-unprotected',
    title: 'Release tags are not protected by a tag ruleset',
    severity: 'low',
    why: 'Anyone with write access can move or delete a release tag, so a tag no longer names what was released.',
    remediation: 'Add a tag ruleset for `v*` that restricts updates and deletions.',
    spec: ['S8-4']
  },
  signedCommits: {
    id: 'repo/signed-commits-not-required',
    title: 'Default branch does not require signed commits',
    severity: 'low',
    why: 'The organization asked for signed commits on this repository (config `require-signed-commits`); without the rule an unsigned commit, possibly from a stolen account or token, lands unnoticed.',
    remediation:
      'Add the "Require signed commits" rule to the branch ruleset (or tick it in classic branch protection).',
    spec: ['S8-4']
  },
  selfHostedPublic: {
    id: 'repo/self-hosted-runner-public',
    title: 'Public repository runs workflows on self-hosted runners',
    severity: 'high',
    why: "A pull request from anyone can run code on a self-hosted runner of a public repository and persist on the machine; SciPy's release guidance rules self-hosted runners out.",
    remediation:
      'Move the jobs to GitHub-hosted runners, or use ephemeral runners with approval required for all outside contributors.',
    spec: ['S8-16']
  },
  secretScanningOff: {
    id: 'repo/secret-scanning-off',
    title: 'Secret scanning is off',
    severity: 'medium',
    why: 'Tokens committed by mistake stay usable until someone notices; secret scanning is free for public repositories and alerts at once.',
    remediation: 'Settings → Code security → Secret Protection: enable secret scanning.',
    spec: ['S6-4']
  },
  pushProtectionOff: {
    id: 'repo/push-protection-off',
    title: 'Secret scanning push protection is off',
    severity: 'low',
    why: 'Push protection refuses a push that contains a known token format, before the token becomes public.',
    remediation: 'Settings → Code security → Secret Protection: enable push protection.',
    spec: ['S6-4']
  },
  codeScanningOff: {
    id: 'repo/code-scanning-off',
    title: 'No code scanning',
    severity: 'low',
    why: 'Code scanning (CodeQL, zizmor) finds injectable workflows and unsafe code before release; the Scientific Python "core 5" includes it.',
    remediation:
      'Settings → Code security → Code scanning: enable CodeQL default setup (it covers Python and GitHub Actions workflows), or add a CodeQL or zizmor workflow.',
    spec: ['S8-16']
  },
  pvrOff: {
    id: 'repo/private-vulnerability-reporting-off',
    title: 'Private vulnerability reporting is off',
    severity: 'low',
    why: 'Without a private channel, reporters open public issues about vulnerabilities or give up.',
    remediation: 'Settings → Code security → Private vulnerability reporting: enable, and mention it in SECURITY.md.',
    spec: ['S6-1']
  },
  dependabotAlertsOff: {
    id: 'repo/dependabot-alerts-off',
    title: 'Dependabot alerts are off',
    severity: 'medium',
    why: 'Nobody is told when a dependency the project pins gets a known vulnerability or is found to be malware.',
    remediation: 'Settings → Code security → Dependabot alerts: enable (free for all repositories).',
    spec: ['S8-16']
  },
  dependabotSecurityUpdatesOff: {
    id: 'repo/dependabot-security-updates-off',
    title: 'Dependabot security updates are off',
    severity: 'low',
    why: 'Security updates open the pull request that fixes a vulnerable dependency, so the fix does not wait for someone to notice the alert.',
    remediation: 'Settings → Code security → Dependabot security updates: enable.',
    spec: ['S8-16']
  },
  dependabotActionsMissing: {
    id: 'repo/dependabot-actions-missing',
    title: 'Dependabot does not update the pinned GitHub Actions',
    severity: 'low',
    why: "SHA-pinned actions do not update themselves; without Dependabot's github-actions updates pins age and miss security fixes, and hand-made updates are not reviewed the same way.",
    remediation:
      'Add `.github/dependabot.yml` with a `package-ecosystem: github-actions` entry (grouped, with a cooldown), reviewed like any pull request.',
    spec: ['S8-10']
  },
  singleAdmin: {
    id: 'repo/single-maintainer',
    title: 'Fewer than two people can administer the repository',
    severity: 'medium',
    why: 'If the only admin disappears, nobody can rotate secrets, change protection or respond to an incident.',
    remediation: 'Give a second maintainer admin or maintain (preferably through a team) and document who holds it.',
    spec: ['S6-6']
  },
  tooManyAdmins: {
    id: 'repo/too-many-admins',
    title: 'Many people hold admin on the repository',
    severity: 'low',
    why: 'Admin can disable protection and read environment settings; least privilege keeps it to the few who need it.',
    remediation: 'Lower admins who do not manage settings to maintain or write.',
    spec: ['S6-2']
  },
  outsideWrite: {
    id: 'repo/outside-collaborator-write',
    title: 'Outside collaborator with write access or more',
    severity: 'medium',
    why: "Outside collaborators are not covered by the organization's membership review and 2FA requirement history.",
    remediation:
      'Confirm the person still needs write access; otherwise lower them to read or remove them (SPEC 6 review).',
    spec: ['S6-2', 'S6-3']
  },
  deployKeyWrite: {
    id: 'repo/deploy-key-write',
    title: 'Deploy key with write access',
    severity: 'medium',
    why: 'A write deploy key is a never-expiring credential that can push to any branch it is not blocked from; it is not tied to a person.',
    remediation: 'Make the key read-only, replace it with a GitHub App or OIDC, or delete it if unused.',
    spec: ['S6-4']
  },
  deployKeyOld: {
    id: 'repo/deploy-key-old',
    title: 'Deploy key older than a year',
    severity: 'low',
    why: 'Deploy keys never expire; SPEC 6 asks credentials to be replaced after a reasonable time, typically a year, and an old key is often one nobody remembers.',
    remediation: 'Replace the key (or delete it if unused) and note who holds the new one.',
    spec: ['S6-4']
  },
  longLivedToken: {
    id: 'repo/long-lived-token-secret',
    title: 'Secret that looks like a long-lived PyPI or API token',
    severity: 'high',
    why: 'A PyPI API token in a repository secret can publish any release from any workflow that reads it; Trusted Publishing makes it unnecessary.',
    remediation:
      'Configure PyPI Trusted Publishing for the publish workflow and environment, then delete the secret and revoke the token on PyPI.',
    spec: ['S6-10', 'S8-13']
  },
  noSecurityPolicy: {
    id: 'repo/no-security-policy',
    title: 'No SECURITY.md (repository or organization .github)',
    severity: 'low',
    why: 'Without a security policy, reporters do not know how to disclose a vulnerability privately.',
    remediation:
      "Add SECURITY.md to the organization's `.github` repository (applies to all repositories) or to this repository.",
    spec: ['S6-1']
  },
  envNoReviewers: {
    id: 'env/no-reviewers',
    title: 'Release environment has no required reviewers',
    severity: 'high',
    why: 'Any workflow run allowed into the environment publishes without a human approving it.',
    remediation:
      'Environment settings → Required reviewers: add at least two maintainers and tick "Prevent self-review".',
    spec: ['S8-3', 'S8-8']
  },
  envSingleReviewer: {
    id: 'env/single-reviewer',
    title: 'Release environment has fewer than two distinct reviewers',
    severity: 'medium',
    why: 'With one reviewer, releases stop when that person is away, and self-approval becomes the norm.',
    remediation: 'Add a second maintainer (or a team with two people) as required reviewer.',
    spec: ['S8-3', 'S6-6']
  },
  envSelfReview: {
    id: 'env/self-review-allowed',
    title: 'Release environment allows self-review',
    severity: 'medium',
    why: 'The person who triggered the release can approve it, so the second-person check is optional.',
    remediation: 'Tick "Prevent self-review" in the environment settings.',
    spec: ['S8-3']
  },
  envAnyBranch: {
    id: 'env/any-branch',
    title: 'Release environment can be used from any branch',
    severity: 'medium',
    why: 'A workflow on an unreviewed branch can enter the environment and use its secrets or its PyPI Trusted Publisher.',
    remediation: 'Set Deployment branches and tags to "Protected branches" or to release tags only.',
    spec: ['S8-8']
  },
  pypiSingleOwner: {
    id: 'pypi/single-owner',
    title: 'PyPI package has a single owner and no PyPI organization',
    severity: 'medium',
    why: 'If the only owner loses their account, nobody can publish fixes, add Trusted Publishers or recover the project.',
    remediation:
      'Add a second maintainer as Owner on PyPI (Manage → Collaborators), or move the project to a PyPI organization.',
    spec: ['S6-6']
  },
  pypiNoProvenance: {
    id: 'pypi/no-trusted-publishing',
    title: 'Latest PyPI release has no provenance (not published with Trusted Publishing)',
    severity: 'high',
    why: 'A release without provenance was uploaded with a password or API token, which can leak and publish from anywhere.',
    remediation:
      'Add a Trusted Publisher for this repository, workflow and environment on PyPI, publish with pypa/gh-action-pypi-publish, and revoke the API tokens.',
    spec: ['S6-10', 'S8-13']
  },
  pypiPublisherMismatch: {
    id: 'pypi/publisher-mismatch',
    title: 'Latest PyPI release was published from another repository or without an environment',
    severity: 'high',
    why: 'The Trusted Publisher decides who can publish; one outside this repository, or without a protected environment, bypasses its reviews.',
    remediation:
      'On PyPI, keep only the Trusted Publisher for this repository with its release environment; remove the others.',
    spec: ['S8-8', 'S8-13']
  },
  publishTrigger: {
    id: 'publish/trigger',
    title: 'Publishing workflow starts on an event nobody chose to release on',
    severity: 'high',
    why: "A push, a schedule, another workflow's run or a pull_request_target event can publish a release without the release team deciding to; one pushed commit (or a fork's pull request) becomes a release.",
    remediation:
      "Start the publishing workflow on `release: types: [published]` or `workflow_dispatch` only; keep other triggers in a separate workflow, or guard the publish job with `if: github.event_name == 'release'`.",
    spec: ['S8-2']
  },
  publishNoEnvironment: {
    id: 'publish/no-environment',
    title: 'Publish job does not run in an environment',
    severity: 'high',
    why: 'Without an environment no required reviewer approves the upload and no deployment-branch policy limits where it runs; a PyPI Trusted Publisher bound to an environment cannot be required either.',
    remediation:
      'Add `environment: pypi` (with required reviewers and a tag or branch policy) to the publish job, and name that environment in the PyPI Trusted Publisher.',
    spec: ['S8-8']
  },
  publishPassword: {
    id: 'publish/password',
    title: 'Publish job uses a password or long-lived token',
    severity: 'high',
    why: 'A PyPI token in a secret can be read by any step of any workflow that is given it and publishes from anywhere until revoked; Trusted Publishing needs no stored credential.',
    remediation:
      'Configure a PyPI Trusted Publisher for this workflow and environment, remove `password:` / `TWINE_PASSWORD` / the token secret from the workflow, give the publish job `id-token: write`, then delete the secret and revoke the token on PyPI.',
    spec: ['S6-10', 'S8-13']
  },
  publishIdTokenScope: {
    id: 'publish/id-token-scope',
    title: '`id-token: write` granted beyond the publish job',
    severity: 'medium',
    why: 'An OIDC token is what PyPI Trusted Publishing trusts; a job that builds or tests with `id-token: write` can mint one and publish from code that was never meant to.',
    remediation:
      'Keep `permissions: contents: read` at the workflow level and grant `id-token: write` only on the publish job (and on a job that only signs or attests).',
    spec: ['S8-13']
  },
  publishUnpinned: {
    id: 'publish/unpinned-action',
    title: 'Action in a publishing workflow is not pinned to a commit SHA',
    severity: 'medium',
    why: 'A tag or branch can be moved to new code; in the publishing workflow that code runs next to the release artifacts and the OIDC token.',
    remediation:
      'Pin to the full 40-character commit SHA with the version as a comment (`uses: owner/action@<sha> # v1.2.3`), and let Dependabot update it.',
    spec: ['S8-9']
  },
  publishCache: {
    id: 'publish/cache-in-release',
    title: 'Release job restores a cache',
    severity: 'medium',
    why: 'Caches are shared with other workflows of the repository, including ones that run pull request code; a poisoned cache ends up in the released files.',
    remediation:
      'Remove `actions/cache` and the `cache:` option of setup actions from the jobs that build and publish the release; build from a clean environment.',
    spec: ['S8-15']
  },
  publishNoPrintHash: {
    id: 'publish/no-print-hash',
    title: 'Publish step does not print the hashes of what it uploads',
    severity: 'low',
    why: 'Without the hashes in the log nobody can check afterwards that the files on PyPI are the ones the workflow built.',
    remediation: 'Add `print-hash: true` under `with:` of pypa/gh-action-pypi-publish.',
    spec: ['S8-14']
  },
  accessRemoved: {
    id: 'people/removed-rotate-secrets',
    title: 'Person lost access: rotate the secrets and deploy keys they could reach',
    severity: 'medium',
    why: 'Someone who had write access could have copied secrets or deploy keys; SPEC 6 asks to rotate what predates their removal.',
    remediation:
      'Rotate each listed secret (and revoke the old token at its issuer) and replace each listed deploy key; then the finding disappears at the next run.',
    spec: ['S6-8', 'S6-5']
  },
  inactive: {
    id: 'people/possibly-inactive',
    title: 'Person with elevated access shows no recent activity',
    severity: 'low',
    why: 'Dormant accounts with admin or maintain access are attractive targets and rarely noticed when compromised.',
    remediation:
      'Follow the SPEC 6 review: ask the person whether they still need the access, then lower it if not. Nobody is removed automatically.',
    spec: ['S6-3', 'S6-8']
  }
});

export const REGISTRY = new RuleRegistry('access-audit', rulesOf(RULES));
