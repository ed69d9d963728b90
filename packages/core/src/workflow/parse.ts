// YAML text → WorkflowDocument. Tolerant on purpose: GitHub's schema is not
// enforced (an unknown key or a wrong type leaves that part out), because an
// auditor must still read what it can of a file GitHub would reject; only a
// YAML syntax error makes the file unreadable, reported as one line naming
// file and line.
import { LineCounter, parseDocument, type Node } from 'yaml';
import { oneLine } from '../errors';
import { parseUsesValue } from '../workflows';
import { unresolvedAlias, unresolvedMessage, yamlError } from '../yaml';
import type {
  ActionMeta,
  Container,
  Env,
  InputDef,
  Job,
  Matrix,
  Permissions,
  Pos,
  Step,
  Text,
  Trigger,
  UsesRef,
  WorkflowDocument
} from './model';
import { YamlReader } from './yaml-reader';

export interface WorkflowSource {
  /** Repository-relative path, forward slashes. */
  path: string;
  text: string;
  /** Read as a workflow or as action metadata; by default `action.y(a)ml` files (or a top-level `runs:`) are actions. */
  kind?: 'workflow' | 'action';
}

export type ParseResult = { doc: WorkflowDocument } | { error: string };

/**
 * Results by kind, path and text: the checks of one `scan` read the same files (the workflow audit,
 * then verify-deps), and documents are never changed once built. The oldest go first past the bound.
 */
const parsed = new Map<string, ParseResult>();
const CACHED = 2048;

export function parseWorkflowDocument(src: WorkflowSource): ParseResult {
  const key = `${src.kind ?? ''}\0${src.path}\0${src.text}`;
  let r = parsed.get(key);
  if (!r) {
    r = parse(src);
    parsed.set(key, r);
    if (parsed.size > CACHED) parsed.delete(parsed.keys().next().value!);
  }
  return r;
}

function parse(src: WorkflowSource): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(src.text, { lineCounter: lines, merge: true, uniqueKeys: true });
  if (doc.errors.length) return { error: oneLine(yamlError(doc, src.text, src.path)) };
  const unresolved = unresolvedAlias(doc);
  if (unresolved)
    return { error: `${src.path}:${lines.linePos(unresolved.range?.[0] ?? 0).line}: ${unresolvedMessage(unresolved)}` };
  try {
    return { doc: new Builder(new YamlReader(src.text, doc, lines), src).build() };
  } catch (e) {
    return { error: `${src.path}: could not read the workflow: ${oneLine(e)}` };
  }
}

class Builder {
  constructor(
    readonly y: YamlReader,
    readonly src: WorkflowSource
  ) {}

  build(): WorkflowDocument {
    const y = this.y;
    const root = y.doc.contents;
    const get = (k: string) => y.get(root, k)?.value;
    const isAction =
      this.src.kind === 'action' ||
      (this.src.kind === undefined &&
        (/(^|\/)action\.ya?ml$/.test(this.src.path) || (y.get(root, 'runs') !== undefined && !y.get(root, 'jobs'))));
    const on = y.get(root, 'on');
    return {
      path: this.src.path,
      kind: isAction ? 'action' : 'workflow',
      name: y.text(get('name')),
      triggers: isAction || !on ? [] : this.triggers(on.value),
      onPos: on?.keyPos ?? { line: 1, column: 1 },
      permissions: this.permissions(y.get(root, 'permissions')),
      env: this.env(get('env')),
      defaultShell: y.text(y.get(y.get(get('defaults'), 'run')?.value, 'shell')?.value),
      jobs: isAction ? [] : y.entries(get('jobs')).map((e) => this.job(e.key, e.keyPos, e.value)),
      action: isAction ? this.action(root) : undefined,
      texts: [...y.strings(root, '')],
      source: this.src.text
    };
  }

