import { REPORT_OPTIONS } from '../options';
import type { ReportCommand } from './types';

export const disclosure: ReportCommand = {
  summary: 'track repository security advisories across organizations and find the downstream projects they affect',
  usage: '--token TOKEN [--orgs ORGS] [--apply] [options]',
  // It reads GitHub, not a checkout; --config is read from the current directory.
  checkout: false,
  checks: [
    {
      name: 'disclosure-coordinator',
      load: () => import('@security-actions/disclosure-coordinator').then((m) => m.definition),
      // Locally there is no dashboard issue to keep.
      fixed: { issue: 'false' },
      inputs: { orgs: 'orgs', token: 'token', apply: 'apply', 'notify-token': 'notify-token' }
    }
  ],
  options: {
    orgs: {
      type: 'string',
      value: 'ORGS',
      help: "comma-separated organizations to track (default: the config's orgs)"
    },
    token: {
      type: 'string',
      value: 'TOKEN',
      env: 'GITHUB_TOKEN',
      required: true,
      help: 'token that reads advisories (default: $GITHUB_TOKEN); it goes to GitHub only, never to output'
    },
    apply: {
      type: 'boolean',
      help: 'add the invite-listed maintainers to draft advisories and open notices (default: only propose)'
    },
    'notify-token': { type: 'string', value: 'TOKEN', help: 'token that opens notices (default: --token)' },
    ...REPORT_OPTIONS
  }
};
