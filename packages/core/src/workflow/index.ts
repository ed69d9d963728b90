// Public surface of the workflow model and audit (exported from the core's index).
export { auditDocuments, auditWorkflows, auditWorkflowDiff, type WorkflowAuditResult } from './audit';
export { workflowAuditDefinition } from './check';
export { parseWorkflowDocument, type ParseResult, type WorkflowSource } from './parse';
export { WORKFLOW_AUDITS } from './registry';
export { WORKFLOW_AUDIT_RULES, WORKFLOW_AUDIT_REGISTRY, WORKFLOW_RULE_ALIASES, disableAllBut } from './rules';
export type { WorkflowAudit, WorkflowAuditOptions, RawFinding, AuditContext } from './types';
export type {
  ActionMeta,
  Container,
  Env as WorkflowEnv,
  InputDef,
  Job as WorkflowJob,
  Matrix,
  Permissions,
  Pos,
  Step as WorkflowStep,
  StepGroup,
  Text,
  Trigger,
  UsesRef as WorkflowUses,
  WorkflowDocument
} from './model';
export { stepGroups, usesOf } from './model';
export { publishingWorkflows } from './audits/publish-model';
export { fencedExpressions, parseExpression } from './expr';
export { contextCapability, type Capability } from './capabilities';
