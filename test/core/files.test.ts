// File discovery never blocks or lies: a FIFO, a socket, a device or a link
// out of the checkout where a workflow, action or dependency file is expected
// is passed over with the reason, and reading one is refused at once.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadConfig } from '../../packages/core/src/action';
import { findFiles, readRegularFile } from '../../packages/core/src/files';
import { discoverWorkflowFiles, readTextFiles } from '../../packages/core/src/workflows';

const WORKFLOW = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n';
let root: string;
let outside: string;
let socket: Server;

beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), 'core-files-'));
  root = join(base, 'checkout');
  outside = join(base, 'outside');
  await mkdir(join(root, '.github', 'workflows'), { recursive: true });
  await mkdir(join(root, 'tools', 'act'), { recursive: true });
  await mkdir(join(root, 'real'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(root, '.github', 'workflows', 'ci.yml'), WORKFLOW);
  await writeFile(join(root, 'real', 'action.yml'), 'runs:\n  using: composite\n  steps: []\n');
  await writeFile(join(outside, 'release.yml'), WORKFLOW);
  execFileSync('mkfifo', [join(root, '.github', 'workflows', 'fifo.yml')]);
  execFileSync('mkfifo', [join(root, '.github', 'security-actions.yml')]);
  socket = createServer().listen(join(root, 'tools', 'act', 'action.yml'));
  await new Promise((r) => socket.once('listening', r));
  await symlink('/dev/zero', join(root, '.github', 'workflows', 'zero.yml'));
  await symlink(join(outside, 'release.yml'), join(root, '.github', 'workflows', 'release.yml'));
  await symlink('../../real/action.yml', join(root, '.github', 'workflows', 'linked.yml'));
  await symlink('loop.yml', join(root, '.github', 'workflows', 'loop.yml'));
  await symlink('../real', join(root, 'tools', 'real-link'));
});

afterAll(async () => {
  socket?.close();
  await rm(join(root, '..'), { recursive: true, force: true });
});

describe('discoverWorkflowFiles', () => {
  it('lists regular files and links to them inside the checkout; says why it passed over every other', async () => {
    const found = await discoverWorkflowFiles(root);
    expect(found.workflows).toEqual(['.github/workflows/ci.yml', '.github/workflows/linked.yml']);
    expect(found.actions).toEqual(['real/action.yml']); // not again through the folder link tools/real-link
    expect(found.skipped.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: '.github/workflows/fifo.yml', reason: 'skipped: a named pipe (FIFO), not a regular file' },
      { path: '.github/workflows/loop.yml', reason: 'skipped: a symbolic link whose target does not exist' },
      { path: '.github/workflows/release.yml', reason: 'skipped: a symbolic link to outside the checkout' },
      { path: '.github/workflows/zero.yml', reason: 'skipped: a symbolic link to outside the checkout' },
      { path: 'tools/act/action.yml', reason: 'skipped: a socket, not a regular file' }
    ]);
  });

  it('findFiles reports only what its caller would have read', async () => {
    const skipped: { path: string; reason: string }[] = [];
    expect(await findFiles(root, (p) => p.endsWith('ci.yml'), skipped)).toEqual(['.github/workflows/ci.yml']);
    expect(skipped).toEqual([]);
  });
});

describe('reading a file of the checkout', () => {
  it('refuses a FIFO at once instead of blocking', async () => {
    expect((await readTextFiles(root, ['.github/workflows/fifo.yml'])).errors).toEqual([
      '.github/workflows/fifo.yml: skipped: a named pipe (FIFO), not a regular file'
    ]);
  });

  it('refuses a link out of the checkout, and a device', async () => {
    expect((await readTextFiles(root, ['.github/workflows/release.yml'])).errors).toEqual([
      '.github/workflows/release.yml: skipped: a symbolic link to outside the checkout'
    ]);
    await expect(readRegularFile('/dev/zero')).rejects.toThrow('/dev/zero: skipped: a device, not a regular file');
  });

  it('reads a regular file, also through a link inside the checkout', async () => {
    const read = await readTextFiles(root, ['.github/workflows/linked.yml']);
    expect([read.errors, parse(read.files[0].text)]).toEqual([[], { runs: { using: 'composite', steps: [] } }]);
  });

  it('a config file that is a FIFO is an error naming it, not a hang', async () => {
    await expect(loadConfig(root, '')).rejects.toThrow(
      '.github/security-actions.yml: skipped: a named pipe (FIFO), not a regular file (the config file)'
    );
    await expect(loadConfig(root, 'missing.yml')).rejects.toThrow('missing.yml: cannot read the config file (ENOENT)');
  });
});
