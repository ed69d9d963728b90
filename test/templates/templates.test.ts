// The templates and the suite's workflows: GitHub's parser accepts them, each
// template has its properties file, every use of this suite's actions passes
// only declared inputs (and every required one), and the hygiene the suite asks
// of others holds: read-only top-level token, each job's permissions exactly
// the minimum its steps need, no credentials persisted by checkout, no
// expression expanded inside a shell script, no pull_request_target.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { REPO_ROOT } from '../harness/run-action';
import { OWN_PREFIX, type Perms, type Step, actionName, jobsOf, permsOf, readWorkflows, stepsOf } from './workflows';

const files = readWorkflows();
const templates = files.filter((w) => w.template);

/**
 * What each step needs from the job token. A step not listed needs nothing
 * beyond `contents: read` (which every job here declares for its checkout or
 * as the explicit floor).
 */
function stepNeeds(step: Step, event: string[]): Perms {
  const a = step.uses ? actionName(step.uses).replace(OWN_PREFIX, './actions/') : '';
  const w = step.with ?? {};
  switch (a) {
    case 'github/codeql-action/upload-sarif':
    case 'github/codeql-action/analyze':
      return { 'security-events': 'write' };
    case 'pypa/gh-action-pypi-publish':
      return { 'id-token': 'write' };
    case 'actions/attest-build-provenance':
      return { 'id-token': 'write', attestations: 'write' };
    case './actions/sign-release':
      // Attaching to a release (default on release events, or release-tag set) needs contents: write.
      return {
        'id-token': 'write',
        attestations: 'write',
        ...(w['release-tag'] || event.includes('release') ? { contents: 'write' } : {})
      };
    case './actions/pr-anomaly-scan':
      return { 'pull-requests': w.comment === 'true' ? 'write' : 'read' };
    case './actions/access-audit':
    case './actions/disclosure-coordinator':
      // The dashboard issue is written unless issue: 'false'.
      return w.issue === 'false' ? {} : { issues: 'write' };
    case 'actions/download-artifact':
      // Another run's artifacts (run-id) are read through the API with github-token; this run's need nothing.
      return w['run-id'] ? { actions: 'read' } : {};
  }
  let need: Perms = {};
  if (step.run && /gh release create|git\/refs/.test(step.run)) need = union(need, { contents: 'write' });
  // Workflow runs and artifacts through the API (the access audit's lookup of its previous run).
  if (step.run && ACTIONS_API.test(step.run)) need = union(need, { actions: 'read' });
  return need;
}
const ACTIONS_API = /\bgh (?:run (?:list|view|download)\b|api\b[^\n]*\/actions\/(?:runs|workflows|artifacts)\b)/;

const RANK = { read: 1, write: 2 } as const;
function union(a: Perms, b: Perms): Perms {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) if (!out[k] || RANK[v] > RANK[out[k]]) out[k] = v;
  return out;
}
const eventsOf = (doc: any): string[] =>
  typeof doc.on === 'string' ? [doc.on] : Array.isArray(doc.on) ? doc.on : Object.keys(doc.on ?? {});

/**
 * The permissions each job is expected to hold, written out by hand so a
 * reviewer sees the whole grant per template; the test also derives the
 * minimum from the steps and requires both to agree.
 */
const PERMISSIONS: Record<string, Record<string, Perms>> = {
  'workflows-templates/release.yml': {
    build: { contents: 'read' },
    sign: { contents: 'write', 'id-token': 'write', attestations: 'write' },
    publish: { 'id-token': 'write' }
  },
  'workflows-templates/pr-anomaly-scan.yml': {
    scan: { contents: 'read', 'pull-requests': 'read', 'security-events': 'write' }
  },
  'workflows-templates/verify-deps.yml': { verify: { contents: 'read', 'security-events': 'write' } },
  'workflows-templates/access-audit.yml': {
    previous: { actions: 'read' },
    audit: { contents: 'read' },
    merge: { contents: 'read', issues: 'write' }
  },
  'workflows-templates/disclosure-coordinator.yml': { coordinate: { contents: 'read', issues: 'write' } },
  '.github/workflows/ci.yml': { ci: { contents: 'read' } },
  '.github/workflows/check-dist.yml': { 'check-dist': { contents: 'read' } },
  '.github/workflows/codeql.yml': { analyze: { contents: 'read', 'security-events': 'write' } },
  '.github/workflows/dogfood.yml': {
    'pr-anomaly-scan': { contents: 'read', 'pull-requests': 'read', 'security-events': 'write' },
    'verify-deps': { contents: 'read', 'security-events': 'write' }
  },
  '.github/workflows/release.yml': {
    build: { contents: 'read' },
    release: { contents: 'write', 'id-token': 'write', attestations: 'write' }
  }
};