  triggers(node: Node | null): Trigger[] {
    const y = this.y;
    const blank = (event: string, pos: Pos): Trigger => ({
      event,
      pos,
      branches: [],
      tags: [],
      types: [],
      workflows: [],
      inputs: new Map()
    });
    const scalar = y.text(node);
    if (scalar) return [blank(scalar.value, scalar.pos)];
    if (!y.isMap(node)) return y.texts(node).map((t) => blank(t.value, t.pos));
    return y.entries(node).map((e) => {
      const t = blank(e.key, e.keyPos);
      const cfg = e.value;
      t.branches = y.texts(y.get(cfg, 'branches')?.value);
      t.tags = y.texts(y.get(cfg, 'tags')?.value);
      t.types = y.texts(y.get(cfg, 'types')?.value);
      t.workflows = y.texts(y.get(cfg, 'workflows')?.value);
      t.inputs = this.inputs(y.get(cfg, 'inputs')?.value);
      return t;
    });
  }

  inputs(node: Node | null | undefined): Map<string, InputDef> {
    const y = this.y;
    return new Map(
      y.entries(node).map((e) => {
        const required = y.text(y.get(e.value, 'required')?.value)?.value;
        return [
          e.key,
          {
            name: e.key,
            pos: e.keyPos,
            type: y.text(y.get(e.value, 'type')?.value)?.value,
            default: y.text(y.get(e.value, 'default')?.value),
            required: required === undefined ? undefined : required === 'true'
          }
        ];
      })
    );
  }

  permissions(entry: { keyPos: Pos; value: Node | null } | undefined): Permissions | undefined {
    if (!entry) return undefined;
    const y = this.y;
    const all = y.text(entry.value);
    const scopes = new Map(y.entries(entry.value).flatMap((e) => (y.text(e.value) ? [[e.key, y.text(e.value)!]] : [])));
    return { pos: entry.keyPos, all, scopes };
  }

  env(node: Node | null | undefined): Env {
    const y = this.y;
    const expr = y.text(node);
    const vars = new Map(y.entries(node).flatMap((e) => (y.text(e.value) ? [[e.key, y.text(e.value)!]] : [])));
    return { vars, expr };
  }

  textMap(node: Node | null | undefined): Map<string, Text> {
    return this.env(node).vars;
  }

  uses(node: Node | null | undefined): UsesRef | undefined {
    const text = this.y.text(node);
    if (!text) return undefined;
    const raw = text.value.trim();
    return { text, raw, comment: this.y.comment(node), ...parseUsesValue(raw) };
  }

  container(entry: { keyPos: Pos; value: Node | null }): Container {
    const y = this.y;
    const image = y.text(entry.value);
    if (image) return { pos: entry.keyPos, image };
    const creds = y.get(entry.value, 'credentials');
    return {
      pos: entry.keyPos,
      image: y.text(y.get(entry.value, 'image')?.value),
      username: y.text(y.get(creds?.value, 'username')?.value),
      password: y.text(y.get(creds?.value, 'password')?.value),
      credentialsPos: creds?.keyPos
    };
  }

  matrix(entry: { keyPos: Pos; value: Node | null }): Matrix {
    const y = this.y;
    const expr = y.text(entry.value);
    const values = new Map<string, Text[]>();
    const add = (k: string, ts: Text[]) => values.set(k, [...(values.get(k) ?? []), ...ts]);
    const excluded: [string, string][] = [];
    for (const e of y.entries(entry.value)) {
      if (e.key === 'include') {
        for (const item of y.items(e.value)) for (const f of y.entries(item.node)) add(f.key, this.leaves(f.value));
      } else if (e.key === 'exclude') {
        // An exclusion of one key's value removes that value from every combination.
        for (const item of y.items(e.value)) {
          const fs = y.entries(item.node);
          const v = fs.length === 1 ? y.text(fs[0].value) : undefined;
          if (v) excluded.push([fs[0].key, v.value]);
        }
      } else add(e.key, this.leaves(e.value));
    }
    for (const [k, v] of excluded)
      values.set(
        k,
        (values.get(k) ?? []).filter((t) => t.value !== v)
      );
    return { pos: entry.keyPos, expr, values };
  }

