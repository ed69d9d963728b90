// Rules of verify-deps. Ids are stable: configs and code-scanning alerts refer to them.
import { RuleRegistry, defineRules, rulesOf } from '@security-actions/core';

const TJ_ACTIONS = {
  title: 'tj-actions/changed-files compromise (CVE-2025-30066)',
  url: 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3'
};
const PIP_HASHES = {
  title: 'pip: secure installs (hash-checking mode)',
  url: 'https://pip.pypa.io/en/stable/topics/secure-installs/'
};
const PEP_740 = { title: 'PEP 740: index support for digital attestations', url: 'https://peps.python.org/pep-0740/' };

export const RULES = defineRules({
  UNPINNED_ACTION: {
    id: 'actions/unpinned',
    title: 'Action not pinned to a full commit SHA',
    severity: 'high',
    why: 'A tag or branch can be moved to new code by whoever controls the action repository; in the tj-actions/changed-files compromise every tag was repointed at a commit that dumped CI secrets into the logs. Only a full 40-character commit SHA is immutable.',
    remediation:
      'Replace the ref with the full commit SHA it resolves to and keep the version as a trailing comment, e.g. `uses: actions/checkout@<40-hex-sha> # v4.2.2`. Tools such as Dependabot (github-actions ecosystem) keep such pins and comments current.',
    spec: ['S8-9'],
    references: [TJ_ACTIONS]
  },
  UNPINNED_DOCKER: {
    id: 'actions/docker-unpinned',
    title: 'Docker action image not pinned to a digest',
    severity: 'high',
    why: 'A `docker://` image tag can be re-pushed with different content; only an `@sha256:` digest names one image.',
    remediation: 'Pin the image by digest: `uses: docker://owner/image@sha256:<digest>`.',
    spec: ['S8-9']
  },
  NO_VERSION_COMMENT: {
    id: 'actions/no-version-comment',
    title: 'SHA-pinned action without a version comment',
    severity: 'low',
    why: 'Without the version beside the SHA a reviewer cannot tell which release is pinned, and Dependabot cannot keep the comment current, so outdated or unexpected commits go unnoticed.',
    remediation: 'Add the release the SHA belongs to as a trailing comment: `uses: owner/repo@<sha> # v1.2.3`.',
    spec: ['S8-9', 'S8-10']
  },
  VERSION_MISMATCH: {
    id: 'actions/version-mismatch',
    title: 'Version comment does not match the pinned SHA',
    severity: 'medium',
    why: 'Reviewers and Dependabot trust the comment; a comment naming a release the SHA is not (pinact documents a `# v3.5.1` that was really v2.7.0) hides which code runs, and is a way to slip a different commit past review.',
    remediation:
      'Resolve the tag named in the comment and pin its commit, or correct the comment to the release the SHA belongs to.',
    spec: ['S8-9', 'S8-10']
  },
  IMPOSTOR_COMMIT: {
    id: 'actions/impostor-commit',
    title: 'Pinned commit is not in the named action repository',
    severity: 'critical',
    why: "GitHub serves a commit pushed to any fork under the parent repository's name, so `owner/action@<sha>` can run code the owner never published. A commit reachable from none of the repository's branches or tags is such an impostor (or was force-pushed away).",
    remediation:
      'Pin a commit that a branch or release tag of the action repository contains: resolve the release tag you want (`git ls-remote https://github.com/owner/repo refs/tags/v1.2.3`) and use that SHA.',
    spec: ['S8-9'],
    references: [{ title: 'zizmor: impostor-commit', url: 'https://docs.zizmor.sh/audits/#impostor-commit' }]
  },
  COMPROMISED_ACTION: {
    id: 'actions/compromised',
    title: 'Known-compromised action commit or version',
    severity: 'critical',
    why: 'This commit or release is listed as malicious (an indicator of compromise or a security advisory): running it can leak every secret the job can read.',
    remediation:
      'Pin a clean release (see the advisory), rotate every secret the workflows that ran it could read, and review their logs for leaked values.',
    spec: ['S8-9'],
    references: [TJ_ACTIONS]
  },
  VULNERABLE_ACTION: {
    id: 'actions/vulnerable',
    title: 'Action version with a known vulnerability',
    severity: 'high',
    why: 'An advisory in the GitHub Actions ecosystem covers the release this reference pins.',
    remediation: 'Update to a fixed release (see the advisory) and pin its commit SHA.',
    spec: ['S8-9']
  },
  NESTED_UNPINNED: {
    id: 'actions/nested-unpinned',
    title: 'Pinned composite action uses an unpinned action',
    severity: 'high',
    why: "Pinning the outer action does not pin what it runs: a composite action's own `uses:` on a tag moves with that tag. The tj-actions compromise started this way, through an unpinned `reviewdog/action-setup@v1` inside another action.",
    remediation:
      'Ask the action maintainers to pin their nested actions by SHA, or replace the action with one that does (or vendor its steps).',
    spec: ['S8-9'],
    references: [
      {
        title: 'reviewdog/action-setup compromise (CVE-2025-30154)',
        url: 'https://github.com/advisories/GHSA-qmg3-hpqr-gqvc'
      }
    ]
  },
  PY_UNPINNED: {
    id: 'python/unpinned',
    title: 'Python dependency not pinned to an exact version',
    severity: 'medium',
    why: 'A range lets every install pick whatever is newest on the index at that moment, including a release published by an attacker minutes earlier; builds are neither reproducible nor reviewable.',
    remediation:
      'Pin with `==` in a lock or requirements file generated by a resolver (`uv lock`, `pip-compile --generate-hashes`, `uv export`), and keep ranges only in `pyproject.toml`.',
    spec: ['S8-16']
  },
  PY_MISSING_HASHES: {
    id: 'python/missing-hashes',
    title: 'Python dependency without hashes',
    severity: 'medium',
    why: "Without a hash the index (or anyone who can write to it) can serve different bytes for the same version. pip's hash-checking mode is all-or-nothing: once any requirement has `--hash`, every one must, or the install fails.",
    remediation:
      'Generate hashes for every file: `pip-compile --generate-hashes`, `uv pip compile --generate-hashes` or `uv export`; lock files from uv and Poetry record them.',
    spec: ['S8-16'],
    references: [PIP_HASHES]
  },
  PY_VCS_UNPINNED: {
    id: 'python/vcs-unpinned',
    title: 'VCS dependency not pinned to a full commit',
    severity: 'high',
    why: 'A branch or tag in a git URL can be moved by whoever controls that repository; only a full commit id names fixed code.',
    remediation: 'Use the full 40-character commit: `pkg @ git+https://github.com/owner/repo@<sha>`.',
    spec: ['S8-16']
  },
  PY_URL_DEPENDENCY: {
    id: 'python/url-dependency',
    title: 'URL or local path dependency without a pin',
    severity: 'medium',
    why: 'An archive URL without a hash can change under you, and a path dependency installs whatever is on disk; neither is checked against an index or an advisory database.',
    remediation:
      'Publish the package to an index and pin it, or add `--hash=sha256:...` to the URL requirement (`#sha256=` in the URL for pip).',
    spec: ['S8-16']
  },
  PY_EXTRA_INDEX: {
    id: 'python/extra-index-url',
    title: 'Extra package index (dependency confusion)',
    severity: 'high',
    why: 'pip merges all indexes and takes the highest version from any of them: anyone can publish a package with the name of a private one on PyPI and it wins (dependency confusion, as in the 2022 PyTorch `torchtriton` attack).',
    remediation:
      'Use a single `--index-url` that proxies PyPI, or pin every package with hashes; with uv, declare the index with `explicit = true` and map packages to it.',
    spec: ['S8-16'],
    references: [
      {
        title: 'PyTorch torchtriton dependency confusion',
        url: 'https://pytorch.org/blog/compromised-nightly-dependency/'
      }
    ]
  },
  PY_NO_LOCK: {
    id: 'python/no-lock',
    title: 'Python project without a lock file',
    severity: 'low',
    why: 'Without a lock, the versions installed in CI and releases are whatever the resolver picks that day, so neither a review nor an advisory check covers what actually ran.',
    remediation:
      'Commit a lock (`uv lock`, `poetry lock`, `pip-compile --generate-hashes`, or a PEP 751 `pylock.toml`) and install from it in CI and release jobs.',
    spec: ['S8-16']
  },
  PY_VULNERABLE: {
    id: 'python/vulnerable',
    title: 'Python dependency with a known vulnerability',
    severity: 'high',
    why: 'An advisory in OSV covers the pinned version.',
    remediation:
      'Update to a fixed version (see the advisory), or record in the policy why the vulnerable code is not reachable, with an expiry date.',
    spec: ['S8-16']
  },
  PY_MALICIOUS: {
    id: 'python/malicious',
    title: 'Known malicious Python package',
    severity: 'critical',
    why: "OSV lists this package version as malware (a `MAL-` record): installing it runs the attacker's code.",
    remediation:
      'Remove it, check every machine that installed it for compromise, and rotate the credentials those machines held.',
    spec: ['S8-16'],
    references: [{ title: 'OpenSSF malicious packages', url: 'https://github.com/ossf/malicious-packages' }]
  },
  PY_YANKED: {
    id: 'python/yanked',
    title: 'Pinned release was yanked',
    severity: 'medium',
    why: 'The maintainers withdrew this release from PyPI, usually because it is broken or unsafe (the compromised Ultralytics releases were yanked).',
    remediation: 'Move to a release that is not yanked; read the yank reason first.',
    spec: ['S8-16']
  },
  PY_PROVENANCE_MISSING: {
    id: 'python/provenance-missing',
    title: 'Locked file has no PEP 740 provenance',
    severity: 'info',
    why: 'Without provenance there is no signed link between the file on PyPI and the source repository and workflow that built it; adoption is still partial, so this is informational unless the policy requires it.',
    remediation:
      'Ask the maintainers to publish with Trusted Publishing and attestations (pypa/gh-action-pypi-publish does it by default), or accept the gap with an ignore.',
    spec: ['S8-16', 'S8-12'],
    references: [PEP_740]
  },
  PY_PROVENANCE_INVALID: {
    id: 'python/provenance-invalid',
    title: 'PEP 740 provenance does not verify',
    severity: 'critical',
    why: 'The attestation PyPI serves for this file does not verify against Sigstore or does not name this exact file: the file or its provenance was tampered with.',
    remediation:
      'Do not install this file. Compare its digest with the lock, report it to the maintainers and to PyPI security.',
    spec: ['S8-16', 'S8-12'],
    references: [PEP_740]
  },
  PY_PUBLISHER_MISMATCH: {
    id: 'python/publisher-mismatch',
    title: 'Trusted Publisher differs from the expected one',
    severity: 'high',
    why: 'The file was published from a repository, workflow or environment other than the one the policy (or the pylock attestation identities) expects: a takeover or a new, unreviewed release path.',
    remediation:
      'Confirm the change with the maintainers; then update the expected publisher in the policy or the lock.',
    spec: ['S8-16', 'S8-12']
  },
  PY_PROVENANCE_REGRESSION: {
    id: 'python/provenance-regression',
    title: 'Release lost the provenance its predecessor had',
    severity: 'high',
    why: 'The previous release was published with attestations and this one was not: the pattern of a stolen API token used to upload outside the trusted workflow (Ultralytics 8.3.45 and 8.3.46).',
    remediation: 'Hold the update until the maintainers confirm the release; pin the previous release meanwhile.',
    spec: ['S8-16', 'S8-12'],
    references: [{ title: 'Ultralytics compromise', url: 'https://github.com/ultralytics/ultralytics/issues/18027' }]
  },
  PY_TYPOSQUAT: {
    id: 'python/typosquat',
    title: 'Dependency name one typo from a popular package',
    severity: 'high',
    why: 'Attackers publish packages whose names are one keystroke from popular ones (`reqeusts`, `python-dateutils`) and wait for a typo in a requirements file: the install then runs their code in the jobs that build and publish the release. A name is reported only when it is not itself an established project (not among the 15,000 most downloaded on PyPI, not a conda-forge package, not locked for months; online, not on PyPI for over 180 days with 3 or more releases).',
    remediation:
      'Check the name against the project you meant (its PyPI page, repository and maintainers). If it is the intended package, add it to `typosquat-allow` in the policy; if not, replace it and check whether the wrong package was ever installed.',
    spec: ['S8-16']
  },
  PY_COOLDOWN: {
    id: 'python/cooldown',
    title: 'Locked release is younger than the cooldown',
    severity: 'medium',
    why: 'Most malicious releases are found and removed within hours or days; waiting a few days before adopting a release keeps them out (the compromised Ultralytics releases were up for 1 to 12 hours).',
    remediation: "Lock an older release, or wait until the release is older than the policy's `cooldown-days`.",
    spec: ['S8-16']
  }
});

export const REGISTRY = new RuleRegistry('verify-deps', rulesOf(RULES));
