// Caches restored while building a release: the GitHub Actions cache is
// shared by the workflows of the repository's default branch, so code that
// runs in any of them (an injection in a pull_request_target workflow, as in
// Ultralytics) can plant what the release build restores and ships.
import type { Step, WorkflowDocument } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { actionName, majorVersion, stepBy, usesAction } from './common';
import { publisherPaths, releaseJobIds } from './publish-model';
import { CACHE_POISONING } from '../rules/cache-poisoning';

const RULES = CACHE_POISONING.rules;

type Control = { input: string; on: (v: string | undefined, s: Step) => boolean };
const truthy = (v?: string) => ['true', 'yes', '1'].includes((v ?? '').trim().toLowerCase());
const nonEmpty = (v?: string) => !!v?.trim() && v.trim().toLowerCase() !== 'false';
const notFalse = (v?: string) => v === undefined || !['false', 'no', '0'].includes(v.trim().toLowerCase());

/**
 * Actions that restore a cache, and the input that decides it (zizmor's
 * list, MIT, plus micromamba's inputs, common in scientific Python).
 */
const CACHING: Record<string, Control[] | 'always'> = {
  'actions/cache': [{ input: 'lookup-only', on: (v) => !truthy(v) }],
  'actions/cache/restore': [{ input: 'lookup-only', on: (v) => !truthy(v) }],
  'actions/setup-python': [{ input: 'cache', on: nonEmpty }],
  'actions/setup-java': [{ input: 'cache', on: nonEmpty }],
  'actions/setup-go': [{ input: 'cache', on: notFalse }],
  'actions/setup-node': [
    { input: 'cache', on: (v) => ['npm', 'yarn', 'pnpm'].includes((v ?? '').trim()) },
    { input: 'package-manager-cache', on: (v, s) => (majorVersion(s.uses!) ?? 0) >= 5 && notFalse(v) }
  ],
  'actions/setup-dotnet': [{ input: 'cache', on: truthy }],
  // `auto` (the default) caches on GitHub-hosted runners before v10.
  'astral-sh/setup-uv': [
    {
      input: 'enable-cache',
      on: (v, s) => truthy(v) || ((v === undefined || v.trim() === 'auto') && (majorVersion(s.uses!) ?? 0) < 10)
    }
  ],
  'swatinem/rust-cache': [{ input: 'lookup-only', on: (v) => !truthy(v) }],
  'ruby/setup-ruby': [{ input: 'bundler-cache', on: truthy }],
  'pyo3/maturin-action': [{ input: 'sccache', on: truthy }],
  'mlugg/setup-zig': [{ input: 'use-cache', on: notFalse }],
  'oven-sh/setup-bun': [{ input: 'no-cache', on: (v) => !truthy(v) }],
  'determinatesystems/magic-nix-cache-action': [{ input: 'use-gha-cache', on: notFalse }],
  'graalvm/setup-graalvm': [{ input: 'cache', on: nonEmpty }],
  'gradle/actions/setup-gradle': [{ input: 'cache-disabled', on: (v) => !truthy(v) }],
  'actions-rust-lang/setup-rust-toolchain': [{ input: 'cache', on: notFalse }],
  'jdx/mise-action': [{ input: 'cache', on: notFalse }],
  'ramsey/composer-install': [{ input: 'ignore-cache', on: (v) => !truthy(v) }],
  'mamba-org/setup-micromamba': [
    { input: 'cache-environment', on: truthy },
    { input: 'cache-downloads', on: truthy }
  ],
  'docker/setup-buildx-action': [
    { input: 'version', on: (v, s) => nonEmpty(v) && notFalse(s.with.get('cache-binary')?.value) }
  ],
  'mozilla-actions/sccache-action': 'always',
  'nix-community/cache-nix-action': 'always',
  'awalsh128/cache-apt-pkgs-action': 'always'
};

/** Actions that publish what the job built (zizmor's list, MIT). */
const PUBLISHERS = new Set([
  'pypa/gh-action-pypi-publish',
  'rubygems/release-gem',
  'jreleaser/release-action',
  'goreleaser/goreleaser-action',
  'softprops/action-gh-release',
  'googleapis/release-please-action',
  'docker/build-push-action',
  'redhat-actions/push-to-registry',
  'cloudflare/wrangler-action'
]);

