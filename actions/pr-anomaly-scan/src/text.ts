// Rules over the lines a PR adds to text files: the core content analysers
// (Unicode, obfuscation, shell payloads, malicious behaviour, install hooks,
// package indexes) and the build-system rules. They see one file at a time
// (the diff is streamed), so they are plain functions of the added lines.
import type { Finding } from '@security-actions/core';
import { analyseAdded } from '@security-actions/core/content';
import type { AddedText } from './types';
import { buildHits } from './build';
import { hitToFinding } from './lines';

/** An action's committed bundle: the content rules compare its sinks with the old bundle's. */
export const ACTION_DIST = /(^|\/)dist\/[^/]*\.(c|m)?js$/;

/** Every line rule over one file's added lines; `before`: the file at the base (read for `dist/*.js`). */
export function scanAddedText(
  file: AddedText,
  all = file.added.map((l) => l.text).join('\n'),
  before?: string
): Finding[] {
  if (!file.added.length) return [];
  return [
    ...analyseAdded(file.path, file.added, { joined: all, before }),
    ...buildHits(file.path, file.added, all).map((h) => hitToFinding(file.path, h))
  ];
}
