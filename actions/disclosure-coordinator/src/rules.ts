// Rules of disclosure-coordinator. Ids are stable: configs refer to them.
// SPEC 6 and SPEC 8 predate the Scientific Python disclosure SPEC (draft SPEC
// 11); each rule names the nearest clause and cites the OpenSSF guide to
// coordinated vulnerability disclosure for open-source projects.
import { RuleRegistry, defineRules, rulesOf } from '@security-actions/core';

const CVD_GUIDE = {
  title: 'OpenSSF guide to coordinated vulnerability disclosure for open source projects',
  url: 'https://github.com/ossf/oss-vulnerability-guide'
};
const DRAFT_SPEC_11 = {
  title: 'Scientific Python draft SPEC 11, vulnerability disclosure',
  url: 'https://github.com/scientific-python/specs/pull/421'
};
const ADVISORIES_DOCS = {
  title: 'GitHub: about repository security advisories',
  url: 'https://docs.github.com/code-security/security-advisories/working-with-repository-security-advisories/about-repository-security-advisories'
};

export const RULES = defineRules({
  reportUnanswered: {
    id: 'disclosure/report-unanswered',
    title: 'Private vulnerability report not acknowledged within the service level',
    severity: 'high',
    why: 'A reporter who hears nothing for weeks may publish the flaw, or give up and take it elsewhere; the ecosystem promised a response time (SECURITY.md, draft SPEC 11: 48 hours).',
    remediation:
      'Open the report (Security → Advisories), answer the reporter, and accept it as a draft advisory or close it with a reason.',
    spec: ['S6-1'],
    references: [CVD_GUIDE, DRAFT_SPEC_11]
  },
  fixOverdue: {
    id: 'disclosure/fix-overdue',
    title: 'Advisory not published within the fix service level',
    severity: 'high',
    why: 'The longer a known flaw stays unfixed and undisclosed, the likelier it is found again or leaks, and downstream projects keep shipping the affected versions.',
    remediation:
      'Publish the fix and the advisory, or agree a new date with the reporter and record it in the advisory; ask the coordination team for help if the project is stuck.',
    spec: ['S6-1'],
    references: [CVD_GUIDE, DRAFT_SPEC_11]
  },
  noPrivateFork: {
    id: 'disclosure/no-private-fork',
    title: 'Draft advisory has no temporary private fork',
    severity: 'low',
    why: 'A fix prepared in a public branch or pull request discloses the flaw before the release; the advisory’s private fork keeps the work visible only to its collaborators.',
    remediation: 'In the draft advisory, "Start a temporary private fork" and develop and review the fix there.',
    spec: ['S6-2'],
    references: [ADVISORIES_DOCS]
  },
  noCve: {
    id: 'disclosure/no-cve',
    title: 'Advisory of a public repository has no CVE',
    severity: 'low',
    why: 'Scanners, distributions and Dependabot key their alerts on the CVE; without one, downstream users of an affected version may never be told.',
    remediation:
      'In the advisory, "Request CVE" (GitHub is a CNA), or enter a CVE you obtained elsewhere. A requested CVE shows here once GitHub assigns it.',
    spec: ['S6-1'],
    references: [ADVISORIES_DOCS]
  },
  noPatchedVersion: {
    id: 'disclosure/no-patched-version',
    title: 'Published advisory names no patched version',
    severity: 'medium',
    why: 'Without a patched version, users and tools cannot tell what to upgrade to, and Dependabot cannot open an update.',
    remediation: 'Edit the advisory: give each affected package its patched version(s).',
    spec: ['S8-10'],
    references: [ADVISORIES_DOCS]
  },
  fixWithoutAdvisory: {
    id: 'disclosure/fix-without-advisory',
    title: 'A release announces a security fix that no advisory covers',
    severity: 'medium',
    why: 'A fix shipped without an advisory is visible to attackers in the diff but invisible to the scanners that tell downstream users to upgrade.',
    remediation:
      'Publish a repository security advisory for the fix (affected and patched versions, CVE), or correct the release notes if it was not a security fix.',
    spec: ['S6-1'],
    references: [CVD_GUIDE]
  },
  reportingOff: {
    id: 'disclosure/reporting-off',
    title: 'Private vulnerability reporting is off on a tracked public repository',
    severity: 'medium',
    why: 'Without a private channel, reporters open public issues about vulnerabilities, and the coordination team never sees the report.',
    remediation:
      'Settings → Code security → Private vulnerability reporting: enable (or enable it for the organization), and point SECURITY.md to it.',
    spec: ['S6-1'],
    references: [CVD_GUIDE]
  },
  pinsAffected: {
    id: 'downstream/pins-affected',
    title: 'Downstream project pins an affected version',
    severity: 'high',
    why: 'The pinned version is the one its users install; it stays affected until the pin moves to a patched release.',
    remediation: 'Move the pin to a patched version (and regenerate the lock file), then release.',
    spec: ['S8-9', 'S8-10']
  },
  rangeExcludesFix: {
    id: 'downstream/range-excludes-fix',
    title: 'Downstream range admits affected versions and no patched one',
    severity: 'high',
    why: 'Every install the range allows is affected: users cannot upgrade to the fix without the project changing its requirement.',
    remediation:
      'Widen the requirement to admit the patched release (and raise its lower bound past the affected ones).',
    spec: ['S8-9', 'S8-10']
  },
  rangeAllowsAffected: {
    id: 'downstream/range-allows-affected',
    title: 'Downstream range still admits affected versions',
    severity: 'low',
    why: 'A fresh install picks the patched release, but an existing environment or a resolver constrained elsewhere may keep an affected one.',
    remediation: 'Raise the lower bound of the requirement to the first patched release.',
    spec: ['S8-9']
  },
  invitePending: {
    id: 'embargo/invite-pending',
    title: 'Maintainers of an affected downstream project are not collaborators on the draft advisory',
    severity: 'medium',
    why: 'Downstream projects that pin an affected version need the embargo period to prepare their own fix; invited to the advisory they see it and its private fork, and nothing leaves the advisory.',
    remediation:
      'Add the named maintainers as collaborators on the draft advisory (or list them in `invite` and run with `apply: true`), after checking who they are.',
    spec: ['S6-2', 'S6-1'],
    references: [CVD_GUIDE]
  },
  notifyPending: {
    id: 'notify/pending',
    title: 'Affected downstream project not yet notified of the published advisory',
    severity: 'medium',
    why: 'Dependabot alerts reach only projects with the dependency graph on and only for what it resolves; a direct issue tells the maintainers which line pins the affected version.',
    remediation:
      'Run with `apply: true` (and a notify token that may open issues there), or tell the maintainers yourself.',
    spec: ['S8-10'],
    references: [CVD_GUIDE]
  }
});

export const REGISTRY = new RuleRegistry('disclosure-coordinator', rulesOf(RULES));
