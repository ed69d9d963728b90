// Rules of the bot-conditions audit (../audits/bot-conditions.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const BOT_CONDITIONS = {
  id: 'bot-conditions',
  rules: defineRules({
    BOT_CONDITION: {
      id: 'workflow/bot-conditions',
      title: 'Spoofable bot check in a condition',
      severity: 'high',
      why: "`github.actor` is whoever caused the latest event of the run, not the PR's author: an attacker can have Dependabot (or another bot) update their fork's PR and then run the workflow as that bot. High in workflows anyone can start with a privileged token, medium in reusable workflows, low elsewhere.",
      remediation:
        "Check who opened the PR instead (`github.event.pull_request.user.login == 'dependabot[bot]'`), and do not skip security checks for bots.",
      spec: ['S8-16'],
      references: [
        {
          title: 'Synacktiv: GitHub Actions exploitation, Dependabot',
          url: 'https://www.synacktiv.com/publications/github-actions-exploitation-dependabot'
        },
        REF.zizmor('bot-conditions')
      ]
    }
  })
};