/** The release events the workflow runs on: a release, a tag push, a push to a release branch. */
function releaseTriggers(doc: WorkflowDocument): string[] {
  const out: string[] = [];
  for (const t of doc.triggers) {
    if (t.event === 'release') out.push('a release');
    if (t.event === 'push' && t.tags.length) out.push('a tag push');
    if (t.event === 'push' && t.branches.some((b) => /release/i.test(b.value))) out.push('a push to a release branch');
  }
  return out;
}

/** `${{ !startsWith(github.ref, 'refs/tags/') }}` and the like: false on every tag push. */
const NOT_ON_TAGS =
  /^\s*\$\{\{\s*!\s*(startsWith\(\s*github\.ref\s*,\s*'refs\/tags\/'\s*\)|\(\s*github\.event_name\s*==\s*'push'\s*&&\s*github\.ref_type\s*==\s*'tag'\s*\))\s*\}\}\s*$/i;

/**
 * Whether a step restores a cache. An expression decides at run time; the
 * usual "not on tags" guard is honoured when every release event is a tag.
 */
function caches(step: Step, tagsOnly: boolean): string | undefined {
  const name = actionName(step.uses);
  const controls = CACHING[name];
  if (!controls) return undefined;
  if (controls === 'always') return name;
  for (const c of controls) {
    const v = step.with.get(c.input)?.value;
    if (v?.includes('${{')) {
      if (tagsOnly && NOT_ON_TAGS.test(v)) continue;
      return `${name} (\`${c.input}\` is decided at run time)`;
    }
    if (c.on(v, step)) return `${name}${v !== undefined ? ` with \`${c.input}: ${v}\`` : ''}`;
  }
  return undefined;
}

/** A step that publishes what the job built: a release asset, a package upload, an image push, an attestation. */
const publishesBuild = (s: Step): boolean =>
  /^actions\/(attest-build-provenance|attest)$/.test(actionName(s.uses)) ||
  (!!s.run &&
    /\b(gh\s+release\s+(upload|create)|twine\s+upload|(uv|poetry|npm|pnpm|yarn|cargo|hatch|flit)\s+publish|docker\s+push|gem\s+push)\b/.test(
      s.run.value
    ));

/** A publishing step: a known publisher (docker/build-push-action unless `push: false`). */
const publishes = (s: Step) =>
  PUBLISHERS.has(actionName(s.uses)) &&
  !(actionName(s.uses) === 'docker/build-push-action' && !notFalse(s.with.get('push')?.value));

function run({ doc, files, options }: AuditContext): RawFinding[] {
  const triggers = releaseTriggers(doc);
  const trigger = triggers.join(' or ');
  const tagsOnly = triggers.length > 0 && !triggers.includes('a push to a release branch');
  // Jobs of a PyPI publishing workflow are publish/cache-in-release's to report.
  const publishRelease = releaseJobIds(doc, publisherPaths(files.docs, options.publishers));
  const out: RawFinding[] = [];
  const workflowPublishes =
    publishRelease.size > 0 || doc.jobs.some((j) => j.steps.some((s) => publishes(s) || publishesBuild(s)));
  for (const job of doc.jobs) {
    if (publishRelease.has(job.id)) continue;
    const publisher = job.steps.find(publishes);
    if (!trigger && !publisher) continue;
    // A job on a release event ships what it builds when it publishes it, or hands it as an artifact
    // to a job of the workflow that does; a test job ships nothing a cache could poison.
    const ships =
      !!publisher ||
      job.steps.some(publishesBuild) ||
      (job.steps.some((s) => usesAction(s, 'actions/upload-artifact')) && workflowPublishes);
    for (const step of job.steps) {
      const what = caches(step, tagsOnly);
      if (!what) continue;
      out.push({
        rule: RULES.CACHE_POISONING,
        pos: step.uses!.text.pos,
        severity: ships ? undefined : 'low',
        confidence: 'low',
        message: `Job \`${job.id}\` ${trigger ? `runs on ${trigger}` : `publishes with ${actionName(publisher!.uses)}`} and ${stepBy(step)} restores a cache (${what}).`,
        evidence: step.uses!.raw,
        subject: `cache|${job.id}|${actionName(step.uses)}`,
        site: `${step.index}`
      });
    }
  }
  return out;
}

export const cachePoisoning: WorkflowAudit = { ...CACHE_POISONING, run };
