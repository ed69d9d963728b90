// The Python dependency formats: requirements, pyproject.toml, uv.lock, poetry.lock, pylock.toml, environment.yml.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { parsePythonFile } from '@security-actions/core';
import { REPO_ROOT } from '../../harness/run-action';
import { type Property, RAW, expectOneLineNaming, mutatedText } from '../harness';
import { YAML_SPECIALS } from './workflow';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'verify-deps', 'python');
const FILES = ['requirements.txt', 'pyproject.toml', 'uv.lock', 'poetry.lock', 'pylock.toml', 'environment.yml'];
const SEEDS = Object.fromEntries(FILES.map((f) => [f, readFileSync(join(DIR, f), 'utf8')]));

const SPECIALS = [
  ...YAML_SPECIALS,
  '[[package]]\n',
  '[[packages]]\n',
  '[project]\n',
  '[tool.poetry.dependencies]\n',
  'name = ',
  'version = ',
  'hashes = [',
  'sha256 = "',
  'url = "',
  '= "',
  '"""',
  "'''",
  '\\\n',
  ' \\\n',
  '-r ',
  '-c ',
  '--hash=sha256:',
  '--hash=md5:zz',
  '--extra-index-url ',
  '-e ',
  '@ ',
  ' @ git+https://h/r@',
  '==',
  '>=',
  '~=',
  '===',
  ';',
  ' ; python_version < "3.8"',
  '[extra]',
  'pip:\n',
  '- pip:\n    - ',
  'dependencies:\n',
  '::',
  '#egg=',
  '#sha256='
];

export const pythonFiles: Property<{ file: string; text: string }> = {
  name: 'python-files',
  arb: fc.constantFrom(...FILES).chain((file) =>
    fc.record({
      file: fc.constant(file),
      text: fc.oneof(
        { weight: 5, arbitrary: mutatedText([SEEDS[file]], SPECIALS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }
      )
    })
  ),
  check({ file, text }) {
    let manifest;
    try {
      manifest = parsePythonFile(text, file);
    } catch (e) {
      expectOneLineNaming((e as Error).message, file, text);
      return;
    }
    const lines = text.split('\n').length;
    for (const d of manifest.dependencies) {
      expect(typeof d.name).toBe('string');
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.line).toBeLessThanOrEqual(lines + 1);
      expect(JSON.stringify(d)).not.toMatch(RAW);
    }
  }
};
