// The sigstore-conformance bundle-verify cases and real sigstore-js bundles,
// through the CLI's verify-bundle command (the conformance client protocol).
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '../harness/cli';
import { REPO_ROOT } from '../harness/run-action';

const CORPORA = resolve(REPO_ROOT, '..', 'shared', 'corpora');
const CASES = join(CORPORA, 'sigstore-conformance', 'bundle-verify');
const JS_BUNDLES = join(CORPORA, 'sigstore-js-bundles');
const DEFAULT_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const GITHUB = 'https://token.actions.githubusercontent.com';

const cli = (...args: string[]) => runCli(args);

function caseArgs(dir: string): string[] {
  const file = (n: string) => join(dir, n);
  const text = (n: string) => readFileSync(file(n), 'utf8').trim();
  const args = ['verify-bundle', '--bundle', file('bundle.sigstore.json')];
  if (existsSync(file('key.pub'))) args.push('--key', file('key.pub'));
  else
    args.push(
      '--certificate-identity',
      existsSync(file('identity')) ? text('identity') : DEFAULT_IDENTITY,
      '--certificate-oidc-issuer',
      existsSync(file('issuer')) ? text('issuer') : GITHUB
    );
  if (existsSync(file('trusted_root.json'))) args.push('--trusted-root', file('trusted_root.json'));
  else args.push('--offline');
  args.push(existsSync(file('artifact')) ? file('artifact') : join(CASES, 'a.txt'));
  return args;
}

const cases = readdirSync(CASES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('verify-bundle: sigstore-conformance bundle-verify cases', () => {
  it('has the 70 cases of the corpus', () => {
    expect(cases).toHaveLength(70);
  });

  it.each(cases)('%s', async (name) => {
    const r = await cli(...caseArgs(join(CASES, name)));
    if (name.endsWith('_fail')) {
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    } else {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
  });
});

describe('verify-bundle: real sigstore-js bundles (public-good, offline root)', () => {
  const bundles = readdirSync(JS_BUNDLES)
    .filter((f) => f.endsWith('.sigstore'))
    .sort();
  const statement = JSON.parse(readFileSync(join(JS_BUNDLES, 'statement.json'), 'utf8'));
  const subject = `sha512:${statement.subject[0].digest.sha512}`;
  const identity = [
    '--certificate-identity',
    'brian@dehamer.com',
    '--certificate-oidc-issuer',
    'https://github.com/login/oauth'
  ];

  it('has the 9 bundles', () => expect(bundles).toHaveLength(9));

  it.each(bundles)('%s verifies for its in-toto subject and covers statement.json', async (f) => {
    const bundle = JSON.parse(readFileSync(join(JS_BUNDLES, f), 'utf8'));
    expect(JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString())).toEqual(statement);
    const r = await cli('verify-bundle', '--bundle', join(JS_BUNDLES, f), ...identity, '--offline', subject);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('rejects them for another subject digest, a near-miss identity or another issuer', async () => {
    const b = join(JS_BUNDLES, 'bundleV03-dsse.sigstore');
    const wrongDigest = await cli(
      'verify-bundle',
      '--bundle',
      b,
      ...identity,
      '--offline',
      `sha512:${'0'.repeat(128)}`
    );
    expect(wrongDigest.code).toBe(1);
    expect(wrongDigest.err).toMatch(/not a subject/);
    const prefix = await cli(
      'verify-bundle',
      '--bundle',
      b,
      '--certificate-identity',
      'brian@dehamer.co',
      '--certificate-oidc-issuer',
      'https://github.com/login/oauth',
      '--offline',
      subject
    );
    expect(prefix.code).toBe(1);
    const issuer = await cli(
      'verify-bundle',
      '--bundle',
      b,
      '--certificate-identity',
      'brian@dehamer.com',
      '--certificate-oidc-issuer',
      GITHUB,
      '--offline',
      subject
    );
    expect(issuer.code).toBe(1);
  });
});

describe('verify-bundle: usage and the added trust-root check', () => {
  it('rejects a trusted root whose log key has no validity start, naming it', async () => {
    const r = await cli(...caseArgs(join(CASES, 'trust-root-tlog-missing-validity-start_fail')));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/tlogs\[\d+\].*no publicKey\.validFor\.start/);
  });

  it('the same bundle verifies against its complete root (the check is what rejects it)', async () => {
    const dir = join(CASES, 'rekor2-happy-path');
    expect(readFileSync(join(dir, 'bundle.sigstore.json'), 'utf8')).toBe(
      readFileSync(join(CASES, 'trust-root-tlog-missing-validity-start_fail', 'bundle.sigstore.json'), 'utf8')
    );
    expect((await cli(...caseArgs(dir))).code).toBe(0);
  });

  it('exits 2 on a missing policy and 1 on an unreadable or malformed bundle, in one line', async () => {
    expect((await cli('verify-bundle', '--bundle', 'x', join(CASES, 'a.txt'))).code).toBe(2);
    const missing = await cli(
      'verify-bundle',
      '--bundle',
      '/nonexistent.json',
      '--key',
      '/nonexistent.pub',
      '--offline',
      join(CASES, 'a.txt')
    );
    expect(missing.code).toBe(1);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    const malformed = await cli(...caseArgs(join(CASES, 'bundle-malformed-json_fail')));
    expect(malformed.code).toBe(1);
    expect(malformed.err).not.toMatch(/\n\s+at /);
  });
});
