// Follows a value back to where it comes from: `env.TITLE` to the
// `${{ github.event.issue.title }}` it was set to, `steps.meta.outputs.ref` to
// what step `meta` wrote into GITHUB_OUTPUT, `needs.build.outputs.x` to the
// job's output, `inputs.x` of a local composite action or reusable workflow to
// what each caller in the scanned files passes, a shell `$VAR` to the env that
// sets it. What cannot be followed is an opaque origin, never silently clean.
import { contextPattern, dataflowContexts, fencedExpressions, parseExpression, type Node } from './expr';
import type { Job, Step, StepGroup, Text, WorkflowDocument } from './model';

export type OriginKind =
  /** A context with known meaning (`github.event.issue.title`, `secrets.X`, a static literal's absence). */
  | 'context'
  /** `env.X` that no level of this file defines (the runner's, or written to GITHUB_ENV). */
  | 'env-unknown'
  /** A step or job output whose writer could not be read. */
  | 'output-unknown'
  /** An input whose callers are not among the scanned files. */
  | 'input-unknown'
  /** A matrix built from an expression. */
  | 'matrix-dynamic'
  /** A value computed by a call or an index the audit cannot follow (`fromJSON(x).y`). */
  | 'computed';

export interface Origin {
  kind: OriginKind;
  /** The context reached (`github.event.issue.title`), or the one that could not be followed. */
  context: string;
  /** Hops followed on the way, outermost first: `env.TITLE`, `steps.meta.outputs.title`. */
  hops: string[];
  /** For `input-unknown`: which kind of file declares the input, and its declared type. */
  inputOf?: 'action' | 'workflow_call' | 'workflow_dispatch';
  inputType?: string;
  /** The input's declared default, when it has one. */
  inputDefault?: string;
  /** The file whose event supplies the context (a caller's, when reached through inputs). */
  doc?: WorkflowDocument;
}

/** Where a value is read: the file, the job (absent in a composite action) and the step (absent for job fields). */
export interface Scope {
  doc: WorkflowDocument;
  group: StepGroup;
  step?: Step;
}

/** The other scanned files, for following inputs to their callers. */
export interface FileIndex {
  docs: WorkflowDocument[];
}

/** Shell variables the runner sets from contexts, so `$GITHUB_HEAD_REF` is `github.head_ref`. */
const DEFAULT_ENV: Record<string, string> = {
  GITHUB_HEAD_REF: 'github.head_ref',
  GITHUB_BASE_REF: 'github.base_ref',
  GITHUB_REF: 'github.ref',
  GITHUB_REF_NAME: 'github.ref_name',
  GITHUB_ACTOR: 'github.actor',
  GITHUB_TRIGGERING_ACTOR: 'github.triggering_actor',
  GITHUB_SHA: 'github.sha',
  GITHUB_EVENT_NAME: 'github.event_name'
};

const MAX_DEPTH = 8;

export class Tracer {
  readonly #callers = new Map<WorkflowDocument, { caller: Scope; args: Map<string, Text> }[]>();

  constructor(readonly files: FileIndex) {}

  /** Origins of every context that flows into the value of the expressions in `text`. */
  originsOfText(text: string, scope: Scope, depth = 0): Origin[] {
    return fencedExpressions(text).flatMap((f) => {
      const e = parseExpression(f.inner);
      return e ? dataflowContexts(e).flatMap((c) => this.origins(c, scope, depth)) : [];
    });
  }

  /** Origins of one context node read in `scope`. */
  origins(ctx: Node, scope: Scope, depth = 0): Origin[] {
    const pattern = contextPattern(ctx);
    if (!pattern) return [{ kind: 'computed', context: exprText(ctx), hops: [] }];
    if (depth > MAX_DEPTH) return [{ kind: 'computed', context: pattern, hops: [] }];
    const [root, a, b, c] = pattern.split('.');
    const hop = (hopName: string, os: Origin[]) => os.map((o) => ({ ...o, hops: [hopName, ...o.hops] }));
    if (root === 'env' && a) {
      const def = envDefinition(a, scope);
      if (!def) return [{ kind: 'env-unknown', context: pattern, hops: [] }];
      return hop(pattern, this.originsOfText(def.text.value, def.scope, depth + 1));
    }
    if (root === 'steps' && a && b === 'outputs' && c) return hop(pattern, this.stepOutput(a, c, scope, depth));
    if (root === 'needs' && a && b === 'outputs' && c) return hop(pattern, this.jobOutput(a, c, scope, depth));
    if (root === 'inputs' && a) return hop(pattern, this.input(a, scope, depth));
    if (root === 'matrix' && a) return this.matrix(pattern, scope, depth);
    return [{ kind: 'context', context: pattern, hops: [], doc: scope.doc }];
  }

