// Runs the engine over the labelled corpus and computes per-rule precision
// and recall; docs/pr-anomaly-scan.md carries the table this produces.
import { EMPTY_CONFIG, type EngineResult, type Finding, buildReport, createGitHubClient } from '@security-actions/core';
import { scanPr } from '../../../actions/pr-anomaly-scan/src/engine';
import { gitCheckout } from '../../../actions/pr-anomaly-scan/src/git';
import { startFakeGitHub } from '../../fakes/github/server.mjs';
import { REGISTRY } from '../../../actions/pr-anomaly-scan/src/rules';
import { type Score, riskScore } from '../../../actions/pr-anomaly-scan/src/score';
import { buildRepo } from './build';
import type { Case } from './cases';

export interface CaseResult {
  c: Case;
  /** The findings as reported: the engine's suppressions applied. */
  findings: Finding[];
  fired: Set<string>;
  score: number;
  errors: string[];
}

/**
 * An engine result as the shared runner reports it (no config file): the
 * suppressions it returns applied (retired rule ids read through the
 * registry's aliases), and the risk score of what stands.
 */
export function reported(res: EngineResult): EngineResult & { score: Score } {
  const report = buildReport('pr-anomaly-scan', res, {
    config: EMPTY_CONFIG,
    today: '2026-06-01',
    startedAt: new Date(0),
    aliases: REGISTRY.aliases
  });
  return { ...res, findings: report.findings, notes: report.notes, score: riskScore(report.findings) };
}

const REPO = 'octo-org/octo-repo';
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A fake GitHub world for a case's `api`: the author's account age and whether the head commit is verified. */
function world(c: Case, base: string, head: string) {
  const api = c.api!;
  return {
    viewer: 'maint',
    users: { maint: { created_at: '2015-01-01T00:00:00Z' }, [c.meta!.author!]: { created_at: daysAgo(api.accountAgeDays) } },
    repos: {
      [REPO]: {
        commits: [
          { sha: head, message: 'PR change', author: { login: c.meta!.author, date: daysAgo(1) }, parents: [base], verification: api.verified ? { verified: true, reason: 'valid', type: 'gpg' } : { verified: false, reason: 'unsigned' } },
          { sha: base, message: 'base', author: { login: 'maint', date: daysAgo(30) } }
        ],
        branches: { main: base }
      }
    }
  };
}

export async function runCase(c: Case): Promise<CaseResult> {
  const r = buildRepo(c.base ?? {}, c.head, { author: c.author });
  const gh = c.api ? await startFakeGitHub({ world: world(c, r.base, r.head) }) : undefined;
  const git = gitCheckout(r.dir);
  try {
    const client = gh ? () => createGitHubClient({ token: 'corpus-token', apiUrl: gh.url, retries: 0 }) : undefined;
    const meta = gh ? { ...c.meta, repo: REPO } : (c.meta ?? {});
    const res = reported(await scanPr({ git, base: r.base, head: r.head, meta, client, trustedOrgs: [], configPath: '.github/security-actions.yml' }));
    const fired = new Set(res.findings.filter((f) => !f.suppression).map((f) => f.ruleId));
    return { c, findings: res.findings, fired, score: res.score.score, errors: res.errors ?? [] };
  } finally {
    git.close();
    r.cleanup();
    await gh?.close();
  }
}

export interface RuleMetrics {
  rule: string;
  tp: number;
  fp: number;
  fn: number;
}

export function metrics(results: CaseResult[]): RuleMetrics[] {
  return REGISTRY.list().map((rule) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const { c, fired } of results) {
      const expected = c.expect.includes(rule.id);
      const tolerated = c.also?.includes(rule.id);
      if (expected && fired.has(rule.id)) tp++;
      else if (expected) fn++;
      else if (fired.has(rule.id) && !tolerated) fp++;
    }
    return { rule: rule.id, tp, fp, fn };
  });
}

const pct = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)}%` : 'n/a');

export function metricsTable(results: CaseResult[]): string {
  const rows = metrics(results);
  const mal = results.filter((r) => r.c.label === 'malicious');
  const ben = results.filter((r) => r.c.label === 'benign');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const lines = [
    `Corpus: ${mal.length} malicious and ${ben.length} benign PRs (\`test/pr-anomaly-scan/corpus/\`, including the anti-trojan-source files). Median risk score: malicious ${median(mal.map((r) => r.score))}, benign ${median(ben.map((r) => r.score))}.`,
    '',
    '| Rule | Cases expected | True positives | False positives | False negatives | Precision | Recall |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((m) => `| \`${m.rule}\` | ${m.tp + m.fn} | ${m.tp} | ${m.fp} | ${m.fn} | ${pct(m.tp, m.tp + m.fp)} | ${pct(m.tp, m.tp + m.fn)} |`)
  ];
  return lines.join('\n');
}
