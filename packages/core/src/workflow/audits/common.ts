// Facts several audits share: which events hand outside input to a privileged
// token, how an action reference is named.
import type { Severity } from '../../severity';
import { SEVERITIES } from '../../severity';
import type { Step, Trigger, UsesRef, WorkflowDocument } from '../model';

/**
 * Events anyone can start, with input they control, while the job keeps the
 * write token and the secrets it is given (unlike `pull_request` from a fork,
 * whose token GitHub makes read-only and which gets no secrets).
 */
export const PRIVILEGED_UNTRUSTED = [
  'pull_request_target',
  'workflow_run',
  'issue_comment',
  'issues',
  'discussion',
  'discussion_comment'
];

/** Events a pull request (or a comment on one) starts. */
export const PR_EVENTS = [
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
  'issue_comment',
  'discussion',
  'discussion_comment',
  'issues',
  'workflow_run'
];

/** The trigger hands outside input to a privileged token (a `workflow_run` whose upstreams only maintainers start does not). */
export const untrustedTrigger = (t: Trigger): boolean => PRIVILEGED_UNTRUSTED.includes(t.event) && !t.upstreamTrusted;

/** A pull request (or a comment on one) starts the trigger, directly or through a `workflow_run` upstream. */
export const prTrigger = (t: Trigger): boolean => PR_EVENTS.includes(t.event) && !t.upstreamTrusted;

export type Reach = 'privileged' | 'unprivileged' | 'unknown';

/**
 * Who can make the file run with input they chose: `privileged` (an outsider,
 * with the repository's token and secrets), `unknown` (an action or a
 * reusable workflow: it depends on the caller), `unprivileged` (only people
 * who could change the workflow anyway: pushes, forks' `pull_request`, schedules).
 */
export function reachOf(doc: WorkflowDocument): Reach {
  if (doc.kind === 'action') return 'unknown';
  if (doc.triggers.some(untrustedTrigger)) return 'privileged';
  if (doc.triggers.some((t) => t.event === 'workflow_call')) return 'unknown';
  return 'unprivileged';
}

/** `owner/repo[/path]` of a reference, lower case, without the ref. */
export const actionName = (u: Pick<UsesRef, 'kind' | 'owner' | 'repo' | 'path'> | undefined): string =>
  u && (u.kind === 'action' || u.kind === 'reusable-workflow')
    ? [u.owner, u.repo, u.path].filter(Boolean).join('/').toLowerCase()
    : '';

/** The step uses `name` (`actions/checkout`), at any ref. */
export const usesAction = (step: Step, name: string): boolean => actionName(step.uses) === name.toLowerCase();

/** The major version a ref or its version comment names (`v4.2.1` → 4), when it names one. */
export function majorVersion(u: UsesRef): number | undefined {
  for (const v of [u.ref, u.comment]) {
    const m = /^v?(\d+)(?:\.\d+)*\b/.exec(v?.trim() ?? '');
    if (m && !/^[0-9a-f]{40}$/.test(v ?? '')) return Number(m[1]);
  }
  return undefined;
}

export const stepBy = (s: Step): string => `step ${s.index + 1}${s.name ? ` (${s.name.value})` : ''}`;

/** One severity lower or higher, within info..critical. */
export function shift(s: Severity, by: number): Severity {
  const i = Math.min(SEVERITIES.length - 1, Math.max(0, SEVERITIES.indexOf(s) + by));
  return SEVERITIES[i];
}
