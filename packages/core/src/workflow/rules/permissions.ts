// Rules of the permissions audit (../audits/permissions.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const PERMISSIONS = {
  id: 'permissions',
  rules: defineRules({
    WRITE_PERMISSIONS: {
      id: 'workflow/write-permissions',
      title: 'Broad write permissions for the workflow token',
      severity: 'medium',
      why: 'A broader token turns any code-execution bug in the workflow into repository write access. High for `write-all`; medium for a write to code, releases, packages, PRs or the OIDC identity at the workflow level (every job, present and future, gets it) and for a job-level write in a workflow that runs on `pull_request_target`, `workflow_run`, `issues`, `issue_comment` or discussion events (anyone can start it) when the job runs scripts (low when it only runs actions); low for such a write in a one-job workflow; informational for a scope granted to the job that needs it, which a reviewer confirms.',
      remediation:
        'Default to `permissions: contents: read` (or `{}`) at the top and grant writes only to the job that needs them.',
      spec: ['S8-6'],
      references: [REF.zizmor('excessive-permissions')]
    },
    DEFAULT_PERMISSIONS: {
      id: 'workflow/default-permissions',
      title: 'Job runs with the repository default token permissions',
      severity: 'low',
      why: 'With no `permissions:` in the workflow or the job, the token gets the repository default, which is read-write for repositories created before February 2023 and for organisations that never changed it. Medium where the default is known to be write, low where it is unknown, informational where it is read.',
      remediation:
        'Add `permissions: contents: read` (or `{}`) at the top of the workflow and grant more per job where needed.',
      spec: ['S8-6'],
      references: [REF.zizmor('excessive-permissions')]
    }
  })
};
