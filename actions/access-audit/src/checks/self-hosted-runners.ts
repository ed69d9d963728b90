// Self-hosted runners on public repositories (SPEC 8): anyone's pull request
// can run code on them and persist on the machine.
import { classifyRunsOn, defineRules, jobRunners, rulesOf } from '@security-actions/core';
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

export const selfHostedRunners: RepoCheck = {
  id: 'self-hosted-runners',
  scope: 'repo',
  rules: rulesOf(RULES),
  run({ name, listing, workflows, add }) {
    const files = workflows();
    if (!isPublic(listing) || !files) return;
    for (const w of files) {
      if (!w.y) continue;
      for (const r of jobRunners(w.y)) {
        const kind = classifyRunsOn(r.labels);
        if (kind !== 'self-hosted' && kind !== 'custom') continue;
        const line = w.y.pos(r.node).line;
        const labels = r.labels.join(', ');
        add(RULES.selfHostedPublic, name, {
          // Custom labels may name a GitHub-hosted larger runner: say so and lower the confidence.
          severity: kind === 'self-hosted' ? 'high' : 'medium',
          confidence: kind === 'self-hosted' ? 'high' : 'low',
          message: `${name}: ${w.file}:${line}: job ${r.job} runs on ${kind === 'self-hosted' ? 'a self-hosted runner' : 'custom labels (a self-hosted runner, or a GitHub-hosted larger runner)'} (${labels}) in a public repository.`,
          location: { file: w.file, line },
          key: `${w.file}\0${r.job}`,
          evidence: labels,
          properties: { file: w.file, job: r.job, labels: r.labels }
        });
      }
    }
  }
};
