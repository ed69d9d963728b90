// The PyPI packages a repository publishes (SPEC 6, SPEC 8): who owns each,
// and whether its latest release was published by this repository through
// Trusted Publishing from one of its environments.
import { defineRules, oneLine, parseTomlFile, rulesOf } from '@security-actions/core';
import { packageState, projectName } from '../pypi';
import type { PyPIClient } from '@security-actions/core';
import type { RepoCheck, RepoContext } from '../types';

export const RULES = defineRules({
  pypiSingleOwner: {
    id: 'pypi/single-owner',
    title: 'PyPI package has a single owner and no PyPI organization',
    severity: 'medium',
    why: 'If the only owner loses their account, nobody can publish fixes, add Trusted Publishers or recover the project.',
    remediation:
      'Add a second maintainer as Owner on PyPI (Manage → Collaborators), or move the project to a PyPI organization.',
    spec: ['S6-6']
  },
  pypiNoProvenance: {
    id: 'pypi/no-trusted-publishing',
    title: 'Latest PyPI release has no provenance (not published with Trusted Publishing)',
    severity: 'high',
    why: 'A release without provenance was uploaded with a password or API token, which can leak and publish from anywhere.',
    remediation:
      'Add a Trusted Publisher for this repository, workflow and environment on PyPI, publish with pypa/gh-action-pypi-publish, and revoke the API tokens.',
    spec: ['S6-10', 'S8-13']
  },
  pypiPublisherMismatch: {
    id: 'pypi/publisher-mismatch',
    title: 'Latest PyPI release was published from another repository or without an environment',
    severity: 'high',
    why: 'The Trusted Publisher decides who can publish; one outside this repository, or without a protected environment, bypasses its reviews.',
    remediation:
      'On PyPI, keep only the Trusted Publisher for this repository with its release environment; remove the others.',
    spec: ['S8-8', 'S8-13']
  }
});

/** The not-checked name of the pypi/* rules as a group. */
const PYPI_CHECK = 'pypi/*';

export const pypiPackages: RepoCheck = {
  id: 'pypi-packages',
  scope: 'repo',
  rules: rulesOf(RULES),
  start({ org, pypi, skip }) {
    if (!pypi) skip(PYPI_CHECK, 'not checked: no PyPI URL given', org);
  },
  run: (c) => (c.pypi ? auditPackages(c.pypi, c) : undefined)
};

async function auditPackages(pypi: PyPIClient, c: RepoContext): Promise<void> {
  const { org, name, repo, failed } = c;
  let packages = c.config.packages[name];
  if (!packages) {
    if (failed('pyproject'))
      return c.skip(PYPI_CHECK, 'not checked: pyproject.toml not readable (needs contents: read)', name);
    const text = repo.pyproject?.text;
    if (!text) return; // not a Python package, or not configured
    try {
      const pkg = projectName(parseTomlFile(text, `${name}/pyproject.toml`));
      packages = pkg ? [pkg] : [];
    } catch (e) {
      return c.skip(PYPI_CHECK, `not checked: ${oneLine(e)}`, name);
    }
  }
  const envs = failed('environments') ? undefined : new Set((repo.environments?.nodes ?? []).map((e) => e.name));
  for (const pkg of packages) {
    let state: Awaited<ReturnType<typeof packageState>>;
    try {
      state = await c.limit(() => packageState(pypi, pkg));
    } catch (e) {
      c.skip(PYPI_CHECK, `not checked for ${pkg}: ${oneLine(e)}`, name);
      continue;
    }
    if (state === 'not-found') {
      c.skip(PYPI_CHECK, `not checked: ${pkg} is not on PyPI`, name);
      continue;
    }
    const props = { package: pkg, version: state.version };
    if (!state.owners) {
      c.skip(RULES.pypiSingleOwner.id, `not checked: PyPI did not say who owns ${pkg}`, name);
    } else if (state.owners.length < 2 && !state.organization) {
      c.add(RULES.pypiSingleOwner, name, {
        message: `${name}: PyPI package ${pkg} has ${state.owners.length} owner${state.owners.length === 1 ? '' : 's'} and no PyPI organization.`,
        key: pkg,
        properties: props
      });
    }
    const p = state.publisher;
    if (!p) {
      c.add(RULES.pypiNoProvenance, name, {
        message: `${name}: the latest release of ${pkg} (${state.version}) has no provenance.`,
        key: pkg,
        properties: props
      });
      continue;
    }
    const problems: string[] = [];
    if (p.kind !== 'GitHub' || (p.repository ?? '').toLowerCase() !== `${org}/${name}`.toLowerCase())
      problems.push(`published from ${p.kind ?? '?'} ${p.repository ?? '?'}`);
    if (!p.environment) problems.push('published without an environment');
    else if (envs && !envs.has(p.environment))
      problems.push(`environment ${p.environment} does not exist in the repository`);
    if (problems.length) {
      c.add(RULES.pypiPublisherMismatch, name, {
        message: `${name}: the latest release of ${pkg} (${state.version}) was ${problems.join('; ')} (workflow ${p.workflow ?? '?'}).`,
        key: pkg,
        properties: { ...props, publisher: p }
      });
    }
  }
}
