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
