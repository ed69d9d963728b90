// actions/checkout writes the job's token into the checkout (`.git/config`
// before v6, a file under RUNNER_TEMP since) unless `persist-credentials:
// false`; every later step can read it, and an artifact upload of the
// workspace publishes it (the "ArtiPACKED" research).
import type { Severity } from '../../severity';
import { stepGroups, type Step } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { majorVersion, reachOf, shift, stepBy, usesAction } from './common';
import { ARTIPACKED } from '../rules/artipacked';

const RULES = ARTIPACKED.rules;

/** `actions/upload-artifact` of the whole workspace (`.`, `..`, `${{ github.workspace }}`). */
function uploadsWorkspace(step: Step): boolean {
  if (!usesAction(step, 'actions/upload-artifact')) return false;
  const path = step.with.get('path')?.value ?? '';
  return path.split('\n').some((p) => /^(\.{1,2}\/?|\$\{\{\s*github\.workspace\s*\}\}\/?)$/.test(p.trim()));
}

function run({ doc }: AuditContext): RawFinding[] {
  const out: RawFinding[] = [];
  const privileged = reachOf(doc) === 'privileged';
  for (const group of stepGroups(doc)) {
    for (const step of group.steps) {
      if (!usesAction(step, 'actions/checkout')) continue;
      const persist = step.withExpr ? '${{' : step.with.get('persist-credentials')?.value.trim().toLowerCase();
      if (persist === 'false') continue;
      const upload = group.steps.find((s) => s.index > step.index && uploadsWorkspace(s));
      const v6 = (majorVersion(step.uses!) ?? 0) >= 6;
      let severity: Severity = upload ? 'high' : privileged ? 'medium' : 'low';
      if (v6) severity = shift(severity, -1);
      // Asking for the credentials, or deciding at run time, is a choice: informational unless the workspace is then published.
      const chosen = persist === 'true' || !!persist?.includes('${{');
      if (chosen && !upload) severity = 'info';
      out.push({
        rule: RULES.ARTIPACKED,
        pos: step.uses!.text.pos,
        via: step.via,
        severity,
        confidence: upload ? 'high' : 'low',
        message: `actions/checkout (${group.job ? `job \`${group.job.id}\`, ` : ''}${stepBy(step)}) ${chosen ? `sets \`persist-credentials\` to ${persist === 'true' ? 'true' : 'a value decided at run time'}` : 'does not set `persist-credentials: false`'}${upload ? `, and ${stepBy(upload)} uploads the workspace as an artifact` : ''}.`,
        evidence: step.uses!.raw,
        subject: `${group.where}|${upload ? 'upload' : chosen ? 'chosen' : 'persist'}|${v6 ? 'v6' : 'old'}`,
        site: `${step.index}`
      });
    }
  }
  return out;
}

export const artipacked: WorkflowAudit = { ...ARTIPACKED, run };
