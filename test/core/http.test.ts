// The core HTTP client and concurrency helper, against the fake PyPI's fault model.
import { describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, createServer } from 'node:net';
import { redact } from '../../packages/core/src/errors';
import { HttpClient, ServiceError } from '../../packages/core/src/http';
import { mapLimit } from '../../packages/core/src/limit';
import { useExamplePyPI } from './helpers';

const fake = useExamplePyPI();

const SIMPLE = '/simple/example-pkg/';
const AS_JSON = { headers: { accept: 'application/vnd.pypi.simple.v1+json' } };
const client = (opts: ConstructorParameters<typeof HttpClient>[1] = {}) =>
  new HttpClient('PyPI', { backoffMs: 1, ...opts });
const seen = (path: string) => fake().requests.filter((r) => r.path === path).length;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a ServiceError');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(ServiceError);
      return e as ServiceError;
    }
  );

describe('HttpClient', () => {
  it('parses JSON, sends the user agent and headers given, and counts requests', async () => {
    const http = client({ userAgent: 'security-actions test' });
    const before = fake().requests.length;
    const res = await http.json<{ name: string }>(`${fake().url}${SIMPLE}`, {
      headers: { accept: 'application/vnd.pypi.simple.v1+json' }
    });
    expect(res).toEqual({ status: 200, body: expect.objectContaining({ name: 'example-pkg' }) });
    expect(http.requests).toBe(1);
    const sent = fake().requests.slice(before);
    expect(sent.map((r) => [r.method, r.path, r.headers['user-agent'], r.headers.accept])).toEqual([
      ['GET', SIMPLE, 'security-actions test', 'application/vnd.pypi.simple.v1+json']
    ]);
  });

  it('follows redirects (PEP 503 name normalisation)', async () => {
    const res = await client().json<{ name: string }>(`${fake().url}/simple/Example_Pkg/`, AS_JSON);
    expect(res.body?.name).toBe('example-pkg');
  });

  it('returns an accepted status without a body and throws on any other', async () => {
    expect(await client().json(`${fake().url}/pypi/nothing-here/json`, { accept: [404] })).toEqual({
      status: 404,
      body: undefined
    });
    const e = await failure(client().json(`${fake().url}/pypi/nothing-here/json`));
    expect([e.status, e.message]).toEqual([404, 'PyPI answered 404 for /pypi/nothing-here/json']);
  });

  it('retries 5xx with backoff and succeeds when the service recovers', async () => {
    fake().setFaults([{ match: `GET ${SIMPLE}`, status: 503, times: 2 }]);
    const before = seen(SIMPLE);
    const http = client({ retries: 2 });
    expect((await http.json(`${fake().url}${SIMPLE}`, AS_JSON)).status).toBe(200);
    expect(seen(SIMPLE) - before).toBe(3);
    expect(http.requests).toBe(3);
  });

  it('gives up after the bounded retries with the status in the reason', async () => {
    fake().setFaults([{ match: `GET ${SIMPLE}`, status: 502 }]);
    const before = seen(SIMPLE);
    const e = await failure(client({ retries: 1 }).json(`${fake().url}${SIMPLE}`, AS_JSON));
    expect([e.status, e.message]).toEqual([502, `PyPI answered 502 for ${SIMPLE}; gave up after 2 attempts`]);
    expect(seen(SIMPLE) - before).toBe(2);
  });

  it('does not retry a client error', async () => {
    fake().setFaults([{ match: `GET ${SIMPLE}`, status: 403 }]);
    const before = seen(SIMPLE);
    await failure(client({ retries: 2 }).json(`${fake().url}${SIMPLE}`, AS_JSON));
    expect(seen(SIMPLE) - before).toBe(1);
  });

  it('waits out a short Retry-After and refuses a long one at once', async () => {
    fake().setFaults([{ match: `GET ${SIMPLE}`, status: 429, times: 1, headers: { 'retry-after': '0' } }]);
    expect((await client().json(`${fake().url}${SIMPLE}`, AS_JSON)).status).toBe(200);
    fake().setFaults([{ match: `GET ${SIMPLE}`, status: 429, headers: { 'retry-after': '3600' } }]);
    const before = seen(SIMPLE);
    const e = await failure(client({ retries: 2 }).json(`${fake().url}${SIMPLE}`, AS_JSON));
    expect([e.status, e.message]).toEqual([
      429,
      `PyPI answered 429 (too many requests) for ${SIMPLE} and asked to wait 3600 s; gave up after the 30 s cap`
    ]);
    expect(seen(SIMPLE) - before).toBe(1);
  });

  it('caps the wait a 503 asks for as it caps a 429, in seconds or as an HTTP date', async () => {
    for (const retryAfter of ['3600', new Date(Date.now() + 3_600_000).toUTCString()]) {
      fake().setFaults([{ match: `GET ${SIMPLE}`, status: 503, headers: { 'retry-after': retryAfter } }]);
      const before = seen(SIMPLE);
      const started = Date.now();
      const e = await failure(client({ retries: 2 }).json(`${fake().url}${SIMPLE}`, AS_JSON));
      expect(e.status).toBe(503);
      expect(e.message).toMatch(
        new RegExp(`^PyPI answered 503 for ${SIMPLE} and asked to wait 3[56]\\d\\d s; gave up after the 30 s cap$`)
      );
      expect(seen(SIMPLE) - before).toBe(1);
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });

  it('waits at most its budget over all requests, then says it gave up', async () => {
    fake().setFaults([{ match: `GET ${SIMPLE}`, status: 503, headers: { 'retry-after': '1' } }]);
    const http = client({ retries: 5, maxTotalWaitSeconds: 1 });
    const before = seen(SIMPLE);
    const e = await failure(http.json(`${fake().url}${SIMPLE}`, AS_JSON));
    expect(e.message).toBe(
      `PyPI answered 503 for ${SIMPLE}; gave up rather than wait again (1 s of the 1 s budget for waits already spent)`
    );
    expect(seen(SIMPLE) - before).toBe(2);
    expect(http.waitedSeconds).toBe(1);
  });

  it('sends the credentials of a URL as Basic authorization, never in a message', async () => {
    fake().setFaults([{ match: `GET ${SIMPLE}`, status: 502 }]);
    const url = `${fake().url.replace('http://', 'http://mirror-user:s3cr3t-pw%40x@')}${SIMPLE}?token=tok-value`;
    const before = fake().requests.length;
    const e = await failure(client({ retries: 0 }).json(url, AS_JSON));
    const sent = fake().requests.slice(before);
    expect(sent.map((r) => r.headers.authorization)).toEqual([
      `Basic ${Buffer.from('mirror-user:s3cr3t-pw@x').toString('base64')}`
    ]);
    expect(e.message).toBe(`PyPI answered 502 for ${SIMPLE}; gave up after 1 attempt`);
    expect(redact(`${url} ${sent[0].headers.authorization}`)).not.toMatch(/s3cr3t|tok-value|bWlycm9y/);
  });

  it('says in words why a service could not be reached', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const closed = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.close();
    const e = await failure(client({ retries: 0 }).json(`${closed}/pypi/x/json`));
    expect(e.message).toBe('PyPI request failed (the connection was refused) at /pypi/x/json; gave up after 1 attempt');
  });

  it('reports malformed JSON, a reset connection and a timeout as ServiceErrors', async () => {
    fake().setFaults([{ match: `GET ${SIMPLE}`, status: 200, body: '{"files": [' }]);
    expect((await failure(client().json(`${fake().url}${SIMPLE}`, AS_JSON))).message).toBe(
      `PyPI returned malformed JSON from ${SIMPLE} (11 bytes)`
    );
    fake().setFaults([{ match: `GET ${SIMPLE}`, kind: 'reset' }]);
    expect((await failure(client({ retries: 1 }).json(`${fake().url}${SIMPLE}`, AS_JSON))).message).toMatch(
      /^PyPI request failed \(the connection was closed before the answer was complete\) at \/simple\/example-pkg\/; gave up after 2 attempts$/
    );
    fake().setFaults([{ match: `GET ${SIMPLE}`, kind: 'hang' }]);
    expect(
      (await failure(client({ retries: 0, timeoutMs: 100 }).json(`${fake().url}${SIMPLE}`, AS_JSON))).message
    ).toBe(`PyPI request failed (timed out after 100 ms) at ${SIMPLE}; gave up after 1 attempt`);
  });

  it('goes through the proxy HTTP_PROXY names, and straight to a host NO_PROXY lists', async () => {
    // A forward proxy as corporate runners have: CONNECT opens a tunnel to the target.
    const tunnels: string[] = [];
    const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, socket, head) => {
      tunnels.push(req.url!);
      const [host, port] = req.url!.split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    const target = new URL(fake().url);
    try {
      process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      delete process.env.NO_PROXY;
      const viaProxy = await client().json<{ name: string }>(`${fake().url}${SIMPLE}`, AS_JSON);
      expect([viaProxy.body?.name, tunnels]).toEqual(['example-pkg', [target.host]]);
      process.env.NO_PROXY = target.hostname;
      const direct = await client().json<{ name: string }>(`${fake().url}${SIMPLE}`, AS_JSON);
      expect([direct.body?.name, tunnels.length]).toEqual(['example-pkg', 1]);
    } finally {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  it('downloads bytes, and refuses a non-2xx download', async () => {
    const simple = await client().json<{ files: { filename: string; url: string }[] }>(
      `${fake().url}${SIMPLE}`,
      AS_JSON
    );
    const sdist = simple.body!.files.find((f) => f.filename === 'example_pkg-1.0.tar.gz')!;
    expect((await client().bytes(sdist.url)).toString('utf8')).toBe('example 1.0 sdist');
    expect((await failure(client().bytes(`${fake().url}/packages/no/such/file.whl`))).status).toBe(404);
  });
});

describe('mapLimit', () => {
  it('keeps the order of the items and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([50, 10, 30, 0, 20, 40], 2, async (ms, i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return `${i}:${ms}`;
    });
    expect(out).toEqual(['0:50', '1:10', '2:30', '3:0', '4:20', '5:40']);
    expect(most).toBe(2);
  });

  it('rejects with the first error', async () => {
    await expect(
      mapLimit([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('two failed');
        return n;
      })
    ).rejects.toThrow('two failed');
  });
});
