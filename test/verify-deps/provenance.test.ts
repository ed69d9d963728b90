import { describe, expect, it } from '@jest/globals';
import { HttpClient, PyPIClient } from '@security-actions/core';
import { BundleVerifier, embeddedTrustedRoot } from '../../packages/core/src/sigstore/verify';
import { type Services, verifyDeps } from '../../actions/verify-deps/src/engine';
import { EMPTY_POLICY, type Policy } from '../../actions/verify-deps/src/policy';
import { inThreadChecker } from '../../actions/verify-deps/src/provenance';
import { startFakePyPI } from '../fakes/pypi/server.mjs';
import { expectFires, expectQuiet } from '../helpers/rules';
import {
  GITLAB_SDIST,
  SDIST,
  SDIST_BYTES,
  STAGING_DIGEST,
  STAGING_WHEEL,
  pylock,
  pypiWorld,
  sha256,
  tampered
} from './pypi-world';

const REAL = { name: 'pypi-attestations', version: '0.0.19', filename: SDIST, sha256: sha256(SDIST_BYTES) };
let verifierBuilds = 0;

async function run(
  lock: string,
  world = pypiWorld(),
  policy: Partial<Policy> = {},
  provenance: 'warn' | 'require' = 'warn'
) {
  const fake = await startFakePyPI({ world });
  try {
    const services: Services = {
      pypi: new PyPIClient(fake.url, new HttpClient('PyPI', { retries: 0 })),
      verifier: async () => {
        verifierBuilds++;
        return inThreadChecker(new BundleVerifier(embeddedTrustedRoot()));
      }
    };
    return await verifyDeps(
      { python: [{ path: 'pylock.toml', text: lock }], actions: [] },
      {
        checks: new Set(['provenance']),
        offline: false,
        provenance,
        policy: { ...EMPTY_POLICY, ...policy },
        now: new Date('2025-06-01T00:00:00Z')
      },
      services
    );
  } finally {
    await fake.close();
  }
}
const rules = (r: Awaited<ReturnType<typeof run>>) => r.findings.map((f) => f.ruleId);

