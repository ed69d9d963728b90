// Publishing with a stored token where the registry accepts the workflow's
// OIDC identity instead (PyPI, npm, crates.io, RubyGems, NuGet): a token can
// be stolen and used from anywhere until revoked. PyPI publishing jobs with a
// credential are publish/password's; this covers every other publish.
import { stepGroups, type Job, type Step, type WorkflowDocument } from '../model';
import type { AuditContext, RawFinding, WorkflowAudit } from '../types';
import { actionName, stepBy } from './common';
import { publishCredentials } from './publish';
import { PUBLISH_ACTION, jobPublishes } from './publish-model';
import { TRUSTED_PUBLISHING } from '../rules/trusted-publishing';

const RULES = TRUSTED_PUBLISHING.rules;

const TP_PYPI = /^https:\/\/(upload|test)\.pypi\.org\/legacy\/?$/;

/** A publisher action given a manual credential where Trusted Publishing is available (zizmor's list, MIT). */
function manualCredential(step: Step): string | undefined {
  const name = actionName(step.uses);
  const w = (k: string) => step.with.get(k)?.value.trim();
  if (
    name === PUBLISH_ACTION &&
    w('password') &&
    TP_PYPI.test(w('repository-url') ?? w('repository_url') ?? 'https://upload.pypi.org/legacy/')
  )
    return 'password';
  if (name === 'rubygems/release-gem' && w('setup-trusted-publisher') === 'false')
    return 'setup-trusted-publisher: false';
  if (
    name === 'rubygems/configure-rubygems-credentials' &&
    w('api-token') &&
    ['https://rubygems.org', undefined].includes(w('gem-server'))
  )
    return 'api-token';
  if (
    name === 'actions/setup-node' &&
    /^https:\/\/registry\.npmjs\.org\/?$/.test(w('registry-url') ?? '') &&
    w('always-auth') === 'true'
  )
    return 'always-auth: true';
  return undefined;
}

/** Words of a simple command, env assignments and `sudo`/`env` prefixes dropped. */
function words(cmd: string): string[] {
  const ws = cmd
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/^['"]|['"]$/g, ''));
  while (ws.length && (/^\w+=/.test(ws[0]) || ws[0] === 'sudo' || ws[0] === 'env' || ws[0] === 'exec')) ws.shift();
  return ws;
}

/** A command that uploads a package (zizmor's list, MIT); dry runs excluded. */
export function isPublishCommand(ws: string[]): boolean {
  const [cmd, ...args] = ws;
  const has = (a: string) => args.includes(a);
  const dry = has('--dry-run') || has('-n');
  switch (cmd) {
    case 'cargo':
      return has('publish') && !dry;
    case 'uv':
      return (has('publish') && !has('--dry-run')) || (has('run') && has('twine') && has('upload'));
    case 'uvx':
    case 'pipx':
      return args.some((a) => a.startsWith('twine')) && has('upload');
    case 'hatch':
    case 'pdm':
      return has('publish');
    case 'poetry':
    case 'npm':
    case 'pnpm':
    case 'bun':
      return has('publish') && !has('--dry-run');
    case 'twine':
      return has('upload');
    case 'gem':
      return has('push');
    case 'bundle':
      return has('exec') && has('gem') && has('push');
    case 'yarn':
      return has('publish') && !dry;
    case 'bunx':
      return args.some((a) => a === 'npm' || a.startsWith('npm@')) && has('publish') && !has('--dry-run');
    case 'nuget':
    case 'nuget.exe':
      return has('push');
    case 'dotnet':
      return has('nuget') && has('push');
    default:
      return !!cmd && /^python[\d.]*$/.test(cmd) && has('-m') && has('twine') && has('upload');
  }
}

/** Tools that upload to PyPI, whose credentials publish/password reports in a publishing job. */
const PYPI_TOOLS = new Set(['twine', 'uv', 'uvx', 'pipx', 'hatch', 'pdm', 'poetry', 'flit', 'python', 'python3']);

const grantsIdToken = (doc: WorkflowDocument, job?: Job) =>
  [job?.permissions, doc.permissions].some(
    (p) => p?.all?.value === 'write-all' || p?.scopes.get('id-token')?.value === 'write'
  );

function run({ doc }: AuditContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const group of stepGroups(doc)) {
    const job = group.job;
    // PyPI publishing in a job with a credential is reported by publish/password.
    const covered = !!job && doc.kind === 'workflow' && jobPublishes(job) && publishCredentials(doc, job).length > 0;
    for (const step of group.steps) {
      const input = manualCredential(step);
      if (input && !(covered && actionName(step.uses) === PUBLISH_ACTION)) {
        out.push({
          rule: RULES.USE_TRUSTED_PUBLISHING,
          pos: step.uses!.text.pos,
          message: `${stepBy(step)} gives ${actionName(step.uses)} a manual credential (\`${input}\`) where Trusted Publishing is available.`,
          evidence: step.uses!.raw,
          subject: `action|${group.where}|${actionName(step.uses)}`,
          site: `${step.index}`
        });
      }
      // Composite actions run with their caller's permissions, which cannot be seen here.
      if (!step.run || doc.kind === 'action' || grantsIdToken(doc, job)) continue;
      // Line continuations: `\` in sh, a backtick in PowerShell.
      for (const cmd of step.run.value.replace(/[\\`]\r?\n/g, ' ').split(/\n|&&|\|\||;|\|/)) {
        const ws = words(cmd.replace(/(^|\s)#.*$/, ''));
        if (!isPublishCommand(ws) || (covered && PYPI_TOOLS.has(ws[0]))) continue;
        const text = cmd.trim();
        out.push({
          rule: RULES.USE_TRUSTED_PUBLISHING,
          pos: step.run.at(step.run.value.indexOf(text), text),
          message: `${group.job ? `Job \`${group.job.id}\`, ` : ''}${stepBy(step)} runs \`${text}\` without \`id-token: write\`, so it publishes with a stored credential.`,
          evidence: text,
          subject: `command|${group.where}|${ws.slice(0, 2).join(' ')}`,
          site: `${step.index}`
        });
      }
    }
  }
  return out;
}

export const trustedPublishing: WorkflowAudit = { ...TRUSTED_PUBLISHING, run };
