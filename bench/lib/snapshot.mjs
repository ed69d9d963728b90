// With BENCH_FINDINGS_DIR set, each benchmark writes the findings and
// not-checked entries of its reports there (sorted, timing-free), so a
// refactor can show that every benchmark's findings are identical before and
// after: `diff -r before/ after/`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A report's findings, not-checked entries and errors as sorted, timing-free lines. */
export function findingsTsv(report) {
  const findings = report.findings
    .map((f) =>
      [
        f.ruleId,
        f.severity,
        f.confidence,
        f.fingerprint,
        f.location?.file ?? '',
        f.location?.line ?? 0,
        f.message,
        f.suppression?.reason ?? ''
      ].join('\t')
    )
    .sort();
  const notChecked = report.notChecked.map((n) => [n.check, n.target ?? '', n.reason].join('\t')).sort();
  return [...findings, '--- not checked', ...notChecked, '--- errors', ...report.errors].join('\n') + '\n';
}

export function recordFindings(name, report) {
  const dir = process.env.BENCH_FINDINGS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name.replace(/[^\w.-]+/g, '-')}.tsv`), findingsTsv(report));
}
