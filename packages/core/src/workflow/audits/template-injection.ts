// Template injection: `${{ }}` is pasted into a script before the shell (or
// github-script's JavaScript) runs it, so a value an attacker controls runs as
// code. Each context is followed through env, step and job outputs, the
// matrix and a local action's or reusable workflow's callers to where it
// comes from; severity comes from how much of that value an attacker controls
// (zizmor's context-capabilities data) and who can start the workflow.
import type { Confidence, Severity } from '../../severity';
import { contextCapability } from '../capabilities';
import { dataflowContexts, fencedExpressions, parseExpression } from '../expr';
import { stepGroups, type Step, type Text, type WorkflowDocument } from '../model';
import type { Origin, Tracer } from '../trace';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { actionName, reachOf, shift, stepBy, type Reach } from './common';
import { TEMPLATE_INJECTION } from '../rules/template-injection';

const RULES = TEMPLATE_INJECTION.rules;

/**
 * Action inputs that run as code: CodeQL's models (MIT, GitHub, Inc.) as
 * listed in zizmor's data/codeql-injection-sinks.json, plus zizmor's additions.
 */
const SINKS: Record<string, string[]> = {
  '8398a7/action-slack': ['custom_payload'],
  'actions/github-script': ['script'],
  'appleboy/ssh-action': ['script'],
  'azure/cli': ['inlinescript'],
  'azure/powershell': ['inlinescript'],
  'devorbitus/yq-action-output': ['cmd'],
  'gautamkrishnar/blog-post-workflow': ['item_exec'],
  'imjohnbo/issue-bot': ['body', 'linked-comments-previous-issue-text', 'linked-comments-new-issue-text'],
  'lucasbento/auto-close-issues': ['issue-close-message'],
  'mikefarah/yq': ['cmd'],
  'roots/issue-closer-action': ['issue-close-message', 'pr-close-message'],
  'sergeysova/jq-action': ['cmd'],
  'skitionek/notify-microsoft-teams': ['overwrite'],
  'tibdex/backport': ['body_template', 'head_template', 'labels_template', 'title_template'],
  'amadevus/pwsh-script': ['script'],
  'jannekem/run-python-script-action': ['script'],
  'cardinalby/js-eval-action': ['expression'],
  'addnab/docker-run-action': ['options', 'run']
};

/** Script bodies of a step: `run:`, or the inputs of an action that runs them as code. */
export function scriptSinks(step: Step): { sink: string; text: Text }[] {
  if (step.run) return [{ sink: 'run', text: step.run }];
  const inputs = SINKS[actionName(step.uses)] ?? [];
  return [...step.with]
    .filter(([k]) => inputs.includes(k.toLowerCase()))
    .map(([k, text]) => ({ sink: `with.${k}`, text }));
}

/** Inputs whose name says they hold code or a command to run. */
const CODE_INPUT = /^(run|command|commands|cmd|script|shell|exec|code)$/i;
const NUMERIC_DEFAULT = /^\s*(-?\d+(\.\d+)?|true|false)\s*$/i;

/** Set by people who can push to the repository, not by an outside contributor. */
const PUSHER_CONTEXTS = new Set(['github.ref', 'github.ref_name']);

type Grade = { severity: Severity; confidence: Confidence; attacker: boolean };

