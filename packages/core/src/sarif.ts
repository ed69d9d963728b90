// SARIF 2.1.0 as GitHub code scanning reads it: rules carry help text and a
// `security-severity`, results carry a stable partial fingerprint, suppressed
// results stay in the log with their `suppressions` so the alert closes as
// dismissed rather than vanishing.
//
// Code scanning shows an alert at its RULE's security-severity, never at the
// result's. A finding whose severity differs from its rule's default (raised
// by evidence, set by a config override) is therefore reported under a rule
// of its own, `<rule id>/<severity>`, with the same help text: the severity in
// code scanning is the one every other report prints. (CodeQL names its
// per-severity variants the same way, e.g. `actions/code-injection/critical`.)
// The price: code scanning identifies an alert by rule id and fingerprint, so
// when a finding's severity changes its old alert closes and a new one opens.
// Ignores in the config file travel with the finding; dismissals made in the
// code scanning UI do not, which is one more reason to prefer config ignores.
import { type Finding, type Report, type Rule, findingRepository, sortFindings } from './findings';
import { SECURITY_SEVERITY, SEVERITIES, type Severity, sarifLevel } from './severity';
import { specLabel } from './spec';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Key of our own fingerprint in `partialFingerprints`; bump the version if its recipe changes. */
export const FINGERPRINT_KEY = 'securityActions/v1';
/**
 * Code scanning rejects the whole upload when one result lacks a physical
 * location, so a finding about a setting (no file) gets this URI: the
 * placeholder OpenSSF Scorecard uses, which GitHub displays as is (here
 * percent-encoded, as a URI reference must be). It names no file, so it can
 * never point at an unrelated one.
 */
export const NO_FILE = 'no file associated with this alert';
const NO_FILE_URI = encodeURIComponent(NO_FILE);

