// The PR scan: diff base...head (streamed, through the injected GitIO), run
// every rule family on what the PR adds, then the metadata and API checks.
// Pure over its inputs: git and the API client are injected; suppressions
// are returned for the shared runner to apply, and the risk score is derived
// from what stands after them (main.ts, summarise).
import {
  type EngineResult,
  type Finding,
  type GitHubClient,
  type NotChecked,
  type SuppressionEntry,
  UserError,
  createFinding,
  oneLine
} from '@security-actions/core';
import type { WorkflowSource } from '@security-actions/core/workflow';
import { WORKFLOW_AUDIT_REGISTRY } from '@security-actions/core/workflow-rules';
import {
  BlobAnalyser,
  type BlobFacts,
  analyseBinary,
  binaryOnlyChange,
  isRasterImage
} from '@security-actions/core/content';
import { backendFindings } from './backend';
import { isDependencyFile, scanDependencies } from './deps';
import { FEATURE_TEST_FILE, featureTestFindings } from './feature-tests';
import { type PrMeta, apiChecks, autorunFindings, governanceFindings, isSensitive, refFindings } from './meta';
import { REGISTRY, RULES as R } from './rules';
import { SecretCollector } from './secrets';
import {
  type InlineIgnore,
  inlineIgnores,
  inlineSuppressions,
  mayHoldIgnore,
  workflowIgnoreSpan
} from './suppressions';
import { ACTION_DIST, indexVariablesResolved, indexesNotNew, scanAddedText } from './text';
import { wantsSides } from './build';
import { type AddedText, type ChangedFile, type CommitInfo, type GitIO, isNullSha } from './types';

export interface ScanOptions {
  /** The checkout holding both commits. */
  git: GitIO;
  base: string;
  head: string;
  meta: PrMeta;
  /** Resolves the API client, or undefined with the reason it is not available. */
  client?: () => Promise<GitHubClient | undefined>;
  noTokenReason?: string;
  trustedOrgs: string[];
  configPath: string;
}

/** A rule of the workflow audit (a retired id included): an ignore anywhere in a workflow file may name it. */
const isWorkflowRule = (id: string) => WORKFLOW_AUDIT_REGISTRY.has(id);
const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$|(^|\/)action\.ya?ml$/;
const AUTORUN =
  /(^|\/)\.vscode\/tasks\.json$|(^|\/)\.devcontainer(\/[^/]+)?\/devcontainer\.json$|(^|\/)\.devcontainer\.json$|(^|\/)\.(claude|gemini|cursor|codex)\/[^/]*\.json$|(^|\/)\.mcp\.json$/;
/** Files bigger than this are not read whole for the YAML/JSON/manifest rules. */
const MAX_WHOLE_FILE = 2 * 1024 * 1024;
/** An action's old bundle is read up to this size to tell new exec sinks from old ones. */
const MAX_BUNDLE = 32 * 1024 * 1024;

/** The diff checks that do not run when the diff cannot be read. */
const DIFF_CHECKS = ['workflow', 'build', 'binary', 'obfuscation', 'unicode', 'code', 'deps', 'secrets'];

