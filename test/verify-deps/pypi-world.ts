// A fake-PyPI world built from the real PEP 740 material in shared/corpora. Not a test file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../harness/run-action';

export const CORPUS = resolve(REPO_ROOT, '..', 'shared', 'corpora', 'pypi-attestations');
const corpus = (f: string) => resolve(CORPUS, f);
export const SDIST = 'pypi_attestations-0.0.19.tar.gz';
export const SDIST_BYTES = readFileSync(corpus(SDIST));
export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
export const PROVENANCE = JSON.parse(readFileSync(corpus(`${SDIST}.provenance`), 'utf8'));
const attestation = (f: string) => JSON.parse(readFileSync(corpus(f), 'utf8'));
export const GITLAB_SDIST = 'gitlab_oidc_project-0.0.3.tar.gz';
export const STAGING_WHEEL = 'spt3g-1.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl';
const statementOf = (a: { envelope: { statement: string } }) =>
  JSON.parse(Buffer.from(a.envelope.statement, 'base64').toString('utf8'));
const stagingAtt = attestation(`${STAGING_WHEEL}.publish.attestation`);
export const STAGING_DIGEST: string = statementOf(stagingAtt).subject[0].digest.sha256;

const wrap = (publisher: Record<string, unknown>, att: unknown) => ({
  version: 1,
  attestation_bundles: [{ publisher, attestations: [att] }]
});

/** Flips one byte of a base64 field of the (first) attestation. */
export function tampered(field: 'statement' | 'signature'): unknown {
  const p = structuredClone(PROVENANCE);
  const env = p.attestation_bundles[0].attestations[0].envelope;
  const bytes = Buffer.from(env[field], 'base64');
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  env[field] = bytes.toString('base64');
  return p;
}

export function pypiWorld(overrides: { provenance019?: unknown } = {}) {
  return {
    projects: [
      {
        name: 'pypi-attestations',
        releases: [
          {
            version: '0.0.18',
            files: [
              {
                filename: 'pypi_attestations-0.0.18.tar.gz',
                content: 'an older release',
                provenance: PROVENANCE,
                upload_time: '2024-10-01T00:00:00Z'
              }
            ]
          },
          {
            version: '0.0.19',
            files: [
              {
                filename: SDIST,
                path: corpus(SDIST),
                provenance: overrides.provenance019 ?? PROVENANCE,
                upload_time: '2024-11-01T00:00:00Z'
              }
            ]
          },
          {
            version: '0.0.20',
            files: [
              {
                filename: 'pypi_attestations-0.0.20.tar.gz',
                content: 'uploaded with a stolen token',
                upload_time: '2024-12-07T00:00:00Z'
              }
            ]
          }
        ]
      },
      {
        name: 'gitlab-oidc-project',
        releases: [
          {
            version: '0.0.3',
            files: [
              {
                filename: GITLAB_SDIST,
                path: corpus(GITLAB_SDIST),
                provenance: wrap(
                  { kind: 'GitLab', repository: 'facutuesca/gitlab-oidc-project', workflow_filepath: '.gitlab-ci.yml' },
                  attestation(`${GITLAB_SDIST}.publish.attestation`)
                )
              }
            ]
          }
        ]
      },
      {
        name: 'spt3g',
        releases: [
          {
            version: '1.0',
            files: [
              {
                filename: STAGING_WHEEL,
                content: 'wheel bytes not shipped',
                digests: { sha256: STAGING_DIGEST },
                provenance: wrap(
                  { kind: 'GitHub', repository: 'CMB-S4/spt3g_software', workflow: 'release.yml' },
                  stagingAtt
                )
              }
            ]
          }
        ]
      },
      {
        name: 'no-provenance',
        releases: [{ version: '1.0', files: [{ filename: 'no_provenance-1.0.tar.gz', content: 'plain' }] }]
      },
      {
        name: 'yanked-pkg',
        releases: [
          {
            version: '1.0',
            yanked: true,
            yanked_reason: 'broken metadata',
            files: [{ filename: 'yanked_pkg-1.0.tar.gz', content: 'withdrawn' }]
          },
          { version: '1.1', files: [{ filename: 'yanked_pkg-1.1.tar.gz', content: 'fixed' }] }
        ]
      }
    ]
  };
}

/** A pylock.toml pinning the given files with their digests. */
export function pylock(
  entries: { name: string; version: string; filename: string; sha256: string }[],
  identities: Record<string, string> = {}
): string {
  return `lock-version = '1.0'\ncreated-by = 'test'\n\n${entries
    .map(
      (e) =>
        `[[packages]]\nname = '${e.name}'\nversion = '${e.version}'\nsdist = { name = '${e.filename}', url = 'https://files.pythonhosted.org/x/${e.filename}', hashes = { sha256 = '${e.sha256}' } }\n${identities[e.name] ?? ''}`
    )
    .join('\n')}`;
}
