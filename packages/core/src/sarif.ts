// SARIF 2.1.0 as GitHub code scanning reads it: rules carry help text and a
// `security-severity`, results carry a stable partial fingerprint, suppressed
// results stay in the log with their `suppressions` so the alert closes as
// dismissed rather than vanishing.
import { type Finding, type Report, type Rule, sortFindings } from './findings';
import { SECURITY_SEVERITY, type Severity, highest, sarifLevel } from './severity';
import { specLabel } from './spec';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Key of our own fingerprint in `partialFingerprints`; bump the version if its recipe changes. */
export const FINGERPRINT_KEY = 'securityActions/v1';

export interface SarifOptions {
  /** Code scanning category; one per action so uploads don't replace each other. */
  category?: string;
  /**
   * Code scanning needs a file for every result. Findings about an org or repo
   * setting have none, so they point here (line 1).
   */
  fallbackFile?: string;
}

type Json = Record<string, unknown>;

function ruleHelp(rule: Rule): { text: string; markdown: string } {
  const spec = rule.spec.map(specLabel);
  const refs = (rule.references ?? []).map((r) => (r.url ? `[${r.title}](${r.url})` : r.title));
  const text = [
    rule.why,
    `How to fix: ${rule.remediation}`,
    spec.length ? `SPEC: ${spec.join('; ')}` : '',
    refs.length ? `References: ${(rule.references ?? []).map((r) => r.title).join('; ')}` : ''
  ]
    .filter(Boolean)
    .join('\n\n');
  const markdown = [
    `**Why it matters.** ${rule.why}`,
    `**How to fix.** ${rule.remediation}`,
    spec.length ? `**SPEC.** ${spec.join('; ')}` : '',
    refs.length ? `**References.** ${refs.join(', ')}` : ''
  ]
    .filter(Boolean)
    .join('\n\n');
  return { text, markdown };
}

function sarifRule(rule: Rule, severity: Severity): Json {
  const securitySeverity = SECURITY_SEVERITY[severity];
  return {
    id: rule.id,
    name: rule.id.replace(/(^|[-/])([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: ruleHelp(rule),
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: {
      tags: ['security', ...rule.spec.map((s) => `spec-${s.toLowerCase()}`)],
      precision: 'high',
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {})
    }
  };
}

// SARIF requires 1-based positions and code scanning rejects the whole upload
// on one bad region; a finding built by hand (not through createFinding) may
// carry 0 or negative numbers, so clamp here too and keep the end after the start.
function region(f: Finding): Json {
  const l = f.location!;
  const pos = (n?: number) => (n === undefined || !Number.isFinite(n) ? undefined : Math.max(1, Math.floor(n)));
  const startLine = pos(l.line) ?? 1;
  const startColumn = pos(l.column);
  const endLine = l.endLine === undefined ? undefined : Math.max(startLine, pos(l.endLine) ?? startLine);
  let endColumn = pos(l.endColumn);
  if (
    endColumn !== undefined &&
    startColumn !== undefined &&
    (endLine ?? startLine) === startLine &&
    endColumn < startColumn
  )
    endColumn = undefined;
  return {
    startLine,
    ...(startColumn ? { startColumn } : {}),
    ...(endLine ? { endLine } : {}),
    ...(endColumn ? { endColumn } : {})
  };
}

/** A relative path as a URI reference: each segment percent-encoded, so `#`, `?` and `:` stay part of the name. */
function pathUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

export function toSarif(report: Report, opts: SarifOptions = {}): Json {
  const findings = sortFindings(report.findings);
  // Code scanning reads security-severity per rule only; a rule whose findings
  // were raised (by evidence or config) must advertise the highest of them.
  const ruleSeverity = new Map<string, Severity>();
  for (const r of report.rules) ruleSeverity.set(r.id, r.severity);
  for (const f of findings) {
    if (f.suppression) continue; // a dismissed finding must not raise what the rule advertises
    const cur = ruleSeverity.get(f.ruleId);
    ruleSeverity.set(f.ruleId, cur ? (highest([cur, f.severity]) as Severity) : f.severity);
  }
  const rules = report.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const fallback = opts.fallbackFile ?? '.github';

  const results = findings.map((f) => {
    const located = f.location ? f : { ...f, location: { file: fallback, line: 1 } };
    const message = [f.message, f.evidence ? `Evidence: ${f.evidence}` : ''].filter(Boolean).join('\n');
    return {
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
      level: sarifLevel(f.severity),
      message: { text: message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: pathUri(located.location!.file), uriBaseId: '%SRCROOT%' },
            region: region(located)
          }
        }
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
      ...(f.suppression
        ? {
            suppressions: [{ kind: f.suppression.kind, status: 'accepted', justification: f.suppression.reason }]
          }
        : {}),
      properties: { ...(f.properties ?? {}), severity: f.severity, confidence: f.confidence }
    };
  });

  const notifications = report.notChecked.map((n) => ({
    level: 'warning',
    message: { text: `Not checked: ${n.check}${n.target ? ` (${n.target})` : ''}: ${n.reason}` },
    descriptor: { id: n.check }
  }));
  for (const e of report.errors)
    notifications.push({ level: 'error', message: { text: e }, descriptor: { id: 'error' } });

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: report.tool.uri,
            rules: rules.map((r) => sarifRule(r, ruleSeverity.get(r.id)!))
          }
        },
        automationDetails: { id: `${opts.category ?? report.name}/` },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the scanned checkout.' } } },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            startTimeUtc: report.startedAt,
            endTimeUtc: report.finishedAt,
            toolExecutionNotifications: notifications
          }
        ],
        results
      }
    ]
  };
}
