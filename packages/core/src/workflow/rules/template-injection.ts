// Rules of the template-injection audit (../audits/template-injection.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const TEMPLATE_INJECTION = {
  id: 'template-injection',
  rules: defineRules({
    TEMPLATE_INJECTION: {
      id: 'workflow/template-injection',
      title: 'Attacker-controlled expression expanded into a script',
      severity: 'high',
      why: '`${{ }}` is pasted into the script before the shell runs it, so a PR title, branch name or comment containing `$(...)` runs as code (Ultralytics). Critical where anyone can start the workflow with a privileged token (`pull_request_target`, `issue_comment`, `workflow_run`, ...), high in actions and reusable workflows (the caller decides), lower where only people who can change the workflow anyway can set the value.',
      remediation:
        'Pass the value through an environment variable (`env: TITLE: ${{ github.event.pull_request.title }}`) and use `"$TITLE"` in the script (`process.env.TITLE` in github-script).',
      spec: ['S8-16'],
      references: [REF.ultralytics, REF.zizmor('template-injection')]
    }
  })
};
