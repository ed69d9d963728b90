// A repository's publishing workflows (SPEC 8): the core workflow audit's
// publish/* rules (which jobs publish, what starts them, where they run and
// with which credentials) and, in the workflows that publish, its pin rules
// (a moved tag there runs next to the release artifacts and the OIDC token),
// over the files the repository's batch already fetched.
import type { Finding, NotChecked } from '@security-actions/core';
import {
  WORKFLOW_AUDIT_REGISTRY,
  type WorkflowDocument,
  auditDocuments,
  disableAllBut,
  publishingWorkflows
} from '@security-actions/core/workflow';
import type { RepoCheck } from '../types';
import { PUBLISH_CHECK } from '../workflows';

const PINS = ['workflow/unpinned-uses', 'workflow/unpinned-images'];

/** The audit's rules this check reports (`publish/unpinned-action`, retired, names `workflow/unpinned-uses`). */
export const PUBLISH_RULES = WORKFLOW_AUDIT_REGISTRY.pick('access-audit', [
  ...WORKFLOW_AUDIT_REGISTRY.list()
    .map((r) => r.id)
    .filter((id) => id.startsWith('publish/')),
  ...PINS
]);
const OPTIONS = { disable: disableAllBut(PUBLISH_RULES.list().map((r) => r.id)) };

/**
 * The publish/* findings of one repository's workflows, and the pin findings of those that publish
 * (a job publishes, or calls a reusable workflow of the repository that does). Nothing for a
 * repository that publishes nothing.
 */
export function publishFindings(docs: WorkflowDocument[]): {
  findings: Finding[];
  notChecked: NotChecked[];
  publishing: Set<string>;
} {
  const publishing = publishingWorkflows(docs);
  if (!publishing.size) return { findings: [], notChecked: [], publishing };
  const r = auditDocuments(docs, OPTIONS);
  const findings = r.findings.filter((f) => !PINS.includes(f.ruleId) || publishing.has(f.location?.file ?? ''));
  return { findings, notChecked: r.notChecked, publishing };
}

export const publishing: RepoCheck = {
  id: 'publish',
  scope: 'repo',
  rules: PUBLISH_RULES.list(),
  run({ name, workflows, add, skip }) {
    const docs = (workflows() ?? []).flatMap((w) => (w.doc ? [w.doc] : []));
    const r = publishFindings(docs);
    for (const n of r.notChecked) skip(PUBLISH_CHECK, `not checked for ${n.target}: ${n.reason}`, name);
    for (const f of r.findings) {
      const file = f.location!.file;
      add(PUBLISH_RULES.get(f.ruleId)!, name, {
        message: `${name}: ${file}:${f.location!.line}: ${f.message}`,
        severity: f.severity,
        confidence: f.confidence,
        location: f.location,
        key: `${file}\0${f.fingerprint}`,
        evidence: f.evidence,
        properties: { ...f.properties, file }
      });
    }
  }
};
