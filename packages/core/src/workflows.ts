// Reads GitHub workflow and action metadata files with source positions, so
// every action that reasons about `uses:` references (verify-deps, the PR
// scan, the access audit) sees the same parse and reports the same lines.
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { type Skipped, findFiles, readRegularFile } from './files';
import { type YamlFile, parseYamlFile } from './yaml';

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

function scalarUses(y: YamlFile, pair: Pair, where: string): UsesRef | undefined {
  const value = pair.value as Node | null;
  if (!isScalar(value) || typeof value.value !== 'string') return undefined;
  const raw = value.value.trim();
  const { line, column } = y.pos(value);
  const comment = value.comment?.trim().replace(/^#\s*/, '') || undefined;
  return { file: y.file, line, column, raw, comment, where, ...parseUsesValue(raw) };
}

function usesIn(y: YamlFile, map: unknown, where: string, out: UsesRef[]): void {
  if (!isMap(map)) return;
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.value === 'uses') {
      const u = scalarUses(y, pair, where);
      if (u) out.push(u);
    }
  }
}

/**
 * Every `uses:` in a workflow (job-level reusable workflows and steps) or in
 * an action's metadata (composite `runs.steps`).
 */
export function findUses(y: YamlFile): UsesRef[] {
  const out: UsesRef[] = [];
  const root = y.doc.contents;
  if (!isMap(root)) return out;
  const jobs = root.get('jobs', true);
  if (isMap(jobs)) {
    for (const job of jobs.items) {
      const id = String(isScalar(job.key) ? job.key.value : job.key);
      usesIn(y, job.value, `jobs.${id}`, out);
      const steps = isMap(job.value) ? job.value.get('steps', true) : undefined;
      if (isSeq(steps)) steps.items.forEach((s, i) => usesIn(y, s, `jobs.${id}.steps[${i}]`, out));
    }
  }
  const runs = root.get('runs', true);
  const steps = isMap(runs) ? runs.get('steps', true) : undefined;
  if (isSeq(steps)) steps.items.forEach((s, i) => usesIn(y, s, `runs.steps[${i}]`, out));
  return out;
}

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

/** Each job's `runs-on` labels (a string, a list, or `{ group, labels }`) with the node that names them. */
export function jobRunners(y: YamlFile): { job: string; labels: string[]; node: Node }[] {
  const out: { job: string; labels: string[]; node: Node }[] = [];
  const jobs = isMap(y.doc.contents) ? y.doc.contents.get('jobs', true) : undefined;
  if (!isMap(jobs)) return out;
  for (const job of jobs.items) {
    const node = isMap(job.value) ? (job.value.get('runs-on', true) as Node | undefined) : undefined;
    if (!node) continue;
    const labels: string[] = [];
    const collect = (n: unknown): void => {
      if (isScalar(n) && n.value !== null && n.value !== undefined) labels.push(String(n.value));
      else if (isSeq(n)) n.items.forEach(collect);
      else if (isMap(n)) {
        const group = n.get('group', true);
        if (isScalar(group)) labels.push(`group:${String(group.value)}`);
        collect(n.get('labels', true));
      }
    };
    collect(node);
    out.push({ job: String(isScalar(job.key) ? job.key.value : job.key), labels, node });
  }
  return out;
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

/** A workflow or action file of the checkout, parsed; a one-line error naming it when it is not a regular file. */
export async function readYamlFile(root: string, file: string): Promise<YamlFile> {
  return parseYamlFile(await readRegularFile(file, { root }), file);
}
