// Shared plumbing for the loopback fakes: an HTTP server bound to 127.0.0.1 with
// a request log, injected latency and injected faults. Each fake (GitHub, PyPI,
// OSV, Sigstore) adds its own routes on top; the fault model is the same for all
// so tests describe failures one way.
import http from 'node:http';

/**
 * @typedef {object} Fault
 * @property {string} [match]   "METHOD /path/prefix*" or a RegExp source; all requests when absent
 * @property {number} [times]   how many matching requests to fail (default: every one)
 * @property {number} [status]  HTTP status to answer with
 * @property {Record<string,string>} [headers] extra response headers (e.g. retry-after)
 * @property {unknown} [body]   JSON body for the fault response
 * @property {'truncate'|'reset'|'hang'} [kind] truncate: send half the real body; reset: destroy the socket; hang: never answer
 * @property {number} [latencyMs] extra delay for matching requests (no failure)
 */

/** Does `fault.match` select this request? */
export function faultMatches(fault, method, path) {
  if (!fault.match) return true;
  const m = /^([A-Z]+)\s+(.*)$/.exec(fault.match);
  const [fm, fp] = m ? [m[1], m[2]] : [null, fault.match];
  if (fm && fm !== method) return false;
  if (fp.endsWith('*')) return path.startsWith(fp.slice(0, -1));
  if (fp.startsWith('^')) return new RegExp(fp).test(path);
  return path === fp;
}

/**
 * Starts a loopback server. `handle(req, url, body)` returns
 * `{ status, headers?, body? }` (body: object → JSON, string/Buffer → raw).
 * Paths under `controlPrefix` (a fake's own control endpoints) are neither
 * logged nor subject to latency and faults, so a test can always reach them.
 * Returns { url, port, requests, setFaults, addFault, close }.
 */
export async function startServer(handle, { port = 0, latencyMs = 0, faults = [], name = 'fake', controlPrefix } = {}) {
  /** @type {{method:string,path:string,query:string,headers:Record<string,string|string[]|undefined>,status?:number}[]} */
  const requests = [];
  let active = faults.map((f) => ({ ...f }));
  const sockets = new Set();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks);
    const entry = { method: req.method ?? 'GET', path: url.pathname, query: url.search, headers: req.headers };
    const control = controlPrefix !== undefined && url.pathname.startsWith(controlPrefix);
    if (!control) requests.push(entry);

    let delay = control ? 0 : latencyMs;
    let fault;
    for (const f of control ? [] : active) {
      if (!faultMatches(f, entry.method, entry.path)) continue;
      if (f.latencyMs) delay += f.latencyMs;
      if ((f.status || f.kind) && (f.times === undefined || f.times > 0)) {
        fault = f;
        if (f.times !== undefined) f.times -= 1;
        break;
      }
    }
    if (delay) await new Promise((r) => setTimeout(r, delay));

    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'hang') return;
    let result;
    if (fault?.status) {
      result = {
        status: fault.status,
        headers: fault.headers,
        body: fault.body ?? { message: `${name}: injected fault` }
      };
    } else {
      try {
        result = await handle(req, url, raw);
      } catch (e) {
        result = { status: 500, body: { message: `${name} error: ${e instanceof Error ? e.message : String(e)}` } };
      }
    }
    entry.status = result.status;
    let payload = result.body;
    const headers = { ...(result.headers ?? {}) };
    if (payload !== undefined && !Buffer.isBuffer(payload) && typeof payload !== 'string') {
      payload = JSON.stringify(payload);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    if (fault?.kind === 'truncate' && payload !== undefined) {
      const buf = Buffer.from(payload);
      headers['content-length'] = String(buf.length);
      res.writeHead(result.status, headers);
      res.write(buf.subarray(0, Math.floor(buf.length / 2)));
      return void res.destroy();
    }
    res.writeHead(result.status, headers);
    res.end(payload);
  });
  // Clients reuse idle keep-alive sockets; on a loaded machine a 5 s server
  // timeout (Node's default) can close one just as a request is sent on it
  // (ECONNRESET). close() destroys the sockets, so a long timeout costs nothing.
  server.keepAliveTimeout = 120_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${addr.port}`,
    port: addr.port,
    requests,
    /** Replace the active faults. */
    setFaults(next) {
      active = next.map((f) => ({ ...f }));
    },
    addFault(f) {
      active.push({ ...f });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    }
  };
}

/** Parses `--name value` pairs of a standalone fake's command line. */
export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[key] = true;
    else out[key] = argv[++i];
  }
  return out;
}

/** Keeps a standalone fake alive until SIGINT/SIGTERM, then closes it. */
export function runUntilSignalled(fake) {
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
