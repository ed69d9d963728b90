// Each item's status per repository, from the report that stands after config
// and suppressions: pure over the findings, the not-checked entries and what
// the checks recorded as evidence. Only rule titles, counts, repository paths
// and permission names go into evidence, never a finding's message, so
// nothing here names a person, a secret or a host.
import { type Finding, type NotChecked, isActive } from '@security-actions/core';
import { globToRegExp } from '../glob';
import type { Declaration, Evidence } from '../types';
import { ITEMS, type Item } from './items';

export const STATUSES = ['met', 'not-met', 'not-checked', 'not-observable', 'declared'] as const;
export type Status = (typeof STATUSES)[number];

export interface ItemResult {
  id: string;
  status: Status;
  /** What was read, and what it showed. */
  evidence: string;
  fix?: string;
}

export interface RepoAssessment {
  repo: string;
  public: boolean;
  items: ItemResult[];
  counts: Record<Status, number>;
}

/** What the audit run carries for the assessment (the JSON report's `data.assessment`). */
export interface AssessmentData {
  /** Audited repositories and whether each is public. */
  repos: Record<string, { public: boolean }>;
  evidence: Evidence;
  /** Globs of require-signed-commits: signed commits are checked only there. */
  signedCommits: string[];
}

export interface AssessmentInput {
  org: string;
  findings: Finding[];
  notChecked: NotChecked[];
  data: AssessmentData;
  declared: Declaration[];
}

/** A not-checked entry's group name → the rule ids it stands for. */
const GROUPS: Record<string, (rule: string) => boolean> = {
  'pypi/*': (r) => r.startsWith('pypi/'),
  'repo/publish-workflow': (r) => r.startsWith('publish/') || r.startsWith('workflow/')
};
const covers = (check: string, rule: string) => check === rule || !!GROUPS[check]?.(rule);

/** The public wording of a not-checked reason: the permission it names, never GitHub's message. */
export function publicReason(reason: string): string {
  const needs = /needs ([a-z_ ]+: (read|write))/i.exec(reason)?.[1];
  if (needs) return `the audit's token lacks ${needs}`;
  if (/rate budget|rate limit/i.test(reason)) return 'the API rate budget ran out';
  if (/no best-practices-url|no PyPI URL/i.test(reason)) return 'the service was not configured';
  if (/only owners|organization owner/i.test(reason)) return "needs an organization owner's token";
  return 'the data could not be read';
}

/** The prefix of evidence saying the item does not apply to the repository. */
export const NOT_APPLICABLE = 'n/a: ';

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function declarationFor(declared: Declaration[], item: string, repo: string): Declaration | undefined {
  return declared.find((d) => d.item === item && globToRegExp(d.repo ?? '*').test(repo));
}

export function assessRepository(input: AssessmentInput, repo: string): RepoAssessment {
  const { org, data } = input;
  const ofRepo = (target?: string) => target === repo || target === undefined || target === org;
  const findings = input.findings.filter((f) => {
    const r = f.properties?.repo as string | undefined;
    return r === undefined || r === repo;
  });
  const notChecked = input.notChecked.filter((n) => ofRepo(n.target));
  const unaudited = notChecked.find((n) => n.check === 'repository' || n.check === 'access-audit');
  const isPublic = data.repos[repo]?.public ?? false;

  const items = ITEMS.map((item): ItemResult => {
    const declared = item.unobservable || item.declarable ? declarationFor(input.declared, item.id, repo) : undefined;
    const r = evaluate(item, repo, findings, notChecked, data, isPublic, unaudited);
    if (declared && r.status !== 'met')
      return { id: item.id, status: 'declared', evidence: `declared in the config on ${declared.date}; not verified` };
    return { id: item.id, ...r, ...(r.status === 'met' ? {} : { fix: item.fix }) };
  });
  const counts = Object.fromEntries(STATUSES.map((s) => [s, items.filter((i) => i.status === s).length])) as Record<
    Status,
    number
  >;
  return { repo, public: isPublic, items, counts };
}

function evaluate(
  item: Item,
  repo: string,
  findings: Finding[],
  notChecked: NotChecked[],
  data: AssessmentData,
  isPublic: boolean,
  unaudited: NotChecked | undefined
): { status: Status; evidence: string } {
  if (item.unobservable) return { status: 'not-observable', evidence: `${item.reads}; may be declared in the config` };
  if (item.notRead) return { status: 'not-checked', evidence: item.notRead };
  if (unaudited)
    return { status: 'not-checked', evidence: `repository not audited: ${publicReason(unaudited.reason)}` };
  const rules = item.rules ?? [];
  const hits = findings.filter((f) => rules.includes(f.ruleId));
  const standing = hits.filter(isActive);
  if (standing.length) {
    const byTitle = new Map<string, number>();
    for (const f of standing) byTitle.set(f.title, (byTitle.get(f.title) ?? 0) + 1);
    return {
      status: 'not-met',
      evidence: [...byTitle].map(([t, n]) => (n > 1 ? `${t} (${n})` : t)).join('; ')
    };
  }
  if (hits.length) return { status: 'not-met', evidence: `${plural(hits.length, 'finding')} accepted in the config` };
  const skipped = notChecked.find((n) => rules.some((r) => covers(n.check, r)));
  if (skipped) return { status: 'not-checked', evidence: publicReason(skipped.reason) };
  if (item.publicOnly && !isPublic) return { status: 'not-checked', evidence: 'checked on public repositories only' };
  if (item.id === 'signed-commits' && !data.signedCommits.some((g) => globToRegExp(g).test(repo)))
    return { status: 'not-checked', evidence: 'not required by the config (require-signed-commits)' };
  const found = item.evidence ? data.evidence[repo]?.[item.evidence] : undefined;
  // A check records "n/a: …" where the item does not apply (no release, a private repository).
  if (found?.startsWith(NOT_APPLICABLE))
    return { status: 'not-observable', evidence: found.slice(NOT_APPLICABLE.length) };
  return { status: 'met', evidence: found ?? `read ${item.reads}: nothing to report` };
}

export function assessAll(input: AssessmentInput): RepoAssessment[] {
  return Object.keys(input.data.repos)
    .sort()
    .map((repo) => assessRepository(input, repo));
}
