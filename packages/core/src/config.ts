// The per-repository configuration file (.github/security-actions.yml):
// severity overrides and ignores shared by every action, plus one section per
// action. Validated against the JSON Schema shipped beside this package (the
// same file editors use for completion); errors name the file and line.
import { Ajv, type ErrorObject } from 'ajv';
import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import schema from '../schema/config.schema.json' with { type: 'json' };
import { fileError } from './errors';
import { parseYamlFile } from './yaml';
import type { Finding } from './findings';
import type { Severity } from './severity';

export const DEFAULT_CONFIG_PATH = '.github/security-actions.yml';

export interface Ignore {
  rule?: string;
  path?: string;
  line?: number;
  fingerprint?: string;
  reason: string;
  expires?: string;
  /** `file:line` of the entry, for reports. */
  source: string;
}

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
  const { doc, lineCounter } = parseYamlFile(text, file);
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
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
  const sections: Config['sections'] = {};
  for (const k of ['pr-anomaly-scan', 'verify-deps', 'access-audit', 'sign-release']) {
    if (data[k]) sections[k] = data[k] as Record<string, unknown>;
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

function isCalendarDate(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
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
 * Applies severity overrides and ignores. Ignores whose expiry has passed are
 * not applied: their findings come back and a note says so. `pathIgnorable`
 * rules only accept ignores that name a line or a fingerprint.
 */
export function applyConfig(
  findings: Finding[],
  config: Config,
  opts: { today: string; pathIgnorable?: (ruleId: string) => boolean }
): ConfigOutcome {
  const notes: string[] = [];
  const matchers = config.ignores.map((ig) => ({ ig, path: ig.path ? picomatch(ig.path, { dot: true }) : undefined }));
  const expiredUsed = new Set<Ignore>();
  const out = findings.map((f) => {
    const override = Object.hasOwn(config.rules, f.ruleId) ? config.rules[f.ruleId] : undefined;
    let g: Finding = override ? { ...f, severity: override.severity } : f;
    if (g.suppression) return g; // an inline suppression already applies
    for (const { ig, path } of matchers) {
      if (ig.rule && ig.rule !== g.ruleId) continue;
      if (ig.fingerprint && ig.fingerprint !== g.fingerprint) continue;
      if (path && !(g.location && path(g.location.file))) continue;
      if (ig.line !== undefined && g.location?.line !== ig.line) continue;
      if (!ig.fingerprint && ig.line === undefined && opts.pathIgnorable && !opts.pathIgnorable(g.ruleId)) continue;
      if (ig.expires && ig.expires < opts.today) {
        expiredUsed.add(ig);
        continue;
      }
      g = { ...g, suppression: { kind: 'external', reason: ig.reason, expires: ig.expires, source: ig.source } };
      break;
    }
    return g;
  });
  for (const ig of expiredUsed) {
    notes.push(
      `The ignore at ${ig.source} expired on ${ig.expires}; its findings are reported again. Renew it with a new date or fix the findings.`
    );
  }
  return { findings: out, notes };
}
