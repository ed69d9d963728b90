// Code that runs without anyone calling it: setup.py commands that override
// install/develop/egg_info, process calls of setup.py and its build helpers
// (judged by what they run: a version read from git is nothing, installing
// git hooks on the builder's machine is), npm lifecycle scripts, and process or eval sinks
// newly added to an action's committed bundle (which every workflow using
// the action runs). A hook alone is ordinary (astropy installs type stubs,
// JupyterLab checks its build tools); what it runs decides the severity.
import { defineRules } from '../rules';
import { CAP, callText } from './calls';
import { type Hit } from './hit';
import { classifyHost, hostOf, isTrustedHost } from './hosts';
import { REFS } from './refs';
import type { Scan } from './scan';
import { short } from './source';

export const HOOK_RULES = defineRules({
  INSTALL_HOOK: {
    id: 'code/install-hook',
    title: 'Code that runs at install time',
    severity: 'medium',
    why: '`setup.py` commands overriding install/develop/egg_info and npm `preinstall`/`install`/`postinstall`/`prepare` scripts run on every machine that installs the package, before anyone imports it; they are where most malicious packages start (Shai-Hulud ran its worm from `preinstall`).',
    remediation:
      'Prefer declarative builds (pyproject.toml, no lifecycle scripts); if a hook is needed, keep it to local build steps and review every command it runs.',
    spec: ['S8-16'],
    references: [REFS.SHAI_HULUD, REFS.SETUP_PY, REFS.GUARDDOG]
  },
  DIST_SINK: {
    id: 'code/dist-exec-sink',
    title: "New process or eval sink in an action's bundled dist/ file",
    severity: 'high',
    why: 'A JavaScript action runs its committed `dist/` bundle as is; a new `child_process`, `exec`, `eval` or `new Function` there runs in every workflow that uses the action, with its token. tj-actions/changed-files was compromised by such an edit with no matching source change.',
    remediation:
      'Rebuild the bundle from source in CI and compare it with the commit; reject the change if the sink has no counterpart in `src/`.',
    spec: ['S8-16'],
    references: [REFS.TJ]
  }
});
const R = HOOK_RULES;

/** A command is a threat when it fetches, decodes, evaluates or hides what it runs. */
const THREAT_COMMAND =
  /\b(?:curl|wget|Invoke-WebRequest|iwr|irm|DownloadString|DownloadFile|certutil|bitsadmin)\b|\bbase64\b|\batob\b|\beval\b|\bnode\s+-e\b|\bpython\d?\s+-c\b|\|\s*(?:ba|z)?sh\b|powershell|-enc(?:odedcommand)?\b|\/tmp\/|%TEMP%|%APPDATA%|\bnohup\b|\bstart\s+\/b\b|-WindowStyle\s+Hidden|\brm\s+-rf\s+[/~]/i;
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'`]+/i;

function threatOf(text: string): string | undefined {
  const url = URL_IN_TEXT.exec(text)?.[0];
  if (url) {
    const { host, rest } = hostOf(url);
    const cls = classifyHost(host, rest);
    if (cls !== 'local' && !isTrustedHost(host)) return `contacts ${host}`;
  }
  const m = THREAT_COMMAND.exec(text);
  return m ? `runs \`${m[0].trim()}\`` : undefined;
}

const NPM_HOOK =
  /"((?:pre-?|post-?)?(?:install|uninstall|prepare)|prepublish|prepublishOnly|prepack|postpack|dependencies)"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const NPM_INSTALL_TIME = /install/;
const NPM_BENIGN =
  /^(?:npx\s+)?(?:only-allow\s+\w+|husky(?:\s+install)?|patch-package|node-gyp\s+rebuild|prebuild-install.*|ngcc.*|is-ci\s*\|\|\s*husky.*|tsc(?:\s.*)?|jlpm\s+run\s+[\w:-]+|npm\s+run\s+[\w:-]+|yarn\s+(?:run\s+)?[\w:-]+|lerna\s+bootstrap)$/;

/** npm, yarn and pnpm lifecycle scripts in a package.json. */
export function npmHookHits(s: Scan): Hit[] {
  if (s.t.kind.name !== 'package.json') return [];
  const hits: Hit[] = [];
  for (let i = 0; i < s.t.count; i++) {
    const line = s.t.line(i);
    if (!line.includes('"') || line.length > 4000) continue;
    const m = NPM_HOOK.exec(line);
    if (!m) continue;
    const [, key, command] = m;
    const threat = threatOf(command);
    const installTime = NPM_INSTALL_TIME.test(key);
    const severity = threat
      ? 'high'
      : NPM_BENIGN.test(command.trim()) || !installTime || s.mode === 'file'
        ? 'low'
        : 'medium';
    hits.push({
      rule: R.INSTALL_HOOK,
      i,
      message: `npm \`${key}\` script${threat ? ` ${threat}` : ''}: \`${short(command, 100)}\`.`,
      severity,
      properties: { hook: key }
    });
  }
  return hits;
}

