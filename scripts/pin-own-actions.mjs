#!/usr/bin/env node
// Points every template at the commit the next release of this suite tags:
//   node scripts/pin-own-actions.mjs <X.Y.Z> <40-hex commit SHA> [--root DIR]
// Rewrites each `scientific-python/security-actions/actions/<name>@<ref> # <comment>`
// in workflows-templates/*.yml to `@<sha> # vX.Y.Z`, so the templates show the
// same full-SHA pin with a version comment that the suite asks of others.
// The release workflow then creates the tag vX.Y.Z at exactly that commit:
//   node scripts/pin-own-actions.mjs --release-commit <X.Y.Z> [--root DIR]
// prints the commit the templates pin after checking that they all pin one
// commit with the comment vX.Y.Z, and that the commit declares that version.
// Refuses a malformed version or SHA, a template that names an action the
// suite does not have, and (in a git checkout of the suite) a commit that is
// not in the history of HEAD, lacks one of the actions, or whose package.json
// declares another version, rather than writing a pin whose comment names a
// tag the release would not create there. test/templates/own-pins.test.ts
// checks the same of the committed pins.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OWN_USES = /(scientific-python\/security-actions\/actions\/)([a-z0-9-]+)@[^\s#]*(?:[ \t]*#[^\n]*)?/g;

export function pinText(text, version, sha, known) {
  let count = 0;
  const unknown = [];
  const out = text.replace(OWN_USES, (_m, prefix, name) => {
    if (known && !known.has(name)) unknown.push(name);
    count++;
    return `${prefix}${name}@${sha} # v${version}`;
  });
  return { text: out, count, unknown };
}

function main(argv) {
  const args = [...argv];
  let root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const at = args.indexOf('--root');
  if (at >= 0) {
    root = resolve(args[at + 1] ?? '');
    args.splice(at, 2);
  }
  const release = args.indexOf('--release-commit');
  if (release >= 0) args.splice(release, 1);
  const [rawVersion, sha] = args;
  const version = rawVersion?.replace(/^v/, '');
  if (!version || !/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version))
    fail(`version must look like 1.2.3; got '${rawVersion ?? ''}'`);
  const dir = join(root, 'workflows-templates');
  if (!existsSync(dir)) fail(`no workflows-templates/ in ${root}`);
  const known = new Set(existsSync(join(root, 'actions')) ? readdirSync(join(root, 'actions')) : []);
  if (release >= 0) return releaseCommit(root, dir, version, known);
  if (!sha || !/^[0-9a-f]{40}$/.test(sha))
    fail(`the commit must be a full 40-character lowercase SHA; got '${sha ?? ''}'`);
  checkCommit(root, sha, known, version);
  let total = 0;
  for (const f of readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()) {
    const path = join(dir, f);
    const before = readFileSync(path, 'utf8');
    const { text, count, unknown } = pinText(before, version, sha, known);
    if (unknown.length)
      fail(`workflows-templates/${f} uses actions the suite does not have: ${[...new Set(unknown)].join(', ')}`);
    if (text !== before) writeFileSync(path, text);
    if (count) console.log(`workflows-templates/${f}: ${count} reference(s) → ${sha.slice(0, 12)} # v${version}`);
    total += count;
  }
  if (!total) fail("no reference to this suite's actions found in workflows-templates/");
}

/** The one commit every template pins, when they all name vVERSION; checked like a commit to pin, then printed. */
function releaseCommit(root, dir, version, known) {
  const pins = new Set();
  for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)))
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(OWN_USES)) pins.add(m[0].slice(m[0].indexOf('@') + 1));
  if (!pins.size) fail("no reference to this suite's actions found in workflows-templates/");
  const [pin, ...others] = [...pins];
  if (others.length) fail(`the templates pin more than one commit or comment: ${[...pins].join('; ')}`);
  const m = /^([0-9a-f]{40})[ \t]+#[ \t]*(\S+)$/.exec(pin);
  if (!m) fail(`the templates' pin '${pin}' is not a full SHA with a version comment`);
  if (m[2] !== `v${version}`) fail(`the templates name ${m[2]}, not v${version}: pin the commit to release first`);
  checkCommit(root, m[1], known, version);
  console.log(m[1]);
}

/**
 * In a git checkout of the suite: the commit must be in HEAD's history, hold
 * every action, and (where it has a package.json) declare the version its
 * pins will name, since the release tags that commit with that version.
 * Elsewhere there is nothing to check against.
 */
function checkCommit(root, sha, known, version) {
  const git = (...args) => spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  const top = git('rev-parse', '--show-toplevel');
  if (top.status !== 0 || realpathSync(top.stdout.trim()) !== realpathSync(root)) return;
  if (git('cat-file', '-e', `${sha}^{commit}`).status !== 0) {
    fail(
      `commit ${sha} is not in this checkout: fetch it first (git fetch origin; a shallow clone needs git fetch --unshallow)`
    );
  }
  if (git('merge-base', '--is-ancestor', sha, 'HEAD').status !== 0)
    fail(`commit ${sha} is not in the history of HEAD: update this branch from main first`);
  const missing = [...known].filter((name) => git('cat-file', '-e', `${sha}:actions/${name}/action.yml`).status !== 0);
  if (missing.length) fail(`commit ${sha} does not have ${missing.map((n) => `actions/${n}/action.yml`).join(', ')}`);
  const pkg = git('show', `${sha}:package.json`);
  if (pkg.status === 0) {
    const declared = JSON.parse(pkg.stdout).version;
    if (declared !== version)
      fail(
        `commit ${sha} declares version ${declared} in package.json, not ${version}: the release of ${version} must be a commit that declares it`
      );
  }
}

function fail(message) {
  console.error(`pin-own-actions: ${message}`);
  process.exit(2);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
