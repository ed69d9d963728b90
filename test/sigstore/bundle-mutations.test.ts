// A mutation corpus from real bundles (sigstore-js, PEP 740 attestations from
// PyPI, sigstore-conformance): every field deleted or given another type,
// every base64 value damaged in its bytes and its text, the text truncated
// and flipped. The verifier never accepts a bundle whose signed content or
// signer changed, never answers with a library's own text (`ERR_...`,
// `Cannot read properties`, `request past end of buffer`), never crashes; the
// CLI names the bundle's file in one line.
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  BundleVerificationError,
  BundleVerifier,
  embeddedTrustedRoot,
  parseTrustedRoot
} from '@security-actions/core/sigstore';
import { runCli } from '../harness/cli';
import { type BaseCase, baseCases, material, mutants } from './corpus';

/** What a library says in its own words; never part of a reason given to a user. */
export const RAW =
  /ERR_[A-Z_]+|[A-Z]+_ERROR|Cannot read propert|past end of buffer|\bnull\b|undefined|\[object |TypeError|RangeError|Unrecognized enum|invalid length|unsupported tag/;

// One of each kind: v0.1 certificate chain, v0.3 certificate with in-toto in DSSE, managed key, Rekor v2
// with and without a timestamp, real public-good DSSE (v0.2), and both PEP 740 publishers (GitHub, GitLab).
const CHOSEN = [
  'conformance/happy-path-v0.1',
  'conformance/happy-path-intoto-in-dsse-v3',
  'conformance/managed-key-happy-path',
  'conformance/rekor2-happy-path',
  'conformance/rekor2-timestamp-with-embedded-cert',
  'sigstore-js/bundleV02-dsse.sigstore',
  'pypi/gitlab_oidc_project-0.0.3.tar.gz.publish.attestation',
  'pypi/pypi_attestations-0.0.19.tar.gz.publish.attestation'
];

const verifierFor = (c: BaseCase) =>
  new BundleVerifier(c.root ? parseTrustedRoot(readFileSync(c.root, 'utf8'), c.root) : embeddedTrustedRoot(), c.key);

describe('bundle mutation corpus', () => {
  const all = baseCases();
  const bases = CHOSEN.map((n) => all.find((c) => c.name === n)!);

  it('draws on every corpus', () => {
    expect(bases.every(Boolean)).toBe(true);
    expect(new Set(bases.map((b) => b.name.split('/')[0]))).toEqual(new Set(['conformance', 'sigstore-js', 'pypi']));
  });

  it.each(CHOSEN)('%s: no damaged bundle verifies, every rejection is a sentence', (name) => {
    const c = bases.find((b) => b.name === name)!;
    const verifier = verifierFor(c);
    const original = JSON.parse(c.text);
    expect(() => verifier.verify(original, c.artifact, c.policy)).not.toThrow();
    const problems: string[] = [];
    let rejected = 0;
    let parsed = 0;
    for (const m of mutants(c.text)) {
      let json: unknown;
      try {
        json = JSON.parse(m.text);
      } catch {
        continue; // text that is not JSON: the CLI's part, below
      }
      parsed++;
      try {
        verifier.verify(json, c.artifact, c.policy);
        if (material(json) !== material(original)) problems.push(`${m.what}: accepted`);
      } catch (e) {
        rejected++;
        const msg = (e as Error).message;
        if (!(e instanceof BundleVerificationError)) problems.push(`${m.what}: ${String(e)}`);
        else if (RAW.test(msg) || msg.includes('\n') || !/bundle/.test(msg)) problems.push(`${m.what}: "${msg}"`);
      }
    }
    expect(problems).toEqual([]);
    expect(parsed).toBeGreaterThan(50);
    expect(rejected / parsed).toBeGreaterThan(0.8);
  });
});

describe('verify-bundle on damaged files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bundle-mutants-'));
  });

  it.each(['conformance/happy-path-v0.3', 'sigstore-js/bundleV03-intoto.sigstore'])(
    '%s: one line naming the bundle file, exit 1, whatever the damage',
    async (name) => {
      const c = baseCases().find((b) => b.name === name)!;
      const list = mutants(c.text);
      // Every text-level mutant (not JSON, or JSON flipped), and every fifth of the others.
      const chosen = list.filter((m, i) => m.what.startsWith('text ') || i % 5 === 0);
      const problems: string[] = [];
      for (const [i, m] of chosen.entries()) {
        const file = join(dir, `${i}.sigstore.json`);
        writeFileSync(file, m.text, 'latin1');
        const args = ['verify-bundle', '--bundle', file];
        if (c.key) args.push('--key', join(c.file, '..', 'key.pub'));
        else if ('identity' in c.policy)
          args.push('--certificate-identity', c.policy.identity, '--certificate-oidc-issuer', c.policy.issuer);
        args.push(...(c.root ? ['--trusted-root', c.root] : ['--offline']), c.target);
        const { code, out, err } = await runCli(args, { cwd: dir });
        const lines = err.trim().split('\n');
        if (code === 0) {
          if (material(JSON.parse(m.text)) !== material(JSON.parse(c.text))) problems.push(`${m.what}: accepted`);
          continue;
        }
        if (code !== 1 || lines.length !== 1 || !lines[0].startsWith(`verify-bundle: ${file}`) || RAW.test(err))
          problems.push(`${m.what}: exit ${code}: ${err.trim()}${out}`);
      }
      expect(problems).toEqual([]);
      expect(chosen.length).toBeGreaterThan(40);
    }
  );
});
