// PR metadata rules: the head branch name, who sent the PR and what identity
// its commits claim. The event payload is always read; the API (at most
// MAX_REQUESTS per PR) adds account age, history and commit verification.
import {
  type Finding,
  type GitHubClient,
  type NotChecked,
  createFinding,
  describeApiError,
  promised
} from '@security-actions/core';
import type { CommitInfo } from './types';
import { RULES as R } from './rules';

export const MAX_REQUESTS = 10;

export interface PrMeta {
  number?: number;
  repo?: string;
  headRef?: string;
  author?: string;
  association?: string;
  title?: string;
  body?: string;
  baseSha?: string;
  headSha?: string;
}

interface PullRequestPayload {
  number?: unknown;
  title?: string;
  body?: string | null;
  author_association?: string;
  user?: { login?: string };
  head?: { ref?: string; sha?: string };
  base?: { sha?: string };
}

export function prMetaFromEvent(event: Record<string, unknown> | undefined, repository?: string): PrMeta {
  const pr = event?.pull_request as PullRequestPayload | undefined;
  const repo = (event?.repository as { full_name?: string } | undefined)?.full_name ?? repository;
  if (!pr) return { repo };
  return {
    number: typeof pr.number === 'number' ? pr.number : undefined,
    repo,
    headRef: pr.head?.ref,
    author: pr.user?.login,
    association: pr.author_association,
    title: pr.title,
    body: pr.body ?? undefined,
    baseSha: pr.base?.sha,
    headSha: pr.head?.sha
  };
}

/** Characters a shell gives meaning to; git allows all of them in branch names except a few. */
const SHELL_META = /[$`;|&<>(){}\\'"!*?]|\$\{IFS\}/;

export function refFindings(meta: PrMeta): Finding[] {
  if (!meta.headRef || !SHELL_META.test(meta.headRef)) return [];
  const strong = /\$\(|`|\$\{IFS\}|\|\s*(ba)?sh|curl|wget/.test(meta.headRef);
  return [
    createFinding(R.META_REF_INJECTION, {
      message: `The head branch name contains shell syntax${strong ? ' that runs a command when interpolated' : ''}.`,
      evidence: meta.headRef.slice(0, 200),
      severity: strong ? 'critical' : 'medium',
      confidence: strong ? 'high' : 'medium'
    })
  ];
}

const SENSITIVE =
  /(^|\/)(\.github\/|CODEOWNERS$|setup\.py$|setup\.cfg$|pyproject\.toml$|meson\.build$|CMakeLists\.txt$|conftest\.py$|noxfile\.py$|tox\.ini$|\.pre-commit-config\.ya?ml$|Makefile|configure\.ac$|[^/]*\.m4$|[^/]*\.pth$|dist\/|\.vscode\/|\.devcontainer\/|\.claude\/|requirements[^/]*\.txt$|environment[^/]*\.ya?ml$)/;
export const isSensitive = (path: string) => SENSITIVE.test(path);

