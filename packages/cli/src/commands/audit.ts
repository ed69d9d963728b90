import { definition } from '@security-actions/access-audit';
import type { ActionDefinition } from '@security-actions/core';
import type { ActionCommand } from './types';

// The token comes from --token or GITHUB_TOKEN; it goes only into the input
// the action reads (and is registered as a secret there), never to output.
const withEnvToken: ActionDefinition = {
  ...definition,
  run(ctx) {
    const key = 'INPUT_TOKEN';
    if (!ctx.env[key] && process.env.GITHUB_TOKEN) ctx.env[key] = process.env.GITHUB_TOKEN;
    return definition.run(ctx);
  }
};

export const audit: ActionCommand = {
  summary: 'audit who holds the keys of a GitHub organization (SPEC 6, SPEC 8); token from --token or GITHUB_TOKEN',
  usage: '--org ORG [--token TOKEN] [--repositories GLOBS]',
  definition: withEnvToken,
  // Locally there is no dashboard issue to keep.
  fixed: { issue: 'false' },
  flags: {
    org: { input: 'org', type: 'string', help: 'organization to audit (required)' },
    token: { input: 'token', type: 'string', help: 'read-only token (default: $GITHUB_TOKEN)' },
    repositories: { input: 'repositories', type: 'string', help: 'comma-separated repository names or globs' },
    'include-archived': { input: 'include-archived', type: 'boolean', help: 'also audit archived repositories' },
    'include-forks': { input: 'include-forks', type: 'boolean', help: 'also audit forks' },
    'inactive-days': {
      input: 'inactive-days',
      type: 'string',
      help: 'days without activity before "possibly inactive" (default 180)'
    },
    shard: { input: 'shard', type: 'string', help: 'audit one shard, i/n' },
    'previous-report': {
      input: 'previous-report',
      type: 'string',
      help: 'JSON report of the previous run, for the trend'
    }
  }
};
