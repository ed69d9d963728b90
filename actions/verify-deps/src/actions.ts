// Online checks of GitHub Actions references (the offline form of every
// `uses:` is the core workflow audit's): through the GitHub API the version
// comment, whether the commit belongs to the named repository, and unpinned
// actions nested in pinned composite actions.
import { FULL_SHA, type Finding, type NotChecked, type UsesRef, createFinding, oneLine } from '@security-actions/core';
import { parseWorkflowDocument, usesOf } from '@security-actions/core/workflow';
import { RULES } from './rules';

export interface SourceFile {
  /** Path relative to the scanned root. */
  path: string;
  text: string;
}

export interface GitRef {
  /** Branch or tag name without `refs/heads/` / `refs/tags/`. */
  name: string;
  /** The commit (annotated tags already peeled). */
  sha: string;
}

/** What the actions checks need from GitHub; main.ts implements it with Octokit. */
export interface ActionsApi {
  /** Branches and tags; throws on API failure. */
  refs(owner: string, repo: string): Promise<{ branches: GitRef[]; tags: GitRef[]; defaultBranch?: string }>;
  /** Compare `base...head`: GitHub's status, or `missing` when the head commit is not in the repository's network. */
  compare(
    owner: string,
    repo: string,
    base: string,
    head: string
  ): Promise<'identical' | 'ahead' | 'behind' | 'diverged' | 'missing'>;
  /** A file at a commit, or undefined when absent. */
  file(owner: string, repo: string, path: string, ref: string): Promise<string | undefined>;
}

const shortRef = (u: UsesRef) => `${u.owner}/${u.repo}${u.path ? `/${u.path}` : ''}`;
const locOf = (u: UsesRef) => ({ file: u.file, line: u.line, column: u.column });

/** The version a comment names: `v4.2.2`, `4.2.2`, `tag=v1` or `pin @v2`; undefined for free text. */
export function commentVersion(comment?: string): string | undefined {
  if (!comment) return undefined;
  const m = /^(?:tag[=:]\s*|pin\s*@?|@)?(v?\d+(?:\.\d+)*(?:[-+.][0-9A-Za-z.-]+)?)\b/.exec(comment.trim());
  return m?.[1];
}

export interface OnlineResult {
  findings: Finding[];
  notChecked: NotChecked[];
  /** For every pinned `owner/repo@sha`: the release tags that point at it (for advisory matching). */
  versions: Map<string, string[]>;
}

/**
 * Online checks for SHA-pinned references. Every repository is asked once for
 * its refs; compares stop at the first branch or tag that contains the commit.
 */
