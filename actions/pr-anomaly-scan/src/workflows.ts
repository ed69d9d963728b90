// Workflow rules: only what the PR newly introduces (compared with the same
// file at the base), because the job is to point at this change, not to
// re-audit the repository (zizmor does that).
import {
  FULL_SHA,
  type Finding,
  type Rule,
  type YamlFile,
  classifyRunsOn,
  createFinding,
  findUses,
  parseYamlFile
} from '@security-actions/core';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { RULES as R } from './rules';
import { parseBoth } from './sides';

const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Contexts an outside contributor controls (zizmor's "arbitrary" class, condensed). */
const UNTRUSTED =
  /\bgithub\.(head_ref|event\.(issue\.(title|body)|pull_request\.(title|body|head\.(ref|label|repo\.(default_branch|name|description)))|comment\.body|review\.body|review_comment\.body|discussion\.(title|body)|pages\.[^}]*page_name|commits[^}]*\.(message|author)|head_commit\.(message|author)|workflow_run\.(head_branch|head_commit\.(message|author)|display_title|pull_requests)|client_payload|inputs\.[\w-]+))/;
const PR_HEAD_REF =
  /github\.event\.(pull_request\.head\.(sha|ref)|workflow_run\.head_(sha|branch))|github\.head_ref|refs\/pull\/|pull\/\$\{\{|gh pr checkout/;
const OUTSIDE_URL =
  /https?:\/\/(?!(?:[\w-]+\.)*(?:github\.com|githubusercontent\.com|pypi\.org|pythonhosted\.org|anaconda\.org|codecov\.io|readthedocs\.org|conda-forge\.org)\b)[\w.-]+/;
const SEND = /\b(curl|wget|Invoke-WebRequest|nc|fetch|requests\.post|http\.request)\b/;
const RUNNER_REG =
  /config\.(sh|cmd)\b[^\n]*--(url|token)|actions-runner-linux|\/actions\/runners\/registration-token|svc\.sh\s+install|run\.sh\s+&/;
const PR_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'issue_comment',
  'discussion',
  'discussion_comment',
  'pull_request_review',
  'pull_request_review_comment',
  'issues'
]);
/**
 * Events that anyone can start, with input they control, while the job keeps
 * the write scopes it is granted (unlike `pull_request` and the review events
 * from forks, whose token GitHub makes read-only).
 */
const PRIVILEGED_UNTRUSTED = [
  'pull_request_target',
  'workflow_run',
  'issue_comment',
  'issues',
  'discussion',
  'discussion_comment'
];
/** Write scopes that reach code, releases, packages, signing identity or PRs: medium where they are not confined. */
const SENSITIVE_SCOPES = new Set(['contents', 'actions', 'id-token', 'packages', 'pull-requests']);

interface Parsed {
  y: YamlFile;
  on: Set<string>;
  text: string;
}

function triggers(y: YamlFile): Set<string> {
  const root = y.doc.contents;
  const on: unknown = isMap(root) ? root.get('on', true) : undefined;
  const out = new Set<string>();
  if (isScalar(on)) {
    out.add(String(on.value));
  } else if (isSeq(on)) {
    for (const i of on.items) if (isScalar(i)) out.add(String(i.value));
  } else if (isMap(on)) {
    for (const p of on.items) out.add(String(isScalar(p.key) ? p.key.value : p.key));
  }
  return out;
}

function parse(text: string, file: string): Parsed {
  const y = parseYamlFile(text, file);
  return { y, on: triggers(y), text };
}

/** Every scalar under `node` with its key path, for scripts, `runs-on` and permissions. */
function* scalars(node: unknown, path: string[] = []): Generator<{ path: string[]; node: Node; value: string }> {
  if (isMap(node)) {
    for (const p of node.items) yield* scalars(p.value, [...path, String(isScalar(p.key) ? p.key.value : p.key)]);
  } else if (isSeq(node)) {
    let i = 0;
    for (const n of node.items) yield* scalars(n, [...path, String(i++)]);
  } else if (isScalar(node) && node.value !== null && node.value !== undefined) {
    yield { path, node: node as Node, value: String(node.value) };
  }
}

type Scalar = { path: string[]; value: string };
const isWriteGrant = (s: Scalar) => s.path.includes('permissions') && (s.value === 'write-all' || s.value === 'write');
const grantKey = (s: Scalar) => `${s.path.join('\0')}\0${s.value}`;

