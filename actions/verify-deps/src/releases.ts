// Checks of locked releases against PyPI: yanked, younger than the cooldown,
// and PEP 740 provenance (missing, lost since the previous release, invalid,
// or from another publisher). The Simple API is read once per project; the
// Sigstore trust material is built at most once per run, and only when a
// locked file has provenance to verify.
import {
  type Finding,
  type NotChecked,
  type Provenance,
  type PyPIClient,
  type PythonDependency,
  type PythonManifest,
  type SimpleFile,
  type SimpleProject,
  type TrustedPublisher,
  createFinding,
  mapLimit,
  oneLine
} from '@security-actions/core';
import type { Policy, ProvenanceMode } from './policy';
import { type FileVerdict, type ProvenanceChecker, claimedPublisher } from './provenance';
import { RULES } from './rules';
import { comparePep440, isPep440 } from './versions';

/**
 * Pins checked at once. Each costs two sequential requests (Simple API, then
 * Integrity API), so a 1,000-package lock at 20 ms a request takes 2.5 s of
 * waiting at 16 and 1.25 s at 32; PyPI's CDN serves installers that open more
 * (uv downloads 50 files at once by default).
 */
const PYPI_CONCURRENCY = 32;

/** A pinned package version and everywhere it is pinned. */
export interface Pin {
  name: string;
  version: string;
  deps: PythonDependency[];
}

export const depLocation = (d: PythonDependency) => ({ file: d.file, line: d.line });

export interface PyPIWants {
  wantYanked: boolean;
  wantProvenance: boolean;
  wantCooldown: boolean;
}

export interface ReleaseOptions {
  policy: Policy;
  provenance: ProvenanceMode;
  /** Current time, for the cooldown. */
  now: Date;
  concurrency?: number;
}

export interface ReleaseServices {
  pypi: PyPIClient;
  /** Builds the provenance checker (Sigstore trust material); called at most once. */
  verifier?: () => Promise<ProvenanceChecker>;
}

