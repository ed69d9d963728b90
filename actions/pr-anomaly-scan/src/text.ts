// Rules over the lines a PR adds to text files: the core content analysers
// (Unicode, obfuscation, shell payloads, malicious behaviour, install hooks,
// package indexes) and the build-system rules. They see one file at a time
// (the diff is streamed), so they are plain functions of the added lines.
import type { Finding } from '@security-actions/core';
import { analyseAdded } from '@security-actions/core/content';
import { type AddedText, type ChangedFile, isNullSha } from './types';
import { type Sides, buildHits } from './build';
import { hitToFinding } from './lines';

/** An action's committed bundle: the content rules compare its sinks with the old bundle's. */
export const ACTION_DIST = /(^|\/)dist\/[^/]*\.(c|m)?js$/;

/**
 * Every line rule over one file's added lines; `before`: the file at the base (read for `dist/*.js`);
 * `sides`: both sides of a test hook (`wantsSides`), for the build rules.
 */
export function scanAddedText(file: AddedText, before?: string, sides?: Sides): Finding[] {
  if (!file.numbers.length) return [];
  return [
    ...analyseAdded(file.path, { joined: file.text, numbers: file.numbers, utf8Bytes: file.utf8Bytes }, { before }),
    ...buildHits(file, sides).map((h) => hitToFinding(file.path, h))
  ];
}

/**
 * A package index an added line names is new only if the file's base version
 * does not name it: a reformatted `pip install` line keeps the index it had.
 * Such a finding stays, at low, saying so. `read` gives the base texts.
 */
export async function indexesNotNew(
  findings: Finding[],
  files: ChangedFile[],
  read: (shas: string[]) => Promise<Map<string, string>>
): Promise<Finding[]> {
  const old = new Map(files.filter((f) => !isNullSha(f.oldSha)).map((f) => [f.path, f.oldSha]));
  const value = (f: Finding) =>
    f.ruleId === 'deps/index-url' && f.severity !== 'low' && typeof f.properties?.value === 'string'
      ? f.properties.value
      : undefined;
  const sha = (f: Finding) => old.get(f.location?.file ?? '');
  const shas = [...new Set(findings.flatMap((f) => (value(f) && sha(f)) || []))];
  if (!shas.length) return findings;
  const texts = await read(shas);
  return findings.map((f) =>
    value(f) && texts.get(sha(f)!)?.includes(value(f)!)
      ? { ...f, severity: 'low', message: `${f.message} The base version of the file already names this index.` }
      : f
  );
}
