import { definition } from '@security-actions/verify-deps/src/main';
import type { ActionCommand } from './types';

export const verifyDeps: ActionCommand = {
  summary: 'check dependency and action pins (offline checks in this version)',
  definition,
  flags: {
    checks: { input: 'checks', type: 'string', help: 'comma-separated checks (default: all)' },
    offline: { input: 'offline', type: 'boolean', help: 'make no network request' }
  }
};
