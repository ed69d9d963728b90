// Rules over the lines a PR adds to text files: the core content analysers
// (Unicode, obfuscation, shell payloads, malicious behaviour, install hooks,
// package indexes) and the build-system rules. They see one file at a time
// (the diff is streamed), so they are plain functions of the added lines.
import { type Finding, sourceIdentity, sourceOwner } from '@security-actions/core';
import { analyseAdded, judgeIndexVariable } from '@security-actions/core/content';
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
 * A package index (or a URL or repository an install command installs from)
 * that an added line names is new only if the file's base version does not
 * name it: a reformatted `pip install` line keeps the index it had, a new ref
 * of a repository the file already installs from is the same source. Such a
 * finding stays, at low, saying so. `read` gives the base texts.
 */
const SOURCE_RULES: Record<string, string> = {
  'deps/index-url': 'The base version of the file already names this index.',
  'deps/direct-url': 'The base version of the file already installs from this source.'
};

export async function indexesNotNew(
  findings: Finding[],
  files: ChangedFile[],
  read: (shas: string[]) => Promise<Map<string, string>>,
  /** The repository scanned (`owner/name`): a source of its own organisation is its own code. */
  repository?: string
): Promise<Finding[]> {
  const old = new Map(files.filter((f) => !isNullSha(f.oldSha)).map((f) => [f.path, f.oldSha]));
  const value = (f: Finding) =>
    SOURCE_RULES[f.ruleId] && f.severity !== 'low' && typeof f.properties?.value === 'string'
      ? f.properties.value
      : undefined;
  const owner = repository?.split('/')[0].toLowerCase();
  const ownSource = (f: Finding) => {
    const id = f.ruleId === 'deps/direct-url' ? sourceIdentity(value(f) ?? '') : undefined;
    return owner && id && sourceOwner(id) === owner ? id : undefined;
  };
  const sha = (f: Finding) => old.get(f.location?.file ?? '');
  const shas = [...new Set(findings.flatMap((f) => (value(f) && !ownSource(f) && sha(f)) || []))];
  const texts = shas.length ? await read(shas) : new Map<string, string>();
  return findings.map((f) => {
    if (!value(f)) return f;
    if (ownSource(f))
      return {
        ...f,
        severity: 'low',
        message: `${f.message} \`${owner}\` is the repository's own organisation: the project's own code.`
      };
    const base = texts.get(sha(f) ?? '');
    return base !== undefined && namesSource(base, f.ruleId, value(f)!)
      ? { ...f, severity: 'low', message: `${f.message} ${SOURCE_RULES[f.ruleId]}` }
      : f;
  });
}

/**
 * The base text names this index or source: an index by its URL, a direct source by where its code comes from,
 * however it is spelt (geopandas' `git clone git://github.com/pydata/pandas.git` and `git+https://…/pandas.git`).
 */
function namesSource(base: string, ruleId: string, value: string): boolean {
  if (base.includes(value)) return true;
  const id = ruleId === 'deps/direct-url' ? sourceIdentity(value) : undefined;
  if (!id) return false;
  const lower = base.toLowerCase();
  const spelt = [id, id.replace('/', ':')]; // `host/owner/name`, and scp's `host:owner/name`
  return spelt.some((s) => {
    for (let at = lower.indexOf(s); at >= 0; at = lower.indexOf(s, at + 1))
      if (!/[\w-]/.test(lower.slice(at + s.length).replace(/^\.git/, '')[0] ?? '')) return true; // not `…/dask-ml`
    return false;
  });
}

/**
 * A package index an added line names through a variable (`-i ${{ env.X }}`, `$X`) that the added lines do not
 * define is judged by the whole file at the head: a workflow, job or step `env:` or an `X=` line that sets it to a
 * literal URL makes it that URL's finding (a well-known host is low; PyPI is none). Unresolved, it stays.
 * `read` gives the head texts.
 */
export async function indexVariablesResolved(
  findings: Finding[],
  files: ChangedFile[],
  read: (shas: string[]) => Promise<Map<string, string>>
): Promise<Finding[]> {
  const head = new Map(files.filter((f) => !isNullSha(f.newSha)).map((f) => [f.path, f.newSha]));
  const unresolved = (f: Finding) =>
    f.ruleId === 'deps/index-url' &&
    typeof f.properties?.value === 'string' &&
    typeof f.properties.option === 'string' &&
    f.properties.variable === undefined &&
    f.properties.value.startsWith('$');
  const sha = (f: Finding) => head.get(f.location?.file ?? '');
  const shas = [...new Set(findings.flatMap((f) => (unresolved(f) && sha(f)) || []))];
  if (!shas.length) return findings;
  const texts = await read(shas);
  return findings.flatMap((f) => {
    const text = unresolved(f) ? texts.get(sha(f)!) : undefined;
    const judged =
      text === undefined
        ? undefined
        : judgeIndexVariable(String(f.properties!.option), String(f.properties!.value), text);
    if (!judged) return [f];
    if (!judged.severity) return [];
    return [
      {
        ...f,
        severity: judged.severity,
        message: `${f.message} The file sets it to ${judged.urls.join(', ')}.`,
        properties: { ...f.properties, value: judged.urls[0], variable: f.properties!.value }
      }
    ];
  });
}
