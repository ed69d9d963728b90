// `if: github.actor == 'dependabot[bot]'` trusts whoever caused the latest
// event, not who wrote the PR: anyone can get Dependabot to act on their fork
// and then trigger the run as it (the "confused deputy" of pwn requests).
import type { Confidence, Severity } from '../../severity';
import { contextPattern, walk, type Node } from '../expr';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { reachOf } from './common';
import { conditionExpr, conditions } from './conditions';
import { BOT_CONDITIONS } from '../rules/bot-conditions';

const RULES = BOT_CONDITIONS.rules;

const ACTOR_NAME = new Set(['github.actor', 'github.triggering_actor', 'github.event.pull_request.sender.login']);
const ACTOR_ID = new Set(['github.actor_id', 'github.event.pull_request.sender.id']);
/** Account ids of dependabot[bot] (and its integration), dependabot-preview[bot] and renovate[bot]. */
const BOT_IDS = new Set(['29110', '49699333', '27856297', '29139614']);

function isBotCheck(n: Node): boolean {
  if (n.t !== 'cmp' || n.op !== '==') return false;
  const [ctx, lit] = n.left.t === 'ctx' ? [n.left, n.right] : [n.right, n.left];
  const p = contextPattern(ctx);
  if (!p || lit.t !== 'lit') return false;
  const v = String(lit.value);
  return (ACTOR_NAME.has(p) && v.endsWith('[bot]')) || (ACTOR_ID.has(p) && BOT_IDS.has(v));
}

/** Whether a bot check decides the condition alone (it sits under `||` only), or shares it with `&&`. */
function dominating(n: Node, target: Node): boolean {
  if (n === target) return true;
  if (n.t === 'or') return n.args.some((a) => dominating(a, target));
  return false;
}

function run({ doc }: AuditContext): RawFinding[] {
  const reach = reachOf(doc);
  const severity: Severity = reach === 'privileged' ? 'high' : reach === 'unknown' ? 'medium' : 'low';
  const out: RawFinding[] = [];
  for (const { text, where } of conditions(doc)) {
    const { expr, offset } = conditionExpr(text);
    if (!expr) continue;
    for (const n of walk(expr)) {
      if (!isBotCheck(n)) continue;
      const raw = text.value.slice(offset + n.start, offset + n.end);
      const p = text.at(offset + n.start, raw);
      const confidence: Confidence = dominating(expr, n) ? 'high' : 'medium';
      out.push({
        rule: RULES.BOT_CONDITION,
        pos: p,
        severity,
        confidence,
        message: `\`${raw}\` (${where}) trusts the actor of the latest event, which can be spoofed.`,
        evidence: raw,
        subject: `bot|${where}|${raw}|${reach}`
      });
    }
  }
  return out;
}

export const botConditions: WorkflowAudit = { ...BOT_CONDITIONS, run };
