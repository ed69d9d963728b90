// Static checks of a repository's publishing workflows (SPEC 8): which jobs
// publish, what starts them, where they run and with which credentials. Pure
// over the file's text, so the audit and the template tests see the same
// answer for the same file.
import { isMap, type Node } from 'yaml';
import {
  FULL_SHA,
  type FindingInput,
  type Rule,
  type YamlFile,
  defineRules,
  findUses,
  oneLine,
  parseYamlFile,
  rulesOf
} from '@security-actions/core';
import {
  PUBLISH_ACTION,
  actionName,
  ancestors,
  eventsAllowedByIf,
  grantsIdToken,
  mapGet,
  readJobs,
  scalars,
  str,
  triggers
} from '../publish-jobs';
import type { RepoCheck, Workflow } from '../types';

export const RULES = defineRules({
  publishTrigger: {
    id: 'publish/trigger',
    title: 'Publishing workflow starts on an event nobody chose to release on',
    severity: 'high',
    why: "A push, a schedule, another workflow's run or a pull_request_target event can publish a release without the release team deciding to; one pushed commit (or a fork's pull request) becomes a release.",
    remediation:
      "Start the publishing workflow on `release: types: [published]` or `workflow_dispatch` only; keep other triggers in a separate workflow, or guard the publish job with `if: github.event_name == 'release'`.",
    spec: ['S8-2']
  },
  publishNoEnvironment: {
    id: 'publish/no-environment',
    title: 'Publish job does not run in an environment',
    severity: 'high',
    why: 'Without an environment no required reviewer approves the upload and no deployment-branch policy limits where it runs; a PyPI Trusted Publisher bound to an environment cannot be required either.',
    remediation:
      'Add `environment: pypi` (with required reviewers and a tag or branch policy) to the publish job, and name that environment in the PyPI Trusted Publisher.',
    spec: ['S8-8']
  },
  publishPassword: {
    id: 'publish/password',
    title: 'Publish job uses a password or long-lived token',
    severity: 'high',
    why: 'A PyPI token in a secret can be read by any step of any workflow that is given it and publishes from anywhere until revoked; Trusted Publishing needs no stored credential.',
    remediation:
      'Configure a PyPI Trusted Publisher for this workflow and environment, remove `password:` / `TWINE_PASSWORD` / the token secret from the workflow, give the publish job `id-token: write`, then delete the secret and revoke the token on PyPI.',
    spec: ['S6-10', 'S8-13']
  },
  publishIdTokenScope: {
    id: 'publish/id-token-scope',
    title: '`id-token: write` granted beyond the publish job',
    severity: 'medium',
    why: 'An OIDC token is what PyPI Trusted Publishing trusts; a job that builds or tests with `id-token: write` can mint one and publish from code that was never meant to.',
    remediation:
      'Keep `permissions: contents: read` at the workflow level and grant `id-token: write` only on the publish job (and on a job that only signs or attests).',
    spec: ['S8-13']
  },
  publishUnpinned: {
    id: 'publish/unpinned-action',
    title: 'Action in a publishing workflow is not pinned to a commit SHA',
    severity: 'medium',
    why: 'A tag or branch can be moved to new code; in the publishing workflow that code runs next to the release artifacts and the OIDC token.',
    remediation:
      'Pin to the full 40-character commit SHA with the version as a comment (`uses: owner/action@<sha> # v1.2.3`), and let Dependabot update it.',
    spec: ['S8-9']
  },
  publishCache: {
    id: 'publish/cache-in-release',
    title: 'Release job restores a cache',
    severity: 'medium',
    why: 'Caches are shared with other workflows of the repository, including ones that run pull request code; a poisoned cache ends up in the released files.',
    remediation:
      'Remove `actions/cache` and the `cache:` option of setup actions from the jobs that build and publish the release; build from a clean environment.',
    spec: ['S8-15']
  },
  publishNoPrintHash: {
    id: 'publish/no-print-hash',
    title: 'Publish step does not print the hashes of what it uploads',
    severity: 'low',
    why: 'Without the hashes in the log nobody can check afterwards that the files on PyPI are the ones the workflow built.',
    remediation: 'Add `print-hash: true` under `with:` of pypa/gh-action-pypi-publish.',
    spec: ['S8-14']
  }
});

export interface PublishIssue {
  rule: Rule;
  input: FindingInput;
}

export interface PublishResult {
  issues: PublishIssue[];
  /** Jobs that publish; empty when the file publishes nothing (and then has no issues). */
  publishJobs: string[];
  /** One line naming file and line when the file could not be parsed. */
  error?: string;
}

