// Typed reading of action inputs. The runner passes input `foo-bar` as env
// INPUT_FOO-BAR (upper-cased, spaces to underscores, hyphens kept); we read the
// environment directly so engines and tests need no @actions/core.
import { UserError } from './errors';

export type Env = Record<string, string | undefined>;

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface StringOptions {
  required?: boolean;
  default?: string;
}

export class Inputs {
  constructor(private readonly env: Env) {}

  /** The trimmed value, the default when empty, '' when neither. */
  string(name: string, opts: StringOptions = {}): string {
    const v = (this.env[inputEnvName(name)] ?? '').trim();
    if (v) return v;
    if (opts.required) throw new UserError(`Input '${name}' is required.`);
    return opts.default ?? '';
  }

  optional(name: string): string | undefined {
    return this.string(name) || undefined;
  }

  /** YAML 1.2 core booleans, as @actions/core accepts them. */
  boolean(name: string, def: boolean): boolean {
    const v = this.string(name);
    if (!v) return def;
    if (['true', 'True', 'TRUE'].includes(v)) return true;
    if (['false', 'False', 'FALSE'].includes(v)) return false;
    throw new UserError(`Input '${name}' must be true or false; got '${v}'.`);
  }

  choice<T extends string>(name: string, allowed: readonly T[], def: T): T {
    const v = this.string(name);
    if (!v) return def;
    const lower = v.toLowerCase();
    const hit = allowed.find((a) => a.toLowerCase() === lower);
    if (!hit) throw new UserError(`Input '${name}' must be one of ${allowed.join('|')}; got '${v}'.`);
    return hit;
  }

  integer(name: string, def: number, { min = -Infinity, max = Infinity } = {}): number {
    const v = this.string(name);
    if (!v) return def;
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || n < min || n > max) {
      const range = [min > -Infinity ? `>= ${min}` : '', max < Infinity ? `<= ${max}` : '']
        .filter(Boolean)
        .join(' and ');
      throw new UserError(`Input '${name}' must be a whole number${range ? ` ${range}` : ''}; got '${v}'.`);
    }
    return n;
  }

  /** An http(s) URL without a trailing slash; other schemes are refused (a file: URL would read local files). */
  url(name: string, def: string): string {
    const v = this.string(name) || def;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new UserError(`Input '${name}' must be an http(s) URL; got '${v}'.`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:')
      throw new UserError(`Input '${name}' must be an http(s) URL; got '${v}'.`);
    return v.replace(/\/+$/, '');
  }

  /** Items separated by newlines or commas, blanks and `#` comments dropped. */
  list(name: string): string[] {
    // Comments end at the line's end, so strip them before splitting on commas:
    // `a # not b, c` is one item, not `a` and `c`.
    return this.string(name)
      .split('\n')
      .flatMap((line) => line.replace(/(^|\s)#.*$/, '').split(','))
      .map((s) => s.trim())
      .filter(Boolean);
  }

  /** One item per line (for values that may contain commas, such as globs). */
  lines(name: string): string[] {
    return this.string(name)
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('#'));
  }
}

// `Input 'x'`, "input `x`", "the 'x' input", "x input": how messages name an input.
const INPUT_REFERENCE =
  /\b[Ii]nput [`']?([a-z][a-z0-9-]*)[`']?|\bthe [`']([a-z][a-z0-9-]*)[`'] input\b|\b([a-z][a-z0-9-]*) input\b/g;

/**
 * Messages name inputs the way an action's user knows them. The CLI sets
 * inputs through flags, so it renames each reference `rename` knows (to the
 * flag) and leaves every other word as written.
 */
export function renameInputs(message: string, rename: (input: string) => string | undefined): string {
  return message.replace(INPUT_REFERENCE, (m, a?: string, b?: string, c?: string) => rename((a ?? b ?? c)!) ?? m);
}
