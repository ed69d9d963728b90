// Typosquat detection for PyPI names, after warehouse's TypoSnyper: a name
// that is not itself popular but is one typo away from a popular one. The
// list ships with the core (data/popular-pypi.json) so no network is needed.
import popular from '../data/popular-pypi.json' with { type: 'json' };
import { normalizeName } from './python/types';

export type TyposquatKind =
  | 'omitted-character'
  | 'repeated-character'
  | 'added-character'
  | 'swapped-characters'
  | 'substituted-character'
  | 'separator'
  | 'swapped-words'
  | 'affix';

export interface TyposquatMatch {
  /** The popular project the name imitates (normalised). */
  target: string;
  /** Damerau-Levenshtein distance between the two normalised names (0 for separator/word-order variants). */
  distance: number;
  kind: TyposquatKind;
}

const POPULAR: readonly string[] = (popular as { names: string[] }).names;
const RANK = new Map(POPULAR.map((n, i) => [n, i]));
/** Below this length one edit turns most names into another real project: too many false alarms. */
const MIN_TARGET_LENGTH = 5;
const AFFIXES = ['py', 'python-', 'py-'];
const SUFFIXES = ['-python', '-py', 'py', '2', '3', '-dev', '-lib'];

/** Is the name on the shipped popular list? */
export function isPopularPackage(name: string): boolean {
  return RANK.has(normalizeName(name));
}

function oneEdit(candidate: string, target: string): { kind: TyposquatKind; distance: number } | undefined {
  const a = candidate;
  const b = target;
  if (a.length === b.length) {
    const diffs: number[] = [];
    for (let i = 0; i < a.length && diffs.length <= 2; i++) if (a[i] !== b[i]) diffs.push(i);
    if (diffs.length === 1) return { kind: 'substituted-character', distance: 1 };
    if (diffs.length === 2 && diffs[1] === diffs[0] + 1 && a[diffs[0]] === b[diffs[1]] && a[diffs[1]] === b[diffs[0]])
      return { kind: 'swapped-characters', distance: 1 };
    return undefined;
  }
  if (Math.abs(a.length - b.length) !== 1) return undefined;
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && long[i] === short[i]) i++;
  if (long.slice(i + 1) !== short.slice(i)) return undefined;
  if (a.length < b.length) return { kind: 'omitted-character', distance: 1 };
  const repeated = (i > 0 && a[i] === a[i - 1]) || a[i] === a[i + 1];
  return { kind: repeated ? 'repeated-character' : 'added-character', distance: 1 };
}

function variant(candidate: string, target: string): TyposquatKind | undefined {
  const bare = (s: string) => s.replace(/-/g, '');
  if (candidate !== target && bare(candidate) === bare(target)) return 'separator';
  const words = (s: string) => s.split('-').sort().join('-');
  if (candidate.includes('-') && candidate !== target && words(candidate) === words(target)) return 'swapped-words';
  if (AFFIXES.some((p) => candidate === p + target) || SUFFIXES.some((s) => candidate === target + s)) return 'affix';
  return undefined;
}

/**
 * The popular project `name` is likely imitating, or undefined. A popular
 * name is never reported (exact match short-circuits); among several targets
 * the most downloaded wins.
 */
export function findTyposquat(name: string): TyposquatMatch | undefined {
  const n = normalizeName(name);
  if (RANK.has(n)) return undefined;
  for (const target of POPULAR) {
    if (target.length < MIN_TARGET_LENGTH) continue;
    const v = variant(n, target);
    if (v) return { target, distance: 0, kind: v };
    const e = oneEdit(n, target);
    if (e) return { target, ...e };
  }
  return undefined;
}
