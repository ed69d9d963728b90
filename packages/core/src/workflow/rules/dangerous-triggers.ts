// Rules of the dangerous-triggers audit (../audits/dangerous-triggers.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const DANGEROUS_TRIGGERS = {
  id: 'dangerous-triggers',
  rules: defineRules({
    DANGEROUS_TRIGGER: {
      id: 'workflow/dangerous-trigger',
      title: 'pull_request_target / workflow_run workflow that uses PR code',
      severity: 'critical',
      why: "These triggers run with the base repository's secrets and a write token on events anyone can cause. Checking out or running the PR head there lets anyone who opens a PR run code with those privileges (the PyTorch and Ultralytics compromises). Critical when the job then builds, installs, tests or runs scripts from the fetched tree, high when it only fetches it (one lower when a maintainer-only `if:` or an environment guards the job), low for the trigger alone (it grants the privileges; the steps decide whether they leak).",
      remediation:
        'Use `on: pull_request` for anything that builds or tests PR code; keep `pull_request_target` for labelling or commenting without checking out the head, and pass results between the two through artifacts that are treated as data.',
      spec: ['S8-16', 'S8-6'],
      references: [REF.securityLab, REF.ultralytics, REF.pytorch, REF.zizmor('dangerous-triggers')]
    }
  })
};
