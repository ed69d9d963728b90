// What a `uses:` reference is, what a job's runner labels say, and which
// files of a checkout are workflows and action metadata. The workflow model
// (workflow/) reads the files; `usesOf` gives its references in this form.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

export type UsesKind = 'action' | 'reusable-workflow' | 'docker' | 'local';

export interface UsesRef {
  file: string;
  line: number;
  column: number;
  /** The value as written, e.g. `actions/checkout@<sha>`. */
  raw: string;
  kind: UsesKind;
  owner?: string;
  repo?: string;
  /** Sub-path inside the repo (`github/codeql-action/init` → `init`). */
  path?: string;
  ref?: string;
  /** Trailing comment on the same line without `#`, e.g. `v4.2.2`. */
  comment?: string;
  /** Where it sits: `jobs.<id>` or `jobs.<id>.steps[<n>]` or `runs.steps[<n>]`. */
  where: string;
}

/** Splits a `uses:` value into its parts. */
export function parseUsesValue(raw: string): Pick<UsesRef, 'kind' | 'owner' | 'repo' | 'path' | 'ref'> {
  if (raw.startsWith('./') || raw.startsWith('../')) return { kind: 'local', path: raw };
  if (raw.startsWith('docker://')) {
    const at = raw.indexOf('@sha256:');
    return {
      kind: 'docker',
      path: at < 0 ? raw.slice(9) : raw.slice(9, at),
      ref: at < 0 ? undefined : raw.slice(at + 1)
    };
  }
  const at = raw.lastIndexOf('@');
  const name = at < 0 ? raw : raw.slice(0, at);
  const ref = at < 0 ? undefined : raw.slice(at + 1);
  const [owner, repo, ...rest] = name.split('/');
  const path = rest.join('/') || undefined;
  const kind = /\.ya?ml$/.test(name) && rest.length >= 2 ? 'reusable-workflow' : 'action';
  return { kind, owner, repo, path, ref };
}

export const FULL_SHA = /^[0-9a-f]{40}$/;

export type RunnerKind = 'self-hosted' | 'github-hosted' | 'custom' | 'expression';

/**
 * What a job's `runs-on` labels say about its runner: the `self-hosted`
 * label; GitHub's standard images; an expression (a matrix) that cannot be
 * told statically; or only custom labels and groups, which name either a
 * self-hosted runner or a GitHub-hosted larger runner.
 */
export function classifyRunsOn(labels: string[]): RunnerKind {
  if (labels.some((l) => l.trim().toLowerCase() === 'self-hosted')) return 'self-hosted';
  if (labels.some((l) => /^(ubuntu|windows|macos)(-|$)/i.test(l.trim()))) return 'github-hosted';
  if (!labels.length || labels.some((l) => l.includes('${{'))) return 'expression';
  return 'custom';
}

/** Folders that hold installed, generated or vendored files, never the project's own. */
const SKIP_DIRS = new Set([
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '__pycache__',
  'site-packages',
  'dist',
  'build'
]);

/**
 * Files below `root` (at most 8 levels deep, vendored and generated folders
 * skipped) whose repository-relative path `accept` takes, sorted.
 */
export async function findFiles(root: string, accept: (path: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walk(p, depth + 1);
      else if (e.isFile()) {
        const rel = relative(root, p).split('\\').join('/');
        if (accept(rel)) out.push(rel);
      }
    }
  };
  await walk(root, 0);
  return out.sort();
}

/**
 * Workflow files (`.github/workflows/*.yml|yaml`) and action metadata files
 * (`action.yml|yaml` anywhere but vendored folders), as paths relative to root.
 */
export async function discoverWorkflowFiles(root: string): Promise<{ workflows: string[]; actions: string[] }> {
  const workflows: string[] = [];
  for (const name of await readdir(join(root, '.github', 'workflows')).catch(() => [] as string[])) {
    if (/\.ya?ml$/.test(name)) workflows.push(`.github/workflows/${name}`);
  }
  const actions = await findFiles(root, (p) => /(^|\/)action\.ya?ml$/.test(p));
  return { workflows: workflows.sort(), actions };
}

/** The text of each file (paths relative to root); one line per file that cannot be read. */
export async function readTextFiles(
  root: string,
  paths: string[]
): Promise<{ files: { path: string; text: string }[]; errors: string[] }> {
  const errors: string[] = [];
  const read = async (path: string) => {
    try {
      return [{ path, text: await readFile(resolve(root, path), 'utf8') }];
    } catch (e) {
      errors.push(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return [];
    }
  };
  return { files: (await Promise.all(paths.map(read))).flat(), errors };
}
