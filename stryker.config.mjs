// Mutation testing (StrykerJS), on demand only, never in CI: `npm run mutate -- ENGINE`
// runs one engine's rule code against the tests that should catch its mutants.
// docs/mutation-testing.md has the engines, how to run them and the scores.
// Mutants are switched in place (the workspace packages resolve to these very
// files through node_modules links, which a sandbox copy would not change);
// Stryker restores every file when it ends.

import { ENGINES } from './scripts/mutation-engines.mjs';

const name = process.env.MUTATE_ENGINE ?? '';
const engine = ENGINES[name];
if (!engine) throw new Error(`MUTATE_ENGINE must be one of ${Object.keys(ENGINES).join(', ')}; got '${name}'`);

// A `mutate` entry may name lines (`file:10-40`); the type-check switch wants the file.
const files = [...new Set(engine.mutate.map((m) => m.replace(/:\d+-\d+$/, '')))];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    config: { testMatch: engine.tests.map((t) => `<rootDir>/${t}`) },
    enableFindRelatedTests: false
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: engine.mutate,
  // Only the mutated files get `// @ts-nocheck` (in place, every matching file would be rewritten and restored).
  disableTypeChecks: files.length === 1 ? files[0] : `{${files.join(',')}}`,
  coverageAnalysis: 'perTest',
  inPlace: true,
  // The machine is shared: two test processes at most, each mutant bounded.
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always'
};
