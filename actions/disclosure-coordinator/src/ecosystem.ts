// The ecosystem map: what each downstream repository declares and locks.
// Dependency files are found at the root and in `requirements/` (plus any the
// config names), read through the contents API and parsed with the core's
// parsers; the dependency graph's SBOM adds what GitHub resolved where the
// graph is on. A file that cannot be read or parsed is "not checked", named
// with its line, so a pin it may hold is never read as absent.
import {
  type Octokit,
  describeApiError,
  normalizeName,
  oneLine,
  parsePythonFile,
  pythonFileKind
} from '@security-actions/core';
import pLimit from 'p-limit';
import type { Budget } from './github';
import type { DependencyEntry } from './types';

export const SBOM_FILE = 'dependency graph';

export interface RepoDependencies {
  repo: string;
  entries: DependencyEntry[];
  /** Dependency files read. */
  files: string[];
  /** Reasons parts of the repository could not be read. */
  problems: string[];
  /** Whether the SBOM was read, is off (graph disabled), or was not asked for. */
  sbom: 'read' | 'off' | 'skipped';
  /** Requests made. */
  requests: number;
}

interface ContentEntry {
  name: string;
  path: string;
  type: string;
}

export async function readDependencies(
  api: Octokit,
  repo: string,
  opts: { files?: string[]; sbom: boolean; budget: Budget }
): Promise<RepoDependencies> {
  const [owner, name] = repo.split('/');
  const out: RepoDependencies = { repo, entries: [], files: [], problems: [], sbom: 'skipped', requests: 0 };
  const list = async (path: string): Promise<ContentEntry[]> => {
    out.requests++;
    const { data } = await api.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo: name, path });
    if (!Array.isArray(data)) throw new Error(`GitHub answered the listing of /${path} without a list`);
    return data as ContentEntry[];
  };
  const candidates = new Set<string>(opts.files ?? []);
  try {
    const root = await list('');
    for (const e of root) if (e.type === 'file' && pythonFileKind(e.path)) candidates.add(e.path);
    if (root.some((e) => e.type === 'dir' && e.name === 'requirements'))
      for (const e of await list('requirements'))
        if (e.type === 'file' && pythonFileKind(e.path)) candidates.add(e.path);
  } catch (e) {
    opts.budget.note(e);
    out.problems.push(`dependency files not listed: ${describeApiError(e, 'contents: read')}`);
  }
  // The files and the SBOM are independent: read them a few at a time, kept in path order.
  const limit = pLimit(4);
  const sbom = opts.sbom ? limit(() => readSbom(api, repo, out, opts.budget)) : Promise.resolve([]);
  const texts = await Promise.all(
    [...candidates].sort().map((path) =>
      limit(async () => {
        try {
          out.requests++;
          const { data } = await api.request('GET /repos/{owner}/{repo}/contents/{path}', {
            owner,
            repo: name,
            path,
            mediaType: { format: 'raw' }
          });
          if (typeof data !== 'string') throw new Error(`GitHub answered ${path} without its text`);
          return { path, text: data };
        } catch (e) {
          opts.budget.note(e);
          out.problems.push(
            `${path} not read: ${(e as { status?: number }).status ? describeApiError(e, 'contents: read') : oneLine(e)}`
          );
          return undefined;
        }
      })
    )
  );
  for (const t of texts) {
    if (!t) continue;
    out.files.push(t.path);
    out.entries.push(...entriesOf(repo, t.path, t.text, out.problems));
  }
  out.entries.push(...newFromSbom(await sbom, out.entries));
  return out;
}

/** Every dependency a file names; a file that does not parse is a problem naming file and line. */
export function entriesOf(repo: string, path: string, text: string, problems: string[]): DependencyEntry[] {
  let manifest;
  try {
    manifest = parsePythonFile(text, path);
  } catch (e) {
    problems.push(oneLine(e));
    return [];
  }
  const lines = text.split(/\r?\n/);
  const hashesRequired = manifest.options.some((o) => o.option === '--require-hashes');
  return manifest.dependencies
    .filter((d) => !d.url && !d.vcs && !d.path)
    .map((d) => {
      // A lock names a package on its table's header; the line that pins it is the table's `version =`.
      const line = manifest.lock ? (versionLine(lines, d.line) ?? d.line) : d.line;
      const text = lines[line - 1]?.trim();
      return { d, line, text: manifest.lock && line !== d.line ? `${d.rawName}: ${text}` : text };
    })
    .map(({ d, line, text }) => ({
      repo,
      file: path,
      line,
      text,
      name: d.name,
      specifier: d.specifier,
      version: d.version,
      kind: manifest.kind,
      lock: manifest.lock,
      hashed: hashesRequired || d.hashes.length > 0
    }));
}

/** The 1-based line of `version = …` in the TOML table whose header is on line `header`, if any. */
function versionLine(lines: string[], header: number): number | undefined {
  for (let i = header; i < lines.length && !/^\s*\[/.test(lines[i]); i++)
    if (/^\s*version\s*=/.test(lines[i])) return i + 1;
  return undefined;
}

/** The SBOM's PyPI packages (an exact version, or the range the graph copied), or [] when it is off or unreadable. */
async function readSbom(api: Octokit, repo: string, out: RepoDependencies, budget: Budget): Promise<DependencyEntry[]> {
  const [owner, name] = repo.split('/');
  let packages: { versionInfo?: unknown; externalRefs?: { referenceLocator?: unknown }[] }[];
  try {
    out.requests++;
    const { data } = await api.request('GET /repos/{owner}/{repo}/dependency-graph/sbom', { owner, repo: name });
    packages = (data as { sbom?: { packages?: unknown } }).sbom?.packages as typeof packages;
    if (!Array.isArray(packages)) throw new Error('GitHub answered the SBOM without packages');
  } catch (e) {
    budget.note(e);
    if ((e as { status?: number }).status === 404) out.sbom = 'off';
    else out.problems.push(`dependency graph SBOM not read: ${describeApiError(e, 'contents: read')}`);
    return [];
  }
  out.sbom = 'read';
  const entries: DependencyEntry[] = [];
  for (const p of packages) {
    const purl = (p.externalRefs ?? [])
      .map((r) => String(r.referenceLocator ?? ''))
      .find((l) => l.startsWith('pkg:pypi/'));
    const m = purl ? /^pkg:pypi\/([^@?#]+)(?:@([^?#]+))?/.exec(purl) : null;
    if (!m) continue;
    const version = m[2] ? decodeURIComponent(m[2]) : undefined;
    const range = !version && typeof p.versionInfo === 'string' ? p.versionInfo.replace(/\s+/g, '') : '';
    if (!version && !range) continue;
    entries.push({
      repo,
      file: SBOM_FILE,
      name: normalizeName(decodeURIComponent(m[1])),
      specifier: version ? `==${version}` : range,
      version,
      kind: 'sbom',
      lock: Boolean(version),
      hashed: false
    });
  }
  return entries;
}

/** SBOM entries a file did not already give: an exact version may be transitive, a range the graph copied adds nothing. */
function newFromSbom(sbom: DependencyEntry[], files: DependencyEntry[]): DependencyEntry[] {
  const known = new Set(files.map((e) => `${e.name}@${e.version ?? ''}`));
  const declared = new Set(files.map((e) => e.name));
  return sbom.filter((e) => (e.version ? !known.has(`${e.name}@${e.version}`) : !declared.has(e.name)));
}