/** How dangerous one origin is in a script, or undefined when it cannot carry code. */
export function gradeOrigin(o: Origin): Grade | undefined {
  const c = o.context;
  switch (o.kind) {
    case 'env-unknown':
      return { severity: 'low', confidence: 'high', attacker: false };
    case 'output-unknown':
    case 'computed':
      return { severity: 'info', confidence: 'low', attacker: false };
    case 'matrix-dynamic':
      return { severity: 'medium', confidence: 'medium', attacker: false };
    case 'input-unknown':
      // An input named as a command is meant to run; a number or a flag by its default leaves little room.
      if (o.inputOf === 'workflow_dispatch' || NUMERIC_DEFAULT.test(o.inputDefault ?? ''))
        return { severity: 'low', confidence: 'medium', attacker: false };
      if (CODE_INPUT.test(o.context.slice('inputs.'.length)))
        return { severity: 'info', confidence: 'low', attacker: false };
      return { severity: 'medium', confidence: 'low', attacker: false };
  }
  if (/^(secrets|vars|job|jobs|strategy)\./.test(c) || c === 'github.token') return undefined;
  if (/^needs\.[^.]+\.result$|^steps\.[^.]+\.(outcome|conclusion)$/.test(c)) return undefined;
  if (PUSHER_CONTEXTS.has(c)) return { severity: 'low', confidence: 'high', attacker: false };
  const cap = contextCapability(c);
  if (cap === 'fixed') return undefined;
  if (cap === 'arbitrary') return { severity: 'high', confidence: 'high', attacker: true };
  if (cap === 'structured') return { severity: 'medium', confidence: 'high', attacker: true };
  if (c.startsWith('github.event.')) return { severity: 'high', confidence: 'medium', attacker: true };
  if (c.startsWith('inputs.')) return { severity: 'low', confidence: 'low', attacker: false };
  return { severity: 'info', confidence: 'low', attacker: false };
}

/** Who can start a file: an action or reusable workflow takes the widest reach of its callers among the scanned files. */
function reach(doc: WorkflowDocument, tracer: Tracer): Reach {
  const own = reachOf(doc);
  if (own !== 'unknown') return own;
  const callers = tracer.callers(doc).map((c) => reachOf(c.caller.doc));
  return callers.includes('privileged') ? 'privileged' : own;
}

/** Raise attacker-controlled values where an outsider starts the run, lower them where only maintainers can. */
function adjust(g: Grade, o: Origin, doc: WorkflowDocument, tracer: Tracer): Grade {
  if (!g.attacker) return g;
  const r = reach(o.doc ?? doc, tracer);
  return {
    ...g,
    severity: r === 'privileged' ? shift(g.severity, 1) : r === 'unprivileged' ? shift(g.severity, -1) : g.severity
  };
}

const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

function run(ctx: AuditContext): RawFinding[] {
  const { doc, tracer } = ctx;
  const out: RawFinding[] = [];
  for (const group of stepGroups(doc)) {
    for (const step of group.steps) {
      for (const { sink, text } of scriptSinks(step)) {
        for (const f of fencedExpressions(text.value)) {
          const e = parseExpression(f.inner);
          if (!e) continue;
          for (const c of dataflowContexts(e)) {
            const graded = tracer
              .origins(c, { doc, group, step })
              .flatMap((o) => {
                const g = gradeOrigin(o);
                return g ? [{ o, g: adjust(g, o, doc, tracer) }] : [];
              })
              .sort((a, b) => RANK[b.g.severity] - RANK[a.g.severity]);
            if (!graded.length) continue;
            const { o, g } = graded[0];
            const written = f.inner.slice(c.start, c.end);
            const at = text.at(f.index, f.raw);
            const via = o.hops.length ? ` (through ${o.hops.join(' → ')})` : '';
            const what =
              written.toLowerCase() === o.context
                ? `\`${written}\``
                : `\`${written}\` carries \`${o.context}\`${via}, which`;
            out.push({
              rule: RULES.TEMPLATE_INJECTION,
              pos: { line: at.line, column: at.column + f.innerOffset + c.start },
              via: text.via ?? step.via,
              severity: g.severity,
              confidence: g.confidence,
              message: `${what} is expanded into ${sink === 'run' ? 'a shell script' : `\`${sink}\` of ${actionName(step.uses)}`} (${group.job ? `job \`${group.job.id}\`, ` : ''}${stepBy(step)}).`,
              evidence: f.raw,
              subject: `${group.where}|${sink}|${written.toLowerCase()}|${o.context}|${reach(o.doc ?? doc, tracer)}`,
              site: `${step.id?.value ?? step.name?.value ?? step.index}`,
              properties: { context: o.context }
            });
          }
        }
      }
    }
  }
  return out;
}

export const templateInjection: WorkflowAudit = { ...TEMPLATE_INJECTION, run };