export async function scanPr(opts: ScanOptions): Promise<EngineResult> {
  const { git } = opts;
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  const stats: Record<string, number | string> = {};
  // The ignores the PR adds come first: on a line both cover, theirs is the one reported.
  const added: SuppressionEntry[] = [];
  const workflowSuppressions: SuppressionEntry[] = [];
  let files: ChangedFile[] = [];
  let commits: CommitInfo[] = [];
  let textLines = 0;
  let commit: string | undefined;

  try {
    // Both asked at once (one cat-file process answers in order); head's error, if any, is the one reported.
    const heads = git.resolveCommit(opts.head, 'head');
    const bases = git.resolveCommit(opts.base, 'base');
    bases.catch(() => undefined);
    const head = await heads;
    commit = head;
    const base = await bases;
    // The patch (with the file list) and the commits are read at once; the patch is analysed one file at a time.
    const secrets = new SecretCollector();
    const inline = new Map<string, InlineIgnore[]>();
    let truncatedFiles = 0;
    // An action's bundle waits for its old version (read once the file list is known): only new sinks count.
    const bundles: AddedText[] = [];
    // A test hook with a line that may be network access waits for both sides: an ini value's key, the base's hosts.
    const hooks: AddedText[] = [];
    // Whole texts (hook files, workflows, manifests) are asked for by several passes below: each blob is read once.
    const wholeTexts = new Map<string, string | undefined>();
    const readWhole = async (shas: string[]): Promise<Map<string, string>> => {
      const missing = [...new Set(shas)].filter((s) => !wholeTexts.has(s));
      if (missing.length) {
        const got = await git.readTexts(missing, MAX_WHOLE_FILE);
        for (const s of missing) wholeTexts.set(s, got.get(s));
      }
      const out = new Map<string, string>();
      for (const s of shas) if (wholeTexts.get(s) !== undefined) out.set(s, wholeTexts.get(s)!);
      return out;
    };
    const scanHooks = async () => {
      if (!hooks.length) return;
      const sides = new Map(files.map((f) => [f.path, f]));
      const shas = hooks.flatMap((h) => {
        const f = sides.get(h.path);
        return f ? [f.oldSha, f.newSha].filter((x) => !isNullSha(x)) : [];
      });
      const texts = await readWhole(shas);
      for (const h of hooks.splice(0)) {
        const f = sides.get(h.path);
        const side = (sha?: string) => (sha && !isNullSha(sha) ? texts.get(sha) : undefined);
        findings.push(...scanAddedText(h, undefined, { base: side(f?.oldSha), head: side(f?.newSha) }));
      }
    };
    const onText = (f: AddedText) => {
      textLines += f.numbers.length;
      if (f.addedTruncated) truncatedFiles++;
      const ignores = mayHoldIgnore(f.text) ? inlineIgnores(f.added) : [];
      if (ignores.length) inline.set(f.path, ignores);
      if (ACTION_DIST.test(f.path)) bundles.push(f);
      else if (wantsSides(f)) hooks.push(f);
      else findings.push(...scanAddedText(f));
      secrets.add(f.path, f.text, f.numbers);
    };
    const scanBundles = async () => {
      if (!bundles.length) return;
      const old = new Map(files.filter((f) => !isNullSha(f.oldSha)).map((f) => [f.path, f.oldSha]));
      const texts = await git.readTexts([...new Set(bundles.flatMap((f) => old.get(f.path) ?? []))], MAX_BUNDLE);
      for (const f of bundles.splice(0)) findings.push(...scanAddedText(f, texts.get(old.get(f.path) ?? '')));
    };
    // git finds the merge base itself (`base...head`, `base..head`): no process of its own before these.
    [files, commits] = await Promise.all([git.diff(base, head, onText), git.listCommits(base, head)]);
    await scanBundles();
    await scanHooks();
    // An index named through a variable is judged by the file's own definition first, then against the base.
    const resolved = await indexVariablesResolved(findings, files, readWhole);
    findings.splice(0, findings.length, ...(await indexesNotNew(resolved, files, readWhole, opts.meta.repo)));
    stats['files changed'] = files.length;
    stats.commits = commits.length;
    stats['added lines'] = textLines;
    if (truncatedFiles)
      notes.push(
        `${truncatedFiles} file(s) added more than 8 MiB of text; only the first 8 MiB of each was scanned for content rules.`
      );

    // 2. Whole files for the structured rules (workflows, manifests, IDE files), base and head.
    const whole = files.filter(
      (f) =>
        f.status !== 'deleted' &&
        !f.binary &&
        (WORKFLOW.test(f.path) || isDependencyFile(f.path) || AUTORUN.test(f.path) || FEATURE_TEST_FILE.test(f.path))
    );
    const texts = await readWhole(whole.flatMap((f) => [f.oldSha, f.newSha]));
    // Workflow and action files go to the core workflow audit together: both sides, each file at its head path.
    const workflows: { base: WorkflowSource[]; head: WorkflowSource[] } = { base: [], head: [] };
    for (const f of whole) {
      const headText = texts.get(f.newSha);
      if (headText === undefined) {
        notes.push(`${f.path}: larger than ${MAX_WHOLE_FILE / 1024 / 1024} MiB, structured checks skipped.`);
        continue;
      }
      const baseText = isNullSha(f.oldSha) ? undefined : texts.get(f.oldSha);
      if (WORKFLOW.test(f.path)) {
        workflows.head.push({ path: f.path, text: headText });
        if (baseText !== undefined) workflows.base.push({ path: f.path, text: baseText });
        // Ignores anywhere in a workflow cover its workflow findings, not only ignores the PR adds.
        const lines = headText.split('\n').map((text, i) => ({ line: i + 1, text }));
        const span = (ig: InlineIgnore) => workflowIgnoreSpan(lines, ig.line);
        workflowSuppressions.push(...inlineSuppressions(f.path, inlineIgnores(lines), isWorkflowRule, span));
      } else if (FEATURE_TEST_FILE.test(f.path)) {
        findings.push(...featureTestFindings(f.path, baseText, headText));
      } else if (isDependencyFile(f.path)) {
        const r = scanDependencies(f.path, baseText, headText);
        if (r.error) errors.push(r.error);
        findings.push(...r.findings);
        if (/(^|\/)pyproject\.toml$/.test(f.path)) findings.push(...backendFindings(f.path, baseText, headText));
      } else {
        findings.push(...autorunFindings(f.path, headText));
      }
    }
    if (workflows.head.length) {
      // The audit (YAML model, expression parser, context data) loads only for a PR that changes a workflow or action file.
      const { auditWorkflowDiff } = await import('@security-actions/core/workflow');
      const rest = await otherWorkflows(git, base, files);
      const options = { visibility: opts.meta.visibility, repository: opts.meta.repo };
      const r = auditWorkflowDiff(workflows.base, workflows.head, options, rest);
      findings.push(...r.findings);
      errors.push(...r.errors);
      // A file that does not parse is an error above; an audit that failed on a file is not checked.
      notChecked.push(...r.notChecked.filter((n) => !r.errors.includes(n.reason)));
    }

    // 3. Binaries: magic, entropy and size, streamed.
    const binaries = files.filter(
      (f) => f.binary && f.status !== 'deleted' && !isNullSha(f.newSha) && f.newMode !== '160000'
    );
    const facts = new Map<string, BlobFacts>();
    const [oldSizes] = await Promise.all([
      git.blobSizes(binaries.map((f) => f.oldSha)),
      collectFacts(git, binaries, facts, errors)
    ]);
    // A "binary" without a NUL byte is text that the diff hid: `.gitattributes` (`-diff`, `binary`), which a
    // PR controls, or a binary old side (a text file renamed from a binary one): its added lines get the text
    // rules too.
    const hidden = binaries.filter(
      (f) => facts.get(f.newSha) && !facts.get(f.newSha)!.hasNul && facts.get(f.newSha)!.size <= MAX_WHOLE_FILE * 4
    );
    if (hidden.length) {
      await git.diff(
        base,
        head,
        onText,
        hidden.map((f) => f.path)
      );
      // A bundle hidden so (the way a tj-actions-style payload would hide from review) waits like any other.
      await scanBundles();
      await scanHooks();
      notes.push(
        `${hidden.length} text file(s) that git's diff showed as binary (by .gitattributes, or a binary old side) were scanned as text: ${hidden
          .slice(0, 5)
          .map((f) => f.path)
          .join(', ')}.`
      );
    }
    for (const f of binaries) {
      const fact = facts.get(f.newSha);
      if (!fact || hidden.includes(f)) continue;
      try {
        const unchanged = f.oldSha === f.newSha;
        findings.push(
          ...(await analyseBinary(f.path, fact, { status: f.status, oldSize: oldSizes.get(f.oldSha), unchanged }))
        );
      } catch (e) {
        errors.push(`${f.path}: ${oneLine(e)}`);
      }
    }
    const textChanged = hidden.length > 0 || files.some((f) => !f.binary && (f.addedCount || f.deletedCount));
    const changedBinaries = await Promise.all(
      binaries
        .filter((f) => !hidden.includes(f))
        .map(async (f) => {
          const fact = facts.get(f.newSha);
          // Read only where the binary-only rule can fire (no text changed): the format was detected once above.
          const raster = fact && !textChanged ? await isRasterImage(f.path, fact.head).catch(() => false) : false;
          return { path: f.path, status: f.status, sha: f.newSha, sha256: fact?.sha256, raster };
        })
    );
    findings.push(...binaryOnlyChange(changedBinaries, textChanged));
    stats['binary files'] = binaries.length;

    // 4. Governance files.
    findings.push(
      ...governanceFindings(
        files.map((f) => f.path),
        opts.configPath
      )
    );

    // 5. Inline suppressions, for the runner to apply; each one the PR adds is itself reported.
    for (const [file, ignores] of inline) {
      added.push(...inlineSuppressions(file, ignores));
      for (const bad of ignores.filter((i) => !i.reason))
        notes.push(
          `${file}:${bad.line}: inline ignore without a reason is not applied (write \`pr-anomaly-scan: ignore[rule-id] reason\`).`
        );
      for (const ig of ignores.filter((i) => i.reason)) {
        findings.push(
          createFinding(R.META_SUPPRESSION, {
            message: `The PR adds \`ignore[${ig.rules.join(',')}]\`: ${ig.reason}`,
            location: { file, line: ig.line },
            evidence: `ignore[${ig.rules.join(',')}] ${ig.reason}`
          })
        );
      }
    }

    findings.push(...(await secrets.scan()));
    if (secrets.failure) notChecked.push({ check: R.SECRET.id, reason: `secretlint failed: ${secrets.failure}` });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    errors.push(oneLine(e));
    for (const check of DIFF_CHECKS) notChecked.push({ check, reason: `the diff could not be read: ${oneLine(e)}` });
  }

  // 6. Metadata and the API.
  findings.push(...refFindings(opts.meta));
  const sensitive = files.filter((f) => isSensitive(f.path) || f.binary).map((f) => f.path);
  const lines = files.reduce((n, f) => n + f.addedCount + f.deletedCount, 0);
  let client: GitHubClient | undefined;
  let noTokenReason = opts.noTokenReason;
  try {
    client = opts.meta.author ? await opts.client?.() : undefined;
  } catch (e) {
    noTokenReason = oneLine(e);
  }
  const api = await apiChecks(client, opts.meta, {
    trustedOrgs: opts.trustedOrgs,
    commits,
    diff: { files: files.length, lines, sensitive },
    budget: 6,
    noTokenReason
  });
  findings.push(...api.findings);
  notChecked.push(...api.notChecked);
  notes.push(...api.notes);

  return {
    rules: REGISTRY.list(),
    findings,
    notChecked,
    errors,
    notes,
    stats,
    suppressions: [...added, ...workflowSuppressions],
    target: `${opts.base}...${opts.head}`,
    commit,
    ...(api.author && { data: { author: api.author } })
  };
}

