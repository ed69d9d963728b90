// verify-deps engine: a pure function over the files it is given and the
// services injected into it (GitHub, OSV, PyPI, a Sigstore verifier). Every
// check that cannot run says so as "not checked"; none reads as passed.
import {
  type EngineResult,
  type Finding,
  type NotChecked,
  type PythonDependency,
  type PythonManifest,
  type PyPIClient,
  type UsesRef,
  FULL_SHA,
  createFinding,
  oneLine
} from '@security-actions/core';
import {
  type WorkflowAuditResult,
  type WorkflowAuditOptions,
  auditWorkflowDiff,
  auditWorkflows,
  disableAllBut,
  parseWorkflowDocument,
  usesOf
} from '@security-actions/core/workflow';
import { type ActionsApi, type SourceFile, checkActionsOnline } from './actions';
import { type OsvClient, type OsvTarget, advisorySeverity, lookupVulnerabilities } from './osv';
import type { Policy, ProvenanceMode } from './policy';
import type { ProvenanceChecker } from './provenance';
import {
  checkNoLock,
  checkPinning,
  condaNotCovered,
  publishingWorkflows,
  readPythonFiles,
  unfollowedIncludes
} from './python';
import { type Pin, checkPyPI, depLocation } from './releases';
import { ACTION_FORM, COMPROMISED_ACTION, REGISTRY, RULES } from './rules';
import { checkTyposquats, confirmTyposquats } from './typosquats';

export type { SourceFile } from './actions';
export const CHECKS = ['pinning', 'vulnerabilities', 'provenance', 'typosquats', 'actions'] as const;
export type Check = (typeof CHECKS)[number];

export interface VerifyInput {
  python: SourceFile[];
  actions: SourceFile[];
  /** PR mode: the same files at the base commit; only what the change introduces is checked and reported. */
  base?: { python: SourceFile[]; actions: SourceFile[] };
}

export interface VerifyOptions {
  checks: ReadonlySet<Check>;
  offline: boolean;
  provenance: ProvenanceMode;
  policy: Policy;
  /** Current time, for the cooldown (the shared runner checks ignore expiry). */
  now: Date;
  /** Descend into pinned composite actions. */
  nested?: boolean;
  concurrency?: number;
  /** The repository checked (`owner/name`): in PR mode its own organisation's actions keep its trust. */
  repository?: string;
}

export interface Services {
  github?: ActionsApi;
  /** Why there is no GitHub client (no token), for the not-checked reason. */
  githubMissing?: string;
  osv?: OsvClient;
  pypi?: PyPIClient;
  /** Builds the provenance checker (Sigstore trust material); called at most once per run. */
  verifier?: () => Promise<ProvenanceChecker>;
}

export interface VerifyResult extends EngineResult {
  count: number;
}

const depKey = (d: PythonDependency) =>
  `${d.name}@${d.version ?? d.specifier}|${d.vcs?.commit ?? d.vcs?.ref ?? ''}|${d.url ?? d.path ?? ''}`;

function offlineFindings(manifests: PythonManifest[], opts: VerifyOptions, workflows: SourceFile[]): Finding[] {
  const out: Finding[] = [];
  if (opts.checks.has('pinning')) {
    const publishing = publishingWorkflows(workflows);
    for (const m of manifests) out.push(...checkPinning(m, publishing));
    out.push(...checkNoLock(manifests));
  }
  if (opts.checks.has('typosquats')) out.push(...checkTyposquats(manifests, opts.policy, opts.now));
  return out;
}

/**
 * The form of every action reference and image, and known-compromised actions (offline, on every
 * path): the workflow audit's rules, with the policy's tags; in PR mode only what the change adds.
 */
