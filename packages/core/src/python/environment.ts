// conda environment.yml: only the `pip:` part names PyPI packages; conda
// packages are listed so reports can say they are not covered.
import { isMap, isScalar, isSeq } from 'yaml';
import { fileError } from '../errors';
import { parseYamlFile } from '../yaml';
import { parseRequirements } from './requirements';
import type { PythonManifest } from './types';

export function parseEnvironmentYml(text: string, file: string): PythonManifest {
  const y = parseYamlFile(text, file);
  const out: PythonManifest = {
    file,
    kind: 'environment-yml',
    dependencies: [],
    options: [],
    lock: false,
    condaPackages: []
  };
  const root = y.doc.contents;
  if (root === null || root === undefined) return out;
  if (!isMap(root)) throw fileError(file, 1, 'an environment file must be a mapping');
  const deps = root.get('dependencies', true);
  if (deps === undefined || deps === null) return out;
  if (!isSeq(deps)) throw fileError(file, y.pos(deps as never).line, "'dependencies' must be a list");
  for (const item of deps.items) {
    if (isScalar(item)) {
      out.condaPackages!.push({ spec: String(item.value), line: y.pos(item).line });
      continue;
    }
    const pip = isMap(item) ? item.get('pip', true) : undefined;
    if (!isSeq(pip)) continue;
    for (const entry of pip.items) {
      if (!isScalar(entry)) throw fileError(file, y.pos(entry as never).line, 'a pip: entry must be a string');
      // Each entry is one requirements line; parse it with its own line number.
      const line = y.pos(entry).line;
      const parsed = parseRequirements(String(entry.value), file, 'environment-yml', line - 1);
      out.dependencies.push(...parsed.dependencies);
      out.options.push(...parsed.options);
    }
  }
  return out;
}
