// Native-ESM jest (the model of actions/typescript-action and actions/attest): tests
// import TypeScript sources directly; ts-jest only transpiles, `npm run typecheck`
// type-checks once for the whole tree.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }]
  },
  // @actions/core's modules behind its entry point (see packages/core/src/runtime.ts and tsconfig.json `paths`).
  moduleNameMapper: { '^@actions/core/lib/(.*)$': '<rootDir>/node_modules/@actions/core/lib/$1' },
  testTimeout: 30000,
  setupFiles: ['<rootDir>/test/setup.ts'],
  // The fake GitHub's OpenAPI contract, checked during every test (test/fakes/github/contract.mjs).
  setupFilesAfterEnv: ['<rootDir>/test/contract.ts']
};
