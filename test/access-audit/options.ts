// The audit options the access-audit tests share: the whole org, archived
// repositories and forks skipped, a fixed clock, the default config.
import { DEFAULT_AUDIT_CONFIG } from '../../actions/access-audit/src/engine';
import type { AuditOptions } from '../../actions/access-audit/src/types';

export const auditOptions = (org = 'sp', over: Partial<AuditOptions> = {}): AuditOptions => ({
  org,
  repositories: [],
  includeArchived: false,
  includeForks: false,
  inactiveDays: 180,
  now: new Date('2026-01-01T00:00:00Z'),
  config: DEFAULT_AUDIT_CONFIG,
  ...over
});
