// sign-release adapter: read inputs, find the files, wire the signer, the
// verifier and the GitHub API, and run the engine.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import {
  type ActionDefinition,
  type ActionRuntime,
  type Env,
  UserError,
  actionsRuntime,
  registerSecret,
  runAction
} from '@security-actions/core';
import { glob } from 'tinyglobby';
import { CHECKSUMS_NAME, type Options, PROVENANCE_NAME, type RunInfo, signRelease } from './engine';
import { releaseApi } from './github';
import { decodeClaims } from './provenance';
import configSchema from '../config.schema.json' with { type: 'json' };
import { REGISTRY } from './rules';

export const definition: ActionDefinition = {
  name: 'sign-release',
  rules: REGISTRY,
  configSchema,
  async run(ctx) {
    const { inputs, env, workspace } = ctx;
    const patterns = inputs.lines('files');
    if (!patterns.length) throw new UserError("Input 'files' is required.");
    const at = (p: string) => (isAbsolute(p) ? p : resolve(workspace, p));
    const event = ctx.event ?? {};
    const releaseTag =
      inputs.string('release-tag') || String((event.release as { tag_name?: string } | undefined)?.tag_name ?? '');
    const opts: Options = {
      provenance: inputs.boolean('provenance', true),
      verify: inputs.boolean('verify', true),
      checksums: inputs.boolean('checksums', true),
      overwrite: inputs.boolean('overwrite', false),
      requireSignedTag: inputs.boolean('require-signed-tag', false),
      allowedEvents: inputs.list('allowed-events'),
      outputDir: inputs.string('output-dir') ? at(inputs.string('output-dir')) : '',
      releaseTag
    };
    const ref = env.GITHUB_REF ?? '';
    const run: RunInfo = {
      eventName: env.GITHUB_EVENT_NAME ?? '',
      repository: env.GITHUB_REPOSITORY ?? '',
      sha: env.GITHUB_SHA ?? '',
      tag: releaseTag || (ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ''),
      serverUrl: env.GITHUB_SERVER_URL || 'https://github.com'
    };
    const token = inputs.string('token');
    const identityToken = inputs.string('identity-token');
    registerSecret(identityToken);
    const fulcioURL = inputs.url('fulcio-url', 'https://fulcio.sigstore.dev');
    const rekorURL = inputs.url('rekor-url', 'https://rekor.sigstore.dev');
    const tsaURL = inputs.string('tsa-url') ? inputs.url('tsa-url', '') : undefined;
    const trustedRoot = inputs.string('trusted-root');

    // Globs are matched inside the workspace; a pattern that matches nothing is an error.
    const files: string[] = [];
    for (const p of patterns) {
      const hits = (await glob(p, { cwd: workspace, absolute: true, onlyFiles: true, dot: false })).sort();
      if (!hits.length) throw new UserError(`files: '${p}' matched no file in ${workspace}`);
      // What this action writes is not an artifact: a re-run over `dist/*` must not sign its own outputs.
      for (const h of hits) if (!files.includes(h) && !isOwnOutput(basename(h))) files.push(h);
    }
    if (opts.outputDir) await mkdir(opts.outputDir, { recursive: true });

    const github =
      token && run.repository.includes('/')
        ? releaseApi((await ctx.github(token)).rest, ...(run.repository.split('/') as [string, string]))
        : undefined;

    return signRelease(opts, run, {
      files,
      readFile: (p) => readFile(p),
      writeFile: async (p, d) => {
        await mkdir(dirname(p), { recursive: true });
        await writeFile(p, d);
      },
      signing: async () => {
        const jwt = identityToken || (await githubIdToken(env));
        const { SigningSession } = await import('./signer');
        const session = new SigningSession({
          fulcioURL,
          rekorURL,
          tsaURL,
          identityProvider: { getToken: async () => jwt }
        });
        return {
          claims: decodeClaims(jwt),
          signFile: (d) => session.signFile(d),
          attest: (s) => session.attest(s),
          certificatePem: () => session.signer.certificatePem()
        };
      },
      verifier: async () => {
        const { BundleVerifier, fetchTrustedRoot, readTrustedRoot } = await import('@security-actions/core/sigstore');
        return new BundleVerifier(
          trustedRoot
            ? await readTrustedRoot(at(trustedRoot))
            : await fetchTrustedRoot(join(env.RUNNER_TEMP || workspace, 'sigstore-tuf'))
        );
      },
      github,
      log: ctx.log
    });
  },
  failOnNotChecked: () => true
};

const isOwnOutput = (name: string) =>
  name.endsWith('.sigstore.json') || name === PROVENANCE_NAME || name === CHECKSUMS_NAME;

/** The job's GitHub OIDC token for audience `sigstore` (needs `id-token: write`). */
async function githubIdToken(env: Env): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer)
    throw new UserError('no OIDC token: give the job `permissions: id-token: write` (or pass identity-token)');
  registerSecret(bearer);
  const res = await fetch(`${url}&audience=sigstore`, {
    headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json' }
  });
  if (!res.ok) throw new UserError(`the OIDC token request failed (HTTP ${res.status})`);
  const value = ((await res.json()) as { value?: string }).value;
  if (!value) throw new UserError('the OIDC token response had no token');
  registerSecret(value);
  return value;
}

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
