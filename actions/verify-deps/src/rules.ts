// Rules of verify-deps. Ids are stable: configs and code-scanning alerts refer to them.
import type { Rule } from '@security-actions/core';

const TJ_ACTIONS = {
  title: 'tj-actions/changed-files compromise (CVE-2025-30066)',
  url: 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3'
};

export const UNPINNED_ACTION: Rule = {
  id: 'actions/unpinned',
  title: 'Action not pinned to a full commit SHA',
  severity: 'high',
  why: 'A tag or branch can be moved to new code by whoever controls the action repository; in the tj-actions/changed-files compromise every tag was repointed at a commit that dumped CI secrets into the logs. Only a full 40-character commit SHA is immutable.',
  remediation: 'Replace the ref with the full commit SHA it resolves to and keep the version as a trailing comment, e.g. `uses: actions/checkout@<40-hex-sha> # v4.2.2`. Tools such as Dependabot (github-actions ecosystem) keep such pins and comments current.',
  spec: ['S8-9'],
  references: [TJ_ACTIONS]
};

export const UNPINNED_DOCKER: Rule = {
  id: 'actions/docker-unpinned',
  title: 'Docker action image not pinned to a digest',
  severity: 'high',
  why: 'A `docker://` image tag can be re-pushed with different content; only an `@sha256:` digest names one image.',
  remediation: 'Pin the image by digest: `uses: docker://owner/image@sha256:<digest>`.',
  spec: ['S8-9']
};

export const NO_VERSION_COMMENT: Rule = {
  id: 'actions/no-version-comment',
  title: 'SHA-pinned action without a version comment',
  severity: 'low',
  why: 'Without the version beside the SHA a reviewer cannot tell which release is pinned, and Dependabot cannot keep the comment current, so outdated or unexpected commits go unnoticed.',
  remediation: 'Add the release the SHA belongs to as a trailing comment: `uses: owner/repo@<sha> # v1.2.3`.',
  spec: ['S8-9', 'S8-10']
};

export const RULES: Rule[] = [UNPINNED_ACTION, UNPINNED_DOCKER, NO_VERSION_COMMENT];
