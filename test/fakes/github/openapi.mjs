// Checks REST traffic against GitHub's OpenAPI description (@octokit/openapi),
// the authority on what GitHub sends and accepts. Two checks per response body:
//  - JSON Schema validation of the operation's response schema (ajv, formats on);
//  - no property the schema does not declare, so a fake cannot invent fields a
//    client might come to rely on.
// And one per request body: the operation's `requestBody` schema, so a client
// cannot come to rely on a fake accepting what GitHub would refuse.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);

/** The OpenAPI 3.0 description of api.github.com. */
const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'));

const DATA_KEYWORDS = new Set(['example', 'examples', 'enum', 'default', 'const']);

/** Keywords whose value maps names to schemas (a property may be called "default" or "nullable"). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'schemas', 'responses', 'parameters', 'requestBodies']);

/** OpenAPI 3.0 → JSON Schema: `nullable: true` becomes `anyOf [schema, null]`, which ajv understands without `type`. */
function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'nullable') continue;
    if (SCHEMA_MAPS.has(k) && v && typeof v === 'object')
      out[k] = Object.fromEntries(Object.entries(v).map(([n, x]) => [n, toJsonSchema(x)]));
    else out[k] = DATA_KEYWORDS.has(k) ? v : toJsonSchema(v);
  }
  return node.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

const components = toJsonSchema(spec.components);
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// GitHub's own format for `owner/name` in request bodies (pulls' `head_repo`).
ajv.addFormat('repo.nwo', /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/);
ajv.addSchema({ components }, 'openapi');

/** Follows `#/components/...` refs (or their `openapi#/...` rebased form) within `root`. */
function deref(schema, root = { components }) {
  let s = schema;
  while (s && s.$ref)
    s = s.$ref
      .replace(/^openapi#\//, '#/')
      .split('/')
      .slice(1)
      .reduce((o, k) => o[k], root);
  return s;
}

/** The operation object for `METHOD /template`, or undefined. */
export function operation(method, template) {
  return spec.paths[template]?.[method.toLowerCase()];
}

const compiled = new Map();

/** An operation's schema as JSON Schema, its local "#/components/..." refs pointed at the registered "openapi" document. */
function compileOperationSchema(raw) {
  const schema = JSON.parse(JSON.stringify(toJsonSchema(raw)).replace(/"#\/components\//g, '"openapi#/components/'));
  return { schema, validate: ajv.compile(schema) };
}

/**
 * The compiled response schema of an operation for `status`: undefined when the
 * status is not documented, null when that response has no body.
 */
function validatorFor(method, template, status) {
  const key = `${method} ${template} ${status}`;
  if (!compiled.has(key)) {
    const res = deref(operation(method, template)?.responses?.[String(status)], spec);
    const media = res?.content?.['application/json'] ? 'application/json' : Object.keys(res?.content ?? {})[0];
    const raw = media ? res.content[media].schema : undefined;
    compiled.set(key, raw ? compileOperationSchema(raw) : res ? null : undefined);
  }
  return compiled.get(key);
}

/** The shape all GitHub error bodies share: validation-error for 422, basic-error otherwise. */
function errorValidator(status) {
  const name = status === 422 ? 'validation-error' : 'basic-error';
  if (!compiled.has(name)) {
    const schema = { $ref: `openapi#/components/schemas/${name}` };
    compiled.set(name, { schema, validate: ajv.compile(schema) });
  }
  return compiled.get(name);
}

/** Branches a value may satisfy, flattened through allOf/anyOf/oneOf. */
function branches(schema) {
  const s = deref(schema);
  if (!s || typeof s !== 'object') return [];
  const nested = [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap(branches);
  return [s, ...nested];
}

/** Paths of object properties in `data` that none of the applicable schemas declares. */
function undeclared(schemas, data, path, out) {
  if (data === null || typeof data !== 'object') return;
  const all = schemas.flatMap(branches);
  if (Array.isArray(data)) {
    const items = all.map((s) => s.items).filter(Boolean);
    data.forEach((d, i) => undeclared(items, d, `${path}/${i}`, out));
    return;
  }
  const withProps = all.filter((s) => s.properties);
  const open = all.some(
    (s) => s.additionalProperties === true || (s.additionalProperties && typeof s.additionalProperties === 'object')
  );
  for (const [k, v] of Object.entries(data)) {
    const sub = withProps.map((s) => s.properties[k]).filter(Boolean);
    if (sub.length) undeclared(sub, v, `${path}/${k}`, out);
    else if (withProps.length && !open) out.push(`${path}/${k}`);
  }
}

/**
 * Problems with a response: undocumented status, schema violations (ajv messages with
 * JSON pointers) and undeclared properties. [] when the response conforms.
 * @returns {string[]}
 */
export function responseProblems(method, template, status, body) {
  let v = validatorFor(method, template, status);
  // GitHub documents some error responses without a body, or not at all, yet sends its usual error JSON.
  if (!v && status >= 400) v = errorValidator(status);
  if (v === undefined) return [`status ${status} is not documented for ${method} ${template}`];
  if (v === null) return body === undefined || body === '' ? [] : [`${method} ${template} ${status} documents no body`];
  const problems = [];
  if (!v.validate(body)) {
    for (const e of v.validate.errors ?? []) problems.push(`${e.instancePath || '/'} ${e.message} (${e.schemaPath})`);
  }
  const extra = [];
  undeclared([v.schema], body, '', extra);
  // GitHub's error bodies all carry `status` (basic-error declares it; validation-error predates it).
  for (const p of extra) if (!(status >= 400 && p === '/status')) problems.push(`${p} is not declared by the schema`);
  return problems;
}

const compiledRequests = new Map();

/** The compiled JSON request body schema of an operation: null when it takes no body, undefined when unknown. */
function requestValidatorFor(method, template) {
  const key = `${method} ${template}`;
  if (!compiledRequests.has(key)) {
    const op = operation(method, template);
    const body = op ? deref(op.requestBody, spec) : undefined;
    const raw = body?.content?.['application/json']?.schema;
    // A body that is not JSON (an upload) is not checked here.
    const entry = raw ? compileOperationSchema(raw) : body ? { validate: () => true } : op ? null : undefined;
    compiledRequests.set(key, entry);
  }
  return compiledRequests.get(key);
}

/**
 * Problems with a request's JSON body (`undefined` when none was sent): a body
 * to an operation that takes none, or one its `requestBody` schema refuses.
 * [] when the request conforms.
 * @returns {string[]}
 */
export function requestProblems(method, template, body) {
  const v = requestValidatorFor(method, template);
  if (v === undefined) return [`${method} ${template} is not a documented operation`];
  if (v === null) return body === undefined ? [] : [`${method} ${template} takes no request body, but one was sent`];
  if (body === undefined) {
    const required = deref(operation(method, template).requestBody, spec)?.required;
    return required ? [`${method} ${template} requires a request body; none was sent`] : [];
  }
  if (v.validate(body)) return [];
  return (v.validate.errors ?? []).map((e) => `request ${e.instancePath || '/'} ${e.message} (${e.schemaPath})`);
}
