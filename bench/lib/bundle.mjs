// Loads a TypeScript entry of the sources for scripts under bench/: bundles it
// with ncc (as scripts/package.mjs bundles the actions) into a temporary
// folder and imports it, so a script measures the current sources without a
// committed bundle of its own. A script that measures memory bundles first and
// imports in the measured process, which then does not carry the bundler.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..');

/** Bundles `entry` (relative to the repository root); returns the bundle's file and size in bytes. */
export async function bundle(entry) {
  const ncc = require('@vercel/ncc');
  const { code, assets } = await ncc(join(root, entry), {
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    transpileOnly: true
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), asset.source);
  }
  return { file: join(dir, 'index.js'), bytes: Buffer.byteLength(code) };
}

/** `entry` bundled and imported; returns the module and the bundle's size in bytes. */
export async function loadBundle(entry) {
  const { file, bytes } = await bundle(entry);
  return { module: await import(pathToFileURL(file).href), bytes };
}
