// The two documents of the playbook's "additional 4" that no API reports: an
// incident response plan and a threat model, found by the heuristics of
// assessment/documents.ts in the texts the repository's batch fetched. A
// project whose document lives elsewhere declares it in the config
// (`access-audit.declared`), which suppresses the finding with its date.
import { type Rule, defineRules, rulesOf } from '@security-actions/core';
import { type DocRule, INCIDENT_RESPONSE, THREAT_MODEL, lacks, linkTo, section } from '../assessment/documents';
import { DOC_PATHS, docField } from '../assessment/fields';
import { VISIBILITY } from '../assessment/index';
import { isPublic } from '../listing';
import type { RepoCheck, RepoContext } from '../types';

export const RULES = defineRules({
  noIncidentResponse: {
    id: 'repo/no-incident-response-plan',
    title: 'No incident response plan',
    severity: 'low',
    why: 'When a token leaks or a release is compromised, a written plan says who leads, who is told and in which order to revoke, rotate, yank and advise; improvising costs hours an attacker uses.',
    remediation:
      'Add INCIDENT_RESPONSE.md (or an "Incident response" section of SECURITY.md) naming the roles and the steps, or declare where the plan lives in access-audit.declared.',
    spec: ['S6-8']
  },
  noThreatModel: {
    id: 'repo/no-threat-model',
    title: 'No threat model document',
    severity: 'info',
    why: 'A threat model names what an attacker would target (release credentials, the publish workflow, maintainer accounts) and which control covers each; without it gaps go unseen.',
    remediation:
      'Add THREAT_MODEL.md (or a "Threat model" section of SECURITY.md) listing assets, threats and mitigations, or declare where it lives in access-audit.declared.',
    spec: ['S6-1']
  }
});

/** The evidence keys, shared with the self-assessment items. */
export const EVIDENCE = { incidentResponse: 'incident-response', threatModel: 'threat-model' } as const;

export const securityDocs: RepoCheck = {
  id: 'security-docs',
  scope: 'repo',
  rules: rulesOf(RULES),
  run(c) {
    // Every audited repository gets an evidence entry: the self-assessment lists exactly these.
    (c.gathered.evidence[c.name] ??= {})[VISIBILITY] = isPublic(c.listing) ? 'public' : 'private';
    findDocument(c, RULES.noIncidentResponse, INCIDENT_RESPONSE, DOC_PATHS.incidentResponse, EVIDENCE.incidentResponse);
    findDocument(c, RULES.noThreatModel, THREAT_MODEL, DOC_PATHS.threatModel, EVIDENCE.threatModel);
  }
};

function findDocument(c: RepoContext, rule: Rule, doc: DocRule, paths: readonly string[], key: string): void {
  const { name, repo, failed, add, skip } = c;
  const read = [...paths, ...DOC_PATHS.securityPolicy];
  const err = read.map((p) => failed(docField(p))).find(Boolean);
  if (err) return skip(rule.id, `not checked: needs contents: read (${err.message})`, name);
  const text = (p: string) => repo[docField(p)]?.text ?? undefined;
  const evidence = (e: string) => ((c.gathered.evidence[name] ??= {})[key] = e);

  // A dedicated file first, then a section of SECURITY.md, then a link from it.
  const candidates: [string, string][] = [
    ...paths.flatMap((p): [string, string][] => (text(p) !== undefined ? [[p, text(p)!]] : [])),
    ...DOC_PATHS.securityPolicy.flatMap((p): [string, string][] => {
      const s = text(p) === undefined ? undefined : section(text(p)!, doc.names);
      return s === undefined ? [] : [[`${p} (section)`, s]];
    })
  ];
  for (const [where, t] of candidates) if (!lacks(doc, t).length) return void evidence(`found in ${where}`);
  for (const p of DOC_PATHS.securityPolicy) {
    if (text(p) !== undefined && linkTo(text(p)!, doc.names))
      return void evidence(`${p} links to it (its contents were not read)`);
  }
  if (candidates.length) {
    const [where, t] = candidates[0];
    return add(rule, name, {
      message: `${name}: ${where} does not name ${lacks(doc, t).join(', nor ')}.`,
      location: { file: where.replace(/ \(section\)$/, ''), line: 1 }
    });
  }
  add(rule, name, {
    message: `${name}: no ${rule.title.replace(/^No /, '').toLowerCase()} found (looked at ${paths.join(', ')} and SECURITY.md).`
  });
}
