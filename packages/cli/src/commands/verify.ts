// `verify`: check release files against their `<file>.sigstore.json` bundles,
// signed by a GitHub Actions workflow of one repository. The identity is
// derived from --repo (and --workflow, --ref when given) and every part of it
// is compared exactly.
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  BundleVerificationError,
  BundleVerifier,
  type SignerPolicy,
  type Verified,
  embeddedTrustedRoot,
  fetchTrustedRoot,
  readTrustedRoot
} from '@security-actions/core/sigstore';
import { jsonProblem, oneLine } from '@security-actions/core';
import { HELP_OPTION } from '../options';
import { progress } from '../progress';
import type { FunctionCommand } from './types';

export const verify: FunctionCommand = {
  summary: 'verify release files against their Sigstore bundles (signed by a workflow of --repo)',
  usage: 'FILE... --repo OWNER/REPO [--workflow PATH] [--ref REF] [--bundle-dir DIR] [--trusted-root FILE] [--offline]',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'OWNER/REPO', help: 'the repository whose workflow signed the files (required)' },
    workflow: {
      type: 'string',
      value: 'PATH',
      help: 'the signing workflow, e.g. .github/workflows/release.yml (default: any workflow of the repo)'
    },
    ref: { type: 'string', value: 'REF', help: 'the ref it ran at, e.g. refs/tags/v1.0.0 or v1.0.0 (default: any)' },
    'bundle-dir': {
      type: 'string',
      value: 'DIR',
      help: 'where the <file>.sigstore.json bundles are (default: beside each file)'
    },
    'trusted-root': {
      type: 'string',
      value: 'FILE',
      help: 'a trusted_root.json (default: the public-good root over TUF)'
    },
    offline: { type: 'boolean', help: 'use the public-good root embedded in this tool instead of TUF' },
    ...HELP_OPTION
  },
  notes: ['Exit status: 0 every file verified; 1 a file did not verify; 2 a usage error.'],
  async run(values, io) {
    const files = values._ ?? [];
    const repository = typeof values.repo === 'string' ? values.repo : '';
    if (!files.length || !/^[^/\s]+\/[^/\s]+$/.test(repository)) {
      io.err('verify: give one or more FILEs and --repo OWNER/REPO');
      return 2;
    }
    const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
    const at = (p: string) => resolve(io.cwd, p);
    let verifier: BundleVerifier;
    const p = progress(io, 'normal');
    p.start('verify: the trusted root');
    try {
      const root = str('trusted-root')
        ? await readTrustedRoot(at(str('trusted-root')!))
        : values.offline
          ? embeddedTrustedRoot()
          : await fetchTrustedRoot();
      verifier = new BundleVerifier(root);
    } catch (e) {
      io.err(`verify: ${oneLine(e)}`);
      return 1;
    } finally {
      p.stop();
    }
    const policy = { github: { repository, workflow: str('workflow'), ref: str('ref') } };
    let failed = 0;
    for (const file of files) {
      const bundlePath = str('bundle-dir')
        ? join(at(str('bundle-dir')!), `${basename(file)}.sigstore.json`)
        : `${at(file)}.sigstore.json`;
      try {
        const bytes = await read(at(file));
        const text = (await read(bundlePath)).toString('utf8');
        let bundle: unknown;
        try {
          bundle = JSON.parse(text);
        } catch (e) {
          throw new BundleVerificationError(`${bundlePath}${jsonProblem(text, e)}`);
        }
        const v = verifyOne(verifier, bundlePath, bundle, bytes, policy);
        io.out(`OK ${file}: signed by ${v.identity}\n`);
      } catch (e) {
        failed++;
        io.err(`FAILED ${file}: ${oneLine(e)}`);
      }
    }
    return failed ? 1 : 0;
  }
};

/** Verifies one bundle; a failure names the bundle's file before the reason. */
function verifyOne(
  verifier: BundleVerifier,
  path: string,
  bundle: unknown,
  bytes: Buffer,
  policy: SignerPolicy
): Verified {
  try {
    return verifier.verify(bundle, { bytes }, policy);
  } catch (e) {
    throw new BundleVerificationError(`${path}: ${oneLine(e)}`);
  }
}

async function read(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new BundleVerificationError(
      `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`
    );
  }
}
