// Build-system and start-up hooks in added lines: Meson/CMake/autotools,
// test-runner configuration, pre-commit, .pth files and processes started at
// import time. setup.py is the content analysers' (`code/install-hook`); the
// build backend and feature tests compare both sides (backend.ts,
// feature-tests.ts).
import type { AddedLine, AddedText } from './types';
import { type LineHit, short } from './lines';
import { RULES as R } from './rules';

/** The host of each URL in a text (lower case, without user info or port); empty for a templated one. */
const URL_HOST = /\b(?:https?|ftp):\/\/(?:[^\s/@'"`]*@)?(\[[^\]\s]*\]|[^\s/:?#'"`]*)/gi;
/**
 * This machine, or a name that can never reach anyone: RFC 2606's example.com/.org/.net and its `.example`,
 * `.test`, `.invalid` and `.localhost` top-level names (RFC 6761). Test fixtures name them for mocked servers.
 */
const NOWHERE =
  /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|(?:[\w-]+\.)*(?:example\.(?:com|org|net)|localhost|example|test|invalid)\.?)$/;

/** The hosts of a text's URLs that are somewhere else: not this machine, not a reserved name (a templated host counts). */
export const remoteHosts = (text: string): string[] =>
  [...text.matchAll(URL_HOST)].map((m) => m[1].toLowerCase()).filter((h) => !NOWHERE.test(h));
const NETWORK_CALL =
  /\b(urllib\.request|urlopen|urlretrieve|requests\.(get|post|put|request)|httpx\.|http\.client|curl\b|wget\b|Invoke-WebRequest|fetch\(|create_connection\(|\.connect\(\s*\(?\s*["'](?!localhost|127\.|0\.0\.0\.0|::1))/;
const PROCESS = /\b(subprocess|os\.system|os\.popen|Popen|check_output|check_call|os\.exec|pty\.spawn)\b/;
const MESON = /\b(run_command|custom_target|run_target|generator)\s*\(/;
const CMAKE = /\b(execute_process|file\s*\(\s*DOWNLOAD|ExternalProject_Add|FetchContent_Declare|add_custom_command)\b/i;
const AUTOTOOLS_PATH = /(^|\/)(configure\.(ac|in)|Makefile\.(am|in)|aclocal\.m4|acinclude\.m4)$|\.m4$/;
const AUTOTOOLS_BAD = /\beval\b|\$SHELL|\btr\s+["']|\bsed\s+["']r|\bhead\s+-c|\bxz\s+-d|\b(grep|sed)\s+-a|\|\s*sh\b/;
const TEST_HOOK_PATH = /(^|\/)(conftest\.py|noxfile\.py|tox\.ini|pytest\.ini|setup\.cfg|Makefile|justfile|tasks\.py)$/;
export const MODULE_LEVEL_START =
  /^(subprocess\.(Popen|run|call|check_output|check_call)|os\.(system|popen)|threading\.Thread\(.*\)\.start|Popen)\s*\(|^\w+\s*=\s*subprocess\.Popen\(/;
const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * The first added line that MODULE_LEVEL_START matches. Each of its forms starts with a word character, so
 * only lines that do (at column 0: imports, definitions, module-level statements) are tested; a search of
 * the whole text for its words first cost more than this walk over the lines.
 */
export function moduleLevelStart(file: AddedText): AddedLine | undefined {
  const t = file.text;
  for (let start = 0, i = 0; ; i++) {
    const nl = t.indexOf('\n', start);
    const end = nl === -1 ? t.length : nl;
    if (end > start && isWord(t.charCodeAt(start)) && MODULE_LEVEL_START.test(t.slice(start, end)))
      return file.added[i];
    if (nl === -1) return undefined;
    start = nl + 1;
  }
}

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

/**
 * Network access in a line's code: a URL to a host elsewhere or a network client call, not a bind to a
 * local port nor a URL of a reserved name (`https://www.example.com/test_file` handed to a mocked fixture).
 */
export const isNetwork = (text: string): boolean => {
  const code = codeOf(text);
  return (remoteHosts(code).length > 0 && !MESSAGE.test(code)) || NETWORK_CALL.test(code);
};

/** The ini files among the test hooks: their values are declarations, except those of keys that run or install. */
const INI_HOOK = /(^|\/)(tox\.ini|pytest\.ini|setup\.cfg)$/;
/**
 * Keys whose values run a command or install packages (tox's commands and install commands, its and
 * setuptools' requirement lists). A URL under another key (`url`, `project_urls`, `set_env`'s
 * `PIP_EXTRA_INDEX_URL=`, which `deps/index-url` reads) is a setting, not a request.
 */
const RUN_KEY =
  /^(?:commands(?:_pre|_post)?|install_command|list_dependencies_command|deps|requires|install_requires|setup_requires|tests_require|dependency_links)$/;
/** Sections every key of which runs or installs: setup.cfg's command aliases and extras. */
const RUN_SECTION = /^(?:aliases|options\.extras_require)$/;

/**
 * For each line of an ini text: whether its value belongs to a key that runs or installs something.
 * `undefined` where the key is not known (the text starts inside a value): such a line counts.
 */
export function iniRunLines(lines: readonly (string | undefined)[]): (boolean | undefined)[] {
  let section = '';
  let state: boolean | undefined;
  return lines.map((line) => {
    if (line === undefined) {
      // Lines not shown: the key and section of what follows are unknown.
      section = '';
      return (state = undefined);
    }
    if (!line.trim() || /^\s*[#;]/.test(line)) return state;
    if (/^\S/.test(line)) {
      const header = /^\[([^\]]+)\]/.exec(line);
      if (header) {
        section = header[1].trim().toLowerCase();
        return (state = false);
      }
      const key = /^([^=:]+?)\s*[=:]/.exec(line)?.[1].trim().toLowerCase();
      state = key !== undefined && section !== 'metadata' && (RUN_KEY.test(key) || RUN_SECTION.test(section));
    }
    return state;
  });
}

/** The file at both sides, for the rules that judge an added line by its key or by what the base named. */
export interface Sides {
  base?: string;
  head?: string;
}

/** A test hook's added lines are judged with both sides of the file when one of them may be network access. */
export const wantsSides = (file: AddedText): boolean =>
  TEST_HOOK_PATH.test(file.path) && file.added.some((l) => isNetwork(l.text));

/** The hosts a text's code names under keys that run (ini) or anywhere in code (other files). */
function hostsIn(text: string, ini: boolean): Set<string> {
  const lines = text.split('\n');
  const runs = ini ? iniRunLines(lines) : undefined;
  return new Set(lines.flatMap((l, i) => (runs && runs[i] === false ? [] : remoteHosts(codeOf(l)))));
}

/** The hits of one file's added lines (split into lines only for the file names these rules read). */
export function buildHits(file: AddedText, sides: Sides = {}): LineHit[] {
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
    const ini = INI_HOOK.test(path);
    // In an ini file, only values of keys that run or install count; the head tells a continuation line's key.
    let runs: (boolean | undefined)[] | undefined;
    if (ini) {
      const head = sides.head?.split('\n');
      if (head) {
        const all = iniRunLines(head);
        runs = file.added.map((l) => all[l.line - 1]);
      } else {
        // Only the added lines: a run of consecutive ones, started where its key is not shown, counts.
        const shown: (string | undefined)[] = [];
        file.added.forEach((l, i) => {
          if (i && l.line !== file.added[i - 1].line + 1) shown.push(undefined);
          shown.push(l.text);
        });
        const all = iniRunLines([undefined, ...shown]).slice(1);
        runs = all.filter((_, i) => shown[i] !== undefined);
      }
    }
    const network = file.added.filter((l, i) => isNetwork(l.text) && (!runs || runs[i] !== false));
    // A URL to a host the base version already names (in code, or under a key that runs) is not new access;
    // a network client call always is.
    const known = sides.base === undefined ? undefined : hostsIn(sides.base, ini);
    const isKnown = (l: AddedLine) => {
      const c = codeOf(l.text);
      const hosts = remoteHosts(c);
      return known !== undefined && !NETWORK_CALL.test(c) && hosts.length > 0 && hosts.every((h) => h && known.has(h));
    };
    const net = network.find((l) => !isKnown(l));
    const knownNet = net ? undefined : network[0];
    const proc = first(code(PROCESS)) ?? first(code(/\b(exec|eval)\s*\(|b64decode/));
    const at = net ?? proc ?? knownNet;
    if (at)
      hits.push({
        rule: R.BUILD_TEST_HOOK,
        line: at,
        message:
          at === knownNet
            ? `${name} gains a URL to a host its base version already names (${remoteHosts(codeOf(at.text)).join(', ')}): not new network access.`
            : `${name} gains ${net ? 'network access' : 'process or exec calls'}.`,
        evidence: short(at.text),
        severity: at === knownNet ? 'low' : undefined,
        properties: { network: Boolean(net) || at === knownNet }
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
  } else if (/\.py$/.test(name)) {
    const at = moduleLevelStart(file);
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
