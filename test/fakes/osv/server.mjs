// Loopback fake of api.osv.dev v1: POST /v1/query, POST /v1/querybatch and
// GET /v1/vulns/{id}, following google/osv.dev's docs/api/*.md and gcp/api/server.py.
// Responses are the protobuf JSON the real API emits, so empty fields are omitted:
// a query without hits is `{}`, not `{"vulns": []}`. See docs/fakes/osv.md.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startServer, parseArgs, runUntilSignalled } from '../common.mjs';
import { affectsCommit, affectsPackage, isKnownEcosystem } from './match.mjs';

/** server.py `_MAX_BATCH_QUERY`. */
export const MAX_BATCH_QUERIES = 1000;
/** server.py: a page is cut at 1000 hits per query ... */
const DEFAULT_PAGE_SIZE = 1000;
/** ... and, once a batch has returned more than 3000 hits, at 5 per query. */
const DEFAULT_BATCH_THRESHOLD = 3000;
const PAGE_SIZE_PAST_THRESHOLD = 5;

/** A gRPC status surfaced as HTTP by the API gateway: `{code, message}` with the mapped status. */
class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
const invalid = (message) => new ApiError(400, 3, message); // INVALID_ARGUMENT

// Opaque to clients, like the real base64 datastore cursors: here just an offset.
const encodeToken = (offset) => Buffer.from(JSON.stringify({ offset })).toString('base64url');
function decodeToken(token, message) {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (Number.isInteger(offset) && offset > 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw invalid(message);
}

/** Parses `pkg:pypi/<name>@<version>`; other purl types are unknown to the fake (null). */
function parsePurl(purl) {
  const m = /^pkg:([a-z0-9.+-]+)\/([^@?#]+)(?:@([^?#]+))?/i.exec(purl);
  if (!m) throw invalid(`invalid purl: ${purl}`);
  if (m[1].toLowerCase() !== 'pypi') return null;
  return { ecosystem: 'PyPI', name: decodeURIComponent(m[2]), version: m[3] && decodeURIComponent(m[3]) };
}

/**
 * Starts the fake.
 * @param {{vulns: object[], affectedCommits?: Record<string, string[]>, pageSize?: number,
 *          batchThreshold?: number, port?: number, latencyMs?: number,
 *          faults?: import('../common.mjs').Fault[]}} opts
 *   `affectedCommits` maps a record id to extra commits it affects (stands in for
 *   OSV's walk of the GIT range's repository); `pageSize`/`batchThreshold` lower
 *   the real pagination limits so tests can page with small data.
 */
export async function startFakeOSV({
  vulns,
  affectedCommits = {},
  pageSize = DEFAULT_PAGE_SIZE,
  batchThreshold = DEFAULT_BATCH_THRESHOLD,
  port = 0,
  latencyMs = 0,
  faults = []
}) {
  const byId = new Map(vulns.map((v) => [v.id, v]));
  if (byId.size !== vulns.length) throw new Error('OSV fake: duplicate record ids');

  /** server.py `do_query`: validates one query and returns every record it hits, in world order. */
  function hits(q) {
    if (q === null || typeof q !== 'object') throw invalid('Invalid query.');
    // `commit` and `version` are one protobuf oneof: JSON carrying both does not parse.
    if (q.commit !== undefined && q.version !== undefined)
      throw invalid('Invalid JSON payload: multiple oneof fields set.');
    let { name = '', ecosystem = '', purl = '' } = q.package ?? {};
    let version = q.version ?? '';
    if (purl) {
      if (name) throw invalid('name specified in a PURL query');
      if (ecosystem) throw invalid('ecosystem specified in a PURL query');
      const parsed = parsePurl(purl);
      if (!parsed) return []; // OSV answers purl types it does not know with no results
      if (parsed.version && version) throw invalid('version specified in params and PURL query');
      ({ name, ecosystem } = parsed);
      version = parsed.version ?? version;
    }
    if (ecosystem && !isKnownEcosystem(ecosystem)) throw invalid('Invalid ecosystem.');
    if (q.commit !== undefined) {
      if (!/^([0-9a-f]{2})+$/i.test(q.commit)) throw invalid('Invalid hash.');
      return vulns.filter((v) => affectsCommit(v, q.commit, affectedCommits[v.id]));
    }
    if (name && version)
      return vulns.filter((v) => affectsPackage(v, { name, ecosystem: ecosystem || undefined, version }));
    if (name && ecosystem) return vulns.filter((v) => affectsPackage(v, { name, ecosystem }));
    throw invalid('Invalid query.');
  }

  /** Cuts one query's hits into a page; `total` counts hits across a batch. */
  function page(q, all, total, tokenMessage) {
    const start = q.page_token ? decodeToken(q.page_token, tokenMessage) : 0;
    const out = [];
    for (let i = start; i < all.length; i++) {
      const limit = total.count > batchThreshold ? PAGE_SIZE_PAST_THRESHOLD : pageSize;
      if (out.length >= limit) return { vulns: out, next_page_token: encodeToken(i) };
      out.push(all[i]);
      total.count += 1;
    }
    return { vulns: out };
  }

  // protobuf JSON drops empty lists and strings.
  const compact = ({ vulns: list, next_page_token }) => ({
    ...(list.length ? { vulns: list } : {}),
    ...(next_page_token ? { next_page_token } : {})
  });

  const routes = {
    'POST /v1/query': (body) => {
      const result = page(body, hits(body), { count: 0 }, 'Invalid page token.');
      return compact({ ...result, vulns: result.vulns.map((v) => structuredClone(v)) });
    },
    'POST /v1/querybatch': (body) => {
      const queries = body.queries ?? [];
      if (!Array.isArray(queries)) throw invalid('Invalid JSON payload: queries must be a list.');
      if (queries.length > MAX_BATCH_QUERIES) throw invalid('Too many queries.');
      const total = { count: 0 };
      // Every query is validated before any result is returned: one bad query fails the batch.
      const results = queries
        .map((q) => [q, hits(q)])
        .map(([q, all], i) => {
          const result = page(q, all, total, `Invalid page token at index: ${i}.`);
          return compact({ ...result, vulns: result.vulns.map((v) => ({ id: v.id, modified: v.modified })) });
        });
      return results.length ? { results } : {};
    }
  };

  const handle = (req, url, raw) => {
    const route = `${req.method} ${url.pathname}`;
    try {
      const vulnMatch = req.method === 'GET' && /^\/v1\/vulns\/([^/]+)$/.exec(url.pathname);
      if (vulnMatch) {
        const record = byId.get(decodeURIComponent(vulnMatch[1]));
        if (!record) throw new ApiError(404, 5, 'Bug not found.');
        return { status: 200, body: record };
      }
      if (!routes[route]) throw new ApiError(404, 5, 'Method does not exist.');
      let body;
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      } catch (e) {
        throw invalid(`Invalid JSON payload received. ${e instanceof Error ? e.message : e}`);
      }
      return { status: 200, body: routes[route](body) };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return { status: e.status, body: { code: e.code, message: e.message } };
    }
  };

  const server = await startServer(handle, { port, latencyMs, faults, name: 'fake-osv' });
  return {
    ...server,
    /** Requests received per route, faulted ones included. */
    counts() {
      const n = (m, p) => server.requests.filter((r) => r.method === m && p(r.path)).length;
      return {
        query: n('POST', (p) => p === '/v1/query'),
        querybatch: n('POST', (p) => p === '/v1/querybatch'),
        vulns: n('GET', (p) => p.startsWith('/v1/vulns/'))
      };
    }
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args.vulns !== 'string') {
    console.error('usage: node test/fakes/osv/server.mjs --vulns FILE.json [--port N] [--latency-ms N]');
    process.exit(2);
  }
  const fake = await startFakeOSV({
    vulns: JSON.parse(readFileSync(args.vulns, 'utf8')),
    port: Number(args.port ?? 0),
    latencyMs: Number(args['latency-ms'] ?? 0)
  });
  console.log(fake.url);
  runUntilSignalled(fake);
}
