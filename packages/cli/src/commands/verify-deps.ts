import { REPO_OPTION, REPORT_OPTIONS } from '../options';
import type { Check, Options, ReportCommand } from './types';

/** verify-deps as a check (of `verify-deps` and of `scan`). */
export const verifyDepsCheck: Check = {
  name: 'verify-deps',
  load: () => import('@security-actions/verify-deps').then((m) => m.definition),
  // Local runs start offline (no token, maybe no network); `--no-offline` turns the network checks on.
  fixed: { offline: 'true' },
  inputs: {
    checks: 'checks',
    offline: 'offline',
    files: 'files',
    policy: 'policy',
    provenance: 'provenance',
    'diff-base': 'diff-base',
    token: 'token',
    'osv-url': 'osv-url',
    'pypi-url': 'pypi-url',
    'trusted-root': 'trusted-root',
    'fail-on-not-checked': 'fail-on-not-checked'
  },
  looksFor:
    'workflow (.github/workflows/*.yml), action (action.yml) or Python dependency file (requirements*.txt, pyproject.toml, uv.lock, poetry.lock, pylock.toml, environment.yml)',
  filesFlag: 'files'
};

/** The flags `scan` shares with `verify-deps`: the policy and the network checks. */
export const VERIFY_DEPS_OPTIONS: Options = {
  offline: {
    type: 'boolean',
    help: 'make no network request (the default here): the network checks are listed as not checked; --no-offline runs them'
  },
  policy: {
    type: 'string',
    value: 'FILE',
    help: 'policy YAML file (publishers, allow-tags, ignore, cooldown-days, typosquat-allow)'
  },
  provenance: {
    type: 'string',
    value: 'MODE',
    choices: ['require', 'warn', 'off'],
    help: 'PEP 740 provenance: require, warn (default) or off'
  },
  token: {
    type: 'string',
    value: 'TOKEN',
    env: 'GITHUB_TOKEN',
    help: 'GitHub token for the action checks with --no-offline (default: $GITHUB_TOKEN; none: they are not checked)'
  },
  'osv-url': { type: 'string', value: 'URL', help: 'OSV API base URL (default: https://api.osv.dev)' },
  'pypi-url': { type: 'string', value: 'URL', help: 'PyPI base URL (default: https://pypi.org)' },
  'trusted-root': {
    type: 'string',
    value: 'FILE',
    help: 'Sigstore trusted_root.json (default: fetched over TUF)'
  },
  'fail-on-not-checked': {
    type: 'boolean',
    help: 'with --no-offline, checks that could not run fail the run (default); --no-fail-on-not-checked lists them only'
  }
};

export const verifyDeps: ReportCommand = {
  summary:
    'verify Python dependencies and GitHub Actions pins: pinning, hashes, OSV, PEP 740 provenance, typosquats, impostor commits',
  usage: '[--repo PATH] [--no-offline] [--diff-base REF] [options]',
  checkout: true,
  checks: [verifyDepsCheck],
  options: {
    checks: {
      type: 'string',
      value: 'LIST',
      help: 'comma-separated checks: pinning, vulnerabilities, provenance, typosquats, actions (default: all)'
    },
    files: { type: 'string', value: 'GLOB', help: 'check only the discovered files that match GLOB' },
    'diff-base': { type: 'string', value: 'REF', help: 'report only what changed since this commit' },
    ...VERIFY_DEPS_OPTIONS,
    ...REPO_OPTION,
    ...REPORT_OPTIONS
  }
};
