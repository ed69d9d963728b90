// Credentials in URLs never reach an output: the userinfo of any URL and the
// values of query parameters named like credentials are redacted by `redact`,
// which the shared runner applies to the report, the SARIF, the JSON report,
// the summary, annotations, outputs, logs and the failure message.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runAction } from '../../packages/core/src/action';
import { redact } from '../../packages/core/src/errors';
import type { NotChecked } from '../../packages/core/src/findings';
import type { Annotation } from '../../packages/core/src/report';
import { RuleRegistry } from '../../packages/core/src/rules';
import type { ActionRuntime } from '../../packages/core/src/runtime';
import { finding, rule } from './helpers';

// Each secret is unique so a leak names its path.
const SECRETS = ['pw-userinfo-1', 'tok-query-2', 'sig-amz-3', 'key-api-4', 'pat-user-5', 'frag-token-6'];
const URLS = [
  `https://alice:${SECRETS[0]}@files.example.com/pkg-1.0.tar.gz`,
  `https://idx.example.com/simple?token=${SECRETS[1]}&page=2`,
  `https://bucket.s3.amazonaws.com/a.whl?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${SECRETS[2]}`,
  `https://api.example.com/v1?apiKey=${SECRETS[3]}`,
  `git+https://${SECRETS[4]}@github.com/o/r.git@v1`,
  `https://auth.example.com/cb#access_token=${SECRETS[5]}&state=x`
];

describe('redact: URLs', () => {
  it.each(URLS.map((u, i) => [u, SECRETS[i]]))('%s loses its credential', (url, secret) => {
    for (const text of [url, `pkg @ ${url}`, `(${url}).`, `"${url}"`, `--extra-index-url=${url}`]) {
      const out = redact(text);
      expect(out).not.toContain(secret);
      expect(out).toContain('***');
    }
  });

  it('keeps everything that is not a credential', () => {
    expect(redact('pkg @ https://alice:pw-a@files.example.com/p.tar.gz#sha256=ab12')).toBe(
      'pkg @ https://***@files.example.com/p.tar.gz#sha256=ab12'
    );
    expect(redact('see https://h.example/s?token=abc&page=2.')).toBe('see https://h.example/s?token=***&page=2.');
    expect(redact('(https://h.example/?access_token=abc).')).toBe('(https://h.example/?access_token=***).');
    for (const kept of [
      'git+ssh://git@github.com/o/r.git@v1.2',
      'https://github.com/o/r/blob/main/a@b.txt',
      'https://pypi.org/simple/numpy/?format=json',
      'mail me at someone@example.com',
      'actions/checkout@v4 and pkg@1.0'
    ])
      expect(redact(kept)).toBe(kept);
  });

  it('a password with an @ of its own goes whole (the last @ ends the userinfo, as URL parsers read it)', () => {
    expect(redact('https://u:p@ss-9@host.example/x')).toBe('https://***@host.example/x');
  });
});

describe('runAction: no credential of a URL in any output', () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const r of roots) await rm(r, { recursive: true, force: true });
  });

  it('findings, evidence, locations, not-checked reasons, errors, notes, stats and outputs', async () => {
    const root = await mkdtemp(join(tmpdir(), 'redaction-'));
    roots.push(root);
    const printed: string[] = [];
    const annotations: Annotation[] = [];
    const runtime: ActionRuntime = {
      env: { GITHUB_WORKSPACE: root, RUNNER_TEMP: root, 'INPUT_FAIL-ON': 'low' },
      now: () => new Date('2025-06-15T12:00:00Z'),
      setOutput: (n, v) => void printed.push(`${n}=${v}`),
      setFailed: (m) => void printed.push(m),
      appendSummary: async (md) => void printed.push(md),
      annotate: (a) => void annotations.push(a),
      info: (m) => void printed.push(m),
      warning: (m) => void printed.push(m),
      debug: (m) => void printed.push(m)
    };
    const r = rule('python/url-dependency', 'high');
    const all = URLS.join(' ');
    const report = await runAction(
      {
        name: 'verify-deps',
        rules: new RuleRegistry('verify-deps', []),
        async run(ctx) {
          ctx.log(`fetching ${all}`);
          const notChecked: NotChecked[] = [{ check: 'deps/provenance', reason: `no answer from ${all}`, target: all }];
          return {
            rules: [r],
            findings: URLS.map((u, i) =>
              finding(r, {
                message: `installed from ${u}`,
                evidence: u,
                location: { file: 'requirements.txt', line: i + 1 },
                properties: { url: u }
              })
            ),
            notChecked,
            errors: [`requirements.txt:1: cannot read ${all}`],
            notes: [all],
            stats: { index: all },
            target: all,
            outputs: { index: all }
          };
        }
      },
      runtime
    );
    const files = [
      await readFile(join(root, 'verify-deps.sarif'), 'utf8'),
      await readFile(join(root, 'verify-deps-report.json'), 'utf8')
    ];
    const everything = [...printed, JSON.stringify(annotations), JSON.stringify(report), ...files].join('\n');
    // Each channel carried the URLs (redacted), so the check below looks where the secrets would be.
    expect(everything.match(/files\.example\.com/g)?.length).toBeGreaterThan(8);
    for (const s of SECRETS) expect(everything).not.toContain(s);
    expect(annotations).toHaveLength(URLS.length);
  });
});
