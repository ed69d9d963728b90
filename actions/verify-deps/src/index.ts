// Entry point of the bundle the runner starts; all logic lives in main.ts.
// The same bundle is the script of the provenance worker threads (pool.ts).
import { runMain } from '@security-actions/core';
import { run } from './main';
import { isMainThread, workerMain } from './pool';

if (isMainThread()) await runMain(() => run());
else workerMain();
