// PR metadata rules: the head branch name, who sent the PR and what identity
// its commits claim. The event payload is always read; the API (at most
// MAX_REQUESTS per PR) adds who the author is to the ecosystem (the core's
// contributor trust: facts and paths from the maintainers) and the
// verification of commits that claim a bot identity.
import {
  type Finding,
  type GitHubClient,
  type NotChecked,
  type Severity,
  createFinding,
  describeApiError
} from '@security-actions/core';
import {
  type Ecosystem,
  type Standing,
  type TrustReport,
  TrustChecker,
  clientIO,
  contextLine,
  ecosystemFrom,
  knownBot,
  pathText
} from '@security-actions/core/trust';
import type { CommitInfo } from './types';
import { RULES as R } from './rules';

export const MAX_REQUESTS = 10;

export interface PrMeta {
  number?: number;
  repo?: string;
  headRef?: string;
  author?: string;
  /** The event's `user.id` and `user.type` (`Bot` for GitHub Apps). */
  authorId?: number;
  authorType?: string;
  /** Who the ecosystem is (the base commit's config `trust:` section and `trusted-orgs`). */
  ecosystem?: Ecosystem;
  association?: string;
  title?: string;
  body?: string;
  baseSha?: string;
  headSha?: string;
  /** The repository's visibility, when the event says: self-hosted runners matter most on a public one. */
  visibility?: 'public' | 'private' | 'internal';
}

interface PullRequestPayload {
  number?: unknown;
  title?: string;
  body?: string | null;
  author_association?: string;
  user?: { login?: string; id?: unknown; type?: unknown };
  head?: { ref?: string; sha?: string };
  base?: { sha?: string };
}

const VISIBILITIES = ['public', 'private', 'internal'] as const;

