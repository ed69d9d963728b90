// Rules of the publish audit (../audits/publish.ts).
import { defineRules } from '../../rules';

export const PUBLISH = {
  id: 'publish',
  rules: defineRules({
    publishTrigger: {
      id: 'publish/trigger',
      title: 'Publishing workflow starts on an event nobody chose to release on',
      severity: 'high',
      why: "A push, a schedule, another workflow's run or a pull_request_target event can publish a release without the release team deciding to; one pushed commit (or a fork's pull request) becomes a release.",
      remediation:
        "Start the publishing workflow on `release: types: [published]` or `workflow_dispatch` only; keep other triggers in a separate workflow, or guard the publish job with `if: github.event_name == 'release'`.",
      spec: ['S8-2']
    },
    publishNoEnvironment: {
      id: 'publish/no-environment',
      title: 'Publish job does not run in an environment',
      severity: 'high',
      why: 'Without an environment no required reviewer approves the upload and no deployment-branch policy limits where it runs; a PyPI Trusted Publisher bound to an environment cannot be required either.',
      remediation:
        'Add `environment: pypi` (with required reviewers and a tag or branch policy) to the publish job, and name that environment in the PyPI Trusted Publisher.',
      spec: ['S8-8']
    },
    publishPassword: {
      id: 'publish/password',
      title: 'Publish job uses a password or long-lived token',
      severity: 'high',
      why: 'A PyPI token in a secret can be read by any step of any workflow that is given it and publishes from anywhere until revoked; Trusted Publishing needs no stored credential.',
      remediation:
        'Configure a PyPI Trusted Publisher for this workflow and environment, remove `password:` / `TWINE_PASSWORD` / the token secret from the workflow, give the publish job `id-token: write`, then delete the secret and revoke the token on PyPI.',
      spec: ['S6-10', 'S8-13']
    },
    publishIdTokenScope: {
      id: 'publish/id-token-scope',
      title: '`id-token: write` granted beyond the publish job',
      severity: 'medium',
      why: 'An OIDC token is what PyPI Trusted Publishing trusts; a job that builds or tests with `id-token: write` can mint one and publish from code that was never meant to.',
      remediation:
        'Keep `permissions: contents: read` at the workflow level and grant `id-token: write` only on the publish job (and on a job that only signs or attests).',
      spec: ['S8-13']
    },
    publishCache: {
      id: 'publish/cache-in-release',
      title: 'Release job restores a cache',
      severity: 'medium',
      why: 'Caches are shared with other workflows of the repository, including ones that run pull request code; a poisoned cache ends up in the released files.',
      remediation:
        'Remove `actions/cache` and the `cache:` option of setup actions from the jobs that build and publish the release; build from a clean environment.',
      spec: ['S8-15']
    },
    publishUnverified: {
      id: 'publish/unverified-artifacts',
      title: 'Publish job uploads files from another job without verifying their attestations',
      severity: 'low',
      why: "The files a publish job downloads were built elsewhere (another job, another run); an artifact replaced between the two (a compromised step with the run's token, a poisoned cache in the build) would be published as is. Verifying the build's attestation first ties every file to the commit and workflow that built it.",
      remediation:
        'Attest the distributions where they are built (`actions/attest-build-provenance`, or sign-release) and verify them before the upload: a step of the publish job (`gh attestation verify <file> --repo <owner>/<repo>`, `sigstore verify`, `pypi-attestations verify`, slsa-verifier), or sign-release, which verifies what it signs, in a job the publish job needs.',
      spec: ['S8-12']
    },
    publishNoPrintHash: {
      id: 'publish/no-print-hash',
      title: 'Publish step does not print the hashes of what it uploads',
      severity: 'low',
      why: 'Without the hashes in the log nobody can check afterwards that the files on PyPI are the ones the workflow built.',
      remediation: 'Add `print-hash: true` under `with:` of pypa/gh-action-pypi-publish.',
      spec: ['S8-14']
    }
  })
};
