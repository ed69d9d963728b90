// pip requirements files: continuations, comments, global options and
// per-requirement `--hash`, as pip itself reads them (pip/_internal/req/req_file.py).
import { fileError } from '../errors';
import { isUrlOrPath, parsePep508, parseUrlRequirement } from './pep508';
import {
  PIP_HASHES,
  type PythonDependency,
  type PythonManifest,
  type PythonSourceKind,
  type RequirementsOption,
  hashProblem
} from './types';

/** Options that take a value, short and long forms mapped to the long one. */
const VALUE_OPTIONS: Record<string, string> = {
  '-r': '--requirement',
  '--requirement': '--requirement',
  '-c': '--constraint',
  '--constraint': '--constraint',
  '-i': '--index-url',
  '--index-url': '--index-url',
  '--extra-index-url': '--extra-index-url',
  '-f': '--find-links',
  '--find-links': '--find-links',
  '--trusted-host': '--trusted-host',
  '--no-binary': '--no-binary',
  '--only-binary': '--only-binary',
  '--use-feature': '--use-feature',
  '-e': '--editable',
  '--editable': '--editable'
};
const FLAG_OPTIONS = new Set(['--require-hashes', '--no-index', '--pre', '--prefer-binary']);

/** Logical lines: comments removed, `\` continuations joined, with the first physical line's number. */
export function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const physical = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let buf = '';
  let start = 0;
  physical.forEach((raw, i) => {
    // pip strips `#` comments only at line start or after whitespace, so `#egg=` stays.
    const line = raw.replace(/(^|\s+)#.*$/, '');
    if (!buf) start = i + 1;
    if (/\\$/.test(line)) {
      buf += line.slice(0, -1) + ' ';
      return;
    }
    buf += line;
    if (buf.trim()) out.push({ text: buf.trim(), line: start });
    buf = '';
  });
  if (buf.trim()) out.push({ text: buf.trim(), line: start });
  return out;
}

/** Splits on whitespace and `=` of long options (`--hash=sha256:x` → two tokens). */
function tokenize(s: string): string[] {
  return s
    .split(/\s+/)
    .flatMap((t) => (/^--[a-z-]+=/.test(t) ? [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] : [t]))
    .filter(Boolean);
}

/**
 * Reads a requirements file. `-r`/`-c` are recorded as options (the caller
 * decides whether to follow them); a malformed line throws a UserError naming file and line.
 */
export function parseRequirements(
  text: string,
  file: string,
  source: PythonSourceKind = 'requirements',
  lineOffset = 0
): PythonManifest {
  const dependencies: PythonDependency[] = [];
  const options: RequirementsOption[] = [];
  for (const { text: l, line: physLine } of logicalLines(text)) {
    const line = physLine + lineOffset;
    const tokens = tokenize(l);
    if (tokens[0].startsWith('-')) {
      const opt = VALUE_OPTIONS[tokens[0]] ?? (FLAG_OPTIONS.has(tokens[0]) ? tokens[0] : undefined);
      if (!opt) throw fileError(file, line, `unknown pip option '${tokens[0]}'`);
      if (opt === '--editable') {
        if (!tokens[1]) throw fileError(file, line, `'${tokens[0]}' needs a path or URL`);
        dependencies.push(toDependency(tokens.slice(1).join(' '), [], file, line, source, true));
        continue;
      }
      const value = FLAG_OPTIONS.has(opt) ? undefined : tokens[1];
      if (!FLAG_OPTIONS.has(opt) && !value) throw fileError(file, line, `'${tokens[0]}' needs a value`);
      options.push({ option: opt, value, line });
      continue;
    }
    // Per-requirement options start at the first ` --`; the requirement is what precedes it.
    const optAt = l.search(/\s--?[a-z]/);
    const reqText = optAt < 0 ? l : l.slice(0, optAt);
    const hashes: string[] = [];
    const reqOpts = optAt < 0 ? [] : tokenize(l.slice(optAt));
    for (let i = 0; i < reqOpts.length; i++) {
      const t = reqOpts[i];
      if (t === '--hash') {
        const h = reqOpts[++i];
        const problem = h ? hashProblem(h, PIP_HASHES) : 'no value';
        if (problem) throw fileError(file, line, `--hash: ${problem}`);
        hashes.push(h.toLowerCase());
      } else if (t === '--config-settings' || t === '--global-option' || t === '--install-option' || t === '-C') {
        i++;
      } else {
        throw fileError(file, line, `unknown per-requirement option '${t}'`);
      }
    }
    dependencies.push(toDependency(reqText, hashes, file, line, source, false));
  }
  return { file, kind: source, dependencies, options, lock: false };
}

function toDependency(
  reqText: string,
  hashes: string[],
  file: string,
  line: number,
  source: PythonSourceKind,
  editable: boolean
): PythonDependency {
  let req;
  try {
    req = isUrlOrPath(reqText) || editable ? parseUrlRequirement(reqText) : parsePep508(reqText);
  } catch (e) {
    throw fileError(file, line, (e as Error).message);
  }
  return { ...req, hashes, file, line, source, direct: true, editable: editable || undefined };
}
