// sp-security init: the starter workflows and a config dropped into a
// repository, or into an organization's .github repository.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaUrl } from '../../packages/cli/src/commands/init';
import { main } from '../../packages/cli/src/main';
import { parseConfig } from '../../packages/core/src/config';
import { REPO_ROOT } from '../harness/run-action';
import { OWN_PREFIX, readWorkflows } from '../templates/workflows';

const TEMPLATES = join(REPO_ROOT, 'workflows-templates');
const template = (f: string) => readFileSync(join(TEMPLATES, f), 'utf8');

async function init(dir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['init', '--repo', dir, ...args], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: {},
    cwd: dir,
    progressAfterMs: 60_000 // no progress lines on a slow machine
  });
  return { code, out: out.join(''), err: err.join('\n') };
}

const repo = () => mkdtempSync(join(tmpdir(), 'init-'));
const files = (dir: string, sub: string) => readdirSync(join(dir, sub)).sort();

describe('init into a repository', () => {
  it('writes the project workflows as the suite ships them, and a valid config', async () => {
    const dir = repo();
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(files(dir, '.github/workflows')).toEqual(['pr-anomaly-scan.yml', 'release.yml', 'verify-deps.yml']);
    for (const f of files(dir, '.github/workflows'))
      expect(readFileSync(join(dir, '.github/workflows', f), 'utf8')).toBe(template(f));
    expect(r.out).toContain('wrote .github/workflows/verify-deps.yml');
    const config = readFileSync(join(dir, '.github/security-actions.yml'), 'utf8');
    expect(() => parseConfig(config, '.github/security-actions.yml')).not.toThrow();
    // The schema of the release the workflows pin.
    const own = readWorkflows()
      .filter((w) => w.template)
      .flatMap((w) => w.uses)
      .filter((u) => u.raw.startsWith(OWN_PREFIX));
    expect(config.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schemaUrl(own[0].comment!)}`);
  });

  it('every action in what it writes is pinned to a full SHA with a version comment', async () => {
    const dir = repo();
    await init(dir, '--workflows', 'all');
    const written = readWorkflows(dir); // it reads .github/workflows/ of the directory given
    const templates = readdirSync(join(REPO_ROOT, 'workflows-templates')).filter((f) => f.endsWith('.yml'));
    expect(written).toHaveLength(templates.length);
    for (const w of written)
      for (const u of w.uses.filter((x) => x.kind === 'action')) {
        expect([u.raw, u.ref]).toEqual([u.raw, expect.stringMatching(/^[0-9a-f]{40}$/)]);
        expect([u.raw, u.comment]).toEqual([u.raw, expect.stringMatching(/^v\d+\.\d+\.\d+$/)]);
      }
  });

  it('refuses to overwrite without --force, and then writes nothing at all', async () => {
    const dir = repo();
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(join(dir, '.github/workflows/release.yml'), 'mine\n');
    const r = await init(dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `init: not overwriting .github/workflows/release.yml in ${dir} (give --force to replace them); nothing written`
    );
    expect(files(dir, '.github/workflows')).toEqual(['release.yml']);
    expect(existsSync(join(dir, '.github/security-actions.yml'))).toBe(false);
    expect(readFileSync(join(dir, '.github/workflows/release.yml'), 'utf8')).toBe('mine\n');

    expect((await init(dir, '--force')).code).toBe(0);
    expect(readFileSync(join(dir, '.github/workflows/release.yml'), 'utf8')).toBe(template('release.yml'));
  });

  it('writes only the workflows named, and refuses a name it does not have', async () => {
    const dir = repo();
    expect((await init(dir, '--workflows', 'verify-deps')).code).toBe(0);
    expect(files(dir, '.github/workflows')).toEqual(['verify-deps.yml']);
    const bad = await init(repo(), '--workflows', 'verify-deps,scorecard');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('no starter workflow named scorecard');
  });
});

describe('init --org (a checkout of the organization’s .github repository)', () => {
  it('writes every starter workflow with its properties into workflow-templates/, and no config', async () => {
    const dir = repo();
    const r = await init(dir, '--org');
    expect(r.code).toBe(0);
    expect(files(dir, 'workflow-templates')).toEqual(readdirSync(TEMPLATES).sort());
    for (const f of files(dir, 'workflow-templates'))
      expect(readFileSync(join(dir, 'workflow-templates', f), 'utf8')).toBe(template(f));
    expect(existsSync(join(dir, '.github'))).toBe(false);
    expect(r.out).toContain("default branch of the organization's .github repository");
  });
});
