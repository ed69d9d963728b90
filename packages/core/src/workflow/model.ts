// The typed model of a GitHub workflow, reusable workflow or action metadata
// file that every workflow audit reads. Anchors, aliases and merge keys are
// already resolved; every value keeps the position of the text that wrote it
// (the anchor's text for a value reached through an alias, which is then in
// `via`), so a rule never walks YAML itself.
import type { UsesRef as WrittenUses } from '../workflows';

/** 1-based line and column in the file. */
export interface Pos {
  line: number;
  column: number;
}

/** A scalar as written: its value, where it is, and where inside it a piece of the value sits. */
export interface Text {
  value: string;
  pos: Pos;
  /** The alias (`*name`) through which this value was reached, when it was. */
  via?: Pos;
  /** True when the YAML scalar was a string (not a number, boolean or null). */
  isString: boolean;
  /** Position of `value.slice(index)`, found by locating `raw` in the source; `pos` when it cannot be. */
  at(index: number, raw: string): Pos;
}

/** A `uses:` value taken apart (see parseUsesValue), with the Text it is written in. */
export interface UsesRef extends Pick<WrittenUses, 'raw' | 'kind' | 'owner' | 'repo' | 'path' | 'ref' | 'comment'> {
  text: Text;
}

/** `env:` at some level: a map of names, or one expression that yields the whole map. */
export interface Env {
  vars: Map<string, Text>;
  expr?: Text;
}

export interface Permissions {
  pos: Pos;
  /** `read-all`, `write-all`, or `{}` written as `none`; undefined for a scope map. */
  all?: Text;
  scopes: Map<string, Text>;
}

export interface InputDef {
  name: string;
  pos: Pos;
  /** `string`, `boolean`, `number`, `choice`, `environment`; undefined in action metadata. */
  type?: string;
  default?: Text;
  required?: boolean;
}

export interface Trigger {
  event: string;
  pos: Pos;
  branches: Text[];
  tags: Text[];
  types: Text[];
  /** `workflow_run.workflows`. */
  workflows: Text[];
  /**
   * `workflow_run` only: every workflow it names is one the audited files hold and only maintainers start
   * (set by the audit from the files it has; see upstreams.ts).
   */
  upstreamTrusted?: boolean;
  /** Inputs of `workflow_call` and `workflow_dispatch`. */
  inputs: Map<string, InputDef>;
}

export interface Container {
  pos: Pos;
  image?: Text;
  username?: Text;
  password?: Text;
  /** Position of `credentials:`. */
  credentialsPos?: Pos;
}

export interface Matrix {
  pos: Pos;
  /** The whole matrix is one expression (`matrix: ${{ fromJSON(...) }}`). */
  expr?: Text;
  /** Every value each key can take (from the key lists and `include`); expressions count as dynamic. */
  values: Map<string, Text[]>;
}

export interface Step {
  /** 0-based position in its job's (or action's) steps. */
  index: number;
  pos: Pos;
  via?: Pos;
  id?: Text;
  name?: Text;
  if?: Text;
  uses?: UsesRef;
  run?: Text;
  shell?: Text;
  with: Map<string, Text>;
  /** `with:` written as one expression: nothing can be read from it. */
  withExpr?: Text;
  withPos?: Pos;
  env: Env;
  workingDirectory?: Text;
}

export interface Job {
  id: string;
  pos: Pos;
  name?: Text;
  if?: Text;
  /** `runs-on` labels (a string, a list, or `labels:` of the group form). */
  runsOn: Text[];
  runsOnPos?: Pos;
  runsOnGroup?: Text;
  /** `runs-on` is one expression. */
  runsOnExpr?: Text;
  container?: Container;
  services: Map<string, Container>;
  environment?: { pos: Pos; name?: Text };
  needs: string[];
  strategy?: { pos: Pos; matrix?: Matrix };
  outputs: Map<string, Text>;
  permissions?: Permissions;
  env: Env;
  defaultShell?: Text;
  /** A call of a reusable workflow. */
  uses?: UsesRef;
  with: Map<string, Text>;
  /** `secrets: inherit`, or the secrets passed by name. */
  secrets?: { pos: Pos; inherit: boolean; vars: Map<string, Text> };
  steps: Step[];
}

export interface ActionMeta {
  /** `composite`, `docker`, `node20`, ... */
  using?: Text;
  inputs: Map<string, InputDef>;
  outputs: Map<string, { pos: Pos; value?: Text }>;
  /** Docker actions: the image (`docker://...` or a Dockerfile). */
  image?: Text;
  steps: Step[];
}

export interface WorkflowDocument {
  /** Repository-relative path, forward slashes. */
  path: string;
  kind: 'workflow' | 'action';
  name?: Text;
  triggers: Trigger[];
  /** Position of `on:`, or of the file start when there is none. */
  onPos: Pos;
  permissions?: Permissions;
  env: Env;
  defaultShell?: Text;
  jobs: Job[];
  action?: ActionMeta;
  /** Every string scalar of the file with its key path, for audits that look at all expressions. */
  texts: { path: string; text: Text }[];
  /** The file's text. */
  source: string;
}

/** The steps of a document grouped as they run: per job, or the composite action's. */
export interface StepGroup {
  job?: Job;
  steps: Step[];
  /** `jobs.<id>` or `runs`, for messages and keys. */
  where: string;
}

export function stepGroups(doc: WorkflowDocument): StepGroup[] {
  if (doc.kind === 'action') return doc.action?.steps.length ? [{ steps: doc.action.steps, where: 'runs' }] : [];
  return doc.jobs.map((job) => ({ job, steps: job.steps, where: `jobs.${job.id}` }));
}

/**
 * Every `uses:` of a document (reusable-workflow calls, then steps), located (file, line, column,
 * where), for callers that check references one by one (verify-deps' online checks).
 */
export function usesOf(doc: WorkflowDocument): WrittenUses[] {
  const at = (u: UsesRef, where: string): WrittenUses => {
    const { text, ...parts } = u;
    return { file: doc.path, line: text.pos.line, column: text.pos.column, ...parts, where };
  };
  return [
    ...doc.jobs.flatMap((j) => (j.uses ? [at(j.uses, `jobs.${j.id}`)] : [])),
    ...stepGroups(doc).flatMap((g) =>
      g.steps.flatMap((s) => (s.uses ? [at(s.uses, `${g.where}.steps[${s.index}]`)] : []))
    )
  ];
}

export const hasTrigger = (doc: WorkflowDocument, ...events: string[]): boolean =>
  doc.triggers.some((t) => events.includes(t.event));

/** A step's name for messages and keys: its id, name, action or `step N`. */
export function stepLabel(step: Step): string {
  return (
    step.id?.value ??
    step.name?.value ??
    (step.uses ? step.uses.raw.replace(/@.*$/, '') : undefined) ??
    `step ${step.index + 1}`
  );
}
