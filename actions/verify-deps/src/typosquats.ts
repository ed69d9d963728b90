// Typosquat candidates among direct dependencies (the core's index), then,
// online, PyPI's word on each: an established project (on PyPI for months,
// several releases) is dropped, a fresh or missing one is confirmed.
import {
  type Finding,
  type NotChecked,
  type PythonManifest,
  type PyPIClient,
  ESTABLISHED,
  createFinding,
  findTyposquat,
  oneLine,
  pypiStanding
} from '@security-actions/core';
import type { Policy } from './policy';
import { RULES } from './rules';

const DAY = 86_400_000;

/** The oldest upload time a lock records for a package, if any. */
function lockedSince(manifests: PythonManifest[], name: string): number | undefined {
  const times = manifests
    .filter((m) => m.lock)
    .flatMap((m) => m.dependencies.filter((d) => d.name === name))
    .flatMap((d) => (d.files ?? []).map((f) => Date.parse(f.uploadTime ?? '')))
    .filter((t) => !Number.isNaN(t));
  return times.length ? Math.min(...times) : undefined;
}

/** Direct dependencies one plausible typo from a popular project and not established themselves (offline). */
export function checkTyposquats(manifests: PythonManifest[], policy: Policy, now: Date): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const m of manifests) {
    for (const d of m.dependencies) {
      if (!d.direct || d.url || d.path || policy.typosquatAllow.has(d.name) || seen.has(`${d.file}:${d.name}`))
        continue;
      seen.add(`${d.file}:${d.name}`);
      const hit = findTyposquat(d.name);
      if (!hit) continue;
      // A release the project has locked for months has been on PyPI that long: squats are taken down in days.
      const since = lockedSince(manifests, d.name);
      if (since !== undefined && now.getTime() - since >= ESTABLISHED.days * DAY) continue;
      out.push(
        createFinding(RULES.PY_TYPOSQUAT, {
          confidence: 'medium',
          message: `\`${d.rawName}\` looks like a typo of the popular \`${hit.target}\` (${hit.kind.replace(/-/g, ' ')}), and is not an established project the check knows of.`,
          evidence: d.rawName,
          location: { file: d.file, line: d.line },
          key: d.name,
          properties: { package: d.name, target: hit.target, kind: hit.kind, distance: hit.distance }
        })
      );
    }
  }
  return out;
}

/**
 * PyPI's word on each typosquat candidate: an established project is
 * dropped (and named in a note), the others keep their finding with what
 * PyPI says. Without PyPI (offline, or a failed look-up) the candidates
 * stay, listed as not checked.
 */
export async function confirmTyposquats(
  findings: Finding[],
  pypi: PyPIClient | undefined,
  now: Date,
  offline: boolean
): Promise<{ findings: Finding[]; notChecked: NotChecked[]; notes: string[] }> {
  const candidates = findings.filter((f) => f.ruleId === RULES.PY_TYPOSQUAT.id);
  const names = [...new Set(candidates.map((f) => String(f.properties!.package)))];
  if (!names.length) return { findings, notChecked: [], notes: [] };
  if (!pypi) {
    const reason = offline
      ? 'offline: telling an established project from a fresh squat needs PyPI (age and release count)'
      : 'no PyPI client';
    return { findings, notChecked: [{ check: RULES.PY_TYPOSQUAT.id, target: names.join(', '), reason }], notes: [] };
  }
  const notChecked: NotChecked[] = [];
  const established = new Set<string>();
  const said = new Map<string, string>();
  await Promise.all(
    names.map(async (name) => {
      try {
        const project = await pypi.simple(name);
        if (!project)
          return void said.set(
            name,
            ' PyPI has no such project: the install fails today, and anyone can register the name.'
          );
        const s = pypiStanding(project, now);
        if (s.established) established.add(name);
        else
          said.set(
            name,
            ` On PyPI: ${s.releases} release${s.releases === 1 ? '' : 's'}${s.firstUpload ? `, first uploaded ${s.firstUpload} (${s.ageDays} days ago)` : ''}.`
          );
      } catch (e) {
        notChecked.push({ check: RULES.PY_TYPOSQUAT.id, target: name, reason: oneLine(e) });
      }
    })
  );
  const kept = findings
    .filter((f) => f.ruleId !== RULES.PY_TYPOSQUAT.id || !established.has(String(f.properties!.package)))
    .map((f) => {
      const more = f.ruleId === RULES.PY_TYPOSQUAT.id ? said.get(String(f.properties!.package)) : undefined;
      return more ? { ...f, message: f.message + more, confidence: 'high' as const } : f;
    });
  const notes = established.size
    ? [
        `Typosquat candidates that PyPI shows as established projects (at least ${ESTABLISHED.releases} releases, first upload over ${ESTABLISHED.days} days ago), not reported: ${[...established].sort().join(', ')}.`
      ]
    : [];
  return { findings: kept, notChecked, notes };
}
