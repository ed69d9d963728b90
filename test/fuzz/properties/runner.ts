// The files of a checkout through the shared runner (runAction), as verify-deps
// reads them offline: whatever the files hold, no exception escapes, every
// report is written, each error is one line naming its file and line, and a
// file that cannot be read is an error that fails the step, never a clean pass.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from '@jest/globals';
import fc from 'fast-check';
import {
  type ActionRuntime,
  parseConfig,
  parsePythonFile,
  parseYamlFile,
  runAction,
  templateKind
} from '@security-actions/core';
import { definition as verifyDeps } from '@security-actions/verify-deps';
import { type Property, expectOneLineNaming } from '../harness';
import { configFile } from './config';
import { pythonFiles } from './python';
import { workflowYaml } from './workflow';

interface Checkout {
  workflow: string;
  python: { file: string; text: string };
  config?: string;
}

const WORKFLOW = '.github/workflows/ci.yml';
const CONFIG = '.github/security-actions.yml';
const root = mkdtempSync(join(tmpdir(), 'fuzz-runner-'));
let n = 0;

/** Whether parsing `text` fails on its own (the runner must then report it). */
function fails(parse: () => unknown): boolean {
  try {
    parse();
    return false;
  } catch {
    return true;
  }
}

export const checkoutThroughRunner: Property<Checkout> = {
  name: 'checkout-through-runner',
  arb: fc.record(
    {
      workflow: workflowYaml.arb.map((w) => w.text),
      python: pythonFiles.arb,
      config: configFile.arb
    },
    { requiredKeys: ['workflow', 'python'] }
  ),
  async check(c) {
    const ws = join(root, String(n++));
    const files: Record<string, string> = { [WORKFLOW]: c.workflow, [c.python.file]: c.python.text };
    if (c.config !== undefined) files[CONFIG] = c.config;
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(ws, p)), { recursive: true });
      writeFileSync(join(ws, p), text);
    }
    const temp = join(ws, '.runner');
    const failed: string[] = [];
    const runtime: ActionRuntime = {
      env: { GITHUB_WORKSPACE: ws, RUNNER_TEMP: temp, INPUT_OFFLINE: 'true', 'INPUT_FAIL-ON': 'critical' },
      now: () => new Date('2025-06-15T12:00:00Z'),
      setOutput: () => undefined,
      setFailed: (m) => void failed.push(m),
      appendSummary: async () => undefined,
      annotate: () => undefined,
      info: () => undefined,
      warning: () => undefined,
      debug: () => undefined
    };
    const report = await runAction(verifyDeps, runtime);
    // Every report is written, and is JSON.
    JSON.parse(readFileSync(join(temp, 'verify-deps.sarif'), 'utf8'));
    JSON.parse(readFileSync(join(temp, 'verify-deps-report.json'), 'utf8'));
    for (const e of report.errors) {
      const file = Object.keys(files).find((f) => e.startsWith(`${f}:`));
      if (file) expectOneLineNaming(e, file, files[file]);
      else expect(e).not.toMatch(/[\r\n]/);
    }
    // A file that does not parse is reported as an error, and the step fails: never a clean pass.
    const unreadable = [
      fails(() => parseYamlFile(c.workflow, WORKFLOW)) ? WORKFLOW : '',
      // A template (`{{ … }}`) is passed over with a note, by design: it is not the project's dependency file.
      !templateKind(c.python.file, c.python.text) && fails(() => parsePythonFile(c.python.text, c.python.file))
        ? c.python.file
        : '',
      c.config !== undefined && fails(() => parseConfig(c.config!, CONFIG)) ? CONFIG : ''
    ].filter(Boolean);
    // An error, or (for a dependency file) an input that is not checked, naming the file: once.
    const named = (f: string) => [
      ...report.errors.filter((e) => e.startsWith(`${f}:`)),
      ...report.notChecked.filter((n) => n.input && n.reason.startsWith(`${f}:`)).map((n) => n.reason)
    ];
    for (const f of unreadable) expect(named(f)).toHaveLength(1);
    if (unreadable.length) expect(failed).toHaveLength(1);
  }
};