/** The PyPI checks of registry pins; every failure to read or verify is "not checked" for its target. */
export async function checkPyPI(
  pins: Pin[],
  manifests: PythonManifest[],
  opts: ReleaseOptions,
  services: ReleaseServices,
  wants: PyPIWants
): Promise<{ findings: Finding[]; notChecked: NotChecked[]; trustBuilds: number }> {
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const pypi = services.pypi;
  const identities: Record<string, TrustedPublisher[]> = {};
  for (const m of manifests) for (const [k, v] of Object.entries(m.attestationIdentities ?? {})) identities[k] = v;
  let verifier: Promise<ProvenanceChecker> | undefined;
  let verifierError: string | undefined;
  const getVerifier = () =>
    (verifier ??= services.verifier ? services.verifier() : Promise.reject(new Error('no Sigstore trusted root')));
  const verifications: Promise<unknown>[] = [];
  const report = (
    verdict: FileVerdict,
    prov: Provenance,
    filename: string,
    pin: Pin,
    d: PythonDependency,
    expected: TrustedPublisher[]
  ) => {
    const props = { package: pin.name, version: pin.version, file: filename };
    if (verdict.status === 'invalid') {
      findings.push(
        createFinding(RULES.PY_PROVENANCE_INVALID, {
          message: `The provenance of ${filename} does not verify: ${verdict.reason}.`,
          location: depLocation(d),
          key: `${filename}`,
          properties: props
        })
      );
    } else if (verdict.status === 'publisher-mismatch') {
      const claimed = prov.attestation_bundles.map((b) => claimedPublisher(b.publisher)).find(Boolean);
      findings.push(
        createFinding(RULES.PY_PUBLISHER_MISMATCH, {
          message: `${filename} was signed by ${verdict.identity}: ${verdict.reason}.${!expected.length && claimed ? ` (PyPI names ${claimed.repository} as its publisher.)` : ''}`,
          location: depLocation(d),
          key: `${filename}`,
          properties: { ...props, identity: verdict.identity }
        })
      );
    }
  };
  const projects = new Map<string, Promise<SimpleProject | undefined>>();
  const project = (name: string) => {
    if (!projects.has(name)) projects.set(name, pypi.simple(name));
    return projects.get(name)!;
  };

  await mapLimit(pins, opts.concurrency ?? PYPI_CONCURRENCY, async (pin) => {
    const d = pin.deps.find((x) => !x.vcs && !x.url && !x.path) ?? pin.deps[0];
    const target = `${pin.name}==${pin.version}`;
    let proj: SimpleProject | undefined;
    try {
      proj = await project(pin.name);
    } catch (e) {
      for (const c of [
        wants.wantYanked && RULES.PY_YANKED.id,
        wants.wantProvenance && 'provenance',
        wants.wantCooldown && RULES.PY_COOLDOWN.id
      ].filter(Boolean) as string[])
        notChecked.push({ check: c, target, reason: oneLine(e) });
      return;
    }
    if (!proj) {
      // Not on this index: a private package, or a name nobody has registered (dependency confusion bait).
      notChecked.push({ check: 'provenance', target, reason: `${pin.name} is not on the index (a private package?)` });
      return;
    }
    const same = (v?: string) => sameVersion(v, pin.version);
    const releaseFiles = proj.files.filter((f) => same(f.version));
    const locked = lockedFiles(d, releaseFiles);
    if (!releaseFiles.length) {
      notChecked.push({ check: 'provenance', target, reason: `PyPI lists no files for ${pin.name} ${pin.version}` });
      return;
    }
    if (wants.wantYanked) {
      const y = releaseFiles.find((f) => f.yanked);
      if (y)
        findings.push(
          createFinding(RULES.PY_YANKED, {
            message: `${d.rawName} ${pin.version} was yanked from PyPI${typeof y.yanked === 'string' ? `: "${y.yanked}"` : ''}.`,
            location: depLocation(d),
            key: `${pin.name}@${pin.version}`,
            properties: { package: pin.name, version: pin.version }
          })
        );
    }
    if (wants.wantCooldown) {
      const times = releaseFiles.map((f) => Date.parse(f.uploadTime ?? '')).filter((t) => !Number.isNaN(t));
      if (!times.length) notChecked.push({ check: RULES.PY_COOLDOWN.id, target, reason: 'PyPI gives no upload time' });
      else {
        const ageDays = (opts.now.getTime() - Math.min(...times)) / 86_400_000;
        if (ageDays < opts.policy.cooldownDays) {
          findings.push(
            createFinding(RULES.PY_COOLDOWN, {
              message: `${d.rawName} ${pin.version} was released ${ageDays < 1 ? `${Math.max(0, Math.round(ageDays * 24))} hour(s)` : `${Math.floor(ageDays)} day(s)`} ago; the policy wants ${opts.policy.cooldownDays} days.`,
              location: depLocation(d),
              key: `${pin.name}@${pin.version}`,
              properties: { package: pin.name, version: pin.version }
            })
          );
        }
      }
    }
    if (!wants.wantProvenance) return;
    if (!locked.length) {
      // The lock names files or digests PyPI does not serve for this release: another index, or a changed file.
      notChecked.push({
        check: 'provenance',
        target,
        reason: 'none of the locked files or hashes matches a file PyPI serves for this release'
      });
      return;
    }
    const expected = opts.policy.publishers[pin.name] ?? identities[pin.name] ?? [];
    const withProv = locked.filter((f) => f.file.provenance);
    if (!withProv.length) {
      const prev = previousRelease(proj, pin.version);
      const prevHad = prev && proj.files.some((f) => sameVersion(f.version, prev) && f.provenance);
      if (prevHad) {
        findings.push(
          createFinding(RULES.PY_PROVENANCE_REGRESSION, {
            message: `${d.rawName} ${pin.version} has no provenance, but ${prev} was published with attestations.`,
            location: depLocation(d),
            key: `${pin.name}@${pin.version}`,
            properties: { package: pin.name, version: pin.version, previous: prev }
          })
        );
      } else {
        // Informational (the rule's default) in warn mode; high when required or a publisher is expected.
        findings.push(
          createFinding(RULES.PY_PROVENANCE_MISSING, {
            severity: expected.length || opts.provenance === 'require' ? 'high' : undefined,
            message: `${d.rawName} ${pin.version} has no PEP 740 provenance${expected.length ? ', although an expected publisher is configured' : ''}.`,
            location: depLocation(d),
            key: `${pin.name}@${pin.version}`,
            properties: { package: pin.name, version: pin.version }
          })
        );
      }
      return;
    }
    let v: ProvenanceChecker;
    try {
      v = await getVerifier();
    } catch (e) {
      verifierError ??= oneLine(e);
      notChecked.push({ check: 'provenance', target, reason: `no Sigstore trust material: ${verifierError}` });
      return;
    }
    for (const { file, sha256 } of withProv) {
      let prov: Provenance | undefined;
      try {
        prov = await pypi.provenance(file.provenance!);
      } catch (e) {
        notChecked.push({ check: 'provenance', target: file.filename, reason: oneLine(e) });
        continue;
      }
      if (!prov) {
        notChecked.push({
          check: 'provenance',
          target: file.filename,
          reason: 'the index advertised provenance but the Integrity API has none'
        });
        continue;
      }
      // Verified off the pin's slot: the next pins' requests go on while the verifier works.
      verifications.push(
        v.verify(prov, { filename: file.filename, sha256 }, expected).then(
          (verdict) => report(verdict, prov, file.filename, pin, d, expected),
          (e: unknown) =>
            notChecked.push({
              check: 'provenance',
              target: file.filename,
              reason: `verification failed to run: ${oneLine(e)}`
            })
        )
      );
    }
  });
  await Promise.all(verifications);
  const trustBuilds = verifier
    ? await verifier.then(
        (c) => c.builds,
        () => 0
      )
    : 0;
  return { findings, notChecked, trustBuilds };
}

