// Rules of pr-anomaly-scan. Ids are stable: configs, inline ignores and
// code-scanning alerts refer to them. A rule's group (its id's prefix) is the
// family the risk score chains. The workflow rules are the core workflow
// audit's (run in diff mode), carried with their retired ids as aliases.
import { RuleRegistry, defineRules, rulesOf } from '@security-actions/core';
import { WORKFLOW_AUDIT_REGISTRY } from '@security-actions/core/workflow';
import { GHOST, TJ, TROJAN, ULTRALYTICS, XZ } from './incidents';

export const RULES = defineRules({
  // --- build system ------------------------------------------------------------
  BUILD_SETUP_PY: {
    id: 'build/setup-py',
    title: 'setup.py gains install-time code (cmdclass, network, processes)',
    severity: 'high',
    why: "`setup.py` runs on every source install and build; a custom command, download or process start there runs on maintainers' and users' machines.",
    remediation: 'Move build logic to a declarative `pyproject.toml`; review any network or process call line by line.',
    spec: ['S8-16']
  },
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
    severity: 'medium',
    why: 'The xz backdoor was triggered by an edited `build-to-host.m4`; m4 is rarely reviewed and runs shell at configure time.',
    remediation: 'Compare the macro with its upstream (gnulib, autoconf-archive) and reject unexplained changes.',
    spec: ['S8-16'],
    references: [XZ]
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
  // --- opaque content ----------------------------------------------------------
  BIN_OPAQUE: {
    id: 'binary/opaque-file',
    title: 'Opaque binary file added or changed',
    severity: 'medium',
    why: 'Reviewers cannot read binaries; the xz backdoor payload hid in "corrupt" test files.',
    remediation: 'Ask for the script that generates the file, regenerate it, and compare hashes.',
    spec: ['S8-16'],
    references: [XZ],
    pathIgnorable: false
  },
  BIN_EXECUTABLE: {
    id: 'binary/executable',
    title: 'Executable or loadable binary added',
    severity: 'high',
    why: 'A compiled executable, shared library or pickle runs code when loaded, and cannot be reviewed.',
    remediation: 'Build it from source in CI instead; replace pickles with a data format (NPY, HDF5, JSON).',
    spec: ['S8-16'],
    pathIgnorable: false
  },
  BIN_ARCHIVE_TESTS: {
    id: 'binary/compressed-test-data',
    title: 'Compressed archive or blob under tests',
    severity: 'medium',
    why: "Compressed test fixtures can carry anything; xz's payload was in `tests/files/*.xz`.",
    remediation: 'Ask how the fixture was generated and regenerate it yourself.',
    spec: ['S8-16'],
    references: [XZ],
    pathIgnorable: false
  },
  BIN_ONLY: {
    id: 'binary/binary-only-change',
    title: 'Binary files changed with no text change',
    severity: 'high',
    why: 'Replacing test fixtures without touching any code or test is how the xz payload was updated (5.6.1).',
    remediation: 'Require the generator script and a reason in the PR; regenerate the files.',
    spec: ['S8-16'],
    references: [XZ],
    pathIgnorable: false
  },
  // --- obfuscation ---------------------------------------------------------------
  OBF_ENCODED_EXEC: {
    id: 'obfuscation/encoded-exec',
    title: 'Encoded data reaches code execution',
    severity: 'critical',
    why: 'Decoding a literal and passing it to exec/eval/a shell hides the code from reviewers; almost no honest code does this.',
    remediation:
      'Decode the literal yourself and read it; reject the change unless the plain code is committed instead.',
    spec: ['S8-16'],
    references: [TJ],
    pathIgnorable: false
  },
  OBF_LONG_LITERAL: {
    id: 'obfuscation/long-encoded-literal',
    title: 'Long base64 or hex literal added',
    severity: 'low',
    why: 'Long encoded blobs are where payloads hide; on their own they are weak evidence (images, test vectors).',
    remediation: 'Check what the data decodes to and where it is used.',
    spec: ['S8-16'],
    pathIgnorable: false
  },
  OBF_DECOMPRESS: {
    id: 'obfuscation/decompress-literal',
    title: 'Literal decompressed or unmarshalled in code',
    severity: 'high',
    why: '`marshal.loads`, `zlib`/`lzma`/`bz2` decompression of inline data produces code or data no reviewer saw.',
    remediation: 'Commit the plain content instead.',
    spec: ['S8-16'],
    pathIgnorable: false
  },
  OBF_CHR_CHAIN: {
    id: 'obfuscation/char-code-chain',
    title: 'String built from character codes',
    severity: 'medium',
    why: '`chr(..)+chr(..)` and `String.fromCharCode(...)` chains hide names like `exec` or URLs from search and review.',
    remediation: 'Replace with the plain string and check what it was.',
    spec: ['S8-16'],
    pathIgnorable: false
  },
  OBF_PACKER: {
    id: 'obfuscation/packer',
    title: 'Packed or obfuscated code',
    severity: 'high',
    why: 'PyArmor runtimes, JavaScript packers and obfuscator output exist to stop people reading code.',
    remediation: 'Reject packed code; ask for the source.',
    spec: ['S8-16'],
    pathIgnorable: false
  },
  OBF_BUNDLE: {
    id: 'obfuscation/bundled-js-payload',
    title: 'Payload added to bundled JavaScript',
    severity: 'high',
    why: 'Bundled `dist/` files are generated and rarely reviewed; tj-actions was compromised by a base64 payload added to `dist/index.js`.',
    remediation: 'Rebuild the bundle from source in CI and compare; reject hand edits of generated files.',
    spec: ['S8-16'],
    references: [TJ],
    pathIgnorable: false
  },
  // --- Unicode ---------------------------------------------------------------------
  UNI_BIDI: {
    id: 'unicode/bidi-control',
    title: 'Bidirectional control character',
    severity: 'high',
    why: 'Bidi controls make code display in a different order from how it runs (Trojan Source).',
    remediation: 'Remove the character; GitHub shows a warning banner on such files.',
    spec: ['S8-16'],
    references: [TROJAN],
    pathIgnorable: false
  },
  UNI_INVISIBLE: {
    id: 'unicode/invisible-character',
    title: 'Invisible character in code',
    severity: 'high',
    why: 'Zero-width characters, variation selectors and blank look-alikes hide identifiers or whole payloads (GlassWorm).',
    remediation: 'Remove the character or write it as an escape (`\\u200b`).',
    spec: ['S8-16'],
    references: [TROJAN],
    pathIgnorable: false
  },
  UNI_HOMOGLYPH: {
    id: 'unicode/homoglyph',
    title: 'Look-alike letters from another script',
    severity: 'high',
    why: 'A Cyrillic `а` or Greek `ο` in a Latin identifier or string makes two different names look the same (Trojan Source homoglyph attack).',
    remediation: 'Replace the look-alike with the Latin letter, or use an escape if the foreign letter is intended.',
    spec: ['S8-16'],
    references: [TROJAN],
    pathIgnorable: false
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
  DEP_DIRECT_URL: {
    id: 'deps/direct-url',
    title: 'Direct URL or VCS dependency',
    severity: 'medium',
    why: 'A URL or git dependency bypasses the index and can change under the same name.',
    remediation: 'Depend on a released version from PyPI, or pin the commit and hash.',
    spec: ['S8-16']
  },
  DEP_INDEX_URL: {
    id: 'deps/index-url',
    title: 'New package index',
    severity: 'high',
    why: 'An extra or replaced index lets another server supply any package (dependency confusion).',
    remediation: 'Remove the index option unless it is an index you run.',
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

export const REGISTRY = new RuleRegistry(
  'pr-anomaly-scan',
  [...rulesOf(RULES), ...WORKFLOW_AUDIT_REGISTRY.list()],
  WORKFLOW_AUDIT_REGISTRY.aliases
);
