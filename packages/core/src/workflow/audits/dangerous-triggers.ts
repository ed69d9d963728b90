// pull_request_target and workflow_run run with the base repository's token
// and secrets on events anyone can cause. The bug is the job that then
// fetches the PR's code: found through any input that carries the PR head
// (`with:` of any action, env, step and job outputs, `gh pr checkout`,
// `refs/pull/...`), not only `actions/checkout`'s `ref:`.
import type { Pos, Step, StepGroup, WorkflowDocument } from '../model';
import { groupOf, type Origin, type Tracer } from '../trace';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { actionName, shift, stepBy, usesAction } from './common';
import { DANGEROUS_TRIGGERS } from '../rules/dangerous-triggers';

const RULES = DANGEROUS_TRIGGERS.rules;

const PRIVILEGED = ['pull_request_target', 'workflow_run'];

/** Contexts that name the PR's head commit, branch or repository. */
const HEAD_CONTEXT =
  /^github\.(head_ref|event\.(pull_request\.(head\.(sha|ref|label|repo\.(full_name|clone_url|git_url|ssh_url|html_url|name))|merge_commit_sha)|workflow_run\.(head_sha|head_branch|head_commit\.id|head_repository\.(full_name|clone_url|html_url|name)|pull_requests\.\*\.head\.(sha|ref))|pull_request\.head))$/;
/** Text that fetches a PR whatever the expression: `refs/pull/N/head`, `pull/N/merge`, `gh pr checkout`. */
const PR_REF_TEXT = /refs\/pull\/|\bpull\/(\$\{\{[^}]*\}\}|\$\{?\w+\}?|\d+)\/(head|merge)\b|\bgh\s+pr\s+checkout\b/;
/** Commands that fetch or switch code in a script. */
const GIT_FETCH = /\bgit\s+(?:-C\s+\S+\s+)?(fetch|checkout|pull|switch|clone|worktree\s+add|reset\s+--hard|merge)\b/;

const isHead = (o: Origin) => o.kind === 'context' && HEAD_CONTEXT.test(o.context);
/** Inputs of other actions that choose what is fetched. */
const FETCH_INPUT =
  /^(ref|repository|repo|branch|head[-_]?(ref|branch|sha)|pr[-_]?(ref|branch)|checkout[-_]?ref|git[-_]?ref)$/i;
/**
 * Commands that run code from the working tree (poutine's build-tool list with
 * scientific Python's own: installs, builds, test runners, scripts).
 */
const RUNS_TREE =
  /\b(pip3?\s+install|python[\d.]*\s+(-m\s+(pip\s+install|build|pytest|tox|nox)|setup\.py|\S+\.py)|pytest|tox|nox|make|cmake|meson|ninja|npm\s+(install|ci|run|test|exec)|npx|yarn|pnpm|jlpm|cargo\s+(build|test|run)|go\s+(build|test|run|generate)|mvn|gradle|bundle|rake|pre-commit\s+run|sphinx-build|mkdocs\s+build|jupyter|hatch|uv\s+(run|sync|pip\s+install|build)|poetry\s+(install|run|build)|(conda|mamba|micromamba)\s+env\s+(create|update)|docker\s+build|chmod\s+\+x)\b|(^|[\s;&|])(\.\/|bash\s+\S+\.sh|sh\s+\S+\.sh|source\s)/m;

export interface HeadFetch {
  step: Step;
  pos: Pos;
  how: string;
}

/** The first step of a job that fetches the PR's code, and how. */
export function headFetch(doc: WorkflowDocument, group: StepGroup, tracer: Tracer): HeadFetch | undefined {
  for (const step of group.steps) {
    const scope = { doc, group, step };
    // A checkout action takes the PR head in any input; another action only in an input that names
    // what to fetch (`commit:` or `sha:` of a status or report action only labels a result).
    const checkout = /checkout/i.test(actionName(step.uses));
    for (const [key, text] of step.uses ? step.with : []) {
      if (!checkout && !FETCH_INPUT.test(key)) continue;
      const origins = tracer.originsOfText(text.value, scope);
      const viaText = PR_REF_TEXT.test(text.value);
      if (!viaText && !origins.some(isHead)) continue;
      const o = origins.find(isHead);
      return {
        step,
        pos: text.pos,
        how: `\`${actionName(step.uses) || step.uses?.raw}\` gets \`${key}: ${text.value.trim()}\`${o && o.hops.length ? ` (${o.context} through ${o.hops.join(' → ')})` : ''}`
      };
    }
    const run = step.run;
    if (!run) continue;
    const lines = run.value.split('\n');
    for (const line of lines) {
      const viaText = PR_REF_TEXT.test(line);
      const fetches = GIT_FETCH.test(line);
      const origins = fetches ? [...tracer.originsOfText(line, scope), ...tracer.originsOfShellVars(line, scope)] : [];
      if (!viaText && !origins.some(isHead)) continue;
      return { step, pos: run.at(run.value.indexOf(line), line.trim()), how: `a script runs \`${line.trim()}\`` };
    }
  }
  return undefined;
}