async function collectFacts(
  git: GitIO,
  binaries: ChangedFile[],
  facts: Map<string, BlobFacts>,
  errors: string[]
): Promise<void> {
  await git
    .streamBlobs([...new Set(binaries.map((f) => f.newSha))], (sha) => {
      const a = new BlobAnalyser();
      return { chunk: (b) => a.chunk(b), end: () => void facts.set(sha, a.facts()) };
    })
    .catch((e: unknown) => errors.push(oneLine(e)));
}

/**
 * The base's workflows the PR leaves alone, read only for how they pin actions (a PR that pins an action as the
 * project already does is not making pinning worse). Not readable: none, so every new pin keeps its severity.
 */
async function otherWorkflows(git: GitIO, base: string, files: ChangedFile[]): Promise<WorkflowSource[]> {
  const touched = new Set(files.flatMap((f) => [f.path, f.oldPath ?? f.path]));
  try {
    const listed = (await git.listFiles(base, '.github/workflows')).filter(
      (e) => WORKFLOW.test(e.path) && !touched.has(e.path)
    );
    const texts = await git.readTexts(
      listed.map((e) => e.sha),
      MAX_WHOLE_FILE
    );
    return listed.flatMap((e) => (texts.has(e.sha) ? [{ path: e.path, text: texts.get(e.sha)! }] : []));
  } catch {
    return [];
  }
}
