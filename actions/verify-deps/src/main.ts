// verify-deps adapter: read inputs, collect the files, build the clients,
// call the engine.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { dirname, join, posix, resolve } from 'node:path';
import { promisify } from 'node:util';
import picomatch from 'picomatch';
import {
  type ActionContext,
  type ActionDefinition,
  type ActionRuntime,
  type GitHubClient,
  HttpClient,
  IncompleteAnswer,
  type NotChecked,
  PyPIClient,
  UserError,
  actionsRuntime,
  describeApiError,
  discoverWorkflowFiles,
  findFiles,
  logicalLines,
  promised,
  pythonFileKind,
  redact,
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
import { startPool } from './pool';
import { type ProvenanceChecker, inThreadChecker } from './provenance';
import configSchema from '../config.schema.json' with { type: 'json' };
import { REGISTRY } from './rules';

/**
 * Files named by `-r`/`-c` in requirements files, followed (inside the root) so nothing they pin escapes
 * the checks; `unfollowed` names the ones that cannot be (a URL, a path out of the checkout), with why.
 */
function includesOf(file: SourceFile): { paths: string[]; unfollowed: NotChecked[] } {
  const out = { paths: [] as string[], unfollowed: [] as NotChecked[] };
  if (pythonFileKind(file.path) !== 'requirements') return out;
  for (const l of logicalLines(file.text)) {
    const [, flag, named] = /^(-r|-c|--requirement|--constraint)(?:\s+|=)(\S+)/.exec(l.text) ?? [];
    if (!named) continue;
    const path = posix.normalize(posix.join(posix.dirname(file.path), named));
    const why = /^[a-z][a-z0-9+.-]*:/i.test(named)
      ? 'is a URL'
      : path.startsWith('../') || path === '..' || posix.isAbsolute(named)
        ? 'is outside the checkout'
        : undefined;
    if (!why) out.paths.push(path);
    else
      out.unfollowed.push({
        check: 'dependencies',
        target: `${file.path}:${l.line}`,
        reason: `${flag} ${redact(named)} ${why}, so what it pins is not checked`
      });
  }
  return out;
}

export async function collectFiles(
  root: string,
  globs: string[]
): Promise<{ python: SourceFile[]; actions: SourceFile[]; errors: string[]; notChecked: NotChecked[] }> {
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
  const read = async (p: string): Promise<SourceFile | undefined> => {
    try {
      return { path: p, text: await readFile(resolve(root, p), 'utf8') };
    } catch (e) {
      errors.push(`${p}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  };
  const python = (await Promise.all(pyPaths.map(read))).filter((f): f is SourceFile => !!f);
  const seen = new Set(pyPaths);
  const notChecked: NotChecked[] = [];
  for (let i = 0; i < python.length; i++) {
    const { paths, unfollowed } = includesOf(python[i]);
    notChecked.push(...unfollowed);
    for (const inc of paths) {
      if (seen.has(inc)) continue;
      seen.add(inc);
      const f = await read(inc);
      if (f) python.push(f);
    }
  }
  const actionFiles = (await Promise.all(actionPaths.map(read))).filter((f): f is SourceFile => !!f);
  return { python, actions: actionFiles, errors, notChecked };
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
 * verifier once: on worker threads when running from the bundle on a machine
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
  const threads = Math.min(availableParallelism(), 4);
  // Only this action's own bundle starts workerMain in a worker (not the sources under test, not the CLI bundle).
  if (threads > 1 && /\/verify-deps\/dist\/index\.js$/.test(import.meta.url))
    return startPool(new URL(import.meta.url), text, threads);
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
      { checks, offline, provenance: stricterProvenance(provenance, policy.provenance), policy, now: new Date() },
      services
    );
    await checker?.close?.();
    const requests = (services.osv?.http.requests ?? 0) + (services.pypi?.http.requests ?? 0);
    return {
      ...result,
      errors: [...files.errors, ...(result.errors ?? [])],
      notChecked: [...files.notChecked, ...result.notChecked],
      stats: { ...result.stats, ...(requests ? { 'OSV and PyPI requests': requests } : {}) },
      target: root,
      outputs: { 'dependencies-count': String(result.count) }
    };
  }
};

export async function run(runtime?: ActionRuntime): Promise<void> {
  await runAction(definition, runtime ?? (await actionsRuntime()));
}
