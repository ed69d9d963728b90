// The organization's Actions policy: the default GITHUB_TOKEN, whether
// workflows may approve pull requests, which actions may run, SHA pinning, and
// workflows from fork pull requests (approval, and what they get on private
// repositories).
import { defineRules, describeApiError, promised, rulesOf } from '@security-actions/core';
import type { OrgCheck } from '../types';

export const RULES = defineRules({
  actionsTokenWrite: {
    id: 'org/actions-token-write',
    title: 'Workflows get a read-write GITHUB_TOKEN by default',
    severity: 'high',
    why: 'Every workflow without a `permissions:` block can push code, create releases and edit issues; one injected step is enough.',
    remediation:
      'Organization settings → Actions → General → Workflow permissions: "Read repository contents and packages permissions"; grant write per job.',
    spec: ['S8-6']
  },
  actionsApprovePrs: {
    id: 'org/actions-can-approve-prs',
    title: 'GitHub Actions may create and approve pull requests',
    severity: 'medium',
    why: 'A workflow token that can approve pull requests satisfies a required review without a human.',
    remediation:
      'Untick "Allow GitHub Actions to create and approve pull requests" in the organization Actions settings.',
    spec: ['S8-6']
  },
  actionsAllAllowed: {
    id: 'org/actions-all-allowed',
    title: 'Any action from any owner may run',
    severity: 'low',
    why: "Without an allow list, a typo or a compromised third-party action runs with the workflow's token and secrets.",
    remediation: 'Allow GitHub-owned, verified-creator and a listed set of actions (Actions → General → Policies).',
    spec: ['S8-7']
  },
  actionsShaPinning: {
    id: 'org/actions-sha-pinning-not-required',
    title: 'Actions are not required to be pinned to a full commit SHA',
    severity: 'low',
    why: 'A tag can be moved to malicious code; only a full SHA pins what runs.',
    remediation:
      'Tick "Require actions to be pinned to a full-length commit SHA" in the organization Actions policy (and pin existing workflows first).',
    spec: ['S8-9']
  },
  forkPrApproval: {
    id: 'org/fork-pr-approval-weak',
    title: 'Workflows from fork pull requests run without approval for most outside contributors',
    severity: 'medium',
    why: 'With "first-time contributors new to GitHub" only brand-new accounts need approval; anyone with an older account can open a pull request whose workflow runs at once, which is how cache poisoning and self-hosted runner attacks start.',
    remediation:
      'Organization settings → Actions → General → "Approval for running fork pull request workflows from contributors": require approval for all external contributors (or at least first-time contributors).',
    spec: ['S8-16']
  },
  forkPrPrivate: {
    id: 'org/fork-pr-private-repos',
    title: 'Fork pull requests on private repositories get secrets or a write token',
    severity: 'high',
    why: 'A workflow started by a fork pull request runs code its author wrote; with secrets or a write token it can read the secrets or push to the repository.',
    remediation:
      'Organization settings → Actions → General → "Fork pull request workflows in private repositories": untick "Send write tokens" and "Send secrets and variables", and tick "Require approval for fork pull request workflows".',
    spec: ['S8-6', 'S8-16']
  }
});

const NEED = 'organization administration: read';
const FORK_PR_FIELDS = [
  'run_workflows_from_fork_pull_requests',
  'send_write_tokens_to_workflows',
  'send_secrets_and_variables',
  'require_approval_for_fork_pr_workflows'
] as const;
/** Why an endpoint GitHub added lately could not be read. */
const newerEndpoint = (e: unknown) =>
  (e as { status?: number }).status === 404
    ? 'not available on this GitHub (or needs organization administration: read)'
    : describeApiError(e, NEED);

