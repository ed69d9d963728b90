// OSV: one querybatch per 1000 packages (pages followed per query), then each
// distinct advisory fetched once and evaluated here. Records are read
// defensively: a malformed one makes that advisory "not checked" for the
// packages it names, never "not affected".
import { HttpClient, ServiceError, mapLimit, normalizeName } from '@security-actions/core';
import { type Ordering, compareSemver, comparePep440, isPep440, isSemverish } from './versions';

export type Ecosystem = 'PyPI' | 'GitHub Actions';

export interface OsvTarget {
  ecosystem: Ecosystem;
  /** PyPI: normalised name; GitHub Actions: `owner/repo` (lower case). */
  name: string;
  /** Versions to evaluate (a PyPI pin, or the tags a pinned SHA carries). Empty = unknown. */
  versions: string[];
}

export interface OsvRecord {
  id: string;
  modified?: string;
  withdrawn?: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  affected?: unknown[];
  severity?: unknown[];
  database_specific?: Record<string, unknown>;
}

export interface OsvHit {
  target: OsvTarget;
  version: string;
  record: OsvRecord;
  /** Earliest fixed versions named by the matching ranges. */
  fixed: string[];
}

export interface OsvProblem {
  target: OsvTarget;
  reason: string;
}

export const BATCH_SIZE = 1000;

export class OsvClient {
  readonly http: HttpClient;
  constructor(
    private readonly baseUrl: string,
    http?: HttpClient
  ) {
    this.http = http ?? new HttpClient('OSV');
  }

  /** Ids of the advisories each target may be affected by (aligned with `targets`). */
  async queryBatch(targets: OsvTarget[]): Promise<string[][]> {
    const ids: string[][] = targets.map(() => []);
    for (let start = 0; start < targets.length; start += BATCH_SIZE) {
      let pending = targets
        .slice(start, start + BATCH_SIZE)
        .map((t, i) => ({ index: start + i, query: queryFor(t) as Record<string, unknown> }));
      while (pending.length) {
        const res = await this.http.json<{ results?: unknown }>(`${this.baseUrl}/v1/querybatch`, {
          body: { queries: pending.map((p) => p.query) }
        });
        // One result per query, always (a query without hits is `{}` inside the list): `{}` or a
        // short list for a non-empty batch is an answer that checked nothing, never "no advisories".
        const results = res.body?.results;
        if (!Array.isArray(results) || results.length !== pending.length)
          throw new ServiceError(
            `OSV querybatch returned ${Array.isArray(results) ? results.length : 'no'} results for ${pending.length} queries`
          );
        const next: typeof pending = [];
        results.forEach((r, i) => {
          const entry = (r ?? {}) as { vulns?: { id?: unknown }[]; next_page_token?: unknown };
          for (const v of Array.isArray(entry.vulns) ? entry.vulns : [])
            if (typeof v?.id === 'string') ids[pending[i].index].push(v.id);
          if (typeof entry.next_page_token === 'string' && entry.next_page_token)
            next.push({ index: pending[i].index, query: { ...pending[i].query, page_token: entry.next_page_token } });
        });
        pending = next;
      }
    }
    return ids.map((l) => [...new Set(l)]);
  }

  async record(id: string): Promise<OsvRecord> {
    const res = await this.http.json<OsvRecord>(`${this.baseUrl}/v1/vulns/${encodeURIComponent(id)}`);
    const body = res.body;
    if (!body || typeof body !== 'object' || typeof body.id !== 'string')
      throw new ServiceError(`OSV record ${id} is not an OSV object`);
    return body;
  }
}

function queryFor(t: OsvTarget): Record<string, unknown> {
  // PyPI: OSV matches the version server-side. GitHub Actions: ask for every
  // record of the action and evaluate tags here (OSV's handling of action
  // versions is unverified, see the research note).
  if (t.ecosystem === 'PyPI' && t.versions.length === 1)
    return { package: { name: t.name, ecosystem: t.ecosystem }, version: t.versions[0] };
  return { package: { name: t.name, ecosystem: t.ecosystem } };
}

/** Looks every target up and evaluates the records. Throws ServiceError when the batch itself fails. */
export async function lookupVulnerabilities(
  client: OsvClient,
  targets: OsvTarget[],
  concurrency = 16
): Promise<{ hits: OsvHit[]; problems: OsvProblem[]; advisories: number }> {
  const idLists = await client.queryBatch(targets);
  const distinct = [...new Set(idLists.flat())];
  const records = new Map<string, OsvRecord | Error>();
  await mapLimit(distinct, concurrency, async (id) => {
    try {
      records.set(id, await client.record(id));
    } catch (e) {
      records.set(id, e as Error);
    }
  });
  const hits: OsvHit[] = [];
  const problems: OsvProblem[] = [];
  targets.forEach((t, i) => {
    const reported = new Set<string>();
    for (const id of idLists[i]) {
      const rec = records.get(id)!;
      if (rec instanceof Error) {
        problems.push({ target: t, reason: `advisory ${id} could not be fetched: ${rec.message}` });
        continue;
      }
      if (rec.withdrawn) continue;
      if (reported.has(rec.id) || (rec.aliases ?? []).some((a) => reported.has(a))) continue;
      const verdict = evaluate(rec, t);
      if (verdict.problem) problems.push({ target: t, reason: `${rec.id}: ${verdict.problem}` });
      for (const h of verdict.hits) hits.push({ target: t, version: h.version, record: rec, fixed: h.fixed });
      if (verdict.hits.length) {
        reported.add(rec.id);
        for (const a of rec.aliases ?? []) reported.add(a);
      }
    }
  });
  return { hits, problems, advisories: distinct.length };
}

