// Heuristics that decide whether a Markdown document is an incident response
// plan or a threat model (docs/self-assessment.md lists them): a dedicated
// file at a known path, a section of SECURITY.md under a matching heading, or
// a link from SECURITY.md to a document elsewhere (its contents not read).

export interface DocRule {
  /** A heading (of a SECURITY.md section) or link text or URL that names the document. */
  names: RegExp;
  /** What the document must contain, each with the wording used when it is missing. */
  needs: { what: string; test: (text: string) => boolean }[];
}

/** Distinct words of `re` (global) found in `text`. */
const distinct = (text: string, re: RegExp) => new Set((text.match(re) ?? []).map((w) => w.toLowerCase())).size;
/** Items of Markdown ordered or bulleted lists. */
const listItems = (text: string) => (text.match(/^\s{0,3}(?:\d+[.)]|[-*+])\s+\S/gm) ?? []).length;

export const INCIDENT_RESPONSE: DocRule = {
  names: /incident/i,
  needs: [
    {
      what: 'roles (who leads, who is contacted)',
      test: (t) =>
        /\b(maintainers?|security (team|contacts?|lead|managers?)|incident (lead|commander|manager|coordinator|response team)|responders?|on-call|point of contact|release managers?|steering (council|committee)|owners?)\b/i.test(
          t
        )
    },
    {
      what: 'steps (at least three actions, or a list of them)',
      test: (t) =>
        listItems(t) >= 3 ||
        distinct(
          t,
          /\b(triage|contain|revoke|rotate|yank|patch|fix|release|notify|advisory|disclose|communicate|post-?mortem|assess|investigate)\b/gi
        ) >= 3
    }
  ]
};

export const THREAT_MODEL: DocRule = {
  names: /threat[\s_-]*model/i,
  needs: [
    {
      what: 'threats or attackers and what they target',
      test: (t) =>
        distinct(t, /\b(threats?|attackers?|adversar(y|ies)|assets?|trust boundar(y|ies)|mitigations?|risks?)\b/gi) >= 2
    }
  ]
};

/** The section of a Markdown text under the first heading matching `names`, up to the next heading of its level or above. */
export function section(text: string, names: RegExp): string | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^#{1,6}\s/.test(l) && names.test(l));
  if (start < 0) return undefined;
  const level = /^#+/.exec(lines[start])![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#{1,6}\s/.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** A Markdown link whose text or target matches `names`: its target. */
export function linkTo(text: string, names: RegExp): string | undefined {
  for (const m of text.matchAll(/\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g))
    if (names.test(m[1]) || names.test(m[2])) return m[2];
  return undefined;
}

/** What a candidate text lacks of the rule's needs (empty: it qualifies). */
export const lacks = (rule: DocRule, text: string): string[] =>
  rule.needs.filter((n) => !n.test(text)).map((n) => n.what);
