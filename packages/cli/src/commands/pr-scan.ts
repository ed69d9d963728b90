import { REPO_OPTION, REPORT_OPTIONS } from '../options';
import type { ReportCommand } from './types';

export const prScan: ReportCommand = {
  summary: 'flag changes between two commits that look like an attack (reads git only, runs nothing)',
  usage: '--base REF [--head REF] [--repo PATH] [options]',
  checkout: true,
  checks: [
    {
      name: 'pr-anomaly-scan',
      load: () => import('@security-actions/pr-anomaly-scan').then((m) => m.definition),
      // No token locally: the API checks (author history, commit verification) are reported as not checked.
      fixed: { token: '', comment: 'false' },
      inputs: { base: 'base', head: 'head' }
    }
  ],
  options: {
    base: { type: 'string', value: 'REF', required: true, help: 'base commit or ref of the comparison' },
    head: { type: 'string', value: 'REF', help: 'head commit or ref (default: HEAD)' },
    ...REPO_OPTION,
    ...REPORT_OPTIONS
  },
  notes: ['The risk score (0-10) is printed with the figures, above the verdict.']
};
