// A Dependabot-style pull request that moves exact pins to the patched
// release, opened instead of an issue only when that edit is safe: every pin
// to move is `name==version` in a requirements file or pyproject.toml, without
// hashes, and no lock file of the repository pins the package (a lock would go
// stale). The branch is named after the advisory, so a re-run (or one after a
// crash) finds its branch and pull request and opens nothing twice.
import { type Octokit, markerTag } from '@security-actions/core';
import { upgradeFor } from './affected';
import type { Advisory, Affected, DependencyEntry } from './types';

export interface Edit {
  file: string;
  line: number;
  from: string;
  to: string;
}

/** The edits that move every pin `act` names, or undefined when one of them is not a safe edit. */
export function bumpPlan(act: Affected[], repoEntries: DependencyEntry[]): Edit[] | undefined {
  const edits: Edit[] = [];
  for (const a of act) {
    const e = a.entry;
    const to = e.version ? upgradeFor(e.version, a) : undefined;
    const locked = repoEntries.some((x) => x.name === e.name && (x.lock || x.kind === 'sbom'));
    const safe =
      a.exposure === 'pins-affected' &&
      (e.kind === 'requirements' || e.kind === 'pyproject') &&
      !e.hashed &&
      !locked &&
      e.line !== undefined &&
      e.specifier === `==${e.version}` &&
      (e.text?.split(`==${e.version}`).length ?? 0) === 2;
    if (!safe || !to) return undefined;
    edits.push({ file: e.file, line: e.line!, from: `==${e.version}`, to: `==${to}` });
  }
  return edits.length ? edits : undefined;
}

export const bumpBranch = (ghsa: string): string => `security-actions/${ghsa.toLowerCase()}`;

/**
 * Opens the pull request (or finds the one a previous run opened). Returns 'created', or
 * 'unchanged' when it exists; throws when GitHub refuses a step, or when a file no longer
 * has the line to edit (the caller then falls back to an issue).
 */
export async function proposeBump(
  writer: Octokit,
  advisory: Advisory,
  repo: string,
  edits: Edit[],
  c: { title: string; body: string }
): Promise<'created' | 'unchanged'> {
  const [owner, name] = repo.split('/');
  const branch = bumpBranch(advisory.ghsa);
  const { data: open } = await writer.request('GET /repos/{owner}/{repo}/pulls', {
    owner,
    repo: name,
    head: `${owner}:${branch}`,
    state: 'all'
  });
  if (open.some((p) => p.body?.includes(markerTag(`security-actions:disclosure-coordinator:${advisory.ghsa}`))))
    return 'unchanged';
  const { data: meta } = await writer.request('GET /repos/{owner}/{repo}', { owner, repo: name });
  const base = meta.default_branch;
  try {
    await writer.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner, repo: name, ref: `heads/${branch}` });
  } catch (e) {
    if ((e as { status?: number }).status !== 404) throw e;
    const { data: tip } = await writer.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
      owner,
      repo: name,
      ref: `heads/${base}`
    });
    await writer.request('POST /repos/{owner}/{repo}/git/refs', {
      owner,
      repo: name,
      ref: `refs/heads/${branch}`,
      sha: tip.object.sha
    });
  }
  for (const file of new Set(edits.map((e) => e.file))) {
    const fileEdits = edits.filter((e) => e.file === file);
    const { data } = await writer.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner,
      repo: name,
      path: file,
      ref: branch
    });
    if (Array.isArray(data) || data.type !== 'file' || typeof data.content !== 'string')
      throw new Error(`${file} is not a file on ${branch}`);
    const text = Buffer.from(data.content, 'base64').toString('utf8');
    const lines = text.split('\n');
    for (const e of fileEdits) {
      const line = lines[e.line - 1] ?? '';
      // Already moved by an earlier run that stopped before the pull request.
      if (line.includes(e.to)) continue;
      if (line.split(e.from).length !== 2) throw new Error(`${file}:${e.line} no longer reads ${e.from}`);
      lines[e.line - 1] = line.replace(e.from, e.to);
    }
    const next = lines.join('\n');
    if (next === text) continue;
    await writer.request('PUT /repos/{owner}/{repo}/contents/{path}', {
      owner,
      repo: name,
      path: file,
      branch,
      sha: data.sha,
      message: `Move the pin past ${advisory.ghsa}`,
      content: Buffer.from(next).toString('base64')
    });
  }
  await writer.request('POST /repos/{owner}/{repo}/pulls', {
    owner,
    repo: name,
    title: c.title,
    head: branch,
    base,
    body: c.body
  });
  return 'created';
}
