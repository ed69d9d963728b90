// Version ordering for advisory ranges: PEP 440 for PyPI (through the
// maintained @renovatebot/pep440 `compare`, which agrees with packaging on
// its ordering vectors; its `satisfies` does not, so it is not used), and
// OSV's lenient SemVer for GitHub Actions tags.
import { compare as pep440Compare, valid as pep440Valid } from '@renovatebot/pep440';

export type Ordering = (a: string, b: string) => number;

export function isPep440(v: string): boolean {
  return pep440Valid(v) !== null;
}

export const comparePep440: Ordering = (a, b) => pep440Compare(a, b);

interface Semver {
  nums: number[];
  pre: string[];
}

function parseSemver(v: string): Semver | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (!m) return undefined;
  return { nums: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], pre: m[4] ? m[4].split('.') : [] };
}

export const isSemverish = (v: string): boolean => parseSemver(v) !== undefined;

/** SemVer 2.0 precedence, accepting a leading `v` and short versions (`v1.2` = 1.2.0) as OSV does. */
export const compareSemver: Ordering = (a, b) => {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (!x || !y) throw new Error(`not a version: ${!x ? a : b}`);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i] - y.nums[i];
  if (!x.pre.length || !y.pre.length) return (x.pre.length ? -1 : 0) + (y.pre.length ? 1 : 0);
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
};
