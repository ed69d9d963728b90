// A generated org of `n` repositories for the access-audit scale test and
// benchmark: a deterministic mix of protection (rulesets, classic, none),
// release environments, secrets and deploy keys, security features, CI and
// CodeQL workflows (some on self-hosted runners), Dependabot configs, private
// repositories, plus archived repositories and forks that are skipped by
// default, and code security configurations (see SECURITY_CONFIGURATIONS).
// Audited with a read-only App token holding the documented permissions.
export const APP_PERMISSIONS = {
  metadata: 'read',
  administration: 'read',
  actions: 'read',
  secrets: 'read',
  contents: 'read',
  members: 'read',
  organization_administration: 'read',
  organization_hooks: 'read',
  organization_personal_access_tokens: 'read',
  organization_self_hosted_runners: 'read',
  organization_custom_properties: 'read'
};

const CI = (runsOn) => `name: CI
on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ${runsOn}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - run: pipx run nox
`;

const CODEQL = `name: CodeQL
on: [push, pull_request]
permissions:
  contents: read
jobs:
  analyze:
    runs-on: ubuntu-latest
    permissions:
      security-events: write
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - uses: github/codeql-action/init@ff0a06e83cb2de871e5a09832bc6a81e7276941f # v3.28.18
        with:
          languages: python, actions
      - uses: github/codeql-action/analyze@ff0a06e83cb2de871e5a09832bc6a81e7276941f # v3.28.18
`;

// An organization that rolled out an enforced baseline turning private vulnerability reporting on, and left
// code scanning to each repository (a third run CodeQL in a workflow): every repository with reporting on is
// enforced under it, except 1 in 20 still on an unenforced pilot configuration and 1 in 100 whose attachment
// failed; of the repositories with reporting off, the pilot's were `removed` (an admin turned it off), 1 in 9
// was detached from the baseline, the rest were never attached. Each repository's own settings are the ones it
// had before the configurations were modelled, so the findings are the same.
const SECURITY_CONFIGURATIONS = [
  { name: 'sp-baseline', enforcement: 'enforced', private_vulnerability_reporting: 'enabled' },
  { name: 'sp-pilot', enforcement: 'unenforced', private_vulnerability_reporting: 'enabled' }
];

/** Repository `i`'s attachment, given whether private vulnerability reporting is on. */
function attachment(i, pvr) {
  if (i % 20 === 4) return { configuration: 'sp-pilot', status: pvr ? 'attached' : 'removed' };
  if (pvr) return { configuration: 'sp-baseline', ...(i % 100 === 2 ? { status: 'failed' } : {}) };
  return i % 9 === 1 ? { configuration: 'sp-baseline', status: 'detached' } : undefined;
}

export function bigWorld(n = 1000) {
  const people = Array.from({ length: 40 }, (_, i) => `dev${String(i).padStart(2, '0')}`);
  const users = Object.fromEntries(people.map((p, i) => [p, { contributions: { commits: i % 7 === 0 ? 0 : 3 } }]));
  const members = Object.fromEntries(people.map((p, i) => [p, i < 3 ? 'admin' : 'member']));
  const teams = {};
  for (let t = 0; t < 10; t++) {
    teams[`team-${t}`] = {
      members: Object.fromEntries(people.slice(t * 4, t * 4 + 4).map((p) => [p, 'member'])),
      repos: {}
    };
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
      r.rulesets = [
        {
          name: 'default',
          conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
          rules: [
            { type: 'deletion' },
            { type: 'non_fast_forward' },
            { type: 'pull_request', parameters: { required_approving_review_count: 1 } }
          ]
        }
      ];
    } else if (i % 4 === 1) {
      r.branch_protection = { main: { required_pull_request_reviews: { required_approving_review_count: 1 } } };
    }
    if (i % 5 === 0)
      r.environments = {
        pypi: {
          reviewers: [people[i % 40], people[(i + 1) % 40]],
          prevent_self_review: i % 10 === 0,
          deployment_branch_policy: { protected_branches: true, custom_branch_policies: false }
        }
      };
    if (i % 6 === 0) r.secrets = { PYPI_API_TOKEN: { created_at: '2021-01-01T00:00:00Z' }, CODECOV_TOKEN: {} };
    if (i % 9 === 0) r.deploy_keys = [{ title: `key-${i}`, key: `ssh-ed25519 AAAA${i}`, read_only: i % 18 !== 0 }];
    // Security features and workflows: most repositories are public and have CI; some run CodeQL.
    if (i % 7 === 3) r.private = true;
    r.security_and_analysis = {
      secret_scanning: i % 8 === 0 ? 'disabled' : 'enabled',
      secret_scanning_push_protection: i % 3 === 0 ? 'disabled' : 'enabled',
      dependabot_security_updates: i % 2 ? 'enabled' : 'disabled'
    };
    r.vulnerability_alerts = i % 5 !== 2;
    r.private_vulnerability_reporting = i % 3 !== 1;
    const attached = attachment(i, r.private_vulnerability_reporting);
    if (attached) r.security_configuration = attached;
    if (i % 4 === 2) r.code_scanning_default_setup = { state: 'configured', languages: ['actions', 'python'] };
    const files = { '.github/workflows/ci.yml': CI(i % 25 === 5 ? '[self-hosted, linux]' : 'ubuntu-latest') };
    if (i % 3 === 0) files['.github/workflows/codeql.yml'] = CODEQL;
    if (i % 2 === 0) files['SECURITY.md'] = 'Report privately.\n';
    if (i % 2 === 1)
      files['.github/dependabot.yml'] =
        'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: { interval: weekly }\n';
    r.files = { main: files };
    repos[`big/${name}`] = r;
  }
  return {
    viewer: people[0],
    // The recommended setup: a read-only GitHub App installation token (docs/access-audit.md).
    tokens: { 'bench-token': { login: 'audit-app[bot]', permissions: APP_PERMISSIONS } },
    rate_limit: { core: { limit: 15000, remaining: 15000 }, graphql: { limit: 5000, remaining: 5000 } },
    users,
    orgs: {
      big: {
        settings: { two_factor_requirement_enabled: true, default_repository_permission: 'read' },
        members,
        teams,
        installations: {
          'docs-bot': { permissions: { metadata: 'read', pull_requests: 'write' }, repository_selection: 'all' }
        },
        hooks: [{ url: 'https://ci.example.org/hook', secret: true, active: true, events: ['push'] }],
        code_security_configurations: SECURITY_CONFIGURATIONS,
        runner_groups: [
          {
            name: 'Default',
            visibility: 'all',
            default: true,
            allows_public_repositories: false,
            runners: [{ name: 'build-1', labels: ['self-hosted', 'linux'] }]
          }
        ],
        pat_grants: people.slice(0, 30).map((p, k) => ({
          owner: p,
          token_name: `t${k}`,
          token_expires_at: k % 3 ? '2026-06-01T00:00:00Z' : null,
          token_last_used_at: '2025-12-01T00:00:00Z',
          access_granted_at: '2025-06-01T00:00:00Z',
          repository_selection: 'subset',
          permissions: { repository: { contents: 'read' } }
        }))
      }
    },
    repos
  };
}
