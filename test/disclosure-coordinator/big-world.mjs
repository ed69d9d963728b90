// A generated ecosystem for the disclosure coordinator's benchmark: one
// organization of `n` repositories, each with four dependency files (a
// requirements file pinning the ecosystem's core library, a pyproject range, a
// development requirements file and a uv lock), a deterministic mix of
// private vulnerability reporting, recent releases (some announcing security
// fixes), and advisories on the core library: a draft, a recently published
// one and a report waiting in triage. `now` makes the ages reproducible.
const DAY = 86_400_000;
const iso = (now, daysAgo) => new Date(now.getTime() - daysAgo * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
const sha = (i) => (i + 1).toString(16).padStart(40, '0');

export const BIG_TOKEN = 'coordinator-bench-token';

export function bigWorld(n = 500, now = new Date()) {
  const repos = {};
  for (let i = 0; i < n; i++) {
    const name = i === 0 ? 'eco/ecolib' : `eco/pkg-${String(i).padStart(4, '0')}`;
    const pin = `1.${i % 6}.0`; // 1.0–1.3 are affected, 1.4 and 1.5 not
    const recent = i % 10 === 0;
    repos[name] = {
      private_vulnerability_reporting: i % 7 !== 0,
      pushed_at: iso(now, recent ? 2 : 200),
      commits: [{ sha: sha(i), message: 'init', author: { login: 'maintainer' } }],
      collaborators: { [`dev${i % 40}`]: 'admin' },
      files: {
        main: {
          'requirements.txt': `numpy>=1.26\necolib==${pin}\nscipy>=1.11\n`,
          'pyproject.toml': `[project]\nname = "pkg-${i}"\ndependencies = ["ecolib>=1.${i % 3},<2", "numpy"]\n`,
          'requirements/dev.txt': 'pytest>=8\nhypothesis\n',
          'uv.lock': `version = 1\n\n[[package]]\nname = "ecolib"\nversion = "${pin}"\nsource = { registry = "https://pypi.org/simple" }\n`
        }
      },
      ...(recent
        ? {
            tags: { 'v1.0': sha(i) },
            releases: [
              {
                tag_name: 'v1.0',
                body: i % 20 === 0 ? 'Fixes a security vulnerability.' : 'Faster.',
                created_at: iso(now, 2),
                author: 'maintainer'
              }
            ]
          }
        : {})
    };
  }
  repos['eco/ecolib'].security_advisories = [
    {
      state: 'draft',
      summary: 'Draft flaw',
      created_at: iso(now, 20),
      vulnerabilities: [
        {
          package: { ecosystem: 'pip', name: 'ecolib' },
          vulnerable_version_range: '>= 1.0, < 1.4.0',
          patched_versions: '1.4.0'
        }
      ]
    },
    {
      state: 'published',
      summary: 'Published flaw',
      created_at: iso(now, 40),
      published_at: iso(now, 10),
      cve_id: 'CVE-2026-10001',
      vulnerabilities: [
        {
          package: { ecosystem: 'pip', name: 'ecolib' },
          vulnerable_version_range: '< 1.1.0',
          patched_versions: '1.1.0'
        }
      ]
    },
    { state: 'triage', accepted: false, summary: 'New report', created_at: iso(now, 12), author: 'reporter' }
  ];
  return {
    users: {
      maintainer: {},
      reporter: {},
      ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`dev${i}`, {}]))
    },
    orgs: { eco: { members: { maintainer: 'admin' } } },
    tokens: {
      [BIG_TOKEN]: {
        login: 'coordinator[bot]',
        permissions: { repository_advisories: 'write', contents: 'read', issues: 'write', metadata: 'read' }
      }
    },
    repos
  };
}
