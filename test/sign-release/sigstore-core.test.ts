// The shared verification helpers: exact GitHub identity matching, in-toto
// subject checks and trusted-root validation.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  BundleVerificationError,
  BundleVerifier,
  checkSubjects,
  embeddedTrustedRoot,
  githubIdentityProblem,
  parseTrustedRoot
} from '@security-actions/core/sigstore';
import { REPO_ROOT } from '../harness/run-action';

const SAN = 'https://github.com/org/proj/.github/workflows/release.yml@refs/tags/v1.0.10';

describe('githubIdentityProblem', () => {
  it('accepts the workflow of the repository, with or without workflow and ref', () => {
    expect(githubIdentityProblem(SAN, { repository: 'org/proj' })).toBeUndefined();
    expect(
      githubIdentityProblem(SAN, { repository: 'org/proj', workflow: 'release.yml', ref: 'v1.0.10' })
    ).toBeUndefined();
    expect(
      githubIdentityProblem(SAN, {
        repository: 'org/proj',
        workflow: '.github/workflows/release.yml',
        ref: 'refs/tags/v1.0.10'
      })
    ).toBeUndefined();
  });

  it('never accepts a prefix or a near miss', () => {
    expect(githubIdentityProblem(SAN, { repository: 'org/proj', ref: 'v1.0.1' })).toMatch(
      /signed at refs\/tags\/v1\.0\.10, not refs\/tags\/v1\.0\.1/
    );
    expect(githubIdentityProblem(SAN, { repository: 'org/pro' })).toMatch(/not a workflow of org\/pro/);
    expect(githubIdentityProblem(SAN, { repository: 'org/proj', workflow: 'release.yaml' })).toMatch(
      /not \.github\/workflows\/release\.yaml/
    );
    expect(githubIdentityProblem(SAN, { repository: 'org/proj', ref: 'refs/heads/v1.0.10' })).toBeDefined();
    expect(
      githubIdentityProblem('https://github.com/org/proj/../evil/.github/workflows/x.yml@refs/heads/main', {
        repository: 'org/proj'
      })
    ).toBeDefined();
    expect(
      githubIdentityProblem('https://github.com/org/proj/scripts/x.yml@refs/heads/main', { repository: 'org/proj' })
    ).toMatch(/not a GitHub Actions workflow/);
    expect(githubIdentityProblem(undefined, { repository: 'org/proj' })).toBeDefined();
  });
});

describe('checkSubjects', () => {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    predicateType: 'x',
    subject: [{ name: 'a.whl', digest: { sha256: '11' } }]
  };
  it('names a missing subject and a digest mismatch', () => {
    expect(checkSubjects(statement, [{ name: 'a.whl', sha256: '11' }])).toEqual([]);
    expect(checkSubjects(statement, [{ name: 'a.whl', sha256: '22' }])).toEqual([
      "a.whl: provenance digest sha256:11 differs from the file's sha256:22"
    ]);
    expect(checkSubjects(statement, [{ name: 'b.whl', sha256: '11' }])).toEqual([
      'b.whl is not a subject of the provenance'
    ]);
  });
  it('never passes a subject without a sha256 digest, or a second subject of the name with another', () => {
    const subjects = (...subject: object[]) => ({ ...statement, subject }) as typeof statement;
    const file = [{ name: 'a.whl', sha256: '11' }];
    expect(checkSubjects(subjects({ name: 'a.whl', digest: { sha512: '11' } }), file)).toEqual([
      'a.whl: the provenance subject has no sha256 digest'
    ]);
    expect(checkSubjects(subjects({ name: 'a.whl' }), file)).toEqual([
      'a.whl: the provenance subject has no sha256 digest'
    ]);
    expect(
      checkSubjects(
        subjects({ name: 'a.whl', digest: { sha256: '11' } }, { name: 'a.whl', digest: { sha256: '99' } }),
        file
      )
    ).toEqual(["a.whl: provenance digest sha256:99 differs from the file's sha256:11"]);
  });
});

describe('parseTrustedRoot', () => {
  const base = JSON.parse(
    readFileSync(
      resolve(
        REPO_ROOT,
        '..',
        'shared',
        'corpora',
        'sigstore-conformance',
        'bundle-verify',
        'rekor2-happy-path',
        'trusted_root.json'
      ),
      'utf8'
    )
  );

  it.each([
    ['tlogs', (r: any) => delete r.tlogs[0].publicKey.validFor.start],
    ['ctlogs', (r: any) => delete r.ctlogs[0].publicKey.validFor],
    ['certificateAuthorities', (r: any) => delete r.certificateAuthorities[0].validFor.start],
    ['timestampAuthorities', (r: any) => delete r.timestampAuthorities[0].validFor]
  ])('rejects a %s entry without a validity start, naming it', (section, mutate) => {
    const root = structuredClone(base);
    expect(root[section].length).toBeGreaterThan(0);
    expect(() => parseTrustedRoot(JSON.stringify(root), 'root.json')).not.toThrow();
    mutate(root);
    expect(() => parseTrustedRoot(JSON.stringify(root), 'root.json')).toThrow(
      new RegExp(`^root\\.json: ${section}\\[0\\]`)
    );
  });

  it('rejects text that is not JSON with one line naming the file', () => {
    expect(() => parseTrustedRoot('{', join('x', 'root.json'))).toThrow(BundleVerificationError);
    expect(() => parseTrustedRoot('[]', 'root.json')).toThrow(/root\.json: not a JSON object/);
  });

  it('reads the public-good root embedded in @sigstore/tuf', () => {
    const root = embeddedTrustedRoot();
    expect(root.tlogs.map((t) => t.baseUrl)).toContain('https://rekor.sigstore.dev');
    expect(root.certificateAuthorities.length).toBeGreaterThan(0);
  });
});

describe('BundleVerifier with an issuer-only policy (for callers that check Fulcio extensions themselves)', () => {
  const dir = resolve(REPO_ROOT, '..', 'shared', 'corpora', 'sigstore-js-bundles');
  const bundle = JSON.parse(readFileSync(join(dir, 'bundleV03-dsse.sigstore'), 'utf8'));
  const statement = JSON.parse(readFileSync(join(dir, 'statement.json'), 'utf8'));
  const digest = `sha512:${statement.subject[0].digest.sha512}`;
  const verifier = new BundleVerifier(embeddedTrustedRoot());

  it('accepts the issuer and returns the identity and extensions for the caller to check', () => {
    const v = verifier.verify(bundle, { digest }, { oidcIssuer: 'https://github.com/login/oauth' });
    expect(v.identity).toBe('brian@dehamer.com');
    expect(v.kind).toBe('dsse');
    expect(v.statement?.subject[0].name).toBe('pkg:npm/sigstore@1.0.0');
  });

  it('rejects another issuer', () => {
    expect(() =>
      verifier.verify(bundle, { digest }, { oidcIssuer: 'https://token.actions.githubusercontent.com' })
    ).toThrow(BundleVerificationError);
  });
});
