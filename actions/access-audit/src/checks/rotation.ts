// Rotation after a removal (SPEC 6): the access snapshot of this run against
// the previous run's.
import { defineRules, rulesOf } from '@security-actions/core';
import type { AfterCheck } from '../types';

export const RULES = defineRules({
  accessRemoved: {
    id: 'people/removed-rotate-secrets',
    title: 'Person lost access: rotate the secrets and deploy keys they could reach',
    severity: 'medium',
    why: 'Someone who had write access could have copied secrets or deploy keys; SPEC 6 asks to rotate what predates their removal.',
    remediation:
      'Rotate each listed secret (and revoke the old token at its issuer) and replace each listed deploy key; then the finding disappears at the next run.',
    spec: ['S6-8', 'S6-5']
  }
});

/**
 * People who had write access at the previous run and no longer have it, per
 * repository audited both times, with the secrets and deploy keys older than
 * the previous run (the removal happened after it): SPEC 6 says to rotate
 * them. A removal stays in the snapshot, and its finding in every report,
 * until each of those secrets has been updated and each key replaced.
 */
export const rotation: AfterCheck = {
  id: 'rotation',
  scope: 'after',
  rules: rulesOf(RULES),
  async run({ org, previous, gathered, inScope, add, skip, notes }) {
    if (!previous)
      return skip(RULES.accessRemoved.id, 'not checked: no previous report given (input previous-report)', org);
    const now = gathered.access;
    for (const [repo, before] of Object.entries(previous.access)) {
      const after = now[repo];
      if (!after) {
        // In this run's scope but not audited (rate budget, an error): keep what the previous run knew for the next one.
        // Another shard's repositories are that shard's to carry.
        if (inScope(repo)) now[repo] = before;
        continue;
      }
      const pending = new Map((before.removed ?? []).map((r) => [r.login.toLowerCase(), r]));
      if (after.people && before.people) {
        const current = new Set(after.people.map((p) => p.toLowerCase()));
        for (const p of before.people)
          if (!current.has(p.toLowerCase()) && !pending.has(p.toLowerCase()))
            pending.set(p.toLowerCase(), { login: p, since: previous.finishedAt });
      }
      // Someone who has write access again needs no rotation on their account.
      for (const p of after.people ?? []) pending.delete(p.toLowerCase());
      if (!pending.size) continue;
      if (!after.secrets || !after.deployKeys) {
        skip(
          RULES.accessRemoved.id,
          `not checked: ${[...pending.values()].map((r) => r.login).join(', ')} lost write access, but the secrets or deploy keys to rotate were not readable`,
          repo
        );
        after.removed = [...pending.values()];
        continue;
      }
      const still: { login: string; since: string }[] = [];
      for (const r of pending.values()) {
        const secrets = after.secrets.filter((x) => x.updatedAt < r.since);
        const keys = after.deployKeys.filter((k) => k.createdAt < r.since);
        if (!secrets.length && !keys.length) {
          notes.push(
            `${r.login} no longer has write access to ${repo} (since ${r.since.slice(0, 10)}); no secret or deploy key there predates the removal.`
          );
          continue;
        }
        still.push(r);
        const what = [
          ...secrets.map((x) => `secret ${x.name} (updated ${x.updatedAt.slice(0, 10)})`),
          ...keys.map((k) => `deploy key "${k.title}" (added ${k.createdAt.slice(0, 10)})`)
        ];
        add(RULES.accessRemoved, repo, {
          message: `${repo}: ${r.login} lost write access after ${r.since.slice(0, 10)}; rotate ${what.join(', ')}.`,
          key: `${r.login}/${r.since}`,
          properties: {
            login: r.login,
            since: r.since,
            secrets: secrets.map((x) => x.name),
            deployKeys: keys.map((k) => k.title)
          }
        });
      }
      if (still.length) after.removed = still;
    }
  }
};
