// Rules of the github-env audit (../audits/github-env.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const GITHUB_ENV = {
  id: 'github-env',
  rules: defineRules({
    GITHUB_ENV: {
      id: 'workflow/github-env',
      title: 'Untrusted data written to GITHUB_ENV or GITHUB_PATH',
      severity: 'high',
      why: 'Every later step of the job runs with what is written to GITHUB_ENV (`LD_PRELOAD`, `NODE_OPTIONS`, `BASH_ENV` run code) and searches the directories written to GITHUB_PATH first; an attacker who controls a line of it controls the job. High when the value comes from an attacker-controlled context, or, in a `pull_request_target`/`workflow_run` workflow, from anything not static (a file or command of the PR); low where the written value is only not static.',
      remediation:
        'Write only fixed names with validated values (`echo "VERSION=${VERSION//[^0-9.]/}" >> "$GITHUB_ENV"`), use step outputs for data, and never write PR content to GITHUB_PATH.',
      spec: ['S8-16'],
      references: [REF.zizmor('github-env')]
    }
  })
};
