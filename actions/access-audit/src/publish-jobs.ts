// A workflow's jobs as the publish checks read them: which jobs publish (or
// call a local reusable workflow that does), their steps, triggers, `if:`
// guards, permissions and `needs`, each with the YAML node a finding points at.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { YamlFile } from '@security-actions/core';

export const PUBLISH_ACTION = /^pypa\/gh-action-pypi-publish$/i;
const PUBLISH_COMMAND = /\b(twine\s+upload|uv\s+publish|flit\s+publish|poetry\s+publish|gh\s+release\s+upload)\b/;

export const str = (n: unknown): string | undefined =>
  isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined;
export const mapGet = (m: unknown, key: string): Node | undefined =>
  isMap(m) ? ((m as YAMLMap).get(key, true) as Node | undefined) : undefined;
export const actionName = (uses: string) => uses.replace(/@.*$/, '');

interface Step {
  node: YAMLMap;
  uses?: string;
  usesNode?: Node;
  run?: string;
  runNode?: Node;
}

export interface Job {
  id: string;
  keyNode: Node;
  node: YAMLMap;
  steps: Step[];
  /** A step publishes. */
  publishes: boolean;
  /** The job calls a reusable workflow of the same repository that publishes. */
  callsPublisher: boolean;
}

/** `./.github/workflows/x.yml` (a job's `uses:`) as the repository path `.github/workflows/x.yml`. */
const localWorkflowPath = (uses: string): string | undefined =>
  /^\.\/\.github\/workflows\/[^/@]+\.ya?ml$/.test(uses) ? uses.slice(2) : undefined;

export function readJobs(y: YamlFile, publishers: ReadonlySet<string>): Job[] {
  const jobs = mapGet(y.doc.contents, 'jobs');
  if (!isMap(jobs)) return [];
  const out: Job[] = [];
  for (const pair of jobs.items) {
    if (!isMap(pair.value)) continue;
    const node = pair.value;
    const stepsNode = node.get('steps', true);
    const steps: Step[] = (isSeq(stepsNode) ? stepsNode.items : []).filter(isMap).map((s) => {
      const usesNode = s.get('uses', true) as Node | undefined;
      const runNode = s.get('run', true) as Node | undefined;
      return { node: s, usesNode, runNode, uses: str(usesNode), run: str(runNode) };
    });
    const publishes = steps.some(
      (s) => (s.uses && PUBLISH_ACTION.test(actionName(s.uses))) || (s.run && PUBLISH_COMMAND.test(s.run))
    );
    const callee = localWorkflowPath(str(node.get('uses', true)) ?? '');
    out.push({
      id: String(str(pair.key) ?? pair.key),
      keyNode: pair.key as Node,
      node,
      steps,
      publishes,
      callsPublisher: !!callee && publishers.has(callee)
    });
  }
  return out;
}

/** Events that start the workflow, each with the node that names it. */
export function triggers(y: YamlFile): { event: string; node: Node }[] {
  const on = mapGet(y.doc.contents, 'on');
  if (isScalar(on)) return [{ event: String(on.value), node: on }];
  if (isSeq(on)) return on.items.flatMap((n) => (isScalar(n) ? [{ event: String(n.value), node: n as Node }] : []));
  if (isMap(on))
    return on.items.flatMap((p) => (isScalar(p.key) ? [{ event: String(p.key.value), node: p.key as Node }] : []));
  return [];
}

/** The events a job's `if:` lets through, when it names them as `github.event_name == '…'` joined by `&&` only. */
export function eventsAllowedByIf(job: Job): Set<string> | undefined {
  const cond = str(job.node.get('if', true));
  if (!cond || /\|\||!=/.test(cond)) return undefined;
  const named = [...cond.matchAll(/github\.event_name\s*==\s*['"](\w+)['"]/g)].map((m) => m[1]);
  return named.length ? new Set(named) : undefined;
}

/** `permissions:` grants id-token: write (directly or through write-all). */
export function grantsIdToken(node: unknown): Node | undefined {
  const perms = mapGet(node, 'permissions');
  if (isScalar(perms)) return perms.value === 'write-all' ? perms : undefined;
  const idToken = mapGet(perms, 'id-token');
  return str(idToken) === 'write' ? idToken : undefined;
}

/** Jobs a job depends on, transitively. */
export function ancestors(job: Job, byId: Map<string, Job>, seen = new Set<string>()): Set<string> {
  const needs = job.node.get('needs', true);
  const ids = isSeq(needs) ? needs.items.map(str) : [str(needs)];
  for (const id of ids) {
    const dep = id !== undefined ? byId.get(id) : undefined;
    if (!dep || seen.has(id!)) continue;
    seen.add(id!);
    ancestors(dep, byId, seen);
  }
  return seen;
}

/** Scalars anywhere under a node, with the key (and key node) when they are a map value. */
export function* scalars(node: unknown): Generator<{ key?: string; keyNode?: Node; node: Node; value: string }> {
  if (isMap(node)) {
    for (const p of node.items) {
      if (isScalar(p.value) && p.value.value !== null && p.value.value !== undefined) {
        yield { key: str(p.key), keyNode: p.key as Node, node: p.value, value: String(p.value.value) };
      } else yield* scalars(p.value);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      if (isScalar(item) && item.value !== null && item.value !== undefined)
        yield { node: item, value: String(item.value) };
      else yield* scalars(item);
    }
  }
}
