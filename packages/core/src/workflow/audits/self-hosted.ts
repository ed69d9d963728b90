// Self-hosted runners keep state between jobs: code a pull request runs there
// can persist and read later jobs' tokens and secrets (PyTorch, 2024), and a
// workflow that registers a runner plants one (Shai-Hulud). Severity by
// whether strangers' PRs reach the job and whether the repository is public.
import type { Severity } from '../../severity';
import { classifyRunsOn } from '../../workflows';
import { stepGroups, type Job, type Pos } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { prTrigger, shift, stepBy } from './common';
import { SELF_HOSTED_RUNNER } from '../rules/self-hosted';

const RULES = SELF_HOSTED_RUNNER.rules;

const RUNNER_REG =
  /config\.(sh|cmd)\b[^\n]*--(url|token)|actions-runner-(linux|osx|win)|\/actions\/runners\/registration-token|svc\.sh\s+install|run\.sh\s+&/;

/** The label (or group) that makes a job self-hosted, with how sure that is. */
function selfHosted(job: Job): { label: string; pos: Pos; sure: boolean } | undefined {
  if (job.runsOnExpr) {
    const key = /matrix\.([\w-]+)/.exec(job.runsOnExpr.value)?.[1];
    const values = key ? (job.strategy?.matrix?.values.get(key) ?? []) : [];
    const hit = values.find((v) => /self-hosted/i.test(v.value));
    return hit ? { label: hit.value, pos: job.runsOnExpr.pos, sure: true } : undefined;
  }
  const kind = classifyRunsOn([...job.runsOn.map((l) => l.value), ...(job.runsOnGroup ? ['group'] : [])]);
  if (kind === 'self-hosted') {
    const l = job.runsOn.find((x) => x.value.trim().toLowerCase() === 'self-hosted')!;
    return { label: l.value, pos: l.pos, sure: true };
  }
  if (kind !== 'custom') return undefined;
  const first = job.runsOnGroup ?? job.runsOn[0];
  return first && { label: job.runsOnGroup ? `group ${first.value}` : first.value, pos: first.pos, sure: false };
}

function run({ doc, options }: AuditContext): RawFinding[] {
  const out: RawFinding[] = [];
  const pr = doc.triggers.filter(prTrigger).map((t) => t.event);
  const visibility = options.visibility;
  for (const job of doc.jobs) {
    const sh = selfHosted(job);
    if (!sh) continue;
    let severity: Severity = pr.length
      ? visibility === 'private' || visibility === 'internal'
        ? 'medium'
        : 'high'
      : 'low';
    // A custom label or group is as often a GitHub-hosted larger runner (GPUs, ARM) as a machine of one's own.
    if (!sh.sure) severity = shift(severity, -2);
    out.push({
      rule: RULES.SELF_HOSTED,
      pos: sh.pos,
      severity,
      confidence: sh.sure ? 'high' : 'low',
      message: `Job \`${job.id}\` runs on \`${sh.label}\`${sh.sure ? '' : ' (a custom label: self-hosted, or a GitHub-hosted larger runner)'}${pr.length ? ` and the workflow runs on ${pr.join(', ')}` : ''}${visibility ? ` in a ${visibility} repository` : ''}.`,
      evidence: sh.label,
      subject: `runner|${job.id}|${sh.label}|${pr.length ? 'pr' : 'no-pr'}|${visibility ?? ''}`
    });
  }
  for (const g of stepGroups(doc))
    for (const step of g.steps) {
      const m = step.run && RUNNER_REG.exec(step.run.value);
      if (m)
        out.push({
          rule: RULES.RUNNER_REGISTRATION,
          pos: step.run!.at(m.index, m[0]),
          message: `${stepBy(step)} registers a self-hosted runner (\`${m[0]}\`).`,
          evidence: m[0],
          subject: `register|${g.where}|${m[0]}`,
          site: `${step.index}`
        });
    }
  return out;
}

export const selfHostedRunner: WorkflowAudit = { ...SELF_HOSTED_RUNNER, run };