  /** Origins of the shell variables a script reads (`$TITLE`, `${TITLE}`, `%TITLE%`, `$env:TITLE`). */
  originsOfShellVars(script: string, scope: Scope, depth = 0): Origin[] {
    const out: Origin[] = [];
    for (const name of shellVars(script)) {
      if (DEFAULT_ENV[name])
        out.push({ kind: 'context', context: DEFAULT_ENV[name], hops: [`$${name}`], doc: scope.doc });
      const def = envDefinition(name, scope);
      if (def) {
        const os = this.originsOfText(def.text.value, def.scope, depth + 1);
        out.push(...os.map((o) => ({ ...o, hops: [`$${name}`, ...o.hops] })));
      }
    }
    return out;
  }

  private stepOutput(id: string, name: string, scope: Scope, depth: number): Origin[] {
    const unknown: Origin[] = [{ kind: 'output-unknown', context: `steps.${id}.outputs.${name}`, hops: [] }];
    const writer = scope.group.steps.find((s) => s.id?.value.toLowerCase() === id);
    if (!writer) return unknown;
    const inner: Scope = { ...scope, step: writer };
    if (writer.run) {
      const line = outputWrite(writer.run.value, name);
      if (line === undefined) return unknown;
      return [...this.originsOfText(line, inner, depth + 1), ...this.originsOfShellVars(line, inner, depth + 1)];
    }
    const action = writer.uses?.raw.replace(/@.*$/, '').toLowerCase() ?? '';
    if (action === 'actions/github-script') {
      const script = writer.with.get('script')?.value ?? '';
      const reads = [...script.matchAll(/context\.payload\.([\w.]+)/g)];
      return reads.length
        ? reads.map((m) => ({
            kind: 'context',
            context: `github.event.${m[1].toLowerCase()}`,
            hops: ['actions/github-script'],
            doc: scope.doc
          }))
        : unknown;
    }
    if (CHANGED_FILES_ACTIONS.has(action))
      return [
        { kind: 'context', context: 'github.event.pull_request.files.*.filename', hops: [action], doc: scope.doc }
      ];
    return unknown;
  }

  private jobOutput(jobId: string, name: string, scope: Scope, depth: number): Origin[] {
    const job = scope.doc.jobs.find((j) => j.id.toLowerCase() === jobId);
    const value = job && [...job.outputs].find(([k]) => k.toLowerCase() === name)?.[1];
    if (!job || !value) return [{ kind: 'output-unknown', context: `needs.${jobId}.outputs.${name}`, hops: [] }];
    return this.originsOfText(value.value, { doc: scope.doc, group: groupOf(job) }, depth + 1);
  }

  private input(name: string, scope: Scope, depth: number): Origin[] {
    const { doc } = scope;
    const declared = inputDeclaration(doc, name);
    if (!declared) return [{ kind: 'context', context: `inputs.${name}`, hops: [] }];
    if (declared.type && ['boolean', 'number', 'choice', 'environment'].includes(declared.type)) return [];
    const calls = this.callers(doc);
    if (declared.of === 'workflow_dispatch' || !calls.length)
      return [
        {
          kind: 'input-unknown',
          context: `inputs.${name}`,
          hops: [],
          inputOf: declared.of,
          inputType: declared.type,
          inputDefault: declared.default?.value
        }
      ];
    return calls.flatMap(({ caller, args }) => {
      const given = [...args].find(([k]) => k.toLowerCase() === name)?.[1];
      const value = given?.value ?? declared.default?.value ?? '';
      return this.originsOfText(value, caller, depth + 1).map((o) => ({
        ...o,
        hops: [`${caller.doc.path}:${given?.pos.line ?? caller.step?.pos.line ?? 1}`, ...o.hops]
      }));
    });
  }

