// Assembles the JSON Schema of .github/security-actions.yml from the core's
// part (packages/core/schema/base.schema.json: version, rules, ignores) and
// each action's section (actions/<name>/config.schema.json), so the core names
// no action and an action owns the shape of its own section. Its `$id` is
// where the file is served for this version: the raw file at the release tag
// v<package.json version>, which the release creates (CONTRIBUTING.md).
//   node scripts/config-schema.mjs           write packages/core/schema/config.schema.json
//   node scripts/config-schema.mjs --check   fail if the committed file differs
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const OUT = join(root, 'packages/core/schema/config.schema.json');

/** The URL of the config schema of a release: the file at its tag, as editors fetch it. */
export function schemaId(version) {
  return `https://raw.githubusercontent.com/scientific-python/security-actions/v${version}/packages/core/schema/config.schema.json`;
}

export function composeConfigSchema() {
  const base = JSON.parse(readFileSync(join(root, 'packages/core/schema/base.schema.json'), 'utf8'));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const definitions = { ...(base.definitions ?? {}) };
  const properties = { ...base.properties };
  for (const name of readdirSync(join(root, 'actions')).sort()) {
    const file = join(root, 'actions', name, 'config.schema.json');
    if (!existsSync(file)) continue;
    const { $schema: _s, title: _t, definitions: defs, ...section } = JSON.parse(readFileSync(file, 'utf8'));
    if (properties[name]) throw new Error(`${file}: section '${name}' is already defined`);
    properties[name] = section;
    for (const [k, v] of Object.entries(defs ?? {})) {
      if (definitions[k] && JSON.stringify(definitions[k]) !== JSON.stringify(v)) {
        throw new Error(`${file}: definition '${k}' differs from another section's`);
      }
      definitions[k] = v;
    }
  }
  const { properties: _p, definitions: _d, $schema, $id: _i, ...head } = base;
  const schema = {
    $schema,
    $id: schemaId(version),
    ...head,
    ...(Object.keys(definitions).length ? { definitions } : {}),
    properties
  };
  return JSON.stringify(schema, null, 2) + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = composeConfigSchema();
  if (process.argv.includes('--check')) {
    if (readFileSync(OUT, 'utf8') !== text) {
      console.log('packages/core/schema/config.schema.json is out of date: run node scripts/config-schema.mjs');
      process.exit(1);
    }
    console.log('config schema up to date');
  } else writeFileSync(OUT, text);
}
