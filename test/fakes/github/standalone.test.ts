// The fake as its own process, the way non-Node consumers (action containers,
// shell steps, bench scripts) use it: URL on the first stdout line, control
// endpoints for faults/requests/state, clean exit on SIGTERM.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const server = fileURLToPath(new URL('./server.mjs', import.meta.url));
const small = fileURLToPath(new URL('./worlds/small.json', import.meta.url));

describe('standalone fake GitHub', () => {
  it('prints its base URL first, serves the world and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [server, '--world', small, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit']
    });
    const exited = once(child, 'exit');
    try {
      const [url] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const auth = { authorization: 'token t' };

      const repo = await fetch(`${url}/repos/scientific-python/spec-tool`, { headers: auth });
      expect(repo.status).toBe(200);
      expect(await repo.json()).toMatchObject({ full_name: 'scientific-python/spec-tool', default_branch: 'main' });

      const faults = await fetch(`${url}/_fake/faults`, {
        method: 'POST',
        body: JSON.stringify([{ match: 'GET /repos/*', status: 503, times: 1 }])
      });
      expect(faults.status).toBe(204);
      expect((await fetch(`${url}/repos/scientific-python/spec-tool`, { headers: auth })).status).toBe(503);
      expect((await fetch(`${url}/repos/scientific-python/spec-tool`, { headers: auth })).status).toBe(200);

      const log = (await (await fetch(`${url}/_fake/requests`)).json()) as {
        method: string;
        path: string;
        status: number;
      }[];
      expect(log.map((r) => [r.method, r.path, r.status])).toEqual([
        ['GET', '/repos/scientific-python/spec-tool', 200],
        ['GET', '/repos/scientific-python/spec-tool', 503],
        ['GET', '/repos/scientific-python/spec-tool', 200]
      ]);
      const state = (await (await fetch(`${url}/_fake/state`)).json()) as { repos: Record<string, unknown> };
      expect(Object.keys(state.repos)).toContain('newcomer/spec-tool');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual([0, null]);
  });

  it('exits with usage help when --world is missing', async () => {
    const child = spawn(process.execPath, [server], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    expect(await once(child, 'exit')).toEqual([2, null]);
    expect(stderr).toContain('usage: server.mjs --world FILE');
  });
});
