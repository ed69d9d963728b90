// GET /orgs/{org}/code-security/configurations and
// GET /orgs/{org}/code-security/configurations/{configuration_id}/repositories:
// an organization's code security configurations and the repositories attached
// to each, paged by cursor as GitHub pages them. Org owners (users) and Apps
// with Organization administration: read may list them, as GitHub's permission
// tables say; other users get 404. Features the fake does not model are
// `not_set`. The world side is code-security-world.mjs; routes.mjs appends these routes.
import { cursorPage, simpleRepoJson } from './advisories.mjs';
import { canSeeRepo, isOrgOwner } from './access.mjs';
import { GitHubError } from './routes.mjs';
import { ATTACHMENT_STATUSES, attachedTo } from './code-security-world.mjs';

const UNMODELLED = [
  'dependency_graph',
  'dependency_graph_autosubmit_action',
  'dependabot_alerts',
  'dependabot_security_updates',
  'code_scanning_delegated_alert_dismissal',
  'secret_scanning',
  'secret_scanning_push_protection',
  'secret_scanning_delegated_bypass',
  'secret_scanning_validity_checks',
  'secret_scanning_non_provider_patterns',
  'secret_scanning_generic_secrets',
  'secret_scanning_delegated_alert_dismissal'
];

/** schema: code-security-configuration. */
function configurationJson(v, org, c) {
  return {
    id: c.id,
    name: c.name,
    target_type: c.target_type,
    description: c.description,
    advanced_security: 'disabled',
    ...Object.fromEntries(UNMODELLED.map((k) => [k, 'not_set'])),
    code_scanning_default_setup: c.code_scanning_default_setup,
    private_vulnerability_reporting: c.private_vulnerability_reporting,
    enforcement: c.enforcement,
    url: `${v.base}/orgs/${org.login}/code-security/configurations/${c.id}`,
    html_url: `${v.base}/organizations/${org.login}/settings/security_products/configurations/${c.id}/edit`,
    created_at: c.created_at,
    updated_at: c.updated_at
  };
}

function ownersOnly(ctx) {
  if (ctx.v.actor.kind === 'user' && !isOrgOwner(ctx.v, ctx.org)) throw new GitHubError(404, 'Not Found');
}

const handlers = {
  configurations(ctx) {
    ownersOnly(ctx);
    const target = ctx.query.get('target_type') ?? 'all';
    const rows = ctx.org.code_security_configurations.filter((c) => target === 'all' || c.target_type === target);
    const { slice, headers } = cursorPage(ctx, rows);
    return { status: 200, headers, body: slice.map((c) => configurationJson(ctx.v, ctx.org, c)) };
  },

  repositories(ctx) {
    ownersOnly(ctx);
    const config = ctx.org.code_security_configurations.find((c) => String(c.id) === ctx.params.configuration_id);
    if (!config) throw new GitHubError(404, 'Not Found');
    const asked = (ctx.query.get('status') ?? 'all').split(',').map((s) => s.trim());
    for (const s of asked)
      if (s !== 'all' && !ATTACHMENT_STATUSES.includes(s))
        throw new GitHubError(422, 'Validation Failed', {
          errors: [{ resource: 'CodeSecurityConfiguration', field: 'status', code: 'invalid' }]
        });
    const rows = attachedTo(ctx.v.world, ctx.org, config)
      .filter((r) => canSeeRepo(ctx.v, r))
      .filter((r) => asked.includes('all') || asked.includes(r.security_configuration.status))
      .sort((x, y) => x.full_name.localeCompare(y.full_name));
    const { slice, headers } = cursorPage(ctx, rows);
    return {
      status: 200,
      headers,
      body: slice.map((r) => ({ status: r.security_configuration.status, repository: simpleRepoJson(ctx.v, r) }))
    };
  }
};

const DOCS = 'code-security/configurations';

/** @type {import('./routes.mjs').Route[]} */
export const codeSecurityRoutes = [
  {
    method: 'GET',
    path: '/orgs/{org}/code-security/configurations',
    docs: `${DOCS}#get-code-security-configurations-for-an-organization`,
    permission: 'organization_administration=read',
    handler: handlers.configurations
  },
  {
    method: 'GET',
    path: '/orgs/{org}/code-security/configurations/{configuration_id}/repositories',
    docs: `${DOCS}#get-repositories-associated-with-a-code-security-configuration`,
    permission: 'organization_administration=read',
    handler: handlers.repositories
  }
];
