// Worlds for the disclosure coordinator's tests: an organization whose library
// `splib` has advisories in every state, downstream projects that pin, range
// or lock it, and one of each tracking problem next to its clean counterpart.
// Dates are relative to `now`, so the bundle (which runs on today's clock) and
// the engine (given a clock) see the same ages.

const DAY = 86_400_000;
export const ago = (now: Date, days: number): string =>
  new Date(now.getTime() - days * DAY).toISOString().replace(/\.\d+Z$/, 'Z');

const commit = (sha: string, login = 'alice') => [
  { sha: sha.repeat(40).slice(0, 40), message: 'init', author: { login } }
];

/** The coordinator's App: advisories (write: the organization list and collaborators), contents, issues. */
export const COORDINATOR_PERMISSIONS = {
  repository_advisories: 'write',
  contents: 'read',
  issues: 'write',
  metadata: 'read'
};

export const SPLIB_DRAFT = 'GHSA-2345-6789-cfgh';
export const SPLIB_REPORT = 'GHSA-jmpq-rvwx-2345';

export function disclosureWorld(now: Date): any {
  return {
    users: { alice: {}, bob: {}, carol: {}, dave: {}, erin: {} },
    orgs: { sp: { members: { alice: 'admin', bob: 'member' } } },
    tokens: {
      'coordinator-app-token': { login: 'coordinator[bot]', permissions: { ...COORDINATOR_PERMISSIONS } },
      'readonly-token': { login: 'reader[bot]', permissions: { contents: 'read' } },
      alice: { login: 'alice' },
      erin: { login: 'erin' },
      'workflow-token': {
        login: 'github-actions[bot]',
        permissions: { issues: 'write' },
        repositories: ['sp/security']
      }
    },
    repos: {
      'sp/security': { private: true, commits: commit('5') },
      'sp/lib': {
        private_vulnerability_reporting: true,
        pushed_at: ago(now, 2),
        commits: commit('1'),
        files: { main: { 'pyproject.toml': '[project]\nname = "splib"\nversion = "1.4.2"\n' } },
        security_advisories: [
          {
            ghsa_id: SPLIB_REPORT,
            state: 'triage',
            accepted: false,
            author: 'erin',
            summary: 'Heap overflow in the reader',
            created_at: ago(now, 10),
            vulnerabilities: [{ package: { ecosystem: 'pip', name: 'splib' }, vulnerable_version_range: '< 2.0' }]
          },
          {
            ghsa_id: SPLIB_DRAFT,
            state: 'draft',
            summary: 'Path traversal when extracting archives',
            severity: 'high',
            created_at: ago(now, 20),
            vulnerabilities: [
              {
                package: { ecosystem: 'pip', name: 'SpLib' },
                vulnerable_version_range: '>= 1.0, < 1.4.2',
                patched_versions: '1.4.2'
              }
            ]
          }
        ]
      },
      'sp/app': {
        pushed_at: ago(now, 100),
        private_vulnerability_reporting: true,
        collaborators: { bob: 'admin' },
        commits: commit('2'),
        files: {
          main: {
            'requirements.txt': 'numpy>=1.26\nsplib==1.2.0\n',
            'requirements/docs.txt': 'sphinx\n'
          }
        }
      },
      'sp/tool': {
        pushed_at: ago(now, 100),
        private_vulnerability_reporting: true,
        collaborators: { dave: 'admin' },
        commits: commit('3'),
        files: { main: { 'pyproject.toml': '[project]\nname = "tool"\ndependencies = ["splib>=1.0,<1.4"]\n' } }
      },
      'sp/ok': {
        pushed_at: ago(now, 100),
        private_vulnerability_reporting: true,
        commits: commit('4'),
        files: {
          main: {
            'uv.lock':
              'version = 1\n\n[[package]]\nname = "splib"\nversion = "1.4.2"\nsource = { registry = "https://pypi.org/simple" }\n'
          }
        },
        dependency_graph: { packages: [{ name: 'splib', version: '1.4.2' }] }
      },
      'sp/quiet': { pushed_at: ago(now, 100), commits: commit('6') },
      'sp/rel': {
        private_vulnerability_reporting: true,
        pushed_at: ago(now, 3),
        commits: commit('7'),
        tags: { 'v2.0': '7'.repeat(40), 'v2.1': '7'.repeat(40) },
        releases: [
          {
            tag_name: 'v2.1',
            name: 'rel 2.1',
            body: 'Fixes a security vulnerability in the loader.',
            created_at: ago(now, 3),
            author: 'alice'
          },
          {
            tag_name: 'v2.0',
            name: 'rel 2.0',
            body: 'Fixes CVE-2025-11111.',
            created_at: ago(now, 5),
            author: 'alice'
          }
        ],
        security_advisories: [
          {
            ghsa_id: 'GHSA-cfgh-jmpq-rvwx',
            state: 'published',
            cve_id: 'CVE-2025-11111',
            summary: 'Loader flaw',
            created_at: ago(now, 9),
            published_at: ago(now, 5),
            private_fork: true,
            vulnerabilities: [
              { package: { ecosystem: 'pip', name: 'rel' }, vulnerable_version_range: '< 2.0', patched_versions: '2.0' }
            ]
          },
          {
            ghsa_id: 'GHSA-vwx2-3456-789c',
            state: 'published',
            summary: 'Old flaw without a fix version',
            created_at: ago(now, 40),
            published_at: ago(now, 30),
            vulnerabilities: [{ package: { ecosystem: 'pip', name: 'rel' }, vulnerable_version_range: '< 1.0' }]
          }
        ]
      },
      'ext/user': {
        commits: commit('8', 'carol'),
        files: { main: { 'requirements.txt': 'splib>=1.0\n' } }
      },
      'ext/locked': {
        commits: commit('9', 'carol'),
        files: {
          main: {
            'poetry.lock': '[[package]]\nname = "splib"\nversion = "1.3.0"\n\n[metadata]\nlock-version = "2.0"\n'
          }
        }
      }
    }
  };
}

/** The config section the tests run with. */
export const CONFIG = {
  orgs: ['sp'],
  downstream: [
    { repo: 'ext/user', contacts: ['carol'] },
    { repo: 'ext/locked', contacts: ['carol'] },
    { repo: 'sp/app', contacts: ['bob'] }
  ],
  invite: ['bob', 'carol']
};
