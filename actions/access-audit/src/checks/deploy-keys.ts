// Deploy keys (SPEC 6): never-expiring credentials tied to no person; keys
// that can push, and read-only ones older than a year. The keys go into the
// access snapshot for the rotation check.
import { defineRules, rulesOf } from '@security-actions/core';
import type { RepoCheck } from '../types';

export const RULES = defineRules({
  deployKeyWrite: {
    id: 'repo/deploy-key-write',
    title: 'Deploy key with write access',
    severity: 'medium',
    why: 'A write deploy key is a never-expiring credential that can push to any branch it is not blocked from; it is not tied to a person.',
    remediation: 'Make the key read-only, replace it with a GitHub App or OIDC, or delete it if unused.',
    spec: ['S6-4']
  },
  deployKeyOld: {
    id: 'repo/deploy-key-old',
    title: 'Deploy key older than a year',
    severity: 'low',
    why: 'Deploy keys never expire; SPEC 6 asks credentials to be replaced after a reasonable time, typically a year, and an old key is often one nobody remembers.',
    remediation: 'Replace the key (or delete it if unused) and note who holds the new one.',
    spec: ['S6-4']
  }
});

export const deployKeys: RepoCheck = {
  id: 'deploy-keys',
  scope: 'repo',
  rules: rulesOf(RULES),
  run({ name, repo, now, failed, unreadable, gathered, add, skip }) {
    if (failed('deployKeys') || !repo.deployKeys)
      return skip(RULES.deployKeyWrite.id, unreadable('deployKeys', 'administration: read'), name);
    (gathered.access[name] ??= {}).deployKeys = (repo.deployKeys.nodes ?? []).map((k) => ({
      title: k.title,
      createdAt: k.createdAt
    }));
    for (const k of repo.deployKeys.nodes ?? []) {
      const props = { title: k.title, createdAt: k.createdAt };
      if (!k.readOnly) {
        add(RULES.deployKeyWrite, name, {
          message: `${name}: deploy key "${k.title}" (added ${String(k.createdAt).slice(0, 10)}) can push.`,
          key: k.title,
          properties: props
        });
      } else if (Date.parse(k.createdAt) < now.getTime() - 365 * 86_400_000) {
        add(RULES.deployKeyOld, name, {
          message: `${name}: read-only deploy key "${k.title}" was added on ${String(k.createdAt).slice(0, 10)}, more than a year ago.`,
          key: k.title,
          properties: props
        });
      }
    }
  }
};