interface Verdict {
  hits: { version: string; fixed: string[] }[];
  problem?: string;
}

type Ev = { introduced?: string; fixed?: string; last_affected?: string; limit?: string };

/** Evaluates one record for one target (osv-schema "Evaluation"), tolerating malformed parts. */
export function evaluate(rec: OsvRecord, t: OsvTarget): Verdict {
  const order: Ordering = t.ecosystem === 'PyPI' ? comparePep440 : compareSemver;
  const validVersion = t.ecosystem === 'PyPI' ? isPep440 : isSemverish;
  const samePackage = (p: Record<string, unknown>) => {
    const eco = String(p.ecosystem ?? '');
    if (eco !== t.ecosystem && !eco.startsWith(`${t.ecosystem}:`)) return false;
    const name = String(p.name ?? '');
    return t.ecosystem === 'PyPI' ? normalizeName(name) === t.name : name.toLowerCase() === t.name;
  };
  const affected = (Array.isArray(rec.affected) ? rec.affected : []).filter(
    (a): a is Record<string, unknown> =>
      !!a &&
      typeof a === 'object' &&
      !!(a as Record<string, unknown>).package &&
      samePackage((a as Record<string, Record<string, unknown>>).package)
  );
  if (!affected.length)
    return { hits: [], problem: Array.isArray(rec.affected) ? undefined : 'the record has no affected packages' };
  if (!t.versions.length)
    return {
      hits: [],
      problem: 'the pinned commit carries no release tag, so the advisory cannot be matched to a version'
    };
  const out: Verdict = { hits: [] };
  const problems: string[] = [];
  for (const version of t.versions) {
    if (!validVersion(version)) {
      problems.push(`version ${version} cannot be ordered`);
      continue;
    }
    let hit = false;
    const fixed: string[] = [];
    let evaluable = false;
    for (const a of affected) {
      const listed = Array.isArray(a.versions) ? a.versions.filter((v): v is string => typeof v === 'string') : [];
      if (listed.some((v) => v === version || (validVersion(v) && order(v, version) === 0))) hit = true;
      if (listed.length) evaluable = true;
      for (const r of Array.isArray(a.ranges) ? a.ranges : []) {
        const range = r as { type?: string; events?: unknown[] };
        if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue; // GIT ranges need the commit graph
        const events = (Array.isArray(range.events) ? range.events : []).filter(
          (e): e is Ev =>
            !!e &&
            typeof e === 'object' &&
            Object.keys(e).length === 1 &&
            ['introduced', 'fixed', 'last_affected', 'limit'].some(
              (k) => typeof (e as Record<string, unknown>)[k] === 'string'
            )
        );
        const value = (e: Ev) => (e.introduced ?? e.fixed ?? e.last_affected ?? e.limit)!;
        const bad = events.find((e) => !(e.introduced === '0' || e.limit === '*' || validVersion(value(e))));
        if (bad) {
          problems.push(`range event ${JSON.stringify(bad)} is not a valid version`);
          continue;
        }
        if (!events.length) continue;
        evaluable = true;
        const rank = (e: Ev) => (e.introduced === '0' ? -Infinity : e.limit === '*' ? Infinity : 0);
        const sorted = [...events].sort(
          (x, y) => rank(x) - rank(y) || (rank(x) === 0 && rank(y) === 0 ? order(value(x), value(y)) : 0)
        );
        let state = false;
        for (const e of sorted) {
          if (e.introduced !== undefined) {
            if (e.introduced === '0' || order(version, e.introduced) >= 0) state = true;
          } else if (e.fixed !== undefined) {
            if (order(version, e.fixed) >= 0) state = false;
            else if (state) fixed.push(e.fixed);
          } else if (e.last_affected !== undefined) {
            if (order(version, e.last_affected) > 0) state = false;
          } else if (e.limit !== undefined && e.limit !== '*' && order(version, e.limit) >= 0) state = false;
        }
        if (state) hit = true;
      }
    }
    if (hit) out.hits.push({ version, fixed: [...new Set(fixed)] });
    else if (!evaluable) problems.push(`no version list or evaluable range for ${t.name}`);
  }
  if (problems.length && !out.hits.length) out.problem = problems[0];
  return out;
}

/** GHSA's database_specific.severity mapped to ours; undefined when absent. */
export function advisorySeverity(rec: OsvRecord): 'low' | 'medium' | 'high' | 'critical' | undefined {
  const s = String(rec.database_specific?.severity ?? '').toUpperCase();
  return ({ LOW: 'low', MODERATE: 'medium', MEDIUM: 'medium', HIGH: 'high', CRITICAL: 'critical' } as const)[
    s as 'LOW'
  ];
}
