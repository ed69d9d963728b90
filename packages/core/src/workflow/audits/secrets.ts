// Secrets handed out wholesale (`toJSON(secrets)`, `secrets[expr]`,
// `secrets: inherit`) and secrets sent to a host that is not GitHub or a
// package index from the same step (GhostAction, Shai-Hulud).
import { contextPattern, fencedExpressions, parseExpression, walk } from '../expr';
import { stepGroups, type Pos } from '../model';
import { envDefinition, shellVars } from '../trace';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { stepBy } from './common';
import { scriptSinks } from './template-injection';
import { SECRETS } from '../rules/secrets';

const RULES = SECRETS.rules;

const OUTSIDE_URL =
  /https?:\/\/(?!(?:[\w-]+\.)*(?:github\.com|githubusercontent\.com|github\.io|pypi\.org|pythonhosted\.org|anaconda\.org|codecov\.io|readthedocs\.org|readthedocs\.io|conda-forge\.org|npmjs\.org|npmjs\.com|localhost)(?![\w.-]))[\w.-]+/;
const SEND =
  /\b(curl|wget|Invoke-WebRequest|Invoke-RestMethod|iwr|irm|nc|ncat|fetch|requests\.(post|put|get)|http\.request|axios)\b/;
const SECRET_REF = /\bsecrets\.(?!GITHUB_TOKEN\b)([A-Za-z_][\w-]*)|toJSON\(\s*secrets\s*\)/gi;

function run({ doc }: AuditContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { path, text } of doc.texts) {
    const where = /^jobs\.[^.[]+/.exec(path)?.[0] ?? 'workflow';
    for (const f of fencedExpressions(text.value)) {
      const e = parseExpression(f.inner);
      if (!e) continue;
      for (const n of walk(e)) {
        const whole = n.t === 'call' && n.name === 'tojson' && n.args.some((a) => contextPattern(a) === 'secrets');
        const dynamic =
          n.t === 'ctx' && n.root === 'secrets' && !n.head && n.parts[0]?.t === 'index' && n.parts[0].expr.t !== 'lit';
        if (!whole && !dynamic) continue;
        const at = text.at(f.index, f.raw);
        const written = f.inner.slice(n.start, n.end);
        out.push({
          rule: RULES.ALL_SECRETS,
          pos: { line: at.line, column: at.column + f.innerOffset + n.start },
          severity: whole ? 'high' : 'medium',
          message: whole
            ? `\`${written}\` serialises every secret (${path}).`
            : `\`${written}\` can read any secret, chosen at run time (${path}).`,
          evidence: f.raw,
          subject: `${whole ? 'tojson' : 'index'}|${where}`,
          site: path
        });
      }
    }
  }
  for (const job of doc.jobs)
    if (job.secrets?.inherit)
      out.push({
        rule: RULES.ALL_SECRETS,
        pos: job.secrets.pos,
        severity: 'medium',
        message: `\`secrets: inherit\` passes every secret to the workflow job \`${job.id}\` calls${job.uses ? ` (${job.uses.raw})` : ''}.`,
        evidence: 'secrets: inherit',
        subject: `inherit|${job.id}`
      });

  // A secret and a send to an outside host in the same script.
  for (const group of stepGroups(doc)) {
    for (const step of group.steps) {
      for (const { text } of scriptSinks(step)) {
        const script = text.value;
        const url = OUTSIDE_URL.exec(script);
        if (!url || !SEND.test(script)) continue;
        const secrets = new Set([...script.matchAll(SECRET_REF)].map((m) => (m[1] ?? 'toJSON(secrets)').toUpperCase()));
        for (const v of shellVars(script)) {
          const def = envDefinition(v, { doc, group, step });
          for (const m of def?.text.value.matchAll(SECRET_REF) ?? [])
            secrets.add((m[1] ?? 'toJSON(secrets)').toUpperCase());
        }
        if (!secrets.size) continue;
        const host = url[0].replace(/^https?:\/\//, '');
        const pos: Pos = text.at(url.index, url[0]);
        out.push({
          rule: RULES.SECRETS_EXFIL,
          pos,
          message: `${group.job ? `Job \`${group.job.id}\`, ` : ''}${stepBy(step)} reads ${[...secrets].sort().join(', ')} and sends data to ${host}.`,
          evidence: url[0],
          subject: `exfil|${host}|${[...secrets].sort().join(',')}`,
          site: `${group.where}.${step.index}`
        });
      }
    }
  }
  return out;
}

export const secrets: WorkflowAudit = { ...SECRETS, run };
