// Rules of the self-hosted-runner audit (../audits/self-hosted.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const SELF_HOSTED_RUNNER = {
  id: 'self-hosted-runner',
  rules: defineRules({
    SELF_HOSTED: {
      id: 'workflow/self-hosted-runner',
      title: 'Job runs on a self-hosted runner',
      severity: 'high',
      why: 'Anyone who opens a PR can run code on a self-hosted runner triggered by PR events and persist on it, reading the tokens and secrets of later jobs (PyTorch). High for PR-triggered jobs of a public repository (or one whose visibility is not known), medium on a private one, low for jobs no PR starts; two lower for custom labels and runner groups, which as often name GitHub-hosted larger runners.',
      remediation:
        'Run PR jobs on GitHub-hosted runners, or use ephemeral (just-in-time) runners in a group limited to this repository, with approval required for outside contributors.',
      spec: ['S8-16'],
      references: [REF.pytorch, REF.zizmor('self-hosted-runner')]
    },
    RUNNER_REGISTRATION: {
      id: 'workflow/runner-registration',
      title: 'Workflow registers a self-hosted runner',
      severity: 'critical',
      why: 'Registering a runner from a workflow is how an attacker plants a persistent backdoor runner (Shai-Hulud).',
      remediation: 'Remove the step; register runners by hand from a trusted machine.',
      spec: ['S8-16'],
      references: [REF.ghost]
    }
  })
};
