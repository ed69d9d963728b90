// Both sides of a changed file, parsed for the rules that compare them.
import { oneLine } from '@security-actions/core';

/**
 * The head must parse (its error is reported for the file); a base that does
 * not parse counts as absent, so everything in the head is treated as new.
 */
export function parseBoth<T>(
  parse: (text: string, file: string) => T,
  file: string,
  baseText: string | undefined,
  headText: string
): { head: T; base?: T } | { error: string } {
  let head: T;
  try {
    head = parse(headText, file);
  } catch (e) {
    return { error: oneLine(e) };
  }
  try {
    return { head, base: baseText === undefined ? undefined : parse(baseText, file) };
  } catch {
    return { head };
  }
}
