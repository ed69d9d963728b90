// Rules over the lines a PR adds to text files: invisible Unicode,
// obfuscation, build-system and import-time code. They see one file at a time
// (the diff is streamed), so they are plain functions of the added lines.
import type { Finding } from '@security-actions/core';
import type { AddedText } from './types';
import { buildHits } from './build';
import { hitToFinding } from './lines';
import { obfuscationHits } from './obfuscation';
import { unicodeHits } from './unicode';

/** Every line rule over one file's added lines. */
export function scanAddedText(file: AddedText, all = file.added.map((l) => l.text).join('\n')): Finding[] {
  const lines = file.added;
  if (!lines.length) return [];
  const hits = [
    ...unicodeHits(file.path, lines, all),
    ...obfuscationHits(file.path, lines, all),
    ...buildHits(file.path, lines, all)
  ];
  return hits.map((h) => hitToFinding(file.path, h));
}
