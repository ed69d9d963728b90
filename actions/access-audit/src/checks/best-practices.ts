// The OpenSSF Best Practices badge of each public repository (the Concise
// Guides' badge line), from the badge service's project search by repository
// URL: the self-assessment's one extra request per repository.
import { defineRules, oneLine, rulesOf } from '@security-actions/core';
import { isPublic } from '../listing';
import type { RepoCheck } from '../types';

export const RULES = defineRules({
  noBadge: {
    id: 'repo/no-best-practices-badge',
    title: 'No OpenSSF Best Practices badge (passing or better)',
    severity: 'info',
    why: "The badge's questionnaire covers what no API shows (vulnerability response, release notes, tests); a passing badge tells users and funders the project answered it, and the Concise Guides ask for it.",
    remediation:
      'Register the repository at https://www.bestpractices.dev, answer the passing-level criteria, and link the badge from the README.',
    spec: ['S6-1', 'S8-1']
  }
});

export const EVIDENCE_KEY = 'best-practices';
const EARNED = ['passing', 'silver', 'gold'];

/** The repository URL as the badge service stores it: lower-cased, without a trailing slash or `.git`. */
const canonical = (url: string) =>
  url
    .trim()
    .toLowerCase()
    .replace(/(\.git)?\/*$/, '');

export const bestPractices: RepoCheck = {
  id: 'best-practices',
  scope: 'repo',
  rules: rulesOf(RULES),
  start({ org, bestPractices: service, skip }) {
    if (!service) skip(RULES.noBadge.id, 'not checked: no best-practices-url given', org);
  },
  async run({ name, org, listing, bestPractices: service, gathered, add, skip }) {
    if (!service) return;
    const evidence = (e: string) => ((gathered.evidence[name] ??= {})[EVIDENCE_KEY] = e);
    if (!isPublic(listing)) return void evidence('n/a: not looked up, the repository is not public');
    const url = `https://github.com/${org}/${name}`;
    let entries: Awaited<ReturnType<typeof service.projects>>;
    try {
      entries = await service.projects(url);
    } catch (e) {
      return skip(RULES.noBadge.id, `not checked: ${oneLine(e)}`, name);
    }
    // The search also matches home pages: only the entry registered for this repository counts.
    const entry = entries.find((p) => typeof p.repo_url === 'string' && canonical(p.repo_url) === canonical(url));
    if (entry && typeof entry.badge_level !== 'string')
      return skip(RULES.noBadge.id, 'not checked: the badge service answered without badge_level', name);
    if (entry && EARNED.includes(entry.badge_level!))
      return void evidence(`badge level ${entry.badge_level} (project ${entry.id})`);
    add(RULES.noBadge, name, {
      message: entry
        ? `${name}: the Best Practices badge (project ${entry.id}) is ${entry.badge_level!.replace(/_/g, ' ')}.`
        : `${name}: no OpenSSF Best Practices project is registered for ${url}.`
    });
  }
};
