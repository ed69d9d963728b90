import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptableOffers, startFakePyPI } from './server.mjs';
import { corpusProject, loadWorldFile } from './world.mjs';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpora', 'pypi-attestations');
const SDIST = 'pypi_attestations-0.0.19.tar.gz';
// Digests of the corpus sdist computed independently (Python hashlib), not by the fake.
const REAL = {
  sha256: '9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3',
  md5: '9bbced1947b53e331b348545c2623237',
  blake2b_256: 'c54da114bdd186903426bd9c1e9c3700761ec5eaac260fa3dfdef14bf84b751b',
  size: 29882
};

type Json = Record<string, any>;
const getJson = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, { redirect: 'manual', ...init });
  return { res, body: (res.headers.get('content-type') ?? '').includes('json') ? ((await res.json()) as Json) : null };
};

describe('PyPI fake serving the real corpus', () => {
  let fake: Awaited<ReturnType<typeof startFakePyPI>>;
  const provenance = JSON.parse(readFileSync(path.join(corpus, `${SDIST}.provenance`), 'utf8'));

  beforeAll(async () => {
    fake = await startFakePyPI({
      world: {
        projects: [
          corpusProject(path.join(corpus, SDIST), {
            name: 'pypi-attestations',
            ownership: { roles: [{ role: 'Owner', user: 'someone' }], organization: null }
          }),
          corpusProject(path.join(corpus, 'gitlab_oidc_project-0.0.3.tar.gz'), {
            publisher: {
              kind: 'GitLab',
              repository: 'facutuesca/gitlab-oidc-project',
              workflow_filepath: '.gitlab-ci.yml',
              environment: null
            }
          }),
          {
            name: 'Example_Pkg',
            releases: [
              {
                version: '0.9',
                yanked: true,
                yanked_reason: 'broken build',
                files: [{ filename: 'example_pkg-0.9.tar.gz', content: '0.9' }]
              },
              {
                version: '1.0',
                requires_python: '>=3.9',
                vulnerabilities: [
                  {
                    id: 'PYSEC-0000-1',
                    aliases: [],
                    details: 'x',
                    summary: null,
                    fixed_in: ['1.0.1'],
                    link: 'https://example.test',
                    source: 'osv',
                    withdrawn: null
                  }
                ],
                files: [
                  { filename: 'example_pkg-1.0.tar.gz', content: 'sdist 1.0' },
                  {
                    filename: 'example_pkg-1.0-py3-none-any.whl',
                    content: 'wheel 1.0',
                    upload_time: '2025-02-03T04:05:06.789012Z'
                  }
                ]
              },
              { version: '1.1rc1', files: [{ filename: 'example_pkg-1.1rc1.tar.gz', content: 'rc' }] },
              { version: '2.0', yanked: true, files: [{ filename: 'example_pkg-2.0.tar.gz', content: '2.0' }] }
            ]
          }
        ]
      }
    });
  });
  afterAll(() => fake.close());

  it('advertises the digests the distribution really has and serves its bytes', async () => {
    const { res, body } = await getJson(`${fake.url}/pypi/pypi-attestations/0.0.19/json`);
    expect(res.status).toBe(200);
    const [file] = body!.urls;
    expect(file).toMatchObject({ filename: SDIST, packagetype: 'sdist', python_version: 'source', size: REAL.size });
    expect(file.digests).toEqual({ sha256: REAL.sha256, md5: REAL.md5, blake2b_256: REAL.blake2b_256 });
    expect(file.md5_digest).toBe(REAL.md5);
    // files.pythonhosted.org path layout, on this fake's origin
    expect(file.url).toBe(`${fake.url}/packages/c5/4d/${REAL.blake2b_256.slice(4)}/${SDIST}`);
    const dl = await fetch(file.url);
    expect(Buffer.from(await dl.arrayBuffer()).equals(readFileSync(path.join(corpus, SDIST)))).toBe(true);
    // The real attestation's in-toto subject names exactly these bytes.
    const statement = JSON.parse(
      Buffer.from(provenance.attestation_bundles[0].attestations[0].envelope.statement, 'base64').toString()
    );
    expect(statement.subject).toEqual([{ name: SDIST, digest: { sha256: file.digests.sha256 } }]);
  });

  it('serves the real provenance on the Integrity API with PyPI’s content negotiation', async () => {
    const url = `${fake.url}/integrity/pypi-attestations/0.0.19/${SDIST}/provenance`;
    const { res, body } = await getJson(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.pypi.integrity.v1+json');
    expect(body).toEqual(provenance);
    expect(body!.attestation_bundles[0].publisher).toEqual({
      kind: 'GitHub',
      repository: 'trailofbits/pypi-attestations',
      workflow: 'release.yml',
      environment: null
    });

    const asJson = await fetch(url, { headers: { accept: 'application/json' } });
    expect(asJson.headers.get('content-type')).toBe('application/json');
    const html = await getJson(url, { headers: { accept: 'text/html' } });
    expect(html.res.status).toBe(406);
    expect(html.body).toEqual({ message: 'Request not acceptable' });
  });

  it('wraps a bare corpus attestation with its publisher, and 404s files without provenance', async () => {
    const gl = await getJson(
      `${fake.url}/integrity/gitlab-oidc-project/0.0.3/gitlab_oidc_project-0.0.3.tar.gz/provenance`
    );
    const attestation = JSON.parse(
      readFileSync(path.join(corpus, 'gitlab_oidc_project-0.0.3.tar.gz.publish.attestation'), 'utf8')
    );
    expect(gl.body).toEqual({
      version: 1,
      attestation_bundles: [{ publisher: expect.objectContaining({ kind: 'GitLab' }), attestations: [attestation] }]
    });

    const none = await getJson(`${fake.url}/integrity/example-pkg/1.0/example_pkg-1.0.tar.gz/provenance`);
    expect(none.res.status).toBe(404);
    expect(none.body).toEqual({ message: 'No provenance available for example_pkg-1.0.tar.gz' });
    // The filename must belong to the project and version in the path.
    const mismatched = await fetch(`${fake.url}/integrity/example-pkg/0.9/example_pkg-1.0.tar.gz/provenance`);
    expect(mismatched.status).toBe(404);
  });

  it('links the provenance from the PEP 691 Simple API', async () => {
    const { res, body } = await getJson(`${fake.url}/simple/pypi-attestations/`, {
      headers: { accept: 'application/vnd.pypi.simple.v1+json' }
    });
    expect(res.headers.get('content-type')).toBe('application/vnd.pypi.simple.v1+json');
    expect(body).toMatchObject({ meta: { 'api-version': '1.3' }, name: 'pypi-attestations', versions: ['0.0.19'] });
    const [file] = body!.files;
    expect(file).toMatchObject({
      filename: SDIST,
      hashes: { sha256: REAL.sha256 },
      size: REAL.size,
      yanked: false,
      'core-metadata': false
    });
    expect(file.provenance).toBe(`${fake.url}/integrity/pypi-attestations/0.0.19/${SDIST}/provenance`);
    expect((await getJson(file.provenance)).body).toEqual(provenance);
  });

  it('serves PEP 503 HTML by default, with hash fragment, yank and provenance attributes', async () => {
    const res = await fetch(`${fake.url}/simple/example-pkg/`);
    expect(res.headers.get('content-type')).toBe('text/html');
    const html = await res.text();
    expect(html).toContain('<meta name="pypi:repository-version" content="1.3">');
    expect(html).toMatch(
      /<a href="[^"]+\/example_pkg-0\.9\.tar\.gz#sha256=[0-9a-f]{64}" data-yanked="broken build">example_pkg-0\.9\.tar\.gz<\/a>/
    );
    expect(html).toContain('data-requires-python="&gt;=3.9"');
    const prov = await (await fetch(`${fake.url}/simple/pypi-attestations/`)).text();
    expect(prov).toContain(`data-provenance="${fake.url}/integrity/pypi-attestations/0.0.19/${SDIST}/provenance"`);
  });

  it('orders Simple API versions and files by PEP 440 and reports yanks as PyPI does', async () => {
    const { body } = await getJson(`${fake.url}/simple/example-pkg/`, {
      headers: { accept: 'application/vnd.pypi.simple.v1+json' }
    });
    expect(body!.versions).toEqual(['0.9', '1.0', '1.1rc1', '2.0']);
    expect(body!.files.map((f: Json) => [f.filename, f.yanked, f.provenance])).toEqual([
      ['example_pkg-0.9.tar.gz', 'broken build', null],
      ['example_pkg-1.0-py3-none-any.whl', false, null],
      ['example_pkg-1.0.tar.gz', false, null],
      ['example_pkg-1.1rc1.tar.gz', false, null],
      ['example_pkg-2.0.tar.gz', true, null]
    ]);
  });

  it('redirects unnormalised names as PyPI does (PEP 503)', async () => {
    const json = await fetch(`${fake.url}/pypi/Example.Pkg/1.0/json`, { redirect: 'manual' });
    expect(json.status).toBe(301);
    expect(json.headers.get('location')).toBe(`${fake.url}/pypi/example-pkg/1.0/json`);
    const simple = await fetch(`${fake.url}/simple/Example_Pkg/`, { redirect: 'manual' });
    expect(simple.headers.get('location')).toBe(`${fake.url}/simple/example-pkg/`);
    const slash = await fetch(`${fake.url}/simple/example-pkg`, { redirect: 'manual' });
    expect([slash.status, slash.headers.get('location')]).toEqual([301, `${fake.url}/simple/example-pkg/`]);
    // Following the redirect lands on the data.
    expect((await fetch(`${fake.url}/pypi/EXAMPLE_PKG/json`)).status).toBe(200);
    expect((await fetch(`${fake.url}/pypi/no-such-project/json`)).status).toBe(404);
  });

  it('has the JSON API shape of pypi.org', async () => {
    const { res, body } = await getJson(`${fake.url}/pypi/example-pkg/json`);
    expect(res.headers.get('x-pypi-last-serial')).toBe(String(body!.last_serial));
    // Latest = newest final release that is not yanked (2.0 is yanked, 1.1rc1 is a pre-release).
    expect(body!.info).toMatchObject({
      name: 'Example_Pkg',
      version: '1.0',
      yanked: false,
      yanked_reason: null,
      requires_python: '>=3.9'
    });
    expect(Object.keys(body!.releases).sort()).toEqual(['0.9', '1.0', '1.1rc1', '2.0']);
    expect(body!.releases['0.9'][0]).toMatchObject({ yanked: true, yanked_reason: 'broken build' });
    expect(body!.releases['2.0'][0]).toMatchObject({ yanked: true, yanked_reason: null });
    expect(body!.urls.map((f: Json) => f.filename)).toEqual([
      'example_pkg-1.0.tar.gz',
      'example_pkg-1.0-py3-none-any.whl'
    ]);
    expect(body!.urls[1]).toMatchObject({
      packagetype: 'bdist_wheel',
      python_version: 'py3',
      upload_time: '2025-02-03T04:05:06',
      upload_time_iso_8601: '2025-02-03T04:05:06.789012Z',
      has_sig: false,
      downloads: -1
    });
    expect(body!.vulnerabilities).toEqual([expect.objectContaining({ id: 'PYSEC-0000-1', fixed_in: ['1.0.1'] })]);
    expect(body!.ownership).toEqual({ roles: [], organization: null });

    // The release route has no `releases` and finds the version by its canonical form.
    const rel = await getJson(`${fake.url}/pypi/example-pkg/1.0.0/json`);
    expect(rel.body!.info.version).toBe('1.0');
    expect(rel.body).not.toHaveProperty('releases');
    const owned = await getJson(`${fake.url}/pypi/pypi-attestations/json`);
    expect(owned.body!.ownership).toEqual({ roles: [{ role: 'Owner', user: 'someone' }], organization: null });
    expect((await fetch(`${fake.url}/pypi/example-pkg/3.0/json`)).status).toBe(404);
  });

  it('lists projects on the Simple API index', async () => {
    const { body } = await getJson(`${fake.url}/simple/`, {
      headers: { accept: 'application/vnd.pypi.simple.v1+json' }
    });
    expect(body!.projects.map((p: Json) => p.name)).toEqual([
      'Example_Pkg',
      'gitlab_oidc_project',
      'pypi-attestations'
    ]);
  });

  it('injects faults through the shared fault model', async () => {
    fake.setFaults([{ match: 'GET /pypi/*', status: 503, times: 1, headers: { 'retry-after': '1' } }]);
    const first = await fetch(`${fake.url}/pypi/example-pkg/json`);
    expect([first.status, first.headers.get('retry-after')]).toEqual([503, '1']);
    expect((await fetch(`${fake.url}/pypi/example-pkg/json`)).status).toBe(200);
    fake.setFaults([]);
  });
});

