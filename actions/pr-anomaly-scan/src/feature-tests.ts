// Configure-time feature tests, base against head: CMake check_* and
// try_compile calls, autoconf AC_*_IFELSE / AC_TRY_* programs, meson
// compiler checks. Each test decides whether a feature is built; one that
// stops compiling turns the feature off without an error (xz's Landlock
// sandbox, February 2024). A test whose program changed is reported with the
// lines that changed and the feature it gates; a program that is not valid C
// any more is high.
import { type Finding, createFinding } from '@security-actions/core';
import { short } from './lines';
import { RULES as R } from './rules';

export const FEATURE_TEST_FILE = /(^|\/)(CMakeLists\.txt|[^/]+\.cmake|configure\.(ac|in)|[^/]+\.m4|meson\.build)$/;

interface FeatureTest {
  /** The macro or method as written (`check_c_source_compiles`, `AC_COMPILE_IFELSE`, `cc.compiles`). */
  macro: string;
  /** What the test sets: its result variable, AC_DEFINE name, cache variable or `name:`. */
  feature: string;
  /** The test program (or header, symbol) as the compiler sees it. */
  program: string;
  line: number;
}

const CMAKE =
  /\b(check_(?:c|cxx|fortran)?_?source_(?:compiles|runs)|check_(?:cxx_)?symbol_exists|check_include_files?|check_function_exists|check_struct_has_member|check_type_size|check_prototype_definition|try_compile|try_run)\s*\(/gi;
const AUTOCONF = /\b(AC_(?:COMPILE|LINK|RUN|PREPROC)_IFELSE|AC_TRY_(?:COMPILE|LINK|RUN|CPP))\s*\(/g;
const MESON =
  /\b(\w+\.(?:compiles|links|run|has_header|check_header|has_function|has_header_symbol|has_member|has_members|has_type))\s*\(/g;

/** The text from `open` (just after the opening parenthesis) to its matching `)`, skipping quotes and m4 brackets. */
function argsAt(text: string, open: number, m4: boolean): string | undefined {
  let depth = 1;
  let bracket = 0;
  for (let i = open; i < text.length && i < open + 20_000; i++) {
    const c = text[i];
    if (m4) {
      if (c === '[') bracket++;
      else if (c === ']') bracket = Math.max(0, bracket - 1);
      else if (!bracket && c === '(') depth++;
      else if (!bracket && c === ')' && --depth === 0) return text.slice(open, i);
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const end = triple ? text.indexOf(c.repeat(3), i + 3) : closingQuote(text, i);
      if (end < 0) return undefined;
      i = triple ? end + 2 : end;
    } else if (c === '#' && !m4) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(open, i);
  }
  return undefined;
}

function closingQuote(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[at]) return i;
  }
  return -1;
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/** The first quoted string of CMake or meson arguments, unescaped, and what follows it. */
function firstString(args: string): { value: string; rest: string } | undefined {
  const m = /^\s*(?:SOURCE\s+)?("""|'''|"|')/.exec(args);
  if (!m) return undefined;
  const q = m[1];
  const start = m[0].length;
  const end = q.length === 3 ? args.indexOf(q, start) : closingQuote(args, start - 1);
  if (end < 0) return undefined;
  return { value: args.slice(start, end).replace(/\\(["'\\])/g, '$1'), rest: args.slice(end + q.length) };
}

/** Every feature test of a file, by the language the file name says. */
export function featureTests(path: string, text: string): FeatureTest[] {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const out: FeatureTest[] = [];
  const m4 = /^configure\.(ac|in)$|\.m4$/.test(name);
  const re = m4 ? AUTOCONF : name === 'meson.build' ? MESON : CMAKE;
  for (const m of text.matchAll(re)) {
    const open = m.index + m[0].length;
    const args = argsAt(text, open, m4);
    if (args === undefined) continue;
    const line = lineAt(text, m.index);
    const test = m4 ? autoconfTest(m[1], args, text, m.index) : cmakeOrMeson(m[1], args, name === 'meson.build');
    if (test) out.push({ ...test, macro: m[1], line });
  }
  return out;
}

function cmakeOrMeson(macro: string, args: string, meson: boolean): Omit<FeatureTest, 'macro' | 'line'> | undefined {
  if (meson) {
    const s = firstString(args);
    const name = /\bname\s*:\s*['"]([^'"]+)['"]/.exec(args)?.[1];
    return { feature: name ?? s?.value.slice(0, 60) ?? args.slice(0, 60), program: s?.value ?? args };
  }
  if (/source_(compiles|runs)$/i.test(macro)) {
    const s = firstString(args);
    const variable = s ? /^\s*(\w+)/.exec(s.rest)?.[1] : /\S+\s+(\w+)/.exec(args)?.[1];
    return variable ? { feature: variable, program: s?.value ?? args } : undefined;
  }
  const words = args.trim().split(/\s+/);
  // try_compile(RESULT ...), check_include_file(header VAR), check_symbol_exists(symbol headers VAR), ...
  const feature = /^try_(compile|run)$/i.test(macro) ? words[0] : words[words.length - 1];
  return feature ? { feature, program: args.replace(/\s+/g, ' ').trim() } : undefined;
}

/** Arguments of an m4 macro call, split at top-level commas (outside m4 quotes and parentheses). */
function m4Args(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let bracket = 0;
  let from = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (c === '[') bracket++;
    else if (c === ']') bracket = Math.max(0, bracket - 1);
    else if (!bracket && c === '(') depth++;
    else if (!bracket && c === ')') depth--;
    else if (!bracket && !depth && c === ',') {
      out.push(args.slice(from, i));
      from = i + 1;
    }
  }
  return [...out, args.slice(from)];
}

/** The C text of an m4 argument: its `[[...]]` blocks (AC_LANG_PROGRAM's prologue and body), or the argument unquoted. */
function m4Program(arg: string): string {
  const blocks = arg.match(/\[\[[\s\S]*?\]\]/g);
  if (blocks) return blocks.map((b) => b.slice(2, -2)).join('\n');
  return arg
    .trim()
    .replace(/^\[([\s\S]*)\]$/, '$1')
    .replace(/^AC_LANG_\w+\s*\(([\s\S]*)\)$/, '$1');
}

/** The program of an autoconf test (AC_LANG_PROGRAM's prologue and body, AC_LANG_SOURCE, or AC_TRY_*'s). */
function autoconfTest(
  macro: string,
  args: string,
  text: string,
  at: number
): Omit<FeatureTest, 'macro' | 'line'> | undefined {
  const parts = m4Args(args);
  const program = (/^AC_TRY_/.test(macro) ? parts.slice(0, 2) : parts.slice(0, 1)).map(m4Program).join('\n');
  const define = /AC_DEFINE(?:_UNQUOTED)?\s*\(\s*\[?(\w+)/.exec(args)?.[1];
  // The enclosing cache check or the message printed before the test, within the 30 lines above it.
  const before = text
    .slice(Math.max(0, text.lastIndexOf('\n', at - 1) - 3000), at)
    .split('\n')
    .slice(-30)
    .join('\n');
  const cache = [...before.matchAll(/AC_CACHE_CHECK\s*\(\s*\[[^\]]*\]\s*,\s*\[?(\w+)/g)].pop()?.[1];
  const message = [...before.matchAll(/AC_MSG_CHECKING\s*\(\s*\[([^\]]+)\]/g)].pop()?.[1];
  const feature = define ?? cache ?? message;
  return program && feature ? { feature, program } : undefined;
}

const SECURITY =
  /sandbox|landlock|seccomp|capsicum|pledge|unveil|fortify|stack.?protector|stack.?clash|cf.?protection|\bcet\b|relro|\bpie\b|sanitiz|secure_getenv|getrandom|arc4random|explicit_bzero|memset_s|mlock|prctl|setuid|chroot|privsep|\bssl\b|\btls\b|crypt|verify|signature|harden|no_new_privs/i;

/** Why a C/C++ test program cannot compile, if a cheap look can tell: a character C has no use for, or brackets that do not balance. */
export function notC(program: string): string | undefined {
  const lines = program.split('\n');
  // Comments, string and character literals, and preprocessor lines say nothing about the syntax here.
  const code = lines
    .map((l) => (/^\s*#/.test(l) ? '' : l))
    .join('\n')
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ')
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '0');
  const stray = /[@`]/.exec(code);
  if (stray) return `\`${stray[0]}\` on line ${lineAt(code, stray.index)} of the test program is not C`;
  for (const m of code.matchAll(/\./g)) {
    const i = m.index;
    if (code[i + 1] === '.' || code[i - 1] === '.' || /\d/.test(code[i + 1] ?? '') || /\d/.test(code[i - 1] ?? ''))
      continue;
    const prev = /\S(?=\s*$)/.exec(code.slice(Math.max(0, i - 200), i))?.[0] ?? '';
    const next = /^\s*(\S)/.exec(code.slice(i + 1, i + 200))?.[1] ?? '';
    if (/[\w)\]]/.test(prev) && /[A-Za-z_]/.test(next)) continue;
    const n = lineAt(code, i);
    return `line ${n} of the test program, \`${short(lines[n - 1].trim(), 40)}\`, is not C`;
  }
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  const stack: string[] = [];
  for (const c of code) {
    if (c === '(' || c === '{' || c === '[') stack.push(c);
    else if (pairs[c] && stack.pop() !== pairs[c]) return `the brackets of the test program do not balance (\`${c}\`)`;
  }
  return stack.length ? `the brackets of the test program do not balance (\`${stack.pop()}\` left open)` : undefined;
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();
const C_PROGRAM = /source_(compiles|runs)|IFELSE|AC_TRY_|\.(compiles|links|run)$/i;

/** The lines of `after` that `before` does not have, for the message (at most three). */
function changedLines(before: string | undefined, after: string): string[] {
  const old = new Set((before ?? '').split('\n').map((l) => l.trim()));
  return after
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !old.has(l))
    .slice(0, 3);
}

/** A readable name of what a result variable gates: `HAVE_LINUX_LANDLOCK` → `linux landlock`. */
const featureWords = (v: string) =>
  v
    .replace(/^(HAVE|ENABLE|USE|WITH|HAS)_/i, '')
    .replace(/_H$/i, ' header')
    .replace(/_/g, ' ')
    .toLowerCase();

export function featureTestFindings(file: string, baseText: string | undefined, headText: string): Finding[] {
  const base = new Map<string, FeatureTest>();
  for (const t of baseText === undefined ? [] : featureTests(file, baseText)) base.set(`${t.macro}\0${t.feature}`, t);
  const baseByFeature = new Map([...base.values()].map((t) => [t.feature, t]));
  const out: Finding[] = [];
  for (const t of featureTests(file, headText)) {
    // The same feature tested another way (xz replaced check_include_file with check_c_source_compiles) is a change too.
    const old = base.get(`${t.macro}\0${t.feature}`) ?? baseByFeature.get(t.feature);
    if (old && normalise(old.program) === normalise(t.program)) continue;
    const broken = C_PROGRAM.test(t.macro) ? notC(t.program) : undefined;
    const brokeNow = broken && !(old && C_PROGRAM.test(old.macro) && notC(old.program));
    const security = SECURITY.test(t.feature) || SECURITY.test(t.program);
    const gates = `\`${t.feature}\`${/^[A-Z0-9_]+$/.test(t.feature) ? ` (${featureWords(t.feature)})` : ''}`;
    const added = old ? changedLines(old.program, t.program) : [];
    out.push(
      createFinding(R.BUILD_FEATURE_TEST, {
        message: `${old ? 'The' : 'A new'} \`${t.macro}\` test for ${gates}${old ? ' changes' : ''}${
          added.length ? `: ${added.map((l) => `+ \`${short(l, 60)}\``).join(', ')}` : ''
        }. ${
          brokeNow
            ? `${broken[0].toUpperCase()}${broken.slice(1)}: the test cannot compile, so ${gates} is never set and the feature is silently left out of every build.`
            : `If the test stops compiling, ${gates} is silently left out${security ? ' (a security feature)' : ''}.`
        }`,
        location: { file, line: t.line },
        evidence: short(
          `${old ? `before: ${normalise(old.program).slice(0, 70)} → ` : ''}after: ${normalise(t.program)}`,
          240
        ),
        severity: brokeNow ? 'high' : security ? 'medium' : 'low',
        confidence: brokeNow ? 'high' : 'medium',
        key: `${t.macro} ${t.feature}`,
        properties: { feature: t.feature, before: old?.program.slice(0, 2000), after: t.program.slice(0, 2000) }
      })
    );
  }
  return out;
}