const CMDCLASS = /\bcmdclass\b/;
const INSTALL_KEY = /['"](install|develop|egg_info|bdist_egg|easy_install|install_lib|install_scripts)['"]\s*:/;
const HOOK_CLASS =
  /^\s*class\s+\w+\s*\(\s*(?:[\w.]*\.)?(install|develop|egg_info|bdist_egg|easy_install|install_lib)\s*\)/;
const BENIGN_COMMAND =
  /^[[(]?\s*(?:f?['"](?:git|cmake|make|ninja|meson|pkg-config|gcc|cc|clang|nvcc|xcrun|cython|pandoc|twine|gpg|coverage|python\d?(?:\s+setup\.py|\s+-m\s+(?:pip|build|unittest|pytest|pre_commit|pycodestyle))|pip\d?\s+freeze|which|uname|sphinx-build)\b|sys\.executable\b)/;
/**
 * Commands that change the builder's machine beyond the build: git hooks (`pre-commit install`, husky,
 * `core.hooksPath`, files under `.git/hooks`), global git config, shell profiles, cron. Read from the
 * argument words, so `[sys.executable, "-m", "pre_commit", "install"]` is `pre_commit install`.
 */
const ALTERS_BUILDER =
  /\bpre[-_]commit (?:install|init-templatedir)\b|\bhusky install\b|\bcore\.hooksPath\b|\.git\/hooks\b|\bgit config (?:[^|;]*\s)?--(?:global|system)\b|\.(?:bashrc|zshrc|bash_profile|profile)\b|\bcrontab\b/;
/** The words of a call's arguments: quotes, brackets and commas dropped. */
const argWords = (args: string) =>
  args
    .replace(/[[\]()'",]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
/** An `if` that tests the command line for an install or build command (`'develop' in sys.argv`, `bdist*`). */
const ARGV_TEST =
  /^\s*(?:el)?if\b(?=.*\bsys\.argv\b)(?=.*\b(?:install|develop|bdist\w*|build\w*|sdist|egg_info|wheel)\b)/;
/** Build helpers setup.py imports or the build backend runs (Jupyter's setupbase, matplotlib's setupext, hatch and pdm hooks). */
const BUILD_HELPER = /^(?:setupbase|setupext|setup_helpers?|hatch_build|pdm_build)\.py$/;

/** The `if … sys.argv …` test enclosing line i (a less indented line above it, within 20), when there is one. */
function argvGuard(s: Scan, i: number): string | undefined {
  const indent = (l: string) => /^\s*/.exec(l)![0].length;
  let depth = indent(s.t.line(i));
  for (let k = i - 1; k >= 0 && k >= i - 20 && depth > 0; k--) {
    const line = s.t.line(k);
    if (!line.trim() || indent(line) >= depth) continue;
    depth = indent(line);
    if (ARGV_TEST.test(line)) return line.trim().replace(/:\s*$/, '');
  }
  return undefined;
}

const ALIASED =
  /^\s*from\s+(?:os|subprocess|builtins|urllib\.request|urllib2|base64|marshal|zlib|sys|tempfile)\s+import\s+.*?\b(system|popen|Popen|exec|eval|urlopen|urlretrieve|b64decode|loads|executable|check_output|check_call|NamedTemporaryFile)\s+as\s+(\w+)/;
const VERSION_EXEC =
  /\bexec\s*\(\s*(?:open\(|f\.read|fp\.read|Path\(|compile\(open|read\(|\w+\.read\(\))|\bexec\s*\(\s*f\.read/;

/**
 * setup.py: an install-time command class, and process or exec calls whose
 * arguments carry a threat (a download, a shell pipe, a hidden window).
 */
export function setupPyHits(s: Scan): Hit[] {
  if (BUILD_HELPER.test(s.t.kind.name) && s.t.kind.lang === 'python') return buildHelperHits(s);
  if (s.t.kind.name !== 'setup.py') return [];
  const hits: Hit[] = [];
  const hooks: { i: number; kind: string }[] = [];
  for (let i = 0; i < s.t.count && hooks.length < 5; i++) {
    const line = s.t.line(i);
    if (!line.includes('cmdclass') && !line.includes('class ')) continue;
    const cls = HOOK_CLASS.exec(line);
    const key = !cls && CMDCLASS.test(line) ? INSTALL_KEY.exec(s.t.span(i, i + 8)) : undefined;
    if (cls || key) hooks.push({ i, kind: (cls ?? key)![1] });
  }
  const threats: Hit[] = [];
  for (const c of s.calls) {
    if (!(c.cap & (CAP.SPAWN | CAP.EXEC | CAP.NET))) continue;
    const text = callText(s.t, c, 800);
    const args = text.slice(text.indexOf('(') + 1);
    if (c.cap & CAP.EXEC && VERSION_EXEC.test(text)) continue;
    const threat = threatOf(args);
    if (threat)
      threats.push({
        rule: R.INSTALL_HOOK,
        i: c.i,
        message: `setup.py ${threat} at install time.`,
        severity: 'high'
      });
    else if (c.cap & CAP.SPAWN && ALTERS_BUILDER.test(argWords(args))) threats.push(altersBuilder(s, c.i, args));
    else if (!(c.cap & CAP.NET) && !BENIGN_COMMAND.test(args.trim()))
      threats.push({
        rule: R.INSTALL_HOOK,
        i: c.i,
        message: `setup.py calls ${c.qual ? `${c.qual}.` : ''}${c.name}() at install time.`,
        severity: 'low'
      });
  }
  for (let i = 0; i < s.t.count; i++) {
    const alias = ALIASED.exec(s.t.line(i));
    if (alias)
      threats.push({
        rule: R.INSTALL_HOOK,
        i,
        message: `setup.py imports \`${alias[1]}\` under another name (\`${alias[2]}\`), hiding the calls that use it.`,
        severity: 'high'
      });
  }
  const threat = threats.some((h) => h.severity === 'high');
  for (const h of hooks)
    hits.push({
      rule: R.INSTALL_HOOK,
      i: h.i,
      message: `setup.py overrides the \`${h.kind}\` command${threat ? ', and install-time code contacts the network or runs hidden commands' : ''}.`,
      severity: threat ? 'high' : s.mode === 'added' ? 'medium' : 'low',
      properties: { hook: h.kind }
    });
  return [...hits, ...threats];
}

/**
 * A process call at build time that changes the builder's machine (the git hooks `pre-commit install`
 * writes into the checkout of whoever builds or installs it): medium, whatever runs it.
 */
function altersBuilder(s: Scan, i: number, args: string): Hit {
  const what = ALTERS_BUILDER.exec(argWords(args))![0];
  const guard = argvGuard(s, i);
  return {
    rule: R.INSTALL_HOOK,
    i,
    message: `${s.t.kind.name} runs \`${what}\` when the package is built or installed${guard ? ` (under \`${short(guard, 80)}\`)` : ''}: it changes the git hooks or settings of whoever builds it.`,
    severity: 'medium',
    properties: guard ? { guard } : undefined
  };
}

/**
 * Build helpers (setupbase.py, setupext.py, hatch_build.py, …) run when the package is built, but most of
 * their code is functions setup.py may or may not call: a process call there is install-time code when it
 * fetches or hides what it runs (high), changes the builder's machine (medium), or sits under a
 * `sys.argv` test for an install or build command (low, unless it is a local build step).
 */
function buildHelperHits(s: Scan): Hit[] {
  const hits: Hit[] = [];
  for (const c of s.calls) {
    if (!(c.cap & CAP.SPAWN)) continue;
    const text = callText(s.t, c, 800);
    const args = text.slice(text.indexOf('(') + 1);
    const threat = threatOf(args);
    if (threat)
      hits.push({
        rule: R.INSTALL_HOOK,
        i: c.i,
        message: `${s.t.kind.name} ${threat} at build time.`,
        severity: 'high'
      });
    else if (ALTERS_BUILDER.test(argWords(args))) hits.push(altersBuilder(s, c.i, args));
    else if (!BENIGN_COMMAND.test(args.trim())) {
      const guard = argvGuard(s, c.i);
      if (guard)
        hits.push({
          rule: R.INSTALL_HOOK,
          i: c.i,
          message: `${s.t.kind.name} calls ${c.qual ? `${c.qual}.` : ''}${c.name}() under \`${short(guard, 80)}\`, at build time.`,
          severity: 'low'
        });
    }
  }
  return hits;
}

/**
 * New exec/process sinks in an action's `dist/` bundle. A sink is new when
 * its call text (callee and the start of its arguments) is not in the file
 * as it was; without the old text every sink counts, at medium.
 */
export function distSinkHits(s: Scan): Hit[] {
  if (s.mode !== 'added' || !s.t.kind.actionDist) return [];
  const hits: Hit[] = [];
  const before = s.before?.replace(/\s+/g, ' ');
  for (const c of s.calls) {
    if (!(c.cap & (CAP.EXEC | CAP.SPAWN))) continue;
    const call = callText(s.t, c, 200).slice(0, 60).replace(/\s+/g, ' ');
    if (before?.includes(call)) continue;
    hits.push({
      rule: R.DIST_SINK,
      i: c.i,
      message: `${c.qual ? `${c.qual}.` : ''}${c.name}() is added to the bundle${s.before === undefined ? ' (the old bundle was not available to compare)' : ''}.`,
      evidence: short(call, 120),
      severity: s.before === undefined ? 'medium' : 'high'
    });
    if (hits.length >= 5) break;
  }
  return hits;
}