export interface SarifOptions {
  /** Code scanning category; one per action so uploads don't replace each other. */
  category?: string;
  /** `owner/name` of the repository the SARIF is uploaded to: its files keep bare paths. */
  repository?: string;
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

/** The SARIF rule id a result of `rule` at `severity` is reported under. */
export function sarifRuleId(rule: Pick<Rule, 'id' | 'severity'>, severity: Severity): string {
  return severity === rule.severity ? rule.id : `${rule.id}/${severity}`;
}

function sarifRule(rule: Rule, severity: Severity): Json {
  const id = sarifRuleId(rule, severity);
  const securitySeverity = SECURITY_SEVERITY[severity];
  return {
    id,
    name: id.replace(/(^|[-/])([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: ruleHelp(rule),
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: {
      tags: ['security', ...rule.spec.map((s) => `spec-${s.toLowerCase()}`)],
      precision: 'high',
      severity,
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {})
    }
  };
}

/** A rule for a finding whose rule the report does not list: its text travels with the finding. */
function ruleOfFinding(f: Finding): Rule {
  return {
    id: f.ruleId,
    group: f.ruleId.split('/')[0],
    title: f.title,
    severity: f.severity,
    why: f.why,
    remediation: f.remediation,
    spec: f.spec
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

function locationOf(f: Finding, opts: SarifOptions): { location: Json; inCheckout: boolean } {
  const repository = findingRepository(f);
  const org = typeof f.properties?.org === 'string' ? f.properties.org : undefined;
  const logical = repository
    ? [{ name: repository.split('/').pop(), fullyQualifiedName: repository, kind: 'repository' }]
    : org
      ? [{ name: org, fullyQualifiedName: org, kind: 'organization' }]
      : undefined;
  if (!f.location) {
    return {
      location: {
        physicalLocation: { artifactLocation: { uri: NO_FILE_URI }, region: { startLine: 1 } },
        ...(logical ? { logicalLocations: logical } : {})
      },
      inCheckout: false
    };
  }
  // A file of another repository is named with that repository first, so it
  // never resolves to a same-named file of the repository the SARIF goes to.
  const elsewhere = repository && repository.toLowerCase() !== opts.repository?.toLowerCase();
  const file = elsewhere ? `${repository}/${f.location.file}` : f.location.file;
  return {
    location: {
      physicalLocation: {
        artifactLocation: elsewhere ? { uri: pathUri(file) } : { uri: pathUri(file), uriBaseId: '%SRCROOT%' },
        region: region(f)
      },
      ...(elsewhere && logical ? { logicalLocations: logical } : {})
    },
    inCheckout: !elsewhere
  };
}

function sarifRun(report: Report, opts: SarifOptions): Json {
  const findings = sortFindings(report.findings);
  const byId = new Map(report.rules.map((r) => [r.id, r]));
  for (const f of findings) if (!byId.has(f.ruleId)) byId.set(f.ruleId, ruleOfFinding(f));
  // Every rule at its default severity, in the report's order; then one rule
  // per other severity a result carries, so each result's rule advertises
  // exactly the severity of that result.
  const descriptors: [Rule, Severity][] = [...byId.values()].map((r) => [r, r.severity]);
  const variants = new Set<string>();
  for (const f of findings) {
    const rule = byId.get(f.ruleId)!;
    if (f.severity !== rule.severity) variants.add(sarifRuleId(rule, f.severity));
  }
  for (const rule of byId.values())
    for (const s of [...SEVERITIES].reverse())
      if (variants.has(sarifRuleId(rule, s)) && s !== rule.severity) descriptors.push([rule, s]);
  const index = new Map(descriptors.map(([r, s], i) => [sarifRuleId(r, s), i]));

  const results = findings.map((f) => {
    const ruleId = sarifRuleId(byId.get(f.ruleId)!, f.severity);
    const message = [f.message, f.evidence ? `Evidence: ${f.evidence}` : ''].filter(Boolean).join('\n');
    const { location, inCheckout } = locationOf(f, opts);
    return {
      ruleId,
      ruleIndex: index.get(ruleId),
      level: sarifLevel(f.severity),
      message: { text: message },
      locations: [location],
      // upload-sarif hashes the source line for code scanning's own fingerprint;
      // a location outside the checkout has no line to hash, so give ours, or
      // every such result of one rule would collapse into one alert.
      partialFingerprints: {
        [FINGERPRINT_KEY]: f.fingerprint,
        ...(inCheckout ? {} : { primaryLocationLineHash: f.fingerprint })
      },
      ...(f.suppression
        ? {
            suppressions: [{ kind: f.suppression.kind, status: 'accepted', justification: f.suppression.reason }]
          }
        : {}),
      properties: { ...(f.properties ?? {}), rule: f.ruleId, severity: f.severity, confidence: f.confidence }
    };
  });

  const notifications = report.notChecked.map((n) => ({
    level: 'warning',
    message: { text: `Not checked: ${n.check}${n.target ? ` (${n.target})` : ''}: ${n.reason}` },
    descriptor: { id: n.check }
  }));
  for (const e of report.errors)
    notifications.push({ level: 'error', message: { text: e }, descriptor: { id: 'error' } });

  const rev = report.revision;
  return {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: report.tool.uri,
        rules: descriptors.map(([r, s]) => sarifRule(r, s))
      }
    },
    automationDetails: { id: `${opts.category ?? report.name}/` },
    originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the scanned checkout.' } } },
    ...(rev
      ? {
          versionControlProvenance: [
            {
              repositoryUri: `${rev.server}/${rev.repository}`,
              revisionId: rev.commit,
              mappedTo: { uriBaseId: '%SRCROOT%' }
            }
          ]
        }
      : {}),
    invocations: [
      {
        executionSuccessful: report.errors.length === 0,
        startTimeUtc: report.startedAt,
        endTimeUtc: report.finishedAt,
        toolExecutionNotifications: notifications
      }
    ],
    results
  };
}

export function toSarif(report: Report, opts: SarifOptions = {}): Json {
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [sarifRun(report, opts)] };
}

/** One SARIF log with a run per report, each in the code scanning category of its report's name. */
export function toSarifLog(reports: Report[], opts: Omit<SarifOptions, 'category'> = {}): Json {
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: reports.map((r) => sarifRun(r, opts)) };
}
