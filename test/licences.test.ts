// Every committed bundle names the npm packages it carries, with their licences (scripts/package.mjs writes
// licenses.txt from webpack's module list: ncc's own list left out every package webpack concatenated).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..');
const bundles = [...readdirSync(join(root, 'actions')).map((a) => `actions/${a}/dist`), 'packages/cli/dist'];

/** Package name → licence, from ncc's format: a name line, a licence line, the licence text, a blank line. */
function listed(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = readFileSync(join(root, dir, 'licenses.txt'), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++)
    if ((i === 0 || lines[i - 1] === '') && /^(@[\w.-]+\/)?[\w.-]+$/.test(lines[i]) && lines[i + 1])
      out.set(lines[i], lines[i + 1]);
  return out;
}

describe('licenses.txt', () => {
  it.each(bundles)('%s lists the packages its entry concatenates, each with a licence', (dir) => {
    const names = listed(dir);
    // Every bundle carries @actions/core (the runner side) and yaml (the config reader), both in the entry.
    expect(names.get('@actions/core')).toBe('MIT');
    expect(names.get('yaml')).toBe('ISC');
    for (const [name, licence] of names) expect([name, licence]).toEqual([name, expect.stringMatching(/^[\w.() -]+$/)]);
    expect([...names.keys()].some((n) => n.startsWith('@security-actions/'))).toBe(false);
  });
});