/**
 * Each job's declared permissions, and the minimum derived from its steps.
 * contents: read is the floor for a job that checks out the repository (its
 * scripts then read the checkout) or declares it anyway; a job with no
 * checkout reads nothing of the repository: the release's publish job, and
 * the access audit's lookup of its previous run (API calls only).
 */
function grants(doc: any): { declared: Record<string, Perms>; derived: Record<string, Perms>; undeclared: string[] } {
  const events = eventsOf(doc);
  const declared: Record<string, Perms> = {};
  const derived: Record<string, Perms> = {};
  const undeclared: string[] = [];
  for (const [id, job] of Object.entries<any>(doc.jobs ?? {})) {
    if (job.permissions === undefined) undeclared.push(id);
    declared[id] = permsOf(job.permissions);
    let need: Perms = {};
    for (const s of stepsOf(job)) need = union(need, stepNeeds(s, events));
    const checksOut = stepsOf(job).some((s) => s.uses?.startsWith('actions/checkout@'));
    derived[id] = checksOut || declared[id].contents ? union({ contents: 'read' }, need) : need;
  }
  return { declared, derived, undeclared };
}

describe.each(files.map((w) => [w.file, w] as const))('%s', (_f, w) => {
  it('parses with GitHub’s workflow parser without errors', () => {
    const result = parseWorkflow({ name: w.file, content: w.text }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  });

  it('has a read-only top-level token and never runs on pull_request_target', () => {
    expect(w.doc.permissions).toBeDefined();
    const top = permsOf(w.doc.permissions);
    expect(Object.entries(top).filter(([, v]) => v !== 'read')).toEqual([]);
    expect(Object.keys(top).filter((k) => k !== 'contents')).toEqual([]);
    expect(eventsOf(w.doc)).not.toContain('pull_request_target');
    expect(w.doc.concurrency).toBeDefined();
  });

  it('grants each job exactly the permissions in the table, which are the minimum its steps need', () => {
    const table = PERMISSIONS[w.file];
    expect(table).toBeDefined();
    const { declared, derived, undeclared } = grants(w.doc);
    expect(undeclared).toEqual([]);
    expect(declared).toEqual(table);
    expect(declared).toEqual(derived);
  });

  it('checks out without persisting credentials', () => {
    for (const [, job] of jobsOf(w)) {
      for (const s of stepsOf(job).filter((s) => s.uses?.startsWith('actions/checkout@')))
        expect(s.with?.['persist-credentials']).toBe(false);
    }
  });

  it('expands no expression inside a shell script (values go through env:)', () => {
    for (const [id, job] of jobsOf(w))
      for (const s of stepsOf(job)) if (s.run) expect([id, s.name, s.run.includes('${{')]).toEqual([id, s.name, false]);
  });

  it('passes this suite’s actions only inputs their action.yml declares, and every required one', () => {
    for (const [, job] of jobsOf(w)) {
      for (const s of stepsOf(job)) {
        if (!s.uses) continue;
        const m = /^(?:\.\/actions\/|scientific-python\/security-actions\/actions\/)([a-z-]+)/.exec(s.uses);
        if (!m) continue;
        const meta = parseYaml(readFileSync(join(REPO_ROOT, 'actions', m[1], 'action.yml'), 'utf8'));
        const inputs: Record<string, { required?: boolean; default?: string }> = meta.inputs ?? {};
        const given = Object.keys(s.with ?? {});
        expect([s.uses, given.filter((k) => !(k in inputs))]).toEqual([s.uses, []]);
        const required = Object.entries(inputs)
          .filter(([, v]) => v.required && v.default === undefined)
          .map(([k]) => k);
        expect([s.uses, required.filter((k) => !given.includes(k))]).toEqual([s.uses, []]);
      }
    }
  });
});

describe('template layout (an organisation’s .github repository)', () => {
  const dir = join(REPO_ROOT, 'workflows-templates');
  const names = readdirSync(dir);

  it('ships the five templates, each beside its properties file', () => {
    const ymls = names
      .filter((n) => n.endsWith('.yml'))
      .map((n) => n.slice(0, -4))
      .sort();
    expect(ymls).toEqual(['access-audit', 'disclosure-coordinator', 'pr-anomaly-scan', 'release', 'verify-deps']);
    const props = names
      .filter((n) => n.endsWith('.properties.json'))
      .map((n) => n.slice(0, -'.properties.json'.length))
      .sort();
    expect(props).toEqual(ymls);
  });

  it.each(templates.map((t) => [t.file] as const))('%s has valid properties', (file) => {
    const p = JSON.parse(readFileSync(join(REPO_ROOT, file.replace(/\.yml$/, '.properties.json')), 'utf8'));
    expect(
      Object.keys(p).filter(
        (k) => !['name', 'description', 'iconName', 'categories', 'filePatterns', 'creator', 'labels'].includes(k)
      )
    ).toEqual([]);
    expect(typeof p.name === 'string' && p.name.length > 0).toBe(true);
    expect(typeof p.description === 'string' && p.description.length > 0).toBe(true);
    // GitHub's docs: an SVG basename in this folder (without extension) or `octicon <name>`.
    if (p.iconName !== undefined)
      expect(/^octicon [a-z0-9-]+$/.test(p.iconName) || existsSync(join(dir, `${p.iconName}.svg`))).toBe(true);
    if (p.categories !== undefined)
      expect(Array.isArray(p.categories) && p.categories.every((c: unknown) => typeof c === 'string')).toBe(true);
    for (const re of p.filePatterns ?? []) expect(() => new RegExp(re)).not.toThrow();
  });
});

describe('release.yml follows SPEC 8’s reference shape (S8-2, S8-6, S8-8, S8-11..15)', () => {
  const w = files.find((f) => f.file === 'workflows-templates/release.yml')!;
  const jobs = w.doc.jobs;
  const publishSteps: Step[] = jobs.publish.steps;
  const publish = publishSteps.find((s) => s.uses?.startsWith('pypa/gh-action-pypi-publish@'))!;

  it('starts only on a published release or by hand', () => {
    expect(w.doc.on).toEqual({ release: { types: ['published'] }, workflow_dispatch: null });
    expect(w.doc.concurrency['cancel-in-progress']).toBe(false);
  });

  it('builds in a job without secrets', () => {
    expect(JSON.stringify(jobs.build)).not.toMatch(/secrets\./);
  });

  it('signs in its own job with id-token and attestations, after the build', () => {
    expect(jobs.sign.needs).toContain('build');
    expect(jobs.sign.steps.some((s: Step) => s.uses?.startsWith(`${OWN_PREFIX}sign-release@`))).toBe(true);
  });

  it('publishes with Trusted Publishing from the pypi environment: print-hash, no password, no cache, no build', () => {
    expect(jobs.publish.environment.name).toBe('pypi');
    expect(jobs.publish.needs).toEqual(expect.arrayContaining(['build', 'sign']));
    expect(publish.with).toEqual({ 'print-hash': true });
    expect(JSON.stringify(jobs.publish)).not.toMatch(/password|secrets\.|cache/i);
    // Only download → publish: no checkout, no setup-*, no scripts.
    expect(publishSteps.map((s) => (s.uses ? actionName(s.uses) : 'run'))).toEqual([
      'actions/download-artifact',
      'pypa/gh-action-pypi-publish'
    ]);
  });
});

describe('the permission check can fail (access-audit.yml, which reads its previous run)', () => {
  const w = files.find((f) => f.file === 'workflows-templates/access-audit.yml')!;
  const check = (text: string) => {
    expect(text).not.toBe(w.text);
    const { declared, derived } = grants(parseYaml(text));
    return { declared, derived };
  };

  it('the lookup job without actions: read is short of what its steps need', () => {
    const { declared, derived } = check(w.text.replace(/^( {6})actions: read.*\n/m, '$1{}\n'));
    expect(declared.previous).toEqual({});
    expect(derived.previous).toEqual({ actions: 'read' });
  });

  it('the merge job with actions: read holds more than its steps need (it reads this run’s artifacts only)', () => {
    const { declared, derived } = check(
      w.text.replace(/^( {6})issues: write(.*)\n/m, '$1issues: write$2\n$1actions: read\n')
    );
    expect(declared.merge).toEqual({ contents: 'read', issues: 'write', actions: 'read' });
    expect(derived.merge).toEqual({ contents: 'read', issues: 'write' });
  });

  it('a shard downloading from another run (run-id) would need actions: read, which it does not hold', () => {
    const text = w.text.replace(
      /( {10}name: access-audit-previous\n {10}path: previous\/\n)/,
      '$1          run-id: 1\n          github-token: x\n'
    );
    const { declared, derived } = check(text);
    expect(declared.audit).toEqual({ contents: 'read' });
    expect(derived.audit).toEqual({ contents: 'read', actions: 'read' });
  });
});
