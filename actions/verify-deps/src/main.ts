// verify-deps adapter: read inputs, collect the files, build the clients,
// call the engine.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import picomatch from 'picomatch';
import {
  type ActionContext,
  type ActionDefinition,
  type ActionRuntime,
  type GitHubClient,
  HttpClient,
  IncompleteAnswer,
  PyPIClient,
  UserError,
  actionsRuntime,
  describeApiError,
  discoverWorkflowFiles,
  findFiles,
  logicalLines,
  promised,
  pythonFileKind,
  readTextFiles,
  resolveInclude,
  runAction
} from '@security-actions/core';
import { BundleVerifier, fetchTrustedRoot, parseTrustedRoot } from '@security-actions/core/sigstore';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import type { ActionsApi, GitRef } from './actions';
import { CHECKS, type Check, type Services, type SourceFile, verifyDeps } from './engine';
import { OsvClient } from './osv';
import {
  EMPTY_POLICY,
  type Policy,
  mergePolicies,
  parsePolicyFile,
  policyFromData,
  stricterProvenance
} from './policy';
import { startVerifierThread } from './pool';
import { type ProvenanceChecker, inThreadChecker } from './provenance';
import configSchema from '../config.schema.json' with { type: 'json' };
import { REGISTRY } from './rules';

/** Files named by `-r`/`-c` in requirements files, followed (inside the root) so nothing they pin escapes the checks. */
function includesOf(file: SourceFile): string[] {
  if (pythonFileKind(file.path) !== 'requirements') return [];
  return logicalLines(file.text)
    .map((l) => /^(?:-r|-c|--requirement|--constraint)(?:\s+|=)(\S+)/.exec(l.text)?.[1])
    .map((x) => (x ? resolveInclude(file.path, x) : undefined))
    .flatMap((r) => (r && 'path' in r ? [r.path] : []));
}

export async function collectFiles(
  root: string,
  globs: string[]
): Promise<{ python: SourceFile[]; actions: SourceFile[]; errors: string[] }> {
  const { workflows, actions } = await discoverWorkflowFiles(root);
  let pyPaths = await findFiles(root, (p) => Boolean(pythonFileKind(p)));
  let actionPaths = [...workflows, ...actions];
  const errors: string[] = [];
  if (globs.length) {
    const match = picomatch(globs, { dot: true });
    // A glob that selects nothing is a mistake in the input, never "nothing found" in files the user named.
    for (const glob of globs) {
      const one = picomatch(glob, { dot: true });
      if (![...pyPaths, ...actionPaths].some((p) => one(p)))
        errors.push(`files: '${glob}' matched no dependency, workflow or action file`);
    }
    pyPaths = pyPaths.filter((p) => match(p));
    actionPaths = actionPaths.filter((p) => match(p));
  }
  const py = await readTextFiles(root, pyPaths);
  const python: SourceFile[] = py.files;
  errors.push(...py.errors);
  const seen = new Set(pyPaths);
  for (let i = 0; i < python.length; i++) {
    const included = [...new Set(includesOf(python[i]))].filter((inc) => !seen.has(inc));
    for (const inc of included) seen.add(inc);
    const more = await readTextFiles(root, included);
    python.push(...more.files);
    // An include that is not there is reported by the engine (not checked), like one outside the root.
    errors.push(...more.errors.filter((e) => !e.endsWith('(ENOENT)')));
  }
  const act = await readTextFiles(root, actionPaths);
  return { python, actions: act.files, errors: [...errors, ...act.errors] };
}

/** The same files at a base commit (PR mode); a file the PR adds has no base version. */
export async function filesAtBase(
  root: string,
  base: string,
  files: { python: SourceFile[]; actions: SourceFile[] }
): Promise<{ python: SourceFile[]; actions: SourceFile[] }> {
  const git = promisify(execFile);
  try {
    await git('git', ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: root });
  } catch {
    throw new UserError(
      `Input 'diff-base': '${base}' is not a commit in ${root} (fetch it first, e.g. actions/checkout with fetch-depth: 0).`
    );
  }
  const prefix = (await git('git', ['rev-parse', '--show-prefix'], { cwd: root })).stdout.trim();
  const at = async (f: SourceFile) => {
    try {
      return {
        path: f.path,
        text: (await git('git', ['show', `${base}:${prefix}${f.path}`], { cwd: root, maxBuffer: 64 * 1024 * 1024 }))
          .stdout
      };
    } catch {
      return undefined;
    }
  };
  const keep = (l: (SourceFile | undefined)[]) => l.filter((f): f is SourceFile => !!f);
  return {
    python: keep(await Promise.all(files.python.map(at))),
    actions: keep(await Promise.all(files.actions.map(at)))
  };
}

