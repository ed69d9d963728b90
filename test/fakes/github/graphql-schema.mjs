// GitHub's GraphQL schema and the static checks GitHub applies before running a
// query. Action tests import `validateGraphQL` to check the queries they send;
// the fake server uses the same code, so a query the tests accept is one the
// fake (and GitHub) accepts.
import { schema as published } from '@octokit/graphql-schema';
import {
  buildClientSchema,
  getNamedType,
  getVariableValues,
  GraphQLInt,
  isObjectType,
  Kind,
  parse,
  validate,
  valueFromAST
} from 'graphql';

/**
 * GitHub's public schema, built from @octokit/graphql-schema's introspection JSON
 * (the form its own `validate` uses; its schema.graphql SDL defines two
 * EnterpriseOwnerInfo fields twice, which `buildSchema` rejects).
 */
export const githubSchema = buildClientSchema(published.json);

/** Audit-log action prefixes, longest first, as GitHub spells them for each entry type's name. */
const AUDIT_PREFIXES = [
  ['MembersCanDeleteRepos', 'members_can_delete_repos'],
  ['OauthApplication', 'oauth_application'],
  ['PrivateRepositoryForking', 'private_repository_forking'],
  ['RepositoryVisibilityChange', 'repository_visibility_change'],
  ['OrgConfig', 'org.config'],
  ['RepoConfig', 'repo.config'],
  ['Org', 'org'],
  ['Repo', 'repo'],
  ['Team', 'team']
];

/**
 * The audit-log action each concrete OrganizationAuditEntry type records, derived
 * from the type names (OrgAddMemberAuditEntry → org.add_member,
 * RepoConfigDisableAnonymousGitAccessAuditEntry → repo.config.disable_anonymous_git_access).
 * GitHub's GraphQL audit log exposes only these actions.
 * @type {Map<string, string>} action → type name
 */
export const AUDIT_ENTRY_TYPES = new Map(
  /** @type {import('graphql').GraphQLUnionType} */ (githubSchema.getType('OrganizationAuditEntry'))
    .getTypes()
    .map((t) => {
      const base = t.name.replace(/AuditEntry$/, '');
      const [prefix, action] = AUDIT_PREFIXES.find(([p]) => base.startsWith(p)) ?? ['', ''];
      const rest = base
        .slice(prefix.length)
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .toLowerCase();
      return [`${action}.${rest}`, t.name];
    })
);

/** GitHub's node limit per query and page-size limit per connection. */
const MAX_NODES = 500_000;
const MAX_PAGE = 100;

/**
 * @typedef {object} QueryError
 * @property {string} type  GitHub's error type (MISSING_PAGINATION_BOUNDARIES, ...)
 * @property {string} message
 * @property {(string|number)[]} path
 * @property {{line: number, column: number}[]} locations
 */

/**
 * GitHub's pre-execution analysis of one operation: connections need `first` or
 * `last` (at most 100), at most 500,000 nodes, and the rate-limit cost — the
 * requests each connection needs assuming every page is full, summed, divided
 * by 100, at least 1 (docs: "Rate limits and node limits for the GraphQL API").
 * Arguments given as variables absent from `variables` are not checked.
 * @param {import('graphql').DocumentNode} doc
 * @returns {{ errors: QueryError[], cost: number, nodeCount: number }}
 */
export function analyzeQuery(doc, operationName, variables) {
  const fragments = {};
  let operation;
  for (const def of doc.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
    else if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName))
      operation ??= def;
  }
  const errors = [];
  if (!operation) return { errors, cost: 1, nodeCount: 0 };
  const coerced = variables
    ? getVariableValues(githubSchema, operation.variableDefinitions ?? [], variables)
    : { coerced: {} };
  const vars = coerced.coerced ?? {};
  const known = (node) => node.kind !== Kind.VARIABLE || Object.hasOwn(vars, node.name.value);
  let requests = 0;
  let nodeCount = 0;
  const location = (node) => {
    const before = (doc.loc?.source.body ?? '').slice(0, node.loc?.start ?? 0).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1 };
  };

  const walk = (selectionSet, parentType, path, multiplier) => {
    for (const sel of selectionSet.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? githubSchema.getType(sel.typeCondition.name.value) : parentType;
        walk(sel.selectionSet, type, path, multiplier);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments[sel.name.value];
        if (frag) walk(frag.selectionSet, githubSchema.getType(frag.typeCondition.name.value), path, multiplier);
        continue;
      }
      const def = 'getFields' in parentType ? parentType.getFields()[sel.name.value] : undefined;
      if (!def) continue;
      const key = sel.alias?.value ?? sel.name.value;
      const here = [...path, key];
      const type = getNamedType(def.type);
      let inner = multiplier;
      if (isObjectType(type) && type.name.endsWith('Connection') && def.args.some((a) => a.name === 'first')) {
        const arg = (name) => sel.arguments?.find((a) => a.name.value === name)?.value;
        const [first, last] = [arg('first'), arg('last')];
        const err = (t, message) => errors.push({ type: t, path: here, locations: [location(sel)], message });
        if (!first && !last) {
          err(
            'MISSING_PAGINATION_BOUNDARIES',
            `You must provide a \`first\` or \`last\` value to properly paginate the \`${sel.name.value}\` connection.`
          );
        }
        let size = MAX_PAGE;
        for (const [name, node] of [
          ['first', first],
          ['last', last]
        ]) {
          if (!node || !known(node)) continue;
          const n = valueFromAST(node, GraphQLInt, vars);
          if (typeof n !== 'number') continue;
          if (n > MAX_PAGE) {
            err(
              'EXCESSIVE_PAGINATION',
              `Requesting ${n} records on the \`${sel.name.value}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE} records.`
            );
          }
          size = Math.min(n, MAX_PAGE);
        }
        requests += multiplier;
        inner = multiplier * size;
        nodeCount += inner;
      }
      if (sel.selectionSet) walk(sel.selectionSet, type, here, inner);
    }
  };
  const root = operation.operation === 'mutation' ? githubSchema.getMutationType() : githubSchema.getQueryType();
  walk(operation.selectionSet, root, [], 1);
  if (nodeCount > MAX_NODES) {
    errors.push({
      type: 'MAX_NODE_LIMIT_EXCEEDED',
      path: [],
      locations: [],
      message: `This query requests up to ${nodeCount.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString('en-US')}.`
    });
  }
  return { errors, cost: Math.max(1, Math.round(requests / 100)), nodeCount };
}

/**
 * Every problem GitHub would report before running `query`: syntax, schema
 * validation (graphql-js messages), and GitHub's connection and node limits.
 * Pass `variables` to check limits given through variables too. [] when valid.
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 * @returns {string[]}
 */
export function validateGraphQL(query, variables) {
  let doc;
  try {
    doc = parse(query);
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
  const invalid = validate(githubSchema, doc).map((e) => e.message);
  if (invalid.length) return invalid;
  return analyzeQuery(doc, undefined, variables).errors.map((e) => e.message);
}
