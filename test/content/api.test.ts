// The module's contract with its callers (pr-anomaly-scan, `scan`): line
// numbers, fingerprints and content hashes that match the ones findings had
// before, one registry, and every rule tested both ways.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { isSpecClause } from '@security-actions/core';
import { CONTENT_REGISTRY, CONTENT_RULES, analyseAdded, analyseText } from '@security-actions/core/content';

const SNIPPET = 'import base64\nexec(base64.b64decode("aW1wb3J0IG9z"))\n';

describe('analyseAdded and analyseText', () => {
  it('report the file line of an added line, with the line as fingerprint key and its SHA-256', () => {
    const [f] = analyseAdded('src/pkg/m.py', [
      { line: 40, text: 'import base64' },
      { line: 57, text: '    exec(base64.b64decode("aW1wb3J0IG9z"))' }
    ]);
    expect(f.location).toEqual({ file: 'src/pkg/m.py', line: 57 });
    const trimmed = 'exec(base64.b64decode("aW1wb3J0IG9z"))';
    expect(f.properties?.contentSha256).toBe(createHash('sha256').update(trimmed).digest('hex'));
    const moved = analyseAdded('src/pkg/m.py', [{ line: 3, text: trimmed }]);
    expect(moved[0].fingerprint).toBe(f.fingerprint);
  });

  it('find the same things in a whole file as in the same lines added, and accept the joined text', () => {
    const lines = SNIPPET.trimEnd()
      .split('\n')
      .map((text, i) => ({ line: i + 1, text }));
    const a = analyseAdded('pkg/m.py', lines).map((f) => [f.ruleId, f.location?.line]);
    const b = analyseAdded('pkg/m.py', lines, { joined: SNIPPET.trimEnd() }).map((f) => [f.ruleId, f.location?.line]);
    const c = analyseText('pkg/m.py', SNIPPET).map((f) => [f.ruleId, f.location?.line]);
    expect(a).toEqual(c);
    expect(b).toEqual(c);
    expect(a.length).toBeGreaterThan(0);
  });

  it('find the same with the added lines given joined, with their numbers, as with line objects', () => {
    const dir = join(import.meta.dirname, 'fixtures');
    let found = 0;
    for (const name of readdirSync(dir).filter((n) => n !== 'index.json')) {
      const path = `pkg/${name.replace(/\.txt$/, '')}`;
      // Non-consecutive numbers, a CR line end, an empty line and one past the long-line length.
      const texts = [...readFileSync(join(dir, name), 'utf8').split('\n'), 'x = 1\r', '', `y = "${'a'.repeat(200)}"`];
      const lines = texts.map((text, i) => ({ line: 3 * i + 2, text }));
      const joined = { joined: texts.join('\n'), numbers: Int32Array.from(lines, (l) => l.line) };
      const expected = analyseAdded(path, lines);
      found += expected.length;
      expect(analyseAdded(path, joined)).toEqual(expected);
    }
    expect(found).toBeGreaterThan(5);
    expect(analyseAdded('pkg/m.py', { joined: '', numbers: new Int32Array(0) })).toEqual([]);
  });

  it('find the same when told how many UTF-8 bytes the joined text was decoded from', () => {
    const dir = join(import.meta.dirname, 'fixtures');
    // The fixtures (Trojan Source, invisible and look-alike characters among them), and byte mixes of ASCII,
    // bytes that are not UTF-8 (each decoded to U+FFFD), valid multi-byte characters and controls.
    const parts = [
      ...['x = 1', '# c', '\n', '"s"', 'é', '\u202e', '\u200b', 'а'].map((t) => Buffer.from(t)),
      ...[[0xff], [0x80], [0xe2, 0x80]].map((b) => Buffer.from(b))
    ];
    const mixes = Array.from({ length: 400 }, (_, k) =>
      Buffer.concat(Array.from({ length: 6 }, (_, i) => parts[(k * (i + 3) + i * i) % parts.length]))
    );
    const samples = [
      ...readdirSync(dir)
        .filter((n) => n !== 'index.json')
        .map((n) => [`pkg/${n.replace(/\.txt$/, '')}`, readFileSync(join(dir, n))] as const),
      ...mixes.flatMap((b) => [['pkg/m.py', b] as const, ['src/a.js', b] as const])
    ];
    let found = 0;
    for (const [path, bytes] of samples) {
      const joined = bytes.toString('utf8');
      const numbers = Int32Array.from(joined.split('\n'), (_, i) => i + 1);
      const expected = analyseAdded(path, { joined, numbers });
      found += expected.length;
      expect(analyseAdded(path, { joined, numbers, utf8Bytes: bytes.length })).toEqual(expected);
    }
    expect(found).toBeGreaterThan(50);
  });

  it('return nothing for empty input', () => {
    expect(analyseAdded('pkg/m.py', [])).toEqual([]);
    expect(analyseText('pkg/m.py', '')).toEqual([]);
  });
});

describe('CONTENT_REGISTRY', () => {
  const rules = CONTENT_REGISTRY.list();

  it('holds every declared rule once, each with why, how to fix and a SPEC clause', () => {
    expect(rules.length).toBe(Object.keys(CONTENT_RULES).length);
    for (const r of rules) {
      expect(r.why.length).toBeGreaterThan(40);
      expect(r.remediation.length).toBeGreaterThan(20);
      expect(r.spec.every(isSpecClause)).toBe(true);
      expect(r.group).toBe(r.id.split('/')[0]);
    }
  });

  it('has every rule asserted to fire and to stay quiet by a test in test/content', () => {
    const dir = import.meta.dirname;
    const text = readdirSync(dir)
      .filter((n) => n.endsWith('.test.ts'))
      .map((n) => readFileSync(join(dir, n), 'utf8'))
      .join('\n');
    // As test/rules.test.ts reads them: the rule id is the string literal after the first argument.
    const named = (fn: string) =>
      new Set([...text.matchAll(new RegExp(`${fn}\\(\\s*[^,]+,\\s*'([^']+)'`, 'g'))].map((m) => m[1]));
    const fires = named('expectFires');
    const quiet = named('expectQuiet');
    expect(rules.map((r) => r.id).filter((id) => !fires.has(id))).toEqual([]);
    expect(rules.map((r) => r.id).filter((id) => !quiet.has(id))).toEqual([]);
  });

  it('agrees with the rule table of docs/content-rules.md on ids and default severities', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'content-rules.md'), 'utf8');
    const table = new Map([...doc.matchAll(/^\| `([a-z-]+\/[a-z-]+)` \| ([a-z]+) \|/gm)].map((m) => [m[1], m[2]]));
    expect(Object.fromEntries(rules.map((r) => [r.id, table.get(r.id)]))).toEqual(
      Object.fromEntries(rules.map((r) => [r.id, r.severity]))
    );
  });
});
