#!/usr/bin/env node
// `npm run mutate -- ENGINE [MINUTES]`: StrykerJS on one engine's rule code (stryker.config.mjs),
// at low CPU priority, for MINUTES at most (default 60). Without ENGINE, lists the engines.
// Stryker mutates files in place and restores them when it ends or is signalled; a run that was
// killed outright (a machine restart) leaves its files instrumented with the originals in
// .stryker-tmp/backup-*, so those are put back first, and again after a run however it ended.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINES } from './mutation-engines.mjs';

const TMP = '.stryker-tmp';
const name = process.argv[2];
const minutes = Number(process.argv[3] ?? 60);
if (!name || !ENGINES[name] || !(minutes > 0)) {
  process.stderr.write(
    `usage: npm run mutate -- ENGINE [MINUTES] (ENGINE one of: ${Object.keys(ENGINES).join(', ')})\n`
  );
  process.exit(2);
}

/** Puts back the originals a killed run left in the backup folders; says which. */
function restoreLeftovers() {
  if (!existsSync(TMP)) return;
  for (const dir of readdirSync(TMP).filter((d) => d.startsWith('backup-'))) {
    process.stderr.write(`mutate: restoring the files an interrupted run left mutated (${join(TMP, dir)})\n`);
    cpSync(join(TMP, dir), '.', { recursive: true });
    rmSync(join(TMP, dir), { recursive: true });
  }
}

restoreLeftovers();
// Its own process group, so the cap reaches Stryker's workers too.
const child = spawn('nice', ['-n', '15', process.execPath, 'node_modules/.bin/stryker', 'run', 'stryker.config.mjs'], {
  stdio: 'inherit',
  detached: true,
  env: { ...process.env, MUTATE_ENGINE: name }
});
const stop = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
// SIGTERM lets Stryker restore the files itself; SIGKILL a minute later if it does not stop.
const cap = setTimeout(() => {
  process.stderr.write(`mutate: gave up after ${minutes} minutes (the cap); no score for this run\n`);
  stop('SIGTERM');
  setTimeout(() => stop('SIGKILL'), 60_000).unref();
}, minutes * 60_000);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
child.on('exit', (code, signal) => {
  clearTimeout(cap);
  restoreLeftovers();
  process.exit(code ?? (signal ? 1 : 0));
});