describe('PyPI world validation', () => {
  it('refuses files that PyPI would not accept for that project and version', async () => {
    await expect(
      startFakePyPI({
        world: {
          projects: [{ name: 'a', releases: [{ version: '1.0', files: [{ filename: 'b-1.0.tar.gz', content: 'x' }] }] }]
        }
      })
    ).rejects.toThrow('b-1.0.tar.gz does not belong to a 1.0');
    await expect(
      startFakePyPI({
        world: {
          projects: [
            { name: 'A.b', releases: [] },
            { name: 'a_B', releases: [] }
          ]
        }
      })
    ).rejects.toThrow('two projects normalise to a-b');
  });

  it('lets a test advertise a digest the bytes do not have (a tampered index)', async () => {
    const fake = await startFakePyPI({
      world: {
        projects: [
          {
            name: 'a',
            releases: [
              { version: '1', files: [{ filename: 'a-1.tar.gz', content: 'x', digests: { sha256: '0'.repeat(64) } }] }
            ]
          }
        ]
      }
    });
    try {
      const body = (await (await fetch(`${fake.url}/pypi/a/json`)).json()) as Json;
      expect(body.urls[0].digests.sha256).toBe('0'.repeat(64));
      expect(body.urls[0].digests.md5).toBe('9dd4e461268c8034f5c8564e155c67a6'); // md5("x")
    } finally {
      await fake.close();
    }
  });
});

