// The core PyPI client against the fake PyPI serving its example world (real PEP 740 material).
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { HttpClient, ServiceError } from '../../packages/core/src/http';
import { PyPIClient, trustedPublisher, versionFromFilename } from '../../packages/core/src/pypi';
import { useExamplePyPI } from './helpers';

const fake = useExamplePyPI();

const pypi = () => new PyPIClient(`${fake().url}/`, new HttpClient('PyPI', { retries: 0 }));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const rejects = (p: Promise<unknown>, message: string) =>
  expect(p).rejects.toEqual(expect.objectContaining({ name: 'ServiceError', message }));

describe('PyPIClient: JSON API', () => {
  it("reads the latest release, its files and the project's owners", async () => {
    expect(await pypi().project('pypi-attestations')).toEqual({
      name: 'pypi-attestations',
      version: '0.0.19',
      files: ['pypi_attestations-0.0.19.tar.gz'],
      ownership: { roles: [{ role: 'Owner', user: 'example-maintainer' }], organization: 'example-org' }
    });
  });

  it("takes PyPI's latest (not yanked, final before pre-release) and follows the name redirect", async () => {
    const p = await pypi().project('Example.Pkg');
    expect(p).toMatchObject({ name: 'Example_Pkg', version: '1.0', ownership: { roles: [], organization: null } });
    expect(p!.files.sort()).toEqual(['example_pkg-1.0-py3-none-any.whl', 'example_pkg-1.0.tar.gz']);
  });

  it('is undefined for an unknown project', async () => {
    expect(await pypi().project('no-such-project')).toBeUndefined();
  });

  it('keeps ownership unknown when the answer has none, and fails closed without a release', async () => {
    fake().setFaults([{ match: 'GET /pypi/*', status: 200, times: 1, body: { info: { version: '2.0' }, urls: [] } }]);
    expect(await pypi().project('example-pkg')).toEqual({
      name: 'example-pkg',
      version: '2.0',
      files: [],
      ownership: undefined
    });
    fake().setFaults([{ match: 'GET /pypi/*', status: 200, body: { message: 'maintenance' } }]);
    await rejects(pypi().project('example-pkg'), 'PyPI JSON API returned no latest release for example-pkg');
  });
});

describe('PyPIClient: Simple API', () => {
  it('lists every file with its digest, yank, upload time, version and provenance URL', async () => {
    const p = await pypi().simple('example-pkg');
    expect(p!.versions).toEqual(['0.9', '1.0', '1.1rc1']);
    const byName = new Map(p!.files.map((f) => [f.filename, f]));
    expect(byName.get('example_pkg-0.9.tar.gz')).toEqual({
      filename: 'example_pkg-0.9.tar.gz',
      sha256: sha256('example 0.9'),
      yanked: 'broken build',
      uploadTime: '2024-01-01T00:00:00.000000Z',
      provenance: null,
      version: '0.9'
    });
    expect(byName.get('example_pkg-1.0-py3-none-any.whl')).toMatchObject({ yanked: false, version: '1.0' });
    expect((await pypi().simple('pypi-attestations'))!.files[0].provenance).toMatch(
      /\/integrity\/pypi-attestations\/0\.0\.19\/pypi_attestations-0\.0\.19\.tar\.gz\/provenance$/
    );
  });

  it('is undefined for an unknown project and fails closed on an answer without files', async () => {
    expect(await pypi().simple('no-such-project')).toBeUndefined();
    fake().setFaults([{ match: 'GET /simple/*', status: 200, body: { meta: { 'api-version': '1.3' } } }]);
    await rejects(pypi().simple('example-pkg'), 'PyPI simple API returned no file list for example-pkg');
  });
});

describe('PyPIClient: Integrity API', () => {
  it('reads the real provenance and its Trusted Publisher', async () => {
    const url = (await pypi().simple('pypi-attestations'))!.files[0].provenance!;
    const prov = await pypi().provenance(url);
    expect(prov!.attestation_bundles).toHaveLength(1);
    expect(trustedPublisher(prov!.attestation_bundles[0].publisher)).toEqual({
      kind: 'GitHub',
      repository: 'trailofbits/pypi-attestations',
      workflow: 'release.yml',
      environment: undefined // null on PyPI: no environment
    });
  });

  it('builds the Integrity API URL, and a file without provenance is undefined', async () => {
    const c = pypi();
    expect(await c.provenance(c.integrityUrl('example-pkg', '1.0', 'example_pkg-1.0.tar.gz'))).toBeUndefined();
    const prov = await c.provenance(c.integrityUrl('pypi-attestations', '0.0.19', 'pypi_attestations-0.0.19.tar.gz'));
    expect(prov!.version).toBe(1);
  });

  it('fails closed on a provenance object without attestation bundles, and on 5xx', async () => {
    const c = pypi();
    const url = c.integrityUrl('pypi-attestations', '0.0.19', 'pypi_attestations-0.0.19.tar.gz');
    fake().setFaults([{ match: 'GET /integrity/*', status: 200, times: 1, body: { version: 1 } }]);
    await rejects(
      c.provenance(url),
      'PyPI Integrity API returned a malformed provenance object for /integrity/pypi-attestations/0.0.19/pypi_attestations-0.0.19.tar.gz/provenance'
    );
    fake().setFaults([{ match: 'GET /integrity/*', status: 503 }]);
    await expect(c.provenance(url)).rejects.toBeInstanceOf(ServiceError);
  });
});

describe('publishers and filenames', () => {
  it('reads a publisher object as PyPI sends it', () => {
    expect(
      trustedPublisher({
        kind: 'GitLab',
        repository: 'facutuesca/gitlab-oidc-project',
        workflow_filepath: '.gitlab-ci.yml',
        environment: null
      })
    ).toEqual({
      kind: 'GitLab',
      repository: 'facutuesca/gitlab-oidc-project',
      workflow: undefined,
      environment: undefined
    });
    expect(trustedPublisher({ kind: 'Google', email: 'x@example.iam.gserviceaccount.com' })).toEqual({
      kind: 'Google',
      repository: undefined,
      workflow: undefined,
      environment: undefined
    });
    expect(trustedPublisher({ repository: 'o/r' })).toBeUndefined();
    expect(trustedPublisher(null)).toBeUndefined();
  });

  it.each([
    ['example_pkg-1.0-py3-none-any.whl', 'example-pkg', '1.0'],
    ['Example.Pkg-2.0rc1-1-cp312-cp312-manylinux_2_17_x86_64.whl', 'example-pkg', '2.0rc1'],
    ['example_pkg-1.0.tar.gz', 'example-pkg', '1.0'],
    ['example-pkg-1.0.zip', 'example-pkg', '1.0'],
    ['other_pkg-1.0.tar.gz', 'example-pkg', undefined],
    ['example_pkg-1.0.exe', 'example-pkg', undefined]
  ])('%s of %s is version %s', (filename, project, version) => {
    expect(versionFromFilename(filename, project)).toBe(version);
  });
});
