// `verify-bundle`: the sigstore-conformance client protocol's verify-bundle
// command. Exit status 0 only when the bundle verifies for the artifact and
// the signer policy; 1 when it does not; 2 for usage errors.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  BundleVerificationError,
  BundleVerifier,
  type Artifact,
  type SignerPolicy,
  type Verified,
  embeddedTrustedRoot,
  fetchTrustedRoot,
  readTrustedRoot
} from '@security-actions/core/sigstore';
import { jsonProblem, oneLine } from '@security-actions/core';
import { HELP_OPTION } from '../options';
import { progress } from '../progress';
import type { FunctionCommand, Io, Values } from './types';

export const verifyBundle: FunctionCommand = {
  summary: 'verify one Sigstore bundle (sigstore-conformance protocol)',
  usage:
    '--bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM) [--trusted-root FILE] [--offline] FILE_OR_DIGEST',
  positionals: true,
  options: {
    bundle: { type: 'string', value: 'FILE', help: 'the bundle (.sigstore.json)' },
    'certificate-identity': { type: 'string', value: 'ID', help: 'the exact certificate SAN expected' },
    'certificate-oidc-issuer': { type: 'string', value: 'URL', help: 'the exact OIDC issuer expected' },
    key: { type: 'string', value: 'PEM', help: 'a PEM public key file (managed-key bundles)' },
    'trusted-root': {
      type: 'string',
      value: 'FILE',
      help: 'a trusted_root.json (default: the public-good root over TUF)'
    },
    staging: { type: 'boolean', help: "Sigstore's staging instance (needs --trusted-root in this version)" },
    offline: { type: 'boolean', help: 'use the public-good root embedded in this tool instead of TUF' },
    ...HELP_OPTION
  },
  notes: ['Exit status: 0 the bundle verifies; 1 it does not; 2 a usage error.'],
  async run(values, io) {
    // Fetching the trusted root over TUF can take a while: progress on stderr, as for every slow command.
    const p = progress(io, 'normal');
    p.start('verify-bundle');
    const r = await verifyBundleCommand(values, io).finally(() => p.stop());
    if (r.ok) io.out(`OK: ${r.message}\n`);
    else io.err(`verify-bundle: ${r.message}`);
    return r.code;
  }
};

async function verifyBundleCommand(values: Values, io: Io): Promise<{ ok: boolean; code: number; message: string }> {
  const usage = (message: string) => ({ ok: false, code: 2, message });
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const positional = values._ ?? [];
  if (positional.length !== 1) return usage('give exactly one FILE_OR_DIGEST');
  const bundlePath = str('bundle');
  if (!bundlePath) return usage('--bundle is required');
  const identity = str('certificate-identity');
  const issuer = str('certificate-oidc-issuer');
  const keyPath = str('key');
  if (keyPath ? identity || issuer : !(identity && issuer))
    return usage('give --certificate-identity and --certificate-oidc-issuer, or --key');
  const rootPath = str('trusted-root');
  if (values.staging && !rootPath)
    return usage('--staging needs --trusted-root (the staging root is not embedded in this version)');

  const at = (p: string) => resolve(io.cwd, p);
  try {
    const root = rootPath
      ? await readTrustedRoot(at(rootPath))
      : values.offline
        ? embeddedTrustedRoot()
        : await fetchTrustedRoot();
    const key = keyPath ? await readText(at(keyPath), 'public key') : undefined;
    const bundle = parseJson(await readText(at(bundlePath), 'bundle'), bundlePath);
    const target = positional[0];
    const artifact: Artifact = /^sha(256|512):/i.test(target)
      ? { digest: target }
      : { bytes: await readBytes(at(target)), name: target };
    const policy: SignerPolicy = key ? { key } : { identity: identity!, issuer: issuer! };
    const verifier = new BundleVerifier(root, key);
    let v: Verified;
    try {
      v = verifier.verify(bundle, artifact, policy);
    } catch (e) {
      // The verifier's reasons are sentences about the bundle; say which file it is.
      throw new BundleVerificationError(`${bundlePath}: ${oneLine(e)}`);
    }
    return {
      ok: true,
      code: 0,
      message: `${bundlePath} verified${v.identity ? ` (signed by ${v.identity}, issuer ${v.issuer})` : ' (managed key)'}`
    };
  } catch (e) {
    // Every failure above already names its file (the bundle, the artifact, the key or the trusted root).
    return { ok: false, code: 1, message: oneLine(e) };
  }
}

async function readText(file: string, what: string): Promise<string> {
  return (await readBytes(file, what)).toString('utf8');
}

async function readBytes(file: string, what = 'artifact'): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new BundleVerificationError(
      `cannot read the ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`
    );
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BundleVerificationError(`${file}${jsonProblem(text, e)}`);
  }
}
