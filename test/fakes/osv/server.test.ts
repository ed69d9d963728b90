import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_BATCH_QUERIES, startFakeOSV } from './server.mjs';
import { compareSemverParsed, parseSemver } from './match.mjs';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const examplePath = path.join(repoRoot, 'test/fakes/osv/example-vulns.json');
const example = JSON.parse(readFileSync(examplePath, 'utf8'));

type Json = Record<string, any>;
const post = async (url: string, body: unknown) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  });
  return { status: res.status, body: (await res.json()) as Json };
};
const pkg = (name: string, version?: string, ecosystem = 'PyPI') => ({
  package: { name, ecosystem },
  ...(version ? { version } : {})
});

describe('OSV fake on the example records', () => {
  let fake: Awaited<ReturnType<typeof startFakeOSV>>;
  beforeAll(async () => {
    fake = await startFakeOSV({ vulns: example });
  });
  afterAll(() => fake.close());

  const ids = async (...queries: unknown[]) => {
    const { status, body } = await post(`${fake.url}/v1/querybatch`, { queries });
    expect(status).toBe(200);
    return (body.results as Json[]).map((r) => (r.vulns ?? []).map((v: Json) => v.id));
  };

  it('answers a batch in query order with only ids and modified, `{}` for no hits', async () => {
    const { body } = await post(`${fake.url}/v1/querybatch`, {
      queries: [pkg('jinja2', '3.1.2'), pkg('jinja2', '3.1.3'), { commit: '9cdf439db52b66447b4e37c61179d54fad6c8f33' }]
    });
    expect(body).toEqual({
      results: [
        { vulns: [{ id: 'GHSA-h5c8-rqwp-cp95', modified: '2024-01-11T15:20:48Z' }] },
        {},
        { vulns: [{ id: 'OSV-2099-1', modified: '2099-01-01T00:00:00Z' }] }
      ]
    });
  });

  it('matches PyPI names PEP 503-normalised on both sides', async () => {
    expect(await ids(pkg('Jinja2', '3.0.0'), pkg('Example.Typosquat', '0.0.1'), pkg('EXAMPLE_PKG', '1.0'))).toEqual([
      ['GHSA-h5c8-rqwp-cp95'],
      ['MAL-2099-1'],
      ['PYSEC-2099-1', 'PYSEC-2099-2']
    ]);
  });

  it('reports MAL- records for listed versions and for introduced-0 ranges', async () => {
    expect(
      await ids(pkg('example-miner', '8.3.41'), pkg('example-miner', '8.3.43'), pkg('example-typosquat', '99.0'))
    ).toEqual([['MAL-2099-2'], [], ['MAL-2099-1']]);
  });

  it('returns withdrawn records (clients must drop them) with their withdrawn date on fetch', async () => {
    expect(await ids(pkg('example-pkg', '1.5'))).toEqual([['PYSEC-2099-1']]);
    const res = await fetch(`${fake.url}/v1/vulns/PYSEC-2099-1`);
    expect(((await res.json()) as Json).withdrawn).toBe('2099-01-02T00:00:00Z');
  });

  it('evaluates ECOSYSTEM ranges for PyPI in PEP 440 order (pre, post, dev, last_affected)', async () => {
    const versions = [
      '1.0a0',
      '1.0a1',
      '1.0',
      '1.0.post0',
      '1.0.post1.dev0',
      '1.0.post1',
      '2.0.dev0',
      '2.0rc1',
      '2.1',
      '2.1.0',
      '2.1.post1'
    ];
    const hit2 = (await ids(...versions.map((v) => pkg('example-pkg', v)))).map((r) => r.includes('PYSEC-2099-2'));
    expect(Object.fromEntries(versions.map((v, i) => [v, hit2[i]]))).toEqual({
      '1.0a0': false,
      '1.0a1': true,
      '1.0': true,
      '1.0.post0': true,
      '1.0.post1.dev0': true,
      '1.0.post1': false,
      '2.0.dev0': true,
      '2.0rc1': true,
      '2.1': true,
      '2.1.0': true,
      '2.1.post1': false
    });
  });

  it('evaluates GitHub Actions and SEMVER ranges in SemVer order', async () => {
    expect(
      await ids(
        pkg('tj-actions/changed-files', '45.0.7', 'GitHub Actions'),
        pkg('tj-actions/changed-files', 'v46.0.1', 'GitHub Actions'),
        pkg('example-semver', '1.0.0-beta', 'npm'),
        pkg('example-semver', '1.0.0-rc.1', 'npm'),
        pkg('example-semver', '1.2.0+build.5', 'npm'),
        pkg('example-semver', '1.2.1', 'npm')
      )
    ).toEqual([['GHSA-mrrh-fwg8-r2c3'], [], [], ['GHSA-2099-semv-er01'], ['GHSA-2099-semv-er01'], []]);
  });

  it('tolerates malformed records (empty events, affected without ranges)', async () => {
    expect(await ids(pkg('example-quirky', '1.2'), pkg('example-quirky', '0.9'))).toEqual([['PYSEC-2099-3'], []]);
  });

  it('matches commits only where the GIT range says the commit is affected', async () => {
    expect(
      await ids(
        { commit: '9CDF439DB52B66447B4E37C61179D54FAD6C8F33' },
        { commit: '97319697c8f9f6ff27b32589947e1918e3015503' }
      )
    ).toEqual([['OSV-2099-1'], []]);
  });

  it('rejects the whole batch for an unknown or miscased ecosystem, as OSV does', async () => {
    const { status, body } = await post(`${fake.url}/v1/querybatch`, {
      queries: [pkg('jinja2', '3.1.2'), pkg('jinja2', '3.1.2', 'pypi')]
    });
    expect([status, body]).toEqual([400, { code: 3, message: 'Invalid ecosystem.' }]);
  });

  it('allows 1000 queries per batch and refuses 1001', async () => {
    const queries = Array.from({ length: MAX_BATCH_QUERIES }, (_, i) => pkg(`pkg-${i}`, '1.0'));
    const ok = await post(`${fake.url}/v1/querybatch`, { queries });
    expect([ok.status, ok.body.results.length]).toEqual([200, 1000]);
    const tooMany = await post(`${fake.url}/v1/querybatch`, { queries: [...queries, pkg('one-more', '1.0')] });
    expect([tooMany.status, tooMany.body]).toEqual([400, { code: 3, message: 'Too many queries.' }]);
  });

  it('answers an empty batch with an empty message', async () => {
    expect(await post(`${fake.url}/v1/querybatch`, { queries: [] })).toEqual({ status: 200, body: {} });
  });

  it('returns full records from /v1/query and /v1/vulns, and OSV’s 404 for unknown ids', async () => {
    const { body } = await post(`${fake.url}/v1/query`, pkg('jinja2', '3.1.2'));
    expect(body).toEqual({ vulns: [example[0]] });
    expect(await post(`${fake.url}/v1/query`, pkg('jinja2', '3.1.3'))).toEqual({ status: 200, body: {} });
    // Without a version: every record for the package.
    expect((await post(`${fake.url}/v1/query`, pkg('example-pkg'))).body.vulns.map((v: Json) => v.id)).toEqual([
      'PYSEC-2099-1',
      'PYSEC-2099-2'
    ]);
    const known = await fetch(`${fake.url}/v1/vulns/MAL-2099-2`);
    expect(await known.json()).toEqual(example[3]);
    const unknown = await fetch(`${fake.url}/v1/vulns/GHSA-0000-0000-0000`);
    expect([unknown.status, await unknown.json()]).toEqual([404, { code: 5, message: 'Bug not found.' }]);
  });

  it('accepts PyPI purls and refuses what OSV refuses', async () => {
    expect((await post(`${fake.url}/v1/query`, { package: { purl: 'pkg:pypi/jinja2@3.1.2' } })).body.vulns[0].id).toBe(
      'GHSA-h5c8-rqwp-cp95'
    );
    expect(await post(`${fake.url}/v1/query`, { package: { purl: 'pkg:cargo/foo@1.0.0' } })).toEqual({
      status: 200,
      body: {}
    });
    const cases: [unknown, string][] = [
      [{ package: { purl: 'pkg:pypi/jinja2', name: 'jinja2' } }, 'name specified in a PURL query'],
      [{ package: { purl: 'pkg:pypi/jinja2@3.1.2' }, version: '3.1.2' }, 'version specified in params and PURL query'],
      [{ package: { name: 'jinja2' } }, 'Invalid query.'],
      [{ commit: 'not-hex' }, 'Invalid hash.'],
      [{ ...pkg('jinja2', '3.1.2'), page_token: 'garbage' }, 'Invalid page token.']
    ];
    for (const [query, message] of cases) {
      expect(await post(`${fake.url}/v1/query`, query)).toEqual({ status: 400, body: { code: 3, message } });
    }
    expect((await post(`${fake.url}/v1/query`, { commit: 'ab', version: '1' })).status).toBe(400);
  });

  it('counts requests per route, faulted ones included', async () => {
    const before = fake.counts();
    fake.setFaults([{ match: 'POST /v1/querybatch', status: 503, times: 1 }]);
    expect((await post(`${fake.url}/v1/querybatch`, { queries: [] })).status).toBe(503);
    await post(`${fake.url}/v1/querybatch`, { queries: [] });
    await fetch(`${fake.url}/v1/vulns/MAL-2099-1`);
    fake.setFaults([]);
    const after = fake.counts();
    expect([after.querybatch - before.querybatch, after.vulns - before.vulns, after.query - before.query]).toEqual([
      2, 1, 0
    ]);
  });
});

