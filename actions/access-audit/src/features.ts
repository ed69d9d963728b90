// A repository's security features, the Scientific Python "core 5" beside
// branch protection: secret scanning and push protection, code scanning,
// private vulnerability reporting, Dependabot alerts, security updates and
// action updates; and self-hosted runners on public repositories. Most of it
// comes from data already fetched (the repository list's
// `security_and_analysis`, the batched GraphQL answer, the workflow files);
// REST only for private vulnerability reporting (public repositories) and
// CodeQL default setup (only when no code-scanning workflow was seen).
import {
  type UsesRef,
  type YamlFile,
  classifyRunsOn,
  describeApiError,
  jobRunners,
  oneLine,
  parseYamlFile
} from '@security-actions/core';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Add, AuditIO, GraphQLError, Skip } from './engine';
import type { RepoData } from './queries';
import { RULES } from './rules';

type Status = { status?: 'enabled' | 'disabled' } | undefined;

/** One item of `GET /orgs/{org}/repos`, the fields the audit reads. */
export interface RepoListing {
  name: string;
  private?: boolean;
  visibility?: string;
  archived?: boolean;
  fork?: boolean;
  /** Present only for callers that administer the repository. */
  security_and_analysis?: {
    advanced_security?: Status;
    code_security?: Status;
    secret_scanning?: Status;
    secret_scanning_push_protection?: Status;
    dependabot_security_updates?: Status;
  } | null;
  custom_properties?: Record<string, string | string[] | null>;
}

/** A workflow file of the default branch, parsed once for every check that reads it. */
export interface Workflow {
  file: string;
  y?: YamlFile;
  /** Its `uses:` references, found once for every check that reads them. */
  uses?: UsesRef[];
  /** Why it could not be read or parsed, naming file and line. */
  error?: string;
}

export interface FeatureContext {
  io: AuditIO;
  org: string;
  add: Add;
  skip: Skip;
  limit: <T>(f: () => Promise<T>) => Promise<T>;
}

const CODE_SCANNING_ACTION = /^(github\/codeql-action\/(analyze|upload-sarif)|zizmorcore\/zizmor-action)$/i;

export async function securityFeatures(
  repo: RepoData,
  listing: RepoListing,
  workflows: Workflow[] | undefined,
  failed: (field: string) => GraphQLError | undefined,
  c: FeatureContext
): Promise<void> {
  const name = repo.name;
  const { add, skip } = c;
  const isPublic = listing.visibility ? listing.visibility === 'public' : listing.private === false;
  const sa = listing.security_and_analysis;
  const adminOnly =
    'not checked: needs administration: read (GitHub shows security_and_analysis to repository administrators only)';
  const enabled = (s: Status) => s?.status === 'enabled';

  // Secret scanning is free on public repositories; on private ones it is a paid product, not a finding.
  if (isPublic) {
    if (!sa?.secret_scanning) skip(RULES.secretScanningOff.id, adminOnly, name);
    else if (!enabled(sa.secret_scanning))
      add(RULES.secretScanningOff, name, { message: `${name}: secret scanning is off.` });
    else if (sa.secret_scanning_push_protection && !enabled(sa.secret_scanning_push_protection)) {
      add(RULES.pushProtectionOff, name, { message: `${name}: secret scanning push protection is off.` });
    }
  }

  // Dependabot alerts (GraphQL), then security updates (only meaningful with alerts on).
  const alertsErr = failed('vulnerabilityAlerts');
  if (alertsErr || typeof repo.vulnerabilityAlerts !== 'boolean') {
    skip(
      RULES.dependabotAlertsOff.id,
      `not checked: needs administration: read${alertsErr ? ` (${alertsErr.message})` : ''}`,
      name
    );
  } else if (!repo.vulnerabilityAlerts) {
    add(RULES.dependabotAlertsOff, name, { message: `${name}: Dependabot alerts are off.` });
  } else if (!sa?.dependabot_security_updates) {
    skip(RULES.dependabotSecurityUpdatesOff.id, adminOnly, name);
  } else if (!enabled(sa.dependabot_security_updates)) {
    add(RULES.dependabotSecurityUpdatesOff, name, { message: `${name}: Dependabot security updates are off.` });
  }

  if (workflows) dependabotActions(repo, workflows, failed, c);

  // Private vulnerability reporting exists for public repositories only.
  if (isPublic) {
    try {
      const { enabled: on } = (
        await c.limit(() =>
          c.io.request('GET /repos/{owner}/{repo}/private-vulnerability-reporting', { owner: c.org, repo: name })
        )
      ).data as { enabled?: boolean };
      if (on === false) add(RULES.pvrOff, name, { message: `${name}: private vulnerability reporting is off.` });
      else if (on !== true) skip(RULES.pvrOff.id, 'not checked: GitHub returned no "enabled"', name);
    } catch (e) {
      skip(
        RULES.pvrOff.id,
        `not checked: ${(e as { status?: number }).status === 404 ? 'not available on this GitHub' : describeApiError(e, 'metadata: read')}`,
        name
      );
    }
  }

  await codeScanning(repo, workflows, isPublic || enabled(sa?.advanced_security) || enabled(sa?.code_security), c);

  if (isPublic && workflows) {
    for (const w of workflows) {
      if (!w.y) continue;
      for (const r of jobRunners(w.y)) {
        const kind = classifyRunsOn(r.labels);
        if (kind !== 'self-hosted' && kind !== 'custom') continue;
        const line = w.y.pos(r.node).line;
        const labels = r.labels.join(', ');
        add(RULES.selfHostedPublic, name, {
          // Custom labels may name a GitHub-hosted larger runner: say so and lower the confidence.
          severity: kind === 'self-hosted' ? 'high' : 'medium',
          confidence: kind === 'self-hosted' ? 'high' : 'low',
          message: `${name}: ${w.file}:${line}: job ${r.job} runs on ${kind === 'self-hosted' ? 'a self-hosted runner' : 'custom labels (a self-hosted runner, or a GitHub-hosted larger runner)'} (${labels}) in a public repository.`,
          location: { file: w.file, line },
          key: `${w.file}\0${r.job}`,
          evidence: labels,
          properties: { file: w.file, job: r.job, labels: r.labels }
        });
      }
    }
  }
}

