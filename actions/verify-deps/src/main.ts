// verify-deps adapter: read inputs, collect the files, call the engine.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type ActionDefinition, type ActionRuntime, UserError, actionsRuntime, discoverWorkflowFiles, runAction } from '@security-actions/core';
import { CHECKS, type Check, type SourceFile, verifyDeps } from './engine';

export async function collectFiles(root: string): Promise<SourceFile[]> {
  const { workflows, actions } = await discoverWorkflowFiles(root);
  return Promise.all([...workflows, ...actions].map(async (path) => ({ path, text: await readFile(resolve(root, path), 'utf8') })));
}

export function parseChecks(list: string[]): Set<Check> {
  if (!list.length || list.includes('all')) return new Set(CHECKS);
  for (const c of list) {
    if (!(CHECKS as readonly string[]).includes(c)) throw new UserError(`Input 'checks' must list ${CHECKS.join(', ')} or all; got '${c}'.`);
  }
  return new Set(list as Check[]);
}

export const definition: ActionDefinition = {
  name: 'verify-deps',
  async run(ctx) {
    const { inputs } = ctx;
    const root = resolve(ctx.workspace, inputs.string('path', { default: '.' }));
    const checks = parseChecks(inputs.list('checks'));
    inputs.choice('provenance', ['require', 'warn', 'off'] as const, 'warn');
    const offline = inputs.boolean('offline', false);
    inputs.lines('files');
    inputs.string('policy');
    inputs.string('diff-base');
    inputs.string('token');
    inputs.string('trusted-root');
    inputs.url('osv-url', 'https://api.osv.dev');
    inputs.url('pypi-url', 'https://pypi.org');
    const result = verifyDeps(await collectFiles(root), { checks, offline });
    return { ...result, target: root, outputs: { 'dependencies-count': String(result.count) } };
  }
};

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
