// The GitHub side of sign-release: tag and commit signature status, release
// assets (idempotent upload) and the attestations API. Behind an interface so
// the engine is tested without a server.
import { createHash } from 'node:crypto';
import { type Octokit, promised } from '@security-actions/core';

export interface SignatureStatus {
  verified: boolean;
  /** GitHub's verification reason (`valid`, `unsigned`, ...) or why there is no signature. */
  reason: string;
}

export interface Upload {
  name: string;
  data: Buffer;
  contentType: string;
}

export type UploadOutcome = { name: string; action: 'uploaded' | 'unchanged' | 'replaced' };

export interface ReleaseApi {
  commitSignature(sha: string): Promise<SignatureStatus>;
  /** Undefined when the tag does not exist. */
  tagSignature(tag: string): Promise<SignatureStatus | undefined>;
  /** Uploads each file unless an asset of that name has the same digest; a different one is an error unless overwrite. */
  attach(tag: string, uploads: Upload[], overwrite: boolean): Promise<UploadOutcome[]>;
  storeAttestation(bundle: object): Promise<string>;
}

export class AssetConflictError extends Error {
  override name = 'AssetConflictError';
}

/** GitHub's signature verdict; an answer without one is "not verified", never verified. */
const verdict = (v: { verified?: unknown; reason?: unknown } | undefined) => ({
  verified: v?.verified === true,
  reason: typeof v?.reason === 'string' ? v.reason : 'GitHub returned no verification'
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function releaseApi(octokit: Octokit, owner: string, repo: string): ReleaseApi {
  const rest = octokit.rest;
  return {
    async commitSignature(sha) {
      const { data } = await rest.repos.getCommit({ owner, repo, ref: sha });
      // `commit` is promised; its `verification` is not (OpenAPI), and without it nothing is verified.
      promised(data, 'GET /repos/{owner}/{repo}/commits/{ref}', { commit: 'object' });
      return verdict(data.commit.verification);
    },

    async tagSignature(tag) {
      let ref;
      try {
        ref = (await rest.git.getRef({ owner, repo, ref: `tags/${tag}` })).data;
      } catch (e) {
        if ((e as { status?: number }).status === 404) return undefined;
        throw e;
      }
      promised(ref, 'GET /repos/{owner}/{repo}/git/ref/{ref}', { object: 'object' });
      // A lightweight tag is a bare ref: there is no tag object to sign.
      if (ref.object.type !== 'tag')
        return { verified: false, reason: 'lightweight tag (not an annotated, signed tag)' };
      const { data } = await rest.git.getTag({ owner, repo, tag_sha: ref.object.sha });
      return verdict(data.verification);
    },

    async attach(tag, uploads, overwrite) {
      const { data: release } = await rest.repos.getReleaseByTag({ owner, repo, tag });
      const assets = await octokit.paginate(rest.repos.listReleaseAssets, {
        owner,
        repo,
        release_id: release.id,
        per_page: 100
      });
      const byName = new Map(assets.map((a) => [a.name, a]));
      // Decide everything before changing anything, so a conflict leaves the release as it was.
      const plan = await Promise.all(
        uploads.map(async (u) => {
          const existing = byName.get(u.name);
          if (!existing) return { u, action: 'uploaded' as const };
          const digest =
            (existing as { digest?: string | null }).digest ??
            `sha256:${sha256(await download(octokit, owner, repo, existing.id))}`;
          if (digest === `sha256:${sha256(u.data)}`) return { u, action: 'unchanged' as const };
          if (!overwrite)
            throw new AssetConflictError(
              `release ${tag} already has an asset ${u.name} with other content (${digest}); set overwrite: true to replace it`
            );
          return { u, action: 'replaced' as const, id: existing.id };
        })
      );
      const out: UploadOutcome[] = [];
      for (const p of plan) {
        if (p.action !== 'unchanged') {
          if (p.action === 'replaced') await rest.repos.deleteReleaseAsset({ owner, repo, asset_id: p.id });
          await rest.repos.uploadReleaseAsset({
            owner,
            repo,
            release_id: release.id,
            url: release.upload_url,
            name: p.u.name,
            // Octokit sends a Buffer as is; the type says string.
            data: p.u.data as unknown as string,
            headers: { 'content-type': p.u.contentType }
          });
        }
        out.push({ name: p.u.name, action: p.action });
      }
      return out;
    },

    async storeAttestation(bundle) {
      const { data } = await octokit.request('POST /repos/{owner}/{repo}/attestations', { owner, repo, bundle });
      return String((data as { id?: number }).id ?? '');
    }
  };
}

async function download(octokit: Octokit, owner: string, repo: string, id: number): Promise<Buffer> {
  const res = await octokit.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
    owner,
    repo,
    asset_id: id,
    headers: { accept: 'application/octet-stream' }
  });
  return Buffer.from(res.data as unknown as ArrayBuffer);
}