describe('PEP 740 provenance through the fake PyPI', () => {
  it('verifies the real attestation of pypi-attestations 0.0.19 (GitHub) and gitlab-oidc-project 0.0.3 (GitLab)', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const { CORPUS } = await import('./pypi-world');
    const gitlab = {
      name: 'gitlab-oidc-project',
      version: '0.0.3',
      filename: GITLAB_SDIST,
      sha256: sha256(readFileSync(resolve(CORPUS, GITLAB_SDIST)))
    };
    const r = await run(pylock([REAL, gitlab]));
    expectQuiet(r.findings, 'python/provenance-invalid');
    expectQuiet(r.findings, 'python/publisher-mismatch');
    expectQuiet(r.findings, 'python/provenance-missing');
    expect(r.findings).toEqual([]);
    expect(r.notChecked).toEqual([]);
  });

  it('builds the Sigstore trust material once per run', async () => {
    verifierBuilds = 0;
    await run(pylock([REAL, { ...REAL, name: 'pypi-attestations', version: '0.0.19' }]));
    expect(verifierBuilds).toBe(1);
  });

  it('accepts the expected publisher from the policy, anchored', async () => {
    const r = await run(pylock([REAL]), pypiWorld(), {
      publishers: {
        'pypi-attestations': [{ kind: 'GitHub', repository: 'trailofbits/pypi-attestations', workflow: 'release.yml' }]
      }
    });
    expectQuiet(r.findings, 'python/publisher-mismatch');
    expect(r.findings).toEqual([]);
  });

  it('fails a flipped byte in the file', async () => {
    const flipped = Buffer.from(SDIST_BYTES);
    flipped[100] ^= 0x01;
    const r = await run(pylock([{ ...REAL, sha256: sha256(flipped) }]));
    expectFires(r.findings, 'python/provenance-invalid', 1);
    expect(rules(r)).toEqual(['python/provenance-invalid']);
    expect(r.findings[0].severity).toBe('critical');
  });

  it.each(['statement', 'signature'] as const)('fails a flipped byte in the %s', async (field) => {
    const r = await run(pylock([REAL]), pypiWorld({ provenance019: tampered(field) }));
    expect(rules(r)).toEqual(['python/provenance-invalid']);
  });

  it.each([
    [{ kind: 'GitHub', repository: 'trailofbits/pypi-attestations-evil' }, 'repository'],
    [{ kind: 'GitHub', repository: 'trailofbits/pypi', workflow: 'release.yml' }, 'repository'], // a prefix is not a match
    [{ kind: 'GitHub', repository: 'trailofbits/pypi-attestations', workflow: 'release.yml.evil' }, 'workflow'],
    [
      { kind: 'GitHub', repository: 'trailofbits/pypi-attestations', workflow: 'release.yml', environment: 'pypi' },
      'environment'
    ],
    [{ kind: 'GitLab', repository: 'trailofbits/pypi-attestations' }, 'issuer']
  ])('reports a swapped publisher %j', async (expected, what) => {
    const r = await run(pylock([REAL]), pypiWorld(), { publishers: { 'pypi-attestations': [expected] } });
    expectFires(r.findings, 'python/publisher-mismatch', 1);
    expect(rules(r)).toEqual(['python/publisher-mismatch']);
    expect(r.findings[0].message).toContain(what);
  });

  it('takes the expected publisher from pylock attestation-identities', async () => {
    const ids = {
      'pypi-attestations':
        "attestation-identities = [{ kind = 'GitHub', repository = 'someone/else', workflow = 'release.yml' }]\n"
    };
    const r = await run(pylock([REAL], ids));
    expect(rules(r)).toEqual(['python/publisher-mismatch']);
  });

  it('rejects a staging-signed attestation against the production root', async () => {
    const r = await run(pylock([{ name: 'spt3g', version: '1.0', filename: STAGING_WHEEL, sha256: STAGING_DIGEST }]));
    expect(rules(r)).toEqual(['python/provenance-invalid']);
  });

  it('reports a provenance regression when the previous release had provenance', async () => {
    const r = await run(
      pylock([
        {
          name: 'pypi-attestations',
          version: '0.0.20',
          filename: 'pypi_attestations-0.0.20.tar.gz',
          sha256: sha256('uploaded with a stolen token')
        }
      ])
    );
    expectFires(r.findings, 'python/provenance-regression', 1);
    expectQuiet(r.findings, 'python/provenance-missing'); // the regression says more
    expect(rules(r)).toEqual(['python/provenance-regression']);
    expect(r.findings[0].message).toContain('0.0.19');
  });

  it('grades missing provenance by the provenance input', async () => {
    const lock = pylock([
      { name: 'no-provenance', version: '1.0', filename: 'no_provenance-1.0.tar.gz', sha256: sha256('plain') }
    ]);
    const warn = await run(lock);
    expectFires(warn.findings, 'python/provenance-missing', 1);
    expectQuiet(warn.findings, 'python/provenance-regression'); // no earlier release had provenance
    expect(warn.findings.map((f) => [f.ruleId, f.severity])).toEqual([['python/provenance-missing', 'info']]);
    expect((await run(lock, pypiWorld(), {}, 'require')).findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['python/provenance-missing', 'high']
    ]);
    const expected = await run(lock, pypiWorld(), {
      publishers: { 'no-provenance': [{ kind: 'GitHub', repository: 'o/no-provenance' }] }
    });
    expect(expected.findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      [
        'python/provenance-missing',
        'high',
        'no-provenance 1.0 has no PEP 740 provenance, although an expected publisher is configured.'
      ]
    ]);
  });

  it('reports an unreachable Integrity API as not checked', async () => {
    const fake = await startFakePyPI({ world: pypiWorld(), faults: [{ match: 'GET /integrity/*', status: 503 }] });
    try {
      const r = await verifyDeps(
        { python: [{ path: 'pylock.toml', text: pylock([REAL]) }], actions: [] },
        { checks: new Set(['provenance']), offline: false, provenance: 'warn', policy: EMPTY_POLICY, now: new Date() },
        {
          pypi: new PyPIClient(fake.url, new HttpClient('PyPI', { retries: 1, backoffMs: 1 })),
          verifier: async () => inThreadChecker(new BundleVerifier(embeddedTrustedRoot()))
        }
      );
      expect(r.findings).toEqual([]);
      expect(r.notChecked.map((n) => [n.check, n.target])).toEqual([['provenance', SDIST]]);
      expect(r.notChecked[0].reason).toMatch(/503/);
    } finally {
      await fake.close();
    }
  });
});

