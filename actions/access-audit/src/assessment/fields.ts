// What the self-assessment reads with each repository's batch (no request of
// its own): the text of the documents its heuristics look at, at fixed paths
// (GitHub's object expressions cannot search), and the assets of the latest
// releases. The queries add these fields to every repository.

/** Where the documents are looked for, in this order; each path is one aliased `object` field (`doc0` …). */
export const DOC_PATHS = {
  securityPolicy: ['SECURITY.md', '.github/SECURITY.md', 'docs/SECURITY.md'],
  incidentResponse: [
    'INCIDENT_RESPONSE.md',
    'INCIDENT-RESPONSE.md',
    '.github/INCIDENT_RESPONSE.md',
    'docs/incident-response.md',
    'docs/security/incident-response.md'
  ],
  threatModel: [
    'THREAT_MODEL.md',
    'THREAT-MODEL.md',
    '.github/THREAT_MODEL.md',
    'docs/threat-model.md',
    'docs/security/threat-model.md'
  ]
} as const;

export type DocKind = keyof typeof DOC_PATHS;

const ALL_PATHS: readonly string[] = Object.values(DOC_PATHS).flat();

/** The GraphQL field alias of a document path. */
export const docField = (path: string): `doc${number}` => `doc${ALL_PATHS.indexOf(path)}`;

/** The latest releases and their asset names: enough to see an SBOM or provenance beside the artifacts. */
export const RELEASES_FIELD =
  'releases(first: 3, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { tagName isDraft isPrerelease releaseAssets(first: 50) { nodes { name } } } }';

export const ASSESSMENT_FIELDS: Record<string, string> = {
  ...Object.fromEntries(
    ALL_PATHS.map((p) => [docField(p), `${docField(p)}: object(expression: "HEAD:${p}") { ... on Blob { text } }`])
  ),
  releases: RELEASES_FIELD
};
