// Which jobs of a workflow publish a release (to PyPI or a GitHub release),
// read from the model; shared by the publish/* audit and the cache audit.
import type { Job, WorkflowDocument } from '../model';
import { actionName } from './common';

export const PUBLISH_ACTION = 'pypa/gh-action-pypi-publish';
export const PUBLISH_COMMAND =
  /\b(twine\s+upload|uv\s+publish|flit\s+publish|poetry\s+publish|gh\s+release\s+upload)\b/;

/** A step of the job publishes: pypa's action, or a script calling twine/uv/flit/poetry publish or gh release upload. */
export const jobPublishes = (job: Job): boolean =>
  job.steps.some((s) => actionName(s.uses) === PUBLISH_ACTION || (s.run && PUBLISH_COMMAND.test(s.run.value)));

/** `./.github/workflows/x.yml` (a job's `uses:`) as the repository path `.github/workflows/x.yml`. */
export const localWorkflowPath = (uses: string): string | undefined =>
  /^\.\/\.github\/workflows\/[^/@]+\.ya?ml$/.test(uses) ? uses.slice(2) : undefined;

const PUBLISHERS = new WeakMap<readonly WorkflowDocument[], Set<string>>();

/** Reusable workflows among the documents that publish, by path, with those the caller already knows. */
export function publisherPaths(docs: readonly WorkflowDocument[], known: ReadonlySet<string> = new Set()): Set<string> {
  let found = PUBLISHERS.get(docs);
  if (!found) {
    found = new Set(
      docs
        .filter((d) => d.triggers.some((t) => t.event === 'workflow_call') && d.jobs.some(jobPublishes))
        .map((d) => d.path)
    );
    PUBLISHERS.set(docs, found);
  }
  return new Set([...known, ...found]);
}

/** Jobs that publish, or call a reusable workflow of the same repository that does. */
export function publishingJobs(doc: WorkflowDocument, publishers: ReadonlySet<string>): Job[] {
  return doc.jobs.filter((j) => {
    const callee = j.uses?.kind === 'local' ? localWorkflowPath(j.uses.raw) : undefined;
    return jobPublishes(j) || (!!callee && publishers.has(callee));
  });
}

/** Workflows among the documents with a job that publishes, or that calls a reusable workflow of the repository that does. */
export function publishingWorkflows(docs: readonly WorkflowDocument[], known?: ReadonlySet<string>): Set<string> {
  const publishers = publisherPaths(docs, known);
  return new Set(docs.filter((d) => d.kind === 'workflow' && publishingJobs(d, publishers).length).map((d) => d.path));
}

/** Jobs a job depends on, transitively. */
export function ancestors(job: Job, byId: Map<string, Job>, seen = new Set<string>()): Set<string> {
  for (const id of job.needs) {
    const dep = byId.get(id);
    if (!dep || seen.has(id)) continue;
    seen.add(id);
    ancestors(dep, byId, seen);
  }
  return seen;
}

/** The publishing jobs and every job they need: the jobs that build what is released. */
export function releaseJobIds(doc: WorkflowDocument, publishers: ReadonlySet<string> = new Set()): Set<string> {
  const byId = new Map(doc.jobs.map((j) => [j.id, j]));
  return new Set(publishingJobs(doc, publishers).flatMap((j) => [j.id, ...ancestors(j, byId)]));
}
