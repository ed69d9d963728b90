// The per-repository configuration file (.github/security-actions.yml):
// severity overrides and ignores shared by every action, plus one section per
// action. Validated against the JSON Schema shipped beside this package (the
// same file editors use for completion), which scripts/config-schema.mjs
// assembles from the core's part and each action's section; errors name the
// file and line.
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import schema from '../schema/config.schema.json' with { type: 'json' };
import { fileError } from './errors';
import { parseYamlFile, yamlData } from './yaml';
import type { Finding } from './findings';
import type { Severity } from './severity';
import { type SuppressionEntry, applySuppressions, isCalendarDate } from './suppress';

export const DEFAULT_CONFIG_PATH = '.github/security-actions.yml';
const CORE_KEYS = new Set(['version', 'rules', 'ignores']);

/** A config-file ignore: a suppression entry whose `source` is its `file:line`. */
export type Ignore = SuppressionEntry;

export interface Config {
  /** File it came from, or undefined for the built-in defaults. */
  file?: string;
  rules: Record<string, { severity: Severity; reason?: string }>;
  ignores: Ignore[];
  sections: Record<string, Record<string, unknown>>;
}

export const EMPTY_CONFIG: Config = { rules: {}, ignores: [], sections: {} };

// Compiled on first use: compiling costs tens of milliseconds at start-up,
// and most repositories have no config file.
let validator: ReturnType<Ajv['compile']> | undefined;
const validate = (data: unknown) => (validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema))(data);

/** Parses and validates config text; throws a UserError naming `file:line`. */
export function parseConfig(text: string, file: string): Config {
  const y = parseYamlFile(text, file);
  const { doc, lineCounter } = y;
  const data = (yamlData(y) ?? {}) as Record<string, unknown>;
  if (!validate(data)) {
    const err = pickError(validator?.errors ?? []);
    // An unknown or badly named key is reported on its own line, not on the
    // line where the enclosing mapping starts (line 1 for a top-level typo).
    const badKey =
      err.keyword === 'additionalProperties'
        ? (err.params as { additionalProperty: string }).additionalProperty
        : err.propertyName;
    const parent = nodeAt(doc.contents, pathOf(err));
    const node = (badKey !== undefined && keyNodeAt(parent, badKey)) || parent;
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    throw fileError(file, line, describe(err));
  }
  const ignores = ((data.ignores as Omit<Ignore, 'source'>[] | undefined) ?? []).map((ig, i) => {
    const node = nodeAt(doc.contents, ['ignores', i]);
    return { ...ig, source: `${file}:${node?.range ? lineCounter.linePos(node.range[0]).line : 1}` };
  });
  ignores.forEach((ig, i) => {
    if (ig.line !== undefined && !ig.path)
      throw fileError(file, Number(ig.source.split(':').pop()), 'an ignore with `line` also needs `path`');
    // The schema checks the shape only; 2025-02-30 would otherwise compare as a string and never expire as meant.
    if (ig.expires !== undefined && !isCalendarDate(ig.expires)) {
      const node = nodeAt(doc.contents, ['ignores', i, 'expires']);
      throw fileError(
        file,
        node?.range ? lineCounter.linePos(node.range[0]).line : undefined,
        `ignores.${i}.expires: '${ig.expires}' is not a real date (YYYY-MM-DD)`
      );
    }
  });
  // Every other top-level key is an action's section; the schema (assembled from each action's own) checked its shape.
  const sections: Config['sections'] = {};
  for (const [k, v] of Object.entries(data)) {
    if (!CORE_KEYS.has(k) && v && typeof v === 'object') sections[k] = v as Record<string, unknown>;
  }
  return { file, rules: (data.rules as Config['rules']) ?? {}, ignores, sections };
}

// The most specific error is the useful one: ajv reports anyOf/oneOf failures
// after the concrete keyword errors beneath them.
function pickError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? errors[0];
}

function pathOf(e: ErrorObject): (string | number)[] {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The key node (not the value) of `key` in a mapping. */
function keyNodeAt(map: Node | undefined, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
  return isScalar(pair?.key) ? pair.key : undefined;
}

function nodeAt(root: unknown, path: (string | number)[]): Node | undefined {
  let node = root as Node | undefined;
  for (const key of path) {
    if (isMap(node)) node = node.get(key, true) as Node | undefined;
    else if (isSeq(node)) node = node.get(Number(key), true) as Node | undefined;
    else return node;
  }
  return node;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'top level';
  switch (e.keyword) {
    case 'required':
      return `${at}: '${(e.params as { missingProperty: string }).missingProperty}' is required`;
    case 'additionalProperties':
      return `${at}: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'`;
    case 'enum':
      return `${at} must be one of ${(e.params as { allowedValues: string[] }).allowedValues.join('|')}`;
    case 'pattern':
      if (e.propertyName !== undefined) return `${at}: key '${e.propertyName}' ${e.message ?? 'is invalid'}`;
      return `${at} ${e.message ?? 'is invalid'}`;
    case 'anyOf':
      return `${at}: an ignore needs 'rule' or 'fingerprint'`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

export interface ConfigOutcome {
  findings: Finding[];
  /** Messages such as expired ignores, for the report's notes. */
  notes: string[];
}

/**
 * Applies severity overrides, then every suppression: the config file's
 * ignores first, then `extra` (entries from an action's own config section or
 * inline comments). Expired entries are not applied: their findings come back
 * and a note says so.
 */
export function applyConfig(
  findings: Finding[],
  config: Config,
  opts: { today: string; pathIgnorable?: (ruleId: string) => boolean; extra?: SuppressionEntry[] }
): ConfigOutcome {
  const overridden = findings.map((f) => {
    const override = Object.hasOwn(config.rules, f.ruleId) ? config.rules[f.ruleId] : undefined;
    return override ? { ...f, severity: override.severity } : f;
  });
  return applySuppressions(overridden, [...config.ignores, ...(opts.extra ?? [])], opts);
}