describe('OSV pagination', () => {
  const many = (name: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `PYSEC-${name}-${i}`,
      modified: '2099-01-01T00:00:00Z',
      affected: [
        { package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }
      ]
    }));

  it('pages one query and resumes from next_page_token', async () => {
    const fake = await startFakeOSV({ vulns: many('paged', 5), pageSize: 2 });
    try {
      const seen: string[] = [];
      let token: string | undefined;
      let requests = 0;
      do {
        const { body } = await post(`${fake.url}/v1/query`, {
          ...pkg('paged', '1.0'),
          ...(token ? { page_token: token } : {})
        });
        seen.push(...body.vulns.map((v: Json) => v.id));
        token = body.next_page_token;
        requests++;
      } while (token);
      expect([requests, seen]).toEqual([3, many('paged', 5).map((v) => v.id)]);
    } finally {
      await fake.close();
    }
  });

  it('cuts each query at 5 hits once the batch has returned more than the batch threshold', async () => {
    const fake = await startFakeOSV({
      vulns: [...many('a', 8), ...many('b', 8), ...many('c', 1)],
      pageSize: 10,
      batchThreshold: 3
    });
    try {
      const { body } = await post(`${fake.url}/v1/querybatch`, {
        queries: [pkg('a', '1'), pkg('b', '1'), pkg('c', '1')]
      });
      expect(body.results.map((r: Json) => [r.vulns.length, Boolean(r.next_page_token)])).toEqual([
        [5, true],
        [5, true],
        [1, false]
      ]);
      // The next request carries page_token only for the queries that returned one.
      const next = await post(`${fake.url}/v1/querybatch`, {
        queries: [
          { ...pkg('a', '1'), page_token: body.results[0].next_page_token },
          { ...pkg('b', '1'), page_token: body.results[1].next_page_token }
        ]
      });
      expect(next.body.results.map((r: Json) => r.vulns.map((v: Json) => v.id.split('-').at(-1)))).toEqual([
        ['5', '6', '7'],
        ['5', '6', '7']
      ]);
      const bad = await post(`${fake.url}/v1/querybatch`, {
        queries: [pkg('a', '1'), { ...pkg('b', '1'), page_token: '!!' }]
      });
      expect(bad).toEqual({ status: 400, body: { code: 3, message: 'Invalid page token at index: 1.' } });
    } finally {
      await fake.close();
    }
  });
});

