// Static checks of a repository's publishing workflows (SPEC 8): which jobs
// publish, what starts them, where they run and with which credentials. Pure
// over the file's text, so the audit, the template tests and the PR scan see
// the same answer for the same file.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import {
  FULL_SHA,
  type FindingInput,
  type Rule,
  type YamlFile,
  findUses,
  oneLine,
  parseYamlFile
} from '@security-actions/core';
import { RULES } from './rules';

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

const PUBLISH_ACTION = /^pypa\/gh-action-pypi-publish$/i;
const PUBLISH_COMMAND = /\b(twine\s+upload|uv\s+publish|flit\s+publish|poetry\s+publish|gh\s+release\s+upload)\b/;
// `release` and `workflow_dispatch` are a person's decision; these are not.
const UNINTENDED_TRIGGERS = ['push', 'pull_request_target', 'workflow_run', 'schedule'];
// Jobs that need an OIDC token for something other than PyPI: keyless signing and attestations.
const OIDC_SIGNERS =
  /^(actions\/attest(-build-provenance|-sbom)?|sigstore\/gh-action-sigstore-python|scientific-python\/security-actions\/actions\/sign-release|\.\/actions\/sign-release)$/i;
const CREDENTIAL_ENV =
  /^(TWINE_PASSWORD|UV_PUBLISH_(TOKEN|PASSWORD)|FLIT_PASSWORD|POETRY_PYPI_TOKEN_\w+|POETRY_HTTP_BASIC_\w+_PASSWORD)$/i;
const CREDENTIAL_SECRET = /\bsecrets\.(\w*(PYPI|TWINE)\w*)/i;
const CACHING_SETUP = /^actions\/setup-(python|node|go|java|dotnet)$/i;

const str = (n: unknown): string | undefined =>
  isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined;
const mapGet = (m: unknown, key: string): Node | undefined =>
  isMap(m) ? ((m as YAMLMap).get(key, true) as Node | undefined) : undefined;
const actionName = (uses: string) => uses.replace(/@.*$/, '');

interface Step {
  node: YAMLMap;
  uses?: string;
  usesNode?: Node;
  run?: string;
  runNode?: Node;
}

interface Job {
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

function readJobs(y: YamlFile, publishers: ReadonlySet<string>): Job[] {
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
function triggers(y: YamlFile): { event: string; node: Node }[] {
  const on = mapGet(y.doc.contents, 'on');
  if (isScalar(on)) return [{ event: String(on.value), node: on }];
  if (isSeq(on)) return on.items.flatMap((n) => (isScalar(n) ? [{ event: String(n.value), node: n as Node }] : []));
  if (isMap(on))
    return on.items.flatMap((p) => (isScalar(p.key) ? [{ event: String(p.key.value), node: p.key as Node }] : []));
  return [];
}

/** The events a job's `if:` lets through, when it names them as `github.event_name == '…'` joined by `&&` only. */
function eventsAllowedByIf(job: Job): Set<string> | undefined {
  const cond = str(job.node.get('if', true));
  if (!cond || /\|\||!=/.test(cond)) return undefined;
  const named = [...cond.matchAll(/github\.event_name\s*==\s*['"](\w+)['"]/g)].map((m) => m[1]);
  return named.length ? new Set(named) : undefined;
}

/** `permissions:` grants id-token: write (directly or through write-all). */
function grantsIdToken(node: unknown): Node | undefined {
  const perms = mapGet(node, 'permissions');
  if (isScalar(perms)) return perms.value === 'write-all' ? perms : undefined;
  const idToken = mapGet(perms, 'id-token');
  return str(idToken) === 'write' ? idToken : undefined;
}

/** Jobs a job depends on, transitively. */
function ancestors(job: Job, byId: Map<string, Job>, seen = new Set<string>()): Set<string> {
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
function* scalars(node: unknown): Generator<{ key?: string; keyNode?: Node; node: Node; value: string }> {
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
