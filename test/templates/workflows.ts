// Shared reading of the templates and the suite's own workflows for the
// template tests: every file, its parsed YAML, and every `uses:` with its
// trailing comment (from the core's parser, the one the actions use).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { UsesRef } from '../../packages/core/src/index';
import { parseWorkflowDocument, usesOf } from '@security-actions/core/workflow';
import { REPO_ROOT } from '../harness/run-action';

export const OWN_PREFIX = 'scientific-python/security-actions/actions/';

export interface WorkflowFile {
  /** Path relative to the repository root. */
  file: string;
  text: string;
  /** Plain parse (for structure checks). */
  doc: any;
  uses: UsesRef[];
  template: boolean;
}

function documentOf(path: string, text: string) {
  const r = parseWorkflowDocument({ path, text });
  if ('error' in r) throw new Error(r.error);
  return r.doc;
}

export function readWorkflows(root = REPO_ROOT): WorkflowFile[] {
  const out: WorkflowFile[] = [];
  for (const dir of ['workflows-templates', '.github/workflows']) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()) {
      const file = `${dir}/${f}`;
      const text = readFileSync(join(root, file), 'utf8');
      out.push({
        file,
        text,
        doc: parseYaml(text),
        uses: usesOf(documentOf(file, text)),
        template: dir === 'workflows-templates'
      });
    }
  }
  return out;
}

export type Perms = Record<string, 'read' | 'write'>;

/** A `permissions:` value as a map; `{}` and absent both give {} (check presence separately). */
export function permsOf(value: unknown): Perms {
  if (value && typeof value === 'object') return value as Perms;
  return {};
}

export interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  name?: string;
  if?: string;
}

export const jobsOf = (w: WorkflowFile): [string, any][] => Object.entries(w.doc.jobs ?? {});
export const stepsOf = (job: any): Step[] => job.steps ?? [];
/** `owner/repo[/path]` of a `uses:` value without the ref. */
export const actionName = (uses: string) => uses.replace(/@.*$/, '');
