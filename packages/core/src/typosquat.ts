// Typosquat detection for PyPI names, after warehouse's TypoSnyper: a name
// that is not itself an established project but is one plausible typo away
// from a popular one. The data ship with the core (data/pypi-names.json, built
// by scripts/typosquat-data.mjs): the targets (the most downloaded projects)
// and the established names that sit one typo from a target (other projects
// of the top-downloads list and conda-forge's packages), which are never
// reported. Look-ups go through a deletion-neighbourhood index (SymSpell's
// idea): a name is compared only with the targets that share one of its
// one-character deletions, so a check costs microseconds, not a list scan.
import data from '../data/pypi-names.json' with { type: 'json' };
import type { SimpleProject } from './pypi';
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
  /** Damerau-Levenshtein distance between the two normalised names (0 for separator/word-order/affix variants). */
  distance: number;
  kind: TyposquatKind;
}

/** Below this length one edit turns most names into another real project: too many false alarms. */
const MIN_TARGET_LENGTH = 5;
const PREFIXES = ['python-', 'python', 'py-', 'py'];
const SUFFIXES = ['-python', 'python', '-py', 'py', '2', '3', '-dev', '-lib'];

// Substitutions people actually make: neighbouring keys on a QWERTY keyboard
// (TypoSnyper's typo map), look-alikes, and spelling slips (one vowel for
// another, c/k, s/z). `marray` for `xarray` is none of these: it is another
// project, not a typo.
const ROWS = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const SLIPS = ['1l', '1i', 'li', '0o', '5s', 'uv', 'ck', 'sz', ...pairs('aeiouy')];
const PLAUSIBLE = new Set<string>();
for (let r = 0; r < ROWS.length; r++) {
  for (let i = 0; i < ROWS[r].length; i++) {
    const near = [ROWS[r][i - 1], ROWS[r][i + 1], ROWS[r + 1]?.[i - 1], ROWS[r + 1]?.[i]];
    for (const n of near) if (n) SLIPS.push(ROWS[r][i] + n);
  }
}
for (const [a, b] of SLIPS) PLAUSIBLE.add(a + b).add(b + a);

function pairs(s: string): string[] {
  return [...s].flatMap((a, i) => [...s.slice(i + 1)].map((b) => a + b));
}

const bare = (s: string) => s.replace(/-/g, '');

/** Room for the form numbers beside a hash in one exact double: 2^32 hashes times 2^17 forms is under 2^53. */
const FORMS = 2 ** 17;
/** An odd multiplier (FNV's prime): the hash is a polynomial in it, mod 2^32. */
const B = 0x01000193;
let keyBuf = new Int32Array(64);
let powBuf = new Int32Array(64);
let sufBuf = new Int32Array(65);

/**
 * The hash of `s` (at 0) and of `s` without its character k (at k + 1), without making the strings: with
 * H(x) = sum of x[i]·B^(len-1-i), a deletion's hash is the prefix's times B^(n-1-k) plus the suffix's. The
 * array is reused by the next call.
 */
export function keyHashes(s: string): Int32Array {
  const n = s.length;
  if (keyBuf.length <= n)
    [keyBuf, powBuf, sufBuf] = [new Int32Array(2 * n + 2), new Int32Array(2 * n + 2), new Int32Array(2 * n + 3)];
  sufBuf[n] = 0;
  for (let i = n - 1, p = 1; i >= 0; i--, p = Math.imul(p, B)) {
    powBuf[n - 1 - i] = p;
    sufBuf[i] = (sufBuf[i + 1] + Math.imul(s.charCodeAt(i), p)) | 0;
  }
  keyBuf[0] = sufBuf[0];
  for (let k = 0, pre = 0; k < n; k++) {
    keyBuf[k + 1] = (Math.imul(pre, powBuf[n - 1 - k]) + sufBuf[k + 1]) | 0;
    pre = (Math.imul(pre, B) + s.charCodeAt(k)) | 0;
  }
  return keyBuf;
}
const words = (s: string) => s.split('-').sort().join('-');

