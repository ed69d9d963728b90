// The workflow audit in its two modes: whole files (scan, verify-deps,
// access-audit on another repository) and a diff (pr-anomaly-scan: what the
// head introduces). Newness is judged per finding subject, never by looking
// for text in the base: an attacker-controlled expression that newly reaches
// a `run:` is new even if the same text sat elsewhere in the base file.
import { createFinding, type Finding, type NotChecked } from '../findings';
import { oneLine } from '../errors';
import { type WorkflowDocument, usesOf } from './model';
import { FULL_SHA } from '../workflows';
import { parseWorkflowDocument, type WorkflowSource } from './parse';
import { actionName } from './audits/common';
import { WORKFLOW_AUDITS } from './registry';
import { UNPINNED_USES } from './rules/unpinned-uses';
import { Tracer } from './trace';
import { markTrustedUpstreams } from './upstreams';
import type { RawFinding, WorkflowAudit, WorkflowAuditOptions } from './types';

export interface WorkflowAuditResult {
  findings: Finding[];
  /** Files or audits that could not be checked, with the reason (a YAML error names file and line). */
  notChecked: NotChecked[];
  /** One line per file that could not be read: `path:line: invalid YAML: ...`. */
  errors: string[];
  /** The parsed files, for callers that read more from them. */
  documents: WorkflowDocument[];
}

const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

interface Run {
  documents: WorkflowDocument[];
  raw: { doc: WorkflowDocument; f: RawFinding }[];
  notChecked: NotChecked[];
  errors: string[];
}

function enabled(audit: WorkflowAudit, options: WorkflowAuditOptions, diff: boolean): boolean {
  if (audit.diffOnly && !diff) return false;
  return !options.disable?.includes(audit.id);
}

/** `context`: the repository's other workflows, read only to know who starts the workflows a `workflow_run` names. */
function runAudits(
  files: WorkflowSource[],
  options: WorkflowAuditOptions,
  diff: boolean,
  context: WorkflowDocument[] = []
): Run {
  const run: Run = { documents: [], raw: [], notChecked: [], errors: [] };
  for (const f of files) {
    const r = parseWorkflowDocument(f);
    if ('doc' in r) run.documents.push(r.doc);
    else {
      run.errors.push(r.error);
      run.notChecked.push({ check: 'workflow-audit', target: f.path, reason: r.error });
    }
  }
  return audit(run, options, diff, context);
}

function audit(run: Run, options: WorkflowAuditOptions, diff: boolean, context: WorkflowDocument[] = []): Run {
  markTrustedUpstreams(run.documents, context);
  const tracer = new Tracer({ docs: run.documents });
  for (const doc of run.documents) {
    for (const a of WORKFLOW_AUDITS) {
      if (!enabled(a, options, diff)) continue;
      try {
        for (const f of a.run({ doc, files: { docs: run.documents }, tracer, options }))
          if (!options.disable?.includes(f.rule.id)) run.raw.push({ doc, f });
      } catch (e) {
        run.notChecked.push({ check: a.id, target: doc.path, reason: `the audit failed: ${oneLine(e)}` });
      }
    }
  }
  return run;
}

function toFinding(doc: WorkflowDocument, f: RawFinding): Finding {
  return createFinding(f.rule, {
    severity: f.severity,
    confidence: f.confidence,
    message: f.via ? `${f.message} (Reached through the alias at line ${f.via.line}.)` : f.message,
    location: { file: doc.path, line: f.pos.line, column: f.pos.column },
    evidence: f.evidence === undefined ? undefined : short(f.evidence),
    key: `${f.subject}\0${f.site ?? ''}`,
    properties: f.via ? { ...f.properties, aliasLine: f.via.line } : f.properties
  });
}

const result = (run: Run): WorkflowAuditResult => ({
  findings: run.raw.map(({ doc, f }) => toFinding(doc, f)),
  notChecked: run.notChecked,
  errors: run.errors,
  documents: run.documents
});

/** Audits workflow files, reusable workflows and action metadata files; never throws. */
export function auditWorkflows(files: WorkflowSource[], options: WorkflowAuditOptions = {}): WorkflowAuditResult {
  return result(runAudits(files, options, false));
}

/** The same over files already parsed (parseWorkflowDocument), for callers that read the model themselves too. */
export function auditDocuments(documents: WorkflowDocument[], options: WorkflowAuditOptions = {}): WorkflowAuditResult {
  return result(audit({ documents, raw: [], notChecked: [], errors: [] }, options, false));
}

/**
 * What the head introduces: head findings whose subject the same file at the base has fewer of
 * (an occurrence at the same job or step is matched first). Pass every workflow and action file of
 * both sides when available (inputs are followed to their callers), or at least the changed ones;
 * a renamed file should be given at its head path on both sides.
 */
