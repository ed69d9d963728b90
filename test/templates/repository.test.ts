// The suite's own repository practises what access-audit checks elsewhere:
// Dependabot for npm and actions (grouped, with a cooldown) and a SECURITY.md
// with supported versions, a private reporting channel and a response time.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../harness/run-action';

describe('.github/dependabot.yml', () => {
  const config = parseYaml(readFileSync(join(REPO_ROOT, '.github', 'dependabot.yml'), 'utf8'));

  it.each(['npm', 'github-actions'])('updates %s, grouped, after a cooldown of at least 7 days', (ecosystem) => {
    expect(config.version).toBe(2);
    const u = config.updates.find((x: any) => x['package-ecosystem'] === ecosystem);
    expect(u).toBeDefined();
    expect(u.directory).toBe('/');
    expect(Object.keys(u.groups ?? {}).length).toBeGreaterThan(0);
    expect(u.cooldown['default-days']).toBeGreaterThanOrEqual(7);
  });
});

describe('SECURITY.md', () => {
  const text = readFileSync(join(REPO_ROOT, 'SECURITY.md'), 'utf8');

  it('states supported versions, private vulnerability reporting and response times', () => {
    expect(text).toMatch(/^## Supported versions$/m);
    expect(text).toMatch(/private vulnerability reporting/i);
    expect(text).toMatch(/security\/advisories\/new/);
    expect(text).toMatch(/within 72 hours/i);
    expect(text).toMatch(/do not open a public issue/i);
  });
});

describe('CONTRIBUTING.md', () => {
  it('describes the release process and the pin script', () => {
    const text = readFileSync(join(REPO_ROOT, 'CONTRIBUTING.md'), 'utf8');
    expect(text).toMatch(/node scripts\/pin-own-actions\.mjs X\.Y\.Z/);
    expect(text).toMatch(/immutable/);
  });
});
