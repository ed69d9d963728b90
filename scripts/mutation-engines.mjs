// The engines `npm run mutate` knows: each one's rule code, and the tests that should kill its mutants.
import { readFileSync } from 'node:fs';

/** `file:start-end`, the lines of one top-level function (to its closing brace at column 0), found by name. */
function lines(file, name) {
  const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').split('\n');
  const start = text.findIndex((l) => new RegExp(`^(export )?(async )?function ${name}\\b`).test(l));
  if (start < 0) throw new Error(`${file} has no top-level function ${name}`);
  const end = text.findIndex((l, i) => i > start && l === '}');
  return `${file}:${start + 1}-${end + 1}`;
}

/** Rule code to mutate, and the test files that hold it, per engine. */
export const ENGINES = {
  core: {
    mutate: [
      'packages/core/src/findings.ts',
      'packages/core/src/suppress.ts',
      'packages/core/src/config.ts',
      'packages/core/src/sarif.ts',
      'packages/core/src/errors.ts'
    ],
    tests: [
      'test/core/findings.test.ts',
      'test/core/suppress.test.ts',
      'test/core/config.test.ts',
      'test/core/sarif.test.ts',
      'test/core/sarif-uploads.test.ts',
      'test/core/errors.test.ts',
      'test/core/redaction.test.ts',
      'test/core/report.test.ts'
    ]
  },
  'sign-release': {
    mutate: [
      'actions/sign-release/src/engine.ts',
      'actions/sign-release/src/signatures.ts',
      'actions/sign-release/src/provenance.ts'
    ],
    tests: ['test/sign-release/engine.test.ts', 'test/sign-release/signer.test.ts']
  },
  // The impostor-commit check's reachability: whether a pinned commit is on any branch or tag of the action.
  impostor: {
    mutate: [lines('actions/verify-deps/src/actions.ts', 'reachability')],
    tests: ['test/verify-deps/actions.test.ts']
  },
  'branch-protection': {
    mutate: ['actions/access-audit/src/branch-protection.ts'],
    tests: ['test/access-audit/branch-protection.test.ts']
  }
};
