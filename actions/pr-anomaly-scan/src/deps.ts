// Dependency rules over the shared core parsers and typosquat detector: what
// the PR adds to pyproject, requirements and environment files.
import { type Finding, createFinding, findTyposquat, parsePythonFile, pythonFileKind } from '@security-actions/core';
import { CONTENT_RULES } from '@security-actions/core/content';
import { RULES as R } from './rules';
import { parseBoth } from './sides';

export const isDependencyFile = (path: string) => {
  const k = pythonFileKind(path);
  return k !== undefined && !k.endsWith('lock'); // lock files follow their manifests; scanning them twice doubles every finding
};

export function scanDependencies(
  file: string,
  baseText: string | undefined,
  headText: string
): { findings: Finding[]; error?: string } {
  const parsed = parseBoth(parsePythonFile, file, baseText, headText);
  if ('error' in parsed) return { findings: [], error: parsed.error };
  const { head, base } = parsed;
  const findings: Finding[] = [];
  // A VCS dependency is known by its repository, not its ref (nor the name a bare URL's ref is part of): whoever
  // controls the repository controls every ref, so pinning `git+https://…/devpy` to `@v0.1`
  // (scikit-image@45e2b7d647d9) brings no new source.
  const source = (d: (typeof head.dependencies)[number]) => (d.vcs ? `vcs ${d.vcs.url}` : `${d.name}|${d.url ?? ''}`);
  const known = new Set(base?.dependencies.map(source) ?? []);
  const knownNames = new Set(base?.dependencies.map((d) => d.name) ?? []);
  for (const d of head.dependencies) {
    if (known.has(source(d))) continue;
    const location = { file, line: d.line };
    const squat = findTyposquat(d.name);
    if (squat) {
      findings.push(
        createFinding(R.DEP_TYPOSQUAT, {
          message: `\`${d.rawName}\` is one ${squat.kind.replace(/-/g, ' ')} away from the popular \`${squat.target}\`.`,
          evidence: d.rawName,
          location,
          properties: { target: squat.target, kind: squat.kind }
        })
      );
    }
    if (d.url || d.vcs) {
      findings.push(
        createFinding(CONTENT_RULES.DIRECT_URL, {
          message: `\`${d.rawName}\` comes from ${d.vcs ? `${d.vcs.type} ${d.vcs.url}` : d.url}.`,
          evidence: d.vcs?.url ?? d.url ?? d.rawName,
          location,
          // Read against the repository and the base text by the engine (text.ts, indexesNotNew).
          ...((d.vcs?.url ?? d.url) && { properties: { value: d.vcs?.url ?? d.url } })
        })
      );
    }
    if (!knownNames.has(d.name) && !squat) {
      findings.push(
        createFinding(R.DEP_NEW, {
          message: `New dependency \`${d.rawName}\`${d.group ? ` (${d.group})` : ''}.`,
          evidence: d.rawName,
          location
        })
      );
    }
  }
  const baseOptions = new Set(base?.options.map((o) => `${o.option} ${o.value ?? ''}`) ?? []);
  for (const o of head.options) {
    if (
      !/index-url|find-links|trusted-host|^-i$|^-f$/.test(o.option) ||
      baseOptions.has(`${o.option} ${o.value ?? ''}`)
    )
      continue;
    findings.push(
      createFinding(CONTENT_RULES.INDEX_URL, {
        message: `\`${o.option} ${o.value ?? ''}\` adds a package source.`,
        evidence: `${o.option} ${o.value ?? ''}`.trim(),
        location: { file, line: o.line }
      })
    );
  }
  return { findings };
}
