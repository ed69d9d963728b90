// The writes a bot makes to propose a change as a pull request: create a
// branch (POST git/refs), commit a file on it (PUT contents), open the pull
// request (POST pulls). Kept apart from routes.mjs (owned elsewhere), which
// appends these routes. Request bodies are held to the OpenAPI requestBody.
import { requestProblems } from './openapi.mjs';
import { gitRefJson, pullJson } from './representations.mjs';
import { GitHubError } from './routes.mjs';
import { filesAt, gitBlobSha, isoNow, normalizeCommit, normalizePull, resolveCommit, sha1 } from './world.mjs';

function validBody(ctx) {
  const body = ctx.body ?? {};
  const problems = requestProblems(ctx.route.method, ctx.route.path, body);
  if (problems.length) throw new GitHubError(422, `Invalid request.\n\n${problems[0]}`);
  return body;
}

const invalid = (resource, field, code = 'invalid') =>
  new GitHubError(422, 'Validation Failed', { errors: [{ resource, field, code }] });

const handlers = {
  createRef(ctx) {
    const { ref, sha } = validBody(ctx);
    if (!/^refs\/[^/]+\/.+/.test(ref))
      throw new GitHubError(422, 'Reference name must start with refs/ and have at least two slashes');
    if (!ctx.repo.commits.some((c) => c.sha === sha)) throw new GitHubError(422, 'Object does not exist');
    const name = ref.replace(/^refs\/heads\//, '');
    if (!ref.startsWith('refs/heads/')) throw invalid('Ref', 'ref');
    if (Object.hasOwn(ctx.repo.branches, name)) throw new GitHubError(422, 'Reference already exists');
    ctx.repo.branches[name] = sha;
    return { status: 201, body: gitRefJson(ctx.v, ctx.repo, ref, { type: 'commit', sha }) };
  },

  putContents(ctx) {
    const b = validBody(ctx);
    const { repo } = ctx;
    const branch = b.branch ?? repo.default_branch;
    const tip = resolveCommit(repo, branch);
    if (!tip || !Object.hasOwn(repo.branches, branch)) throw new GitHubError(404, `Branch ${branch} not found`);
    const path = ctx.params.path.replace(/^\/+|\/+$/g, '');
    const files = { ...(filesAt(repo, branch) ?? {}) };
    const exists = Object.hasOwn(files, path);
    if (exists && !b.sha) throw new GitHubError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (exists && b.sha !== gitBlobSha(Buffer.from(files[path])))
      throw new GitHubError(409, `${path} does not match ${b.sha}`);
    let text;
    try {
      text = Buffer.from(b.content, 'base64').toString('utf8');
    } catch {
      throw invalid('Content', 'content');
    }
    files[path] = text;
    const now = isoNow();
    const commit = normalizeCommit(
      {
        sha: sha1(`commit\0${tip}\0${path}\0${b.message}\0${now}`),
        message: b.message,
        parents: [tip],
        author: { login: ctx.v.actor.login, date: now },
        files: [{ filename: path, status: exists ? 'modified' : 'added', additions: 1, deletions: exists ? 1 : 0 }]
      },
      `PUT ${path}`
    );
    repo.commits.unshift(commit);
    repo.branches[branch] = commit.sha;
    repo.files[branch] = files;
    const api = `${ctx.v.base}/repos/${repo.full_name}`;
    const blob = gitBlobSha(Buffer.from(text));
    return {
      status: exists ? 200 : 201,
      body: {
        content: {
          name: path.split('/').pop(),
          path,
          sha: blob,
          size: Buffer.byteLength(text),
          url: `${api}/contents/${path}?ref=${branch}`,
          html_url: `${ctx.v.base}/${repo.full_name}/blob/${branch}/${path}`,
          git_url: `${api}/git/blobs/${blob}`,
          download_url: `${ctx.v.base}/${repo.full_name}/raw/${branch}/${path}`,
          type: 'file',
          _links: {
            self: `${api}/contents/${path}?ref=${branch}`,
            git: `${api}/git/blobs/${blob}`,
            html: `${ctx.v.base}/${repo.full_name}/blob/${branch}/${path}`
          }
        },
        commit: {
          sha: commit.sha,
          node_id: `C_${commit.sha.slice(0, 12)}`,
          url: `${api}/git/commits/${commit.sha}`,
          html_url: `${ctx.v.base}/${repo.full_name}/commit/${commit.sha}`,
          author: { date: now, name: commit.author.name, email: commit.author.email },
          committer: { date: now, name: commit.committer.name, email: commit.committer.email },
          message: commit.message,
          tree: { url: `${api}/git/trees/${sha1(`tree\0${commit.sha}`)}`, sha: sha1(`tree\0${commit.sha}`) },
          parents: [
            { url: `${api}/git/commits/${tip}`, html_url: `${ctx.v.base}/${repo.full_name}/commit/${tip}`, sha: tip }
          ],
          verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
        }
      }
    };
  },

  createPull(ctx) {
    const b = validBody(ctx);
    const { repo } = ctx;
    if (!b.title) throw new GitHubError(422, 'Invalid request.\n\n"title" wasn\'t supplied.');
    const head = String(b.head).includes(':') ? String(b.head).split(':')[1] : String(b.head);
    if (!Object.hasOwn(repo.branches, head)) throw invalid('PullRequest', 'head');
    if (!Object.hasOwn(repo.branches, b.base)) throw invalid('PullRequest', 'base');
    if (repo.pulls.some((p) => p.state === 'open' && p.head.ref === head && p.base.ref === b.base))
      throw new GitHubError(422, 'Validation Failed', {
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${repo.owner}:${head}.`
          }
        ]
      });
    const number = Math.max(0, ...repo.issues.map((i) => i.number), ...repo.pulls.map((p) => p.number)) + 1;
    const now = isoNow();
    const pr = normalizePull(
      repo.full_name,
      {
        number,
        title: b.title,
        body: b.body ?? null,
        user: ctx.v.actor.login,
        draft: b.draft ?? false,
        head: { ref: head, sha: repo.branches[head], repo: repo.full_name },
        base: { ref: b.base, sha: repo.branches[b.base] },
        created_at: now
      },
      `POST pulls #${number}`
    );
    repo.pulls.push(pr);
    return {
      status: 201,
      headers: { location: `${ctx.v.base}/repos/${repo.full_name}/pulls/${number}` },
      body: pullJson(ctx.v, repo, pr)
    };
  }
};

/** @type {import('./routes.mjs').Route[]} */
export const writeRoutes = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/refs',
    docs: 'git/refs#create-a-reference',
    permission: 'contents=write',
    handler: handlers.createRef
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/contents/{path}',
    docs: 'repos/contents#create-or-update-file-contents',
    permission: 'contents=write',
    handler: handlers.putContents
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls',
    docs: 'pulls/pulls#create-a-pull-request',
    permission: 'pull_requests=write',
    handler: handlers.createPull
  }
];
