// pyproject.toml: PEP 621 `[project]` dependencies and extras, PEP 735
// dependency groups, build requirements and Poetry's own tables.
import { fileError } from '../errors';
import { parsePep508 } from './pep508';
import { QuotedLocator, arr, isTable, parseTomlFile, str } from './toml';
import { type PythonDependency, type PythonManifest, normalizeName } from './types';

export function parsePyproject(text: string, file: string): PythonManifest {
  const doc = parseTomlFile(text, file);
  const loc = new QuotedLocator(text);
  const dependencies: PythonDependency[] = [];
  const add = (spec: unknown, group: string, header: string): void => {
    if (typeof spec !== 'string') return; // `{include-group = ...}` and other tables are not requirements
    const line = loc.line(spec, 1, loc.offsetOf(header));
    let req;
    try {
      req = parsePep508(spec);
    } catch (e) {
      throw fileError(file, line, (e as Error).message);
    }
    dependencies.push({ ...req, hashes: [], file, line, source: 'pyproject', direct: true, group });
  };
  const project = isTable(doc.project) ? doc.project : {};
  for (const d of arr(project.dependencies)) add(d, 'project.dependencies', 'project');
  if (isTable(project['optional-dependencies'])) {
    for (const [extra, list] of Object.entries(project['optional-dependencies']))
      for (const d of arr(list)) add(d, `optional:${extra}`, 'project.optional-dependencies');
  }
  if (isTable(doc['dependency-groups'])) {
    for (const [g, list] of Object.entries(doc['dependency-groups']))
      for (const d of arr(list)) add(d, `group:${g}`, 'dependency-groups');
  }
  const build = isTable(doc['build-system']) ? doc['build-system'] : {};
  for (const d of arr(build.requires)) add(d, 'build-system', 'build-system');
  const tool = isTable(doc.tool) ? doc.tool : {};
  const uv = isTable(tool.uv) ? tool.uv : {};
  for (const d of arr(uv['dev-dependencies'])) add(d, 'group:dev', 'tool.uv');
  addPoetry(tool, loc, file, dependencies);
  return { file, kind: 'pyproject', dependencies, options: [], lock: false };
}

/** `[tool.poetry.dependencies]` and groups: `name = "^1.2"` or `{version, git, rev, path, url}`. */
function addPoetry(tool: Record<string, unknown>, loc: QuotedLocator, file: string, out: PythonDependency[]): void {
  const poetry = isTable(tool.poetry) ? tool.poetry : undefined;
  if (!poetry) return;
  const tables: [string, unknown][] = [
    ['main', poetry.dependencies],
    ['dev', poetry['dev-dependencies']]
  ];
  if (isTable(poetry.group))
    for (const [g, t] of Object.entries(poetry.group)) if (isTable(t)) tables.push([g, t.dependencies]);
  for (const [group, table] of tables) {
    if (!isTable(table)) continue;
    for (const [rawName, v] of Object.entries(table)) {
      if (rawName.toLowerCase() === 'python') continue;
      const spec = isTable(v) ? v : { version: v };
      const version = str(spec.version) ?? '';
      const line = loc.keyLine(
        rawName,
        group === 'main'
          ? 'tool.poetry.dependencies'
          : group === 'dev'
            ? 'tool.poetry.dev-dependencies'
            : `tool.poetry.group.${group}.dependencies`
      );
      const dep: PythonDependency = {
        name: normalizeName(rawName),
        rawName,
        extras: arr(spec.extras).filter((e): e is string => typeof e === 'string'),
        specifier: version === '*' ? '' : version,
        hashes: [],
        file,
        line,
        source: 'pyproject',
        direct: true,
        group: `poetry:${group}`
      };
      const exact = /^(==)?\s*(\d[\w.!+-]*)$/.exec(version);
      if (exact) dep.version = exact[2];
      const git = str(spec.git);
      if (git)
        dep.vcs = {
          type: 'git',
          url: git,
          ref: str(spec.rev) ?? str(spec.tag) ?? str(spec.branch),
          commit: /^[0-9a-f]{40}$/i.test(str(spec.rev) ?? '') ? str(spec.rev) : undefined
        };
      if (str(spec.path)) dep.path = str(spec.path);
      if (str(spec.url)) dep.url = str(spec.url);
      out.push(dep);
    }
  }
}