export async function checkActionsOnline(
  refs: UsesRef[],
  api: ActionsApi,
  opts: { nested: boolean; maxCompares?: number }
): Promise<OnlineResult> {
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const versions = new Map<string, string[]>();
  const pinned = refs.filter(
    (u) => (u.kind === 'action' || u.kind === 'reusable-workflow') && u.ref && FULL_SHA.test(u.ref)
  );
  const repoRefs = new Map<string, Promise<Awaited<ReturnType<ActionsApi['refs']>>>>();
  const reach = new Map<string, Promise<'reachable' | 'impostor' | 'missing'>>();
  const refsOf = (o: string, r: string) => {
    const k = `${o}/${r}`.toLowerCase();
    if (!repoRefs.has(k)) repoRefs.set(k, api.refs(o, r));
    return repoRefs.get(k)!;
  };

  for (const u of pinned) {
    const owner = u.owner!;
    const repo = u.repo!;
    const sha = u.ref!;
    const key = `${owner}/${repo}@${sha}`.toLowerCase();
    const location = locOf(u);
    let info;
    try {
      info = await refsOf(owner, repo);
    } catch (e) {
      notChecked.push({
        check: 'actions/impostor-commit',
        target: `${owner}/${repo}`,
        reason: `could not list branches and tags: ${oneLine(e)}`
      });
      continue;
    }
    const tagsHere = info.tags.filter((t) => t.sha === sha).map((t) => t.name);
    versions.set(key, tagsHere);

    const version = commentVersion(u.comment);
    if (version) {
      const tag =
        info.tags.find((t) => t.name === version) ??
        info.tags.find((t) => t.name === `v${version}` || `v${t.name}` === version);
      if (!tag || tag.sha !== sha) {
        const floating = /^v?\d+$/.test(version);
        findings.push(
          createFinding(RULES.VERSION_MISMATCH, {
            severity: floating && tag ? 'info' : undefined,
            message: !tag
              ? `The comment says ${version}, but ${owner}/${repo} has no tag ${version}${tagsHere.length ? `; the SHA is ${tagsHere.join(', ')}` : ''}.`
              : `The comment says ${version}, but tag ${tag.name} points to ${tag.sha.slice(0, 12)}, not ${sha.slice(0, 12)}${tagsHere.length ? ` (which is ${tagsHere.join(', ')})` : ''}.${floating ? ' A floating major tag moves with each release; name the exact release in the comment.' : ''}`,
            location,
            evidence: u.raw,
            key: `${key}#${version}`,
            properties: { package: `${owner}/${repo}`.toLowerCase(), comment: version, tagSha: tag?.sha }
          })
        );
      }
    }

    if (!reach.has(key)) reach.set(key, reachability(api, owner, repo, sha, info, opts.maxCompares ?? 20));
    let state;
    try {
      state = await reach.get(key)!;
    } catch (e) {
      notChecked.push({
        check: 'actions/impostor-commit',
        target: `${owner}/${repo}@${sha}`,
        reason: `could not compare the commit with the repository's branches: ${oneLine(e)}`
      });
      state = 'unknown';
    }
    if (state === 'impostor' || state === 'missing') {
      findings.push(
        createFinding(RULES.IMPOSTOR_COMMIT, {
          message:
            state === 'missing'
              ? `${sha} does not exist in ${owner}/${repo} or its forks.`
              : `${sha} is not reachable from any branch or tag of ${owner}/${repo}: it lives only in a fork (or was force-pushed away).`,
          location,
          evidence: u.raw,
          key,
          properties: { package: `${owner}/${repo}`.toLowerCase() }
        })
      );
      continue; // an impostor's action.yml is not the action's: do not descend
    }
    if (opts.nested && u.kind === 'action' && state === 'reachable') {
      try {
        findings.push(...(await nestedFindings(api, u)));
      } catch (e) {
        notChecked.push({
          check: 'actions/nested-unpinned',
          target: `${shortRef(u)}@${sha}`,
          reason: `could not read its action.yml: ${oneLine(e)}`
        });
      }
    }
  }
  return { findings, notChecked, versions };
}

async function reachability(
  api: ActionsApi,
  owner: string,
  repo: string,
  sha: string,
  info: Awaited<ReturnType<ActionsApi['refs']>>,
  maxCompares: number
): Promise<'reachable' | 'impostor' | 'missing'> {
  if (info.branches.some((b) => b.sha === sha) || info.tags.some((t) => t.sha === sha)) return 'reachable';
  // Default branch first, then the other branches, then tags (newest names last in GitHub's order, so reverse).
  const candidates = [
    ...info.branches.filter((b) => b.name === info.defaultBranch),
    ...info.branches.filter((b) => b.name !== info.defaultBranch),
    ...[...info.tags].reverse()
  ];
  for (const c of candidates.slice(0, maxCompares)) {
    const status = await api.compare(owner, repo, c.sha, sha);
    if (status === 'missing') return 'missing';
    if (status === 'behind' || status === 'identical') return 'reachable';
  }
  if (candidates.length > maxCompares)
    throw new Error(`not found on the first ${maxCompares} of ${candidates.length} branches and tags`);
  return 'impostor';
}

async function nestedFindings(api: ActionsApi, u: UsesRef): Promise<Finding[]> {
  const dir = u.path ? `${u.path}/` : '';
  const text =
    (await api.file(u.owner!, u.repo!, `${dir}action.yml`, u.ref!)) ??
    (await api.file(u.owner!, u.repo!, `${dir}action.yaml`, u.ref!));
  if (text === undefined) return [];
  const name = `${shortRef(u)}@${u.ref!.slice(0, 12)}/${dir}action.yml`;
  const parsed = parseWorkflowDocument({ path: name, text, kind: 'action' });
  if ('error' in parsed) throw new Error(parsed.error);
  const inner = usesOf(parsed.doc);
  const out: Finding[] = [];
  for (const n of inner) {
    if (n.kind === 'local' || (n.kind === 'docker' && n.ref) || (n.ref && FULL_SHA.test(n.ref))) continue;
    out.push(
      createFinding(RULES.NESTED_UNPINNED, {
        message: `\`${shortRef(u)}\` (pinned) runs \`${n.raw}\` at line ${n.line} of its action.yml, which is not pinned to a commit.`,
        location: locOf(u),
        evidence: n.raw,
        key: `${shortRef(u)}@${u.ref}>${n.raw}`,
        properties: { package: `${u.owner}/${u.repo}`.toLowerCase(), nested: n.raw }
      })
    );
  }
  return out;
}
