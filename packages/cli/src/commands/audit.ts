import { REPORT_OPTIONS, TOKEN_OPTION } from '../options';
import type { ReportCommand } from './types';

export const audit: ReportCommand = {
  summary: 'audit who holds the keys of a GitHub organization (SPEC 6, SPEC 8)',
  usage: '--org ORG [--token TOKEN] [--repositories GLOBS] [options]',
  // It reads GitHub, not a checkout; --config is read from the current directory.
  checkout: false,
  checks: [
    {
      name: 'access-audit',
      load: () => import('@security-actions/access-audit').then((m) => m.definition),
      // Locally there is no dashboard issue to keep.
      fixed: { issue: 'false' },
      inputs: {
        org: 'org',
        token: 'token',
        repositories: 'repositories',
        'include-archived': 'include-archived',
        'include-forks': 'include-forks',
        'inactive-days': 'inactive-days',
        shard: 'shard',
        'previous-report': 'previous-report'
      }
    }
  ],
  options: {
    org: { type: 'string', value: 'ORG', required: true, help: 'organization to audit' },
    ...TOKEN_OPTION,
    repositories: { type: 'string', value: 'GLOBS', help: 'comma-separated repository names or globs' },
    'include-archived': { type: 'boolean', help: 'also audit archived repositories' },
    'include-forks': { type: 'boolean', help: 'also audit forks' },
    'inactive-days': {
      type: 'string',
      value: 'DAYS',
      help: 'days without activity before a maintainer is "possibly inactive" (default: 180)'
    },
    shard: { type: 'string', value: 'I/N', help: 'audit one shard of the repositories, e.g. 2/4' },
    'previous-report': {
      type: 'string',
      value: 'FILE',
      help: 'JSON report of the previous run, for the trend and the people who left'
    },
    ...REPORT_OPTIONS
  }
};
