import { REPORT_OPTIONS, TOKEN_OPTION } from '../options';
import { type ReportCommand, UsageError, type Values } from './types';

/** `--repo OWNER/NAME` as the audit's org and repository filter. */
function repository(values: Values): Values {
  const given = typeof values.repo === 'string' ? values.repo : '';
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(given);
  if (!m)
    throw new UsageError(
      `--repo takes OWNER/NAME (a repository on GitHub); got '${given}'. Assessing a local checkout offline is not supported yet.`
    );
  return { ...values, org: m[1], repositories: m[2] };
}

export const assess: ReportCommand = {
  summary: 'write the public security self-assessment of a repository (SPEC 6, SPEC 8, OpenSSF Concise Guides)',
  usage: '--repo OWNER/NAME --out DIR [--token TOKEN] [options]',
  // It reads GitHub, not a checkout; --config is read from the current directory.
  checkout: false,
  prepare: repository,
  checks: [
    {
      name: 'access-audit',
      load: () => import('@security-actions/access-audit').then((m) => m.definition),
      // The page shows what could not be checked as such; it is the product here, not a verdict.
      fixed: { issue: 'false', 'fail-on-not-checked': 'false' },
      inputs: {
        org: 'org',
        repositories: 'repositories',
        token: 'token',
        out: 'self-assessment',
        'best-practices-url': 'best-practices-url',
        'previous-report': 'previous-report'
      }
    }
  ],
  options: {
    repo: { type: 'string', value: 'OWNER/NAME', required: true, help: 'the repository to assess' },
    out: {
      type: 'string',
      value: 'DIR',
      required: true,
      help: 'directory for NAME.md (the public page), README.md (summary) and self-assessment.json'
    },
    ...TOKEN_OPTION,
    'best-practices-url': {
      type: 'string',
      value: 'URL',
      help: 'OpenSSF Best Practices badge service (default: https://www.bestpractices.dev)'
    },
    'previous-report': { type: 'string', value: 'FILE', help: 'JSON report of the previous run, for the trend' },
    ...REPORT_OPTIONS
  }
};
