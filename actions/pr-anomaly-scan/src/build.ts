// Build-system and start-up hooks in added lines: Meson/CMake/autotools,
// test-runner configuration, pre-commit, .pth files and processes started at
// import time. setup.py is the content analysers' (`code/install-hook`); the
// build backend and feature tests compare both sides (backend.ts,
// feature-tests.ts).
import type { AddedText } from './types';
import { type LineHit, short } from './lines';
import { RULES as R } from './rules';

/** A URL to a host other than this machine (documentation links in comments are stripped before this runs). */
const REMOTE_URL = /\b(?:https?|ftp):\/\/(?!(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\])(?:[:/]|$))/;
const NETWORK_CALL =
  /\b(urllib\.request|urlopen|urlretrieve|requests\.(get|post|put|request)|httpx\.|http\.client|curl\b|wget\b|Invoke-WebRequest|fetch\(|create_connection\(|\.connect\(\s*\(?\s*["'](?!localhost|127\.|0\.0\.0\.0|::1))/;
const PROCESS = /\b(subprocess|os\.system|os\.popen|Popen|check_output|check_call|os\.exec|pty\.spawn)\b/;
const MESON = /\b(run_command|custom_target|run_target|generator)\s*\(/;
const CMAKE = /\b(execute_process|file\s*\(\s*DOWNLOAD|ExternalProject_Add|FetchContent_Declare|add_custom_command)\b/i;
const AUTOTOOLS_PATH = /(^|\/)(configure\.(ac|in)|Makefile\.(am|in)|aclocal\.m4|acinclude\.m4)$|\.m4$/;
const AUTOTOOLS_BAD = /\beval\b|\$SHELL|\btr\s+["']|\bsed\s+["']r|\bhead\s+-c|\bxz\s+-d|\b(grep|sed)\s+-a|\|\s*sh\b/;
const TEST_HOOK_PATH = /(^|\/)(conftest\.py|noxfile\.py|tox\.ini|pytest\.ini|setup\.cfg|Makefile|justfile|tasks\.py)$/;
const MODULE_LEVEL_START =
  /^(subprocess\.(Popen|run|call|check_output|check_call)|os\.(system|popen)|threading\.Thread\(.*\)\.start|Popen)\s*\(|^\w+\s*=\s*subprocess\.Popen\(/;

/**
 * The code of a line without its comment: a `#` outside quotes that starts
 * the line or follows a space (Python, shell, Make, CMake, ini), or a `;` that
 * starts an ini line. URL evidence in a comment is documentation.
 */
export function codeOf(text: string): string {
  if (/^\s*;/.test(text)) return '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) return text.slice(0, i);
  }
  return text;
}

/**
 * A line that only prints a message (`echo`, `printf`, `print(`, Make's `$(error|warning|info …)`): a URL in it
 * is text for a person (xarray@b9b84949fa74: a Sphinx Makefile's "grab it from http://sphinx-doc.org/").
 */
const MESSAGE = /^\s*@?(?:echo\b|printf\b|print\s*\(|\$\((?:error|warning|info)\s)/;

/** Network access in a line's code: a remote URL or a network client call, not a bind to a local port. */
export const isNetwork = (text: string): boolean => {
  const code = codeOf(text);
  return (REMOTE_URL.test(code) && !MESSAGE.test(code)) || NETWORK_CALL.test(code);
};

/** The hits of one file's added lines (split into lines only for the file names these rules read). */
export function buildHits(file: AddedText): LineHit[] {
  const hits: LineHit[] = [];
  const path = file.path;
  const name = path.split('/').pop()!;
  const first = (test: (t: string) => boolean) => file.added.find((l) => test(l.text));
  const code = (re: RegExp) => (t: string) => re.test(codeOf(t));
  if (name === 'meson.build' || name === 'meson_options.txt') {
    const at = first(code(MESON));
    const net = first(isNetwork);
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
    const at = first(code(CMAKE));
    const net = first(code(/file\s*\(\s*DOWNLOAD/i)) ?? first(isNetwork);
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
    const bad = first(code(AUTOTOOLS_BAD));
    const at = bad ?? file.added.find((l) => l.text.trim() && !/^\s*(dnl|#)/.test(l.text));
    if (at) {
      hits.push({
        rule: R.BUILD_AUTOTOOLS,
        line: at,
        message: bad
          ? 'Autotools/m4 code gains shell evaluation or byte-level text processing.'
          : 'Autotools/m4 build logic changed.',
        evidence: short(at.text),
        severity: bad ? 'critical' : 'low',
        confidence: bad ? 'high' : 'medium'
      });
    }
  } else if (TEST_HOOK_PATH.test(path)) {
    const net = first(isNetwork);
    const at = net ?? first(code(PROCESS)) ?? first(code(/\b(exec|eval)\s*\(|b64decode/));
    if (at)
      hits.push({
        rule: R.BUILD_TEST_HOOK,
        line: at,
        message: `${name} gains ${net ? 'network access' : 'process or exec calls'}.`,
        evidence: short(at.text),
        properties: { network: Boolean(net) }
      });
  } else if (/^\.pre-commit-config\.ya?ml$/.test(name)) {
    const at = first((t) => /^\s*-?\s*repo:\s*local\b/.test(t));
    if (at)
      hits.push({
        rule: R.BUILD_PRECOMMIT_LOCAL,
        line: at,
        message: 'A local pre-commit hook runs a command from the repository.',
        evidence: short(at.text)
      });
  } else if (/\.pth$/.test(name)) {
    const at = first((t) => /^\s*import\s/.test(t)) ?? file.added[0];
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
  } else if (/\.py$/.test(name) && /subprocess|os\.system|os\.popen|Thread\(|Popen/.test(file.text)) {
    const at = file.added.find((l) => MODULE_LEVEL_START.test(l.text));
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
