// Every action.yml and workflow file in the repository parses with GitHub's own
// parser (@actions/workflow-parser), declares node24, and the inputs it
// declares are exactly the inputs its code reads.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { REPO_ROOT } from './harness/run-action';

const ACTIONS = readdirSync(join(REPO_ROOT, 'actions'));
const COMMON_INPUTS = ['fail-on', 'sarif-file', 'report-file', 'config'];
const COMMON_OUTPUTS = ['findings-count', 'highest-severity', 'sarif-file', 'report-file'];

function sources(dir: string): string {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

/** Inputs read through the core's Inputs reader: inputs.string('x'), .boolean('x', ...), ... */
function inputsRead(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/\binputs\.(?:string|optional|boolean|choice|integer|list|lines|url)\(\s*'([a-z-]+)'/g))
    names.add(m[1]);
  return names;
}

/** Outputs set through `outputs: { 'name': ... }` or setOutput('name'). */
function outputsSet(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/outputs:\s*\{([^}]*)\}/g))
    for (const k of m[1].matchAll(/'([a-z-]+)'\s*:/g)) names.add(k[1]);
  return names;
}

function workflowFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['.github/workflows', 'workflows-templates']) {
    const abs = join(REPO_ROOT, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs)) if (/\.ya?ml$/.test(f)) out.push(`${dir}/${f}`);
  }
  return out;
}

describe.each(ACTIONS)('actions/%s/action.yml', (name) => {
  const file = `actions/${name}/action.yml`;
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const meta = parseYaml(text);

  it('parses with GitHub’s action parser without errors', () => {
    const result = parseAction({ name: file, content: text }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    expect(result.value).toBeDefined();
  });

  it('runs on node24 from a committed bundle', () => {
    expect(meta.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(join(REPO_ROOT, 'actions', name, 'dist', 'index.js'))).toBe(true);
  });

  it('documents every input and output, and has branding', () => {
    expect(meta.name && meta.description && meta.branding?.icon && meta.branding?.color).toBeTruthy();
    for (const [k, v] of Object.entries<any>(meta.inputs ?? {}))
      expect([k, typeof v.description]).toEqual([k, 'string']);
    for (const [k, v] of Object.entries<any>(meta.outputs ?? {}))
      expect([k, typeof v.description]).toEqual([k, 'string']);
  });

  it('declares exactly the inputs its code reads, and the common inputs and outputs', () => {
    const declared = new Set(Object.keys(meta.inputs ?? {}));
    const read = inputsRead(sources(join(REPO_ROOT, 'actions', name, 'src')));
    for (const c of COMMON_INPUTS) read.add(c); // read by the core's adapter
    expect([...declared].sort()).toEqual([...read].sort());
    for (const o of COMMON_OUTPUTS) expect(Object.keys(meta.outputs ?? {})).toContain(o);
  });

  it('is documented in docs/<name>.md, every input and output included', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', `${name}.md`), 'utf8');
    for (const k of [...Object.keys(meta.inputs ?? {}), ...Object.keys(meta.outputs ?? {})])
      expect([k, doc.includes(`\`${k}\``)]).toEqual([k, true]);
  });

  it('declares every output its code sets', () => {
    const declared = Object.keys(meta.outputs ?? {});
    for (const o of outputsSet(sources(join(REPO_ROOT, 'actions', name, 'src')))) expect(declared).toContain(o);
  });
});

describe('workflow files', () => {
  const files = workflowFiles();
  it.each(files.length ? files : ['(none yet)'])('%s parses with GitHub’s workflow parser', (file) => {
    if (file === '(none yet)') return;
    const content = readFileSync(join(REPO_ROOT, file), 'utf8');
    const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  });
});
