#!/usr/bin/env node
// Fake GitHub (REST + GraphQL) on loopback, answering from a JSON world
// (docs/fakes/github.md). In-process: `startFakeGitHub({ world })`. Standalone:
//   node test/fakes/github/server.mjs --world FILE [--port 0] [--latency MS]
// prints its base URL as the first stdout line and serves until SIGTERM.
// Release asset uploads (uploads.github.com on GitHub) are served on the same
// base URL; point Octokit's uploadReleaseAsset at it with `baseUrl: fake.url`,
// or POST to the release's `upload_url`.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs, runUntilSignalled, startServer } from '../common.mjs';
import { authorize, canSeeRepo, resolveActor } from './access.mjs';
import { CONTRACT_DEFAULT, checkExchange } from './contract.mjs';
import { PRIMARY_DOCS } from './faults.mjs';
import { prepareGraphQL } from './graphql.mjs';
import { DOCS, GitHubError, matchRoute } from './routes.mjs';
import { accountOf, filesAt, lookup, normalizeWorld } from './world.mjs';

const CONTROL = '/_fake/';
const GRAPHQL_AUTH_DOCS =
  'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql';

const errorBody = (status, message, docs, extra) => ({
  message,
  documentation_url: docs,
  status: String(status),
  ...extra
});

/** Starts a new window when the reset time has passed, as GitHub's hourly limit does. */
function refill(bucket) {
  const now = Math.floor(Date.now() / 1000);
  if (now < bucket.reset) return;
  bucket.remaining = bucket.limit;
  bucket.used = 0;
  bucket.reset = now + 3600;
}

function charge(bucket, points) {
  bucket.remaining = Math.max(0, bucket.remaining - points);
  bucket.used += points;
}

const rateHeaders = (bucket, resource) => ({
  'x-ratelimit-limit': String(bucket.limit),
  'x-ratelimit-remaining': String(bucket.remaining),
  'x-ratelimit-reset': String(bucket.reset),
  'x-ratelimit-used': String(bucket.used),
  'x-ratelimit-resource': resource
});

/** Who exhausted the limit, in GitHub's wording (ends with a full stop). */
function limitedWho(world, actor) {
  if (actor.kind === 'anonymous') {
    return "127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)";
  }
  return `${actor.kind === 'app' ? 'installation' : 'user'} ID ${accountOf(world, actor.login)?.id ?? 0}.`;
}

/**
 * Starts the fake.
 * @param {{ world?: object, port?: number, latencyMs?: number, faults?: object[], contract?: boolean | 'responses' }} [options]
 *   world: see docs/fakes/github.md; faults: see ../common.mjs and ./faults.mjs;
 *   contract: hold every REST request body and answer to the OpenAPI description (./contract.mjs);
 *   on by default; 'responses' checks only the answers, for tests that send what GitHub refuses on purpose
 */
