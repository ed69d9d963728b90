// Fake-GitHub worlds for contributor trust: repositories with merged PRs
// (each with its head commit, signature and approving reviews), vouch files
// in `.github` repositories and accounts of given ages. `scenarioWorld` holds
// one person per case the tests name; `ecosystemWorld` is the benchmark's
// generated ecosystem.
import { createHash } from 'node:crypto';

const sha = (s) => createHash('sha1').update(s).digest('hex');
export const daysBefore = (now, n) => new Date(now.getTime() - n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A repository entry with a base commit, ready for `pull` to add merged PRs to.
 * @returns {any} a world repository (docs/fakes/github.md), for the caller to add to
 */
export function repo(fullName, extra = {}) {
  const base = sha(`base ${fullName}`);
  return {
    commits: [{ sha: base, message: 'initial', author: { login: 'founder', date: '2015-01-01T00:00:00Z' } }],
    branches: { main: base },
    pulls: [],
    ...extra
  };
}

/**
 * Adds a merged PR by `user` to `r`, merged by `mergedBy` at `at`, approved by `approvers`, its
 * head commit signed with `key` (unsigned without one) under `email`.
 * @param {string} fullName
 * @param {any} r
 * @param {{ user: string, mergedBy: string, at: string, approvers?: string[], key?: string, email?: string }} pr
 */
export function pull(fullName, r, { user, mergedBy, at, approvers = [], key, email = `${user}@example.org` }) {
  const number = r.pulls.length + 1;
  const head = sha(`${fullName}#${number}`);
  r.commits.push({
    sha: head,
    message: `change ${number}`,
    author: { login: user, email, date: at },
    parents: [r.branches.main],
    verification: key ? { verified: true, reason: 'valid', type: 'gpg', key } : undefined
  });
  r.pulls.push({
    number,
    user,
    head: { ref: `change-${number}`, sha: head },
    base: { ref: 'main' },
    created_at: at,
    merged_at: at,
    merged_by: mergedBy,
    reviews: approvers.map((a) => ({ user: a, state: 'APPROVED', submitted_at: at }))
  });
}

export const VOUCHES = `version: 1
vouches:
  - by: alice
    for: newbie
    why: Pair-programmed the f2py fix with me at SciPy 2025
    since: 2025-07-10
  - by: mallory
    for: dave
    why: trust me
    since: 2025-01-01
  - by: alice
    for: frank
    why: Worked with me on the docs sprint
    since: 2024-03-01
  - by: hank
    for: gina
    why: My student; I review all her work
    since: 2025-02-01
revocations:
  - for: frank
    why: Account reported compromised
    since: 2025-06-01
`;

/**
 * One person per case, at `now`:
 * - bob: 12 PRs in numpy merged by alice (a numpy maintainer) since 2022, signed; a new key lately;
 * - newbie: no history, vouched for by alice; dave: vouched for by mallory, who has no history;
 * - erin: merged PRs and commits only outside the ecosystem; frank: vouched for by alice, revoked;
 * - gina: vouched for by hank, whose scipy PRs carol (a scipy maintainer) merged (two hops);
 * - dependabot[bot]: the real bot's account id.
 */
export function scenarioWorld(now, vouches = VOUCHES) {
  const numpy = repo('numpy/numpy', { collaborators: { alice: 'push' } });
  const scipy = repo('scipy/scipy', { collaborators: { carol: 'push' } });
  const elsewhere = repo('other/elsewhere', { collaborators: { olga: 'push' } });
  for (let i = 0; i < 12; i++) {
    const at = daysBefore(now, 1400 - i * 120);
    pull('numpy/numpy', numpy, {
      user: 'bob',
      mergedBy: 'alice',
      at,
      approvers: ['alice'],
      key: i < 11 ? 'OLDKEY01' : 'NEWKEY02'
    });
  }
  for (let i = 0; i < 3; i++)
    pull('scipy/scipy', scipy, { user: 'hank', mergedBy: 'carol', at: daysBefore(now, 300 - i * 30) });
  for (let i = 0; i < 4; i++)
    pull('other/elsewhere', elsewhere, { user: 'erin', mergedBy: 'olga', at: daysBefore(now, 200 - i * 20) });
  const dotGithub = repo('numpy/.github');
  dotGithub.files = { main: { 'trust.yml': vouches } };
  return {
    viewer: 'viewer',
    users: {
      viewer: { created_at: '2012-01-01T00:00:00Z' },
      alice: { created_at: '2013-05-01T00:00:00Z' },
      bob: { created_at: '2019-03-02T00:00:00Z' },
      newbie: { created_at: daysBefore(now, 9) },
      dave: { created_at: daysBefore(now, 40) },
      mallory: { created_at: daysBefore(now, 50) },
      erin: { created_at: '2018-06-01T00:00:00Z' },
      frank: { created_at: '2020-01-01T00:00:00Z' },
      gina: { created_at: daysBefore(now, 120) },
      hank: { created_at: '2016-01-01T00:00:00Z' },
      'dependabot[bot]': { id: 49699333, type: 'Bot' },
      'dependabot-fake[bot]': { type: 'Bot' }
    },
    orgs: {
      numpy: {
        members: { alice: { role: 'admin', public: true }, bob: { role: 'member', public: true }, frank: 'member' }
      },
      scipy: { members: { carol: 'member' } },
      other: {}
    },
    repos: { 'numpy/numpy': numpy, 'scipy/scipy': scipy, 'other/elsewhere': elsewhere, 'numpy/.github': dotGithub }
  };
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `orgs` organisations of `reposPerOrg` repositories and `people` people: a few maintainers per
 * repository, each other person with 0 to 8 merged PRs merged by a maintainer, and a vouch file per
 * organisation (some vouches for people without history, some by people without standing).
 */
export function ecosystemWorld(now, { orgs = 5, reposPerOrg = 10, people = 2000, seed = 17 } = {}) {
  const rnd = random(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const world = { viewer: 'viewer', users: { viewer: {} }, orgs: {}, repos: {} };
  const logins = Array.from({ length: people }, (_, i) => `person-${i}`);
  const repos = [];
  for (let o = 0; o < orgs; o++) {
    const org = `org-${o}`;
    world.orgs[org] = { members: {} };
    for (let r = 0; r < reposPerOrg; r++) {
      const name = `${org}/repo-${r}`;
      const maintainers = [pick(logins), pick(logins), pick(logins)];
      const entry = repo(name, { collaborators: Object.fromEntries(maintainers.map((m) => [m, 'push'])) });
      for (const m of maintainers) world.orgs[org].members[m] = { role: 'member', public: rnd() < 0.5 };
      world.repos[name] = entry;
      repos.push({ name, entry, maintainers });
    }
  }
  for (const login of logins) {
    world.users[login] = { created_at: daysBefore(now, Math.floor(rnd() * 4000) + 5) };
    const n = Math.floor(rnd() * rnd() * 9);
    for (let i = 0; i < n; i++) {
      const target = pick(repos);
      const at = daysBefore(now, Math.floor(rnd() * 1800) + 1);
      pull(target.name, target.entry, {
        user: login,
        mergedBy: pick(target.maintainers),
        at,
        approvers: rnd() < 0.5 ? [pick(target.maintainers)] : [],
        key: rnd() < 0.6 ? `KEY-${login}` : undefined
      });
    }
  }
  for (let o = 0; o < orgs; o++) {
    const vouches = Array.from({ length: 20 }, () => {
      const by = pick(logins);
      const whom = pick(logins);
      return `  - by: ${by}\n    for: ${whom}\n    why: worked together\n    since: 2024-01-01\n`;
    });
    const dot = repo(`org-${o}/.github`);
    dot.files = { main: { 'trust.yml': `version: 1\nvouches:\n${vouches.join('')}` } };
    world.repos[`org-${o}/.github`] = dot;
  }
  return { world, logins, orgs: Object.keys(world.orgs) };
}