describe('locked files PyPI does not serve', () => {
  it('are not checked (with the reason), not "missing provenance"', async () => {
    const r = await run(
      pylock([{ ...REAL, sha256: 'ab'.repeat(32), filename: 'pypi_attestations-0.0.19-py3-none-any.whl' }])
    );
    expect(r.findings).toEqual([]);
    expect(r.notChecked.map((n) => n.reason)).toEqual([
      'none of the locked files or hashes matches a file PyPI serves for this release'
    ]);
  });
});

describe('cooldown', () => {
  it('flags a release younger than cooldown-days, by its earliest upload time', async () => {
    const fake = await startFakePyPI({ world: pypiWorld() });
    try {
      const lock = pylock([
        {
          name: 'pypi-attestations',
          version: '0.0.20',
          filename: 'pypi_attestations-0.0.20.tar.gz',
          sha256: sha256('uploaded with a stolen token')
        }
      ]);
      const at = async (now: string) =>
        verifyDeps(
          { python: [{ path: 'pylock.toml', text: lock }], actions: [] },
          {
            checks: new Set(['vulnerabilities']),
            offline: false,
            provenance: 'off',
            policy: { ...EMPTY_POLICY, cooldownDays: 3 },
            now: new Date(now)
          },
          { pypi: new PyPIClient(fake.url, new HttpClient('PyPI', { retries: 0 })), osv: undefined }
        );
      const young = await at('2024-12-08T12:00:00Z'); // uploaded 2024-12-07T00:00:00Z
      expectFires(young.findings, 'python/cooldown', 1);
      expect(young.findings.map((f) => [f.ruleId, f.message])).toEqual([
        ['python/cooldown', 'pypi-attestations 0.0.20 was released 1 day(s) ago; the policy wants 3 days.']
      ]);
      const old = await at('2024-12-11T00:00:00Z');
      expectQuiet(old.findings, 'python/cooldown');
      expect(old.findings).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe('yanked releases', () => {
  it('flags a pinned release PyPI has yanked, with the reason; the next release is quiet', async () => {
    const fake = await startFakePyPI({ world: pypiWorld() });
    try {
      const scan = (version: string) =>
        verifyDeps(
          {
            python: [
              {
                path: 'pylock.toml',
                text: pylock([
                  {
                    name: 'yanked-pkg',
                    version,
                    filename: `yanked_pkg-${version}.tar.gz`,
                    sha256: sha256(version === '1.0' ? 'withdrawn' : 'fixed')
                  }
                ])
              }
            ],
            actions: []
          },
          {
            checks: new Set(['vulnerabilities']),
            offline: false,
            provenance: 'off',
            policy: EMPTY_POLICY,
            now: new Date()
          },
          { pypi: new PyPIClient(fake.url, new HttpClient('PyPI', { retries: 0 })) }
        );
      const yanked = await scan('1.0');
      expectFires(yanked.findings, 'python/yanked', 1);
      expect(yanked.findings[0].message).toBe('yanked-pkg 1.0 was yanked from PyPI: "broken metadata".');
      const current = await scan('1.1');
      expectQuiet(current.findings, 'python/yanked');
      expect(current.findings).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
