// Rules of the unpinned-uses audit (../audits/unpinned-uses.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const UNPINNED_USES = {
  id: 'unpinned-uses',
  rules: defineRules({
    UNPINNED_USES: {
      id: 'workflow/unpinned-uses',
      title: 'Action or reusable workflow not pinned to a full commit SHA',
      severity: 'high',
      why: 'A tag or branch can be moved to new code by whoever controls the action repository; in the tj-actions/changed-files compromise every tag was repointed at a commit that dumped CI secrets into the logs. A short SHA is no better: GitHub resolves it among the commits of every fork, so an attacker can push a colliding one (an impostor commit). Only a full 40-character commit SHA is immutable.',
      remediation:
        'Replace the ref with the full commit SHA it resolves to and keep the version as a trailing comment, e.g. `uses: actions/checkout@<40-hex-sha> # v4.2.2`; Dependabot (github-actions ecosystem) keeps such pins and comments current.',
      spec: ['S8-9'],
      references: [REF.tj, REF.zizmor('unpinned-uses')]
    },
    NO_VERSION_COMMENT: {
      id: 'workflow/no-version-comment',
      title: 'SHA-pinned action without a version comment',
      severity: 'low',
      why: 'Without the version beside the SHA a reviewer cannot tell which release is pinned, and Dependabot cannot keep the comment current, so outdated or unexpected commits go unnoticed.',
      remediation: 'Add the release the SHA belongs to as a trailing comment: `uses: owner/repo@<sha> # v1.2.3`.',
      spec: ['S8-9', 'S8-10']
    }
  })
};
