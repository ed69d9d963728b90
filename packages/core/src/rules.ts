// One way to declare rules for the whole suite (zizmor's "one unit, one
// registry"): each action declares its rules with defineRules next to the
// logic that raises them, builds one RuleRegistry from them, and the CLI and
// the tests combine every action's registry into the suite-wide one, which
// refuses an id used twice.
import type { Rule } from './findings';

/** A rule as written in a `defineRules` call: `group` defaults to the id's prefix (`workflow/x` → `workflow`). */
export type RuleInput = Omit<Rule, 'group'> & { group?: string };

export const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)*$/;

/**
 * Declares a set of rules under the names the code uses for them. The result
 * maps each name to a complete, frozen `Rule`; `rulesOf` lists them.
 */
export function defineRules<const T extends Record<string, RuleInput>>(rules: T): { readonly [K in keyof T]: Rule } {
  const out: Record<string, Rule> = {};
  for (const [key, r] of Object.entries(rules)) {
    if (!RULE_ID.test(r.id)) throw new Error(`rule ${key}: id '${r.id}' is not kebab-case with '/' separators`);
    if (!r.spec.length) throw new Error(`rule ${r.id}: names no SPEC clause`);
    const group = r.group ?? (r.id.includes('/') ? r.id.slice(0, r.id.indexOf('/')) : r.id);
    out[key] = Object.freeze({ ...r, group, spec: Object.freeze([...r.spec]) as Rule['spec'] });
  }
  return Object.freeze(out) as { readonly [K in keyof T]: Rule };
}

/** The rules of a `defineRules` result (or several), in declaration order. */
export function rulesOf(...sets: Readonly<Record<string, Rule>>[]): Rule[] {
  return sets.flatMap((s) => Object.values(s));
}

/**
 * The rules one component (an action, the core's workflow audit) can raise,
 * by id. `aliases` maps retired ids to current ones, so a config written for
 * an old id keeps working (and says so).
 */
export class RuleRegistry {
  readonly #byId = new Map<string, Rule>();
  readonly #aliases = new Map<string, string>();

  constructor(
    readonly owner: string,
    rules: Iterable<Rule>,
    aliases: Record<string, string> = {}
  ) {
    for (const r of rules) {
      const other = this.#byId.get(r.id);
      if (other && other !== r) throw new Error(`${owner}: rule id '${r.id}' is declared twice`);
      this.#byId.set(r.id, r);
    }
    for (const [old, current] of Object.entries(aliases)) {
      if (this.#byId.has(old)) throw new Error(`${owner}: '${old}' is both a rule and an alias`);
      if (!this.#byId.has(current)) throw new Error(`${owner}: alias '${old}' names unknown rule '${current}'`);
      this.#aliases.set(old, current);
    }
  }

  /** Several registries as one; an id declared by two owners is an error (the same Rule object shared is not). */
  static combine(owner: string, registries: RuleRegistry[]): RuleRegistry {
    const rules: Rule[] = [];
    const from = new Map<string, string>();
    const aliases: Record<string, string> = {};
    for (const reg of registries) {
      for (const r of reg.list()) {
        const seen = from.get(r.id);
        if (seen && rules.find((x) => x.id === r.id) !== r)
          throw new Error(`rule id '${r.id}' is declared by both ${seen} and ${reg.owner}`);
        if (!seen) rules.push(r);
        from.set(r.id, reg.owner);
      }
      Object.assign(aliases, Object.fromEntries(reg.#aliases));
    }
    return new RuleRegistry(owner, rules, aliases);
  }

  /**
   * The rules of this registry that `ids` names, with the retired ids that point at them: for a
   * component that reports part of another's rules (an action running part of the workflow audit).
   */
  pick(owner: string, ids: readonly string[]): RuleRegistry {
    const rules = ids.map((id) => {
      const r = this.#byId.get(id);
      if (!r) throw new Error(`${owner}: ${this.owner} has no rule '${id}'`);
      return r;
    });
    const aliases = Object.fromEntries([...this.#aliases].filter(([, to]) => ids.includes(to)));
    return new RuleRegistry(owner, rules, aliases);
  }

  get(id: string): Rule | undefined {
    return this.#byId.get(id) ?? this.#byId.get(this.#aliases.get(id) ?? '');
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The current id for a retired one, or undefined. */
  renamed(id: string): string | undefined {
    return this.#aliases.get(id);
  }

  list(): Rule[] {
    return [...this.#byId.values()];
  }

  get aliases(): Readonly<Record<string, string>> {
    return Object.fromEntries(this.#aliases);
  }
}