export async function startFakeGitHub({
  world = {},
  port = 0,
  latencyMs = 0,
  faults = [],
  contract = CONTRACT_DEFAULT
} = {}) {
  const state = normalizeWorld(world);
  let base = '';
  let requestSeq = 0;

  /** @param {import('node:http').IncomingMessage} req @param {URL} url @param {Buffer} raw */
  async function handle(req, url, raw) {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path.startsWith(CONTROL)) return control(method, path, raw);

    const requestId = `FAKE:${(++requestSeq).toString(16).toUpperCase().padStart(4, '0')}:0000000:0000000:00000000`;
    const common = {
      'x-github-request-id': requestId,
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json'
    };
    const actor = resolveActor(state, req.headers.authorization);
    if (!actor) return { status: 401, headers: common, body: errorBody(401, 'Bad credentials', DOCS) };
    const v = { world: state, base, actor };
    if (actor.scopes) common['x-oauth-scopes'] = actor.scopes.join(', ');

    if (method === 'POST' && path === '/graphql') return graphql(v, raw, common);
    const hit = matchRoute(method, path);
    const web = hit ? null : webDownload(v, method, path);
    if (web) return web;

    const route = hit?.route;
    // GET /rate_limit is free (resource null); unknown routes count against core, as on GitHub.
    const counted = route?.resource !== null;
    const resource = route?.resource ?? 'core';
    const bucket = state.rate_limit[resource];
    refill(bucket);
    if (counted && bucket.remaining === 0) {
      const ts = new Date()
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, ' UTC');
      const message =
        `API rate limit exceeded for ${limitedWho(state, actor)} If you reach out to GitHub Support for help, ` +
        `please include the request ID ${requestId} and timestamp ${ts}.`;
      return {
        status: 403,
        headers: { ...common, ...rateHeaders(bucket, resource) },
        body: errorBody(403, message, PRIMARY_DOCS)
      };
    }
    if (counted) charge(bucket, 1);
    const headers = { ...common, ...rateHeaders(bucket, resource) };
    if (!route) return { status: 404, headers, body: errorBody(404, 'Not Found', DOCS) };

    const docs = `${DOCS}/${route.docs}`;
    if (actor.permissions)
      headers['x-accepted-github-permissions'] = route.permission ?? 'allows_permissionless_access=true';
    const ctx = {
      v,
      route,
      params: hit.params,
      query: url.searchParams,
      url,
      requestHeaders: req.headers,
      raw,
      body: null,
      repo: null,
      org: null
    };
    try {
      if (hit.params.owner !== undefined) {
        ctx.repo = lookup(state.repos, `${hit.params.owner}/${hit.params.repo}`) ?? null;
        if (!ctx.repo) throw new GitHubError(404, 'Not Found');
      }
      if (hit.params.org !== undefined) {
        ctx.org = lookup(state.orgs, hit.params.org) ?? null;
        if (!ctx.org) throw new GitHubError(404, 'Not Found');
      }
      const denied = authorize(v, route, { repo: ctx.repo, method });
      if (denied) throw new GitHubError(denied.status, denied.message);
      if (!route.rawBody && raw.length) {
        try {
          ctx.body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new GitHubError(400, 'Problems parsing JSON');
        }
      }
      const result = await route.handler(ctx);
      return checked({ ...result, headers: { ...headers, ...result.headers } });
    } catch (e) {
      if (!(e instanceof GitHubError)) throw e;
      return checked({ status: e.status, headers, body: errorBody(e.status, e.message, docs, e.extra) });
    }

    /** The answer, after holding the exchange to the contract (the body as sent, even when refused unread). */
    function checked(response) {
      if (!contract) return response;
      let sent;
      try {
        sent = !route.rawBody && raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        sent = raw.toString('utf8'); // not JSON: the request check reports it against the schema
      }
      if (contract === 'responses') checkExchange(method, route.path, undefined, response, false);
      else checkExchange(method, route.path, sent, response, true);
      return response;
    }
  }

  /** POST /graphql: GitHub answers query errors with 200 and `{ errors }`; rate limits count query cost. */
  async function graphql(v, raw, common) {
    if (v.actor.kind === 'anonymous') {
      return {
        status: 401,
        headers: common,
        body: errorBody(401, 'This endpoint requires you to be authenticated.', GRAPHQL_AUTH_DOCS)
      };
    }
    const bucket = state.rate_limit.graphql;
    refill(bucket);
    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return {
        status: 400,
        headers: { ...common, ...rateHeaders(bucket, 'graphql') },
        body: errorBody(400, 'Problems parsing JSON', 'https://docs.github.com/graphql')
      };
    }
    const prep = prepareGraphQL(body);
    if ('errors' in prep)
      return { status: 200, headers: { ...common, ...rateHeaders(bucket, 'graphql') }, body: { errors: prep.errors } };
    if (bucket.remaining < prep.cost) {
      return {
        status: 200,
        headers: { ...common, ...rateHeaders(bucket, 'graphql') },
        body: {
          errors: [{ type: 'RATE_LIMITED', message: `API rate limit exceeded for ${limitedWho(state, v.actor)}` }]
        }
      };
    }
    charge(bucket, prep.cost);
    const result = await prep.run(v, bucket);
    return { status: 200, headers: { ...common, ...rateHeaders(bucket, 'graphql') }, body: result };
  }

  /**
   * github.com web downloads the API links to: release assets (`browser_download_url`,
   * where GET .../releases/assets/{id} with Accept: application/octet-stream redirects)
   * and raw files (`download_url` of contents). Not API routes, so no rate-limit headers.
   */
  function webDownload(v, method, path) {
    const m = method === 'GET' && /^\/([^/]+)\/([^/]+)\/(releases\/download|raw)\/(.+)$/.exec(path);
    if (!m) return null;
    const missing = { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
    const repo = lookup(state.repos, `${m[1]}/${m[2]}`);
    if (!repo || !canSeeRepo(v, repo)) return missing;
    const rest = m[4].split('/').map(decodeURIComponent);
    if (m[3] === 'raw') {
      // The ref may itself contain "/": take the longest prefix that resolves.
      for (let i = rest.length - 1; i > 0; i--) {
        const files = filesAt(repo, rest.slice(0, i).join('/'));
        const file = files?.[rest.slice(i).join('/')];
        if (file !== undefined)
          return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: file };
      }
      return missing;
    }
    const name = rest.pop();
    const release = repo.releases.find((r) => r.tag_name === rest.join('/') && !r.draft);
    const asset = release?.assets.find((a) => a.name === name);
    if (!asset || asset.content_base64 === null) return missing;
    asset.download_count += 1;
    return {
      status: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from(asset.content_base64, 'base64')
    };
  }

  /** Control endpoints for standalone use; outside the request log and fault injection. */
  function control(method, path, raw) {
    if (method === 'POST' && path === `${CONTROL}faults`) {
      const next = JSON.parse(raw.toString('utf8') || '[]');
      if (!Array.isArray(next)) return { status: 400, body: { message: 'expected a JSON array of faults' } };
      server.setFaults(next);
      return { status: 204 };
    }
    if (method === 'GET' && path === `${CONTROL}requests`) return { status: 200, body: server.requests };
    if (method === 'GET' && path === `${CONTROL}state`) return { status: 200, body: state };
    return { status: 404, body: { message: `unknown control endpoint ${method} ${path}` } };
  }

  const server = await startServer(handle, { port, latencyMs, faults, name: 'github', controlPrefix: CONTROL });
  base = server.url;
  return { ...server, graphqlUrl: `${server.url}/graphql`, state };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args.world !== 'string') {
    process.stderr.write('usage: server.mjs --world FILE [--port 0] [--latency MS]\n');
    process.exit(2);
  }
  const fake = await startFakeGitHub({
    world: JSON.parse(readFileSync(args.world, 'utf8')),
    port: Number(args.port ?? 0),
    latencyMs: Number(args.latency ?? 0)
  });
  process.stdout.write(`${fake.url}\n`);
  runUntilSignalled(fake);
}
