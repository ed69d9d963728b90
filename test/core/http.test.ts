// The core HTTP client and concurrency helper, against the fake PyPI's fault model.
import { describe, expect, it } from '@jest/globals';
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
    expect([e.status, e.message]).toEqual([502, `PyPI answered 502 for ${SIMPLE}`]);
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
    expect([e.status, e.message]).toEqual([429, 'PyPI rate limit (429, retry after 3600s)']);
    expect(seen(SIMPLE) - before).toBe(1);
  });

  it('reports malformed JSON, a reset connection and a timeout as ServiceErrors', async () => {
    fake().setFaults([{ match: `GET ${SIMPLE}`, status: 200, body: '{"files": [' }]);
    expect((await failure(client().json(`${fake().url}${SIMPLE}`, AS_JSON))).message).toBe(
      `PyPI returned malformed JSON from ${SIMPLE} (11 bytes)`
    );
    fake().setFaults([{ match: `GET ${SIMPLE}`, kind: 'reset' }]);
    expect((await failure(client({ retries: 1 }).json(`${fake().url}${SIMPLE}`, AS_JSON))).message).toMatch(
      /^PyPI request failed \(.+\) at \/simple\/example-pkg\/$/
    );
    fake().setFaults([{ match: `GET ${SIMPLE}`, kind: 'hang' }]);
    expect(
      (await failure(client({ retries: 0, timeoutMs: 100 }).json(`${fake().url}${SIMPLE}`, AS_JSON))).message
    ).toBe(`PyPI timed out after 100 ms at ${SIMPLE}`);
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
