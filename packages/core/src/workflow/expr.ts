// `${{ }}` expressions, parsed with GitHub's own parser (@actions/expressions)
// and turned into a small tree that keeps where each piece is written, so an
// audit can ask which contexts flow into the value (`a && b` yields only b),
// whether an expression folds to a constant, and point at the exact column.
import { Evaluator, Lexer, Parser, data, type Expr as LibExpr } from '@actions/expressions';
import {
  Binary,
  ContextAccess,
  FunctionCall,
  Grouping,
  IndexAccess,
  Literal,
  Logical,
  Star,
  Unary
} from '@actions/expressions/ast';
import { falsy } from '@actions/expressions/result';

/** One `${{ ... }}` in a string: the whole text, the expression inside, and where it starts. */
export interface Fenced {
  raw: string;
  inner: string;
  index: number;
  /** Offset of `inner` inside `raw`. */
  innerOffset: number;
}

/** Every `${{ ... }}` in a string; a `}}` inside a quoted string does not close it. */
export function fencedExpressions(s: string): Fenced[] {
  const out: Fenced[] = [];
  for (let i = s.indexOf('${{'); i >= 0; i = s.indexOf('${{', i + 3)) {
    let j = i + 3;
    let quoted = false;
    for (; j < s.length - 1; j++) {
      if (s[j] === "'") quoted = !quoted;
      else if (!quoted && s[j] === '}' && s[j + 1] === '}') break;
    }
    if (j >= s.length - 1) break;
    out.push({ raw: s.slice(i, j + 2), inner: s.slice(i + 3, j), index: i, innerOffset: 3 });
    i = j;
  }
  return out;
}

export type Part = { t: 'key'; name: string } | { t: 'star' } | { t: 'index'; expr: Node };

interface Span {
  /** Offsets in the expression text (the inside of `${{ }}`). */
  start: number;
  end: number;
  src: LibExpr;
}

export type Node = Span &
  (
    | { t: 'lit'; value: string | number | boolean | null }
    | { t: 'ctx'; root?: string; head?: Node; parts: Part[] }
    | { t: 'call'; name: string; args: Node[] }
    | { t: 'and' | 'or'; args: Node[] }
    | { t: 'not'; expr: Node }
    | { t: 'cmp'; op: string; left: Node; right: Node }
  );

const CONTEXTS = [
  'github',
  'env',
  'vars',
  'job',
  'jobs',
  'steps',
  'runner',
  'secrets',
  'strategy',
  'matrix',
  'needs',
  'inputs'
];
const EXTRA_FUNCTIONS = [
  { name: 'hashFiles', minArgs: 1, maxArgs: 255 },
  { name: 'success', minArgs: 0, maxArgs: 0 },
  { name: 'always', minArgs: 0, maxArgs: 0 },
  { name: 'cancelled', minArgs: 0, maxArgs: 0 },
  { name: 'failure', minArgs: 0, maxArgs: 255 }
];

/**
 * The expression's tree, or undefined when GitHub's parser rejects its syntax.
 * A context or function the parser does not know (a typo, a newer function)
 * is still read: GitHub would fail the run, but an auditor reads what is written.
 */
export function parseExpression(text: string): Node | undefined {
  if (PARSED.has(text)) return PARSED.get(text);
  const node = parseUncached(text);
  if (PARSED.size > 10_000) PARSED.clear();
  PARSED.set(text, node);
  return node;
}

/** Expressions repeat across jobs, files and audits; trees are never modified, so one parse serves all. */
const PARSED = new Map<string, Node | undefined>();

function parseUncached(text: string): Node | undefined {
  const contexts = [...CONTEXTS];
  const functions = [...EXTRA_FUNCTIONS];
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const tokens = new Lexer(text).lex().tokens;
      return new Converter(text).convert(new Parser(tokens, contexts, functions).parse());
    } catch (e) {
      const m = /Unrecognized (named-value|function): '([^']+)'/.exec(e instanceof Error ? e.message : '');
      if (!m) return undefined;
      if (m[1] === 'function') functions.push({ name: m[2], minArgs: 0, maxArgs: 255 });
      else contexts.push(m[2]);
    }
  }
  return undefined;
}

class Converter {
  readonly lineStarts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  off(p: { line: number; column: number }): number {
    return (this.lineStarts[p.line] ?? 0) + p.column;
  }

