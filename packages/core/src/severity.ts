// Severities are ordered; every threshold comparison goes through rank() so
// "fail-on", SARIF levels and the summary all agree on the order.
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const FAIL_ON = ['none', ...SEVERITIES] as const;
export type FailOn = (typeof FAIL_ON)[number];
export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export function rank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** True when `s` is at or above the threshold; `none` never trips. */
export function meetsThreshold(s: Severity, threshold: FailOn): boolean {
  return threshold !== 'none' && rank(s) >= rank(threshold);
}

export function highest(severities: Iterable<Severity>): Severity | 'none' {
  let best = -1;
  for (const s of severities) best = Math.max(best, rank(s));
  return best < 0 ? 'none' : SEVERITIES[best];
}

/**
 * GitHub code scanning reads `security-severity` (a CVSS-like score) to label
 * alerts: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
 * `info` gets no score, so code scanning shows it as a plain note.
 */
export const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  info: undefined
};

/** SARIF `level` for a severity: error fails code-scanning checks, note never does. */
export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return rank(s) >= rank('high') ? 'error' : s === 'medium' ? 'warning' : 'note';
}
