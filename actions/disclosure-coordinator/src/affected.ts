// Who an advisory affects: each Python package it names, its affected range
// and patched versions, evaluated against every downstream dependency with the
// core's PEP 440 sets. An exact pin is affected when the range contains it; a
// declared range when it admits an affected version, and it matters whether it
// also admits a patched release.
import { VersionSet, comparePep440Versions, normalizeName, patchedVersions } from '@security-actions/core';
import type { Advisory, Affected, DependencyEntry } from './types';

interface PackageRisk {
  name: string;
  ranges: string[];
  affected: VersionSet;
  patched: string[];
  /** What lies outside the affected range from the first patched release on; empty when none is named. */
  fixed: VersionSet;
}

/** The Python packages an advisory names with their ranges, and what prevents evaluating the others. */
export function packageRisks(advisory: Advisory): { risks: PackageRisk[]; problems: string[] } {
  const byName = new Map<string, { ranges: string[]; patched: string[] }>();
  const problems: string[] = [];
  for (const v of advisory.vulnerabilities) {
    if (v.ecosystem !== 'pip' || !v.name) continue;
    const name = normalizeName(v.name);
    if (!v.range) {
      problems.push(`${advisory.ghsa} gives no affected version range for ${v.name}`);
      continue;
    }
    const entry = byName.get(name) ?? byName.set(name, { ranges: [], patched: [] }).get(name)!;
    entry.ranges.push(v.range);
    entry.patched.push(...patchedVersions(v.patched));
  }
  const risks: PackageRisk[] = [];
  for (const [name, { ranges, patched }] of byName) {
    let affected = VersionSet.none();
    try {
      for (const r of ranges) affected = affected.union(VersionSet.fromAdvisoryRange(r));
    } catch (e) {
      problems.push(`${advisory.ghsa}: the affected range of ${name} is not understood (${(e as Error).message})`);
      continue;
    }
    const sorted = [...new Set(patched)].sort(comparePep440Versions);
    const fixed = sorted.length
      ? affected.complement().intersect(VersionSet.fromSpecifier(`>=${sorted[0]}`))
      : VersionSet.none();
    risks.push({ name, ranges, affected, patched: sorted, fixed });
  }
  return { risks, problems };
}

/** The entries of `deps` the advisory affects, and the entries that could not be evaluated (with why). */
export function affectedEntries(
  advisory: Advisory,
  risks: PackageRisk[],
  deps: DependencyEntry[]
): { affected: Affected[]; unevaluated: { entry: DependencyEntry; reason: string }[] } {
  const affected: Affected[] = [];
  const unevaluated: { entry: DependencyEntry; reason: string }[] = [];
  for (const risk of risks) {
    for (const entry of deps.filter((d) => d.name === risk.name && d.repo !== advisory.repo)) {
      const base = { advisory, repo: entry.repo, entry, range: risk.ranges.join(' || '), patched: risk.patched };
      if (entry.version) {
        if (risk.affected.contains(entry.version)) affected.push({ ...base, exposure: 'pins-affected' });
        continue;
      }
      let allowed: VersionSet;
      try {
        allowed = VersionSet.fromSpecifier(entry.specifier);
      } catch (e) {
        unevaluated.push({
          entry,
          reason: `the requirement '${entry.specifier}' is not understood (${(e as Error).message})`
        });
        continue;
      }
      if (allowed.intersect(risk.affected).isEmpty()) continue;
      const admitsFix = !allowed.intersect(risk.fixed).isEmpty();
      affected.push({
        ...base,
        exposure: admitsFix || !risk.patched.length ? 'range-allows-affected' : 'range-excludes-fix'
      });
    }
  }
  return { affected, unevaluated };
}

/** The smallest patched release above `pinned` that the affected range does not contain. */
export function upgradeFor(pinned: string, a: Affected): string | undefined {
  const affected = a.range.split(' || ').reduce((s, r) => s.union(VersionSet.fromAdvisoryRange(r)), VersionSet.none());
  return a.patched.find((p) => comparePep440Versions(p, pinned) > 0 && !affected.contains(p));
}

/** Exposures that need the downstream project to act: an affected pin, or a range the fix is outside of. */
export const needsAction = (a: Affected): boolean => a.exposure !== 'range-allows-affected';
