// SPEC 8 (S8-4): is the release commit, and the release tag, signed and
// verified by GitHub? Findings when not; "not checked" when it cannot be read.
import { type Finding, type NotChecked, createFinding, describeApiError } from '@security-actions/core';
import type { Deps, Options, RunInfo } from './types';
import { RULES } from './rules';

/** False when require-signed-tag is set and the tag or commit is not verified (or could not be checked). */
export async function signatureGuard(
  opts: Options,
  run: RunInfo,
  deps: Deps,
  findings: Finding[],
  notChecked: NotChecked[],
  notes: string[]
): Promise<boolean> {
  if (!deps.github) {
    notChecked.push({ check: RULES.UNSIGNED_TAG.id, reason: 'no token to read tag and commit signatures' });
    return !opts.requireSignedTag;
  }
  const severity = opts.requireSignedTag ? 'high' : RULES.UNSIGNED_TAG.severity;
  let ok = true;
  try {
    const c = await deps.github.commitSignature(run.sha);
    if (c.verified) notes.push(`Release commit ${run.sha.slice(0, 12)} is signed and verified by GitHub.`);
    else {
      ok = false;
      findings.push(
        createFinding(RULES.UNSIGNED_COMMIT, {
          severity,
          message: `Release commit ${run.sha.slice(0, 12)} is not verified by GitHub (${c.reason}).`,
          key: run.sha
        })
      );
    }
  } catch (e) {
    ok = false;
    notChecked.push({
      check: RULES.UNSIGNED_COMMIT.id,
      reason: describeApiError(e, 'contents: read'),
      target: run.sha
    });
  }
  if (!run.tag) {
    notes.push(
      'No release tag in this run (not a release event, no release-tag input, not a tag ref): the tag signature was not checked.'
    );
    return ok || !opts.requireSignedTag;
  }
  try {
    const t = await deps.github.tagSignature(run.tag);
    if (!t) {
      ok = false;
      findings.push(
        createFinding(RULES.UNSIGNED_TAG, {
          severity,
          message: `Tag ${run.tag} does not exist in ${run.repository}.`,
          key: run.tag
        })
      );
    } else if (!t.verified) {
      ok = false;
      findings.push(
        createFinding(RULES.UNSIGNED_TAG, {
          severity,
          message: `Tag ${run.tag} is not verified by GitHub (${t.reason}).`,
          key: run.tag
        })
      );
    } else {
      notes.push(`Tag ${run.tag} is signed and verified by GitHub.`);
    }
  } catch (e) {
    ok = false;
    notChecked.push({ check: RULES.UNSIGNED_TAG.id, reason: describeApiError(e, 'contents: read'), target: run.tag });
  }
  return ok || !opts.requireSignedTag;
}
