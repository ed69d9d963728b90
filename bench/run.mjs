// Runs every benchmark under bench/ (or those named on the command line) and
// prints each one's figures as a table. Benchmarks are not timed tests: they
// measure, and the figures are recorded in docs/benchmarks.md.
//   npm run bench [-- startup ...]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const files = readdirSync(import.meta.dirname).filter(
  (f) => f.endsWith('.mjs') && f !== 'run.mjs' && (!only.length || only.includes(f.replace(/\.mjs$/, '')))
);
let failed = 0;
for (const f of files) {
  const { run } = await import(join(import.meta.dirname, f));
  const { title, rows } = await run();
  console.log(`\n## ${title}\n`);
  const cols = Object.keys(rows[0]);
  console.log(`| ${cols.join(' | ')} |`);
  console.log(`| ${cols.map(() => '---').join(' | ')} |`);
  for (const r of rows) {
    console.log(
      `| ${cols.map((c) => (c === 'ok' ? (r[c] === undefined ? '' : r[c] ? 'yes' : '**NO**') : r[c])).join(' | ')} |`
    );
    if (r.ok === false) failed++;
  }
}
console.log(
  `\n${failed ? `${failed} target(s) missed` : 'all targets met'} (node ${process.versions.node}, ${new Date().toISOString()})`
);
