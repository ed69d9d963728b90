// Python dependency files, read into one shape (see types.ts).
import { basename } from 'node:path';
import { parseEnvironmentYml } from './environment';
import { parsePoetryLock, parsePylock, parseUvLock } from './locks';
import { parsePyproject } from './pyproject';
import { parseRequirements } from './requirements';
import type { PythonManifest, PythonSourceKind } from './types';

export * from './types';
export { parsePep508, parseVcsUrl, nameFromUrl } from './pep508';
export { parseRequirements, logicalLines } from './requirements';
export { parsePyproject } from './pyproject';
export { parseTomlFile } from './toml';
export { parseUvLock, parsePoetryLock, parsePylock } from './locks';
export { parseEnvironmentYml } from './environment';

/** The format of a Python dependency file from its name, or undefined if it is not one. */
export function pythonFileKind(path: string): PythonSourceKind | undefined {
  const name = basename(path);
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'uv.lock') return 'uv-lock';
  if (name === 'poetry.lock') return 'poetry-lock';
  if (/^pylock\.([^.]+\.)?toml$/.test(name)) return 'pylock';
  if (/^environment.*\.ya?ml$/.test(name)) return 'environment-yml';
  if (
    /^requirements.*\.(txt|in)$/.test(name) ||
    /^constraints.*\.txt$/.test(name) ||
    (/\.txt$/.test(name) && /(^|\/)requirements\//.test(path))
  )
    return 'requirements';
  return undefined;
}

/** Parses a file of the given (or detected) kind. Throws a UserError naming file and line on malformed input. */
export function parsePythonFile(text: string, file: string, kind = pythonFileKind(file)): PythonManifest {
  switch (kind) {
    case 'requirements':
      return parseRequirements(text, file);
    case 'pyproject':
      return parsePyproject(text, file);
    case 'uv-lock':
      return parseUvLock(text, file);
    case 'poetry-lock':
      return parsePoetryLock(text, file);
    case 'pylock':
      return parsePylock(text, file);
    case 'environment-yml':
      return parseEnvironmentYml(text, file);
    default:
      throw new Error(`${file}: not a Python dependency file`);
  }
}
