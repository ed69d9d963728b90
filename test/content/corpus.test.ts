// pr-anomaly-scan's labelled corpus (reconstructed incidents, ordinary
// Scientific Python changes, the anti-trojan-source files) through the
// content analysers, as the PR scan feeds them: the lines each case adds and
// the binaries it adds or changes. Every content rule a malicious case
// expects must fire; a benign case may raise no content rule it does not
// list. Together with the rule tests, this is the "at least as good as
// before" check for the rules moved out of pr-anomaly-scan.
import { describe, expect, it } from '@jest/globals';
import { type Finding, pythonFileKind } from '@security-actions/core';
import {
  BlobAnalyser,
  CONTENT_REGISTRY,
  analyseAdded,
  analyseBinary,
  binaryOnlyChange,
  isBinary
} from '@security-actions/core/content';
import { type Case, CASES, trojanSourceCases } from '../pr-anomaly-scan/corpus/cases';

const CONTENT = new Set(CONTENT_REGISTRY.list().map((r) => r.id));
// Requirement, pyproject and environment files are the dependency parser's (pr-anomaly-scan's deps.ts, verify-deps).
const OWNED_ELSEWHERE = (c: Case, id: string) =>
  id.startsWith('deps/') && Object.keys(c.head).every((p) => pythonFileKind(p) !== undefined);

/** The lines of `head` that `base` does not have, in order, with their numbers (what `git diff -U0` shows as added). */
function addedLines(base: string | undefined, head: string) {
  const left = new Map<string, number>();
  for (const l of base?.split('\n') ?? []) left.set(l, (left.get(l) ?? 0) + 1);
  return head.split('\n').flatMap((text, i) => {
    const n = left.get(text) ?? 0;
    if (n) {
      left.set(text, n - 1);
      return [];
    }
    return [{ line: i + 1, text }];
  });
}

async function scan(c: Case): Promise<Finding[]> {
  const out: Finding[] = [];
  const binaries: { path: string; status: string; sha: string }[] = [];
  let textChanged = false;
  for (const [path, content] of Object.entries(c.head)) {
    if (content === null) continue;
    const old = c.base?.[path] ?? undefined;
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
    if (isBinary(bytes)) {
      const a = new BlobAnalyser();
      a.chunk(bytes);
      const facts = a.facts();
      const status = old === undefined ? 'added' : 'modified';
      out.push(...(await analyseBinary(path, facts, { status })));
      binaries.push({ path, status, sha: facts.sha256 });
      continue;
    }
    const lines = addedLines(old === undefined || old === null ? undefined : old.toString(), bytes.toString('utf8'));
    if (lines.length) textChanged = true;
    out.push(...analyseAdded(path, lines, { before: old?.toString() }));
  }
  out.push(...binaryOnlyChange(binaries, textChanged));
  return out;
}

const ALL = [...CASES, ...trojanSourceCases()];

describe('content analysers on the pr-anomaly-scan corpus', () => {
  it.each(ALL.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const fired = new Set((await scan(c)).map((f) => f.ruleId));
    const expected = c.expect.filter((id) => CONTENT.has(id) && !OWNED_ELSEWHERE(c, id));
    expect(expected.filter((id) => !fired.has(id))).toEqual([]);
    if (c.label === 'benign') {
      const allowed = new Set([...c.expect, ...(c.also ?? [])]);
      expect([...fired].filter((id) => !allowed.has(id))).toEqual([]);
    }
  });
});
