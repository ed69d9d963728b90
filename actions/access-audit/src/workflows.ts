// The default branch's workflow files, fetched with the repository (no request
// of their own) and read once into the core's workflow model for every check
// that reads them.
import { parseWorkflowDocument } from '@security-actions/core/workflow';
import type { GraphQLError, RepoData, Skip, Workflow } from './types';

/** The not-checked name of the publish/* rules as a group: a workflow file that cannot be read leaves them unchecked. */
export const PUBLISH_CHECK = 'repo/publish-workflow';

/**
 * Undefined when the token cannot read contents. A file that cannot be read
 * or parsed is listed as not checked, naming file and line.
 */
export function readWorkflows(
  repo: RepoData,
  failed: (field: string) => GraphQLError | undefined,
  skip: Skip
): Workflow[] | undefined {
  const name = repo.name;
  const err = failed('workflows');
  if (err) {
    skip(PUBLISH_CHECK, `not checked: needs contents: read (${err.message})`, name);
    return undefined;
  }
  const out: Workflow[] = [];
  for (const entry of repo.workflows?.entries ?? []) {
    if (entry.type !== 'blob' || !/\.ya?ml$/.test(entry.name)) continue;
    const file = `.github/workflows/${entry.name}`;
    const blob = entry.object;
    if (!blob || typeof blob.text !== 'string' || blob.isBinary || blob.isTruncated) {
      skip(
        PUBLISH_CHECK,
        `not checked for ${file}: GitHub returned no text${blob?.isTruncated ? ' (truncated)' : blob?.isBinary ? ' (binary)' : ''}`,
        name
      );
      continue;
    }
    const r = parseWorkflowDocument({ path: file, text: blob.text, kind: 'workflow' });
    if ('doc' in r) out.push({ file, doc: r.doc });
    else {
      skip(PUBLISH_CHECK, `not checked: ${r.error}`, name);
      out.push({ file, error: r.error });
    }
  }
  return out;
}