// `release` and `workflow_dispatch` are a person's decision; these are not.
const UNINTENDED_TRIGGERS = ['push', 'pull_request_target', 'workflow_run', 'schedule'];
// Jobs that need an OIDC token for something other than PyPI: keyless signing and attestations.
const OIDC_SIGNERS =
  /^(actions\/attest(-build-provenance|-sbom)?|sigstore\/gh-action-sigstore-python|scientific-python\/security-actions\/actions\/sign-release|\.\/actions\/sign-release)$/i;
const CREDENTIAL_ENV =
  /^(TWINE_PASSWORD|UV_PUBLISH_(TOKEN|PASSWORD)|FLIT_PASSWORD|POETRY_PYPI_TOKEN_\w+|POETRY_HTTP_BASIC_\w+_PASSWORD)$/i;
const CREDENTIAL_SECRET = /\bsecrets\.(\w*(PYPI|TWINE)\w*)/i;
const CACHING_SETUP = /^actions\/setup-(python|node|go|java|dotnet)$/i;

/** Whether a job of the workflow publishes, or calls a reusable workflow of the same repository in `publishers`. */
export function publishes(y: YamlFile, publishers: ReadonlySet<string> = new Set()): boolean {
  return readJobs(y, publishers).some((j) => j.publishes || j.callsPublisher);
}

/**
 * Findings for one workflow file: nothing unless a job publishes (pypa's
 * action, or a run step calling twine/uv/flit/poetry publish or gh release
 * upload) or calls a reusable workflow of the same repository that does
 * (`publishers`: such workflows' paths; then this file's triggers decide when
 * the release happens). Malformed YAML gives `error` and no findings.
 */
