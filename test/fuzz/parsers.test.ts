// Fuzz: the parsers of the files a checkout holds (workflow YAML and the
// workflow model, the config file, the Python formats), a bounded time each.
import { describe, expect, it } from '@jest/globals';
import { type Property, SEED, budget, fuzz } from './harness';
import { configFile } from './properties/config';
import { pythonFiles } from './properties/python';
import { workflowYaml } from './properties/workflow';

describe(`fuzz: parsers (seed ${SEED})`, () => {
  it.each(([workflowYaml, configFile, pythonFiles] as Property<never>[]).map((p) => [p.name, p] as const))(
    '%s',
    async (_name, p) => {
      expect(await fuzz(p, 5000)).toBeGreaterThan(0);
    },
    budget(5000) + 30_000
  );
});
