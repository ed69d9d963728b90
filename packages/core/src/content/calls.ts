// The one pass every rule shares: find the calls that matter in a file's text
// without running a regex per keyword. V8 finds `(` with a native search;
// for each one the four characters before it form an integer that is looked
// up in a set built from the names below. Only the few calls that pass (a
// few per thousand lines of ordinary code) get their callee and arguments
// read and classified into capabilities.
import { argsEnd, assignedName, calleeBefore, isIdentChar } from './syntax';
import type { Lang, Text } from './source';

/** What a call can do: capabilities, combined by the rules into threats. */
export const CAP = {
  /** Runs code in-process: exec, eval, compile, new Function, vm. */
  EXEC: 1,
  /** Starts a process: subprocess, os.system, child_process. */
  SPAWN: 2,
  /** Talks to the network: requests, urllib, fetch, sockets, DNS. */
  NET: 4,
  /** Decodes data: base64, hex, rot13, decryption. */
  DECODE: 8,
  /** Decompresses or unmarshals data. */
  DECOMPRESS: 16,
  /** Builds strings from character codes. */
  CHR: 32,
  /** Reads data hidden in an image (steganography libraries). */
  IMG: 64,
  /** Imports a module by a name computed at run time. */
  IMPORT: 128,
  /** Reaches a builtin through getattr/vars/globals (name hiding). */
  INDIRECT: 256,
  /** Makes a file executable (chmod, rename to .exe). */
  CHMOD: 512,
  /** Writes a file in binary mode. */
  WRITE: 1024,
  /** Packer runtime (PyArmor). */
  PACKER: 2048,
  /** Reads a file. */
  READ: 4096,
  /** Serialises the whole environment (`json.dumps(dict(os.environ))`, `JSON.stringify(process.env)`). */
  ENV: 8192
} as const;

export interface Call {
  /** Line index in the Text. */
  i: number;
  /** Offset of the `(` in the joined text. */
  open: number;
  /** Offset where the callee starts. */
  start: number;
  name: string;
  qual: string;
  cap: number;
}

/** What the pass learns about a file as it goes: module aliases (`const x = require('https')`), names holding a request. */
export interface FileState {
  aliases: Map<string, string>;
  /** `name` was assigned the result of a network call found so far (`req = https.request(…)`). */
  isRequest(name: string): boolean;
}

type Classifier = (qual: string, lang: Lang, args: () => string, file: FileState, tail: () => string) => number;

const BUILTINS = /^(?:builtins|__builtins__|__builtin__|six\.moves\.builtins)$/;
const CHILD = /(?:^|\.)(?:child_?process|childProcess|cp|child|proc|shell|shelljs|exec|execa)$/i;
const NETQ =
  /(?:^|\.)(?:requests|httpx|session|sess|client|https?|axios|needle|got|superagent|aiohttp|urllib3|pool|http_?client|urllib\.request|urllib2|urlrequest|request|opener|Session\(\)|PoolManager\(\)|ClientSession\(\))$/i;
