// Worlds, workflows and helpers shared by the verify-deps tests. Not a test file.
import { EMPTY_CONFIG, type EngineResult, buildReport } from '@security-actions/core';
import { REGISTRY } from '../../actions/verify-deps/src/rules';

export const A = 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1'; // actions/checkout v4.1.0
export const B = 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2'; // actions/checkout v4.2.2, main
export const F = 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0'; // pushed to a fork only
export const D = 'dfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdf'; // pushed to a fork, on an old commit: diverged from main
export const MISSING = 'd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4';
export const TJ_BAD = '0e58ed8671d6b60d0890c21b07f8835ace038e67';
export const TJ_OK = 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3';
export const COMPOSITE = 'e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5';
export const TAG_OBJECT = '7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a';
export const PINNED_COMPOSITE = 'e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6';

const when = (d: string) => ({ login: 'alice', date: `2025-0${d}T00:00:00Z` });

export const GITHUB_WORLD = {
  users: { alice: {}, mallory: {} },
  repos: {
    'actions/checkout': {
      commits: [
        { sha: B, parents: [A], author: when('3-01') },
        { sha: A, author: when('1-01') }
      ],
      branches: { main: B },
      tags: { 'v4.1.0': A, 'v4.2.2': { commit: B, sha: TAG_OBJECT, message: 'v4.2.2' }, v4: B }
    },
    'mallory/checkout': {
      parent: 'actions/checkout',
      commits: [
        { sha: F, parents: [B], author: { login: 'mallory', date: '2025-04-01T00:00:00Z' } },
        { sha: D, parents: [A], author: { login: 'mallory', date: '2025-04-02T00:00:00Z' } },
        { sha: B, parents: [A], author: when('3-01') },
        { sha: A, author: when('1-01') }
      ],
      branches: { main: F, old: D }
    },
    'tj-actions/changed-files': {
      commits: [
        { sha: TJ_OK, parents: [TJ_BAD], author: when('4-01') },
        { sha: TJ_BAD, author: when('3-14') }
      ],
      branches: { main: TJ_OK },
      tags: { 'v45.0.7': TJ_BAD, 'v46.0.1': TJ_OK }
    },
    'octo/composite': {
      commits: [{ sha: COMPOSITE, author: when('2-01') }],
      branches: { main: COMPOSITE },
      tags: { 'v1.0.0': COMPOSITE },
      files: {
        [COMPOSITE]: {
          'action.yml': `name: composite\nruns:\n  using: composite\n  steps:\n    - uses: reviewdog/action-setup@v1\n    - uses: actions/checkout@${B} # v4.2.2\n    - uses: ./local\n    - run: echo hi\n      shell: bash\n`
        }
      }
    },
    'octo/pinned-composite': {
      commits: [{ sha: PINNED_COMPOSITE, author: when('2-01') }],
      branches: { main: PINNED_COMPOSITE },
      tags: { 'v2.0.0': PINNED_COMPOSITE },
      files: {
        [PINNED_COMPOSITE]: {
          'action.yml': `name: pinned composite\nruns:\n  using: composite\n  steps:\n    - uses: actions/checkout@${B} # v4.2.2\n    - uses: docker://alpine@sha256:${'a'.repeat(64)}\n`
        }
      }
    }
  }
};

export const workflow = (uses: string[]) =>
  `name: ci\non: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${uses.map((u) => `      - uses: ${u}\n`).join('')}`;

/** 1-based line of the first line containing `needle`. */
export const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

/** What the shared runner reports for an engine result: config and the engine's suppressions applied on `today`. */
export const reported = (r: EngineResult, today = '2026-01-01') =>
  buildReport('verify-deps', r, {
    config: EMPTY_CONFIG,
    today,
    startedAt: new Date(`${today}T00:00:00Z`),
    aliases: REGISTRY.aliases
  });
