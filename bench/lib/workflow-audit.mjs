// Loads the core's workflow audit for scripts under bench/: bundles
// packages/core/src/workflow/index.ts with ncc (as scripts/package.mjs
// bundles the actions) into a temporary folder and imports it, so a script
// measures the current sources without a committed bundle of its own.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..');

export async function loadWorkflowAudit() {
  const ncc = require('@vercel/ncc');
  const { code, assets } = await ncc(join(root, 'packages/core/src/workflow/index.ts'), {
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    transpileOnly: true
  });
  const dir = mkdtempSync(join(tmpdir(), 'workflow-audit-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), asset.source);
  }
  return { module: await import(pathToFileURL(join(dir, 'index.js')).href), bytes: Buffer.byteLength(code) };
}

/** A benchmark's `{ title, rows }` as a Markdown table, for a script run on its own. */
export function printTable({ title, rows }) {
  const cols = Object.keys(rows[0]);
  console.log(`## ${title}\n\n| ${cols.join(' | ')} |\n| ${cols.map(() => '---').join(' | ')} |`);
  for (const r of rows) console.log(`| ${cols.map((c) => r[c]).join(' | ')} |`);
}
