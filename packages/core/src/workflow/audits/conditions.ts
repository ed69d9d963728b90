// `if:` conditions that do not guard what they seem to: text outside `${{ }}`
// (the condition becomes a non-empty string, always true), `contains()` given
// a literal string (a substring test the attacker can satisfy), and
// pseudo-ternaries `a && '' || b` whose "true" branch is falsy.
import {
  children,
  constantReducible,
  contextPattern,
  fencedExpressions,
  isFalsyConstant,
  parseExpression,
  walk,
  type Node
} from '../expr';
import { stepGroups, type Pos, type Text, type WorkflowDocument } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { UNSOUND_CONDITIONS } from '../rules/conditions';

const RULES = UNSOUND_CONDITIONS.rules;

/** Contexts whose value whoever starts the run can choose (zizmor's list). */
const USER_CONTROLLED = [
  'env',
  'github.actor',
  'github.base_ref',
  'github.head_ref',
  'github.ref',
  'github.ref_name',
  'github.sha',
  'github.triggering_actor',
  'inputs'
];

/** Every `if:` of jobs and steps, with where it sits. */
export function conditions(doc: WorkflowDocument): { text: Text; where: string }[] {
  const out: { text: Text; where: string }[] = [];
  for (const j of doc.jobs) if (j.if) out.push({ text: j.if, where: `jobs.${j.id}` });
  for (const g of stepGroups(doc))
    for (const s of g.steps) if (s.if) out.push({ text: s.if, where: `${g.where}.steps[${s.index}]` });
  return out;
}

/** The expression of an `if:`: its one fenced expression, or the bare text. */
export function conditionExpr(text: Text): { expr?: Node; offset: number; fenced: boolean } {
  const f = fencedExpressions(text.value)[0];
  return f
    ? { expr: parseExpression(f.inner), offset: f.index + f.innerOffset, fenced: true }
    : { expr: parseExpression(text.value), offset: 0, fenced: false };
}

function orOperands(n: Node): Node[] {
  return n.t === 'or' && !constantReducible(n) ? n.args.flatMap(orOperands) : [n];
}

/** The "true" values of pseudo-ternaries in `n` that are falsy constants. */
export function unsoundTrueValues(n: Node): Node[] {
  if (constantReducible(n)) return [];
  const out: Node[] = [];
  if (n.t === 'or') {
    const ops = orOperands(n);
    for (const op of ops.slice(0, -1))
      if (op.t === 'and' && isFalsyConstant(op.args[op.args.length - 1])) out.push(op.args[op.args.length - 1]);
    for (const op of ops) out.push(...unsoundTrueValues(op));
    return out;
  }
  return children(n).flatMap(unsoundTrueValues);
}

const at = (text: Text, offset: number, raw: string, col: number): Pos => {
  const p = text.at(offset, raw);
  return { line: p.line, column: p.column + col };
};

function run({ doc }: AuditContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { text, where } of conditions(doc)) {
    const fenced = fencedExpressions(text.value);
    if (fenced.length && !(fenced.length === 1 && fenced[0].raw === text.value)) {
      out.push({
        rule: RULES.UNSOUND_CONDITION,
        pos: text.pos,
        message: `\`if: ${text.value.trim()}\` (${where}) is text around an expression${/\n$/.test(text.value) ? ' (the block keeps a final newline)' : ''}, so it is always true.`,
        evidence: text.value,
        subject: `always|${where}|${text.value.trim()}`
      });
    }
    const { expr, offset } = conditionExpr(text);
    if (!expr) continue;
    for (const n of walk(expr)) {
      if (n.t !== 'call' || n.name !== 'contains' || n.args[0]?.t !== 'lit' || typeof n.args[0].value !== 'string')
        continue;
      const ctx = contextPattern(n.args[1] ?? n);
      if (!ctx || n.args[1].t !== 'ctx') continue;
      const controlled = USER_CONTROLLED.some((c) => ctx === c || ctx.startsWith(`${c}.`));
      const raw = text.value.slice(offset + n.start, offset + n.end);
      out.push({
        rule: RULES.UNSOUND_CONTAINS,
        pos: at(text, offset + n.start, raw, 0),
        severity: controlled ? 'high' : 'info',
        message: `\`${raw}\` (${where}) tests whether \`${ctx}\` is a substring of a literal${controlled ? `, and \`${ctx}\` can be chosen by whoever starts the run` : ''}.`,
        evidence: raw,
        subject: `contains|${where}|${raw}`
      });
    }
  }
  for (const { path, text } of doc.texts) {
    for (const f of fencedExpressions(text.value)) {
      const e = parseExpression(f.inner);
      for (const v of e ? unsoundTrueValues(e) : []) {
        const raw = f.inner.slice(v.start, v.end);
        out.push({
          rule: RULES.UNSOUND_TERNARY,
          pos: at(text, f.index, f.raw, f.innerOffset + v.start),
          message: `In \`${f.raw}\` (${path}) the value after \`&&\` is \`${raw}\`, which is falsy, so the expression always yields the value after \`||\`.`,
          evidence: f.raw,
          subject: `ternary|${path}|${f.raw}`
        });
      }
    }
  }
  return out;
}

export const unsoundConditions: WorkflowAudit = { ...UNSOUND_CONDITIONS, run };
