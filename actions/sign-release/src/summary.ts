// The job summary of a signing run: what was signed, with which identity, and
// the commands that verify it with this suite, the GitHub CLI and sigstore-python.
import { basename } from 'node:path';
import { type Options, PROVENANCE_NAME, type RunInfo, type SignedFile } from './types';
import type { Claims } from './provenance';

export function summary(s: {
  signed: SignedFile[];
  identity: string;
  issuer: string;
  expectedIssuer: string;
  provenance?: string;
  checksums?: string;
  verified: boolean;
  opts: Options;
  run: RunInfo;
  claims: Claims;
  published: string[];
}): string {
  const q = (x: string) => `'${x.replace(/'/g, `'\\''`)}'`;
  const first = s.signed[0] ? basename(s.signed[0].file) : 'FILE';
  // job_workflow_ref is `OWNER/REPO/PATH@REF`; for a reusable workflow, OWNER/REPO is not this repository.
  const workflow = /^([^/]+\/[^/]+)\/(.+)@(.+)$/.exec(String(s.claims.job_workflow_ref ?? ''));
  const repo = s.run.repository;
  const sameRepo = workflow?.[1] === repo;
  const lines = [
    `### Signed ${s.signed.length} file(s)${s.verified ? ', verified' : s.opts.verify ? ', **not verified**' : ' (verification turned off)'}`,
    '',
    `Identity: \`${s.identity}\`  `,
    `Issuer: \`${s.issuer}\``,
    '',
    '| File | SHA-256 | Bundle |',
    '|---|---|---|',
    ...s.signed.map((f) => `| \`${basename(f.file)}\` | \`${f.sha256}\` | \`${basename(f.bundle)}\` |`),
    '',
    ...(s.provenance ? [`Provenance (SLSA v1, all files): \`${basename(s.provenance)}\``] : []),
    ...(s.checksums ? [`Checksums: \`${basename(s.checksums)}\``] : []),
    ...(s.published.length ? ['', `Release ${s.opts.releaseTag}: ${s.published.join(', ')}`] : []),
    '',
    '#### Verify',
    '',
    '```sh',
    `# security-actions CLI (exact identity, offline bundle)`,
    ...(sameRepo
      ? [`sp-security verify ${q(first)} --repo ${repo} --workflow ${q(workflow![2])} --ref ${q(workflow![3])}`]
      : []),
    `sp-security verify-bundle --bundle ${q(`${first}.sigstore.json`)} --certificate-identity ${q(s.identity)} --certificate-oidc-issuer ${q(s.issuer)} ${q(first)}`,
    ...(s.provenance
      ? [
          `# GitHub CLI (build provenance)`,
          `gh attestation verify ${q(first)} --repo ${repo} --bundle ${PROVENANCE_NAME}${workflow ? ` --signer-workflow ${q(`${workflow[1]}/${workflow[2]}`)}` : ''}`
        ]
      : []),
    `# sigstore-python`,
    `python -m sigstore verify identity --bundle ${q(`${first}.sigstore.json`)} --cert-identity ${q(s.identity)} --cert-oidc-issuer ${q(s.expectedIssuer)} ${q(first)}`,
    ...(workflow
      ? [
          `python -m sigstore verify github --bundle ${q(`${first}.sigstore.json`)} --cert-identity ${q(s.identity)} --repository ${repo}${s.claims.ref ? ` --ref ${q(String(s.claims.ref))}` : ''} ${q(first)}`
        ]
      : []),
    '```',
    ''
  ];
  return lines.join('\n');
}
