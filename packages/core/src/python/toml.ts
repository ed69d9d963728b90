// TOML reading with the positions smol-toml does not keep: errors name file
// and line, and entries are located by their table headers or quoted text.
import { TomlError, parse } from 'smol-toml';
import { fileError } from '../errors';

export type TomlTable = Record<string, unknown>;

export function parseTomlFile(text: string, file: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (e) {
    if (e instanceof TomlError)
      throw fileError(
        file,
        e.line,
        `invalid TOML: ${e.message.replace(/^Invalid TOML document:\s*/, '').split('\n')[0]}`
      );
    throw fileError(file, undefined, `invalid TOML: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** 1-based lines of each `[[name]]` header, in order: entry i of the array is at lines[i]. */
export function arrayTableLines(text: string, name: string): number[] {
  const re = new RegExp(`^\\s*\\[\\[\\s*${name.replace(/\./g, '\\.')}\\s*\\]\\]`);
  const out: number[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if (re.test(l)) out.push(i + 1);
  });
  return out;
}

/** Finds quoted strings in order of appearance, so repeated values get successive lines. */
export class QuotedLocator {
  private readonly next = new Map<string, number>();
  constructor(private readonly text: string) {}

  /** Line of the next occurrence of `value` as a TOML/YAML string, from `from` on; `fallback` if absent. */
  line(value: string, fallback: number, from = 0): number {
    const key = value;
    const start = Math.max(this.next.get(key) ?? 0, from);
    const candidates = [`"${value}"`, `'${value}'`].map((q) => this.text.indexOf(q, start)).filter((i) => i >= 0);
    if (!candidates.length) return fallback;
    const at = Math.min(...candidates);
    this.next.set(key, at + 1);
    return this.text.slice(0, at).split('\n').length;
  }

  /** Line of `key = ...` inside the `[header]` table, or the header's line. */
  keyLine(key: string, header: string): number {
    const from = this.offsetOf(header);
    const re = new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}["']?\\s*=`, 'm');
    const m = re.exec(this.text.slice(from));
    return this.text.slice(0, from + (m?.index ?? 0)).split('\n').length;
  }

  /** Offset of the first line of a `[header]` table, or 0. */
  offsetOf(header: string): number {
    const re = new RegExp(`^\\s*\\[\\s*${header.replace(/[.[\]-]/g, (c) => `\\${c}`)}\\s*\\]`, 'm');
    return re.exec(this.text)?.index ?? 0;
  }
}

export const isTable = (v: unknown): v is TomlTable =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