export function auditWorkflowDiff(
  baseFiles: WorkflowSource[],
  headFiles: WorkflowSource[],
  options: WorkflowAuditOptions = {},
  /** The base's other workflow and action files (those the change leaves alone): its conventions. */
  baseRest: WorkflowSource[] = []
): WorkflowAuditResult {
  const rest = runAudits(baseRest, onlyPins(options), true);
  const base = runAudits(baseFiles, options, true, rest.documents);
  const head = runAudits(headFiles, options, true, rest.documents);
  const conventions = pinConventions([...base.raw, ...rest.raw]);
  const shaPinned = new Set(
    base.documents.flatMap((doc) =>
      usesOf(doc)
        .filter((u) => u.ref && FULL_SHA.test(u.ref))
        .map((u) => `${doc.path}\0${actionName(u)}`)
    )
  );
  // Not when this file pinned the action by SHA at the base: the change unpins it.
  const follows = (doc: WorkflowDocument, f: RawFinding) =>
    shaPinned.has(`${doc.path}\0${f.properties?.action}`) ? undefined : conventionOf(f, conventions, options);
  const count = new Map<string, number>();
  const bump = (k: string, d: number) => count.set(k, (count.get(k) ?? 0) + d);
  const subjectKey = (path: string, f: RawFinding) => `${path}\0${f.rule.id}\0${f.same ?? f.subject}`;
  for (const { doc, f } of base.raw) {
    bump(subjectKey(doc.path, f), 1);
    bump(`${subjectKey(doc.path, f)}\0${f.site ?? ''}`, 1);
  }
  // Same subject at the same site first, so the occurrence that moved is not the one reported.
  const stays = head.raw.map(({ doc, f }) => {
    const k = `${subjectKey(doc.path, f)}\0${f.site ?? ''}`;
    if ((count.get(k) ?? 0) <= 0) return false;
    bump(k, -1);
    bump(subjectKey(doc.path, f), -1);
    return true;
  });
  const findings = head.raw.flatMap(({ doc, f }, i) => {
    if (stays[i]) return [];
    const k = subjectKey(doc.path, f);
    if ((count.get(k) ?? 0) > 0) {
      bump(k, -1);
      return [];
    }
    const convention = follows(doc, f);
    return [toFinding(doc, convention ? followsConvention(f, convention) : f)];
  });
  return { findings, notChecked: head.notChecked, errors: head.errors, documents: head.documents };
}

const PIN_RULE = UNPINNED_USES.rules.UNPINNED_USES;
const onlyPins = (options: WorkflowAuditOptions): WorkflowAuditOptions => ({
  ...options,
  disable: [...(options.disable ?? []), ...WORKFLOW_AUDITS.map((a) => a.id).filter((id) => id !== UNPINNED_USES.id)]
});

/** How far a pin is from naming fixed code: a tag can be moved, a short SHA or a branch by anyone who pushes, no ref is the default branch. */
const WEAKNESS: Record<string, number> = { tag: 1, 'short-sha': 2, branch: 2, none: 3 };
/** GitHub's own actions (its policy "allow actions created by GitHub" trusts them as one). */
const GITHUB_OWNERS = new Set(['actions', 'github']);

interface Conventions {
  /** By repository (`owner/repo`, any path in it): the weakest pin the base gives it. */
  repositories: Map<string, number>;
  /** By GitHub's own owners: the weakest pin the base gives any of their actions. */
  github: Map<string, number>;
}

/** How the base already pins the actions it pins by tag, branch or short SHA, in any of its files. */
function pinConventions(raw: { f: RawFinding }[]): Conventions {
  const out: Conventions = { repositories: new Map(), github: new Map() };
  const weakest = (m: Map<string, number>, k: string, w: number) => m.set(k, Math.max(m.get(k) ?? 0, w));
  for (const { f } of raw) {
    const pkg = f.properties?.package;
    const w = WEAKNESS[String(f.properties?.refKind)];
    if (f.rule.id !== PIN_RULE.id || typeof pkg !== 'string' || !w) continue;
    weakest(out.repositories, pkg, w);
    const owner = pkg.split('/')[0];
    if (GITHUB_OWNERS.has(owner)) weakest(out.github, owner, w);
  }
  return out;
}

type Convention = 'repository' | 'github' | 'own-organisation';

/**
 * Whether a new pin keeps a trust the project already gives, pinned no worse: a repository the base already
 * pins so (another action or path of it, one tag or another), GitHub's own actions when the base pins them
 * so, or an action of the repository's own organisation (its maintainers' code).
 */
function conventionOf(f: RawFinding, c: Conventions, options: WorkflowAuditOptions): Convention | undefined {
  const pkg = f.properties?.package;
  const w = WEAKNESS[String(f.properties?.refKind)];
  if (f.rule.id !== PIN_RULE.id || typeof pkg !== 'string' || !w) return undefined;
  const owner = pkg.split('/')[0];
  if ((c.repositories.get(pkg) ?? 0) >= w) return 'repository';
  if (GITHUB_OWNERS.has(owner) && (c.github.get(owner) ?? 0) >= w) return 'github';
  if (options.repository && owner === options.repository.split('/')[0].toLowerCase()) return 'own-organisation';
  return undefined;
}

const CONVENTION_WHY: Record<Convention, (owner: string) => string> = {
  repository: () =>
    'The base already pins this repository this way elsewhere, so this follows the project’s convention',
  github: (owner) =>
    `The base already pins GitHub’s own actions (\`${owner}/…\`) this way, so this follows the project’s convention`,
  'own-organisation': (owner) =>
    `\`${owner}\` is the repository’s own organisation, whose maintainers publish this action`
};

/**
 * A pin that follows the project's convention (conventionOf) does not make the repository's pinning worse or
 * trust anyone new, so it is a low note here (the whole-repository audit reports every such pin at its full
 * severity). A new action, or one this file pinned by SHA at the base, stays as it is.
 */
function followsConvention(f: RawFinding, convention: Convention): RawFinding {
  if (f.severity && f.severity !== PIN_RULE.severity) return f;
  const owner = String(f.properties?.package).split('/')[0];
  return {
    ...f,
    severity: 'low',
    message: `${f.message} ${CONVENTION_WHY[convention](owner)}; pin every use by SHA (\`sp-security scan\` lists them).`,
    properties: { ...f.properties, convention }
  };
}
