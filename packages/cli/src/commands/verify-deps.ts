import { definition } from '@security-actions/verify-deps';
import type { ActionCommand } from './types';

export const verifyDeps: ActionCommand = {
  summary:
    'verify Python dependencies and GitHub Actions pins: pinning, hashes, OSV, PEP 740 provenance, typosquats, impostor commits',
  usage: '[--repo PATH] [--offline false] [--diff-base REF] [--policy FILE]',
  definition,
  // Local runs start offline (no token, maybe no network); `--offline false` turns the network checks on.
  fixed: { offline: 'true' },
  flags: {
    checks: {
      input: 'checks',
      type: 'string',
      help: 'comma-separated checks: pinning, vulnerabilities, provenance, typosquats, actions (default: all)'
    },
    offline: {
      input: 'offline',
      type: 'string',
      help: 'true (default here): make no network request, the network checks are listed as not checked; false: run them'
    },
    files: { input: 'files', type: 'string', help: 'glob of files to check (default: discover them)' },
    policy: {
      input: 'policy',
      type: 'string',
      help: 'policy YAML file (publishers, allow-tags, ignore, cooldown-days, typosquat-allow)'
    },
    provenance: { input: 'provenance', type: 'string', help: 'require, warn (default) or off' },
    'diff-base': { input: 'diff-base', type: 'string', help: 'report only what changed since this commit' },
    token: { input: 'token', type: 'string', help: 'GitHub token for the action checks (none: they are not checked)' },
    'osv-url': { input: 'osv-url', type: 'string', help: 'OSV API base URL' },
    'pypi-url': { input: 'pypi-url', type: 'string', help: 'PyPI base URL' },
    'trusted-root': {
      input: 'trusted-root',
      type: 'string',
      help: 'Sigstore trusted_root.json (default: fetched over TUF)'
    },
    'fail-on-not-checked': { input: 'fail-on-not-checked', type: 'string', help: 'true (default) or false' }
  }
};
