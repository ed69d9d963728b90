// The config file (.github/security-actions.yml): parsed and validated on its own.
import { join } from 'node:path';
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { parseConfig } from '@security-actions/core';
import { REPO_ROOT } from '../../harness/run-action';
import { type Property, expectOneLineNaming, mutatedText, seedFiles } from '../harness';
import { YAML_SPECIALS } from './workflow';

const CONFIGS = [
  ...seedFiles(join(REPO_ROOT, 'workflows-templates'), (n) => n === 'security-actions.yml'),
  `version: 1
rules:
  actions/unpinned: { severity: low, reason: reviewed }
ignores:
  - rule: python/url-dependency
    path: requirements/*.txt
    line: 3
    reason: internal mirror
    expires: 2030-01-01
  - fingerprint: 0123456789abcdef
    properties: { package: numpy }
    reason: known
verify-deps:
  ignore:
    - package: numpy
      reason: pinned upstream
      expires: 2030-01-01
pr-anomaly-scan:
  allow:
    - rule: unicode/bidi
      path: docs/*.md
      reason: translations
access-audit:
  exemptions:
    - repository: old-site
      reason: archived
`
];
const SPECIALS = [
  ...YAML_SPECIALS,
  'severity: ',
  'critical',
  'expires: 2020-02-30',
  'expires: ',
  'rule: ',
  'path: ',
  'line: ',
  '-1',
  '99999999999999999999',
  'reason: ',
  'version: 2',
  'unknown-key: 1'
];
const FILE = '.github/security-actions.yml';

export const configFile: Property<string> = {
  name: 'config-file',
  arb: fc.oneof({ weight: 5, arbitrary: mutatedText(CONFIGS, SPECIALS) }, { weight: 1, arbitrary: fc.string() }),
  check(text) {
    let config;
    try {
      config = parseConfig(text, FILE);
    } catch (e) {
      expectOneLineNaming((e as Error).message, FILE, text);
      return;
    }
    expect(config.file).toBe(FILE);
    for (const ig of config.ignores) expect(ig.source).toMatch(/^\.github\/security-actions\.yml:\d+$/);
  }
};
