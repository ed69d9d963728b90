// Every property of the fuzz suite, for the regression replay.
import type { Property } from '../harness';
import { damagedBundles } from './bundles';
import { cliArguments } from './cli';
import { configFile } from './config';
import { diffReader } from './git';
import { pythonFiles } from './python';
import { checkoutThroughRunner } from './runner';
import { workflowYaml } from './workflow';

export const PROPERTIES: Property<never>[] = [
  workflowYaml,
  configFile,
  pythonFiles,
  checkoutThroughRunner,
  damagedBundles,
  diffReader,
  cliArguments
] as Property<never>[];