function actionForm(input: VerifyInput, opts: VerifyOptions): WorkflowAuditResult {
  const options: WorkflowAuditOptions = {
    allowTags: opts.policy.allowTags,
    repository: opts.repository,
    disable: disableAllBut(ACTION_FORM.list().map((r) => r.id))
  };
  const r = input.base
    ? auditWorkflowDiff(input.base.actions, input.actions, options)
    : auditWorkflows(input.actions, options);
  if (!opts.checks.has('actions')) return { ...r, findings: [] };
  // A file that does not parse is an error; an audit that failed on a file is not checked.
  return { ...r, notChecked: r.notChecked.filter((n) => !r.errors.includes(n.reason)) };
}

export async function verifyDeps(
  input: VerifyInput,
  opts: VerifyOptions,
  services: Services = {}
): Promise<VerifyResult> {
  const py = readPythonFiles(input.python);
  const act = actionForm(input, opts);
  const errors = act.errors;
  const present = new Set(input.python.map((f) => f.path));
  const notChecked: NotChecked[] = [...act.notChecked, ...py.notChecked, ...unfollowedIncludes(py.manifests, present)];
  const notes: string[] = [...py.notes];
  let findings = offlineFindings(py.manifests, opts, input.actions);
  let manifests = py.manifests;
  let refs: UsesRef[] = act.documents.flatMap(usesOf);

  if (input.base) {
    // PR mode: findings that already exist at the base are not the PR's; online checks only look at what changed.
    const basePy = readPythonFiles(input.base.python);
    const baseFingerprints = new Set(
      offlineFindings(basePy.manifests, opts, input.base.actions).map((f) => f.fingerprint)
    );
    findings = findings.filter((f) => !baseFingerprints.has(f.fingerprint));
    const baseDeps = new Set(basePy.manifests.flatMap((m) => m.dependencies.map(depKey)));
    const baseUses = new Set(
      input.base.actions
        .flatMap((f) => {
          const r = parseWorkflowDocument(f);
          return 'doc' in r ? usesOf(r.doc) : [];
        })
        .map((u) => `${u.raw}#${u.comment ?? ''}`)
    );
    manifests = manifests.map((m) => ({ ...m, dependencies: m.dependencies.filter((d) => !baseDeps.has(depKey(d))) }));
    refs = refs.filter((u) => !baseUses.has(`${u.raw}#${u.comment ?? ''}`));
    notes.push(
      `PR mode: ${manifests.reduce((n, m) => n + m.dependencies.length, 0)} Python dependencies and ${refs.filter((u) => u.kind !== 'local').length} action references are new or changed since the base; only those were checked online.`
    );
  }
  findings.push(...act.findings);
  notes.push(...condaNotCovered(manifests));
  if (opts.checks.has('typosquats')) {
    const t = await confirmTyposquats(findings, opts.offline ? undefined : services.pypi, opts.now, opts.offline);
    findings = t.findings;
    notChecked.push(...t.notChecked);
    notes.push(...t.notes);
  }

  const pins = collectPins(manifests);
  const actionRefs = refs.filter((u) => u.kind !== 'local');
  const network = (check: string, what: string) =>
    notChecked.push({ check, reason: `offline: ${what} needs the network` });

  // GitHub: pinned actions (impostor, comment, nested). Known-compromised ones are the audit's, on every path.
  let actionVersions = new Map<string, string[]>();
  if (opts.checks.has('actions')) {
    if (opts.offline) {
      if (actionRefs.some((u) => u.ref && FULL_SHA.test(u.ref)))
        network('actions', 'resolving version comments, impostor commits and nested actions through the GitHub API');
    } else if (!services.github) {
      if (actionRefs.length)
        notChecked.push({
          check: 'actions',
          reason:
            services.githubMissing ??
            'no GitHub token: version comments, impostor commits and nested actions not checked'
        });
    } else {
      const r = await checkActionsOnline(actionRefs, services.github, { nested: opts.nested ?? true });
      findings.push(...r.findings);
      notChecked.push(...r.notChecked);
      actionVersions = r.versions;
    }
  }

  // OSV: PyPI pins and GitHub Actions, one batch.
  let advisories = 0;
  let trustBuilds = 0;
  if (opts.checks.has('vulnerabilities')) {
    const targets: OsvTarget[] = pins.map((p) => ({ ecosystem: 'PyPI' as const, name: p.name, versions: [p.version] }));
    const actionTargets = actionTargetsOf(
      actionRefs,
      actionVersions,
      opts.checks.has('actions') && !opts.offline && !!services.github
    );
    targets.push(...actionTargets.map((t) => t.target));
    if (!targets.length) {
      // nothing to look up
    } else if (opts.offline) network('vulnerabilities', 'the OSV lookup');
    else if (!services.osv) notChecked.push({ check: 'vulnerabilities', reason: 'no OSV client' });
    else {
      try {
        const r = await lookupVulnerabilities(services.osv, targets, opts.concurrency ?? 16);
        advisories = r.advisories;
        for (const p of r.problems)
          notChecked.push({
            check: p.target.ecosystem === 'PyPI' ? RULES.PY_VULNERABLE.id : RULES.VULNERABLE_ACTION.id,
            target: `${p.target.name}${p.target.versions.length ? `@${p.target.versions.join(',')}` : ''}`,
            reason: p.reason
          });
        for (const h of r.hits)
          findings.push(h.target.ecosystem === 'PyPI' ? pyVulnFinding(h, pins) : actionVulnFinding(h, actionTargets));
      } catch (e) {
        notChecked.push({ check: 'vulnerabilities', reason: `OSV lookup failed: ${oneLine(e)}` });
      }
    }
  }

  // PyPI: yanked, cooldown, provenance (and its regression).
  const wantYanked = opts.checks.has('vulnerabilities');
  const wantProvenance = opts.checks.has('provenance') && opts.provenance !== 'off';
  const wantCooldown = opts.policy.cooldownDays > 0;
  const registryPins = pins.filter((p) => p.deps.some((d) => !d.vcs && !d.url && !d.path));
  if (registryPins.length && (wantYanked || wantProvenance || wantCooldown)) {
    if (opts.offline)
      network(
        wantProvenance ? 'provenance' : 'vulnerabilities',
        'reading PyPI (yanked releases, provenance, release age)'
      );
    else if (!services.pypi) notChecked.push({ check: 'provenance', reason: 'no PyPI client' });
    else {
      const r = await checkPyPI(
        registryPins,
        manifests,
        opts,
        { pypi: services.pypi, verifier: services.verifier },
        { wantYanked, wantProvenance, wantCooldown }
      );
      findings.push(...r.findings);
      notChecked.push(...r.notChecked);
      trustBuilds = r.trustBuilds;
    }
  }

  const count = manifests.reduce((n, m) => n + m.dependencies.length, 0) + actionRefs.length;
  return {
    rules: REGISTRY.list(),
    findings,
    suppressions: opts.policy.ignores,
    errors,
    notChecked,
    notes,
    count,
    examined: input.python.length + input.actions.length,
    stats: {
      'Python files': input.python.length,
      'workflow and action files': input.actions.length,
      'Python dependencies': manifests.reduce((n, m) => n + m.dependencies.length, 0),
      'action references': actionRefs.length,
      ...(advisories ? { 'OSV advisories read': advisories } : {}),
      ...(trustBuilds ? { 'Sigstore trust material builds': trustBuilds } : {})
    }
  };
}

