// Paginated REST lists, for the organization checks and the repository list.
import { IncompleteAnswer } from '@security-actions/core';
import type { AuditIO } from './types';

/**
 * Every item of a paginated REST list; `key` names the array in wrapped
 * answers (`{ total_count, installations }`). Items are pushed into `out` as
 * pages arrive, so a caller keeps what was listed before a failure.
 */
export async function listAll<T>(
  io: AuditIO,
  route: string,
  params: Record<string, unknown>,
  key?: string,
  out: T[] = []
): Promise<T[]> {
  for (let page = 1; ; page++) {
    const data = (await io.request(route, { ...params, per_page: 100, page })).data as T[] | Record<string, T[]>;
    const items = key ? (data as Record<string, T[]>)[key] : (data as T[]);
    if (!Array.isArray(items)) throw new IncompleteAnswer(route, `lacked ${key ?? 'the list'}`);
    out.push(...items);
    if (items.length < 100) return out;
  }
}

/**
 * Every item of a REST list paged by cursor (`after`, from the Link header's
 * `rel="next"`), as the code security configuration endpoints page: they take
 * no `page`. A next link without a new cursor is an incomplete answer, not the end.
 */
export async function listByCursor<T>(io: AuditIO, route: string, params: Record<string, unknown>): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const { data, headers } = await io.request(route, { ...params, per_page: 100, ...(after ? { after } : {}) });
    if (!Array.isArray(data)) throw new IncompleteAnswer(route, 'lacked the list');
    out.push(...(data as T[]));
    const next = /<([^>]+)>;\s*rel="next"/.exec(String(headers?.link ?? ''))?.[1];
    if (!next) return out;
    after = new URL(next).searchParams.get('after') ?? undefined;
    if (!after || seen.has(after)) throw new IncompleteAnswer(route, 'had a next page without a new cursor');
    seen.add(after);
  }
}
