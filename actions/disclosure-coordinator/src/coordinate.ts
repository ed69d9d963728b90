// During an embargo: the maintainers of every downstream project that must act
// (an affected pin, or a range that shuts out the fix) should be collaborators
// on the draft advisory, where they see it and its private fork and nothing
// leaves it. The coordinator proposes them; with `apply: true` it adds those
// the config's `invite` list names, and never anyone else. It never publishes
// and never writes outside the advisory.
import pLimit from 'p-limit';
import { type Octokit, describeApiError } from '@security-actions/core';
import { OUT_OF_BUDGET, type Budget } from './github';
import { needsAction } from './affected';
import { RULES } from './rules';
import type { Advisory, Affected, DisclosureConfig, Sink } from './types';

const HUMAN = (login: string) => !/\[bot\]$/i.test(login);

/**
 * The people to invite for a downstream repository: the config's contacts, else its human
 * admins (those granted on the repository itself first, which leaves out organization owners
 * who are admins everywhere), else why they are not known.
 */
async function contactsOf(
  api: Octokit,
  repo: string,
  config: DisclosureConfig,
  budget: Budget
): Promise<string[] | string> {
  const named = config.downstream.find((d) => d.repo.toLowerCase() === repo.toLowerCase())?.contacts;
  if (named?.length) return named;
  const [owner, name] = repo.split('/');
  for (const affiliation of ['direct', 'all'] as const) {
    if (!budget.allows()) return OUT_OF_BUDGET;
    try {
      const admins = await api
        .paginate('GET /repos/{owner}/{repo}/collaborators', {
          owner,
          repo: name,
          affiliation,
          permission: 'admin',
          per_page: 100
        })
        .catch((e: unknown) => budget.fail(e));
      const logins = admins.map((u) => u.login).filter(HUMAN);
      if (logins.length) return logins;
    } catch (e) {
      return `not checked: the maintainers of ${repo} are not known (name them in downstream[].contacts; its admins are not readable: ${describeApiError(e, 'metadata: read and push access')})`;
    }
  }
  return `not checked: ${repo} has no human admin to invite (name its contacts in downstream[].contacts)`;
}

export interface EmbargoOutcome {
  invited: string[];
  proposed: string[];
}

export async function coordinateEmbargo(
  advisory: Advisory,
  affected: Affected[],
  c: { api: Octokit; config: DisclosureConfig; apply: boolean; budget: Budget; sink: Sink }
): Promise<EmbargoOutcome> {
  const outcome: EmbargoOutcome = { invited: [], proposed: [] };
  const already = new Set(advisory.collaborators.map((l) => l.toLowerCase()));
  const allowed = new Set(c.config.invite.map((l) => l.toLowerCase()));
  const byRepo = new Map<string, Affected[]>();
  for (const a of affected.filter(needsAction)) byRepo.set(a.repo, [...(byRepo.get(a.repo) ?? []), a]);
  const pending = new Map<string, string[]>(); // repo → contacts not yet on the advisory
  const limit = pLimit(8);
  const found = await Promise.all(
    [...byRepo.keys()].map((repo) =>
      limit(async () => [repo, await contactsOf(c.api, repo, c.config, c.budget)] as const)
    )
  );
  for (const [repo, contacts] of found) {
    if (typeof contacts === 'string') {
      c.sink.skip(RULES.invitePending.id, `${contacts} (${advisory.ghsa})`, repo);
      continue;
    }
    const missing = contacts.filter((l) => !already.has(l.toLowerCase()));
    if (missing.length) pending.set(repo, missing);
  }
  const toAdd = c.apply ? [...new Set([...pending.values()].flat().filter((l) => allowed.has(l.toLowerCase())))] : [];
  if (toAdd.length) {
    const [owner, repo] = advisory.repo.split('/');
    try {
      if (!c.budget.allows()) throw new Error(OUT_OF_BUDGET.replace(/^not checked: /, ''));
      await c.api
        .request('PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}', {
          owner,
          repo,
          ghsa_id: advisory.ghsa,
          collaborating_users: [...advisory.collaborators, ...toAdd]
        })
        .catch((e: unknown) => c.budget.fail(e));
      outcome.invited.push(...toAdd);
      for (const l of toAdd) already.add(l.toLowerCase());
      c.sink.note(
        `${advisory.repo} ${advisory.ghsa}: added ${toAdd.join(', ')} as collaborators on the draft advisory.`
      );
    } catch (e) {
      c.sink.skip(
        RULES.invitePending.id,
        `could not add collaborators to ${advisory.ghsa}: ${describeApiError(e, 'repository security advisories: write')}`,
        advisory.repo
      );
    }
  }
  for (const [repo, contacts] of pending) {
    const left = contacts.filter((l) => !already.has(l.toLowerCase()));
    if (!left.length) continue;
    outcome.proposed.push(...left);
    const pins = byRepo
      .get(repo)!
      .map((a) => `${a.entry.file}${a.entry.line ? `:${a.entry.line}` : ''} ${a.entry.text ?? a.entry.specifier}`);
    const blocked = c.apply ? left.filter((l) => !allowed.has(l.toLowerCase())) : [];
    c.sink.add(RULES.invitePending, {
      message: `${advisory.repo} ${advisory.ghsa} (draft): ${repo} must act (${pins.join('; ')}); invite ${left.join(', ')}${blocked.length ? ` (not in the invite list: ${blocked.join(', ')})` : ''}.`,
      key: `${advisory.ghsa}\0${repo}`,
      properties: { advisory: advisory.ghsa, repo: advisory.repo, downstream: repo, contacts: left }
    });
  }
  return outcome;
}
