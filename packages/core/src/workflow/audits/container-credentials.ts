// A registry password written into the workflow is readable by everyone who
// can read the repository and stays in its history.
import type { Container } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { CONTAINER_CREDENTIALS } from '../rules/container-credentials';

const RULES = CONTAINER_CREDENTIALS.rules;

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

export const containerCredentials: WorkflowAudit = { ...CONTAINER_CREDENTIALS, run };
