// `sp-security disclosure` through the committed CLI bundle, against the fake
// GitHub: the same engine as the action, reports in the terminal and JSON,
// proposals only unless --apply, and the token never printed.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/run-action';
import { startFakeGitHub } from '../fakes/github/server.mjs';
import { CONFIG, disclosureWorld } from '../disclosure-coordinator/world';

let fake: Awaited<ReturnType<typeof startFakeGitHub>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Runs the CLI asynchronously (the fake answers in this process). */
function cli(cwd: string, env: Record<string, string>, ...args: string[]) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'packages/cli/bin/sp-security.js'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env }
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('sp-security disclosure', () => {
  it('tracks the organization, lists who is affected and proposes without writing', async () => {
    fake = await startFakeGitHub({ world: disclosureWorld(new Date()) });
    const dir = mkdtempSync(join(tmpdir(), 'cli-disclosure-'));
    mkdirSync(join(dir, '.github'));
    writeFileSync(
      join(dir, '.github/security-actions.yml'),
      `disclosure-coordinator:\n  downstream:\n${CONFIG.downstream.map((d) => `    - repo: ${d.repo}\n      contacts: [${d.contacts.join(', ')}]\n`).join('')}`
    );
    const json = join(dir, 'report.json');
    const r = await cli(
      dir,
      { GITHUB_API_URL: fake.url, GITHUB_TOKEN: 'coordinator-app-token' },
      'disclosure',
      '--orgs',
      'sp',
      '--json',
      json,
      '--fail-on',
      'none'
    );
    expect(r.err).not.toMatch(/error|warning/i);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/HIGH\s+disclosure\/report-unanswered/);
    expect(r.out).toMatch(/HIGH\s+downstream\/pins-affected/);
    expect(r.out).toMatch(/MEDIUM\s+embargo\/invite-pending/);
    expect(r.out).not.toContain('coordinator-app-token');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.name).toBe('disclosure-coordinator');
    expect(report.stats['repositories tracked']).toBe(7);
    expect(fake.requests.filter((q: { method: string }) => q.method !== 'GET')).toEqual([]);
  }, 120_000);
});
