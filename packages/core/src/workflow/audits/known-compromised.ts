// References to actions that shipped malicious code (the offline list in
// ../compromised.ts): a pin to a malicious commit runs it today; a tag or
// branch of such a repository may have run it during the incident window.
import { FULL_SHA } from '../../workflows';
import { compromisedEntry } from '../compromised';
import { stepGroups, type UsesRef } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { KNOWN_COMPROMISED } from '../rules/known-compromised';

const RULES = KNOWN_COMPROMISED.rules;

function check(u: UsesRef, site: string): RawFinding | undefined {
  if (u.kind !== 'action' && u.kind !== 'reusable-workflow') return undefined;
  const entry = compromisedEntry(u.owner, u.repo);
  if (!entry || !u.ref) return undefined;
  const ref = u.ref.toLowerCase();
  const source = entry.references[0];
  if (FULL_SHA.test(ref)) {
    if (!entry.commits.includes(ref)) return undefined;
    return {
      rule: RULES.COMPROMISED,
      pos: u.text.pos,
      message: `\`${u.raw}\` is the malicious commit of ${entry.repo}: ${entry.what} (${source.title}).`,
      evidence: u.raw,
      subject: `commit|${entry.repo}@${ref}`,
      site,
      properties: { package: entry.repo, reference: source.url }
    };
  }
  if (entry.cleanRefs?.includes(u.ref)) return undefined;
  return {
    rule: RULES.COMPROMISED,
    pos: u.text.pos,
    severity: 'medium',
    message: `\`${u.raw}\` names a ref of ${entry.repo}, whose ${entry.what} during ${entry.window} (${source.title}); runs in that window ran it.`,
    evidence: u.raw,
    subject: `ref|${entry.repo}@${u.ref}`,
    site,
    properties: { package: entry.repo, reference: source.url }
  };
}

function run({ doc }: AuditContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const job of doc.jobs) {
    const f = job.uses && check(job.uses, `jobs.${job.id}`);
    if (f) out.push(f);
  }
  for (const g of stepGroups(doc))
    for (const s of g.steps) {
      const f = s.uses && check(s.uses, `${g.where}.steps[${s.index}]`);
      if (f) out.push(f);
    }
  return out;
}

export const knownCompromised: WorkflowAudit = { ...KNOWN_COMPROMISED, run };