export function publishWorkflowFindings(
  file: string,
  source: string | YamlFile,
  publishers: ReadonlySet<string> = new Set()
): PublishResult {
  let y: YamlFile;
  try {
    y = typeof source === 'string' ? parseYamlFile(source, file) : source;
  } catch (e) {
    return { issues: [], publishJobs: [], error: oneLine(e) };
  }
  const jobs = readJobs(y, publishers);
  const publishing = jobs.filter((j) => j.publishes || j.callsPublisher);
  if (!publishing.length) return { issues: [], publishJobs: [] };
  const issues: PublishIssue[] = [];
  const at = (node: Node | null | undefined) => ({ file, line: y.pos(node).line });
  const issue = (rule: Rule, node: Node | null | undefined, message: string, key: string, evidence?: string) =>
    issues.push({
      rule,
      input: {
        message: `${file}:${y.pos(node).line}: ${message}`,
        location: at(node),
        key: `${file}\0${key}`,
        evidence,
        properties: { file }
      }
    });
  const names = publishing.map((j) => j.id).join(', ');

  // S8-2: an unintended event that reaches a publish job.
  for (const { event, node } of triggers(y)) {
    if (!UNINTENDED_TRIGGERS.includes(event)) continue;
    const reached = publishing.filter((j) => {
      const allowed = eventsAllowedByIf(j);
      return !allowed || allowed.has(event);
    });
    if (reached.length) {
      issue(
        RULES.publishTrigger,
        node,
        `\`${event}\` starts the workflow that publishes (job ${reached.map((j) => j.id).join(', ')}).`,
        `trigger:${event}`,
        event
      );
    }
  }

  const byId = new Map(jobs.map((j) => [j.id, j]));
  const releaseJobs = new Set(publishing.flatMap((j) => [j.id, ...ancestors(j, byId)]));
  for (const job of publishing) {
    // S8-8: the publish job runs in an environment (whose reviewers and branch policy guard it).
    // A job that calls a reusable workflow cannot have one: the called workflow's job is checked in its own file.
    if (job.publishes && !job.node.has('environment'))
      issue(
        RULES.publishNoEnvironment,
        job.keyNode,
        `publish job ${job.id} has no \`environment:\`.`,
        `environment:${job.id}`
      );

    // S6-10 / S8-13: credentials instead of Trusted Publishing.
    for (const step of job.steps) {
      if (step.uses && PUBLISH_ACTION.test(actionName(step.uses))) {
        const withNode = step.node.get('with', true);
        const password = isMap(withNode) ? withNode.items.find((p) => str(p.key) === 'password') : undefined;
        if (password)
          issue(
            RULES.publishPassword,
            password.key as Node,
            `publish job ${job.id} passes \`password:\` to pypa/gh-action-pypi-publish.`,
            `password:${job.id}:with.password`,
            'password'
          );
        const printHash = isMap(withNode) ? withNode.get('print-hash', true) : undefined;
        if (!printHash || !['true', 'yes'].includes(String(str(printHash)).toLowerCase())) {
          issue(
            RULES.publishNoPrintHash,
            step.usesNode,
            `pypa/gh-action-pypi-publish in job ${job.id} does not set \`print-hash: true\`.`,
            `print-hash:${job.id}`
          );
        }
      }
    }
    const seen = new Set<string>();
    // The job's own values and the workflow-level env it inherits.
    for (const s of [...scalars(job.node), ...scalars(mapGet(y.doc.contents, 'env'))]) {
      const secret = CREDENTIAL_SECRET.exec(s.value)?.[1];
      const envName = s.key && CREDENTIAL_ENV.test(s.key) ? s.key : undefined;
      const what = envName ?? (secret ? `secrets.${secret}` : undefined);
      if (!what || seen.has(what) || s.key === 'password') continue;
      seen.add(what);
      issue(
        RULES.publishPassword,
        s.keyNode ?? s.node,
        `publish job ${job.id} uses a long-lived credential (${what}).`,
        `password:${job.id}:${what}`,
        what
      );
    }
  }

  // S8-13: an OIDC token only where it is needed: the publish job, or a signing job.
  const wfToken = grantsIdToken(y.doc.contents);
  if (wfToken)
    issue(
      RULES.publishIdTokenScope,
      wfToken,
      `the workflow grants \`id-token: write\` to every job (publish job: ${names}).`,
      'id-token:workflow'
    );
  for (const job of jobs) {
    const token = job.publishes || job.callsPublisher ? undefined : grantsIdToken(job.node);
    if (!token || job.steps.some((s) => s.uses && OIDC_SIGNERS.test(actionName(s.uses)))) continue;
    issue(
      RULES.publishIdTokenScope,
      token,
      `job ${job.id} does not publish or sign but gets \`id-token: write\`.`,
      `id-token:${job.id}`
    );
  }

  // S8-9: every action of a publishing workflow pinned to a commit.
  for (const u of findUses(y)) {
    const pinned =
      u.kind === 'local' || (u.kind === 'docker' ? !!u.ref?.startsWith('sha256:') : FULL_SHA.test(u.ref ?? ''));
    if (!pinned)
      issues.push({
        rule: RULES.publishUnpinned,
        input: {
          message: `${file}:${u.line}: \`${u.raw}\` is not pinned to a full commit SHA.`,
          location: { file, line: u.line, column: u.column },
          key: `${file}\0unpinned:${u.where}:${u.raw}`,
          evidence: u.raw,
          properties: { file }
        }
      });
  }

  // S8-15: no cache in the jobs that build and publish the release (a poisoned cache ships).
  for (const id of releaseJobs) {
    for (const step of byId.get(id)!.steps) {
      if (!step.uses) continue;
      const action = actionName(step.uses);
      const withNode = step.node.get('with', true);
      const cacheOpt = CACHING_SETUP.test(action)
        ? mapGet(withNode, 'cache')
        : /^astral-sh\/setup-uv$/i.test(action)
          ? mapGet(withNode, 'enable-cache')
          : undefined;
      const caches =
        /^actions\/cache(\/|$)/i.test(action) ||
        (cacheOpt !== undefined && !['', 'false'].includes(String(str(cacheOpt) ?? '').toLowerCase()));
      if (caches)
        issue(
          RULES.publishCache,
          step.usesNode,
          `release job ${id} restores a cache (${action}${cacheOpt ? ` with ${str(cacheOpt)}` : ''}).`,
          `cache:${id}:${action}`,
          action
        );
    }
  }
  return { issues, publishJobs: publishing.map((j) => j.id) };
}

/**
 * The publish/* rules over a repository's workflow files. A workflow that
 * calls a local reusable workflow which publishes is itself a publishing
 * workflow (its triggers start the release), so the set of publishing files
 * is grown until it is stable (GitHub nests reusable workflows at most four
 * levels deep).
 */
export const publishing: RepoCheck = {
  id: 'publish',
  scope: 'repo',
  rules: rulesOf(RULES),
  run({ name, workflows, add }) {
    const parsed = (workflows() ?? []).filter((w): w is Workflow & { y: YamlFile } => !!w.y);
    const publishers = new Set<string>();
    for (let depth = 0; depth <= 4; depth++) {
      const before = publishers.size;
      for (const w of parsed) if (publishes(w.y, publishers)) publishers.add(w.file);
      if (publishers.size === before) break;
    }
    for (const w of parsed.filter((x) => publishers.has(x.file))) {
      for (const { rule, input } of publishWorkflowFindings(w.file, w.y, publishers).issues)
        add(rule, name, { ...input, message: `${name}: ${input.message}` });
    }
  }
};
