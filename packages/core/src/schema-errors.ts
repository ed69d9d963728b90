// A JSON Schema failure on a YAML file as one line naming the file and line:
// the most specific error, and an unknown or badly named key on its own line
// rather than where its enclosing mapping starts. Shared by the config file
// and the vouch files of contributor trust.
import type { ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { type UserError, fileError } from './errors';
import type { YamlFile } from './yaml';

/** `file:line: message` for the first useful error; `anyOf` words a failed anyOf (which alternatives were missing). */
export function schemaError(
  y: YamlFile,
  errors: ErrorObject[],
  anyOf = 'matches none of the allowed forms'
): UserError {
  const err = pickError(errors);
  const badKey =
    err.keyword === 'additionalProperties'
      ? (err.params as { additionalProperty: string }).additionalProperty
      : err.propertyName;
  const parent = nodeAt(y.doc.contents, pathOf(err));
  const node = (badKey !== undefined && keyNodeAt(parent, badKey)) || parent;
  return fileError(y.file, node?.range ? y.pos(node).line : undefined, describe(err, anyOf));
}

/** The line of the node at `path` (keys and indices from the root), when it exists. */
export function lineAt(y: YamlFile, path: (string | number)[]): number | undefined {
  const node = nodeAt(y.doc.contents, path);
  return node?.range ? y.pos(node).line : undefined;
}

// The most specific error is the useful one: ajv reports anyOf/oneOf failures
// after the concrete keyword errors beneath them.
function pickError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? errors[0];
}

function pathOf(e: ErrorObject): (string | number)[] {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The key node (not the value) of `key` in a mapping. */
function keyNodeAt(map: Node | undefined, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
  return isScalar(pair?.key) ? pair.key : undefined;
}

function nodeAt(root: unknown, path: (string | number)[]): Node | undefined {
  let node = root as Node | undefined;
  for (const key of path) {
    if (isMap(node)) node = node.get(key, true) as Node | undefined;
    else if (isSeq(node)) node = node.get(Number(key), true) as Node | undefined;
    else return node;
  }
  return node;
}

function describe(e: ErrorObject, anyOf: string): string {
  const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'top level';
  switch (e.keyword) {
    case 'required':
      return `${at}: '${(e.params as { missingProperty: string }).missingProperty}' is required`;
    case 'additionalProperties':
      return `${at}: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'`;
    case 'enum':
      return `${at} must be one of ${(e.params as { allowedValues: string[] }).allowedValues.join('|')}`;
    case 'pattern':
      if (e.propertyName !== undefined) return `${at}: key '${e.propertyName}' ${e.message ?? 'is invalid'}`;
      return `${at} ${e.message ?? 'is invalid'}`;
    case 'anyOf':
      return `${at}: ${anyOf}`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}
