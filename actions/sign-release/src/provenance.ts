// SLSA v1 build provenance for a GitHub Actions run, built only from the
// OIDC token's claims (what Fulcio also certifies), in the shape
// actions/attest produces so `gh attestation verify` reads it.
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';

export type Claims = Record<string, unknown>;

export interface Subject {
  name: string;
  sha256: string;
}

export function provenanceStatement(subjects: Subject[], claims: Claims, serverUrl = 'https://github.com'): object {
  const c = (k: string) => (claims[k] === undefined ? undefined : String(claims[k]));
  const repository = c('repository') ?? '';
  const workflowRef = c('workflow_ref') ?? '';
  // workflow_ref is `OWNER/REPO/PATH@REF`.
  const path = workflowRef.slice(repository.length + 1).replace(/@.*$/, '');
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: subjects.map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: { workflow: { ref: c('ref'), repository: `${serverUrl}/${repository}`, path } },
        internalParameters: {
          github: {
            event_name: c('event_name'),
            repository_id: c('repository_id'),
            repository_owner_id: c('repository_owner_id'),
            runner_environment: c('runner_environment')
          }
        },
        resolvedDependencies: [{ uri: `git+${serverUrl}/${repository}@${c('ref')}`, digest: { gitCommit: c('sha') } }]
      },
      runDetails: {
        builder: { id: `${serverUrl}/${c('job_workflow_ref')}` },
        metadata: {
          invocationId: `${serverUrl}/${repository}/actions/runs/${c('run_id')}/attempts/${c('run_attempt')}`
        }
      }
    }
  };
}

/** The JWT's claims, unverified: used to predict the certificate identity, which verification then checks. */
export function decodeClaims(jwt: string): Claims {
  const part = jwt.split('.')[1];
  if (!part) throw new Error('the identity token is not a JWT');
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Claims;
  } catch {
    throw new Error('the identity token is not a JWT');
  }
}
