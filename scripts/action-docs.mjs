// Prints the inputs and outputs tables of an action's action.yml as Markdown,
// for its page under docs/ (node scripts/action-docs.mjs verify-deps).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const name = process.argv[2];
const meta = parse(readFileSync(join(import.meta.dirname, '..', 'actions', name, 'action.yml'), 'utf8'));
const cell = (s) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
console.log('| Input | Default | Description |\n| --- | --- | --- |');
for (const [k, v] of Object.entries(meta.inputs ?? {}))
  console.log(
    `| \`${k}\` | ${v.required ? '(required)' : v.default ? `\`${cell(v.default)}\`` : ''} | ${cell(v.description)} |`
  );
console.log('\n| Output | Description |\n| --- | --- |');
for (const [k, v] of Object.entries(meta.outputs ?? {})) console.log(`| \`${k}\` | ${cell(v.description)} |`);
