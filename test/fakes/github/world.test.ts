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
    expect(() => normalizeWorld({ orgs: { o: { settings: { two_factor_required: true } } } }))
      .toThrow('world: orgs.o.settings: unknown key "two_factor_required"');
    expect(() => normalizeWorld({ repos: { 'o/r': { branches: { main: 'a'.repeat(40) }, protection: {} } } }))
      .toThrow('world: repos.o/r: unknown key "protection"');
    expect(() => normalizeWorld({ orgs: { o: { teams: { t: { repos: { missing: 'push' } } } } } }))
      .toThrow('no repository o/missing');
    expect(() => normalizeWorld({ orgs: { o: {} }, repos: { 'o/r': { environments: { pypi: { reviewers: ['o/ghost'] } } } } }))
      .toThrow('no team o/ghost');
    expect(() => normalizeWorld({ users: { u: { two_factor: 'sms' } } })).toThrow('two_factor must be true, false or "insecure"');
    expect(() => normalizeWorld({ repos: { 'o/r': { issues: [{ number: 1, user: 'u' }], pulls: [{ number: 1, user: 'u', head: { ref: 'x' } }] } } }))
      .toThrow('issue/pull number 1 is used twice');
  });

  it('derives stable ids and fills realistic defaults', () => {
    const a = normalizeWorld({ repos: { 'o/r': { commits: [{ message: 'init', author: { login: 'u' } }] } } });
    const b = normalizeWorld({ users: { other: {} }, repos: { 'o/r': { commits: [{ message: 'init', author: { login: 'u' } }] }, 'o/s': {} } });
    expect(b.repos['o/r'].id).toBe(a.repos['o/r'].id);
    expect(b.users.u.node_id).toBe(a.users.u.node_id);
    const repo = a.repos['o/r'];
    expect(repo).toMatchObject({ private: false, visibility: 'public', default_branch: 'main', created_at: '2020-01-01T00:00:00Z' });
    expect(repo.branches.main).toBe(repo.commits[0].sha);
    expect(repo.commits[0].verification).toMatchObject({ verified: false, reason: 'unsigned' });
    // Everyone mentioned exists, including the owner; the viewer defaults to the first org owner or user.
    expect(Object.keys(a.users).sort()).toEqual(['o', 'u']);
    expect(a.rate_limit.core).toMatchObject({ limit: 5000, remaining: 5000, used: 0 });
  });

  it('creates what references imply: commits behind refs and forks behind pull requests', () => {
    const w = normalizeWorld({
      repos: { 'o/r': { branches: { main: 'c'.repeat(40) }, pulls: [{ number: 1, user: 'm', head: { ref: 'x', repo: 'm/r' } }] } }
    });
    expect(w.repos['o/r'].commits.map((c: { sha: string }) => c.sha)).toContain('c'.repeat(40));
    expect(w.repos['m/r']).toMatchObject({ fork: true, parent: 'o/r' });
    expect(w.repos['m/r'].branches.x).toBe(w.repos['o/r'].pulls[0].head.sha);
  });
});