const SOCK = /(?:^|\.)(?:s|sock|socket|conn|connection|client|soc|sk|ws|tcp|udp)$/i;
const CODEC =
  /^\s*(?:b?['"])(?:base64|base_64|rot13|rot_13|hex|zlib|zip|bz2|uu|cp1026|cp037|cp500|punycode|unicode_escape|string_escape)['"]/i;

const py = (l: Lang) => l === 'python' || l === 'notebook';
const spawnIf =
  (re: RegExp, bare = false): Classifier =>
  (q) =>
    (bare && !q) || re.test(q) ? CAP.SPAWN : 0;
const net: Classifier = (q) => (NETQ.test(q) ? CAP.NET : 0);
const notJs =
  (cap: number): Classifier =>
  (_q, l) =>
    l === 'js' ? 0 : cap;
const always =
  (cap: number): Classifier =>
  () =>
    cap;

const OS = /^(?:os|posix|nt)$/;
const WHOLE_ENV = /^\(\s*(?:dict\s*\(\s*)?(?:os\.)?(?:environ|process\.env|process\[['"]env['"]\])\s*\)/;
const envArg: Classifier = (q, _l, args) => (/^(?:|json|JSON|pickle)$/.test(q) && WHOLE_ENV.test(args()) ? CAP.ENV : 0);
/** Members that run code, start processes or read host details, named in a computed access. */
const DANGEROUS_JS =
  'spawn|spawnSync|exec|execSync|execFile|execFileSync|fork|eval|Function|hostname|userInfo|homedir|networkInterfaces|request|get|writeFileSync|system|popen|startfile';
const MODULES = 'process|os|child_process|cp|childProcess|fs|http|https|net|dns|vm|require\\([^)]*\\)';
const DANGEROUS_MEMBER = new RegExp(`^\\(\\s*(?:${MODULES})\\s*,\\s*['"](?:${DANGEROUS_JS})['"]`);
const MODULE_ARG = new RegExp(
  `^\\(\\s*(?:${MODULES})\\s*\\)\\s*\\.\\s*(?:find|filter)\\(.{0,80}===\\s*['"](?:${DANGEROUS_JS})['"]`
);
const SUBPROCESS = /^(?:subprocess|sp|commands|sub|command)$/;

const TABLE: Record<string, Classifier> = {
  exec: (q, l) => (py(l) ? (!q || BUILTINS.test(q) ? CAP.EXEC : 0) : !q || CHILD.test(q) ? CAP.SPAWN : 0),
  eval: (q) => (!q || BUILTINS.test(q) || /^(?:window|global|globalThis|self|this)$/.test(q) ? CAP.EXEC : 0),
  execfile: always(CAP.EXEC),
  compile: (q, l) => (py(l) && (!q || BUILTINS.test(q)) ? CAP.EXEC : 0),
  Function: always(CAP.EXEC),
  runInNewContext: always(CAP.EXEC),
  runInThisContext: always(CAP.EXEC),
  runInContext: always(CAP.EXEC),
  compileFunction: always(CAP.EXEC),
  system: (q, l) => (py(l) && (!q || OS.test(q)) ? CAP.SPAWN : 0),
  popen: (q, l) => (py(l) && (!q || OS.test(q)) ? CAP.SPAWN : 0),
  Popen: always(CAP.SPAWN),
  run: spawnIf(SUBPROCESS),
  call: spawnIf(SUBPROCESS),
  check_call: spawnIf(SUBPROCESS, true),
  check_output: spawnIf(SUBPROCESS, true),
  getoutput: spawnIf(SUBPROCESS, true),
  getstatusoutput: spawnIf(SUBPROCESS, true),
  spawn: (q, l) => (py(l) ? (/^(?:pty|os|self)$/.test(q) ? CAP.SPAWN : 0) : !q || CHILD.test(q) ? CAP.SPAWN : 0),
  spawnSync: always(CAP.SPAWN),
  execSync: always(CAP.SPAWN),
  execFile: (q, l) => (py(l) ? 0 : CAP.SPAWN),
  execFileSync: always(CAP.SPAWN),
  fork: spawnIf(CHILD),
  startfile: always(CAP.SPAWN),
  ...Object.fromEntries(
    [
      'execl',
      'execle',
      'execlp',
      'execlpe',
      'execv',
      'execve',
      'execvp',
      'execvpe',
      'spawnl',
      'spawnle',
      'spawnlp',
      'spawnv',
      'spawnve',
      'spawnvp'
    ].map((n) => [n, spawnIf(OS)])
  ),
  create_subprocess_shell: always(CAP.SPAWN),
  create_subprocess_exec: always(CAP.SPAWN),
  getExecOutput: always(CAP.SPAWN),
  get: (q, _l, args) => (NETQ.test(q) ? CAP.NET : q === 'Reflect' && DANGEROUS_MEMBER.test(args()) ? CAP.INDIRECT : 0),
  head: net,
  post: net,
  put: net,
  patch: net,
  request: (q, l, args) =>
    NETQ.test(q) || (!py(l) && /^(?:https?|net)$/.test(q)) || (!q && /\b(?:url|method)\s*=/.test(args())) ? CAP.NET : 0,
  write: (q, _l, _a, f) => (f.isRequest(q) ? CAP.NET : 0),
  end: (q, _l, _a, f) => (f.isRequest(q) ? CAP.NET : 0),
  getOwnPropertyDescriptor: (_q, _l, args) => (DANGEROUS_MEMBER.test(args()) ? CAP.INDIRECT : 0),
  keys: (q, _l, _a, _f, tail) => (q === 'Object' && MODULE_ARG.test(tail()) ? CAP.INDIRECT : 0),
  entries: (q, _l, _a, _f, tail) => (q === 'Object' && MODULE_ARG.test(tail()) ? CAP.INDIRECT : 0),
  getOwnPropertyNames: (q, _l, _a, _f, tail) => (q === 'Object' && MODULE_ARG.test(tail()) ? CAP.INDIRECT : 0),
  urlopen: always(CAP.NET),
  urlretrieve: always(CAP.NET | CAP.WRITE),
  build_opener: always(CAP.NET),
  Request: (q) => (/urllib|urlrequest|request/.test(q) ? CAP.NET : 0),
  fetch: (q, l) => (!py(l) && (!q || /^(?:window|globalThis|self)$/.test(q)) ? CAP.NET : 0),
  axios: always(CAP.NET),
  connect: (q) => (SOCK.test(q) ? CAP.NET : 0),
  send: (q) => (SOCK.test(q) ? CAP.NET : 0),
  sendall: (q) => (SOCK.test(q) ? CAP.NET : 0),
  sendto: (q) => (SOCK.test(q) ? CAP.NET : 0),
  create_connection: always(CAP.NET),
  gethostbyname: always(CAP.NET),
  gethostbyname_ex: always(CAP.NET),
  getaddrinfo: always(CAP.NET),
  query: (q) => (/resolver|dns/i.test(q) ? CAP.NET : 0),
  resolve: (q) => (/resolver|dns/i.test(q) ? CAP.NET : 0),
  lookup: (q) => (/(?:^|\.)dns$/.test(q) ? CAP.NET : 0),
  sendBeacon: always(CAP.NET),
  XMLHttpRequest: always(CAP.NET),
  HTTPConnection: always(CAP.NET),
  HTTPSConnection: always(CAP.NET),
  download: (q) => (/(?:^|\.)(?:wget|gdown)$/.test(q) ? CAP.NET | CAP.WRITE : 0),
  DownloadFile: always(CAP.NET | CAP.WRITE),
  DownloadString: always(CAP.NET),
  b64decode: always(CAP.DECODE),
  standard_b64decode: always(CAP.DECODE),
  urlsafe_b64decode: always(CAP.DECODE),
  b32decode: always(CAP.DECODE),
  b16decode: always(CAP.DECODE),
  a85decode: always(CAP.DECODE),
  b85decode: always(CAP.DECODE),
  decodebytes: always(CAP.DECODE),
  decodestring: always(CAP.DECODE),
  a2b_base64: always(CAP.DECODE),
  a2b_hex: always(CAP.DECODE),
  atob: always(CAP.DECODE),
  fromhex: always(CAP.DECODE),
  unhexlify: always(CAP.DECODE),
  decrypt: always(CAP.DECODE),
  decode: (q, _l, args) => (/steg|lsb/i.test(q) ? CAP.IMG : !q || CODEC.test(args().slice(1)) ? CAP.DECODE : 0),
  from: (q, _l, args) =>
    q !== 'Buffer' ? 0 : /^\(\s*\[\s*\d/.test(args()) ? CAP.CHR : /^\([^,]+,\s*[^)\s]/.test(args()) ? CAP.DECODE : 0,
  decompress: (q) =>
    /(?:^|\.)(?:zlib|lzma|bz2|gzip|zstd|zstandard|brotli|snappy|lz4|blosc)$/.test(q) ? CAP.DECOMPRESS : 0,
  loads: (q) => (/(?:^|\.)(?:marshal|pickle|dill|cloudpickle|cPickle|_pickle)$/.test(q) ? CAP.DECOMPRESS : 0),
  inflateSync: always(CAP.DECOMPRESS),
  inflateRawSync: always(CAP.DECOMPRESS),
  gunzipSync: always(CAP.DECOMPRESS),
  unzipSync: always(CAP.DECOMPRESS),
  brotliDecompressSync: always(CAP.DECOMPRESS),
  chr: always(CAP.CHR),
  fromCharCode: always(CAP.CHR),
  reveal: (q) => (/steg|lsb|stegano/i.test(q) ? CAP.IMG : 0),
  // Python's builtins: in JavaScript these names are ordinary functions (or the text of a detector like this one).
  __import__: notJs(CAP.IMPORT),
  import_module: notJs(CAP.IMPORT),
  getattr: notJs(CAP.INDIRECT),
  __getattribute__: notJs(CAP.INDIRECT),
  vars: (_q, l, _a, _f, tail) =>
    l !== 'js' && /^\(\s*(?:__builtins__|builtins|globals\(\)\s*\[[^\]]+\])\s*\)\s*(?:\[|\.get\()/.test(tail())
      ? CAP.INDIRECT
      : 0,
  globals: (_q, l, args) => (l !== 'js' && /^\(\s*\)\s*\[/.test(args()) ? CAP.INDIRECT : 0),
  chmod: always(CAP.CHMOD),
  chmodSync: always(CAP.CHMOD),
  rename: (_q, _l, args) => (/\.(?:exe|scr|bat|cmd|vbs|ps1)\b/i.test(args()) ? CAP.CHMOD : 0),
  open: (q, l, args) =>
    !(q === '' || OS.test(q)) || !py(l)
      ? 0
      : /^\([^)]*,\s*(?:mode\s*=\s*)?['"](?:w|a)b\+?['"]/.test(args())
        ? CAP.WRITE
        : CAP.READ,
  readFileSync: always(CAP.READ),
  readFile: (q) => (/fs|promises/.test(q) ? CAP.READ : 0),
  read_text: always(CAP.READ),
  read_bytes: always(CAP.READ),
  writeFileSync: always(CAP.WRITE),
  writeFile: (q) => (/fs|promises/.test(q) ? CAP.WRITE : 0),
  __pyarmor__: always(CAP.PACKER),
  stringify: envArg,
  dumps: envArg,
  dump: envArg,
  str: envArg,
  repr: envArg,
  // Handled before the table (module aliases, computed members); listed so their keys pass the prefilter.
  require: () => 0,
  apply: () => 0,
  bind: () => 0,
  __call__: () => 0,
  map: (_q, l, args) => (py(l) && /^\(\s*chr\s*,/.test(args()) ? CAP.CHR : 0)
};

const key = (s: string, end: number) =>
  ((s.charCodeAt(end - 4) << 21) ^
    (s.charCodeAt(end - 3) << 14) ^
    (s.charCodeAt(end - 2) << 7) ^
    s.charCodeAt(end - 1)) >>>
  0;
const KEYS4 = new Set<number>();
const KEYS3 = new Set<number>();
/**
 * A first test of the three characters before a `(`, one load from a table of hashes of every name's last three:
 * most calls are of names the table does not list, and two set lookups each cost more than the search for `(`.
 */
const TAIL3 = new Uint8Array(1 << 14);
const tail3 = (k: number) => ((k >>> 14) ^ (k >>> 5) ^ k) & 0x3fff;
for (const name of Object.keys(TABLE)) {
  if (name.length >= 4) KEYS4.add(key(name, name.length));
  else KEYS3.add(key(` ${name}`, name.length + 1) & 0x1fffff);
  TAIL3[tail3(key(` ${name}`, name.length + 1) & 0x1fffff)] = 1;
}

/** The characters before offset `at` end a name the table lists (its last four, or a short name whole). */
export function listedBefore(s: string, at: number): boolean {
  const k = key(s, at);
  return TAIL3[tail3(k & 0x1fffff)] === 1 && (KEYS4.has(k) || KEYS3.has(k & 0x1fffff));
}

/** The names the table lists (for the test of listedBefore). */
export const LISTED = Object.keys(TABLE);
/** The table as a Map: a name cut from the text is looked up without being made a property key first. */
const CLASSIFIERS = new Map(Object.entries(TABLE));

const LONGEST = Math.max(...LISTED.map((n) => n.length));
/** A hash of an identifier read from its last character back, as listedName reads one. */
const backHash = (h: number, c: number) => (Math.imul(h, 31) + c) | 0;
const NAME_HASHES = new Set(LISTED.map((n) => [...n].reduceRight((h, c) => backHash(h, c.charCodeAt(0)), 0)));

/**
 * The identifier that ends at the `(` at `at` may be a name the table lists (its hash is one of theirs). Where
 * listedBefore holds (no space before the `(`), a callee calleeBefore names from the table is that identifier:
 * tested first, with no string made, it spares the callee's strings and object for the many names that only end
 * like a listed one (`series(` like `entries(`).
 */
export function listedName(s: string, at: number): boolean {
  let h = 0;
  let k = at;
  for (; k > 0 && at - k <= LONGEST; k--) {
    const c = s.charCodeAt(k - 1);
    if (!isIdentChar(c)) break;
    h = backHash(h, c);
  }
  return at - k <= LONGEST && NAME_HASHES.has(h);
}

/** Names defined rather than called (`def eval(`, `function exec(`, `.prototype.eval =`). */
const DEFINITION = /(?:\bdef|\bfunction|\bclass)\s+$/;

/** The call being classified, whose arguments its classifier reads if it needs them (two functions made once). */
const site = { s: '', at: 0 };
const argsOfSite = () => site.s.slice(site.at, argsEnd(site.s, site.at, 400));
const tailOfSite = () => site.s.slice(site.at, site.at + 200);

/** Every call in the text whose callee is in the table, classified; calls that can do nothing listed are dropped. */
export function findCalls(t: Text): Call[] {
  const s = t.joined;
  const lang = t.kind.lang;
  const out: Call[] = [];
  // The names network calls are assigned to are read when a `write(` or `end(` first asks, from the lines of the
  // network calls found before it: many files with a network call have neither.
  const netLines: number[] = [];
  const requests = new Set<string>();
  const file: FileState = {
    aliases: new Map(),
    isRequest: (name) => {
      for (const i of netLines.splice(0)) {
        const bound = assignedName(t.line(i));
        if (bound) requests.add(bound);
      }
      return requests.has(name);
    }
  };
  let at = 3;
  while ((at = s.indexOf('(', at + 1)) !== -1) {
    if (s.charCodeAt(at - 1) === 93) {
      const c = computedCall(t, at - 1, file, at);
      if (c) out.push(c);
      continue;
    }
    if (!listedBefore(s, at) || !listedName(s, at)) continue;
    const { name, start, qual: written } = calleeBefore(s, at);
    if (name === 'require' && !written) {
      noteRequire(s, start, at, file);
      continue;
    }
    if (
      (name === 'call' || name === 'apply' || name === 'bind' || name === '__call__') &&
      s.charCodeAt(start - 1) === 93
    ) {
      const c = computedCall(t, start - 1, file, at);
      if (c) out.push(c);
      continue;
    }
    const classify = CLASSIFIERS.get(name);
    if (!classify) continue;
    if (DEFINITION.test(s.slice(Math.max(0, start - 10), start))) continue;
    const dot = written.indexOf('.');
    const base = dot < 0 ? written : written.slice(0, dot);
    // `require('https').get(…)`, `__import__('builtins').exec(…)`: the expression is the module it imports.
    const required =
      written === '(expr)'
        ? /(?:require|__import__|import_module)\(\s*['"](?:node:)?([\w./-]+)['"]\s*\)\s*$/.exec(
            s.slice(Math.max(0, start - 60), start)
          )?.[1]
        : undefined;
    const qual = required ?? (file.aliases.has(base) ? file.aliases.get(base)! + written.slice(base.length) : written);
    site.s = s;
    site.at = at;
    const cap = classify(qual, lang, argsOfSite, file, tailOfSite);
    if (!cap) continue;
    const i = t.indexAt(at);
    out.push({ i, open: at, start, name, qual, cap });
    if (cap & CAP.NET) netLines.push(i);
  }
  site.s = ''; // not to hold the text
  return out;
}

const REQUIRE = /(?:const|let|var)?\s*([A-Za-z_$][\w$]*)\s*=\s*$/;

/** `const x = require('https')`: later `x.request(...)` is `https.request(...)`. */
function noteRequire(s: string, start: number, open: number, file: FileState): void {
  const mod = /^\(\s*['"](?:node:)?([\w/-]+)['"]\s*\)/.exec(s.slice(open, open + 60))?.[1];
  const name = REQUIRE.exec(s.slice(Math.max(0, start - 60), start))?.[1];
  if (mod && name) file.aliases.set(name, mod);
}

const DANGEROUS_PY =
  'exec|eval|compile|system|popen|startfile|spawn\\w*|exec[lv]\\w*|Popen|check_output|getoutput|urlopen|urlretrieve|b64decode|loads|__import__|getattr';
const PY_MODULE = /(?:^|\.)(?:os|builtins|__builtins__|subprocess|posix|nt)$|\)$/;
const GLOBAL_OBJECT = /^(?:global|globalThis|window|self|this)$/;
const MODULE_OBJECT = new RegExp(`^(?:${MODULES})$`);
const PLAIN_IDENT = /^[A-Za-z_$][\w$]*$/;
const SAFE_LITERAL = /^(['"])[\w$.-]*\1$/;
const HIDING = /['"`]\s*\+|\+\s*['"`]|\\x|\\u|\w\(|fromCharCode|Buffer|atob/;

/**
 * `process['sp' + 'awn'](…)`, `os[str]()`, `self[k(i)](url)`: a member of a
 * module or of the global object called through a computed name.
 */
function computedCall(t: Text, close: number, file: FileState, open: number): Call | undefined {
  const s = t.joined;
  let depth = 0;
  let k = close;
  for (; k > 0 && close - k < 300; k--) {
    const c = s.charCodeAt(k);
    if (c === 93) depth++;
    else if (c === 91 && --depth === 0) break;
  }
  if (depth !== 0) return undefined;
  const expr = s.slice(k + 1, close).trim();
  const { name: objName, qual: objQual, start } = calleeBefore(s, k);
  if (t.kind.lang === 'python') {
    // `os.__dict__["system"](…)`: a module's namespace indexed with a dangerous name.
    if (objName !== '__dict__' || !PY_MODULE.test(objQual) || !new RegExp(`^['"](?:${DANGEROUS_PY})['"]$`).test(expr))
      return undefined;
    return { i: t.indexAt(open), open, start, name: `[${expr}]`, qual: `${objQual}.__dict__`, cap: CAP.INDIRECT };
  }
  let obj = objQual ? `${objQual}.${objName}` : objName;
  if (file.aliases.has(obj)) obj = file.aliases.get(obj)!;
  const moduleObj = MODULE_OBJECT.test(obj);
  if (!moduleObj && !GLOBAL_OBJECT.test(obj)) return undefined;
  const literal = SAFE_LITERAL.test(expr);
  const dangerousLiteral = literal && new RegExp(`^['"](?:${DANGEROUS_JS})['"]$`).test(expr);
  const hidden = !literal && (HIDING.test(expr) || (moduleObj && PLAIN_IDENT.test(expr)));
  if (!dangerousLiteral && !hidden) return undefined;
  return { i: t.indexAt(open), open, start, name: `[${expr.slice(0, 40)}]`, qual: obj, cap: CAP.INDIRECT };
}

/** The text of a call from its callee to its closing parenthesis (bounded). */
export function callText(t: Text, c: Call, max = 2000): string {
  return t.joined.slice(c.start, argsEnd(t.joined, c.open, max));
}