/**
 * How much a new write grant matters. `write-all`, and a sensitive scope at
 * the workflow level (every job, present and future, gets it), are medium. A
 * scope granted to one job is what the rule's own remediation asks for, so it
 * is low, unless the workflow runs on an event that hands outside input to a
 * privileged token: there the job's write token is the attacker's (medium).
 */
function writeGrant(
  owner: string[],
  scope: string,
  value: string,
  untrusted: string[],
  isNewGrant: boolean
): { message: string; severity: Finding['severity'] } {
  const where =
    owner.length === 0
      ? 'at the workflow level (every job gets it)'
      : owner[0] === 'jobs' && owner.length === 2
        ? `for job \`${owner[1]}\``
        : `under \`${owner.join('.')}\``;
  const on = untrusted.length ? `, on \`${untrusted.join('`, `')}\` (anyone can start it with input they control)` : '';
  const what =
    value === 'write-all' ? '`permissions: write-all` (every write scope)' : `\`${scope}: write\` permission`;
  const message = isNewGrant
    ? `New ${what} ${where}${on}.`
    : `Existing ${what} ${where} is now reachable through the new trigger${on}.`;
  const medium = value === 'write-all' || (SENSITIVE_SCOPES.has(scope) && (owner.length === 0 || untrusted.length > 0));
  return { message, severity: medium ? 'medium' : 'low' };
}