  private matrix(pattern: string, scope: Scope, depth: number): Origin[] {
    const m = scope.group.job?.strategy?.matrix;
    if (!m) return [];
    if (m.expr) {
      const os = this.originsOfText(m.expr.value, scope, depth + 1);
      return os.length ? os : [{ kind: 'matrix-dynamic', context: pattern, hops: [] }];
    }
    const key = pattern.split('.')[1];
    const values = [...m.values].find(([k]) => k.toLowerCase() === key)?.[1] ?? [];
    return values.flatMap((v) => {
      if (!v.value.includes('${{')) return [];
      const os = this.originsOfText(v.value, scope, depth + 1);
      return os.length ? os : [{ kind: 'matrix-dynamic' as const, context: pattern, hops: [] }];
    });
  }

  /** Steps and jobs of the scanned files that call `doc` (a local action or reusable workflow). */
  callers(doc: WorkflowDocument): { caller: Scope; args: Map<string, Text> }[] {
    const known = this.#callers.get(doc);
    if (known) return known;
    const target = doc.path.replace(/\/action\.ya?ml$/, '');
    const out: { caller: Scope; args: Map<string, Text> }[] = [];
    this.#callers.set(doc, out);
    for (const d of this.files.docs) {
      for (const job of d.jobs) {
        if (job.uses?.kind === 'local' && samePath(job.uses.raw, doc.path))
          out.push({ caller: { doc: d, group: groupOf(job) }, args: job.with });
        for (const step of job.steps)
          if (step.uses?.kind === 'local' && samePath(step.uses.raw, target))
            out.push({ caller: { doc: d, group: groupOf(job), step }, args: step.with });
      }
      for (const step of d.action?.steps ?? [])
        if (step.uses?.kind === 'local' && samePath(step.uses.raw, target))
          out.push({ caller: { doc: d, group: { steps: d.action!.steps, where: 'runs' }, step }, args: step.with });
    }
    return out;
  }
}

/** Actions whose outputs are file names from the PR, which its author chooses. */
const CHANGED_FILES_ACTIONS = new Set([
  'tj-actions/changed-files',
  'step-security/changed-files',
  'dorny/paths-filter'
]);

export const groupOf = (job: Job): StepGroup => ({ job, steps: job.steps, where: `jobs.${job.id}` });

const samePath = (uses: string, path: string) =>
  uses.replace(/^\.\//, '').replace(/\/$/, '').toLowerCase() === path.toLowerCase();

const exprText = (n: Node): string => (n.t === 'ctx' ? `${n.root ?? 'call'}…` : n.t);

/** The innermost definition of `env.NAME` seen from a scope: step, job, then workflow. */
export function envDefinition(name: string, scope: Scope): { text: Text; scope: Scope } | undefined {
  // Expressions read `env` case-insensitively; so does a Windows shell.
  const find = (vars: Map<string, Text> | undefined) =>
    vars && [...vars].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const s = scope.step && find(scope.step.env.vars);
  if (s) return { text: s, scope };
  const j = find(scope.group.job?.env.vars);
  if (j) return { text: j, scope: { doc: scope.doc, group: scope.group } };
  const w = find(scope.doc.env.vars);
  return w ? { text: w, scope: { doc: scope.doc, group: { steps: [], where: '' } } } : undefined;
}

function inputDeclaration(
  doc: WorkflowDocument,
  name: string
): { of: 'action' | 'workflow_call' | 'workflow_dispatch'; type?: string; default?: Text } | undefined {
  const find = <T>(m: Map<string, T> | undefined) => m && [...m].find(([k]) => k.toLowerCase() === name)?.[1];
  const a = find(doc.action?.inputs);
  if (a) return { of: 'action', default: a.default };
  const call = find(doc.triggers.find((t) => t.event === 'workflow_call')?.inputs);
  const dispatch = find(doc.triggers.find((t) => t.event === 'workflow_dispatch')?.inputs);
  if (call) return { of: 'workflow_call', type: call.type, default: call.default };
  if (dispatch) return { of: 'workflow_dispatch', type: dispatch.type, default: dispatch.default };
  return undefined;
}

/** Names of the shell variables a script expands. */
export function shellVars(script: string): Set<string> {
  const out = new Set<string>();
  for (const m of script.matchAll(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%|\$env:([A-Za-z_][A-Za-z0-9_]*)/gi
  ))
    out.add(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** The line of a script that writes output `name` (`echo "name=..." >> $GITHUB_OUTPUT`, `::set-output`). */
export function outputWrite(script: string, name: string): string | undefined {
  const esc = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const re = new RegExp(`(^|["'\\s])${esc}(=|<<)|::set-output name=${esc}::`, 'i');
  return script.split('\n').find((l) => re.test(l) && /GITHUB_OUTPUT|::set-output/i.test(l));
}
