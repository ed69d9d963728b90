import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { EMPTY_CONFIG, parseConfig } from '../../packages/core/src/config';
import { buildReport, renderText, writeJsonReport, writeSarif } from '../../packages/core/src/report';
import { finding, report, rule } from './helpers';

const r = rule('deps/no-hash', 'medium');
const rBin = rule('source/opaque-binary', 'high', { pathIgnorable: false });
const opts = (config = EMPTY_CONFIG) => ({
  config,
  today: '2025-06-15',
  startedAt: new Date('2025-06-15T10:00:00Z'),
  finishedAt: new Date('2025-06-15T10:00:01Z')
});

describe('buildReport', () => {
  it('makes repeated fingerprints unique before ignores by fingerprint are matched', () => {
    const same = (line: number) => finding(r, { location: { file: 'requirements.txt', line }, evidence: 'numpy' });
    const first = buildReport('verify-deps', { rules: [r], findings: [same(1), same(5)], notChecked: [] }, opts());
    const [a, b] = first.findings;
    expect(a.fingerprint).not.toBe(b.fingerprint);
    const config = parseConfig(
      `ignores:\n  - fingerprint: ${b.fingerprint}\n    reason: the second one is fine\n`,
      'c.yml'
    );
    const second = buildReport(
      'verify-deps',
      { rules: [r], findings: [same(1), same(5)], notChecked: [] },
      opts(config)
    );
    expect(second.findings.filter((f) => f.suppression).map((f) => f.location?.line)).toEqual([5]);
  });

  it("uses the rules' pathIgnorable flag", () => {
    const config = parseConfig(
      'ignores:\n  - rule: source/opaque-binary\n    path: "**"\n    reason: no binaries matter here\n',
      'c.yml'
    );
    const out = buildReport(
      'x',
      { rules: [rBin], findings: [finding(rBin, { location: { file: 'a.bin' } })], notChecked: [] },
      opts(config)
    );
    expect(out.findings[0].suppression).toBeUndefined();
  });

  it('sorts findings, merges notes, keeps errors, stats and times', () => {
    const config = parseConfig(
      'ignores:\n  - rule: deps/no-hash\n    reason: expired exception\n    expires: 2025-01-01\n',
      'c.yml'
    );
    const out = buildReport(
      'verify-deps',
      {
        rules: [r],
        findings: [finding(r, { severity: 'low', message: 'l' }), finding(r, { severity: 'critical', message: 'c' })],
        notChecked: [],
        notes: ['engine note'],
        errors: ['e1'],
        stats: { files: 3 }
      },
      opts(config)
    );
    expect(out.findings.map((f) => f.message)).toEqual(['c', 'l']);
    expect(out.notes[0]).toBe('engine note');
    expect(out.notes[1]).toContain('c.yml:2');
    expect(out.errors).toEqual(['e1']);
    expect(out.stats).toEqual({ files: 3 });
    expect([out.startedAt, out.finishedAt]).toEqual(['2025-06-15T10:00:00.000Z', '2025-06-15T10:00:01.000Z']);
    expect(out.tool.name).toBe('security-actions');
  });
});

describe('writers and renderText', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('create missing directories and write parseable JSON', async () => {
    const d = await mkdtemp(join(tmpdir(), 'core-report-'));
    dirs.push(d);
    const rep = report({ rules: [r], findings: [finding(r, { location: { file: 'a', line: 2 } })] });
    await writeSarif(rep, join(d, 'x/y/out.sarif'));
    await writeJsonReport(rep, join(d, 'z/out.json'));
    expect(JSON.parse(await readFile(join(d, 'x/y/out.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(JSON.parse(await readFile(join(d, 'z/out.json'), 'utf8'))).toEqual(rep);
  });

  it('renderText lists active findings, not-checked entries, errors and a count line', () => {
    const rep = report({
      findings: [
        finding(r, { location: { file: 'a.txt', line: 2 }, evidence: 'x\ny' }),
        { ...finding(r, { message: 'hidden' }), suppression: { kind: 'inSource', reason: 'fine' } }
      ],
      notChecked: [{ check: 'deps/osv', reason: 'offline' }],
      errors: ['boom']
    });
    const text = renderText(rep);
    expect(text).toContain('MEDIUM   deps/no-hash  a.txt:2');
    expect(text).toContain('evidence: x\\ny');
    expect(text).not.toContain('hidden');
    expect(text).toContain('NOT CHECKED deps/osv: offline');
    expect(text).toContain('ERROR boom');
    expect(text.trimEnd().split('\n').pop()).toBe('verify-deps: 1 finding, 1 suppressed, 1 not checked');
  });
});
