// sign-release end to end: the bundled action against loopback Fulcio, Rekor
// and TSA (test/fakes/sigstore), a fake GitHub OIDC endpoint and the fake
// GitHub API; what it produced is then checked by the CLI's verifiers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../harness/cli';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { startFakeOIDC } from '../fakes/sigstore/oidc.mjs';
import { startFakeSigstore } from '../fakes/sigstore/server.mjs';
import { type RunOptions, runAction } from '../harness/run-action';

const REPO = 'scientific-python/spec-tool';
const COMMIT = 'a'.repeat(40);
const TAG_OBJECT = 'b'.repeat(40);
const TOKEN = 'ghs_signreleasetesttoken000000000000000';
const WORKFLOW_ID = `https://github.com/${REPO}/.github/workflows/release.yml@refs/tags/v1.0.0`;
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function world(tag: object) {
  return {
    tokens: {
      [TOKEN]: { login: 'github-actions[bot]', type: 'app', permissions: { contents: 'write', attestations: 'write' } }
    },
    users: { alice: {} },
    repos: {
      [REPO]: {
        commits: [
          {
            sha: COMMIT,
            message: 'Release 1.0.0',
            author: { login: 'alice' },
            verification: { verified: true, reason: 'valid' }
          }
        ],
        branches: { main: COMMIT },
        tags: { 'v1.0.0': tag },
        releases: [{ tag_name: 'v1.0.0', author: 'alice', assets: [] }]
      }
    }
  };
}
const SIGNED_TAG = {
  commit: COMMIT,
  sha: TAG_OBJECT,
  message: 'v1.0.0',
  verification: { verified: true, reason: 'valid' }
};

const cli = (...args: string[]) => runCli(args);

