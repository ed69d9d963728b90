// The suite's rules: one declaration style (defineRules), ids unique across
// every action, the docs agreeing with the code on id and default severity,
// and every rule named by a test that asserts it fires and one that asserts
// it stays quiet (test/helpers/rules.ts).
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SEVERITIES } from '@security-actions/core';
import { WORKFLOW_AUDIT_REGISTRY, WORKFLOW_RULE_ALIASES } from '@security-actions/core/workflow';
import { DEFINITIONS, suiteRegistry } from './helpers/suite';

const root = join(import.meta.dirname, '..');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'node_modules' || n === 'fixture' ? [] : files(p, ext);
    return ext.test(n) ? [p] : [];
  });
}

/**
 * Rows of a docs table whose first cell is a rule id; the second cell starts
 * with the default severity, or says "(default <severity>)" when the severity
 * comes from elsewhere (an advisory's).
 */
function documentedRules(md: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of md.matchAll(/^\| `([a-z0-9]+(?:[-/][a-z0-9]+)+)` \| ([^|]+)\|/gm)) {
    const sev = /^([a-z]+)\b/.exec(m[2].trim())?.[1];
    const dflt = /\(default ([a-z]+)\)/.exec(m[2])?.[1];
    const s = (SEVERITIES as readonly string[]).includes(sev ?? '') ? sev : dflt;
    if (s && (SEVERITIES as readonly string[]).includes(s)) out.set(m[1], s);
  }
  return out;
}

describe('rules of the suite', () => {
  test('ids are unique across the suite and well formed', () => {
    const suite = suiteRegistry();
    const ids = suite.list().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(100);
  });

  test("the workflow audit's rules are in the suite once, the same rules the actions raise, and its retired ids resolve", () => {
    const suite = suiteRegistry();
    for (const r of WORKFLOW_AUDIT_REGISTRY.list()) expect(suite.get(r.id)).toBe(r);
    for (const [old, current] of Object.entries(WORKFLOW_RULE_ALIASES)) {
      expect(suite.renamed(old)).toBe(current);
      expect(suite.get(old)).toBe(WORKFLOW_AUDIT_REGISTRY.get(current));
    }
  });

  const docs = new Map(
    DEFINITIONS.map((d) => [d.name, documentedRules(readFileSync(join(root, 'docs', `${d.name}.md`), 'utf8'))])
  );

  test.each(DEFINITIONS.map((d) => [d.name, d] as const))(
    'docs/%s.md lists every rule with its severity',
    (name, d) => {
      const documented = docs.get(name)!;
      const code = new Map(d.rules.list().map((r) => [r.id, r.severity as string]));
      // A rule another component declares (the workflow audit's, which an action carries) may be documented there.
      const elsewhere = (id: string) =>
        DEFINITIONS.some((o) => o !== d && o.rules.get(id) === d.rules.get(id) && docs.get(o.name)!.has(id));
      expect([...code.keys()].filter((id) => !documented.has(id) && !elsewhere(id))).toEqual([]);
      expect([...documented.keys()].filter((id) => !code.has(id) && !d.rules.renamed(id))).toEqual([]);
      expect(
        [...code]
          .filter(([id, sev]) => documented.has(id) && documented.get(id) !== sev)
          .map(([id, sev]) => `${id}: code ${sev}, docs ${documented.get(id)}`)
      ).toEqual([]);
    }
  );

  test('every rule has a test that asserts it fires and one that asserts it stays quiet', () => {
    const fires = new Set<string>();
    const quiet = new Set<string>();
    for (const f of files(join(root, 'test'), /\.ts$/)) {
      if (relative(root, f) === 'test/helpers/rules.ts') continue;
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/expect(Fires|Quiet)\(\s*[^,]+,\s*'([^']+)'/g))
        (m[1] === 'Fires' ? fires : quiet).add(m[2]);
    }
    const missing = suiteRegistry()
      .list()
      .flatMap((r) => [
        ...(fires.has(r.id) ? [] : [`${r.id}: no expectFires`]),
        ...(quiet.has(r.id) ? [] : [`${r.id}: no expectQuiet`])
      ]);
    expect(missing).toEqual([]);
  });
});
