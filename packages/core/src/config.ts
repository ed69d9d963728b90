// The per-repository configuration file (.github/security-actions.yml):
// severity overrides and ignores shared by every action, plus one section per
// action. Validated against the JSON Schema shipped beside this package (the
// same file editors use for completion), which scripts/config-schema.mjs
// assembles from the core's part and each action's section; errors name the
// file and line.
import type { ValidateFunction } from 'ajv';
import * as generated from '../schema/config.validate.mjs';
import { fileError } from './errors';
import { lineAt, schemaError } from './schema-errors';
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

// The schema's validator, generated as code when the schema is assembled (scripts/config-schema.mjs):
// nothing is compiled at start-up, and ajv's compiler is not in the bundles.
const validate = generated.validate as ValidateFunction;

/** Parses and validates config text; throws a UserError naming `file:line`. */
export function parseConfig(text: string, file: string): Config {
  const y = parseYamlFile(text, file);
  const data = (yamlData(y) ?? {}) as Record<string, unknown>;
  if (!validate(data)) throw schemaError(y, validate.errors ?? [], "an ignore needs 'rule' or 'fingerprint'");
  const ignores = ((data.ignores as Omit<Ignore, 'source'>[] | undefined) ?? []).map((ig, i) => ({
    ...ig,
    source: `${file}:${lineAt(y, ['ignores', i]) ?? 1}`
  }));
  ignores.forEach((ig, i) => {
    if (ig.line !== undefined && !ig.path)
      throw fileError(file, Number(ig.source.split(':').pop()), 'an ignore with `line` also needs `path`');
    // The schema checks the shape only; 2025-02-30 would otherwise compare as a string and never expire as meant.
    if (ig.expires !== undefined && !isCalendarDate(ig.expires)) {
      throw fileError(
        file,
        lineAt(y, ['ignores', i, 'expires']),
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

export interface ConfigOutcome {
  findings: Finding[];
  /** Messages such as expired ignores and renamed rule ids, for the report's notes. */
  notes: string[];
}

/**
 * The config with every retired rule id (`aliases`: old → current, from the
 * action's registry) replaced by the current one, in severity overrides,
 * the config's ignores and `extra` entries, and a note for each, so a config
 * written before a rename keeps working and says what to write instead. An
 * override written under the current id wins over one under its old id.
 */
export function resolveRuleAliases(
  config: Config,
  extra: SuppressionEntry[],
  aliases: Readonly<Record<string, string>>
): { config: Config; extra: SuppressionEntry[]; notes: string[] } {
  const notes = new Set<string>();
  const where = config.file ?? 'the config';
  const current = (id: string, at: string) => {
    const to = Object.hasOwn(aliases, id) ? aliases[id] : undefined;
    if (to) notes.add(`${at}: the rule ${id} is now ${to}; the entry was applied to ${to} (write the new id).`);
    return to ?? id;
  };
  const rules: Config['rules'] = {};
  for (const [id, o] of Object.entries(config.rules)) {
    const to = current(id, `${where} rules`);
    if (to === id || !Object.hasOwn(config.rules, to)) rules[to] = o;
  }
  const entry = (e: SuppressionEntry): SuppressionEntry =>
    e.rule && Object.hasOwn(aliases, e.rule) ? { ...e, rule: current(e.rule, e.source) } : e;
  return {
    config: { ...config, rules, ignores: config.ignores.map(entry) },
    extra: extra.map(entry),
    notes: [...notes]
  };
}

/**
 * Applies severity overrides, then every suppression: the config file's
 * ignores first, then `extra` (entries from an action's own config section or
 * inline comments). Expired entries are not applied: their findings come back
 * and a note says so. Rule ids an action retired (`aliases`) are read as the
 * ids that replaced them.
 */
export function applyConfig(
  findings: Finding[],
  given: Config,
  opts: {
    today: string;
    pathIgnorable?: (ruleId: string) => boolean;
    extra?: SuppressionEntry[];
    aliases?: Readonly<Record<string, string>>;
  }
): ConfigOutcome {
  const { config, extra, notes } = resolveRuleAliases(given, opts.extra ?? [], opts.aliases ?? {});
  const overridden = findings.map((f) => {
    const override = Object.hasOwn(config.rules, f.ruleId) ? config.rules[f.ruleId] : undefined;
    return override ? { ...f, severity: override.severity } : f;
  });
  const applied = applySuppressions(overridden, [...config.ignores, ...extra], opts);
  return { findings: applied.findings, notes: [...notes, ...applied.notes] };
}