export function governanceFindings(paths: string[], configPath: string): Finding[] {
  const out: Finding[] = [];
  for (const p of paths) {
    const what = /(^|\/)CODEOWNERS$/.test(p)
      ? 'CODEOWNERS decides who must review'
      : p === configPath || p === '.github/security-actions.yml'
        ? "this scanner's own configuration (ignores, severities) is changed by the PR it scans"
        : /^\.github\/(dependabot\.ya?ml|actions\/)|^\.github\/workflows\//.test(p)
          ? 'CI configuration'
          : undefined;
    if (what)
      out.push(
        createFinding(R.META_GOVERNANCE, {
          message: `${p}: ${what}.`,
          location: { file: p },
          evidence: p,
          severity: what === 'CI configuration' ? (/workflows\//.test(p) ? 'low' : 'medium') : 'high',
          confidence: 'high'
        })
      );
  }
  return out;
}

/** IDE and agent files that run commands when a checkout is opened. */
export function autorunFindings(path: string, text: string): Finding[] {
  const line = (re: RegExp) => {
    const i = text.split('\n').findIndex((l) => re.test(l));
    return i < 0 ? 1 : i + 1;
  };
  const hit = (re: RegExp, message: string) =>
    re.test(text)
      ? [
          createFinding(R.META_AUTORUN, {
            message,
            location: { file: path, line: line(re) },
            evidence: (re.exec(text)?.[0] ?? '').slice(0, 120)
          })
        ]
      : [];
  if (/(^|\/)\.vscode\/tasks\.json$/.test(path))
    return hit(/"runOn"\s*:\s*"folderOpen"/, 'A VS Code task runs when the folder is opened.');
  if (/(^|\/)\.devcontainer(\/[^/]+)?\/devcontainer\.json$|(^|\/)\.devcontainer\.json$/.test(path)) {
    return hit(
      /"(initializeCommand|onCreateCommand|updateContentCommand|postCreateCommand|postStartCommand|postAttachCommand)"\s*:/,
      'A devcontainer lifecycle command runs when the container is created or opened.'
    );
  }
  if (/(^|\/)\.(claude|gemini|cursor|codex)\/[^/]*\.json$|(^|\/)\.mcp\.json$/.test(path)) {
    return hit(
      /"(hooks|SessionStart|PreToolUse|PostToolUse|command)"\s*:/,
      'An AI-agent configuration runs commands (hooks or MCP servers) in this checkout.'
    );
  }
  return [];
}

const BOT =
  /\[bot\]|^(github-actions|dependabot|renovate|pre-commit-ci)\b|41898282\+github-actions|noreply@github\.com$/i;
export const claimsBot = (c: CommitInfo) =>
  BOT.test(c.authorName) ||
  BOT.test(c.authorEmail) ||
  BOT.test(c.committerName) ||
  (BOT.test(c.committerEmail) && c.committerEmail !== 'noreply@github.com');

export interface ApiResult {
  findings: Finding[];
  notChecked: NotChecked[];
  notes: string[];
  /** Requests used, so the comment knows what is left of the budget. */
  used: number;
}

export interface DiffShape {
  files: number;
  lines: number;
  sensitive: string[];
}

/** The API checks, within MAX_REQUESTS; each failure becomes a NotChecked, never a pass. */
export async function apiChecks(
  client: GitHubClient | undefined,
  meta: PrMeta,
  opts: { trustedOrgs: string[]; commits: CommitInfo[]; diff: DiffShape; budget: number; noTokenReason?: string }
): Promise<ApiResult> {
  const out: ApiResult = { findings: [], notChecked: [], notes: [], used: 0 };
  const botCommits = opts.commits.filter(claimsBot);
  const newAuthorByEvent = ['FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'NONE'].includes(meta.association ?? '');
  const reportNewAuthor = (why: string) => {
    if (opts.diff.sensitive.length) {
      out.findings.push(
        createFinding(R.META_NEW_AUTHOR, {
          message: `${meta.author ?? 'The author'} (${why}) changes ${opts.diff.sensitive.length} sensitive file(s): ${opts.diff.sensitive.slice(0, 5).join(', ')}${opts.diff.sensitive.length > 5 ? ', …' : ''}.`,
          evidence: opts.diff.sensitive.slice(0, 5).join(', '),
          key: `${meta.author}`,
          confidence: 'medium'
        })
      );
    }
  };

  if (!client || !meta.author || !meta.repo) {
    const reason =
      opts.noTokenReason ?? (!meta.author ? 'no pull_request event payload (author unknown)' : 'no token given');
    for (const check of ['account-age', 'author-history', R.META_EMPTY_NEW.id]) out.notChecked.push({ check, reason });
    if (botCommits.length)
      out.notChecked.push({
        check: R.META_BOT_IDENTITY.id,
        reason: `${botCommits.length} commit(s) claim a bot identity; verification needs the API (${reason})`
      });
    if (newAuthorByEvent) reportNewAuthor(`author association ${meta.association}`);
    else if (!meta.association) out.notChecked.push({ check: R.META_NEW_AUTHOR.id, reason });
    return out;
  }

  const [owner, repo] = meta.repo.split('/');
  let budget = Math.min(opts.budget, MAX_REQUESTS);
  const call = async <T>(
    check: string,
    permission: string | undefined,
    f: () => Promise<T>
  ): Promise<T | undefined> => {
    if (budget <= 0) {
      out.notChecked.push({ check, reason: `API request budget (${MAX_REQUESTS} per PR) used up` });
      return undefined;
    }
    budget--;
    out.used++;
    try {
      return await f();
    } catch (e) {
      out.notChecked.push({ check, reason: describeApiError(e, permission) });
      return undefined;
    }
  };

  // An answer without the promised fields is not checked (the call's catch), never "no history" or "old".
  const user = await call('account-age', undefined, async () =>
    promised<{ created_at: string }>(
      (await client.rest.rest.users.getByUsername({ username: meta.author! })).data,
      'GET /users/{username}',
      { created_at: 'string' }
    )
  );
  const created = user ? Date.parse(user.created_at) : NaN;
  const ageDays = Number.isNaN(created) ? undefined : (Date.now() - created) / 86_400_000;
  const merges = async (query: string) =>
    promised<{ total_count: number }>(
      (await client.rest.rest.search.issuesAndPullRequests({ q: query, per_page: 1 })).data,
      'GET /search/issues',
      { total_count: 'number' }
    );
  const q = (scope: string) => `is:pr is:merged author:${meta.author} ${scope}`;
  const inRepo = await call('author-history', 'pull_requests: read', () => merges(q(`repo:${meta.repo}`)));
  const orgs = opts.trustedOrgs.filter((o) => /^[\w.-]+$/.test(o));
  const inOrgs = orgs.length
    ? await call('author-history-trusted-orgs', undefined, () => merges(q(orgs.map((o) => `org:${o}`).join(' '))))
    : undefined;
  const merged = inRepo?.total_count;
  const mergedOrgs = inOrgs?.total_count ?? 0;

  if (['MEMBER', 'OWNER'].includes(meta.association ?? '')) {
    // Organisation members and owners already hold write access; history adds nothing. (COLLABORATOR is not trusted, after cuda-python.)
  } else if (merged !== undefined) {
    if (merged === 0 && mergedOrgs === 0)
      reportNewAuthor(`no merged PRs in ${meta.repo}${orgs.length ? ` or ${orgs.join(', ')}` : ''}`);
  } else if (newAuthorByEvent) reportNewAuthor(`author association ${meta.association}`);

  if (ageDays !== undefined) {
    if (ageDays < 30 && opts.diff.lines <= 2 && opts.diff.files <= 1) {
      out.findings.push(
        createFinding(R.META_EMPTY_NEW, {
          message: `${meta.author}'s account is ${Math.floor(ageDays)} day(s) old and the PR changes ${opts.diff.files} file(s), ${opts.diff.lines} line(s).`,
          evidence: `${meta.author} created ${user!.created_at}`,
          key: meta.author
        })
      );
    }
  } else if (!out.notChecked.some((n) => n.check === 'account-age')) {
    out.notChecked.push({ check: R.META_EMPTY_NEW.id, reason: 'account age unknown' });
  }

  if (botCommits.length) {
    // One GraphQL request for up to 20 commits (aliases), whatever the PR's size.
    const checked = botCommits.slice(0, 20);
    const query = `query($owner:String!,$name:String!){repository(owner:$owner,name:$name){${checked
      .map((c, i) => `c${i}:object(oid:"${c.sha}"){... on Commit{signature{isValid state}}}`)
      .join(' ')}}}`;
    const data = await call(R.META_BOT_IDENTITY.id, 'contents: read', () =>
      client.graphql<{ repository: Record<string, { signature: { isValid: boolean; state: string } | null } | null> }>(
        query,
        { owner, name: repo }
      )
    );
    if (data) {
      checked.forEach((c, i) => {
        const sig = data.repository?.[`c${i}`]?.signature;
        if (!sig?.isValid) {
          out.findings.push(
            createFinding(R.META_BOT_IDENTITY, {
              message: `Commit ${c.sha.slice(0, 12)} claims to be from ${c.authorName} <${c.authorEmail}> but is ${sig ? `not verified (${sig.state})` : 'unsigned'}.`,
              evidence: `${c.authorName} <${c.authorEmail}>: ${c.subject}`.slice(0, 160),
              key: c.sha
            })
          );
        }
      });
      if (botCommits.length > checked.length)
        out.notes.push(
          `${botCommits.length - checked.length} more commits claiming a bot identity were not verified (limit 20).`
        );
    }
  }
  return out;
}
