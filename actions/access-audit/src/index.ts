// Entry point of the bundle the runner starts; all logic lives in main.ts.
import { run } from './main';

await run();