function collectPins(manifests: PythonManifest[]): Pin[] {
  const pins = new Map<string, Pin>();
  for (const m of manifests) {
    for (const d of m.dependencies) {
      if (!d.version) continue;
      const k = `${d.name}@${d.version}`;
      if (!pins.has(k)) pins.set(k, { name: d.name, version: d.version, deps: [] });
      pins.get(k)!.deps.push(d);
    }
  }
  return [...pins.values()];
}

function actionTargetsOf(
  refs: UsesRef[],
  versions: Map<string, string[]>,
  resolved: boolean
): { target: OsvTarget; refs: UsesRef[] }[] {
  const byRepo = new Map<string, { target: OsvTarget; refs: UsesRef[] }>();
  for (const u of refs) {
    if (u.kind !== 'action' && u.kind !== 'reusable-workflow') continue;
    const name = `${u.owner}/${u.repo}`.toLowerCase();
    let vs: string[] = [];
    if (u.ref && FULL_SHA.test(u.ref)) {
      if (!resolved) continue; // without the tags a SHA carries there is nothing to match
      vs = versions.get(`${name}@${u.ref}`.toLowerCase()) ?? [];
    } else if (u.ref) vs = [u.ref];
    const k = `${name}#${vs.join(',')}`;
    if (!byRepo.has(k)) byRepo.set(k, { target: { ecosystem: 'GitHub Actions', name, versions: vs }, refs: [] });
    byRepo.get(k)!.refs.push(u);
  }
  return [...byRepo.values()];
}