export function prMetaFromEvent(event: Record<string, unknown> | undefined, repository?: string): PrMeta {
  const pr = event?.pull_request as PullRequestPayload | undefined;
  const payload = event?.repository as { full_name?: string; visibility?: string; private?: unknown } | undefined;
  const repo = payload?.full_name ?? repository;
  const visibility =
    VISIBILITIES.find((v) => v === payload?.visibility) ??
    (typeof payload?.private === 'boolean' ? (payload.private ? 'private' : 'public') : undefined);
  if (!pr) return { repo, visibility };
  return {
    number: typeof pr.number === 'number' ? pr.number : undefined,
    repo,
    visibility,
    headRef: pr.head?.ref,
    author: pr.user?.login,
    ...(typeof pr.user?.id === 'number' ? { authorId: pr.user.id } : {}),
    ...(typeof pr.user?.type === 'string' ? { authorType: pr.user.type } : {}),
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
    // The scanner's own configuration can silence this very scan (high). CODEOWNERS decides review only once
    // merged, and maintainers edit it routinely (medium: 3 of 300 real merged PRs, all benign). A local action's
    // scripts run code in CI (medium); workflows and action metadata are audited on their own (9 of 9 edits of a
    // local `action.yml` in 100 notebook PRs were benign), and Dependabot's config only schedules update PRs that
    // are reviewed like any other (low).
    const [what, severity]: [string | undefined, Severity] = /(^|\/)CODEOWNERS$/.test(p)
      ? ['CODEOWNERS decides who must review', 'medium']
      : p === configPath || p === '.github/security-actions.yml'
        ? ["this scanner's own configuration (ignores, severities) is changed by the PR it scans", 'high']
        : /^\.github\/(dependabot\.ya?ml$|workflows\/|actions\/(.+\/)?action\.ya?ml$)/.test(p)
          ? ['CI configuration', 'low']
          : /^\.github\/actions\//.test(p)
            ? ['a local action that workflows run', 'medium']
            : [undefined, 'info'];
    if (what)
      out.push(
        createFinding(R.META_GOVERNANCE, {
          message: `${p}: ${what}.`,
          location: { file: p },
          evidence: p,
          severity,
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

/** Who the author is to the ecosystem, for the summary, the comment and the score (the JSON report's `data.author`). */
export interface AuthorContext {
  login: string;
  /** One line of facts and people, never a number about the person. */
  line: string;
  standing: Standing;
  /** The shortest paths as people and evidence. */
  paths: string[];
}

export interface ApiResult {
  findings: Finding[];
  notChecked: NotChecked[];
  notes: string[];
  /** Requests used, so the comment knows what is left of the budget. */
  used: number;
  author?: AuthorContext;
}

export interface DiffShape {
  files: number;
  lines: number;
  sensitive: string[];
}

/** Members and owners already hold write access (COLLABORATOR is not trusted, after cuda-python). */
const ORG_ROLE = ['MEMBER', 'OWNER'];
const NEW_BY_EVENT = ['FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'NONE'];

/** The API checks, within MAX_REQUESTS; each failure becomes a NotChecked, never a pass. */
export async function apiChecks(
  client: GitHubClient | undefined,
  meta: PrMeta,
  opts: { trustedOrgs: string[]; commits: CommitInfo[]; diff: DiffShape; budget: number; noTokenReason?: string }
): Promise<ApiResult> {
  const out: ApiResult = { findings: [], notChecked: [], notes: [], used: 0 };
  const botCommits = opts.commits.filter(claimsBot);
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
  // The event's user id and type are GitHub's word: a known bot is nobody's new contributor.
  const bot = meta.author && meta.authorType === 'Bot' ? knownBot(meta.author, meta.authorId) : undefined;
  const byEvent = (reason: string) => {
    if (bot || ORG_ROLE.includes(meta.association ?? '')) return;
    if (NEW_BY_EVENT.includes(meta.association ?? '')) reportNewAuthor(`author association ${meta.association}`);
    else out.notChecked.push({ check: R.META_NEW_AUTHOR.id, reason });
  };

  if (!client || !meta.author || !meta.repo) {
    const reason =
      opts.noTokenReason ?? (!meta.author ? 'no pull_request event payload (author unknown)' : 'no token given');
    for (const check of ['author-trust', R.META_EMPTY_NEW.id]) out.notChecked.push({ check, reason });
    if (botCommits.length)
      out.notChecked.push({
        check: R.META_BOT_IDENTITY.id,
        reason: `${botCommits.length} commit(s) claim a bot identity; verification needs the API (${reason})`
      });
    byEvent(reason);
    return out;
  }

  let budget = Math.min(opts.budget, MAX_REQUESTS);
  // The author's trust takes what the bot commits' verification (one request) leaves.
  const checker = new TrustChecker(
    clientIO(client),
    meta.ecosystem ?? ecosystemFrom(undefined, { orgs: opts.trustedOrgs }),
    {
      repo: meta.repo,
      baseSha: meta.baseSha,
      maxRequests: budget - (botCommits.length ? 1 : 0)
    }
  );
  const trust = await checker.check(meta.author, { id: meta.authorId, type: meta.authorType });
  budget -= checker.requests;
  out.used += checker.requests;
  out.author = {
    login: meta.author,
    line: contextLine(trust),
    standing: trust.standing,
    paths: trust.paths.ok ? trust.paths.value.map(pathText) : []
  };
  // A verified bot is not a person: its paths do not apply rather than went unchecked.
  if (trust.standing !== 'bot') out.notChecked.push(...unread(trust));
  out.notes.push(...trust.notes);

  if (trust.standing === 'none' && !ORG_ROLE.includes(meta.association ?? ''))
    reportNewAuthor(`nothing links them to the maintainers of ${ecosystemName(checker.eco, meta.repo)}`);
  else if (trust.standing === 'unknown') byEvent(trust.paths.ok ? 'author trust not checked' : trust.paths.reason);

  const account = trust.account.ok ? trust.account.value : undefined;
  if (account?.ageDays !== undefined) {
    if (account.ageDays < 30 && opts.diff.lines <= 2 && opts.diff.files <= 1) {
      out.findings.push(
        createFinding(R.META_EMPTY_NEW, {
          message: `${meta.author}'s account is ${account.ageDays} day(s) old and the PR changes ${opts.diff.files} file(s), ${opts.diff.lines} line(s).`,
          evidence: `${meta.author} created ${account.createdAt}`,
          key: meta.author
        })
      );
    }
  } else if (account?.kind !== 'bot') {
    out.notChecked.push({
      check: R.META_EMPTY_NEW.id,
      reason: trust.account.ok ? 'not a person' : trust.account.reason
    });
  }

  if (botCommits.length) out.used += await verifyBotCommits(client, meta.repo, botCommits, budget, out);
  return out;
}

/** The facts about the author that could not be read, one entry per reason. */
function unread(t: TrustReport): NotChecked[] {
  const byReason = new Map<string, string[]>();
  const sections = {
    account: 'account',
    memberships: 'memberships',
    merged: 'merged PRs',
    reviews: 'reviews',
    commits: 'commits',
    signing: 'signing',
    vouches: 'vouches',
    paths: 'paths'
  } as const;
  for (const [k, label] of Object.entries(sections)) {
    const c = t[k as keyof typeof sections];
    if (!c.ok) byReason.set(c.reason, [...(byReason.get(c.reason) ?? []), label]);
  }
  return [...byReason].map(([reason, what]) => ({ check: 'author-trust', target: what.join(', '), reason }));
}

const ecosystemName = (eco: Ecosystem, repo: string) =>
  [...eco.orgs, ...eco.repositories, repo].slice(0, 4).join(', ') +
  (eco.orgs.length + eco.repositories.length > 3 ? ', …' : '');

/** One GraphQL request for up to 20 commits claiming a bot identity (aliases), whatever the PR's size; returns requests used. */
async function verifyBotCommits(
  client: GitHubClient,
  full: string,
  botCommits: CommitInfo[],
  budget: number,
  out: ApiResult
): Promise<number> {
  if (budget <= 0) {
    out.notChecked.push({
      check: R.META_BOT_IDENTITY.id,
      reason: `API request budget (${MAX_REQUESTS} per PR) used up`
    });
    return 0;
  }
  const [owner, repo] = full.split('/');
  const checked = botCommits.slice(0, 20);
  const query = `query($owner:String!,$name:String!){repository(owner:$owner,name:$name){${checked
    .map((c, i) => `c${i}:object(oid:"${c.sha}"){... on Commit{signature{isValid state}}}`)
    .join(' ')}}}`;
  let data: { repository: Record<string, { signature: { isValid: boolean; state: string } | null } | null> };
  try {
    data = await client.graphql(query, { owner, name: repo });
  } catch (e) {
    out.notChecked.push({ check: R.META_BOT_IDENTITY.id, reason: describeApiError(e, 'contents: read') });
    return 1;
  }
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
  return 1;
}
