// Publishing workflows (SPEC 8): which jobs publish, what starts them, where
// they run and with which credentials. Nothing is reported for a workflow
// that publishes nothing. Same ids and semantics as access-audit's publish/*
// rules; `publish/unpinned-action` became `workflow/unpinned-uses`.
import type { Job, Permissions, Pos, WorkflowDocument } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { actionName } from './common';
import {
  CREDENTIAL_ENV,
  INDEX_SECRET,
  PUBLISH_ACTION,
  PUBLISH_COMMAND,
  ancestors,
  jobPublishes,
  publisherPaths,
  publishingJobs,
  releaseJobIds,
  stepCredential,
  stepPublishes
} from './publish-model';
import { PUBLISH } from '../rules/publish';

const RULES = PUBLISH.rules;

// `release` and `workflow_dispatch` are a person's decision; these are not.
const UNINTENDED_TRIGGERS = ['push', 'pull_request_target', 'workflow_run', 'schedule'];
// Jobs that need an OIDC token for something other than PyPI: keyless signing and attestations.
const OIDC_SIGNERS =
  /^(actions\/attest(-build-provenance|-sbom)?|sigstore\/gh-action-sigstore-python|scientific-python\/security-actions\/actions\/sign-release)$/i;
/** Services that take the job's OIDC token in place of a stored secret: coverage upload, cloud logins. */
const OIDC_CLIENTS =
  /^(codecov\/codecov-action|aws-actions\/configure-aws-credentials|google-github-actions\/auth|azure\/login)$/;

/** The job signs, attests or logs in to a service with OIDC, or asks an action (or a reusable workflow) to by an input. */
const needsOidc = (job: Job): boolean =>
  job.steps.some(
    (s) =>
      OIDC_SIGNERS.test(actionName(s.uses)) ||
      (OIDC_CLIENTS.test(actionName(s.uses)) &&
        (actionName(s.uses) !== 'codecov/codecov-action' || s.with.get('use_oidc')?.value === 'true')) ||
      [...s.with].some(([k, v]) => /attest|oidc|provenance/i.test(k) && v.value.trim() !== 'false')
  ) ||
  (!!job.uses && [...job.with.values()].some((v) => /\boidc\b/i.test(v.value)));

const CACHING_SETUP = /^actions\/setup-(python|node|go|java|dotnet)$/;

