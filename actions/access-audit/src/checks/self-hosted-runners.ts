// Self-hosted runners on public repositories (SPEC 8): anyone's pull request
// can run code on them and persist on the machine.
import { classifyRunsOn, defineRules, rulesOf } from '@security-actions/core';
import type { WorkflowJob } from '@security-actions/core/workflow';
import type { RepoCheck } from '../types';
import { isPublic } from '../listing';

export const RULES = defineRules({
  selfHostedPublic: {
    id: 'repo/self-hosted-runner-public',
    title: 'Public repository runs workflows on self-hosted runners',
    severity: 'high',
    why: "A pull request from anyone can run code on a self-hosted runner of a public repository and persist on the machine; SciPy's release guidance rules self-hosted runners out.",
    remediation:
      'Move the jobs to GitHub-hosted runners, or use ephemeral runners with approval required for all outside contributors.',
    spec: ['S8-16']
  }
});

/** A job's `runs-on` as written (a group as `group:NAME` first), and the line where its value starts. */
function runner(job: WorkflowJob): { labels: string[]; line: number } | undefined {
  const texts = [job.runsOnGroup, ...job.runsOn, job.runsOnExpr].filter((t) => t !== undefined);
  if (!texts.length) return undefined;
  return {
    labels: texts.map((t) => (t === job.runsOnGroup ? `group:${t.value}` : t.value)),
    line: Math.min(...texts.map((t) => t.pos.line))
  };
}

export const selfHostedRunners: RepoCheck = {
  id: 'self-hosted-runners',
  scope: 'repo',
  rules: rulesOf(RULES),
  run({ name, listing, workflows, add }) {
    const files = workflows();
    if (!isPublic(listing) || !files) return;
    for (const w of files) {
      for (const job of w.doc?.jobs ?? []) {
        const r = runner(job);
        if (!r) continue;
        const kind = classifyRunsOn(r.labels);
        if (kind !== 'self-hosted' && kind !== 'custom') continue;
        const line = r.line;
        const labels = r.labels.join(', ');
        add(RULES.selfHostedPublic, name, {
          // Custom labels may name a GitHub-hosted larger runner: say so and lower the confidence.
          severity: kind === 'self-hosted' ? 'high' : 'medium',
          confidence: kind === 'self-hosted' ? 'high' : 'low',
          message: `${name}: ${w.file}:${line}: job ${job.id} runs on ${kind === 'self-hosted' ? 'a self-hosted runner' : 'custom labels (a self-hosted runner, or a GitHub-hosted larger runner)'} (${labels}) in a public repository.`,
          location: { file: w.file, line },
          key: `${w.file}\0${job.id}`,
          evidence: labels,
          properties: { file: w.file, job: job.id, labels: r.labels }
        });
      }
    }
  }
};
