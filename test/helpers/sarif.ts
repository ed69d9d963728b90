// SARIF 2.1.0 schema validation for tests, with the schema @microsoft/jest-sarif ships,
// and the reading of a log the way GitHub code scanning reads it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Severity } from '../../packages/core/src/severity';

// ajv-formats is CommonJS; its default export arrives wrapped under native ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv
) => Ajv;

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// The file declares draft-04 (`id`, `$schema`); its keywords are draft-07
// compatible, so drop the two draft-04 markers and compile with ajv's default.
const {
  $schema: _drop,
  id: _id,
  ...sarifSchema
} = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
// unicodeRegExp off: the schema's `language` pattern has a stray `]` that only
// non-unicode regular expressions accept.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
export const validateSarif = ajv.compile(sarifSchema);

/** GitHub's documented security-severity bands; no score (or 0) is no security severity, our `info`. */
export function band(score: string | undefined): Severity {
  const n = Number(score ?? 0);
  if (n >= 9) return 'critical';
  if (n >= 7) return 'high';
  if (n >= 4) return 'medium';
  if (n >= 0.1) return 'low';
  return 'info';
}

/**
 * The severity code scanning shows for each result of a run: that of the rule
 * the result names (by ruleIndex when given, which must agree with ruleId).
 */
export function displayedSeverities(run: any): Severity[] {
  return run.results.map((res: any) => {
    const rule =
      res.ruleIndex !== undefined
        ? run.tool.driver.rules[res.ruleIndex]
        : run.tool.driver.rules.find((r: any) => r.id === res.ruleId);
    if (!rule || rule.id !== res.ruleId) throw new Error(`result ${res.ruleId} names no rule of the run`);
    return band(rule.properties?.['security-severity']);
  });
}
