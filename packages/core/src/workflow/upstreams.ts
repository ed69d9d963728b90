// A `workflow_run` workflow runs with the repository's token and secrets on the results of the workflows it
// names. It hands outside input to that token only when one of them can be started from outside (a fork's
// pull request, a comment); when every one is a workflow of the repository that only maintainers start
// (sunpy's CI after its "Scheduled build triggerer"), it is as trusted as they are.
import type { WorkflowDocument } from './model';

/** Events only people with write access start, with no input from outside. */
const MAINTAINER_EVENTS = new Set(['push', 'schedule', 'workflow_dispatch', 'release', 'create', 'delete']);

/**
 * Marks each `workflow_run` trigger of `docs` whose upstreams are known and started by maintainers only
 * (`upstreamTrusted`). `context`: the repository's other workflows, read for their names and triggers only.
 * GitHub matches a workflow by its `name:`, or by its path when it has none; a name no file has, or one
 * two files share with different triggers, is not trusted.
 */
export function markTrustedUpstreams(docs: WorkflowDocument[], context: WorkflowDocument[] = []): void {
  const byName = new Map<string, WorkflowDocument[]>();
  for (const d of [...docs, ...context]) {
    if (d.kind !== 'workflow') continue;
    const name = d.name?.value ?? d.path;
    byName.set(name, [...(byName.get(name) ?? []), d]);
  }
  const maintainersOnly = (d: WorkflowDocument) =>
    d.triggers.length > 0 && d.triggers.every((t) => MAINTAINER_EVENTS.has(t.event));
  for (const d of docs)
    for (const t of d.triggers) {
      if (t.event !== 'workflow_run') continue;
      const names = t.workflows.map((w) => w.value);
      t.upstreamTrusted =
        names.length > 0 &&
        names.every((n) => (byName.get(n) ?? []).length > 0 && byName.get(n)!.every(maintainersOnly));
    }
}
