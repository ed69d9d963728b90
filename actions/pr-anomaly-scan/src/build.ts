// Build-system and start-up hooks in added lines: setup.py, build backends,
// Meson/CMake/autotools, test-runner configuration, pre-commit, .pth files and
// processes started at import time.
import type { AddedLine } from './types';
import { type LineHit, hasKeyword, short } from './lines';
import { RULES as R } from './rules';

const NETWORK =
  /\b(urllib\.request|urlopen|requests\.(get|post)|httpx\.|http\.client|socket\.|curl\b|wget\b|Invoke-WebRequest|fetch\(|https?:\/\/)/;
const PROCESS = /\b(subprocess|os\.system|os\.popen|Popen|check_output|check_call|os\.exec|pty\.spawn)\b/;
const SETUP_HOOK = /\bcmdclass\b|class\s+\w+\((install|build_py|build_ext|develop|egg_info|sdist)\)/;
const MESON = /\b(run_command|custom_target|run_target|generator)\s*\(/;
const CMAKE = /\b(execute_process|file\s*\(\s*DOWNLOAD|ExternalProject_Add|FetchContent_Declare|add_custom_command)\b/i;
const AUTOTOOLS_PATH = /(^|\/)(configure\.(ac|in)|Makefile\.(am|in)|aclocal\.m4|acinclude\.m4)$|\.m4$/;
const AUTOTOOLS_BAD = /\beval\b|\$SHELL|\btr\s+["']|\bsed\s+["']r|\bhead\s+-c|\bxz\s+-d|\b(grep|sed)\s+-a|\|\s*sh\b/;
const TEST_HOOK_PATH = /(^|\/)(conftest\.py|noxfile\.py|tox\.ini|pytest\.ini|setup\.cfg|Makefile|justfile|tasks\.py)$/;
const MODULE_LEVEL_START =
  /^(subprocess\.(Popen|run|call|check_output|check_call)|os\.(system|popen)|threading\.Thread\(.*\)\.start|Popen)\s*\(|^\w+\s*=\s*subprocess\.Popen\(/;

export function buildHits(path: string, lines: AddedLine[], all?: string): LineHit[] {
  const hits: LineHit[] = [];
  const name = path.split('/').pop()!;
  const first = (re: RegExp) => lines.find((l) => re.test(l.text));
  if (name === 'setup.py') {
    const hook = first(SETUP_HOOK);
    const net = first(NETWORK);
    const proc = first(PROCESS) ?? first(/\b(exec|eval)\s*\(/);
    const at = net ?? proc ?? hook;
    if (at) {
      const what = [hook && 'a custom command', net && 'network access', proc && 'process or exec calls']
        .filter(Boolean)
        .join(', ');
      hits.push({
        rule: R.BUILD_SETUP_PY,
        line: at,
        message: `setup.py gains ${what}.`,
        evidence: short(at.text),
        severity: net || proc ? 'high' : 'medium',
        properties: { network: Boolean(net), process: Boolean(proc) }
      });
    }
  } else if (name === 'meson.build' || name === 'meson_options.txt') {
    const at = first(MESON);
    const net = first(NETWORK);
    if (at)
      hits.push({
        rule: R.BUILD_NATIVE,
        line: at,
        message: 'Meson runs a command at configure or build time.',
        evidence: short(at.text),
        severity: net ? 'high' : 'medium',
        properties: { network: Boolean(net) }
      });
  } else if (name === 'CMakeLists.txt' || /\.cmake$/.test(name)) {
    const at = first(CMAKE);
    const net = first(/file\s*\(\s*DOWNLOAD|https?:\/\//i);
    if (at)
      hits.push({
        rule: R.BUILD_NATIVE,
        line: at,
        message: 'CMake runs a command or downloads at configure time.',
        evidence: short(at.text),
        severity: net ? 'high' : 'medium',
        properties: { network: Boolean(net) }
      });
  } else if (AUTOTOOLS_PATH.test(path)) {
    const bad = first(AUTOTOOLS_BAD);
    const at = bad ?? lines.find((l) => l.text.trim() && !/^\s*(dnl|#)/.test(l.text));
    if (at) {
      hits.push({
        rule: R.BUILD_AUTOTOOLS,
        line: at,
        message: bad
          ? 'Autotools/m4 code gains shell evaluation or byte-level text processing.'
          : 'Autotools/m4 build logic changed.',
        evidence: short(at.text),
        severity: bad ? 'critical' : 'medium',
        confidence: bad ? 'high' : 'medium'
      });
    }
  } else if (TEST_HOOK_PATH.test(path)) {
    const at = first(NETWORK) ?? first(PROCESS) ?? first(/\b(exec|eval)\s*\(|b64decode/);
    if (at)
      hits.push({
        rule: R.BUILD_TEST_HOOK,
        line: at,
        message: `${name} gains process, network or exec calls.`,
        evidence: short(at.text),
        properties: { network: NETWORK.test(at.text) }
      });
  } else if (name === 'pyproject.toml') {
    const at = first(/^\s*(build-backend|backend-path)\s*=/);
    if (at) {
      const inTree = /backend-path/.test(at.text) || Boolean(first(/^\s*backend-path\s*=/));
      hits.push({
        rule: R.BUILD_BACKEND,
        line: at,
        message: inTree
          ? 'The build backend is loaded from code inside the repository (`backend-path`).'
          : 'The build backend changes.',
        evidence: short(at.text),
        severity: inTree ? 'high' : 'medium'
      });
    }
  } else if (/^\.pre-commit-config\.ya?ml$/.test(name)) {
    const at = first(/^\s*-?\s*repo:\s*local\b/);
    if (at)
      hits.push({
        rule: R.BUILD_PRECOMMIT_LOCAL,
        line: at,
        message: 'A local pre-commit hook runs a command from the repository.',
        evidence: short(at.text)
      });
  } else if (/\.pth$/.test(name)) {
    const at = first(/^\s*import\s/) ?? lines[0];
    if (at)
      hits.push({
        rule: R.BUILD_PTH,
        line: at,
        message: at.text.trim().startsWith('import')
          ? 'The .pth file runs code at interpreter start-up.'
          : 'A .pth file was added.',
        evidence: short(at.text),
        severity: /^\s*import\s/.test(at.text) ? 'high' : 'low'
      });
  } else if (/\.py$/.test(name) && (all === undefined || hasKeyword(all, 'process'))) {
    const at = lines.find((l) => MODULE_LEVEL_START.test(l.text));
    if (at) {
      hits.push({
        rule: R.BUILD_IMPORT_PROCESS,
        line: at,
        message: 'A process or thread starts at module level, i.e. on import.',
        evidence: short(at.text),
        severity:
          /DEVNULL|daemon\s*=\s*True|start_new_session/.test(at.text) || name === '__init__.py' ? 'high' : 'medium'
      });
    }
  }
  return hits;
}