describe('OSV commit queries beyond the range endpoints', () => {
  it('matches commits a test lists for a record, as OSV’s repository walk would', async () => {
    const inside = '1111111111111111111111111111111111111111';
    const fake = await startFakeOSV({ vulns: example, affectedCommits: { 'OSV-2099-1': [inside] } });
    try {
      const { body } = await post(`${fake.url}/v1/querybatch`, {
        queries: [{ commit: inside }, { commit: '2'.repeat(40) }]
      });
      expect(body).toEqual({ results: [{ vulns: [{ id: 'OSV-2099-1', modified: '2099-01-01T00:00:00Z' }] }, {}] });
    } finally {
      await fake.close();
    }
  });
});

describe('SemVer order used for SEMVER and GitHub Actions ranges', () => {
  it('follows semver.org precedence, with OSV’s leniency for "v" and short versions', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.10.0',
      '2.0.0'
    ];
    const parsed = ordered.map((v) => parseSemver(v)!);
    parsed.forEach((a, i) => parsed.forEach((b, j) => expect(compareSemverParsed(a, b)).toBe(Math.sign(i - j))));
    expect(compareSemverParsed(parseSemver('v1.2')!, parseSemver('1.2.0')!)).toBe(0);
    expect(compareSemverParsed(parseSemver('1.0.0+build.1')!, parseSemver('1.0.0')!)).toBe(0);
    expect(parseSemver('not-a-version')).toBeNull();
  });
});

describe('standalone OSV fake', () => {
  it('prints its URL first and answers queries from a records file', async () => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'test/fakes/osv/server.mjs'), '--vulns', examplePath, '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'inherit']
      }
    );
    try {
      const first = (await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value as string;
      expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { body } = await post(`${first}/v1/querybatch`, { queries: [pkg('example-miner', '8.3.42')] });
      expect(body.results[0].vulns[0].id).toBe('MAL-2099-2');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
