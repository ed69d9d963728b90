// `ACTIONS_ALLOW_UNSECURE_COMMANDS` re-enables the `::set-env` and
// `::add-path` workflow commands, which GitHub disabled because any text a
// step prints (a PR title, a test's output) can then set the environment.
import { stepGroups, type Env } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { INSECURE_COMMANDS } from '../rules/insecure-commands';

const RULES = INSECURE_COMMANDS.rules;

/** True the way the runner reads it (a C# bool: `true`, any case). */
const enabledIn = (env: Env) => {
  const v = [...env.vars].find(([k]) => k.toUpperCase() === 'ACTIONS_ALLOW_UNSECURE_COMMANDS')?.[1];
  return v && v.value.trim().toLowerCase() === 'true' ? v : undefined;
};

function run({ doc }: AuditContext): RawFinding[] {
  const envs: { env: Env; where: string }[] = [{ env: doc.env, where: 'workflow' }];
  for (const j of doc.jobs) envs.push({ env: j.env, where: `jobs.${j.id}` });
  for (const g of stepGroups(doc))
    for (const s of g.steps) envs.push({ env: s.env, where: `${g.where}.steps[${s.index}]` });
  return envs.flatMap(({ env, where }): RawFinding[] => {
    const v = enabledIn(env);
    if (v)
      return [
        {
          rule: RULES.INSECURE_COMMANDS,
          pos: v.pos,
          message: `\`ACTIONS_ALLOW_UNSECURE_COMMANDS: ${v.value}\` (${where}) re-enables \`::set-env\` and \`::add-path\`.`,
          evidence: 'ACTIONS_ALLOW_UNSECURE_COMMANDS',
          subject: `insecure|${where}`
        }
      ];
    // `env:` as one expression may set it; nothing can be read from it.
    if (env.expr?.value.includes('${{'))
      return [
        {
          rule: RULES.INSECURE_COMMANDS,
          pos: env.expr.pos,
          severity: 'info',
          confidence: 'low',
          message: `\`env:\` (${where}) is one expression, which may set \`ACTIONS_ALLOW_UNSECURE_COMMANDS\`.`,
          evidence: env.expr.value,
          subject: `maybe|${where}`
        }
      ];
    return [];
  });
}

export const insecureCommands: WorkflowAudit = { ...INSECURE_COMMANDS, run };
