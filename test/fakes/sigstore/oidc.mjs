// Fake of the GitHub Actions OIDC token endpoint as a runner exposes it to a job:
// `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud>` with
// `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` answers `{"value": "<jwt>"}`
// (what @actions/core getIDToken and sigstore's CIContextProvider read). Tokens are
// RS256 JWTs with GitHub's claim set (docs.github.com "About security hardening
// with OpenID Connect"), signed by a key only this fake holds; the fake Fulcio
// trusts it through `issuer` + `jwks`. See docs/fakes/sigstore.md.
import { generateKeyPairSync, randomBytes, randomUUID, sign as rsaSign, createHash } from 'node:crypto';
import { startServer } from '../common.mjs';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * A consistent GitHub claim set for a workflow run; `overrides` replace or add
 * claims. Derived claims (sub, workflow_ref, job_workflow_ref, repository_owner,
 * ref_type) follow `repository`, `ref`, `environment` and `workflow_path` unless
 * overridden themselves. Time claims are added when a token is minted.
 * @param {Record<string, unknown> & {workflow_path?: string}} [overrides]
 */
export function gitHubClaims(overrides = {}) {
  const { workflow_path: workflowPath = '.github/workflows/release.yml', ...claims } = overrides;
  const repository = String(claims.repository ?? 'octo-org/octo-repo');
  const ref = String(claims.ref ?? 'refs/tags/v1.0.0');
  const sha = String(claims.sha ?? 'd6f8f1b2c3a4e5f60718293a4b5c6d7e8f901234');
  const workflowRef = `${repository}/${workflowPath}@${ref}`;
  const environment = claims.environment;
  return {
    // GitHub: `repo:OWNER/REPO:environment:NAME` for jobs with an environment, else `...:ref:REF`.
    sub: environment ? `repo:${repository}:environment:${environment}` : `repo:${repository}:ref:${ref}`,
    repository,
    repository_owner: repository.split('/')[0],
    repository_id: '74',
    repository_owner_id: '65',
    repository_visibility: 'public',
    ref,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    ref_protected: 'true',
    sha,
    actor: 'octocat',
    actor_id: '12',
    workflow: 'Release',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    // Same as workflow_ref unless the job runs a reusable workflow (override it then).
    job_workflow_ref: workflowRef,
    job_workflow_sha: sha,
    event_name: 'push',
    head_ref: '',
    base_ref: '',
    run_id: '1234567890',
    run_number: '42',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    iss: GITHUB_ISSUER,
    ...claims
  };
}

const b64url = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/**
 * Starts the token endpoint.
 * @param {{claims?: Record<string, unknown>, audience?: string, port?: number,
 *          latencyMs?: number, faults?: import('../common.mjs').Fault[]}} [opts]
 *   `claims` feed gitHubClaims(); `audience` is the `aud` when the request names
 *   none (GitHub's default is `https://github.com/<owner>`).
 */
export async function startFakeOIDC({ claims = {}, audience, port = 0, latencyMs = 0, faults = [] } = {}) {
  const base = gitHubClaims(claims);
  const defaultAudience = audience ?? `https://github.com/${base.repository_owner}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 40);
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };
  const requestToken = randomBytes(24).toString('hex');

  /** Signs a token with this issuer's key; `extra` overrides any claim (e.g. exp, aud). */
  const mint = (extra = {}) => {
    const iat = Math.floor(Date.now() / 1000);
    // Lifetimes as in GitHub's documented example token: nbf = iat - 600, exp = iat + 300.
    const payload = { jti: randomUUID(), aud: defaultAudience, ...base, nbf: iat - 600, exp: iat + 300, iat, ...extra };
    const signingInput = `${b64url({ typ: 'JWT', alg: 'RS256', kid })}.${b64url(payload)}`;
    return `${signingInput}.${rsaSign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
  };

  const handle = (req, url) => {
    if (req.method !== 'GET' || url.pathname !== '/idtoken') return { status: 404, body: { message: 'Not Found' } };
    if (req.headers.authorization !== `Bearer ${requestToken}`)
      return { status: 401, body: { message: 'Unauthorized' } };
    const aud = url.searchParams.get('audience');
    return { status: 200, body: { value: mint(aud ? { aud } : {}) } };
  };

  const server = await startServer(handle, { port, latencyMs, faults, name: 'fake-oidc' });
  const requestURL = `${server.url}/idtoken?api-version=2.0`;
  return {
    ...server,
    issuer: base.iss,
    jwks,
    claims: base,
    requestURL,
    requestToken,
    /** The two variables a runner sets for a job with `id-token: write`. */
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: requestURL, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken },
    mint
  };
}