export function scanWorkflow(
  file: string,
  baseText: string | undefined,
  headText: string
): { findings: Finding[]; error?: string } {
  const parsed = parseBoth(parse, file, baseText, headText);
  if ('error' in parsed) return { findings: [], error: parsed.error };
  const { head, base } = parsed;
  const findings: Finding[] = [];
  const isNew = (s: string) => !base || !base.text.includes(s);
  const at = (node: Node) => head.y.pos(node);
  const add = (
    rule: Rule,
    node: Node | undefined,
    message: string,
    evidence: string,
    extra: { severity?: Finding['severity']; confidence?: Finding['confidence'] } = {}
  ) =>
    findings.push(
      createFinding(rule, {
        message,
        evidence: short(evidence),
        location: { file, ...(node ? at(node) : { line: 1 }) },
        key: evidence,
        ...extra
      })
    );

  const all = [...scalars(head.y.doc.contents)];
  const scripts = all.filter(
    (s) => s.path.at(-1) === 'run' || (s.path.at(-1) === 'script' && s.path.at(-2) === 'with')
  );
  const privileged = ['pull_request_target', 'workflow_run'].filter((t) => head.on.has(t));
  const prReachable = [...head.on].some((t) => PR_EVENTS.has(t));
  const untrusted = PRIVILEGED_UNTRUSTED.filter((t) => head.on.has(t));
  // Write grants compared by place, not by text: moving `contents: write` from a job to the workflow level is new.
  const baseGrants = new Set(base ? [...scalars(base.y.doc.contents)].filter(isWriteGrant).map(grantKey) : []);
  // A grant the base already had is reported again when the PR adds an event that exposes it.
  const newlyUntrusted = untrusted.some((t) => !base?.on.has(t));

  // pull_request_target / workflow_run that checks out or runs the PR head.
  if (privileged.length) {
    const usesHead = all.find(
      (s) =>
        PR_HEAD_REF.test(s.value) &&
        (s.path.at(-1) === 'ref' || s.path.at(-1) === 'run' || s.path.at(-1) === 'repository')
    );
    const newTrigger = privileged.some((t) => !base?.on.has(t));
    if (usesHead && (newTrigger || isNew(usesHead.value))) {
      add(
        R.WF_DANGEROUS_TRIGGER,
        usesHead.node,
        `\`${privileged.join('`, `')}\` workflow checks out or runs code from the PR head.`,
        usesHead.value
      );
    } else if (newTrigger) {
      add(
        R.WF_DANGEROUS_TRIGGER,
        undefined,
        `New \`${privileged.join('`, `')}\` trigger: the workflow runs with secrets and a write token on PRs from forks.`,
        privileged.join(' '),
        {
          severity: 'medium',
          confidence: 'low'
        }
      );
    }
  }

  for (const s of scripts) {
    for (const m of s.value.matchAll(/\$\{\{([^}]*)\}\}/g)) {
      if (UNTRUSTED.test(m[1]) && isNew(m[0])) {
        add(
          R.WF_TEMPLATE_INJECTION,
          s.node,
          `\`${m[0]}\` is expanded into a ${s.path.at(-1) === 'run' ? 'shell script' : 'github-script'}.`,
          m[0]
        );
      }
    }
    if (RUNNER_REG.test(s.value) && isNew(RUNNER_REG.exec(s.value)![0]))
      add(R.WF_RUNNER_REGISTRATION, s.node, 'A step registers a self-hosted runner.', RUNNER_REG.exec(s.value)![0]);
  }

  // Secrets and an outside URL in the same job.
  const root = head.y.doc.contents;
  const jobs = isMap(root) ? root.get('jobs', true) : undefined;
  if (isMap(jobs)) {
    for (const job of jobs.items) {
      const js = [...scalars(job.value)];
      const secret = js.find(
        (s) => /\$\{\{[^}]*\bsecrets\.(?!GITHUB_TOKEN\b)\w+/.test(s.value) || /toJSON\(\s*secrets\s*\)/.test(s.value)
      );
      const url = js.find(
        (s) =>
          (s.path.at(-1) === 'run' || s.path.at(-2) === 'with') &&
          OUTSIDE_URL.test(s.value) &&
          (s.path.at(-1) !== 'run' || SEND.test(s.value))
      );
      if (secret && url && isNew(OUTSIDE_URL.exec(url.value)![0])) {
        add(
          R.WF_SECRETS_EXFIL,
          url.node,
          `Job \`${String(isScalar(job.key) ? job.key.value : job.key)}\` uses secrets and sends data to ${OUTSIDE_URL.exec(url.value)![0]}.`,
          OUTSIDE_URL.exec(url.value)![0] + ' ' + secret.value
        );
      }
      const runsOn = js.filter((s) => s.path[0] === 'runs-on');
      const kind = classifyRunsOn(runsOn.map((s) => s.value));
      const selfHosted =
        kind === 'self-hosted'
          ? runsOn.find((s) => s.value.trim().toLowerCase() === 'self-hosted')
          : kind === 'custom'
            ? runsOn[0]
            : undefined;
      if (
        selfHosted &&
        prReachable &&
        (isNew(selfHosted.value) || [...head.on].some((t) => PR_EVENTS.has(t) && !base?.on.has(t)))
      ) {
        add(
          R.WF_SELF_HOSTED,
          selfHosted.node,
          `Job runs on \`${selfHosted.value}\` and the workflow runs on ${[...head.on].filter((t) => PR_EVENTS.has(t)).join(', ')}.`,
          selfHosted.value
        );
      }
    }
  }

  for (const s of all) {
    if (/toJSON\(\s*secrets\s*\)/.test(s.value) && isNew('toJSON(secrets)') && isNew(s.value))
      add(R.WF_TOJSON_SECRETS, s.node, '`toJSON(secrets)` serialises every secret.', s.value);
    if (s.path.at(-1) === 'secrets' && s.value === 'inherit' && isNew('secrets: inherit'))
      add(
        R.WF_TOJSON_SECRETS,
        s.node,
        '`secrets: inherit` passes every secret to the called workflow.',
        'secrets: inherit',
        { severity: 'medium' }
      );
    const permIdx = s.path.lastIndexOf('permissions');
    if (permIdx >= 0) {
      const scope = s.path.slice(permIdx + 1).join('.');
      const written = scope ? `${scope}: ${s.value}` : `permissions: ${s.value}`;
      const isNewGrant = !baseGrants.has(grantKey(s));
      if (isWriteGrant(s) && (isNewGrant || newlyUntrusted)) {
        const { message, severity } = writeGrant(s.path.slice(0, permIdx), scope, s.value, untrusted, isNewGrant);
        add(R.WF_PERMISSIONS, s.node, message, written, { severity });
      }
    }
  }

  for (const t of ['issue_comment', 'discussion', 'discussion_comment']) {
    if (head.on.has(t) && !base?.on.has(t) && scripts.length)
      add(R.WF_UNTRUSTED_TRIGGER, undefined, `New \`${t}\` trigger on a workflow with scripts.`, `on: ${t}`);
  }

  const baseUses = new Set(base ? findUses(base.y).map((u) => u.raw) : []);
  for (const u of findUses(head.y)) {
    if (u.kind === 'local' || baseUses.has(u.raw)) continue;
    const pinned = u.kind === 'docker' ? Boolean(u.ref) : Boolean(u.ref && FULL_SHA.test(u.ref));
    if (!pinned) {
      findings.push(
        createFinding(R.WF_UNPINNED, {
          message: `\`${u.raw}\` is not pinned to a commit SHA.`,
          evidence: u.raw,
          location: { file, line: u.line, column: u.column }
        })
      );
    }
  }
  return { findings };
}
