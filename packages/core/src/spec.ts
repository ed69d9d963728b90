// The SPEC 6 / SPEC 8 recommendations every finding traces back to, numbered as
// in the project's research notes (S6-n, S8-n) so a finding names the clause it
// serves in words a maintainer recognises.
export const SPEC_CLAUSES = {
  'S6-1': 'SPEC 6: document who can reach each restricted resource',
  'S6-2': 'SPEC 6: give each developer the least privilege they need',
  'S6-3': 'SPEC 6: review permissions regularly',
  'S6-4': 'SPEC 6: scope tokens to the minimum and make them expire',
  'S6-5': 'SPEC 6: document how to rotate and revoke tokens',
  'S6-6': 'SPEC 6: every asset reachable by at least two maintainers',
  'S6-7': 'SPEC 6: keep shared secrets in a revocable, encrypted store',
  'S6-8': 'SPEC 6: revoke access and rotate secrets when people leave',
  'S6-9': 'SPEC 6: avoid shared passwords; use per-person permissions',
  'S6-10': 'SPEC 6: publish with PyPI Trusted Publishing, not passwords',
  'S6-11': 'SPEC 6: require two-factor authentication',
  'S6-12': 'SPEC 6: generate passwords with a password manager',
  'S6-13': 'SPEC 6: protect SSH keys (passphrase, Ed25519)',
  'S8-1': 'SPEC 8: document the release process',
  'S8-2': 'SPEC 8: releases start only on an intentional action',
  'S8-3': 'SPEC 8: a second person approves the publish run',
  'S8-4': 'SPEC 8: sign release commits and tags',
  'S8-5': 'SPEC 8: protect the release branch',
  'S8-6': 'SPEC 8: default workflow permissions to read',
  'S8-7': 'SPEC 8: restrict which actions may run',
  'S8-8': 'SPEC 8: publish from a protected environment',
  'S8-9': 'SPEC 8: pin actions to full commit SHAs',
  'S8-10': 'SPEC 8: update pins through reviewed Dependabot PRs',
  'S8-11': 'SPEC 8: attest build provenance of release artifacts',
  'S8-12': 'SPEC 8: verify attestations before publishing',
  'S8-13': 'SPEC 8: publish with OIDC Trusted Publishing only',
  'S8-14': 'SPEC 8: print the hashes of uploaded files',
  'S8-15': 'SPEC 8: follow the reference release workflow',
  'S8-16': 'SPEC 8: secure the build as well as the publish step'
} as const;

export type SpecClause = keyof typeof SPEC_CLAUSES;

export function specLabel(id: SpecClause): string {
  return `${SPEC_CLAUSES[id]} (${id})`;
}

export function isSpecClause(id: string): id is SpecClause {
  return Object.hasOwn(SPEC_CLAUSES, id);
}
