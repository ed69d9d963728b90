// Rules of the insecure-commands audit (../audits/insecure-commands.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const INSECURE_COMMANDS = {
  id: 'insecure-commands',
  rules: defineRules({
    INSECURE_COMMANDS: {
      id: 'workflow/insecure-commands',
      title: 'Deprecated set-env / add-path workflow commands enabled',
      severity: 'high',
      why: 'With `ACTIONS_ALLOW_UNSECURE_COMMANDS` true, anything a step prints can set environment variables or the PATH of later steps with `::set-env` / `::add-path`, so printing attacker-controlled text (a PR title, a file name) runs code (CVE-2020-15228).',
      remediation: 'Remove `ACTIONS_ALLOW_UNSECURE_COMMANDS` and write to `$GITHUB_ENV` / `$GITHUB_PATH` instead.',
      spec: ['S8-16'],
      references: [
        {
          title: 'GitHub: deprecating set-env and add-path',
          url: 'https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/'
        },
        REF.zizmor('insecure-commands')
      ]
    }
  })
};
