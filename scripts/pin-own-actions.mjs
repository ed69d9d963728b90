#!/usr/bin/env node
// Points every template at a release of this suite:
//   node scripts/pin-own-actions.mjs <X.Y.Z> <40-hex commit SHA> [--root DIR]
// Rewrites each `scientific-python/security-actions/actions/<name>@<ref> # <comment>`
// in workflows-templates/*.yml to `@<sha> # vX.Y.Z`, so the templates show the
// same full-SHA pin with a version comment that the suite asks of others.
// Refuses a malformed version or SHA, a template that names an action the
// suite does not have, and (in a git checkout of the suite) a commit that is
// not in the history of HEAD or lacks one of the actions, rather than writing
// a pin nobody can resolve. test/templates/own-pins.test.ts checks the same of
// the committed pins.
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
  const [rawVersion, sha] = args;
  const version = rawVersion?.replace(/^v/, '');
  if (!version || !/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version))
    fail(`version must look like 1.2.3; got '${rawVersion ?? ''}'`);
  if (!sha || !/^[0-9a-f]{40}$/.test(sha))
    fail(`the commit must be a full 40-character lowercase SHA; got '${sha ?? ''}'`);

  const dir = join(root, 'workflows-templates');
  if (!existsSync(dir)) fail(`no workflows-templates/ in ${root}`);
  const known = new Set(existsSync(join(root, 'actions')) ? readdirSync(join(root, 'actions')) : []);
  checkCommit(root, sha, known);
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

/** In a git checkout of the suite: the commit must be in HEAD's history and hold every action. Elsewhere there is nothing to check against. */
function checkCommit(root, sha, known) {
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
}

function fail(message) {
  console.error(`pin-own-actions: ${message}`);
  process.exit(2);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
