// The plain-secretlint anchor of bench/pr-anomaly-scan.mjs, run in its own
// process: secretlint's library with its recommended preset (what the action
// uses) over every file named in the list file, one `lintSource` call per file,
// the way secretlint's own command line runs it (profiler off unless
// `--profile`). Prints the number of files and messages as JSON.
//   node bench/lib/secretlint-plain.mjs <checkout> <list of paths, one a line>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';

const [dir, list] = process.argv.slice(2);
secretLintProfiler.setEnabled?.(false);
const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
let messages = 0;
const paths = readFileSync(list, 'utf8').split('\n').filter(Boolean);
for (const path of paths) {
  const content = readFileSync(join(dir, path), 'utf8');
  const r = await lintSource({
    source: { filePath: join(dir, path), content, contentType: 'text' },
    options: { config, maskSecrets: true }
  });
  messages += r.messages.length;
}
console.log(JSON.stringify({ files: paths.length, messages, profiler: secretLintProfiler.isEnabled ?? true }));
