import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpClient, ServiceError } from '@security-actions/core';
import {
  OsvClient,
  type OsvRecord,
  type OsvTarget,
  evaluate,
  lookupVulnerabilities
} from '../../actions/verify-deps/src/osv';
import { verifyDeps } from '../../actions/verify-deps/src/engine';
import { EMPTY_POLICY, type Policy, parsePolicyFile } from '../../actions/verify-deps/src/policy';
import { comparePep440, compareSemver } from '../../actions/verify-deps/src/versions';
import { startFakeOSV } from '../fakes/osv/server.mjs';
import { expectFires, expectQuiet } from '../helpers/rules';
import { reported, workflow } from './worlds';
import { ALL } from '../fixtures/pep440-versions';

const VULNS = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '..', 'fakes', 'osv', 'example-vulns.json'), 'utf8')
);
const pypi = (name: string, version: string): OsvTarget => ({ ecosystem: 'PyPI', name, versions: [version] });

describe("PEP 440 ordering against packaging's test vectors", () => {
  it('orders every pair as packaging does', () => {
    const wrong: string[] = [];
    for (let i = 0; i < ALL.length; i++) {
      for (let j = 0; j < ALL.length; j++) {
        const want = Math.sign(i - j);
        const got = Math.sign(comparePep440(ALL[i], ALL[j]));
        if (got !== want) wrong.push(`${ALL[i]} vs ${ALL[j]}: ${got}, want ${want}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('OSV range evaluation', () => {
  const rec = (events: Record<string, string>[], name = 'pkg'): OsvRecord => ({
    id: 'X-1',
    affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events }] }]
  });
  it.each([
    // The exclusive-operator cases where @renovatebot/pep440's satisfies() disagrees with packaging.
    [[{ introduced: '1.0.dev456' }], '1.0', true],
    [[{ introduced: '0' }, { last_affected: '2.0.post1' }], '2.0.post2', false],
    [[{ introduced: '0' }, { last_affected: '2.0.post1' }], '2.0.post1', true],
    [[{ introduced: '1.0' }, { fixed: '2.0' }], '1!1.0', false],
    [[{ introduced: '1.0' }, { fixed: '2.0' }], '2.0rc1', true],
    [[{ introduced: '1.0' }, { fixed: '2.0' }], '2.0', false],
    [[{ introduced: '1.0' }, { fixed: '2.0' }], '0.9', false],
    [[{ fixed: '3.0' }, { introduced: '2.0' }, { introduced: '0' }, { fixed: '1.0' }], '2.5', true], // unsorted, two intervals
    [[{ fixed: '3.0' }, { introduced: '2.0' }, { introduced: '0' }, { fixed: '1.0' }], '1.5', false],
    [[{ introduced: '0' }, { limit: '1.5' }], '1.5', false]
  ] as [Record<string, string>[], string, boolean][])('%j affects %s: %s', (events, version, affected) => {
    expect(evaluate(rec(events), pypi('pkg', version)).hits.length > 0).toBe(affected);
  });
  it('names normalised package names equal and reports the fix', () => {
    const v = evaluate(rec([{ introduced: '0' }, { fixed: '1.4' }], 'My_Pkg'), pypi('my-pkg', '1.3'));
    expect(v.hits).toEqual([{ version: '1.3', fixed: ['1.4'] }]);
  });
  it('never calls an unevaluable record "not affected"', () => {
    const git: OsvRecord = {
      id: 'X-2',
      affected: [
        { package: { ecosystem: 'PyPI', name: 'pkg' }, ranges: [{ type: 'GIT', events: [{ introduced: 'abc' }] }] }
      ]
    };
    expect(evaluate(git, pypi('pkg', '1.0')).problem).toMatch(/no version list or evaluable range/);
    expect(evaluate(rec([{ introduced: 'not a version!' }]), pypi('pkg', '1.0')).problem).toMatch(
      /not a valid version/
    );
    expect(evaluate(rec([{ introduced: '0' }]), pypi('pkg', 'garbage version')).problem).toMatch(/cannot be ordered/);
  });
  it('orders action tags as lenient SemVer', () => {
    expect(compareSemver('v45.0.7', '46.0.1')).toBeLessThan(0);
    expect(compareSemver('v1.2', '1.2.0')).toBe(0);
    expect(compareSemver('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
    expect(compareSemver('1.0.0-rc.2', '1.0.0-rc.10')).toBeLessThan(0);
  });
});

describe('OSV client against the fake OSV', () => {
  let osv: {
    url: string;
    close(): Promise<void>;
    setFaults(f: unknown[]): void;
    counts(): { querybatch: number; vulns: number };
  };
  beforeAll(async () => {
    osv = await startFakeOSV({ vulns: VULNS, pageSize: 2, batchThreshold: 3 });
  });
  afterAll(() => osv.close());
  const client = () => new OsvClient(osv.url, new HttpClient('OSV', { retries: 1, backoffMs: 1 }));

  it('finds vulnerabilities and malware, skips withdrawn records, tolerates malformed ones', async () => {
    const targets = [
      pypi('jinja2', '3.1.2'),
      pypi('jinja2', '3.1.3'),
      pypi('example-miner', '8.3.41'),
      pypi('example-pkg', '1.0'),
      pypi('example-pkg', '2.1'),
      pypi('example-pkg', '2.1.post1'),
      pypi('example-quirky', '1.2'),
      { ecosystem: 'GitHub Actions' as const, name: 'tj-actions/changed-files', versions: ['v45.0.7'] },
      { ecosystem: 'GitHub Actions' as const, name: 'tj-actions/changed-files', versions: ['v46.0.1'] }
    ];
    const r = await lookupVulnerabilities(client(), targets);
    const hits = r.hits.map((h) => `${h.target.name}@${h.version}:${h.record.id}`).sort();
    expect(hits).toEqual([
      'example-miner@8.3.41:MAL-2099-2',
      'example-pkg@1.0:PYSEC-2099-2',
      'example-pkg@2.1:PYSEC-2099-2',
      'example-quirky@1.2:PYSEC-2099-3',
      'jinja2@3.1.2:GHSA-h5c8-rqwp-cp95',
      'tj-actions/changed-files@v45.0.7:GHSA-mrrh-fwg8-r2c3'
    ]);
    expect(r.hits.find((h) => h.record.id === 'GHSA-h5c8-rqwp-cp95')!.fixed).toEqual(['3.1.3']);
  });

  it('sends ceil(n/1000) batches, follows pages, and fetches each advisory once', async () => {
    const before = osv.counts();
    const targets = Array.from({ length: 2500 }, (_, i) =>
      pypi(i % 2 ? 'jinja2' : `pkg-${i}`, i % 2 ? '3.1.2' : '1.0')
    );
    const r = await lookupVulnerabilities(client(), targets);
    const after = osv.counts();
    expect(r.hits).toHaveLength(1250);
    expect(after.vulns - before.vulns).toBe(1);
    expect(after.querybatch - before.querybatch).toBe(3);
  });

  it('follows next_page_token for the queries that have one', async () => {
    const small = await startFakeOSV({ vulns: VULNS, pageSize: 1 });
    try {
      const r = await lookupVulnerabilities(new OsvClient(small.url, new HttpClient('OSV', { retries: 0 })), [
        pypi('example-pkg', '1.0'),
        pypi('jinja2', '3.1.2')
      ]);
      expect(r.hits.map((h) => h.record.id).sort()).toEqual(['GHSA-h5c8-rqwp-cp95', 'PYSEC-2099-2']);
      expect(r.advisories).toBe(3); // PYSEC-2099-1 (withdrawn) was listed on the second page and read, then skipped
      expect(small.counts().querybatch).toBe(2);
    } finally {
      await small.close();
    }
  });

  it('fails closed on 5xx, 429 and truncated JSON', async () => {
    for (const fault of [{ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }, { kind: 'truncate' }]) {
      osv.setFaults([{ match: 'POST /v1/querybatch', ...fault }]);
      await expect(lookupVulnerabilities(client(), [pypi('jinja2', '3.1.2')])).rejects.toBeInstanceOf(ServiceError);
    }
    osv.setFaults([]);
  });

  it('keeps the other findings when one advisory cannot be fetched', async () => {
    osv.setFaults([{ match: 'GET /v1/vulns/MAL-2099-2', status: 500 }]);
    try {
      const r = await lookupVulnerabilities(client(), [pypi('jinja2', '3.1.2'), pypi('example-miner', '8.3.41')]);
      expect(r.hits.map((h) => h.record.id)).toEqual(['GHSA-h5c8-rqwp-cp95']);
      expect(r.problems.map((p) => [p.target.name, p.reason.split(':')[0]])).toEqual([
        ['example-miner', 'advisory MAL-2099-2 could not be fetched']
      ]);
    } finally {
      osv.setFaults([]);
    }
  });
});

describe('verify-deps findings from the fake OSV', () => {
  let osv: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    osv = await startFakeOSV({ vulns: VULNS });
  });
  afterAll(() => osv.close());
  const scan = (requirements: string, uses: string[], policy: Policy = EMPTY_POLICY) =>
    verifyDeps(
      {
        python: [{ path: 'requirements.txt', text: requirements }],
        actions: [{ path: '.github/workflows/ci.yml', text: workflow(uses) }]
      },
      { checks: new Set(['vulnerabilities']), offline: false, provenance: 'off', policy, now: new Date() },
      { osv: new OsvClient(osv.url, new HttpClient('OSV', { retries: 0 })) }
    );
  const AFFECTED = 'jinja2==3.1.2 --hash=sha256:aa\nexample-miner==8.3.41 --hash=sha256:bb\n';

  it('reports vulnerable and malicious pins and a vulnerable action tag; fixed versions are quiet', async () => {
    const hit = await scan(AFFECTED, ['tj-actions/changed-files@v45.0.7']);
    expectFires(hit.findings, 'python/vulnerable', 1);
    expectFires(hit.findings, 'python/malicious', 1);
    expectFires(hit.findings, 'actions/vulnerable', 1);
    expect(hit.findings.find((f) => f.ruleId === 'python/vulnerable')!.properties).toMatchObject({
      advisories: ['GHSA-h5c8-rqwp-cp95', 'CVE-2024-22195'],
      package: 'jinja2'
    });
    const fixed = await scan('jinja2==3.1.3 --hash=sha256:aa\n', ['tj-actions/changed-files@v46.0.1']);
    expectQuiet(fixed.findings, 'python/vulnerable');
    expectQuiet(fixed.findings, 'python/malicious');
    expectQuiet(fixed.findings, 'actions/vulnerable');
    expect(fixed.findings).toEqual([]);
    expect(fixed.notChecked.map((n) => n.check)).toEqual(['provenance']); // no PyPI client for the yanked check
  });

  it('policy ignores match an advisory by id or alias and a package by name; an expired one is noted', async () => {
    const policy = parsePolicyFile(
      [
        'ignore:',
        '  - id: CVE-2024-22195', // an alias of GHSA-h5c8-rqwp-cp95
        '    reason: the sandbox is not used',
        '  - package: TJ-Actions/Changed_Files',
        '    rule: actions/vulnerable',
        '    reason: replaced next sprint',
        '    expires: 2099-12-31',
        '  - id: MAL-2099-2',
        '    reason: expired long ago',
        '    expires: 2020-01-01',
        ''
      ].join('\n'),
      'policy.yml'
    );
    const report = reported(await scan(AFFECTED, ['tj-actions/changed-files@v45.0.7'], policy));
    expect(report.findings.map((f) => [f.ruleId, f.suppression?.source]).sort()).toEqual([
      ['actions/vulnerable', 'policy.yml:4'],
      ['python/malicious', undefined],
      ['python/vulnerable', 'policy.yml:2']
    ]);
    expectQuiet(report.findings, 'python/vulnerable');
    expectFires(report.findings, 'python/malicious', 1);
    expect(report.notes).toContain(
      'The ignore at policy.yml:8 expired on 2020-01-01; its findings are reported again. Renew it with a new date or fix the findings.'
    );
  });
});
