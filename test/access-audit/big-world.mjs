// A generated org of `n` repositories for the access-audit scale test and
// benchmark: a deterministic mix of protection (rulesets, classic, none),
// release environments, secrets and deploy keys, plus archived repositories
// and forks that are skipped by default.
export function bigWorld(n = 1000) {
  const people = Array.from({ length: 40 }, (_, i) => `dev${String(i).padStart(2, '0')}`);
  const users = Object.fromEntries(people.map((p, i) => [p, { contributions: { commits: i % 7 === 0 ? 0 : 3 } }]));
  const members = Object.fromEntries(people.map((p, i) => [p, i < 3 ? 'admin' : 'member']));
  const teams = {};
  for (let t = 0; t < 10; t++) {
    teams[`team-${t}`] = { members: Object.fromEntries(people.slice(t * 4, t * 4 + 4).map((p) => [p, 'member'])), repos: {} };
  }
  const repos = {};
  for (let i = 0; i < n; i++) {
    const name = `repo-${String(i).padStart(4, '0')}`;
    teams[`team-${i % 10}`].repos[name] = i % 3 === 0 ? 'maintain' : 'push';
    const sha = (i + 1).toString(16).padStart(40, '0');
    const r = { commits: [{ sha, message: 'init', author: { login: people[i % people.length] } }] };
    if (i % 50 === 7) r.archived = true;
    if (i % 50 === 11) r.parent = `upstream/${name}`;
    if (i % 4 === 0) {
      r.rulesets = [{ name: 'default', conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } }, rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, { type: 'pull_request', parameters: { required_approving_review_count: 1 } }] }];
    } else if (i % 4 === 1) {
      r.branch_protection = { main: { required_pull_request_reviews: { required_approving_review_count: 1 } } };
    }
    if (i % 5 === 0) r.environments = { pypi: { reviewers: [people[i % 40], people[(i + 1) % 40]], prevent_self_review: i % 10 === 0, deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } } };
    if (i % 6 === 0) r.secrets = { PYPI_API_TOKEN: { created_at: '2021-01-01T00:00:00Z' }, CODECOV_TOKEN: {} };
    if (i % 9 === 0) r.deploy_keys = [{ title: `key-${i}`, key: `ssh-ed25519 AAAA${i}`, read_only: i % 18 !== 0 }];
    if (i % 2 === 0) r.files = { main: { 'SECURITY.md': 'Report privately.\n' } };
    repos[`big/${name}`] = r;
  }
  return {
    viewer: people[0],
    rate_limit: { core: { limit: 15000, remaining: 15000 }, graphql: { limit: 5000, remaining: 5000 } },
    users,
    orgs: { big: { settings: { two_factor_requirement_enabled: true, default_repository_permission: 'read' }, members, teams } },
    repos
  };
}
