// Which jobs of a workflow publish a release (to PyPI, npm or a GitHub release):
// pypa's action, a publish command, or any step handed a package index's
// upload credential; read from the model, shared by the publish/* audit and
// the cache audit.
import type { Job, Step, WorkflowDocument } from '../model';
import { actionName } from './common';

export const PUBLISH_ACTION = 'pypa/gh-action-pypi-publish';
export const PUBLISH_COMMAND =
  /\b(twine\s+upload|uv\s+publish|flit\s+publish|poetry\s+publish|gh\s+release\s+upload)\b/;

/** Env names that hold a package index's upload credential (twine, uv, flit, poetry). */
export const CREDENTIAL_ENV =
  /^(TWINE_PASSWORD|UV_PUBLISH_(TOKEN|PASSWORD)|FLIT_PASSWORD|POETRY_PYPI_TOKEN_\w+|POETRY_HTTP_BASIC_\w+_PASSWORD)$/i;
/**
 * Secrets whose name says they are an upload credential of a release index that offers Trusted Publishing:
 * PyPI (Twine, uv, flit) and npm. Anaconda.org's are not: it has no Trusted Publishing, and in these projects
 * its tokens upload nightly and dev builds on a schedule or every push by design (scientific-python's
 * nightly wheels), which the release rules would misread.
 */
export const INDEX_SECRET =
  /\bsecrets\.(\w*(?:PYPI|TWINE|NPM_TOKEN|NPM_AUTH_TOKEN|NPM_PUBLISH\w*|UV_PUBLISH\w*|FLIT_PASSWORD)\w*)/i;
/** A TestPyPI credential uploads a rehearsal, not a release. */
const TEST_INDEX = /TEST_?PYPI|PYPI_?TEST/i;

/**
 * The package-index credential one value hands over (`key: value` of a step's or job's `env:` or `with:`):
 * a credential env name set from a secret, `TWINE_USERNAME: __token__`, or a secret whose name
 * says it uploads to an index. A TestPyPI secret is not one. Tokens of other services (Codecov, a bot's
 * GitHub token) are not.
 */
export function indexCredential(key: string, value: string): string | undefined {
  const secret = INDEX_SECRET.exec(value)?.[1];
  if (secret && TEST_INDEX.test(secret)) return undefined;
  // A credential env name set from a secret (a literal or another env value is a test index's password).
  if (CREDENTIAL_ENV.test(key) && /\bsecrets\./.test(value)) return key;
  if (/^TWINE_USERNAME$/i.test(key) && value.trim() === '__token__') return 'TWINE_USERNAME: __token__';
  return secret ? `secrets.${secret}` : undefined;
}

type Values = { vars: Map<string, { value: string }> } | Map<string, { value: string }> | undefined;
const entries = (v: Values) => (v ? [...(v instanceof Map ? v : v.vars)] : []);

/** An npm token also installs private packages: a script given one publishes only if it says so. */
const NPM_ONLY = /^secrets\.\w*NPM/i;
const NPM_PUBLISHES = /\b(publish|release)\b/i;

/**
 * A step given a package-index credential in its `env:` or `with:`. A secret written into a script is not
 * counted: a script that uploads says so (`twine upload`, `PUBLISH_COMMAND`); one that only echoes or posts
 * the secret is exfiltration, the secrets rules' to report, not a release.
 */
export function stepCredential(step: Step): string | undefined {
  const run = step.run?.value;
  for (const [k, v] of [...entries(step.env), ...entries(step.with)]) {
    const what = indexCredential(k, v.value);
    if (what && !(run !== undefined && NPM_ONLY.test(what) && !NPM_PUBLISHES.test(run))) return what;
  }
  return undefined;
}

/**
 * A step publishes: pypa's action, a script calling twine/uv/flit/poetry publish or gh release upload, or
 * any step handed a package-index credential (a third-party release action given `PYPI_TOKEN` and
 * `NPM_TOKEN` publishes as surely as twine).
 */
export const stepPublishes = (s: Step): boolean =>
  actionName(s.uses) === PUBLISH_ACTION || (!!s.run && PUBLISH_COMMAND.test(s.run.value)) || !!stepCredential(s);

/**
 * The job's own `env:` (every step inherits it) or, for a call of another repository's reusable workflow, its
 * `secrets:` or `with:`, hand over an index credential. A call of the repository's own reusable workflow is
 * judged by that workflow's file (`publishingJobs`).
 */
const jobCredential = (job: Job): boolean =>
  job.uses?.kind !== 'local' &&
  [...entries(job.env), ...entries(job.secrets?.vars), ...(job.uses ? entries(job.with) : [])].some(([k, v]) => {
    const what = indexCredential(k, v.value);
    return (
      !!what && (job.uses || !NPM_ONLY.test(what) || job.steps.some((s) => NPM_PUBLISHES.test(s.run?.value ?? '')))
    );
  });

/** A step of the job publishes (`stepPublishes`), or the job is handed a package-index credential. */
export const jobPublishes = (job: Job): boolean => job.steps.some(stepPublishes) || jobCredential(job);

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
