// PyPI side of the small audit world: clean-pkg (two owners, provenance from
// sp/clean's pypi environment), weak-pkg (one owner, no provenance) and
// moved-pkg (published from another repository without an environment).
const provenance = (repository: string, environment: string | null) => ({
  version: 1,
  attestation_bundles: [
    { publisher: { kind: 'GitHub', repository, workflow: 'release.yml', environment }, attestations: [] }
  ]
});

export const pypiWorld = () => ({
  projects: [
    {
      name: 'clean-pkg',
      ownership: {
        roles: [
          { role: 'Owner', user: 'alice' },
          { role: 'Owner', user: 'dave' }
        ],
        organization: null
      },
      releases: [
        {
          version: '1.0',
          files: [{ filename: 'clean_pkg-1.0.tar.gz', content: 'sdist', provenance: provenance('sp/clean', 'pypi') }]
        }
      ]
    },
    {
      name: 'weak-pkg',
      ownership: { roles: [{ role: 'Owner', user: 'alice' }], organization: null },
      releases: [{ version: '0.3', files: [{ filename: 'weak_pkg-0.3.tar.gz', content: 'sdist' }] }]
    },
    {
      name: 'moved-pkg',
      ownership: { roles: [{ role: 'Owner', user: 'alice' }], organization: 'sp-org' },
      releases: [
        {
          version: '2.0',
          files: [{ filename: 'moved_pkg-2.0.tar.gz', content: 'sdist', provenance: provenance('someone/fork', null) }]
        }
      ]
    }
  ]
});
