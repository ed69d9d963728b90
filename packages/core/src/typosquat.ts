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

const bare = (s: string) => s.replace(/-/g, '');
const words = (s: string) => s.split('-').sort().join('-');
interface Forms {
  name: string;
  bare: string;
  words: string;
}
const formsOf = (name: string): Forms => ({ name, bare: bare(name), words: words(name) });
/** The popular names long enough to imitate, each with the forms `variant` compares, computed once. */
let targets: Forms[] | undefined;
const TARGETS = () => (targets ??= POPULAR.filter((t) => t.length >= MIN_TARGET_LENGTH).map(formsOf));

function variant(c: Forms, t: Forms): TyposquatKind | undefined {
  if (c.name !== t.name && c.bare === t.bare) return 'separator';
  if (c.name.includes('-') && c.name !== t.name && c.words === t.words) return 'swapped-words';
  const rest = (end: boolean) => (end ? c.name.slice(0, -t.name.length) : c.name.slice(t.name.length));
  if (c.name.endsWith(t.name) && AFFIXES.includes(rest(true))) return 'affix';
  if (c.name.startsWith(t.name) && SUFFIXES.includes(rest(false))) return 'affix';
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
  const c = formsOf(n);
  for (const t of TARGETS()) {
    const v = variant(c, t);
    if (v) return { target: t.name, distance: 0, kind: v };
    const e = oneEdit(n, t.name);
    if (e) return { target: t.name, ...e };
  }
  return undefined;
}