  convert(e: LibExpr): Node {
    if (e instanceof Grouping) {
      const inner = this.convert(e.group);
      // Widen to the parentheses, so `('')` is reported as written.
      const open = this.text.lastIndexOf('(', inner.start);
      const close = this.text.indexOf(')', inner.end);
      return { ...inner, start: open >= 0 ? open : inner.start, end: close >= 0 ? close + 1 : inner.end };
    }
    if (e instanceof Literal) {
      const r = e.token.range;
      const v = e.literal as { value?: unknown };
      const value = (v.value ?? null) as string | number | boolean | null;
      return { t: 'lit', value, start: this.off(r.start), end: this.off(r.end), src: e };
    }
    if (e instanceof ContextAccess) {
      const r = e.name.range;
      return {
        t: 'ctx',
        root: e.name.lexeme.toLowerCase(),
        parts: [],
        start: this.off(r.start),
        end: this.off(r.end),
        src: e
      };
    }
    if (e instanceof IndexAccess) {
      const base = this.convert(e.expr);
      const ctx: Node & { t: 'ctx' } =
        base.t === 'ctx' ? { ...base, parts: [...base.parts] } : { t: 'ctx', head: base, parts: [], ...span(base) };
      const idx = e.index;
      let end = ctx.end;
      if (idx instanceof Star) {
        ctx.parts.push({ t: 'star' });
        end = this.text.indexOf('*', end) + 1 || end;
      } else if (idx instanceof Literal && idx.token.type === 19) {
        ctx.parts.push({ t: 'key', name: String(idx.token.lexeme).toLowerCase() });
        end = this.off(idx.token.range.end);
      } else {
        const sub = this.convert(idx);
        const v = sub.t === 'lit' ? sub.value : undefined;
        ctx.parts.push(typeof v === 'string' ? { t: 'key', name: v.toLowerCase() } : { t: 'index', expr: sub });
        end = this.text.indexOf(']', sub.end) + 1 || sub.end;
      }
      return { ...ctx, end, src: e };
    }
    if (e instanceof FunctionCall) {
      const args = e.args.map((a) => this.convert(a));
      const start = this.off(e.functionName.range.start);
      const last = args.length ? args[args.length - 1].end : this.off(e.functionName.range.end);
      const end = this.text.indexOf(')', last) + 1 || last;
      return { t: 'call', name: e.functionName.lexeme.toLowerCase(), args, start, end, src: e };
    }
    if (e instanceof Logical) {
      const args = e.args.map((a) => this.convert(a));
      const t = e.operator.lexeme === '&&' ? 'and' : 'or';
      return { t, args, start: args[0].start, end: args[args.length - 1].end, src: e };
    }
    if (e instanceof Unary) {
      const expr = this.convert(e.expr);
      return { t: 'not', expr, start: this.off(e.operator.range.start), end: expr.end, src: e };
    }
    if (e instanceof Binary) {
      const left = this.convert(e.left);
      const right = this.convert(e.right);
      return { t: 'cmp', op: e.operator.lexeme, left, right, start: left.start, end: right.end, src: e };
    }
    throw new Error('unknown expression node');
  }
}

const span = (n: Node) => ({ start: n.start, end: n.end, src: n.src });

/** Children of a node, in order. */
export function children(n: Node): Node[] {
  switch (n.t) {
    case 'ctx':
      return [...(n.head ? [n.head] : []), ...n.parts.flatMap((p) => (p.t === 'index' ? [p.expr] : []))];
    case 'call':
    case 'and':
    case 'or':
      return n.args;
    case 'not':
      return [n.expr];
    case 'cmp':
      return [n.left, n.right];
    default:
      return [];
  }
}

export function* walk(n: Node): Generator<Node> {
  yield n;
  for (const c of children(n)) yield* walk(c);
}

/** `github.event.issue.title`, with list indexes as `*`; undefined for computed indexes or `fromJSON(x).y`. */
export function contextPattern(n: Node): string | undefined {
  if (n.t !== 'ctx' || !n.root) return undefined;
  const parts = [n.root];
  for (const p of n.parts) {
    if (p.t === 'key') parts.push(p.name);
    else if (p.t === 'star') parts.push('*');
    else if (p.expr.t === 'lit' && typeof p.expr.value === 'number') parts.push('*');
    else return undefined;
  }
  return parts.join('.');
}

/** The contexts whose value can become the expression's value (zizmor's dataflow rule). */
export function dataflowContexts(n: Node): (Node & { t: 'ctx' })[] {
  switch (n.t) {
    case 'ctx':
      return [n];
    case 'call':
      return ['tojson', 'format', 'join'].includes(n.name) ? n.args.flatMap(dataflowContexts) : [];
    case 'and':
      return dataflowContexts(n.args[n.args.length - 1]);
    case 'or':
      return n.args.flatMap(dataflowContexts);
    default:
      return [];
  }
}

const FOLDABLE_CALLS = new Set(['contains', 'startswith', 'endswith', 'format', 'tojson', 'join']);

/** The expression folds to a constant: literals combined by operators and pure functions. */
export function constantReducible(n: Node): boolean {
  switch (n.t) {
    case 'lit':
      return true;
    case 'and':
    case 'or':
    case 'not':
    case 'cmp':
      return children(n).every(constantReducible);
    case 'call':
      return FOLDABLE_CALLS.has(n.name) && n.args.every(constantReducible);
    default:
      return false;
  }
}

/** The constant value of a foldable expression, or undefined. */
export function constantValue(n: Node): data.ExpressionData | undefined {
  const foldable = constantReducible(n) || (n.t === 'call' && n.name === 'fromjson' && n.args[0]?.t === 'lit');
  if (!foldable) return undefined;
  try {
    return new Evaluator(n.src, new data.Dictionary()).evaluate();
  } catch {
    return undefined;
  }
}

export const isFalsyConstant = (n: Node): boolean => {
  const v = constantValue(n);
  return v !== undefined && falsy(v);
};
