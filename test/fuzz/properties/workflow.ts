// Workflow YAML: the core's YAML reader and workflow model, and the workflow audit over them.
import { join } from 'node:path';
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { parseYamlFile } from '@security-actions/core';
import { auditWorkflows } from '@security-actions/core/workflow';
import { REPO_ROOT } from '../../harness/run-action';
import { type Property, RAW, expectOneLineNaming, mutatedText, seedFiles } from '../harness';

export const YAML_SPECIALS = [
  '*a',
  '&a ',
  '<<: *a\n',
  '<<: [*a, *b]\n',
  '!!binary ',
  '!!merge ',
  '!tag ',
  '{',
  '}',
  '[',
  ']',
  '? ',
  '|\n',
  '>-\n',
  '- ',
  ': ',
  '${{ ',
  ' }}',
  '${{ github.head_ref }}',
  '\t',
  '"',
  "'",
  '#',
  '%YAML 1.2\n---\n',
  '---\n',
  '...\n',
  '\u202e',
  '\ufeff',
  '\r\n',
  'on: ',
  'jobs:\n',
  'uses: ',
  'run: ',
  'steps:\n  - ',
  'runs-on: ',
  'with:\n',
  'permissions: ',
  'null',
  '~',
  '0x1F',
  '1e400',
  '.nan'
];

const WORKFLOWS = seedFiles(join(REPO_ROOT, 'test', 'workflow-audit'), (n) => /\.ya?ml$/.test(n));
const PATHS = ['.github/workflows/ci.yml', 'action.yml', 'tools/setup/action.yaml'];

export const workflowYaml: Property<{ path: string; text: string }> = {
  name: 'workflow-yaml',
  arb: fc.record({
    path: fc.constantFrom(...PATHS),
    text: fc.oneof(
      { weight: 5, arbitrary: mutatedText(WORKFLOWS, YAML_SPECIALS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }
    )
  }),
  check({ path, text }) {
    try {
      parseYamlFile(text, path);
    } catch (e) {
      expectOneLineNaming((e as Error).message, path, text);
    }
    const r = auditWorkflows([{ path, text }]);
    for (const e of r.errors) expectOneLineNaming(e, path, text);
    // A file is either read (a document) or reported (an error): never silently nothing.
    expect(r.documents.length + r.errors.length).toBe(1);
    if (r.errors.length) expect(r.notChecked.length).toBeGreaterThan(0);
    for (const n of r.notChecked) expect(n.reason).not.toMatch(RAW);
    const lines = text.split('\n').length;
    for (const f of r.findings) {
      expect(f.location?.file).toBe(path);
      expect(f.location?.line ?? 1).toBeLessThanOrEqual(lines + 1);
      expect(f.message).not.toMatch(RAW);
    }
  }
};
