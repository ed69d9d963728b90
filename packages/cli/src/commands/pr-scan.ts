import { definition } from '@security-actions/pr-anomaly-scan';
import type { ActionCommand } from './types';

export const prScan: ActionCommand = {
  summary: 'flag changes between two commits that look like an attack (reads git only, runs nothing)',
  usage: '--base REF [--head REF] [--repo PATH]',
  definition,
  // No token locally: the API checks (author history, commit verification) are reported as not checked.
  fixed: { token: '', comment: 'false' },
  flags: {
    base: { input: 'base', type: 'string', help: 'base commit or ref of the comparison (required)' },
    head: { input: 'head', type: 'string', help: 'head commit or ref (default: HEAD)' }
  }
};