export function parseChecks(list: string[]): Set<Check> {
  if (!list.length || list.includes('all')) return new Set(CHECKS);
  for (const c of list) {
    if (!(CHECKS as readonly string[]).includes(c))
      throw new UserError(`Input 'checks' must list ${CHECKS.join(', ')} or all; got '${c}'.`);
  }
  return new Set(list as Check[]);
}

const COMPARE_STATUSES = ['identical', 'ahead', 'behind', 'diverged'] as const;

/** The GitHub calls the actions checks need, over Octokit; an answer without its promised fields throws. */
export function githubActionsApi(client: GitHubClient): ActionsApi {
  const { rest } = client;
  const listRefs = async (owner: string, repo: string, ns: 'heads' | 'tags'): Promise<GitRef[]> => {
    const route = 'GET /repos/{owner}/{repo}/git/matching-refs/{ref}';
    const refs = (await rest.paginate(rest.rest.git.listMatchingRefs, { owner, repo, ref: ns, per_page: 100 })).map(
      (r) =>
        promised<{ ref: string; object: { sha: string; type: string } }>(r, route, { ref: 'string', object: 'object' })
    );
    return Promise.all(
      refs.map(async (r) => {
        let sha = r.object.sha;
        // Annotated tags point at a tag object; the commit is one level down.
        if (r.object.type === 'tag') {
          const tag = (await rest.rest.git.getTag({ owner, repo, tag_sha: sha })).data;
          sha = promised<{ object: { sha: string } }>(tag, 'GET /repos/{owner}/{repo}/git/tags/{tag_sha}', {
            object: 'object'
          }).object.sha;
        }
        return { name: r.ref.replace(/^refs\/(heads|tags)\//, ''), sha };
      })
    );
  };
  return {
    async refs(owner, repo) {
      try {
        const [repoInfo, branches, tags] = await Promise.all([
          rest.rest.repos.get({ owner, repo }),
          listRefs(owner, repo, 'heads'),
          listRefs(owner, repo, 'tags')
        ]);
        const info = promised<{ default_branch: string }>(repoInfo.data, 'GET /repos/{owner}/{repo}', {
          default_branch: 'string'
        });
        return { branches, tags, defaultBranch: info.default_branch };
      } catch (e) {
        throw new Error(describeApiError(e, 'contents: read'));
      }
    },
    async compare(owner, repo, base, head) {
      try {
        const r = await rest.rest.repos.compareCommitsWithBasehead({
          owner,
          repo,
          basehead: `${base}...${head}`,
          per_page: 1
        });
        const { status } = promised<{ status: string }>(r.data, 'GET /repos/{owner}/{repo}/compare/{basehead}', {
          status: 'string'
        });
        if (!COMPARE_STATUSES.includes(status as never))
          throw new IncompleteAnswer(
            'GET /repos/{owner}/{repo}/compare/{basehead}',
            `had an unknown status (${status})`
          );
        return status as (typeof COMPARE_STATUSES)[number];
      } catch (e) {
        if (e instanceof IncompleteAnswer) throw e;
        if ((e as { status?: number }).status === 404) return 'missing';
        throw new Error(describeApiError(e));
      }
    },
    async file(owner, repo, path, ref) {
      try {
        const r = await rest.rest.repos.getContent({ owner, repo, path, ref });
        const data = r.data as { type?: string; content?: string; encoding?: string };
        if (Array.isArray(r.data) || data.type !== 'file' || typeof data.content !== 'string') return undefined;
        return Buffer.from(data.content, (data.encoding as BufferEncoding) || 'base64').toString('utf8');
      } catch (e) {
        if ((e as { status?: number }).status === 404) return undefined;
        throw new Error(describeApiError(e, 'contents: read'));
      }
    }
  };
}

/**
 * The trusted root (a file, or the public-good root over TUF), built into a
 * verifier once: on a worker thread when running from the bundle on a machine
 * with several cores, else in this thread.
 */
async function provenanceChecker(
  file: string | undefined,
  tufCache: string
): Promise<ProvenanceChecker & { close?: () => Promise<void> }> {
  let text: string;
  if (file) {
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new UserError(`trusted-root: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else {
    text = JSON.stringify(TrustedRoot.toJSON(await fetchTrustedRoot(tufCache)));
  }
  const root = parseTrustedRoot(text, file ?? 'TUF trusted root');
  // Only this action's own bundle starts workerMain in a worker (not the sources under test, not the CLI bundle).
  if (availableParallelism() > 1 && /\/verify-deps\/dist\/index\.js$/.test(import.meta.url))
    return startVerifierThread(new URL(import.meta.url), text);
  return inThreadChecker(new BundleVerifier(root));
}

async function loadPolicy(ctx: ActionContext, root: string, path: string): Promise<Policy> {
  const section = ctx.config.sections['verify-deps'];
  let policy = section
    ? policyFromData(section, ctx.config.file ?? '.github/security-actions.yml', () => undefined)
    : EMPTY_POLICY;
  if (path) {
    let text: string;
    try {
      text = await readFile(resolve(root, path), 'utf8');
    } catch (e) {
      throw new UserError(`Input 'policy': cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    policy = mergePolicies(policy, parsePolicyFile(text, path));
  }
  return policy;
}

export const definition: ActionDefinition = {
  name: 'verify-deps',
  rules: REGISTRY,
  configSchema,
  // offline is itself the opt-out of the network checks: listing them as not checked must not fail the step.
  failOnNotChecked: (ctx) => !ctx.inputs.boolean('offline', false) && ctx.inputs.boolean('fail-on-not-checked', true),
  async run(ctx) {
    const { inputs } = ctx;
    const root = resolve(ctx.workspace, inputs.string('path', { default: '.' }));
    const checks = parseChecks(inputs.list('checks'));
    const provenance = inputs.choice('provenance', ['require', 'warn', 'off'] as const, 'warn');
    const offline = inputs.boolean('offline', false);
    inputs.boolean('fail-on-not-checked', true);
    const globs = inputs.lines('files');
    const policyPath = inputs.string('policy');
    const diffBase = inputs.string('diff-base');
    const token = inputs.string('token');
    const trustedRoot = inputs.string('trusted-root');
    const osvUrl = inputs.url('osv-url', 'https://api.osv.dev').replace(/\/+$/, '');
    const pypiUrl = inputs.url('pypi-url', 'https://pypi.org').replace(/\/+$/, '');

    const policy = await loadPolicy(ctx, ctx.workspace, policyPath);
    const files = await collectFiles(root, globs);
    const base = diffBase ? await filesAtBase(root, diffBase, files) : undefined;
    const services: Services = {};
    if (!offline) {
      if (token) services.github = githubActionsApi(await ctx.github(token));
      else services.githubMissing = "no token: set the 'token' input (the default github.token is enough)";
      const http = (service: string) => new HttpClient(service, { userAgent: 'security-actions verify-deps' });
      services.osv = new OsvClient(osvUrl, http('OSV'));
      services.pypi = new PyPIClient(pypiUrl, http('PyPI'));
      services.verifier = async () =>
        (checker = await provenanceChecker(
          trustedRoot ? resolve(ctx.workspace, trustedRoot) : undefined,
          join(ctx.env.RUNNER_TEMP || dirname(root), 'sigstore-tuf')
        ));
    }
    let checker: (ProvenanceChecker & { close?: () => Promise<void> }) | undefined;
    const result = await verifyDeps(
      { python: files.python, actions: files.actions, base },
      {
        checks,
        offline,
        provenance: stricterProvenance(provenance, policy.provenance),
        policy,
        now: new Date(),
        repository: ctx.env.GITHUB_REPOSITORY || undefined
      },
      services
    );
    await checker?.close?.();
    const requests = (services.osv?.http.requests ?? 0) + (services.pypi?.http.requests ?? 0);
    return {
      ...result,
      errors: [...files.errors, ...(result.errors ?? [])],
      stats: { ...result.stats, ...(requests ? { 'OSV and PyPI requests': requests } : {}) },
      target: root,
      outputs: { 'dependencies-count': String(result.count) }
    };
  }
};

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
