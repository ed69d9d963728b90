// Expressions and `uses:` paths written to hide what they do: an expression
// that folds to a constant (`${{ format('{0}', 'rm -rf') }}`), a path with
// `.`, `..` or empty parts (`actions/checkout/../../evil/x`), or `with:` as one
// expression, which no reviewer or tool can read.
import { children, constantReducible, fencedExpressions, parseExpression, type Node } from '../expr';
import { stepGroups } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { stepBy } from './common';
import { OBFUSCATION } from '../rules/obfuscation';

const RULES = OBFUSCATION.rules;

/** Sub-expressions that fold to a constant without being a plain literal (outermost only). */
function reducible(n: Node): Node[] {
  if (n.t !== 'lit' && constantReducible(n)) return [n];
  return children(n).flatMap(reducible);
}

function run({ doc }: AuditContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { path, text } of doc.texts) {
    for (const f of fencedExpressions(text.value)) {
      const e = parseExpression(f.inner);
      if (!e) continue;
      const whole = constantReducible(e);
      for (const n of whole ? [e] : reducible(e)) {
        const p = text.at(f.index, f.raw);
        const raw = f.inner.slice(n.start, n.end);
        out.push({
          rule: RULES.OBFUSCATION,
          pos: { line: p.line, column: p.column + f.innerOffset + n.start },
          message: `\`${raw}\` (${path}) ${whole ? 'is a constant written as an expression' : 'folds to a constant'}.`,
          evidence: f.raw,
          subject: `const|${path}|${raw}`
        });
      }
    }
  }
  for (const g of stepGroups(doc)) {
    for (const s of g.steps) {
      const u = s.uses;
      const parts =
        u && (u.kind === 'action' || u.kind === 'reusable-workflow')
          ? u.raw
              .replace(/@[^@]*$/, '')
              .split('/')
              .slice(2)
          : [];
      if (u && parts.some((c) => c === '.' || c === '..' || c === '')) {
        out.push({
          rule: RULES.OBFUSCATION,
          pos: u.text.pos,
          message: `\`${u.raw}\` (${stepBy(s)}) has \`.\`, \`..\` or empty parts in its path.`,
          evidence: u.raw,
          subject: `path|${u.raw}`
        });
      }
      if (s.uses && s.withExpr)
        out.push({
          rule: RULES.OBFUSCATION,
          pos: s.withExpr.pos,
          severity: 'info',
          message: `\`with:\` of ${s.uses.raw} (${stepBy(s)}) is one expression, so its inputs cannot be read.`,
          evidence: s.withExpr.value,
          subject: `with|${g.where}|${s.uses.raw}`
        });
    }
  }
  return out;
}

export const obfuscation: WorkflowAudit = { ...OBFUSCATION, run };
