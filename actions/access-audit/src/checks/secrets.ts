// Actions secrets that look like long-lived publish tokens (SPEC 6, SPEC 8):
// names only, from REST (GraphQL has no field for them). The names and when
// each was last updated go into the access snapshot for the rotation check.
import { defineRules, describeApiError, rulesOf } from '@security-actions/core';
import { listAll } from '../rest';
import type { RepoCheck } from '../types';

export const RULES = defineRules({
  longLivedToken: {
    id: 'repo/long-lived-token-secret',
    title: 'Secret that looks like a long-lived PyPI or API token',
    severity: 'high',
    why: 'A PyPI API token in a repository secret can publish any release from any workflow that reads it; Trusted Publishing makes it unnecessary.',
    remediation:
      'Configure PyPI Trusted Publishing for the publish workflow and environment, then delete the secret and revoke the token on PyPI.',
    spec: ['S6-10', 'S8-13']
  }
});

export const secrets: RepoCheck = {
  id: 'secrets',
  scope: 'repo',
  rules: rulesOf(RULES),
  async run({ io, org, name, config, limit, gathered, add, skip }) {
    try {
      // An answer without `secrets` throws: it is not "no secrets".
      const list = await limit(() =>
        listAll<{ name: string; created_at: string; updated_at?: string }>(
          io,
          'GET /repos/{owner}/{repo}/actions/secrets',
          { owner: org, repo: name },
          'secrets'
        )
      );
      (gathered.access[name] ??= {}).secrets = list.map((s) => ({
        name: s.name,
        updatedAt: s.updated_at ?? s.created_at
      }));
      for (const s of list) {
        if (!config.tokenSecretPatterns.some((p) => p.test(s.name))) continue;
        add(RULES.longLivedToken, name, {
          message: `${name}: secret ${s.name} (last updated ${String(s.updated_at ?? s.created_at).slice(0, 10)}) looks like a long-lived publish token.`,
          key: s.name,
          properties: { secret: s.name, updatedAt: s.updated_at ?? s.created_at }
        });
      }
    } catch (e) {
      skip(RULES.longLivedToken.id, `not checked: ${describeApiError(e, 'secrets: read')}`, name);
    }
  }
};