  /** Scalars of a matrix value: a list of scalars, or of maps (`matrix.os.name`), flattened. */
  leaves(node: Node | null): Text[] {
    const y = this.y;
    const one = y.text(node);
    if (one) return [one];
    return y.items(node).flatMap((i) => y.text(i.node, i.via) ?? [...y.strings(i.node, '')].map((s) => s.text));
  }

  step(node: Node | null, index: number, via?: Pos): Step {
    const y = this.y;
    const get = (k: string) => y.get(node, k);
    const withEntry = get('with');
    return {
      index,
      pos: y.pos(node),
      via,
      id: y.text(get('id')?.value),
      name: y.text(get('name')?.value),
      if: y.text(get('if')?.value),
      uses: this.uses(get('uses')?.value),
      run: y.text(get('run')?.value),
      shell: y.text(get('shell')?.value),
      with: this.textMap(withEntry?.value),
      withExpr: y.text(withEntry?.value),
      withPos: withEntry?.keyPos,
      env: this.env(get('env')?.value),
      workingDirectory: y.text(get('working-directory')?.value)
    };
  }

  job(id: string, pos: Pos, node: Node | null): Job {
    const y = this.y;
    const get = (k: string) => y.get(node, k);
    const runsOn = get('runs-on');
    const group = y.get(runsOn?.value, 'group');
    const labels = y.isMap(runsOn?.value) ? y.texts(y.get(runsOn?.value, 'labels')?.value) : y.texts(runsOn?.value);
    const env = get('environment');
    const strategy = get('strategy');
    const matrix = y.get(strategy?.value, 'matrix');
    const secrets = get('secrets');
    const secretsText = y.text(secrets?.value);
    return {
      id,
      pos,
      name: y.text(get('name')?.value),
      if: y.text(get('if')?.value),
      runsOn: labels.filter((l) => !(labels.length === 1 && /^\s*\$\{\{[\s\S]*\}\}\s*$/.test(l.value))),
      runsOnPos: runsOn?.keyPos,
      runsOnGroup: y.text(group?.value),
      runsOnExpr: labels.length === 1 && /^\s*\$\{\{[\s\S]*\}\}\s*$/.test(labels[0].value) ? labels[0] : undefined,
      container: get('container') && this.container(get('container')!),
      services: new Map(y.entries(get('services')?.value).map((e) => [e.key, this.container(e)])),
      environment: env && { pos: env.keyPos, name: y.text(env.value) ?? y.text(y.get(env.value, 'name')?.value) },
      needs: y.texts(get('needs')?.value).map((t) => t.value),
      strategy: strategy && { pos: strategy.keyPos, matrix: matrix && this.matrix(matrix) },
      outputs: this.textMap(get('outputs')?.value),
      permissions: this.permissions(get('permissions')),
      env: this.env(get('env')?.value),
      defaultShell: y.text(y.get(y.get(get('defaults')?.value, 'run')?.value, 'shell')?.value),
      uses: this.uses(get('uses')?.value),
      with: this.textMap(get('with')?.value),
      secrets: secrets && {
        pos: secrets.keyPos,
        inherit: secretsText?.value === 'inherit',
        vars: this.textMap(secrets.value)
      },
      steps: y.items(get('steps')?.value).map((s, i) => this.step(s.node, i, s.via))
    };
  }

  action(root: unknown): ActionMeta {
    const y = this.y;
    const runs = y.get(root, 'runs')?.value;
    return {
      using: y.text(y.get(runs, 'using')?.value),
      inputs: this.inputs(y.get(root, 'inputs')?.value),
      outputs: new Map(
        y
          .entries(y.get(root, 'outputs')?.value)
          .map((e) => [e.key, { pos: e.keyPos, value: y.text(y.get(e.value, 'value')?.value) }])
      ),
      image: y.text(y.get(runs, 'image')?.value),
      steps: y.items(y.get(runs, 'steps')?.value).map((s, i) => this.step(s.node, i, s.via))
    };
  }
}
