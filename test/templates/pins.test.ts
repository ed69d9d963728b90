// Every third-party `uses:` in the templates and in the suite's own workflows
// is pinned to a full commit SHA with a `# vX.Y.Z` comment, and the pair is one
// seen in real, public workflow files (no internet here to resolve tags, so an
// invented SHA would be indistinguishable from a real one otherwise).
//
// Sources (each pair seen in at least one public file; searched 2026-11-22):
// - actions/checkout@11bd7190… v4.2.2: scientific-python-style release.yml
//   ("Build distributions"), hynek/build-and-inspect-python-package users, many more
// - actions/setup-python@a26af69b… v5.6.0: same release.yml
// - actions/setup-node@49933ea5… v4.4.0: several workflows pinning checkout v4.2.2 + setup-node v4.4.0
// - actions/upload-artifact@ea165f8d… v4.6.2: several workflows ("Upload dist artifacts")
// - actions/download-artifact@d3f86a10… v4.3.0: a publish workflow next to pypi-publish v1.12.4
// - pypa/gh-action-pypi-publish@76f52bc8… v1.12.4: many publish workflows (print-hash: true)
// - actions/attest-build-provenance@e8998f94… v2.4.0: several release workflows
// - actions/create-github-app-token@df432cee… v2.0.6: several workflows (app-id/private-key)
// - github/codeql-action/{init,analyze,upload-sarif}@181d5eef… v3.29.2: a CodeQL workflow
//   (init) and a SARIF upload example (upload-sarif); all sub-actions share one SHA
// - step-security/harden-runner@ec9f2d57… v2.13.0: many workflows (egress-policy: audit)
// Dependabot (.github/dependabot.yml) moves the workflows' pins; the consistency
// test below then fails until the templates follow.
import { describe, expect, it } from '@jest/globals';
import { FULL_SHA } from '../../packages/core/src/index';
import { OWN_PREFIX, readWorkflows } from './workflows';

export const KNOWN_PINS: Record<string, { sha: string; version: string }> = {
  'actions/checkout': { sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  'actions/setup-python': { sha: 'a26af69be951a213d495a4c3e4e4022e16d87065', version: 'v5.6.0' },
  'actions/setup-node': { sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  'actions/upload-artifact': { sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  'actions/download-artifact': { sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', version: 'v4.3.0' },
  'pypa/gh-action-pypi-publish': { sha: '76f52bc884231f62b9a034ebfe128415bbaabdfc', version: 'v1.12.4' },
  'actions/attest-build-provenance': { sha: 'e8998f949152b193b063cb0ec769d69d929409be', version: 'v2.4.0' },
  'actions/create-github-app-token': { sha: 'df432ceedc7162793a195dd1713ff69aefc7379e', version: 'v2.0.6' },
  'github/codeql-action': { sha: '181d5eefc20863364f96762470ba6f862bdef56b', version: 'v3.29.2' },
  'step-security/harden-runner': { sha: 'ec9f2d5744a09debf3a187a3f4f675c53b671911', version: 'v2.13.0' }
};

const files = readWorkflows();
const all = files.flatMap((w) => w.uses.map((u) => ({ ...u, template: w.template })));
const thirdParty = all.filter((u) => u.kind !== 'local' && !u.raw.startsWith(OWN_PREFIX));
const own = all.filter((u) => u.raw.startsWith(OWN_PREFIX));

describe('action pins', () => {
  it('there are templates and workflows to check', () => {
    expect(files.filter((w) => w.template).length).toBeGreaterThanOrEqual(4);
    expect(files.filter((w) => !w.template).length).toBeGreaterThanOrEqual(5);
    expect(thirdParty.length).toBeGreaterThan(20);
  });

  it.each(thirdParty.map((u) => [`${u.file}:${u.line} ${u.raw}`, u] as const))(
    '%s is SHA-pinned with a version comment',
    (_l, u) => {
      expect(u.kind).toBe('action');
      expect(u.ref).toMatch(FULL_SHA);
      expect(u.comment).toMatch(/^v\d+\.\d+\.\d+$/);
    }
  );

  it.each(thirdParty.map((u) => [`${u.file}:${u.line} ${u.raw}`, u] as const))(
    '%s is a SHA/version pair seen in real files',
    (_l, u) => {
      const known = KNOWN_PINS[`${u.owner}/${u.repo}`];
      expect([u.owner, u.repo, known && { sha: u.ref, version: u.comment }]).toEqual([u.owner, u.repo, known]);
    }
  );

  it('templates use the same pin as the suite’s own workflows for every action both use', () => {
    const byAction = new Map<string, Set<string>>();
    for (const u of thirdParty) {
      const k = `${u.owner}/${u.repo}`;
      byAction.set(k, (byAction.get(k) ?? new Set()).add(`${u.ref} # ${u.comment}`));
    }
    for (const [k, pins] of byAction) expect([k, pins.size]).toEqual([k, 1]);
  });

  // The comment names the release of the pinned commit (the version its package.json declares, which
  // own-pins.test.ts checks), not necessarily this checkout's version: a release bumps the version
  // first, then pins the commit that declares it, then tags that commit (CONTRIBUTING.md, "Releasing").
  it('templates reference this suite’s actions by full SHA with one release’s version, all at one commit', () => {
    expect(own.length).toBeGreaterThanOrEqual(6);
    for (const u of own) {
      expect(u.template).toBe(true);
      expect(u.ref).toMatch(FULL_SHA);
      expect(u.comment).toMatch(/^v\d+\.\d+\.\d+$/);
    }
    expect(new Set(own.map((u) => `${u.ref} ${u.comment}`)).size).toBe(1);
  });

  it('the suite’s own workflows run its actions from the same commit (local refs), never a published pin', () => {
    const local = files.filter((w) => !w.template).flatMap((w) => w.uses.filter((u) => u.kind === 'local'));
    expect(local.map((u) => u.raw).sort()).toEqual(
      expect.arrayContaining(['./actions/pr-anomaly-scan', './actions/sign-release', './actions/verify-deps'])
    );
  });
});
