// One `git cat-file --batch-command` process answers every ref and blob the scan reads, in the order
// asked: a process per read cost a spawn each (the 20-file PR started nine). It is started on first use
// and holds the event loop only while an answer is awaited, so a scan that never closes it still exits.
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { UserError } from '@security-actions/core';
import type { BlobSink } from './types';

export interface ObjectInfo {
  oid: string;
  type: string;
  size: number;
}

/** One command's answer: `open` gets the object (undefined: missing) and returns where its bytes go. */
interface Item {
  body: boolean;
  open(found: ObjectInfo | undefined): BlobSink | undefined;
}

interface Request {
  items: Item[];
  at: number;
  resolve(): void;
  reject(e: Error): void;
}

const HEADER = /^([0-9a-f]{40,64}) ([a-z]+) (\d+)$/;

export class CatFile {
  private batch?: Batch;

  /** `start` spawns `git cat-file --batch-command` in the checkout. */
  constructor(private readonly start: () => ChildProcess) {}

  /** The object a revision names (`main^{commit}`, `<sha>`), or undefined when there is none. */
  async info(rev: string): Promise<ObjectInfo | undefined> {
    let found: ObjectInfo | undefined;
    await this.infos([rev], (_, info) => void (found = info));
    return found;
  }

  /** Types and sizes of objects, without their bytes: `seen` is called for each, in order. */
  infos(revs: string[], seen: (rev: string, info: ObjectInfo | undefined) => void): Promise<void> {
    return this.ask('info', revs, (rev, info) => void seen(rev, info));
  }

  /** Streams each object to the sink `open` returns for it (undefined: its bytes are skipped). */
  contents(revs: string[], open: (rev: string, info: ObjectInfo | undefined) => BlobSink | undefined): Promise<void> {
    return this.ask('contents', revs, open);
  }

  /** Ends the process once it has answered what it was asked; a later read starts another. */
  close(): void {
    this.batch?.child.stdin?.end();
    this.batch = undefined;
  }

  private ask(
    command: 'info' | 'contents',
    revs: string[],
    open: (rev: string, info: ObjectInfo | undefined) => BlobSink | undefined
  ): Promise<void> {
    if (!revs.length) return Promise.resolve();
    const bad = revs.find((r) => /[\r\n]/.test(r));
    if (bad !== undefined)
      return Promise.reject(new UserError(`cannot read '${bad.trim()}': a line break in the name`));
    if (!this.batch || this.batch.dead) this.batch = new Batch(this.start());
    return this.batch.ask(command, revs, open);
  }
}

/** One process: the commands written, and its answers read back in the same order. */
class Batch {
  dead = false;
  private stderr = '';
  private readonly queue: Request[] = [];
  private header: Buffer[] = [];
  private sink?: BlobSink;
  /** Bytes of the current object still to come; -1: reading a header; -2: the newline after an object. */
  private left = -1;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (b: Buffer) => this.onData(b));
    child.stderr!.on('data', (b: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += b.toString();
    });
    child.stdin!.on('error', () => undefined); // the process died: 'close' says why
    child.on('error', (e) => this.fail(`cannot run git: ${e.message}`));
    child.on('close', () => this.fail(`git cat-file failed: ${this.stderr.trim().split('\n')[0] || 'it exited'}`));
  }

  ask(
    command: string,
    revs: string[],
    open: (rev: string, info: ObjectInfo | undefined) => BlobSink | undefined
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.queue.length) hold(this.child, true);
      const body = command === 'contents';
      this.queue.push({
        items: revs.map((rev) => ({ body, open: (info) => open(rev, info) })),
        at: 0,
        resolve,
        reject
      });
      this.child.stdin!.write(revs.map((r) => `${command} ${r}\n`).join(''));
    });
  }

  private fail(why: string): void {
    this.dead = true;
    for (const r of this.queue.splice(0)) r.reject(new UserError(why));
  }

  private onData(b: Buffer): void {
    let i = 0;
    while (i < b.length) {
      if (this.left === -2) {
        i++; // the newline git prints after an object's bytes
        this.left = -1;
        this.next();
      } else if (this.left === -1) {
        const nl = b.indexOf(10, i);
        if (nl < 0) {
          this.header.push(b.subarray(i));
          return;
        }
        this.header.push(b.subarray(i, nl));
        i = nl + 1;
        const m = HEADER.exec(Buffer.concat(this.header).toString('latin1')); // else `<rev> missing` or `ambiguous`
        this.header = [];
        const req = this.queue[0];
        const item = req.items[req.at];
        const info = m ? { oid: m[1], type: m[2], size: Number(m[3]) } : undefined;
        this.sink = item.open(info);
        if (!info || !item.body) this.next();
        else if (info.size === 0) this.endObject();
        else this.left = info.size;
      } else {
        const n = Math.min(this.left, b.length - i);
        this.sink?.chunk(b.subarray(i, i + n));
        i += n;
        this.left -= n;
        if (this.left === 0) this.endObject();
      }
    }
  }

  private endObject(): void {
    this.sink?.end();
    this.sink = undefined;
    this.left = -2;
  }

  /** The current command is answered: on to the next, resolving its request when it was the last. */
  private next(): void {
    const req = this.queue[0];
    if (++req.at < req.items.length) return;
    this.queue.shift();
    if (!this.queue.length) hold(this.child, false);
    req.resolve();
  }
}

/** Whether the process and its pipes keep the event loop alive (only while an answer is awaited). */
function hold(child: ChildProcess, on: boolean): void {
  for (const h of [child, child.stdin, child.stdout, child.stderr] as (ChildProcess | Socket | null)[])
    if (on) h?.ref();
    else h?.unref();
}