/** The events a job's `if:` lets through, when it names them as `github.event_name == '…'` joined by `&&` only. */
function eventsAllowedByIf(job: Job): Set<string> | undefined {
  const cond = job.if?.value;
  if (!cond || /\|\||!=/.test(cond)) return undefined;
  const named = [...cond.matchAll(/github\.event_name\s*==\s*['"](\w+)['"]/g)].map((m) => m[1]);
  return named.length ? new Set(named) : undefined;
}

const TAG_GUARD = /startsWith\(\s*github\.(event\.)?ref\s*,\s*'refs\/tags\/|github\.ref_type\s*==\s*'tag'/;
/** An `if:` that requires a tag ref, with nothing `||`-ed to it. */
const requiresTag = (cond?: string) => !!cond && TAG_GUARD.test(cond) && !/\|\|/.test(cond);

/** The job, or every publishing step of it, runs only for tag refs. */
function tagGuarded(job: Job): boolean {
  if (requiresTag(job.if?.value)) return true;
  const steps = job.steps.filter(stepPublishes);
  return steps.length > 0 && steps.every((s) => requiresTag(s.if?.value));
}

/** Every publish step of the job uploads to TestPyPI: a rehearsal, not a release. */
const testPyPIOnly = (job: Job): boolean => {
  const steps = job.steps.filter((s) => actionName(s.uses) === PUBLISH_ACTION);
  return (
    steps.length > 0 &&
    !job.steps.some(
      (s) =>
        (s.run && PUBLISH_COMMAND.test(s.run.value)) || (actionName(s.uses) !== PUBLISH_ACTION && stepCredential(s))
    ) &&
    steps.every((s) =>
      /test\.pypi\.org/.test((s.with.get('repository-url') ?? s.with.get('repository_url'))?.value ?? '')
    )
  );
};

/** Steps that bring a job files built elsewhere: another job's or run's artifacts, a release's assets. */
const DOWNLOAD_ACTION =
  /^(actions\/download-artifact|dawidd6\/action-download-artifact|robinraju\/release-downloader)$/i;
const DOWNLOAD_COMMAND = /\bgh\s+(run|release)\s+download\b/;
/** Steps that verify an attestation or signature (GitHub's, Sigstore's, PEP 740's, SLSA's). */
const VERIFY_ACTION = /^(slsa-framework\/slsa-verifier|scientific-python\/security-actions\/actions\/sign-release)$/i;
const VERIFY_COMMAND =
  /\bgh\s+attestation\s+verify\b|\bsigstore\s+verify\b|\bpypi-attestations\s+verify\b|\bcosign\s+verify(-blob)?(-attestation)?\b|\bslsa-verifier\s+verify/;

const verifies = (step: Job['steps'][number]): boolean =>
  VERIFY_ACTION.test(actionName(step.uses)) || VERIFY_COMMAND.test(step.run?.value ?? '');

/**
 * The first publishing step of a job that publishes files it downloaded, when nothing verified them (S8-12): no
 * step between the download and the upload, and no job it needs (sign-release's job verifies what it signs, and
 * the publish job starts only if that passed). A job that builds what it uploads has nothing built elsewhere to
 * verify.
 */
function unverifiedUpload(job: Job, byId: Map<string, Job>): Pos | undefined {
  if ([...ancestors(job, byId)].some((id) => byId.get(id)!.steps.some(verifies))) return undefined;
  let downloaded = false;
  let verified = false;
  for (const step of job.steps) {
    const action = actionName(step.uses);
    const run = step.run?.value ?? '';
    if (stepPublishes(step)) return downloaded && !verified ? (step.uses?.text.pos ?? step.run!.pos) : undefined;
    if (DOWNLOAD_ACTION.test(action) || DOWNLOAD_COMMAND.test(run)) downloaded = true;
    if (verifies(step)) verified = true;
  }
  return undefined;
}

/** Why a job that runs no known publisher publishes: the package-index credential one of its steps is given. */
function givenOnly(job: Job): string {
  if (job.steps.some((s) => actionName(s.uses) === PUBLISH_ACTION || (s.run && PUBLISH_COMMAND.test(s.run.value))))
    return '';
  for (const s of job.steps) {
    const what = stepCredential(s);
    if (what) return ` (${s.name ? `step \`${s.name.value}\`` : `step ${s.index + 1}`} is given ${what})`;
  }
  return '';
}

/** `permissions:` grants id-token: write (directly or through write-all). */
function grantsIdToken(p: Permissions | undefined): Pos | undefined {
  if (p?.all?.value === 'write-all') return p.all.pos;
  const t = p?.scopes.get('id-token');
  return t?.value === 'write' ? t.pos : undefined;
}

/** Indexes that accept Trusted Publishing: a password for any other is the only way to upload. */
const TRUSTED_PUBLISHING_INDEXES = /^https:\/\/(upload|test)\.pypi\.org\/legacy\/?$/;

/**
 * The long-lived credentials a publishing job uses: `password:` of pypa's action (for an index that
 * supports Trusted Publishing), credential env names, and PyPI/Twine/npm secrets (`INDEX_SECRET`) in the
 * job's values or the workflow-level env it inherits.
 */
export function publishCredentials(
  doc: WorkflowDocument,
  job: Job
): { pos: Pos; key: string; message: string; evidence: string }[] {
  const out: { pos: Pos; key: string; message: string; evidence: string }[] = [];
  for (const step of job.steps) {
    if (actionName(step.uses) !== PUBLISH_ACTION) continue;
    const password = step.with.get('password');
    const index = (step.with.get('repository-url') ?? step.with.get('repository_url'))?.value.trim();
    if (password && (!index || TRUSTED_PUBLISHING_INDEXES.test(index)))
      out.push({
        pos: password.pos,
        key: 'with.password',
        message: 'passes `password:` to pypa/gh-action-pypi-publish',
        evidence: 'password'
      });
  }
  const seen = new Set<string>();
  const values = doc.texts.filter(
    (t) => (t.path.startsWith(`jobs.${job.id}.`) || t.path.startsWith('env.')) && !/\.with\.password$/.test(t.path)
  );
  for (const { path, text } of values) {
    const key = path.slice(path.lastIndexOf('.') + 1);
    const secret = INDEX_SECRET.exec(text.value)?.[1];
    const what = CREDENTIAL_ENV.test(key) ? key : secret ? `secrets.${secret}` : undefined;
    if (!what || seen.has(what)) continue;
    seen.add(what);
    out.push({ pos: text.pos, key: what, message: `uses a long-lived credential (${what})`, evidence: what });
  }
  return out;
}

function run({ doc, files, options }: AuditContext): RawFinding[] {
  if (doc.kind !== 'workflow') return [];
  const publishers = publisherPaths(files.docs, options.publishers);
  const publishing = publishingJobs(doc, publishers);
  if (!publishing.length) return [];
  const out: RawFinding[] = [];
  const issue = (
    rule: (typeof RULES)[keyof typeof RULES],
    pos: Pos,
    message: string,
    subject: string,
    evidence?: string
  ) => out.push({ rule, pos, message, subject, evidence });

  // S8-2: an unintended event that reaches a publish job. Pushing a tag is a decision to release:
  // a push filtered to tags, or a job (or its publishing steps) guarded to tag refs, is intended.
  // A call of another repository's reusable workflow given a PyPI token publishes when that workflow decides
  // (OpenAstronomy's upload only for tags): its trigger is not this file's to judge, its token is.
  const releases = publishing.filter((j) => !testPyPIOnly(j) && !(j.uses && j.uses.kind !== 'local'));
  for (const t of doc.triggers) {
    if (!UNINTENDED_TRIGGERS.includes(t.event)) continue;
    if (t.event === 'push' && t.tags.length && !t.branches.length) continue;
    const reached = releases.filter(
      (j) => (eventsAllowedByIf(j)?.has(t.event) ?? true) && !(t.event === 'push' && tagGuarded(j))
    );
    if (reached.length)
      issue(
        RULES.publishTrigger,
        t.pos,
        `\`${t.event}\` starts the workflow that publishes (job ${reached.map((j) => j.id).join(', ')}).`,
        `trigger:${t.event}`,
        t.event
      );
  }

  const byId = new Map(doc.jobs.map((j) => [j.id, j]));
  for (const job of publishing) {
    const direct = !job.uses && jobPublishes(job);
    // S8-8: a job that calls a reusable workflow cannot have an environment; the called workflow's job is checked in its file.
    if (direct && !job.environment)
      issue(
        RULES.publishNoEnvironment,
        job.pos,
        `publish job ${job.id}${givenOnly(job)} has no \`environment:\`.`,
        `environment:${job.id}`
      );
    for (const step of job.steps) {
      if (actionName(step.uses) !== PUBLISH_ACTION) continue;
      const printHash = step.with.get('print-hash')?.value.toLowerCase();
      if (printHash !== 'true' && printHash !== 'yes')
        issue(
          RULES.publishNoPrintHash,
          step.uses!.text.pos,
          `pypa/gh-action-pypi-publish in job ${job.id} does not set \`print-hash: true\`.`,
          `print-hash:${job.id}`
        );
    }
    // S8-12: files built elsewhere are verified before they are uploaded (a TestPyPI rehearsal is not a release).
    const upload = testPyPIOnly(job) ? undefined : unverifiedUpload(job, byId);
    if (upload)
      issue(
        RULES.publishUnverified,
        upload,
        `publish job ${job.id} uploads files it downloaded without verifying their attestations first.`,
        `unverified:${job.id}`
      );
    // S6-10 / S8-13: credentials in the job's values or the workflow-level env it inherits.
    for (const c of publishCredentials(doc, job))
      issue(
        RULES.publishPassword,
        c.pos,
        `publish job ${job.id} ${c.message}.`,
        `password:${job.id}:${c.key}`,
        c.evidence
      );
  }

  // S8-13: an OIDC token only where it is needed: the publish job, or a signing job.
  const wfToken = grantsIdToken(doc.permissions);
  if (wfToken)
    issue(
      RULES.publishIdTokenScope,
      wfToken,
      `the workflow grants \`id-token: write\` to every job (publish job: ${publishing.map((j) => j.id).join(', ')}).`,
      'id-token:workflow'
    );
  for (const job of doc.jobs) {
    const token = publishing.includes(job) ? undefined : grantsIdToken(job.permissions);
    if (!token || needsOidc(job)) continue;
    issue(
      RULES.publishIdTokenScope,
      token,
      `job ${job.id} does not publish or sign but gets \`id-token: write\`.`,
      `id-token:${job.id}`
    );
  }

  // S8-15: no cache in the jobs that build and publish the release (a poisoned cache ships).
  for (const id of releaseJobIds(doc, publishers)) {
    for (const step of doc.jobs.find((j) => j.id === id)!.steps) {
      const action = actionName(step.uses);
      if (!action) continue;
      const opt = CACHING_SETUP.test(action)
        ? step.with.get('cache')
        : action === 'astral-sh/setup-uv'
          ? step.with.get('enable-cache')
          : undefined;
      const caches =
        /^actions\/cache(\/|$)/.test(action) || (!!opt && !['', 'false'].includes(opt.value.toLowerCase()));
      if (caches)
        issue(
          RULES.publishCache,
          step.uses!.text.pos,
          `release job ${id} restores a cache (${action}${opt ? ` with ${opt.value}` : ''}).`,
          `cache:${id}:${action}`,
          action
        );
    }
  }
  return out;
}

export const publish: WorkflowAudit = { ...PUBLISH, run };