/** The name without one `py`/`python` affix (hyphenated ones only when `hyphenated`), for names long enough. */
function cores(s: string, hyphenated = false): string[] {
  const out: string[] = [];
  if (!s.includes('py')) return out; // every affix holds it; most names do not (the index asks for 10,000 names)
  for (const p of PREFIXES) if (s.startsWith(p) && (!hyphenated || p.endsWith('-'))) out.push(s.slice(p.length));
  for (const x of SUFFIXES.slice(0, 4))
    if (s.endsWith(x) && (!hyphenated || x.startsWith('-'))) out.push(s.slice(0, -x.length));
  return out.filter((c) => c.length >= MIN_TARGET_LENGTH && !c.startsWith('-') && !c.endsWith('-'));
}

/** One edit between two names, classified, or undefined (two or more edits, or an implausible substitution). */
function oneEdit(a: string, b: string): TyposquatKind | undefined {
  if (a.length === b.length) {
    const diffs: number[] = [];
    for (let i = 0; i < a.length && diffs.length <= 2; i++) if (a[i] !== b[i]) diffs.push(i);
    if (diffs.length === 1) return PLAUSIBLE.has(a[diffs[0]] + b[diffs[0]]) ? 'substituted-character' : undefined;
    if (diffs.length === 2 && diffs[1] === diffs[0] + 1 && a[diffs[0]] === b[diffs[1]] && a[diffs[1]] === b[diffs[0]])
      return 'swapped-characters';
    return undefined;
  }
  if (Math.abs(a.length - b.length) !== 1) return undefined;
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && long[i] === short[i]) i++;
  if (long.slice(i + 1) !== short.slice(i)) return undefined;
  if (a.length < b.length) return 'omitted-character';
  return (i > 0 && a[i] === a[i - 1]) || a[i] === a[i + 1] ? 'repeated-character' : 'added-character';
}

/**
 * Targets indexed for one-typo look-ups. `established` names are never
 * reported; the targets themselves never are either.
 */
export class TyposquatIndex {
  private readonly rank = new Map<string, number>();
  private readonly established: ReadonlySet<string>;
  /**
   * Each target form (a target, or a target without a hyphenated `python`/`py` affix) and each of its deletions,
   * as `hash · FORMS + form`, sorted (see `keyHashes`). Every run that checks a name builds it (75,000 keys): one
   * typed array sorted natively, not a map of strings to arrays (about 100 ms of CPU before). A hash that meets
   * another only adds a candidate, which `oneEdit` then rejects.
   */
  private readonly byDeletion: Float64Array;
  private readonly forms: { form: string; target: number }[] = [];
  /** Separator-free, word-sorted and affix-free forms → target. */
  private readonly exact = {
    bare: new Map<string, number>(),
    words: new Map<string, number>(),
    core: new Map<string, number>()
  };

  constructor(
    readonly targets: readonly string[],
    established: Iterable<string> = []
  ) {
    this.established = new Set(established);
    targets.forEach((t, i) => this.rank.set(t, i));
    const keys: number[] = [];
    targets.forEach((t, i) => {
      if (t.length < MIN_TARGET_LENGTH) return;
      for (const form of [t, ...cores(t, true)]) {
        const f = this.forms.push({ form, target: i }) - 1;
        const hashes = keyHashes(form);
        for (let k = 0; k <= form.length; k++) keys.push(hashes[k] * FORMS + f);
      }
      setFirst(this.exact.bare, bare(t), i);
      if (t.includes('-')) setFirst(this.exact.words, words(t), i);
      for (const c of cores(t)) setFirst(this.exact.core, bare(c), i);
    });
    if (this.forms.length > FORMS) throw new Error(`typosquat index: more than ${FORMS} target forms`);
    this.byDeletion = Float64Array.from(keys).sort();
  }

