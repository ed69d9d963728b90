// What an audit is and what it returns: a leaf module, so audits, the engine
// and the registry import it without importing each other.
import type { Rule } from '../findings';
import type { Confidence, Severity } from '../severity';
import type { Pos, WorkflowDocument } from './model';
import type { FileIndex, Tracer } from './trace';

export interface WorkflowAuditOptions {
  /** Visibility of the repository the files belong to: a self-hosted runner matters most on a public one. */
  visibility?: 'public' | 'private' | 'internal';
  /** The repository's default GITHUB_TOKEN permissions (Settings → Actions → General), when known. */
  defaultPermissions?: 'read' | 'write';
  /** Owners whose actions may be pinned to a tag, and the severity such a pin then gets (verify-deps' `allow-tags`). */
  allowTags?: { owner: string; severity: Severity }[];
  /** Audit ids or rule ids not to run. */
  disable?: string[];
  /**
   * Reusable workflows of the same repository that publish (repository paths), for the publish/* rules
   * of a caller; those found among the audited files are added.
   */
  publishers?: ReadonlySet<string>;
  /** The repository audited (`owner/name`), when known: its own organisation's actions keep its trust (auditWorkflowDiff). */
  repository?: string;
}

export interface AuditContext {
  doc: WorkflowDocument;
  files: FileIndex;
  tracer: Tracer;
  options: WorkflowAuditOptions;
}

/** One occurrence, before it becomes a Finding. */
export interface RawFinding {
  rule: Rule;
  /** Where the offending text is written (an anchor's text when reached through an alias). */
  pos: Pos;
  /** The alias through which the text was reached, when it was. */
  via?: Pos;
  message: string;
  severity?: Severity;
  confidence?: Confidence;
  evidence?: string;
  /**
   * What is reported, independent of where it sits and of its line: diff mode reports a
   * finding of the head whose subject (with rule and file) the base has fewer of.
   */
  subject: string;
  /**
   * What diff mode compares instead of the subject, when the subject names a
   * version: a tag-pinned action bumped to another tag is the weakness the
   * base already had, not a new one. The fingerprint still follows the subject.
   */
  same?: string;
  /** Which job or step, so two occurrences keep distinct fingerprints; not part of newness. */
  site?: string;
  properties?: Record<string, unknown>;
}

export interface WorkflowAudit {
  /** The audit's name (its folder under test/workflow-audit/). */
  id: string;
  rules: Readonly<Record<string, Rule>>;
  /** Only meaningful for a change (a trigger added): runs in diff mode only. */
  diffOnly?: boolean;
  run(ctx: AuditContext): RawFinding[];
}
