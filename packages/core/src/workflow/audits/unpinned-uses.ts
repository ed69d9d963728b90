// References to actions and reusable workflows: only a full commit SHA names
// fixed code. Tags and branches move (tj-actions), a short SHA can match a
// commit pushed to any fork (an impostor commit), and a SHA without a version
// comment hides which release it is.
import type { Severity } from '../../severity';
import { FULL_SHA } from '../../workflows';
import { stepGroups, type Pos, type UsesRef } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { actionName } from './common';
import { UNPINNED_USES } from '../rules/unpinned-uses';

const RULES = UNPINNED_USES.rules;

const BRANCHES = /^(main|master|develop|dev|trunk|next|stable|latest|head|release|nightly|canary|unstable)$/i;

/** What is wrong with a ref, or undefined for a full SHA. */
function problem(u: UsesRef): { what: string; kind: 'none' | 'short-sha' | 'branch' | 'tag' } | undefined {
  const ref = u.ref;
  if (ref && FULL_SHA.test(ref)) return undefined;
  if (!ref) return { what: 'has no ref at all', kind: 'none' };
  if (/^[0-9a-f]{7,39}$/i.test(ref))
    return {
      what: `uses a short SHA (${ref}), which can match a commit pushed to a fork (an impostor commit)`,
      kind: 'short-sha'
    };
  if (BRANCHES.test(ref) || !/\d/.test(ref))
    return { what: `uses \`${ref}\`, which looks like a branch`, kind: 'branch' };
  return { what: `uses the tag \`${ref}\`, which can be moved`, kind: 'tag' };
}

function run({ doc, options }: AuditContext): RawFinding[] {
  const refs: { u: UsesRef; where: string; via?: Pos }[] = [];
  for (const job of doc.jobs) if (job.uses) refs.push({ u: job.uses, where: `jobs.${job.id}` });
  for (const g of stepGroups(doc))
    for (const s of g.steps)
      if (s.uses) refs.push({ u: s.uses, where: `${g.where}.steps[${s.index}]`, via: s.via ?? s.uses.text.via });
  const out: RawFinding[] = [];
  for (const { u, where, via } of refs) {
    if (u.kind !== 'action' && u.kind !== 'reusable-workflow') continue;
    // An expression, or an owner GitHub would refuse (`$/...`), names no action to pin.
    if (u.raw.includes('${{') || !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(u.owner ?? '')) continue;
    const name = [u.owner, u.repo, u.path].filter(Boolean).join('/');
    const p = problem(u);
    if (!p) {
      // The comment must name a release (`v4.2.2`, `4.2`, `tag=v1`); free text does not say which one is pinned.
      if (!/\bv?\d+(\.\d+)*\b/.test(u.comment ?? ''))
        out.push({
          rule: RULES.NO_VERSION_COMMENT,
          pos: u.text.pos,
          via,
          message: `\`${u.raw}\` has no version comment${u.comment ? ` (\`# ${u.comment}\` names no release)` : ''}.`,
          evidence: u.raw,
          subject: `comment|${u.raw}`,
          same: `comment|${name}`,
          site: where
        });
      continue;
    }
    // Tags may be allowed per owner by policy; a short SHA or a branch never is.
    const allowed = p.kind === 'tag' ? options.allowTags?.find((a) => a.owner === u.owner?.toLowerCase()) : undefined;
    const severity: Severity | undefined = allowed?.severity;
    out.push({
      rule: RULES.UNPINNED_USES,
      pos: u.text.pos,
      via,
      severity,
      message: `\`${name}\` ${p.what}.${allowed ? ` The policy allows tags for ${u.owner}, so this is reported at ${allowed.severity}.` : ''}`,
      evidence: u.raw,
      subject: `uses|${u.raw}`,
      // A bump from one tag to another keeps the pin's form: new only where the form is (a SHA pin made a tag).
      same: `uses|${name}|${p.kind}`,
      site: where,
      properties: { package: `${u.owner}/${u.repo}`.toLowerCase(), action: actionName(u), refKind: p.kind }
    });
  }
  return out;
}

export const unpinnedUses: WorkflowAudit = { ...UNPINNED_USES, run };