  /** The forms filed under `hash`, in order (a doubled letter files a form twice under one deletion). */
  private *formsAt(hash: number): Generator<number> {
    const keys = this.byDeletion;
    const first = hash * FORMS;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < first) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < keys.length && keys[i] < first + FORMS; i++)
      if (i === lo || keys[i] !== keys[i - 1]) yield keys[i] - first;
  }

  /** Is the name a target or an established project (never reported)? */
  known(name: string): boolean {
    const n = normalizeName(name);
    return this.rank.has(n) || this.established.has(n);
  }

  /** The popular project `name` likely imitates (the most downloaded when several), or undefined. */
  match(name: string): TyposquatMatch | undefined {
    const n = normalizeName(name);
    if (this.rank.has(n) || this.established.has(n)) return undefined;
    let best: number | undefined;
    let found: TyposquatMatch | undefined;
    const offer = (target: number | undefined, kind: TyposquatKind | undefined, distance: number) => {
      if (target === undefined || !kind || (best !== undefined && target >= best)) return;
      best = target;
      found = { target: this.targets[target], kind, distance };
    };
    // Variants first: among matches of the same target, the more telling kind is named.
    const b = bare(n);
    offer(this.exact.bare.get(b), 'separator', 0);
    if (b !== n) offer(this.exact.words.get(words(n)), 'swapped-words', 0);
    if (n.includes('py') || /(\d|-dev|-lib)$/.test(n)) {
      const stripped = [
        ...cores(n),
        ...SUFFIXES.slice(4)
          .filter((x) => n.endsWith(x))
          .map((x) => n.slice(0, -x.length))
      ];
      for (const c of stripped) offer(this.exact.core.get(bare(c)) ?? this.exact.bare.get(bare(c)), 'affix', 0);
    }
    const keys = keyHashes(n); // nothing below hashes again, so the shared array stays as it is
    for (let i = 0; i <= n.length; i++) {
      for (const f of this.formsAt(keys[i])) {
        const { form, target } = this.forms[f];
        if (best !== undefined && target >= best) continue;
        offer(target, form === n ? 'affix' : oneEdit(n, form), form === n ? 0 : 1);
      }
    }
    return found;
  }
}

function setFirst(m: Map<string, number>, key: string, value: number): void {
  if (!m.has(key)) m.set(key, value);
}

const lines = (s: string) => s.split('\n').filter(Boolean);
let shipped: TyposquatIndex | undefined;
/** The index over the shipped data, built on first use. */
export function typosquatIndex(): TyposquatIndex {
  shipped ??= new TyposquatIndex(lines(data.targets), lines(data.established));
  return shipped;
}

/** Is the name one of the shipped targets (the most downloaded PyPI projects)? */
export function isPopularPackage(name: string): boolean {
  return typosquatIndex().targets.includes(normalizeName(name));
}

/** The popular project `name` is likely imitating, or undefined (see TyposquatIndex.match). */
export function findTyposquat(name: string): TyposquatMatch | undefined {
  return typosquatIndex().match(name);
}

/** A project on PyPI this old, with at least this many releases, is an established one, not a fresh squat. */
export const ESTABLISHED = { days: 180, releases: 3 };

export interface PyPIStanding {
  established: boolean;
  releases: number;
  /** ISO date of the oldest file PyPI lists. */
  firstUpload?: string;
  ageDays?: number;
}

/** How long a project has been on PyPI and how many releases it has, from its Simple API answer. */
export function pypiStanding(project: SimpleProject, now: Date): PyPIStanding {
  const releases = new Set([...project.versions, ...project.files.map((f) => f.version).filter(Boolean)]).size;
  const first = project.files
    .map((f) => f.uploadTime)
    .filter((t): t is string => !!t && !Number.isNaN(Date.parse(t)))
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  const ageDays = first ? Math.floor((now.getTime() - Date.parse(first)) / 86_400_000) : undefined;
  return {
    established: releases >= ESTABLISHED.releases && (ageDays ?? 0) >= ESTABLISHED.days,
    releases,
    firstUpload: first?.slice(0, 10),
    ageDays
  };
}
