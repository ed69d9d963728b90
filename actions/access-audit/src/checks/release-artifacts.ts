// An SBOM or provenance published with the latest GitHub release (SPEC 8 S8-11,
// the Concise Guide's SBOM line), from the asset names the repository's batch
// fetched. PyPI's own attestations are pypi/no-trusted-publishing's concern.
import { defineRules, rulesOf } from '@security-actions/core';
import type { RepoCheck } from '../types';

export const RULES = defineRules({
  noSbomOrProvenance: {
    id: 'repo/release-without-sbom-or-provenance',
    title: 'Latest release publishes no SBOM or provenance',
    severity: 'low',
    why: 'Users cannot check what a release contains (SBOM) or where and how it was built (provenance) without the files beside the artifacts; Scorecard and the Concise Guide look for them there.',
    remediation:
      'Attach an SBOM (SPDX or CycloneDX) and the build provenance (actions/attest-build-provenance bundle, *.intoto.jsonl or *.sigstore.json) to each GitHub release.',
    spec: ['S8-11']
  }
});

export const SBOM_ASSET = /(\.spdx(\.json)?|\.cdx\.(json|xml)|(^|[._-])s?bom(\.[a-z]+)?\.(json|xml))$/i;
export const PROVENANCE_ASSET = /(\.intoto\.jsonl|\.sigstore(\.json)?|provenance[^/]*\.json)$/i;

export const EVIDENCE_KEY = 'release-artifacts';

export const releaseArtifacts: RepoCheck = {
  id: 'release-artifacts',
  scope: 'repo',
  rules: rulesOf(RULES),
  run({ name, repo, gathered, unreadable, add, skip }) {
    if (!repo.releases) return skip(RULES.noSbomOrProvenance.id, unreadable('releases', 'contents: read'), name);
    const latest = repo.releases.nodes.find((r) => !r.isDraft && !r.isPrerelease);
    const evidence = (e: string) => ((gathered.evidence[name] ??= {})[EVIDENCE_KEY] = e);
    if (!latest) return void evidence('n/a: no published release');
    const assets = latest.releaseAssets.nodes.map((a) => a.name);
    const kinds = [
      ...(assets.some((a) => SBOM_ASSET.test(a)) ? ['an SBOM'] : []),
      ...(assets.some((a) => PROVENANCE_ASSET.test(a)) ? ['provenance'] : [])
    ];
    if (kinds.length) return void evidence(`release ${latest.tagName} publishes ${kinds.join(' and ')}`);
    add(RULES.noSbomOrProvenance, name, {
      message: `${name}: release ${latest.tagName} has no SBOM or provenance among its ${assets.length} asset(s).`,
      key: latest.tagName,
      properties: { release: latest.tagName }
    });
  }
};
