// A registry password written into the workflow is readable by everyone who
// can read the repository and stays in its history.
import { defineRules } from '../../rules';
import type { Container } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { REF } from './common';

const RULES = defineRules({
  CONTAINER_CREDENTIALS: {
    id: 'workflow/hardcoded-container-credentials',
    title: 'Container registry password written in the workflow',
    severity: 'high',
    why: 'A password in `container.credentials` or `services.<name>.credentials` is readable by anyone who can read the repository, forks included, and stays in its history after removal.',
    remediation:
      'Store the password as an encrypted secret (`password: ${{ secrets.REGISTRY_PASSWORD }}`), then revoke the exposed one.',
    spec: ['S6-7'],
    references: [REF.zizmor('hardcoded-container-credentials')]
  }
});

function run({ doc }: AuditContext): RawFinding[] {
  const out: RawFinding[] = [];
  const check = (c: Container | undefined, what: string) => {
    if (!c?.password || c.password.value.includes('${{')) return;
    out.push({
      rule: RULES.CONTAINER_CREDENTIALS,
      pos: c.password.pos,
      message: `${what} has its registry password written in the file.`,
      subject: `credentials|${what}`
    });
  };
  for (const job of doc.jobs) {
    check(job.container, `The container of job \`${job.id}\``);
    for (const [name, svc] of job.services) check(svc, `Service \`${name}\` of job \`${job.id}\``);
  }
  return out;
}

export const containerCredentials: WorkflowAudit = { id: 'hardcoded-container-credentials', rules: RULES, run };
