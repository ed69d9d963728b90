// The world format: closed keys with path-naming errors, cross-references checked,
// stable derived ids, realistic defaults, and the documented example kept in sync
// with the conformance world.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { normalizeWorld } from './world.mjs';

const read = (rel: string) => readFileSync(new URL(rel, import.meta.url), 'utf8');
const rich = JSON.parse(read('./worlds/rich.json'));

describe('world format', () => {
  it('documents worlds/rich.json as the full example, verbatim', () => {
    const doc = read('../../../docs/fakes/github.md');
    const example = /## Full example world\n\n```json\n([\s\S]*?)\n```/.exec(doc);
    expect(example).not.toBeNull();
    expect(JSON.parse(example![1])).toEqual(rich);
  });

  it('loads the shipped worlds without modifying them', () => {
    const before = structuredClone(rich);
    normalizeWorld(rich);
    expect(rich).toEqual(before);
    expect(() => normalizeWorld(JSON.parse(read('./worlds/small.json')))).not.toThrow();
  });

  it('rejects unknown keys and dangling references, naming the path', () => {
    expect(() => normalizeWorld({ orgs: { o: { settings: { two_factor_required: true } } } })).toThrow(
      'world: orgs.o.settings: unknown key "two_factor_required"'
    );
    expect(() => normalizeWorld({ repos: { 'o/r': { branches: { main: 'a'.repeat(40) }, protection: {} } } })).toThrow(
      'world: repos.o/r: unknown key "protection"'
    );
    expect(() => normalizeWorld({ orgs: { o: { teams: { t: { repos: { missing: 'push' } } } } } })).toThrow(
      'no repository o/missing'
    );
    expect(() =>
      normalizeWorld({ orgs: { o: {} }, repos: { 'o/r': { environments: { pypi: { reviewers: ['o/ghost'] } } } } })
    ).toThrow('no team o/ghost');
    expect(() => normalizeWorld({ users: { u: { two_factor: 'sms' } } })).toThrow(
      'two_factor must be true, false or "insecure"'
    );
    expect(() =>
      normalizeWorld({
        repos: { 'o/r': { issues: [{ number: 1, user: 'u' }], pulls: [{ number: 1, user: 'u', head: { ref: 'x' } }] } }
      })
    ).toThrow('issue/pull number 1 is used twice');
  });

  it('checks the security-settings sections the same way', () => {
    const org = (o: object) => () => normalizeWorld({ orgs: { o } });
    expect(org({ actions: { fork_pr_approval_policy: 'everyone' } })).toThrow(
      'world: orgs.o.actions.fork_pr_approval_policy must be first_time_contributors_new_to_github|first_time_contributors|all_external_contributors'
    );
    expect(org({ actions: { fork_pr_private: { send_secrets: true } } })).toThrow(
      'world: orgs.o.actions.fork_pr_private: unknown key "send_secrets"'
    );
    expect(org({ installations: { ci: { permissions: { contents: 'all' } } } })).toThrow(
      'world: orgs.o.installations.ci.permissions.contents must be read|write|admin'
    );
    expect(org({ installations: { ci: { repositories: [] } } })).toThrow(
      'world: orgs.o.installations.ci: unknown key "repositories"'
    );
    expect(org({ pat_grants: [{ owner: 'u' }] })).toThrow(
      'world: orgs.o.pat_grants[0]: "owner" and "token_name" are required'
    );
    expect(org({ hooks: [{ url: 'https://x', secret: 'hunter2' }] })).toThrow(
      'world: orgs.o.hooks[0].secret must be a boolean (whether a secret is set)'
    );
    expect(
      org({
        runner_groups: [
          { name: 'a', default: true },
          { name: 'b', default: true }
        ]
      })
    ).toThrow('only one group can be the default');
    expect(org({ runner_groups: [{ name: 'a', runners: [{ name: 'r', status: 'busy' }] }] })).toThrow(
      'world: orgs.o.runner_groups[0].runners[0].status must be online|offline'
    );
    expect(org({ audit_log: [{ actor: 'u', action: 'git.clone' }] })).toThrow(
      'GraphQL audit log has no entry type for "git.clone"'
    );
    const repo = (r: object) => () => normalizeWorld({ repos: { 'o/r': r } });
    expect(repo({ security_and_analysis: { secret_scanning: true } })).toThrow(
      'world: repos.o/r.security_and_analysis.secret_scanning must be enabled|disabled'
    );
    expect(repo({ vulnerability_alerts: 'on' })).toThrow('world: repos.o/r.vulnerability_alerts must be a boolean');
    expect(repo({ code_scanning_default_setup: { state: 'configured', languages: ['cobol'] } })).toThrow(
      'languages[] must be'
    );
    expect(repo({ custom_properties: { team: 3 } })).toThrow(
      'world: repos.o/r.custom_properties.team must be a string or a list of strings'
    );
  });

  it("gives security settings GitHub's defaults", () => {
    const w = normalizeWorld({ orgs: { o: { runner_groups: [{ name: 'ci' }] } }, repos: { 'o/r': {} } });
    const o = w.orgs.o;
    expect(o.actions).toMatchObject({
      fork_pr_approval_policy: 'first_time_contributors_new_to_github',
      fork_pr_private: {
        run_workflows_from_fork_pull_requests: false,
        send_write_tokens_to_workflows: false,
        send_secrets_and_variables: false,
        require_approval_for_fork_pr_workflows: true
      }
    });
    // Every org has GitHub's "Default" runner group.
    expect(o.runner_groups.map((g: { name: string; id: number; default: boolean }) => [g.name, g.default])).toEqual([
      ['Default', true],
      ['ci', false]
    ]);
    expect([o.installations, o.pat_grants, o.hooks, o.audit_log, o.plan.name]).toEqual([[], [], [], [], 'free']);
    expect(w.repos['o/r']).toMatchObject({
      security_and_analysis: {
        secret_scanning: 'disabled',
        secret_scanning_push_protection: 'disabled',
        dependabot_security_updates: 'disabled'
      },
      private_vulnerability_reporting: false,
      vulnerability_alerts: false,
      code_scanning_default_setup: { state: 'not-configured', languages: [], updated_at: null },
      runners: [],
      custom_properties: {}
    });
  });

  it('derives stable ids and fills realistic defaults', () => {
    const a = normalizeWorld({ repos: { 'o/r': { commits: [{ message: 'init', author: { login: 'u' } }] } } });
    const b = normalizeWorld({
      users: { other: {} },
      repos: { 'o/r': { commits: [{ message: 'init', author: { login: 'u' } }] }, 'o/s': {} }
    });
    expect(b.repos['o/r'].id).toBe(a.repos['o/r'].id);
    expect(b.users.u.node_id).toBe(a.users.u.node_id);
    const repo = a.repos['o/r'];
    expect(repo).toMatchObject({
      private: false,
      visibility: 'public',
      default_branch: 'main',
      created_at: '2020-01-01T00:00:00Z'
    });
    expect(repo.branches.main).toBe(repo.commits[0].sha);
    expect(repo.commits[0].verification).toMatchObject({ verified: false, reason: 'unsigned' });
    // Everyone mentioned exists, including the owner; the viewer defaults to the first org owner or user.
    expect(Object.keys(a.users).sort()).toEqual(['o', 'u']);
    expect(a.rate_limit.core).toMatchObject({ limit: 5000, remaining: 5000, used: 0 });
  });

  it('creates what references imply: commits behind refs and forks behind pull requests', () => {
    const w = normalizeWorld({
      repos: {
        'o/r': {
          branches: { main: 'c'.repeat(40) },
          pulls: [{ number: 1, user: 'm', head: { ref: 'x', repo: 'm/r' } }]
        }
      }
    });
    expect(w.repos['o/r'].commits.map((c: { sha: string }) => c.sha)).toContain('c'.repeat(40));
    expect(w.repos['m/r']).toMatchObject({ fork: true, parent: 'o/r' });
    expect(w.repos['m/r'].branches.x).toBe(w.repos['o/r'].pulls[0].head.sha);
  });
});