/** `advisories` (the id and its aliases) is what a policy `ignore` entry's `id` matches. */
function advisoryProps(rec: { id: string; aliases?: string[] }, pkg: string) {
  const aliases = rec.aliases ?? [];
  return { advisory: rec.id, aliases, advisories: [rec.id, ...aliases], package: pkg };
}

function pyVulnFinding(h: Awaited<ReturnType<typeof lookupVulnerabilities>>['hits'][number], pins: Pin[]): Finding {
  const pin = pins.find((p) => p.name === h.target.name && p.version === h.version)!;
  const d = pin.deps[0];
  const malicious = h.record.id.startsWith('MAL-');
  const rule = malicious ? RULES.PY_MALICIOUS : RULES.PY_VULNERABLE;
  const also =
    pin.deps.length > 1 ? ` Also pinned in ${[...new Set(pin.deps.slice(1).map((x) => x.file))].join(', ')}.` : '';
  return createFinding(rule, {
    severity: malicious ? undefined : advisorySeverity(h.record),
    message: `${d.rawName} ${h.version} is ${malicious ? 'known malware' : 'affected by'} ${h.record.id}${h.record.aliases?.length ? ` (${h.record.aliases.join(', ')})` : ''}${h.record.summary ? `: ${h.record.summary}` : ''}.${h.fixed.length ? ` Fixed in ${h.fixed.join(', ')}.` : ''}${also}`,
    location: depLocation(d),
    key: `${d.name}@${h.version}:${h.record.id}`,
    remediation: malicious
      ? undefined
      : h.fixed.length
        ? `Update ${d.rawName} to ${h.fixed[0]} or later (https://osv.dev/vulnerability/${h.record.id}).`
        : `No fixed version is known: see https://osv.dev/vulnerability/${h.record.id} and remove or replace ${d.rawName}.`,
    properties: { ...advisoryProps(h.record, d.name), version: h.version, fixed: h.fixed }
  });
}

function actionVulnFinding(
  h: Awaited<ReturnType<typeof lookupVulnerabilities>>['hits'][number],
  targets: { target: OsvTarget; refs: UsesRef[] }[]
): Finding {
  const t = targets.find((x) => x.target === h.target)!;
  const u = t.refs[0];
  const compromised = /compromis|malicious/i.test(`${h.record.summary ?? ''} ${h.record.details ?? ''}`);
  return createFinding(compromised ? COMPROMISED_ACTION : RULES.VULNERABLE_ACTION, {
    severity: compromised ? undefined : advisorySeverity(h.record),
    message: `\`${h.target.name}\` ${h.version} is affected by ${h.record.id}${h.record.summary ? `: ${h.record.summary}` : ''}.${h.fixed.length ? ` Fixed in ${h.fixed.join(', ')}.` : ''}${t.refs.length > 1 ? ` (${t.refs.length} references)` : ''}`,
    location: { file: u.file, line: u.line, column: u.column },
    evidence: u.raw,
    key: `${h.target.name}@${h.version}:${h.record.id}`,
    properties: { ...advisoryProps(h.record, h.target.name), version: h.version, fixed: h.fixed }
  });
}
