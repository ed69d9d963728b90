// sign-release engine: guards, signing, provenance, checksums, verification
// with this run's exact identity, then release upload. Pure over injected I/O.
// Nothing is published unless every bundle verified; anything that could not
// run is a NotChecked (the action fails on those), never a silent pass.
import { basename, dirname, join } from 'node:path';
import { type Finding, type NotChecked, describeApiError, mapLimit, oneLine } from '@security-actions/core';
import type { BundleVerifier } from '@security-actions/core/sigstore';
import { AssetConflictError, type Upload } from './github';
import { provenanceStatement } from './provenance';
import { REGISTRY } from './rules';
import type { SerializedBundle } from './signer';
import { signatureGuard } from './signatures';
import { summary } from './summary';
import {
  CHECKSUMS_NAME,
  type Deps,
  type Options,
  PROVENANCE_NAME,
  type RunInfo,
  type SignResult,
  type SignedFile
} from './types';

export * from './types';

export async function signRelease(opts: Options, run: RunInfo, deps: Deps): Promise<SignResult> {
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  const outputs: Record<string, string> = {};
  const done = (preamble = ''): SignResult => ({
    rules: REGISTRY.list(),
    findings,
    notChecked,
    errors,
    notes,
    outputs,
    preamble,
    target: run.repository
  });

  // SPEC 8 (S8-2): only a release someone started on purpose is signed.
  if (!opts.allowedEvents.includes(run.eventName)) {
    errors.push(
      `this run was started by '${run.eventName || 'an unknown event'}', which is not in allowed-events (${opts.allowedEvents.join(', ')}); releases must start from an intentional action (SPEC 8, S8-2)`
    );
    notChecked.push({ check: 'sign-release', reason: 'nothing was signed: event not allowed' });
    return done();
  }

  // SPEC 8 (S8-4): are the release commit and tag signed?
  const guard = await signatureGuard(opts, run, deps, findings, notChecked, notes);
  if (!guard) {
    errors.push(
      `require-signed-tag: the release tag or commit is not signed and verified by GitHub, so nothing was signed`
    );
    notChecked.push({ check: 'sign-release', reason: 'nothing was signed: release tag or commit not verified' });
    return done();
  }

  const names = deps.files.map((f) => basename(f));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup)
    throw new Error(
      `two files are named ${dup}; provenance subjects and release assets are named by file name, so rename one`
    );
  const outDir = (file: string) => opts.outputDir || dirname(file);
  const sideDir = opts.outputDir || dirname(deps.files[0]);

  // Loaded only once the guards passed: a refused run stays fast.
  const { GITHUB_OIDC_ISSUER, checkSubjects, fulcioExtensions, sha256Hex } =
    await import('@security-actions/core/sigstore');
  const { X509Certificate } = await import('@sigstore/core');
  const signing = await deps.signing();
  const signed: (SignedFile & { json: SerializedBundle })[] = [];
  await mapLimit(deps.files, deps.concurrency ?? 8, async (file) => {
    const data = await deps.readFile(file);
    const json = await signing.signFile(data);
    const bundle = join(outDir(file), `${basename(file)}.sigstore.json`);
    await deps.writeFile(bundle, `${JSON.stringify(json)}\n`);
    signed.push({ file, sha256: sha256Hex(data), bundle, json });
  });
  signed.sort((a, b) => deps.files.indexOf(a.file) - deps.files.indexOf(b.file));
  deps.log(`signed ${signed.length} file(s)`);

  const cert = X509Certificate.parse(await signing.certificatePem());
  const ext = fulcioExtensions(cert);
  const identity = cert.subjectAltName ?? '';
  const issuer = ext['1.8'] ?? '';
  outputs.identity = identity;
  outputs.issuer = issuer;
  outputs.bundles = JSON.stringify(signed.map(({ file, sha256, bundle }) => ({ file, sha256, bundle })));

  // The identity this run had, from its token; for GitHub it is the workflow
  // that ran the job (job_workflow_ref), which Fulcio puts in the SAN.
  const claims = signing.claims;
  const expected =
    claims.iss === GITHUB_OIDC_ISSUER && claims.job_workflow_ref
      ? `https://github.com/${String(claims.job_workflow_ref)}`
      : identity;
  const expectedIssuer = String(claims.iss ?? issuer);
  if (expected !== identity) errors.push(`Fulcio certified ${identity}, not this run's identity ${expected}`);

  let provenance: { path: string; json: SerializedBundle; statement: object } | undefined;
  if (opts.provenance) {
    const statement = provenanceStatement(
      signed.map((s) => ({ name: basename(s.file), sha256: s.sha256 })),
      claims,
      run.serverUrl
    );
    const json = await signing.attest(statement);
    const path = join(sideDir, PROVENANCE_NAME);
    await deps.writeFile(path, `${JSON.stringify(json)}\n`);
    provenance = { path, json, statement };
    outputs['provenance-file'] = path;
  }

  let checksums: { path: string; text: string } | undefined;
  if (opts.checksums) {
    const text = signed.map((s) => `${s.sha256}  ${basename(s.file)}\n`).join('');
    const path = join(sideDir, CHECKSUMS_NAME);
    await deps.writeFile(path, text);
    checksums = { path, text };
    outputs['checksums-file'] = path;
  }

  // SPEC 8 (S8-12): verify everything made here before anything leaves the job.
  let verified = false;
  if (!opts.verify) {
    notes.push('verify: false, so the bundles were not verified before finishing.');
  } else {
    let verifier: BundleVerifier | undefined;
    try {
      verifier = await deps.verifier();
    } catch (e) {
      notChecked.push({ check: 'verify', reason: `no trusted root to verify with: ${oneLine(e)}` });
    }
    if (verifier) {
      const policy = { identity: expected, issuer: expectedIssuer };
      const before = errors.length;
      for (const s of signed) {
        try {
          // Read again: what is verified is what is on disk now, to be published.
          verifier.verify(s.json, { bytes: await deps.readFile(s.file) }, policy);
        } catch (e) {
          errors.push(`${basename(s.bundle)}: verification failed: ${oneLine(e)}`);
        }
      }
      if (provenance) {
        try {
          const v = verifier.verify(provenance.json, { digest: `sha256:${signed[0].sha256}` }, policy);
          for (const p of checkSubjects(
            v.statement!,
            signed.map((s) => ({ name: basename(s.file), sha256: s.sha256 }))
          ))
            errors.push(`${PROVENANCE_NAME}: ${p}`);
        } catch (e) {
          errors.push(`${PROVENANCE_NAME}: verification failed: ${oneLine(e)}`);
        }
      }
      verified = errors.length === before;
      if (verified) deps.log(`verified ${signed.length + (provenance ? 1 : 0)} bundle(s) for ${expected}`);
    }
  }

  const uploads: Upload[] = [
    ...signed.map((s) => ({
      name: basename(s.bundle),
      data: Buffer.from(`${JSON.stringify(s.json)}\n`),
      contentType: 'application/json'
    })),
    ...(provenance
      ? [
          {
            name: PROVENANCE_NAME,
            data: Buffer.from(`${JSON.stringify(provenance.json)}\n`),
            contentType: 'application/jsonl'
          }
        ]
      : []),
    ...(checksums ? [{ name: CHECKSUMS_NAME, data: Buffer.from(checksums.text), contentType: 'text/plain' }] : [])
  ];
  const publishable = errors.length === 0 && (verified || !opts.verify);
  const published: string[] = [];
  if (opts.releaseTag) {
    if (!publishable) notChecked.push({ check: 'release-upload', reason: 'not attached: the bundles did not verify' });
    else if (!deps.github) notChecked.push({ check: 'release-upload', reason: 'no token to attach release assets' });
    else {
      try {
        for (const o of await deps.github.attach(opts.releaseTag, uploads, opts.overwrite))
          published.push(`${o.name}: ${o.action}`);
      } catch (e) {
        if (e instanceof AssetConflictError) errors.push(e.message);
        else
          notChecked.push({
            check: 'release-upload',
            reason: `release ${opts.releaseTag}: ${describeApiError(e, 'contents: write')}`
          });
      }
    }
  }
  if (provenance && publishable && deps.github) {
    // Best effort: the attestations API needs `attestations: write` and is not
    // available for every repository; the bundle file is the durable copy.
    try {
      const id = await deps.github.storeAttestation(provenance.json);
      notes.push(`Provenance stored through GitHub's attestations API (id ${id}).`);
    } catch (e) {
      notes.push(
        `Provenance not stored through GitHub's attestations API: ${describeApiError(e, 'attestations: write')}.`
      );
    }
  }

  return done(
    summary({
      signed,
      identity,
      issuer,
      expectedIssuer,
      provenance: provenance?.path,
      checksums: checksums?.path,
      verified,
      opts,
      run,
      claims,
      published
    })
  );
}
