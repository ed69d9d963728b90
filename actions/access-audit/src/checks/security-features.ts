// A repository's security features, the Scientific Python "core 5" beside
// branch protection: secret scanning and push protection, code scanning,
// private vulnerability reporting, Dependabot alerts, security updates and
// action updates. Most of it
// comes from data already fetched (the repository list's
// `security_and_analysis`, the batched GraphQL answer, the workflow files);
// REST only for private vulnerability reporting (public repositories) and
// CodeQL default setup (only when no code-scanning workflow was seen), unless
// an enforced code security configuration fixes them (configurations.ts).
import { type YamlFile, defineRules, describeApiError, oneLine, parseYamlFile, rulesOf } from '@security-actions/core';
import { usesOf } from '@security-actions/core/workflow';
import { isMap, isScalar, isSeq } from 'yaml';
import { isPublic } from '../listing';
import type { RepoCheck, RepoContext, RepoListing, Workflow } from '../types';

export const RULES = defineRules({
  secretScanningOff: {
    id: 'repo/secret-scanning-off',
    title: 'Secret scanning is off',
    severity: 'medium',
    why: 'Tokens committed by mistake stay usable until someone notices; secret scanning is free for public repositories and alerts at once.',
    remediation: 'Settings → Code security → Secret Protection: enable secret scanning.',
    spec: ['S6-4']
  },
  pushProtectionOff: {
    id: 'repo/push-protection-off',
    title: 'Secret scanning push protection is off',
    severity: 'low',
    why: 'Push protection refuses a push that contains a known token format, before the token becomes public.',
    remediation: 'Settings → Code security → Secret Protection: enable push protection.',
    spec: ['S6-4']
  },
  codeScanningOff: {
    id: 'repo/code-scanning-off',
    title: 'No code scanning',
    severity: 'low',
    why: 'Code scanning (CodeQL, zizmor) finds injectable workflows and unsafe code before release; the Scientific Python "core 5" includes it.',
    remediation:
      'Settings → Code security → Code scanning: enable CodeQL default setup (it covers Python and GitHub Actions workflows), or add a CodeQL or zizmor workflow.',
    spec: ['S8-16']
  },
  pvrOff: {
    id: 'repo/private-vulnerability-reporting-off',
    title: 'Private vulnerability reporting is off',
    severity: 'low',
    why: 'Without a private channel, reporters open public issues about vulnerabilities or give up.',
    remediation: 'Settings → Code security → Private vulnerability reporting: enable, and mention it in SECURITY.md.',
    spec: ['S6-1']
  },
  dependabotAlertsOff: {
    id: 'repo/dependabot-alerts-off',
    title: 'Dependabot alerts are off',
    severity: 'medium',
    why: 'Nobody is told when a dependency the project pins gets a known vulnerability or is found to be malware.',
    remediation: 'Settings → Code security → Dependabot alerts: enable (free for all repositories).',
    spec: ['S8-16']
  },
  dependabotSecurityUpdatesOff: {
    id: 'repo/dependabot-security-updates-off',
    title: 'Dependabot security updates are off',
    severity: 'low',
    why: 'Security updates open the pull request that fixes a vulnerable dependency, so the fix does not wait for someone to notice the alert.',
    remediation: 'Settings → Code security → Dependabot security updates: enable.',
    spec: ['S8-16']
  },
  dependabotActionsMissing: {
    id: 'repo/dependabot-actions-missing',
    title: 'Dependabot does not update the pinned GitHub Actions',
    severity: 'low',
    why: "SHA-pinned actions do not update themselves; without Dependabot's github-actions updates pins age and miss security fixes, and hand-made updates are not reviewed the same way.",
    remediation:
      'Add `.github/dependabot.yml` with a `package-ecosystem: github-actions` entry (grouped, with a cooldown), reviewed like any pull request.',
    spec: ['S8-10']
  }
});

type Status = NonNullable<RepoListing['security_and_analysis']>['secret_scanning'];

const CODE_SCANNING_ACTION = /^(github\/codeql-action\/(analyze|upload-sarif)|zizmorcore\/zizmor-action)$/i;

export const securityFeatures: RepoCheck = {
  id: 'security-features',
  scope: 'repo',
  rules: rulesOf(RULES),
  run: features
};

