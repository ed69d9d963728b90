// The GraphQL reads of the audit: repositories in batches of aliased
// `repository(...)` fields (a failed batch names exactly the repositories it
// leaves unaudited), and the organization-wide answers every repository
// check shares (teams, the org's SECURITY.md).
import { ORG_POLICY, REPO_FIELDS, TEAMS, repoBatchQuery } from './queries';
import type { AuditIO, GraphQLError, RepoData } from './types';

type Answer = Awaited<ReturnType<AuditIO['graphql']>>;

export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One batch of repositories. A field the token cannot read is recorded in
 * `omitted` (shared by all batches) and the batch asked again without it.
 * GitHub may name only the first failing field of a repository (a non-null
 * field's error nulls the whole object), so this repeats while new ones
 * appear; every field is dropped at most once per run.
 */
export async function fetchBatch(
  io: AuditIO,
  org: string,
  batch: string[],
  omitted: Map<string, GraphQLError>,
  since: string
): Promise<Answer> {
  const vars: Record<string, unknown> = { org };
  batch.forEach((n, i) => (vars[`n${i}`] = n));
  const ask = () =>
    io.graphql(
      repoBatchQuery(batch.length, new Set(omitted.keys())),
      omitted.has('activity') ? vars : { ...vars, since }
    );
  let answer = await ask();
  for (;;) {
    const fresh = (answer.errors ?? []).filter(
      (e) => typeof e.path?.[1] === 'string' && REPO_FIELDS[e.path[1]] && !omitted.has(e.path[1] as string)
    );
    if (!fresh.length) return answer;
    for (const e of fresh) omitted.set(e.path![1] as string, e);
    answer = await ask();
  }
}

/** The `i`th repository of a batch's answer, or why it is missing; `failed` gives the error of a field it lacks. */
export function repositoryOf(
  answer: Answer,
  i: number,
  omitted: Map<string, GraphQLError>
): { repo: RepoData; failed: (field: string) => GraphQLError | undefined } | { missing: string } {
  const repo = answer.data?.[`r${i}`] as RepoData | null | undefined;
  const errs = (answer.errors ?? []).filter((e) => e.path?.[0] === `r${i}`);
  if (!repo) return { missing: errs[0]?.message ?? (answer.errors?.[0]?.message || 'missing from the answer') };
  return { repo, failed: (field) => omitted.get(field) ?? errs.find((e) => e.path?.[1] === field) };
}

/** Whether the organization's `.github` repository has a SECURITY.md (GitHub shows it on every repository). */
export async function orgSecurityPolicy(io: AuditIO, org: string): Promise<boolean | undefined> {
  try {
    const { data } = await io.graphql(ORG_POLICY, { org });
    return !!(data?.repository as { object?: unknown } | null)?.object;
  } catch {
    return undefined;
  }
}

/** Team slug → up to two member logins; undefined when the teams were not readable. */
export async function teamMembers(io: AuditIO, org: string): Promise<Map<string, string[]> | undefined> {
  const out = new Map<string, string[]>();
  try {
    let after: string | null = null;
    do {
      const { data } = await io.graphql(TEAMS, { org, after });
      type Page = {
        nodes: { slug: string; members: { nodes: { login: string }[] } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      const conn = (data?.organization as { teams?: Page } | null)?.teams;
      if (!conn) return undefined;
      for (const t of conn.nodes)
        out.set(
          t.slug,
          t.members.nodes.map((m) => m.login)
        );
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    return out;
  } catch {
    return undefined;
  }
}
