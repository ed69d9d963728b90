// Entry point of the bundle the runner starts; all logic lives in main.ts.
import { runMain } from '@security-actions/core';
import { run } from './main';

await runMain(() => run());