/** Steps after `from` that run code from the fetched tree: build and test commands, scripts, local actions. */
function runsAfter(group: StepGroup, from: Step): Step[] {
  return group.steps.filter(
    (s) => s.index > from.index && ((s.run && RUNS_TREE.test(s.run.value)) || s.uses?.kind === 'local')
  );
}

/** An `if:` of the job that lets only members or collaborators through (`author_association`). */
const MEMBER_GUARD =
  /author_association|github\.event\.comment\.user\.login\s*==|github\.actor\s*==\s*'[^']+'\s*(\)|$|&&)/;

const secretsOf = (group: StepGroup, doc: WorkflowDocument) => {
  const names = new Set<string>();
  const scan = (v: string) => {
    for (const m of v.matchAll(/\bsecrets\.([A-Za-z_][\w-]*)/gi))
      if (m[1].toUpperCase() !== 'GITHUB_TOKEN') names.add(m[1].toUpperCase());
  };
  for (const t of doc.texts) if (t.path.startsWith('env.') || t.path.startsWith(`${group.where}.`)) scan(t.text.value);
  return [...names].sort();
};

/** A workflow whose only job only labels PRs: the use `pull_request_target` exists for (zizmor's exception). */
const labelerOnly = (doc: WorkflowDocument) =>
  doc.jobs.length === 1 && doc.jobs[0].steps.length === 1 && usesAction(doc.jobs[0].steps[0], 'actions/labeler');

function run({ doc, tracer }: AuditContext): RawFinding[] {
  const privileged = doc.triggers.filter((t) => PRIVILEGED.includes(t.event));
  const comment = doc.triggers.filter((t) => t.event === 'issue_comment');
  if ((!privileged.length && !comment.length) || labelerOnly(doc)) return [];
  const events = [...privileged, ...comment].map((t) => t.event);
  const out: RawFinding[] = [];
  for (const job of doc.jobs) {
    const group = groupOf(job);
    const fetch = headFetch(doc, group, tracer);
    // A comment-triggered job counts only when it fetches a PR by its ref (`/ok-to-test` bots).
    if (!fetch || (!privileged.length && !PR_REF_TEXT.test(fetch.how))) continue;
    const after = runsAfter(group, fetch.step);
    const secrets = secretsOf(group, doc);
    // A maintainer-only guard or an environment's reviewers stand between a stranger and the run.
    const guarded = MEMBER_GUARD.test(job.if?.value ?? '') || !!job.environment;
    out.push({
      rule: RULES.DANGEROUS_TRIGGER,
      pos: fetch.pos,
      severity: shift(after.length ? 'critical' : 'high', guarded ? -1 : 0),
      message: `\`${events.join('`, `')}\` workflow: job \`${job.id}\` fetches the PR's code (${stepBy(fetch.step)}: ${fetch.how})${after.length ? ` and then runs it (${stepBy(after[0])})` : ''}${secrets.length ? `, with secrets ${secrets.join(', ')}` : ''}${guarded ? `; the job is guarded (${job.environment ? `environment \`${job.environment.name?.value ?? ''}\`` : 'by who commented'}), which only a reviewer's care makes safe` : ''}.`,
      evidence: fetch.how,
      subject: `head|${[...new Set(events)].sort().join(',')}|${job.id}|${after.length ? 'runs' : 'reads'}|${guarded ? 'guarded' : ''}|${secrets.join(',')}`,
      site: `${fetch.step.index}`
    });
  }
  if (!out.length)
    for (const t of privileged)
      out.push({
        rule: RULES.DANGEROUS_TRIGGER,
        pos: t.pos,
        severity: 'low',
        confidence: 'medium',
        message: `\`${t.event}\` runs with the repository's secrets and a write token on events anyone can cause; no step was found to fetch the PR's code.`,
        evidence: t.event,
        subject: `trigger|${t.event}`
      });
  return out;
}

export const dangerousTriggers: WorkflowAudit = { ...DANGEROUS_TRIGGERS, run };
