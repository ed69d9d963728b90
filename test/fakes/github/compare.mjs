// GET /repos/{owner}/{repo}/compare/{basehead}: compares two commits of a
// repository's fork network, as GitHub does (a commit pushed only to a fork
// is still found through the parent, which is what "impostor commits" abuse).
// Kept apart from routes.mjs (owned elsewhere); routes.mjs appends these routes.
import { commitJson } from './representations.mjs';
import { GitHubError } from './routes.mjs';
import { resolveCommit } from './world.mjs';

/** The repository and every repository whose parent chain leads to it or from it. */
function network(world, repo) {
  const all = Object.values(world.repos);
  let root = repo;
  for (let i = 0; i < 10 && root.parent; i++)
    root = all.find((r) => r.full_name.toLowerCase() === String(root.parent).toLowerCase()) ?? root;
  const members = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of all) {
      if (
        !members.has(r) &&
        r.parent &&
        [...members].some((m) => m.full_name.toLowerCase() === String(r.parent).toLowerCase())
      ) {
        members.add(r);
        grew = true;
      }
    }
  }
  return [...members];
}

function ancestors(commits, sha) {
  const seen = new Set();
  const queue = [sha];
  while (queue.length) {
    const s = queue.shift();
    if (seen.has(s) || !commits.has(s)) continue;
    seen.add(s);
    queue.push(...commits.get(s).parents);
  }
  return seen;
}

function compare(ctx) {
  const { repo } = ctx;
  const m = /^(.+?)\.\.\.(.+)$/.exec(ctx.params.basehead);
  if (!m) throw new GitHubError(404, 'Not Found');
  const members = network(ctx.v.world, repo);
  const commits = new Map();
  for (const r of members) for (const c of r.commits) if (!commits.has(c.sha)) commits.set(c.sha, c);
  const resolve = (ref) => {
    const own = resolveCommit(repo, ref);
    if (own) return own;
    const hits = /^[0-9a-f]{7,40}$/.test(ref) ? [...commits.keys()].filter((s) => s.startsWith(ref)) : [];
    return hits.length === 1 ? hits[0] : null;
  };
  const base = resolve(m[1]);
  const head = resolve(m[2]);
  if (!base || !head) throw new GitHubError(404, 'Not Found');
  const a = ancestors(commits, base);
  const b = ancestors(commits, head);
  const ahead = [...b].filter((s) => !a.has(s));
  const behind = [...a].filter((s) => !b.has(s));
  const status =
    base === head ? 'identical' : behind.length === 0 ? 'ahead' : ahead.length === 0 ? 'behind' : 'diverged';
  const common = [...b]
    .filter((s) => a.has(s))
    .map((s) => commits.get(s))
    .sort((x, y) => y.committer.date.localeCompare(x.committer.date));
  if (!common.length) throw new GitHubError(404, `No common ancestor between ${m[1]} and ${m[2]}.`);
  const aheadCommits = ahead
    .map((s) => commits.get(s))
    .sort((x, y) => x.committer.date.localeCompare(y.committer.date));
  const api = `${ctx.v.base}/repos/${repo.full_name}`;
  return {
    status: 200,
    body: {
      url: `${api}/compare/${ctx.params.basehead}`,
      html_url: `https://github.com/${repo.full_name}/compare/${ctx.params.basehead}`,
      permalink_url: `https://github.com/${repo.full_name}/compare/${repo.owner}:${base.slice(0, 7)}...${repo.owner}:${head.slice(0, 7)}`,
      diff_url: `https://github.com/${repo.full_name}/compare/${ctx.params.basehead}.diff`,
      patch_url: `https://github.com/${repo.full_name}/compare/${ctx.params.basehead}.patch`,
      base_commit: commitJson(ctx.v, repo, commits.get(base)),
      merge_base_commit: common[0] ? commitJson(ctx.v, repo, common[0]) : null,
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: aheadCommits.map((c) => commitJson(ctx.v, repo, c)),
      files: []
    }
  };
}

export const compareRoutes = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/compare/{basehead}',
    docs: 'commits/commits#compare-two-commits',
    permission: 'contents=read',
    public: true,
    handler: compare
  }
];
