// `if:` conditions that do not guard what they seem to: text outside `${{ }}`
// (the condition becomes a non-empty string, always true), `contains()` given
// a literal string (a substring test the attacker can satisfy), and
// pseudo-ternaries `a && '' || b` whose "true" branch is falsy.
import { defineRules } from '../../rules';
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
import { REF } from './common';

const RULES = defineRules({
  UNSOUND_CONDITION: {
    id: 'workflow/unsound-condition',
    title: '`if:` is always true',
    severity: 'high',
    why: 'When an `if:` holds text besides one `${{ }}` (a second expression, words, or the newline a `|` block keeps), GitHub evaluates it as a string, and a non-empty string is true: the guard never stops the job or step.',
    remediation:
      'Write the whole condition as one expression (`if: ${{ a && b }}` or `if: a && b`), and use `|-` or `>-` for a multi-line condition.',
    spec: ['S8-16'],
    references: [REF.zizmor('unsound-condition')]
  },
  UNSOUND_CONTAINS: {
    id: 'workflow/unsound-contains',
    title: '`contains()` on a string lets a substring through',
    severity: 'high',
    why: "`contains('refs/heads/main refs/heads/release', github.ref)` tests for a substring, so `refs/heads/m` or any value inside the string passes. High when the tested value can be chosen by whoever starts the run (a branch name, an actor, an input, env), informational otherwise.",
    remediation:
      'Compare exactly, or test membership in a list: `contains(fromJSON(\'["refs/heads/main", "refs/heads/release"]\'), github.ref)`.',
    spec: ['S8-16'],
    references: [REF.zizmor('unsound-contains')]
  },
  UNSOUND_TERNARY: {
    id: 'workflow/unsound-ternary',
    title: 'Pseudo-ternary whose true value is falsy',
    severity: 'low',
    why: "`cond && x || y` yields y whenever x is falsy; with `x` = `''`, `0`, `false` or `null` the expression yields y even when cond holds, which silently inverts flags and branches.",
    remediation:
      "Reorder so the falsy value is the fallback (`!cond && 'y' || ''`), or use `case()`/`format()` instead of `&& ||`.",
    spec: ['S8-16'],
    references: [REF.zizmor('unsound-ternary')]
  }
});

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

export const unsoundConditions: WorkflowAudit = { id: 'unsound-conditions', rules: RULES, run };