async function features(c: RepoContext): Promise<void> {
  const { name, repo, listing, failed, add, skip } = c;
  const workflows = c.workflows();
  const pub = isPublic(listing);
  const sa = listing.security_and_analysis;
  const adminOnly =
    'not checked: needs administration: read (GitHub shows security_and_analysis to repository administrators only)';
  const enabled = (s: Status) => s?.status === 'enabled';

  // Secret scanning is free on public repositories; on private ones it is a paid product, not a finding.
  if (pub) {
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

  if (workflows) dependabotActions(workflows, c);

  if (pub) await privateReporting(c);

  await codeScanning(workflows, pub || enabled(sa?.advanced_security) || enabled(sa?.code_security), c);
}

/** Private vulnerability reporting (public repositories only): from an enforced configuration, else REST. */
async function privateReporting(c: RepoContext): Promise<void> {
  const { name, add, skip } = c;
  let on = c.enforced?.privateVulnerabilityReporting;
  if (on === undefined) {
    try {
      on = (
        (
          await c.limit(() =>
            c.io.request('GET /repos/{owner}/{repo}/private-vulnerability-reporting', { owner: c.org, repo: name })
          )
        ).data as { enabled?: boolean }
      ).enabled;
    } catch (e) {
      return skip(
        RULES.pvrOff.id,
        `not checked: ${(e as { status?: number }).status === 404 ? 'not available on this GitHub' : describeApiError(e, 'metadata: read')}`,
        name
      );
    }
  }
  if (on === false) add(RULES.pvrOff, name, { message: `${name}: private vulnerability reporting is off.` });
  else if (on !== true) skip(RULES.pvrOff.id, 'not checked: GitHub returned no "enabled"', name);
}

/** Dependabot's `github-actions` updates, for repositories that have workflows to update. */
function dependabotActions(workflows: Workflow[], { name, repo, failed, add, skip }: RepoContext): void {
  const usesActions = workflows.some((w) => w.doc && usesOf(w.doc).some((u) => u.kind !== 'local'));
  if (!usesActions) return;
  const err = failed('dependabot') ?? failed('dependabot2');
  if (err) return skip(RULES.dependabotActionsMissing.id, `not checked: needs contents: read (${err.message})`, name);
  const [file, text] =
    repo.dependabot?.text != null
      ? ['.github/dependabot.yml', repo.dependabot.text]
      : repo.dependabot2?.text != null
        ? ['.github/dependabot.yaml', repo.dependabot2.text]
        : [];
  if (text === undefined || file === undefined) {
    return add(RULES.dependabotActionsMissing, name, {
      message: `${name}: no .github/dependabot.yml, so the actions its workflows pin are never updated.`
    });
  }
  let y: YamlFile;
  try {
    y = parseYamlFile(text, file);
  } catch (e) {
    return skip(RULES.dependabotActionsMissing.id, `not checked: ${oneLine(e)}`, name);
  }
  const updates = isMap(y.doc.contents) ? y.doc.contents.get('updates', true) : undefined;
  const ecosystems = isSeq(updates)
    ? updates.items
        .map((u) => (isMap(u) ? u.get('package-ecosystem', true) : undefined))
        .filter(isScalar)
        .map((n) => String(n.value))
    : [];
  if (!ecosystems.includes('github-actions')) {
    add(RULES.dependabotActionsMissing, name, {
      message: `${name}: ${file} has no \`package-ecosystem: github-actions\` entry.`,
      location: { file, line: 1 }
    });
  }
}

async function codeScanning(workflows: Workflow[] | undefined, available: boolean, c: RepoContext): Promise<void> {
  const { name, skip, add } = c;
  const inWorkflow = workflows?.some(
    (w) =>
      w.doc &&
      usesOf(w.doc).some(
        (u) => u.kind === 'action' && CODE_SCANNING_ACTION.test(`${u.owner}/${u.repo}${u.path ? `/${u.path}` : ''}`)
      )
  );
  // Private repositories without GitHub Code Security have no code scanning to turn on.
  if (inWorkflow || !available) return;
  let state: string | undefined;
  if (c.enforced?.defaultSetupOff) state = 'not-configured';
  else
    try {
      state = (
        (
          await c.limit(() =>
            c.io.request('GET /repos/{owner}/{repo}/code-scanning/default-setup', { owner: c.org, repo: name })
          )
        ).data as { state?: string }
      ).state;
    } catch (e) {
      return skip(RULES.codeScanningOff.id, `not checked: ${describeApiError(e, 'administration: read')}`, name);
    }
  if (state === 'configured') return;
  if (!workflows)
    return skip(
      RULES.codeScanningOff.id,
      'not checked: CodeQL default setup is off and the workflow files were not readable (needs contents: read)',
      name
    );
  if (state === 'not-configured')
    add(RULES.codeScanningOff, name, {
      message: `${name}: no CodeQL default setup and no workflow that runs CodeQL or zizmor.`
    });
  else
    skip(
      RULES.codeScanningOff.id,
      `not checked: GitHub returned an unknown default setup state (${String(state)})`,
      name
    );
}
