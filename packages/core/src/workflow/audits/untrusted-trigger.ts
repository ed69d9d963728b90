// A new trigger on comments or discussions: anyone can post one, and the
// workflow then runs with the repository's token; a common command-and-control
// channel (Shai-Hulud's `discussion` backdoor). About a change, so diff mode only.
import { defineRules } from '../../rules';
import { stepGroups } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { REF } from './common';

const RULES = defineRules({
  UNTRUSTED_TRIGGER: {
    id: 'workflow/untrusted-trigger',
    title: 'New trigger on comments or discussions',
    severity: 'medium',
    why: "Anyone can open a discussion or comment; workflows on these events run with the repository's privileges and are a common command-and-control channel (Shai-Hulud).",
    remediation: 'Check `author_association` before acting on the event and never interpolate its body into scripts.',
    spec: ['S8-16'],
    references: [REF.ghost]
  }
});

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

export const untrustedTrigger: WorkflowAudit = { id: 'untrusted-trigger', rules: RULES, diffOnly: true, run };
