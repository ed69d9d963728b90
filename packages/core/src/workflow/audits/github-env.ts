// Writes to GITHUB_ENV and GITHUB_PATH: a line `NAME=value` written there
// becomes the environment of every later step (LD_PRELOAD, NODE_OPTIONS,
// BASH_ENV run code) and a directory written to GITHUB_PATH shadows every
// command. Reported when what is written comes from an attacker, or, in a
// workflow anyone can start with a privileged token, when it is not static.
import { stepGroups } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { reachOf, stepBy } from './common';
import { gradeOrigin } from './template-injection';
import { GITHUB_ENV } from '../rules/github-env';

const RULES = GITHUB_ENV.rules;

/** A command writing to GITHUB_ENV / GITHUB_PATH: bash redirects and tee, cmd, PowerShell. */
const WRITE =
  /(>>?|\btee\b(?:\s+-a)?)\s*"?(\$\{?GITHUB_(ENV|PATH)\}?|%GITHUB_(ENV|PATH)%|\$\{?env:GITHUB_(ENV|PATH)\}?)|(Out-File|Add-Content|Set-Content|Tee-Object)\b[^\n|]*\$\{?env:GITHUB_(ENV|PATH)/i;
/** The written text is fixed: echo of words without `$`, backticks or `%VAR%`. */
const STATIC_ECHO = /^\s*(echo|printf)\s+(("[^"$`%]*"|'[^']*'|[^\s"'$`%|;&><]+)\s*)+$/;

function run({ doc, tracer }: AuditContext): RawFinding[] {
  const privileged = doc.triggers.some((t) => t.event === 'pull_request_target' || t.event === 'workflow_run');
  const composite = doc.kind === 'action';
  const out: RawFinding[] = [];
  for (const group of stepGroups(doc)) {
    for (const step of group.steps) {
      const run = step.run;
      if (!run) continue;
      // A statement may continue over `\` line ends; comments are not writes.
      const statements = run.value.replace(/\\\n/g, ' ').split('\n');
      for (const stmt of statements) {
        const code = stmt.replace(/(^|\s)#.*$/, '');
        const m = WRITE.exec(code);
        if (!m) continue;
        const dest = /PATH/i.test(m[0]) ? 'GITHUB_PATH' : 'GITHUB_ENV';
        const lhs = code.slice(0, m.index).replace(/\|\s*$/, '');
        const scope = { doc, group, step };
        const origins = [...tracer.originsOfText(code, scope), ...tracer.originsOfShellVars(lhs, scope)];
        const attacker = origins.find((o) => gradeOrigin(o)?.attacker);
        const dynamic = !STATIC_ECHO.test(lhs) && lhs.trim() !== '';
        if (!attacker && !(dynamic && (privileged || composite))) continue;
        const severity = attacker || privileged ? 'high' : 'low';
        out.push({
          rule: RULES.GITHUB_ENV,
          pos: run.at(run.value.indexOf(stmt.trim().slice(0, 20)), stmt.trim().slice(0, 20)),
          severity,
          confidence: attacker ? 'high' : 'low',
          message: `${group.job ? `Job \`${group.job.id}\`, ` : ''}${stepBy(step)} writes ${attacker ? `\`${attacker.context}\`` : 'a value that is not static'} to ${dest}${privileged ? ` in a workflow on ${doc.triggers.map((t) => t.event).join(', ')}` : ''}.`,
          evidence: stmt.trim(),
          subject: `${group.where}|${dest}|${attacker?.context ?? 'dynamic'}|${reachOf(doc)}`,
          site: `${step.index}`
        });
      }
    }
  }
  return out;
}

export const githubEnv: WorkflowAudit = { ...GITHUB_ENV, run };
