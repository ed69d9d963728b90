#!/usr/bin/env node
// `npm run mutate -- ENGINE`: StrykerJS on one engine's rule code (stryker.config.mjs),
// at low CPU priority. Without ENGINE, lists the engines.
import { spawnSync } from 'node:child_process';
import { ENGINES } from './mutation-engines.mjs';

const name = process.argv[2];
if (!name || !ENGINES[name]) {
  process.stderr.write(`usage: npm run mutate -- ENGINE (one of: ${Object.keys(ENGINES).join(', ')})\n`);
  process.exit(2);
}
const r = spawnSync('nice', ['-n', '15', 'npx', 'stryker', 'run', 'stryker.config.mjs'], {
  stdio: 'inherit',
  env: { ...process.env, MUTATE_ENGINE: name }
});
process.exit(r.status ?? 1);
