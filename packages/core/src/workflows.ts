// What a `uses:` reference is, what a job's runner labels say, and which
// files of a checkout are workflows and action metadata. The workflow model
// (workflow/) reads the files; `usesOf` gives its references in this form.
import { type Skipped, findFiles, readRegularFile } from './files';

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

/**
 * Workflow files (`.github/workflows/*.yml|yaml`) and action metadata files
 * (`action.yml|yaml` anywhere but vendored folders), as paths relative to root;
 * `skipped`, those of their names that are not regular files of the checkout.
 */
export async function discoverWorkflowFiles(
  root: string
): Promise<{ workflows: string[]; actions: string[]; skipped: Skipped[] }> {
  const skipped: Skipped[] = [];
  const isWorkflow = (p: string) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p);
  const isAction = (p: string) => /(^|\/)action\.ya?ml$/.test(p);
  const all = await findFiles(root, (p) => isWorkflow(p) || isAction(p), skipped);
  return { workflows: all.filter(isWorkflow), actions: all.filter(isAction), skipped };
}

/** The text of each file (paths relative to root, regular files only); one line per file that cannot be read. */
export async function readTextFiles(
  root: string,
  paths: string[]
): Promise<{ files: { path: string; text: string }[]; errors: string[] }> {
  const errors: string[] = [];
  const read = async (path: string) => {
    try {
      return [{ path, text: await readRegularFile(path, { root }) }];
    } catch (e) {
      errors.push((e as Error).message);
      return [];
    }
  };
  return { files: (await Promise.all(paths.map(read))).flat(), errors };
}
