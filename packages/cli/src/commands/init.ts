// `init`: drop the suite's starter workflows (workflows-templates/*.yml, as
// committed: every action pinned to a full SHA with a comment naming its
// release tag) and a config file into a repository, or with --org into the
// `workflow-templates/` folder of an organization's `.github` repository,
// where GitHub offers org starter workflows. Nothing is overwritten without
// --force, and nothing is written unless every file can be.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG_PATH, VERSION } from '@security-actions/core';
import { HELP_OPTION, REPO_OPTION } from '../options';
import { checkoutOf } from '../run';
import { EXIT, type FunctionCommand, UsageError } from './types';

/** What a project repository gets unless --workflows says otherwise; access-audit belongs in a private org repository. */
const PROJECT_DEFAULT = ['pr-anomaly-scan', 'release', 'verify-deps'];
const SUITE = 'scientific-python/security-actions';

/** This suite's checkout (the CLI runs from it): the folder above this file that holds workflows-templates/. */
function suiteRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'workflows-templates')) || !existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find workflows-templates/ beside this sp-security');
    dir = up;
  }
  return dir;
}

/** The release tag the templates pin this suite at (`@<sha> # vX.Y.Z`). */
export function pinnedTag(texts: string[]): string {
  for (const t of texts) {
    const m = new RegExp(`${SUITE}/actions/[a-z0-9-]+@[0-9a-f]{40} # (v\\d+\\.\\d+\\.\\d+\\S*)`).exec(t);
    if (m) return m[1];
  }
  return `v${VERSION}`;
}

export function schemaUrl(tag: string): string {
  return `https://raw.githubusercontent.com/${SUITE}/${tag}/packages/core/schema/config.schema.json`;
}

/** A starter config: valid as it stands, with the two common settings shown as comments. */
export function starterConfig(tag: string): string {
  return `# yaml-language-server: $schema=${schemaUrl(tag)}
# security-actions settings for this repository: docs/configuration.md in
# https://github.com/${SUITE}/tree/${tag}
version: 1

# Severity overrides, by rule id (the rule ids are in every report):
# rules:
#   workflow/no-version-comment:
#     severity: info
#     reason: Dependabot keeps our pins; the comment is nice to have.

# Suppressions: each needs a reason and should expire; the findings come back after that day.
# ignores:
#   - rule: workflow/unpinned-images
#     path: .github/workflows/release.yml
#     reason: The image only prints its version; tracked in issue 42.
#     expires: 2026-12-31
`;
}

export const init: FunctionCommand = {
  summary: "write the starter workflows and a config into a repository, or into an organization's .github repository",
  usage: '[--repo PATH] [--org] [--workflows LIST] [--force]',
  options: {
    ...REPO_OPTION,
    org: {
      type: 'boolean',
      help: "PATH is a checkout of the organization's .github repository: write the starter workflows and their .properties.json into its workflow-templates/, where GitHub offers them to every repository of the organization"
    },
    workflows: {
      type: 'string',
      value: 'LIST',
      help: `comma-separated: access-audit, disclosure-coordinator, pr-anomaly-scan, release, verify-deps, or all (default: ${PROJECT_DEFAULT.join(', ')}; with --org, all)`
    },
    force: { type: 'boolean', help: 'overwrite files that exist' },
    ...HELP_OPTION
  },
  notes: [
    'The workflows pin every action to a full commit SHA with a comment naming its release tag, as the suite asks of others.',
    'Exit status: 0 written; 2 a usage error, or a file exists and --force was not given (then nothing is written).'
  ],
  async run(values, io) {
    const target = await checkoutOf(values, io);
    const root = suiteRoot();
    const available = (await readdir(join(root, 'workflows-templates')))
      .filter((f) => f.endsWith('.yml'))
      .map((f) => f.slice(0, -4))
      .sort();
    const asked = typeof values.workflows === 'string' ? values.workflows.split(',').map((s) => s.trim()) : [];
    const names = asked.includes('all')
      ? available
      : asked.filter(Boolean).length
        ? asked
        : values.org
          ? available
          : PROJECT_DEFAULT;
    const unknown = names.filter((n) => !available.includes(n));
    if (unknown.length)
      throw new UsageError(
        `--workflows: no starter workflow named ${unknown.join(', ')} (there are: ${available.join(', ')})`
      );

    const read = (f: string) => readFile(join(root, 'workflows-templates', f), 'utf8');
    const files = new Map<string, string>();
    for (const n of names) {
      if (values.org) {
        files.set(`workflow-templates/${n}.yml`, await read(`${n}.yml`));
        files.set(`workflow-templates/${n}.properties.json`, await read(`${n}.properties.json`));
      } else files.set(`.github/workflows/${n}.yml`, await read(`${n}.yml`));
    }
    if (!values.org) files.set(DEFAULT_CONFIG_PATH, starterConfig(pinnedTag([...files.values()])));

    const existing = [...files.keys()].filter((f) => existsSync(join(target, f)));
    if (existing.length && !values.force) {
      io.err(
        `init: not overwriting ${existing.join(', ')} in ${target} (give --force to replace them); nothing written`
      );
      return EXIT.usage;
    }
    for (const [f, text] of files) {
      await mkdir(dirname(join(target, f)), { recursive: true });
      await writeFile(join(target, f), text);
      io.out(`wrote ${relative(io.cwd, join(target, f)) || f}\n`);
    }
    io.out(
      values.org
        ? "\nCommit them to the default branch of the organization's .github repository: GitHub then offers them under Actions → New workflow in every repository.\n"
        : '\nReview and commit them. Each workflow says at its top what it needs first (release.yml: a protected `pypi` environment and a trusted publisher on PyPI).\n'
    );
    return EXIT.ok;
  }
};
