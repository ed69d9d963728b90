import { definition } from '@security-actions/disclosure-coordinator';
import { withEnvToken } from './env-token';
import type { ActionCommand } from './types';

export const disclosure: ActionCommand = {
  summary:
    'track repository security advisories across organizations and find the downstream projects they affect; token from --token or GITHUB_TOKEN',
  usage: '--orgs ORGS [--token TOKEN] [--apply]',
  definition: withEnvToken(definition),
  // Locally there is no dashboard issue to keep.
  fixed: { issue: 'false' },
  flags: {
    orgs: {
      input: 'orgs',
      type: 'string',
      help: "comma-separated organizations to track (default: the config's orgs)"
    },
    token: { input: 'token', type: 'string', help: 'token that reads advisories (default: $GITHUB_TOKEN)' },
    apply: {
      input: 'apply',
      type: 'boolean',
      help: 'add the invite-listed maintainers to draft advisories and open notices (default: only propose)'
    },
    'notify-token': { input: 'notify-token', type: 'string', help: 'token that opens notices (default: --token)' }
  }
};