describe('acceptableOffers (WebOb semantics warehouse relies on)', () => {
  const offers = ['text/html', 'application/vnd.pypi.simple.v1+html', 'application/vnd.pypi.simple.v1+json'];
  it.each([
    [undefined, offers],
    [
      'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01',
      ['application/vnd.pypi.simple.v1+json', 'application/vnd.pypi.simple.v1+html', 'text/html']
    ],
    ['application/*', ['application/vnd.pypi.simple.v1+html', 'application/vnd.pypi.simple.v1+json']],
    ['*/*;q=0.5, text/html;q=0', ['application/vnd.pypi.simple.v1+html', 'application/vnd.pypi.simple.v1+json']],
    ['image/png', []]
  ])('Accept %s', (header, expected) => {
    expect(acceptableOffers(header, offers)).toEqual(expected);
  });
});

describe('standalone PyPI fake', () => {
  it('prints its URL first and serves the example world', async () => {
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'test/fakes/pypi/server.mjs'),
        '--world',
        path.join(repoRoot, 'test/fakes/pypi/example-world.json'),
        '--port',
        '0'
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    );
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const first = (await lines.next()).value as string;
      expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const body = (await (await fetch(`${first}/pypi/pypi-attestations/json`)).json()) as Json;
      expect(body.urls[0].digests.sha256).toBe(REAL.sha256);
      expect(loadWorldFile(path.join(repoRoot, 'test/fakes/pypi/example-world.json')).projects).toHaveLength(3);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