/** Dependabot's `github-actions` updates, for repositories that have workflows to update. */
function dependabotActions(
  repo: RepoData,
  workflows: Workflow[],
  failed: (field: string) => GraphQLError | undefined,
  c: FeatureContext
): void {
  const name = repo.name;
  const usesActions = workflows.some((w) => w.uses?.some((u) => u.kind !== 'local'));
  if (!usesActions) return;
  const err = failed('dependabot') ?? failed('dependabot2');
  if (err) return c.skip(RULES.dependabotActionsMissing.id, `not checked: needs contents: read (${err.message})`, name);
  const [file, text] =
    repo.dependabot?.text != null
      ? ['.github/dependabot.yml', repo.dependabot.text]
      : repo.dependabot2?.text != null
        ? ['.github/dependabot.yaml', repo.dependabot2.text]
        : [];
  if (text === undefined || file === undefined) {
    return c.add(RULES.dependabotActionsMissing, name, {
      message: `${name}: no .github/dependabot.yml, so the actions its workflows pin are never updated.`
    });
  }
  let y: YamlFile;
  try {
    y = parseYamlFile(text, file);
  } catch (e) {
    return c.skip(RULES.dependabotActionsMissing.id, `not checked: ${oneLine(e)}`, name);
  }
  const updates = isMap(y.doc.contents) ? y.doc.contents.get('updates', true) : undefined;
  const ecosystems = isSeq(updates)
    ? updates.items
        .map((u) => (isMap(u) ? u.get('package-ecosystem', true) : undefined))
        .filter(isScalar)
        .map((n) => String(n.value))
    : [];
  if (!ecosystems.includes('github-actions')) {
    c.add(RULES.dependabotActionsMissing, name, {
      message: `${name}: ${file} has no \`package-ecosystem: github-actions\` entry.`,
      location: { file, line: 1 }
    });
  }
}

async function codeScanning(
  repo: RepoData,
  workflows: Workflow[] | undefined,
  available: boolean,
  c: FeatureContext
): Promise<void> {
  const name = repo.name;
  const inWorkflow = workflows?.some((w) =>
    w.uses?.some(
      (u) => u.kind === 'action' && CODE_SCANNING_ACTION.test(`${u.owner}/${u.repo}${u.path ? `/${u.path}` : ''}`)
    )
  );
  // Private repositories without GitHub Code Security have no code scanning to turn on.
  if (inWorkflow || !available) return;
  let state: string | undefined;
  try {
    state = (
      (
        await c.limit(() =>
          c.io.request('GET /repos/{owner}/{repo}/code-scanning/default-setup', { owner: c.org, repo: name })
        )
      ).data as { state?: string }
    ).state;
  } catch (e) {
    return c.skip(RULES.codeScanningOff.id, `not checked: ${describeApiError(e, 'administration: read')}`, name);
  }
  if (state === 'configured') return;
  if (!workflows)
    return c.skip(
      RULES.codeScanningOff.id,
      'not checked: CodeQL default setup is off and the workflow files were not readable (needs contents: read)',
      name
    );
  if (state === 'not-configured')
    c.add(RULES.codeScanningOff, name, {
      message: `${name}: no CodeQL default setup and no workflow that runs CodeQL or zizmor.`
    });
  else
    c.skip(
      RULES.codeScanningOff.id,
      `not checked: GitHub returned an unknown default setup state (${String(state)})`,
      name
    );
}
