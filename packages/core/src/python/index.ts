// Python dependency files, read into one shape (see types.ts).
import { basename } from 'node:path';
import { parseEnvironmentYml } from './environment';
import { parsePoetryLock, parsePylock, parseUvLock } from './locks';
import { parsePyproject } from './pyproject';
import { parseRequirements } from './requirements';
import type { PythonManifest, PythonSourceKind } from './types';

export * from './types';
export { parsePep508, parseVcsUrl, nameFromUrl, sourceIdentity, sourceOwner } from './pep508';
export { parseRequirements, logicalLines, generatedBy, resolveInclude } from './requirements';
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

/**
 * The template language a file is written in, when it is a template rather than a dependency file
 * (cookiecutter's `{{cookiecutter.project_name}}/pyproject.toml`, copier's Jinja): from Jinja markup in
 * its path, or in its text. A template becomes a dependency file only when rendered.
 */
export function templateKind(path: string, text: string): string | undefined {
  const inPath = /\{\{.*\}\}|\{%.*%\}/.test(path);
  const inText =
    /\{\{-?\s*[A-Za-z_][\w.]*(\s*\|[^}]*)?\s*-?\}\}|\{%-?\s*(if|for|set|raw|include|macro|else|elif|endif|endfor)\b/.test(
      text
    );
  if (!inPath && !inText) return undefined;
  if (/cookiecutter/.test(path) || /\{\{-?\s*cookiecutter\./.test(text)) return 'cookiecutter';
  if (/\bcopier\b|_copier_/.test(text)) return 'copier';
  return 'Jinja';
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