describe('sign-release end to end', () => {
  let oidc: Awaited<ReturnType<typeof startFakeOIDC>>;
  let sigstore: Awaited<ReturnType<typeof startFakeSigstore>>;
  let gh: Awaited<ReturnType<typeof startFakeGitHub>>;
  let dir: string;
  let root: string;

  beforeAll(async () => {
    oidc = await startFakeOIDC({
      claims: { repository: REPO, ref: 'refs/tags/v1.0.0', sha: COMMIT, event_name: 'release' }
    });
    sigstore = await startFakeSigstore({ trustedIssuers: [oidc] });
    gh = await startFakeGitHub({ world: world(SIGNED_TAG) });
    dir = mkdtempSync(join(tmpdir(), 'sign-release-'));
    root = join(dir, 'trusted_root.json');
    writeFileSync(root, JSON.stringify(sigstore.trustedRoot));
  });
  afterAll(async () => {
    await Promise.all([oidc.close(), sigstore.close(), gh.close()]);
  });

  function workspace(files: Record<string, string>): string {
    const ws = mkdtempSync(join(dir, 'ws-'));
    mkdirSync(join(ws, 'dist'));
    for (const [n, c] of Object.entries(files)) writeFileSync(join(ws, 'dist', n), c);
    return ws;
  }

  const run = (ws: string, inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
    runAction('sign-release', {
      workspace: ws,
      repository: REPO,
      eventName: 'release',
      event: { action: 'published', release: { tag_name: 'v1.0.0' } },
      apiUrl: gh.url,
      githubToken: TOKEN,
      oidc: { url: oidc.requestURL, token: oidc.requestToken },
      env: { GITHUB_SHA: COMMIT, GITHUB_REF: 'refs/tags/v1.0.0' },
      ...extra,
      inputs: {
        files: 'dist/*',
        'fulcio-url': sigstore.fulcioURL,
        'rekor-url': sigstore.rekorURL,
        'tsa-url': sigstore.tsaURL,
        'trusted-root': root,
        ...inputs
      }
    });

  const FILES = { 'spec_tool-1.0.0.tar.gz': 'sdist bytes', 'spec_tool-1.0.0-py3-none-any.whl': 'wheel bytes' };

  it('signs every file with one certificate, attests, verifies and attaches, idempotently', async () => {
    const ws = workspace(FILES);
    const before = sigstore.counts();
    const r = await run(ws);
    expect(r.stdout).not.toMatch(/::error::/);
    expect(r.exitCode).toBe(0);
    const after = sigstore.counts();
    expect(after.fulcio - before.fulcio).toBe(1);
    expect(after.rekor - before.rekor).toBe(3); // two files and the provenance
    expect(after.tsa - before.tsa).toBe(3);

    expect(r.outputs.identity).toBe(WORKFLOW_ID);
    expect(r.outputs.issuer).toBe('https://token.actions.githubusercontent.com');
    const bundles = JSON.parse(r.outputs.bundles) as { file: string; sha256: string; bundle: string }[];
    expect(bundles.map((b) => b.file).sort()).toEqual(
      Object.keys(FILES)
        .map((f) => join(ws, 'dist', f))
        .sort()
    );
    for (const b of bundles) {
      expect(b.sha256).toBe(sha256(readFileSync(b.file)));
      expect(b.bundle).toBe(`${b.file}.sigstore.json`);
      expect(JSON.parse(readFileSync(b.bundle, 'utf8')).mediaType).toBe(
        'application/vnd.dev.sigstore.bundle.v0.3+json'
      );
    }
    expect(readFileSync(r.outputs['checksums-file'], 'utf8')).toBe(
      Object.entries(FILES)
        .map(([n, c]) => `${sha256(c)}  ${n}\n`)
        .sort(
          (a, b) =>
            Object.keys(FILES).sort().indexOf(a.slice(66, -1)) - Object.keys(FILES).sort().indexOf(b.slice(66, -1))
        )
        .join('')
    );
    const prov = JSON.parse(readFileSync(r.outputs['provenance-file'], 'utf8'));
    const statement = JSON.parse(Buffer.from(prov.dsseEnvelope.payload, 'base64').toString());
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(statement.subject).toEqual(
      expect.arrayContaining(Object.entries(FILES).map(([name, c]) => ({ name, digest: { sha256: sha256(c) } })))
    );
    expect(statement.subject).toHaveLength(2);
    expect(statement.predicate.runDetails.builder.id).toBe(
      `https://github.com/${REPO}/.github/workflows/release.yml@refs/tags/v1.0.0`
    );

    expect(r.summary).toContain(
      `sp-security verify 'spec_tool-1.0.0-py3-none-any.whl' --repo ${REPO} --workflow '.github/workflows/release.yml' --ref 'refs/tags/v1.0.0'`
    );
    expect(r.summary).toContain('gh attestation verify');
    expect(r.summary).toContain('python -m sigstore verify');
    expect(r.summary).toContain(
      `gh attestation verify 'spec_tool-1.0.0-py3-none-any.whl' --repo ${REPO} --bundle multiple.intoto.jsonl --signer-workflow '${REPO}/.github/workflows/release.yml'`
    );
    expect(r.summary).toContain('Tag v1.0.0 is signed and verified by GitHub.');
    expect(r.summary).toContain(`Release commit ${COMMIT.slice(0, 12)} is signed and verified by GitHub.`);

    // Release assets and the attestations API.
    const repoState = () => (gh.state as any).repos[REPO];
    const assets = () =>
      repoState()
        .releases[0].assets.map((a: any) => a.name)
        .sort();
    expect(assets()).toEqual([
      'SHA256SUMS',
      'multiple.intoto.jsonl',
      'spec_tool-1.0.0-py3-none-any.whl.sigstore.json',
      'spec_tool-1.0.0.tar.gz.sigstore.json'
    ]);
    expect(repoState().attestations).toHaveLength(1);

    // Consumers: the CLI verifies the files; tampering or a wrong identity fails.
    const sdist = join(ws, 'dist', 'spec_tool-1.0.0.tar.gz');
    const ok = await cli(
      'verify',
      sdist,
      join(ws, 'dist', 'spec_tool-1.0.0-py3-none-any.whl'),
      '--repo',
      REPO,
      '--workflow',
      'release.yml',
      '--ref',
      'v1.0.0',
      '--trusted-root',
      root
    );
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(
      (
        await cli(
          'verify-bundle',
          '--bundle',
          r.outputs['provenance-file'],
          '--certificate-identity',
          WORKFLOW_ID,
          '--certificate-oidc-issuer',
          r.outputs.issuer,
          '--trusted-root',
          root,
          sdist
        )
      ).code
    ).toBe(0);
    expect((await cli('verify', sdist, '--repo', 'scientific-python/other', '--trusted-root', root)).code).toBe(1);
    expect((await cli('verify', sdist, '--repo', REPO, '--workflow', 'other.yml', '--trusted-root', root)).code).toBe(
      1
    );

    // Idempotent: an asset with the same name and digest is left alone. A
    // re-run signs afresh (new key, new certificate), so its bundles differ:
    // refused without overwrite, before any asset changes.
    const assetIds = () => Object.fromEntries(repoState().releases[0].assets.map((a: any) => [a.name, a.id]));
    const ids = assetIds();
    const again = await run(ws);
    expect(again.exitCode).not.toBe(0);
    expect(again.stdout).toMatch(
      /already has an asset spec_tool-1\.0\.0-py3-none-any\.whl\.sigstore\.json with other content \(sha256:[0-9a-f]{64}\); set overwrite: true/
    );
    expect(assetIds()).toEqual(ids);
    const replaced = await run(ws, { overwrite: 'true' });
    expect(replaced.exitCode).toBe(0);
    expect(replaced.summary).toMatch(/spec_tool-1\.0\.0\.tar\.gz\.sigstore\.json: replaced/);
    expect(replaced.summary).toMatch(/SHA256SUMS: unchanged/);
    expect(assetIds().SHA256SUMS).toBe(ids.SHA256SUMS);
    expect(assetIds()['spec_tool-1.0.0.tar.gz.sigstore.json']).not.toBe(ids['spec_tool-1.0.0.tar.gz.sigstore.json']);
    expect(assets()).toHaveLength(4);
    writeFileSync(sdist, 'rebuilt sdist');
    const rebuilt = await run(ws, { overwrite: 'true' });
    expect(rebuilt.summary).toMatch(/SHA256SUMS: replaced/);
    const sums = repoState().releases[0].assets.find((a: any) => a.name === 'SHA256SUMS');
    expect(Buffer.from(sums.content_base64, 'base64').toString()).toContain(
      `${sha256('rebuilt sdist')}  spec_tool-1.0.0.tar.gz`
    );
  }, 120_000);

  it('makes bundles that fail for a tampered file, another trusted root and a near-miss tag', async () => {
    const ws = workspace({ 'x-1.0.10.tar.gz': 'ten' });
    const token = oidc.mint({
      aud: 'sigstore',
      ref: 'refs/tags/v1.0.10',
      workflow_ref: `${REPO}/.github/workflows/release.yml@refs/tags/v1.0.10`,
      job_workflow_ref: `${REPO}/.github/workflows/release.yml@refs/tags/v1.0.10`
    });
    const r = await run(
      ws,
      { 'identity-token': token, 'release-tag': '' },
      { event: {}, eventName: 'workflow_dispatch', env: { GITHUB_SHA: COMMIT, GITHUB_REF: 'refs/heads/main' } }
    );
    expect(r.stdout).not.toMatch(/::error::/);
    expect(r.exitCode).toBe(0);
    // Only the runner's masking command may carry the token.
    expect(
      r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n')
    ).not.toContain(token);
    expect(r.summary).not.toContain(token);
    expect(r.outputs.identity).toBe(`https://github.com/${REPO}/.github/workflows/release.yml@refs/tags/v1.0.10`);
    const file = join(ws, 'dist', 'x-1.0.10.tar.gz');
    const args = ['--repo', REPO, '--trusted-root', root];
    expect((await cli('verify', file, ...args, '--ref', 'refs/tags/v1.0.10')).code).toBe(0);
    const nearMiss = await cli('verify', file, ...args, '--ref', 'refs/tags/v1.0.1');
    expect(nearMiss.code).toBe(1);
    expect(nearMiss.err).toMatch(/signed at refs\/tags\/v1\.0\.10, not refs\/tags\/v1\.0\.1/);
    const exactNearMiss = await cli(
      'verify-bundle',
      '--bundle',
      `${file}.sigstore.json`,
      '--certificate-identity',
      WORKFLOW_ID.replace('v1.0.0', 'v1.0.1'),
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      '--trusted-root',
      root,
      file
    );
    expect(exactNearMiss.code).toBe(1);

    const other = await startFakeSigstore({ trustedIssuers: [oidc] });
    const otherRoot = join(dir, 'other_root.json');
    writeFileSync(otherRoot, JSON.stringify(other.trustedRoot));
    await other.close();
    expect((await cli('verify', file, '--repo', REPO, '--trusted-root', otherRoot)).code).toBe(1);

    writeFileSync(file, 'tampered');
    const tampered = await cli('verify', file, ...args);
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(/FAILED/);
  });

  it('fails its own verification against the wrong trusted root, and publishes nothing', async () => {
    const other = await startFakeSigstore({ trustedIssuers: [oidc] });
    const otherRoot = join(dir, 'other_root2.json');
    writeFileSync(otherRoot, JSON.stringify(other.trustedRoot));
    await other.close();
    const ws = workspace({ 'y-1.0.0.tar.gz': 'y' });
    const assetsBefore = (gh.state as any).repos[REPO].releases[0].assets.length;
    const r = await run(ws, { 'trusted-root': otherRoot });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toMatch(/y-1\.0\.0\.tar\.gz\.sigstore\.json: verification failed/);
    expect((gh.state as any).repos[REPO].releases[0].assets.length).toBe(assetsBefore);
  });

  it('refuses to sign for an event that is not allowed, before asking Fulcio', async () => {
    const before = sigstore.counts().fulcio;
    const r = await run(workspace(FILES), {}, { eventName: 'push' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toMatch(/started by 'push', which is not in allowed-events \(release, workflow_dispatch\)/);
    expect(sigstore.counts().fulcio).toBe(before);
    expect(r.outputs.bundles).toBeUndefined();
  });

  it('reports an unsigned tag: a warning by default, an error with require-signed-tag', async () => {
    const unsigned = await startFakeGitHub({ world: world({ commit: COMMIT, sha: TAG_OBJECT, message: 'v1.0.0' }) });
    try {
      const warn = await run(
        workspace(FILES),
        { 'release-tag': '' },
        { apiUrl: unsigned.url, event: {}, eventName: 'workflow_dispatch' }
      );
      expect(warn.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([]);
      expect(warn.exitCode).toBe(0);
      expect(warn.report.findings.map((f: any) => f.ruleId)).toEqual(['release/unsigned-tag']);
      expect(warn.report.findings[0].severity).toBe('medium');
      const before = sigstore.counts().fulcio;
      const strict = await run(
        workspace(FILES),
        { 'release-tag': '', 'require-signed-tag': 'true' },
        { apiUrl: unsigned.url, event: {}, eventName: 'workflow_dispatch' }
      );
      expect(strict.exitCode).not.toBe(0);
      expect(strict.stdout).toMatch(/require-signed-tag/);
      expect(sigstore.counts().fulcio).toBe(before);
    } finally {
      await unsigned.close();
    }
  });

  it('fails closed when Fulcio is down: no bundle is claimed', async () => {
    sigstore.setFaults('fulcio', [{ status: 503 }]);
    try {
      const ws = workspace(FILES);
      const r = await run(ws);
      expect(r.exitCode).not.toBe(0);
      expect(r.outputs.bundles).toBeUndefined();
      expect(r.report.notChecked.map((n: any) => n.check)).toContain('sign-release');
      expect(r.stdout).not.toMatch(/\n\s+at /);
    } finally {
      sigstore.setFaults('fulcio', []);
    }
  });

  it('fails with one line when a glob matches nothing', async () => {
    const r = await run(workspace(FILES), { files: 'dist/*.whl\nwheelhouse/*.whl' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toMatch(/files: 'wheelhouse\/\*\.whl' matched no file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
