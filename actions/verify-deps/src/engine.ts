// verify-deps engine: a pure function over the files it is given. This
// version checks the form of every action reference (offline); checks that
// need PyPI, OSV or the GitHub API are reported as not checked.
import {
  type EngineResult,
  FULL_SHA,
  type Finding,
  type NotChecked,
  createFinding,
  findUses,
  oneLine,
  parseYamlFile
} from '@security-actions/core';
import { NO_VERSION_COMMENT, RULES, UNPINNED_ACTION, UNPINNED_DOCKER } from './rules';

export const CHECKS = ['pinning', 'vulnerabilities', 'provenance', 'typosquats', 'actions'] as const;
export type Check = (typeof CHECKS)[number];

export interface SourceFile {
  /** Path relative to the scanned root. */
  path: string;
  text: string;
}

export interface VerifyOptions {
  checks: ReadonlySet<Check>;
  offline: boolean;
}

/** Checks the `uses:` references of workflow and action metadata files. */
export function checkActionRefs(files: SourceFile[]): { findings: Finding[]; errors: string[]; count: number } {
  const findings: Finding[] = [];
  const errors: string[] = [];
  let count = 0;
  for (const f of files) {
    let refs;
    try {
      refs = findUses(parseYamlFile(f.text, f.path));
    } catch (e) {
      errors.push(oneLine(e));
      continue;
    }
    for (const u of refs) {
      if (u.kind === 'local') continue; // same repository, same commit: nothing to pin
      count++;
      const location = { file: u.file, line: u.line, column: u.column };
      if (u.kind === 'docker') {
        if (!u.ref) findings.push(createFinding(UNPINNED_DOCKER, { message: `\`${u.raw}\` names a mutable image tag.`, location, evidence: u.raw }));
        continue;
      }
      if (!u.ref || !FULL_SHA.test(u.ref)) {
        const what = !u.ref ? 'has no ref at all' : /^[0-9a-f]{7,39}$/.test(u.ref) ? `uses a short SHA (${u.ref}), which can collide with a commit pushed to a fork` : `uses the mutable ref \`${u.ref}\``;
        findings.push(createFinding(UNPINNED_ACTION, { message: `\`${u.owner}/${u.repo}${u.path ? `/${u.path}` : ''}\` ${what}.`, location, evidence: u.raw }));
      } else if (!u.comment) {
        findings.push(createFinding(NO_VERSION_COMMENT, { message: `\`${u.raw}\` has no version comment.`, location, evidence: u.raw }));
      }
    }
  }
  return { findings, errors, count };
}

const NOT_YET: Record<Check, string> = {
  pinning: 'Python dependency pinning and hashes',
  vulnerabilities: 'OSV vulnerability and malware lookup',
  provenance: 'PEP 740 provenance verification',
  typosquats: 'typosquat detection',
  actions: 'resolving action tags, impostor commits and known-compromised SHAs through the GitHub API'
};

export function verifyDeps(files: SourceFile[], opts: VerifyOptions): EngineResult & { count: number } {
  const notChecked: NotChecked[] = [];
  let findings: Finding[] = [];
  let errors: string[] = [];
  let count = 0;
  if (opts.checks.has('actions')) {
    ({ findings, errors, count } = checkActionRefs(files));
  }
  for (const c of opts.checks) {
    notChecked.push({ check: c, reason: `${NOT_YET[c]} is not part of this version` });
  }
  return { rules: RULES, findings, errors, notChecked, count, stats: { 'action references': count, files: files.length } };
}
