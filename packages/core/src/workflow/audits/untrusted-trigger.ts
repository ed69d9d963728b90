// A new trigger on comments or discussions: anyone can post one, and the
// workflow then runs with the repository's token; a common command-and-control
// channel (Shai-Hulud's `discussion` backdoor). About a change, so diff mode only.
import { stepGroups } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { UNTRUSTED_TRIGGER } from '../rules/untrusted-trigger';

const RULES = UNTRUSTED_TRIGGER.rules;

const EVENTS = ['issue_comment', 'discussion', 'discussion_comment'];

function run({ doc }: AuditContext): RawFinding[] {
  const scripts = stepGroups(doc).some((g) => g.steps.some((s) => s.run));
  if (!scripts) return [];
  return doc.triggers
    .filter((t) => EVENTS.includes(t.event))
    .map((t) => ({
      rule: RULES.UNTRUSTED_TRIGGER,
      pos: t.pos,
      message: `New \`${t.event}\` trigger on a workflow with scripts.`,
      evidence: `on: ${t.event}`,
      subject: `trigger|${t.event}`
    }));
}

export const untrustedTrigger: WorkflowAudit = { ...UNTRUSTED_TRIGGER, diffOnly: true, run };
