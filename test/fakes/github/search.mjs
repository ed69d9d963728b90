// GitHub issue/PR search (`GET /search/issues`) over the world: enough of the
// query language to count and list issues and pull requests. A qualifier the
// fake does not know raises an error rather than being ignored, because
// ignoring it would return a confidently wrong count.
export class SearchQueryError extends Error {}

const DATE_QUALIFIERS = { created: 'created_at', updated: 'updated_at', closed: 'closed_at', merged: 'merged_at' };

/** `>=2024-01-01`, `<2024-01-01`, `2024-01-01..2024-02-01`, `2024-01-01` (that day) → predicate on ISO strings. */
export function dateRange(expr) {
  const range = /^(\S+)\.\.(\S+)$/.exec(expr);
  if (range) {
    const [lo, hi] = [range[1], range[2]];
    return (t) => (lo === '*' || t >= lo) && (hi === '*' || t.slice(0, hi.length) <= hi);
  }
  const cmp = /^(>=|<=|>|<)?(\d{4}-\d{2}-\d{2}(?:T[\d:]+Z?)?)$/.exec(expr);
  if (!cmp) throw new SearchQueryError(`unsupported date expression "${expr}"`);
  const [, op, d] = cmp;
  switch (op) {
    case '>':
      return (t) => t.slice(0, d.length) > d;
    case '>=':
      return (t) => t >= d;
    case '<':
      return (t) => t < d;
    case '<=':
      return (t) => t.slice(0, d.length) <= d;
    default:
      return (t) => t.startsWith(d);
  }
}

/** Splits a query into terms, keeping "quoted phrases" and qualifier:"quoted values" whole. */
function terms(q) {
  return [...q.matchAll(/(-?[\w-]+:)?"([^"]*)"|\S+/g)].map((m) => (m[2] !== undefined ? `${m[1] ?? ''}${m[2]}` : m[0]));
}

/** `sort:` values: the field sorted on and its direction (GitHub's default is best match; the fake's, newest first). */
const SORTS = { created: 'created_at', updated: 'updated_at' };

/**
 * Parses `q` into a predicate over `{ repo, item, isPull }`. As on GitHub, several
 * `repo:`, `org:` and `user:` qualifiers select the union of what each names.
 * @returns {{ test: (x: {repo: any, item: any, isPull: boolean}) => boolean, kinds: Set<string>, sort: { field: string, desc: boolean } }}
 */
function parseIssueSearch(q) {
  const tests = [];
  const scopes = [];
  const kinds = new Set();
  let sort = { field: 'created_at', desc: true };
  for (const term of terms(q)) {
    const m = /^(-?)([\w-]+):(.+)$/.exec(term);
    if (!m) {
      const word = term.toLowerCase();
      tests.push(({ item }) => `${item.title}\n${item.body ?? ''}`.toLowerCase().includes(word));
      continue;
    }
    const [, neg, key, value] = m;
    const same = (a) => a?.toLowerCase() === value.toLowerCase();
    let t;
    switch (key) {
      case 'type':
        if (value !== 'pr' && value !== 'issue') throw new SearchQueryError(`unsupported qualifier "type:${value}"`);
      // falls through: type:pr and type:issue mean is:pr and is:issue
      case 'is':
        switch (value) {
          case 'pr':
          case 'pull-request':
            kinds.add('pr');
            t = ({ isPull }) => isPull;
            break;
          case 'issue':
            kinds.add('issue');
            t = ({ isPull }) => !isPull;
            break;
          case 'open':
          case 'closed':
            t = ({ item }) => item.state === value;
            break;
          case 'merged':
            t = ({ isPull, item }) => isPull && Boolean(item.merged_at);
            break;
          case 'unmerged':
            t = ({ isPull, item }) => isPull && item.state === 'closed' && !item.merged_at;
            break;
          case 'draft':
            t = ({ isPull, item }) => isPull && item.draft;
            break;
          case 'public':
          case 'private':
            t = ({ repo }) => repo.private === (value === 'private');
            break;
          default:
            throw new SearchQueryError(`unsupported qualifier "${key}:${value}"`);
        }
        break;
      case 'state':
        if (value !== 'open' && value !== 'closed')
          throw new SearchQueryError(`unsupported qualifier "state:${value}"`);
        t = ({ item }) => item.state === value;
        break;
      case 'author':
        t = ({ item }) => same(item.user);
        break;
      case 'repo':
      case 'org':
      case 'user':
        if (neg) throw new SearchQueryError(`unsupported qualifier "-${key}:"`);
        scopes.push(key === 'repo' ? ({ repo }) => same(repo.full_name) : ({ repo }) => same(repo.owner));
        continue;
      case 'sort': {
        const s = /^(created|updated)(?:-(asc|desc))?$/.exec(value);
        if (!s) throw new SearchQueryError(`unsupported qualifier "sort:${value}"`);
        sort = { field: SORTS[s[1]], desc: s[2] !== 'asc' };
        continue;
      }
      case 'reviewed-by':
        t = ({ isPull, item }) => isPull && item.reviews.some((r) => r.state !== 'PENDING' && same(r.user));
        break;
      case 'label':
        t = ({ item }) => item.labels.some(same);
        break;
      case 'commenter':
        t = ({ item }) => item.comments.some((c) => same(c.user));
        break;
      case 'involves':
        t = ({ item }) => same(item.user) || item.comments.some((c) => same(c.user));
        break;
      case 'base':
        t = ({ isPull, item }) => isPull && same(item.base.ref);
        break;
      case 'head':
        t = ({ isPull, item }) => isPull && same(item.head.ref);
        break;
      default: {
        const field = DATE_QUALIFIERS[key];
        if (!field) throw new SearchQueryError(`unsupported qualifier "${key}:"`);
        const inRange = dateRange(value);
        t = ({ item }) => Boolean(item[field]) && inRange(item[field]);
      }
    }
    tests.push(neg ? (x) => !t(x) : t);
  }
  if (scopes.length) tests.push((x) => scopes.some((t) => t(x)));
  return { test: (x) => tests.every((t) => t(x)), kinds, sort };
}

/** Every issue and pull request in the world matching `q`, newest first unless `sort:` says otherwise. */
export function searchIssues(world, q, canSee) {
  const { test, kinds, sort } = parseIssueSearch(q);
  const hits = [];
  for (const repo of Object.values(world.repos)) {
    if (!canSee(repo)) continue;
    for (const item of repo.issues) if (test({ repo, item, isPull: false })) hits.push({ repo, item });
    for (const item of repo.pulls) if (test({ repo, item, isPull: true })) hits.push({ repo, item });
  }
  const key = (h) => h.item[sort.field];
  return { kinds, hits: hits.sort((a, b) => (sort.desc ? -1 : 1) * key(a).localeCompare(key(b))) };
}