const sameVersion = (a: string | undefined, b: string) =>
  a !== undefined && (a === b || (isPep440(a) && isPep440(b) && comparePep440(a, b) === 0));

/** The highest release below `version` (PEP 440 order), ignoring pre-releases of other lines. */
function previousRelease(proj: SimpleProject, version: string): string | undefined {
  if (!isPep440(version)) return undefined;
  const versions = [...new Set(proj.files.map((f) => f.version).filter((v): v is string => !!v && isPep440(v)))];
  return versions
    .filter((v) => comparePep440(v, version) < 0)
    .sort(comparePep440)
    .pop();
}

/**
 * The files of the release the lock would install, with the digest to check:
 * the lock's own (it is what the installer enforces), else the index's.
 */
function lockedFiles(d: PythonDependency, releaseFiles: SimpleFile[]): { file: SimpleFile; sha256: string }[] {
  const lockedNames = new Map((d.files ?? []).filter((f) => f.filename).map((f) => [f.filename!, f]));
  const lockedDigests = new Set(d.hashes.filter((h) => h.startsWith('sha256:')).map((h) => h.slice(7)));
  const out: { file: SimpleFile; sha256: string }[] = [];
  for (const f of releaseFiles) {
    const lf = lockedNames.get(f.filename);
    const lockDigest = lf?.hashes.find((h) => h.startsWith('sha256:'))?.slice(7);
    if (lf) out.push({ file: f, sha256: lockDigest ?? f.sha256 ?? '' });
    else if (!lockedNames.size && f.sha256 && (lockedDigests.size === 0 || lockedDigests.has(f.sha256)))
      out.push({ file: f, sha256: f.sha256 });
  }
  return out.filter((x) => x.sha256);
}
