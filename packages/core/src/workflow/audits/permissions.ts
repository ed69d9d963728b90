// The GITHUB_TOKEN's permissions: broad grants (write-all, writes every job
// inherits) and jobs that get the repository default because nothing is
// declared. Severity by scope, by where it is granted, and by who can start
// the workflow.
import type { Severity } from '../../severity';
import type { Job, Permissions, WorkflowDocument } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { reachOf, shift, untrustedTrigger } from './common';
import { PERMISSIONS } from '../rules/permissions';

const RULES = PERMISSIONS.rules;

/** How much a write to each scope gives (zizmor's subjective table, MIT). */
const SCOPE_WEIGHT: Record<string, Severity> = {
  actions: 'high',
  attestations: 'high',
  contents: 'high',
  deployments: 'high',
  'id-token': 'high',
  issues: 'high',
  packages: 'high',
  pages: 'high',
  'pull-requests': 'high',
  'artifact-metadata': 'medium',
  checks: 'medium',
  'code-quality': 'medium',
  discussions: 'medium',
  'repository-projects': 'medium',
  'security-events': 'medium',
  models: 'low',
  statuses: 'low'
};

/** The job runs code of its own (scripts, local or Docker actions), where a bug can reach the token. */
const runsCode = (job: Job) => job.steps.some((s) => s.run || s.uses?.kind === 'local' || s.uses?.kind === 'docker');

function grants(
  perms: Permissions | undefined,
  where: string,
  jobs: Job[],
  doc: WorkflowDocument,
  singleJob: boolean
): RawFinding[] {
  if (!perms) return [];
  const jobLevel = where !== 'workflow';
  const untrusted = doc.triggers.filter(untrustedTrigger).map((t) => t.event);
  // Where anyone can start the workflow, a grant matters most to jobs that run scripts on the event's data.
  const exposed = untrusted.length > 0 && jobs.some(runsCode);
  const on = untrusted.length
    ? `; the workflow runs on \`${untrusted.join('`, `')}\`, which anyone can start${exposed ? '' : ', but the job only runs actions'}`
    : '';
  const reach = reachOf(doc);
  const place = jobLevel ? `for job \`${where}\`` : 'at the workflow level (every job gets it)';
  const out: RawFinding[] = [];
  const all = perms.all?.value;
  if (all === 'write-all' || all === 'read-all') {
    out.push({
      rule: RULES.WRITE_PERMISSIONS,
      pos: perms.all!.pos,
      severity: all === 'write-all' ? 'high' : 'low',
      message: `\`permissions: ${all}\` ${place}${on}.`,
      evidence: `permissions: ${all}`,
      subject: `${where}|${all}|${reach}`
    });
  }
  for (const [scope, value] of perms.scopes) {
    if (value.value !== 'write') continue;
    const weight = SCOPE_WEIGHT[scope] ?? 'medium';
    // Job-level grants are the recommended form: informational unless anyone can start the workflow.
    let severity: Severity = jobLevel ? 'info' : singleJob ? (weight === 'high' ? 'low' : 'info') : shift(weight, -1);
    if (untrusted.length) severity = shift(severity, (jobLevel ? 1 : 0) + (exposed ? 1 : 0));
    out.push({
      rule: RULES.WRITE_PERMISSIONS,
      pos: value.pos,
      severity,
      message: `\`${scope}: write\` ${place}${on}.`,
      evidence: `${scope}: write`,
      subject: `${where}|${scope}|${reach}`
    });
  }
  return out;
}

function run({ doc, options }: AuditContext): RawFinding[] {
  if (doc.kind !== 'workflow') return [];
  const singleJob = doc.jobs.length === 1;
  const out = grants(
    doc.permissions,
    'workflow',
    doc.jobs.filter((j) => !j.permissions),
    doc,
    singleJob
  );
  for (const job of doc.jobs) out.push(...grants(job.permissions, job.id, [job], doc, singleJob));
  // A reusable workflow runs with its caller's token, except in its own jobs that call another one.
  const reusableOnly = doc.triggers.length > 0 && doc.triggers.every((t) => t.event === 'workflow_call');
  if (doc.permissions) return out;
  const dflt = options.defaultPermissions;
  const severity: Severity = dflt === 'write' ? 'medium' : dflt === 'read' ? 'info' : 'low';
  for (const job of doc.jobs) {
    if (job.permissions || (reusableOnly && !job.uses)) continue;
    out.push({
      rule: RULES.DEFAULT_PERMISSIONS,
      pos: job.pos,
      severity,
      confidence: dflt ? 'high' : 'medium',
      message: `Job \`${job.id}\` declares no \`permissions:\` and neither does the workflow, so its token gets the repository default (${dflt ?? 'not known here'}).`,
      subject: `default|${job.id}`
    });
  }
  return out;
}

export const permissions: WorkflowAudit = { ...PERMISSIONS, run };
