// Provenance verification is CPU-bound (2–4 ms per attestation with the
// project's @sigstore/core patch), so a large lock is verified on one worker
// thread while the main thread talks to PyPI: the worker builds the trust
// material once for the run and verifies the files it is sent. One thread, not
// one per core: the main thread's HTTP work fills the other core, and a second
// build of the trust material would cost more than it saves on two cores. The
// bundle is its own worker script (index.ts starts workerMain off the main thread).
// node:worker_threads is loaded when a thread is started or is one (6 ms of a
// start that verifies nothing otherwise), hence getBuiltinModule, not an import.
import type { Worker } from 'node:worker_threads';
import { BundleVerifier, parseTrustedRoot } from '@security-actions/core/sigstore';
import type { Provenance, TrustedPublisher } from '@security-actions/core';
import { type FileVerdict, type ProvenanceChecker, verifyProvenance } from './provenance';

interface Job {
  id: number;
  prov: Provenance;
  file: { filename: string; sha256: string };
  expected: TrustedPublisher[];
}

type Answer = { id: number; verdict?: FileVerdict; error?: string };

export const WORKER_ROLE = 'verify-deps-provenance';

const threads = () => process.getBuiltinModule('node:worker_threads');

/** Appended to a verifier thread's argv, so index.ts tells it from the main thread without loading the module. */
const WORKER_FLAG = '--verify-deps-provenance-worker';

/** Whether this is the action's main thread (index.ts), not a thread `startVerifierThread` started. */
export const isMainThread = (): boolean => !process.argv.includes(WORKER_FLAG);

/** Runs in a worker thread: verify what the main thread sends. */
export function workerMain(): void {
  const { parentPort, workerData } = threads();
  if (!parentPort || workerData?.role !== WORKER_ROLE) return;
  const port = parentPort;
  let verifier: BundleVerifier | undefined;
  let setupError: string | undefined;
  try {
    verifier = new BundleVerifier(parseTrustedRoot(workerData.root as string, 'trusted root'));
  } catch (e) {
    setupError = (e as Error).message;
  }
  // Jobs come in batches and their answers go back as one: a message each way per batch, not per file.
  port.on('message', (jobs: Job[]) => {
    port.postMessage(
      jobs.map((job): Answer => {
        if (!verifier) return { id: job.id, error: setupError };
        try {
          return { id: job.id, verdict: verifyProvenance(verifier, job.prov, job.file, job.expected) };
        } catch (e) {
          return { id: job.id, error: (e as Error).message };
        }
      })
    );
  });
}

/** One worker running `script` (the bundle) with the trusted root given as JSON text. */
export function startVerifierThread(script: URL, rootJson: string): ProvenanceChecker & { close(): Promise<void> } {
  const pending = new Map<number, { resolve: (v: FileVerdict) => void; reject: (e: Error) => void }>();
  const worker: Worker = new (threads().Worker)(script, {
    argv: [WORKER_FLAG],
    workerData: { role: WORKER_ROLE, root: rootJson }
  });
  worker.unref();
  worker.on('message', (answers: Answer[]) => {
    for (const m of answers) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.verdict) p?.resolve(m.verdict);
      else p?.reject(new Error(m.error ?? 'verification worker failed'));
    }
  });
  // A worker that dies (or never was one) fails what it held and what is asked of it later: "not checked", never a hang.
  let dead: Error | undefined;
  const failAll = (e: Error) => {
    dead ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`verification worker exited (${code})`)));
  let next = 0;
  // The files asked for in one turn of the event loop go to the worker together.
  let batch: Job[] = [];
  const send = () => {
    worker.postMessage(batch);
    batch = [];
  };
  return {
    builds: 1,
    verify(prov, file, expected) {
      if (dead) return Promise.reject(dead);
      const id = next++;
      return new Promise<FileVerdict>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (!batch.length) setImmediate(send);
        batch.push({ id, prov, file, expected });
      });
    },
    async close() {
      await worker.terminate();
    }
  };
}