export const actionsPolicy: OrgCheck = {
  id: 'actions-policy',
  scope: 'org',
  rules: rulesOf(RULES),
  async run({ io, org, add, skip }) {
    try {
      const route = 'GET /orgs/{org}/actions/permissions';
      const policy = promised<{
        enabled_repositories: string;
        allowed_actions?: string;
        sha_pinning_required?: boolean;
      }>((await io.request(route, { org })).data, route, { enabled_repositories: 'string' });
      // allowed_actions is absent only where Actions is off for every repository.
      if (policy.enabled_repositories !== 'none' && typeof policy.allowed_actions !== 'string')
        skip(RULES.actionsAllAllowed.id, 'not checked: GitHub did not return allowed_actions', org);
      if (policy.allowed_actions === 'all')
        add(RULES.actionsAllAllowed, undefined, { message: `${org} lets workflows use any action from any owner.` });
      if (policy.sha_pinning_required === false)
        add(RULES.actionsShaPinning, undefined, {
          message: `${org} does not require actions pinned to a full commit SHA.`
        });
      else if (policy.sha_pinning_required === undefined)
        skip(RULES.actionsShaPinning.id, 'not checked: GitHub did not return sha_pinning_required', org);
    } catch (e) {
      for (const r of [RULES.actionsAllAllowed, RULES.actionsShaPinning])
        skip(r.id, `not checked: ${describeApiError(e, NEED)}`, org);
    }
    try {
      const route = 'GET /orgs/{org}/actions/permissions/workflow';
      const wf = promised<{ default_workflow_permissions: string; can_approve_pull_request_reviews: boolean }>(
        (await io.request(route, { org })).data,
        route,
        { default_workflow_permissions: 'string', can_approve_pull_request_reviews: 'boolean' }
      );
      if (wf.default_workflow_permissions === 'write')
        add(RULES.actionsTokenWrite, undefined, {
          message: `${org} gives workflows a read-write GITHUB_TOKEN by default.`
        });
      if (wf.can_approve_pull_request_reviews)
        add(RULES.actionsApprovePrs, undefined, {
          message: `${org} lets GitHub Actions create and approve pull requests.`
        });
    } catch (e) {
      for (const r of [RULES.actionsTokenWrite, RULES.actionsApprovePrs])
        skip(r.id, `not checked: ${describeApiError(e, NEED)}`, org);
    }
    try {
      const { approval_policy: policy } = (
        await io.request('GET /orgs/{org}/actions/permissions/fork-pr-contributor-approval', { org })
      ).data as { approval_policy?: string };
      if (policy === 'first_time_contributors_new_to_github') {
        add(RULES.forkPrApproval, undefined, {
          message: `${org} requires approval of fork pull request workflows only for first-time contributors who are new to GitHub.`,
          properties: { approval_policy: policy }
        });
      } else if (policy !== 'first_time_contributors' && policy !== 'all_external_contributors') {
        skip(
          RULES.forkPrApproval.id,
          `not checked: GitHub returned an unknown approval_policy (${String(policy)})`,
          org
        );
      }
    } catch (e) {
      // GitHub Enterprise Server before 3.19 has no such endpoint.
      skip(RULES.forkPrApproval.id, `not checked: ${newerEndpoint(e)}`, org);
    }
    try {
      const route = 'GET /orgs/{org}/actions/permissions/fork-pr-workflows-private-repos';
      const p = promised<Record<(typeof FORK_PR_FIELDS)[number], boolean>>(
        (await io.request(route, { org })).data,
        route,
        Object.fromEntries(FORK_PR_FIELDS.map((f) => [f, 'boolean' as const]))
      );
      if (p.run_workflows_from_fork_pull_requests) {
        const given = [
          p.send_secrets_and_variables && 'secrets and variables',
          p.send_write_tokens_to_workflows && 'a write token'
        ].filter(Boolean);
        if (given.length) {
          add(RULES.forkPrPrivate, undefined, {
            message: `${org} sends ${given.join(' and ')} to workflows of fork pull requests on private repositories.`,
            key: 'secrets',
            properties: p
          });
        } else if (!p.require_approval_for_fork_pr_workflows) {
          add(RULES.forkPrPrivate, undefined, {
            severity: 'medium',
            message: `${org} runs workflows of fork pull requests on private repositories without approval.`,
            key: 'approval',
            properties: p
          });
        }
      }
    } catch (e) {
      skip(RULES.forkPrPrivate.id, `not checked: ${newerEndpoint(e)}`, org);
    }
  }
};
