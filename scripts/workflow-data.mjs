// Regenerates packages/core/data/context-capabilities.json from zizmor's
// crates/zizmor/data/context-capabilities.csv (MIT, Copyright (c) 2024 William
// Woodruff): which `${{ }}` contexts an attacker controls fully (arbitrary),
// partly (structured) or not at all (fixed). Stored as a trie of the dotted
// path so the workflow audit looks a context up part by part.
//   node scripts/workflow-data.mjs [path/to/zizmor/bare/repo]
// Reads the CSV with `git show` from the mirror that `fetch github:zizmorcore/zizmor` made.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = process.argv[2] ?? '/work/.mirror/zizmorcore+zizmor/repo';
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const commit = git('rev-parse', 'HEAD').trim();
const csv = git('show', 'HEAD:crates/zizmor/data/context-capabilities.csv');

const CODES = { arbitrary: 'a', structured: 's', fixed: 'f' };
const trie = {
  $source: `zizmorcore/zizmor@${commit} crates/zizmor/data/context-capabilities.csv (MIT, Copyright (c) 2024 William Woodruff)`,
  $codes: 'a = arbitrary, s = structured, f = fixed; "" holds the value of a node that also has children'
};
let rows = 0;
for (const line of csv.split('\n')) {
  const [path, cap] = line.trim().split(',');
  if (!path || !CODES[cap]) continue;
  rows++;
  let node = trie;
  const parts = path.split('.');
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      if (typeof node[part] === 'object') node[part][''] = CODES[cap];
      else node[part] = CODES[cap];
    } else {
      if (typeof node[part] === 'string') node[part] = { '': node[part] };
      node = node[part] ??= {};
    }
  });
}
const out = join(import.meta.dirname, '..', 'packages', 'core', 'data', 'context-capabilities.json');
writeFileSync(out, JSON.stringify(trie) + '\n');
console.log(`${rows} contexts from ${commit.slice(0, 12)} → ${out}`);
