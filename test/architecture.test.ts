// The import rules of .dependency-cruiser.cjs hold for the tree, and the same
// rules do catch each kind of violation (a fixture tree that breaks every one).
import { describe, expect, test } from '@jest/globals';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const config = require(join(root, '.dependency-cruiser.cjs'));

async function violations(baseDir: string, paths: string[]): Promise<string[]> {
  const result = await cruise(paths, {
    ...config.options,
    ruleSet: { forbidden: config.forbidden },
    baseDir,
    validate: true
  });
  const out = typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
  return out.summary.violations.map(
    (v: { rule: { name: string }; from: string; to: string }) => `${v.rule.name}: ${v.from} -> ${v.to}`
  );
}

describe('architecture', () => {
  test('core <- actions <- cli, actions independent, CLI through package roots, engines spawn nothing, light workflow rules, no cycles', async () => {
    const found = await violations(root, ['packages/core/src', 'packages/cli/src', 'actions']);
    expect(found).toEqual([]);
  }, 60_000);

  test('each rule catches its violation (fixture tree)', async () => {
    const found = await violations(join(root, 'test/architecture/fixture'), ['packages', 'actions']);
    const rules = new Set(found.map((v) => v.split(':')[0]));
    expect([...rules].sort()).toEqual([
      'actions-are-independent',
      'cli-imports-action-roots-only',
      'core-imports-no-action',
      'engines-spawn-nothing',
      'no-actions-core-entry',
      'no-circular',
      'workflow-rules-stay-light'
    ]);
    expect(found).toContain('cli-imports-action-roots-only: packages/cli/src/main.ts -> actions/two/src/engine.ts');
    expect(found).toContainEqual(
      expect.stringMatching(
        /^workflow-rules-stay-light: packages\/core\/src\/workflow\/rules\/index\.ts -> .*node_modules\/yaml\//
      )
    );
  }, 60_000);
});
