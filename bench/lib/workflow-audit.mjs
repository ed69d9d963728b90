// The core's workflow audit for scripts under bench/, bundled from the sources.
import { loadBundle } from './bundle.mjs';

export const loadWorkflowAudit = () => loadBundle('packages/core/src/workflow/index.ts');

/** A benchmark's `{ title, rows }` as a Markdown table, for a script run on its own. */
export function printTable({ title, rows }) {
  const cols = Object.keys(rows[0]);
  console.log(`## ${title}\n\n| ${cols.join(' | ')} |\n| ${cols.map(() => '---').join(' | ')} |`);
  for (const r of rows) console.log(`| ${cols.map((c) => r[c]).join(' | ')} |`);
}
