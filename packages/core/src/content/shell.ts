// What a shell runs: in scripts, Dockerfiles, workflow steps, Makefiles,
// notebook `!` lines, and the command strings Python and JavaScript hand to
// subprocess/child_process. Three threats: a payload decoded by the shell and
// run (`echo … | base64 -d | bash`, at any length: tj-actions' was short), a
// download piped into an interpreter, and package-index options that let
// another server supply any package (dependency confusion).
import { defineRules } from '../rules';
import { CAP } from './calls';
import { BEHAVIOUR_RULES } from './behaviour';
import { WINDOW } from './flows';
import { type Hit } from './hit';
import { classifyHost, hostOf, isTrustedHost } from './hosts';
import { REFS } from './refs';
import { type Scan, codeLine } from './scan';
import { short } from './source';
import { argsEnd, assignedName } from './syntax';
import { parsePep508, parseUrlRequirement, type Requirement } from '../python/pep508';

export const SHELL_RULES = defineRules({
  SHELL_DECODE: {
    id: 'obfuscation/shell-decode-exec',
    title: 'Shell decodes a payload and runs it',
    severity: 'critical',
    why: '`base64 -d`, `xxd -r`, `openssl enc -d` or `gzip -d` feeding `sh`, `bash`, `eval` or `source` runs code nobody can read in the diff, whatever its length. The tj-actions/changed-files bundle ran `echo <base64> | base64 -d > /tmp/run.sh && bash /tmp/run.sh`; reviewdog/action-setup hid its payload the same way.',
    remediation: 'Decode the payload yourself to see it, then commit the plain script instead.',
    spec: ['S8-16'],
    references: [REFS.TJ, REFS.REVIEWDOG],
    pathIgnorable: false
  },
  INDEX_URL: {
    id: 'deps/index-url',
    title: 'New package index',
    severity: 'high',
    why: 'An extra or replaced index lets another server supply any package: with `--extra-index-url`, pip takes the highest version from any index, so a name registered on PyPI wins over a private one (dependency confusion, as in PyTorch’s torchtriton). Options in `run:` steps, Dockerfiles, scripts, `PIP_*`/`UV_*` variables and pip.conf/uv.toml count as much as requirement files.',
    remediation:
      'Remove the index option, or use a single `--index-url` that proxies PyPI; with uv, declare the index with `explicit = true` and map only its packages to it.',
    spec: ['S8-16'],
    references: [REFS.CONFUSION]
  },
  PLAIN_HTTP_DOWNLOAD: {
    id: 'code/plain-http-download',
    title: 'Download over plain HTTP without a checksum',
    severity: 'medium',
    why: 'A file fetched over `http://` can be replaced by anyone on the path (a hostile network, a proxy, a hijacked mirror), and a CI or build script then builds, installs or ships what it got. Without a checksum or signature check nothing notices the swap.',
    remediation:
      'Download over `https://` and verify a pinned checksum (`sha256sum -c`, `shasum -a 256 -c`, `Get-FileHash`, `hashlib`, pip `--hash`) or the publisher’s signature before using the file.',
    spec: ['S8-16']
  },
  DIRECT_URL: {
    id: 'deps/direct-url',
    title: 'Direct URL or VCS dependency',
    severity: 'medium',
    why: 'A URL or git dependency bypasses the index and can change under the same name: a branch (or no ref) installs whatever its owner pushes next. In a requirement file or in an install command of a CI step or script (`pip install git+https://…@branch`, `uv tool install --with git+…`, `pkg @ https://…`) it replaces the released package for every run.',
    remediation:
      'Depend on a released version from PyPI; if the source must be a repository, pin the full commit SHA (an archive URL: its `#sha256=` hash).',
    spec: ['S8-16']
  }
});
const R = SHELL_RULES;

const DECODE_STAGE =
  /\bbase64\s+(?:-\w+\s+)*(?:-[a-z]*d[a-z]*|--decode)\b|\bopenssl\s+(?:enc\s+|base64\s+)?(?:-\S+\s+)*?-d\b|\bxxd\s+(?:-\w+\s+)*-r|\b(?:gzip|xz|bzip2|lzma|zstd|brotli)\s+(?:-\w+\s+)*-[a-zA-Z]*d[a-zA-Z]*\b|\b(?:gunzip|zcat|unxz|xzcat|bunzip2|bzcat|uudecode)\b|\bprintf\s+['"](?:\\x[0-9a-f]{2}){4,}|\bpython\d?\s+-c\s+.{0,80}b64decode|\bperl\s+-MMIME::Base64|\btr\s+['"]?A-Za-z['"]?\s+['"]?N-ZA-Mn-za-m|FromBase64String/i;
const RUN_STAGE =
  /\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:ba|z|da|k|fi)?sh\b(?![\w.-])|\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:python\d?(?:\.\d+)?|perl|ruby|node|php|pwsh|powershell|iex|Invoke-Expression)\b|\|\s*(?:source|\.)\s+\/dev\/stdin|\beval\s+["']?\$\(|\beval\s+["']?`|\b(?:ba|z)?sh\s+-c\s+["']?\$\(|\b(?:ba|z)?sh\s+-c\s+["']?`|\b(?:bash|sh|zsh|source|\.)\s+<\(|\bIEX\b|Invoke-Expression|Start-Process/i;
const DOWNLOADER =
  /\b(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|DownloadString|DownloadFile|aria2c|certutil\s+-urlcache)\b/i;
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'`)]+|\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\/\S*/i;

/** `… > /tmp/x && bash /tmp/x`, `-o x; chmod +x x; ./x`: a file written and then run in the same command. */
function writesThenRuns(cmd: string): boolean {
  for (const m of cmd.matchAll(/(?:>{1,2}|\s-o|\s--output|\s-O)\s*['"]?([^\s'";&|]+)/g)) {
    const path = m[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const rest = cmd.slice(m.index + m[0].length);
    if (
      new RegExp(
        `(?:&&|;|\\n|\\|\\|)\\s*(?:sudo\\s+)?(?:(?:ba|z)?sh|source|\\.|python\\d?|node|perl|chmod\\s+\\S+|start|Start-Process)?\\s*['"]?(?:\\./)?${path}\\b`
      ).test(rest)
    )
      return true;
  }
  return false;
}

/** One shell command (a line, a continued line, or a string handed to a process call) checked for every threat. */
function commandHits(s: Scan, i: number, cmd: string, hits: Hit[]): void {
  const decode = DECODE_STAGE.exec(cmd);
  const fetches = !decode && DOWNLOADER.test(cmd);
  const runs = (decode || fetches) && (RUN_STAGE.test(cmd) || writesThenRuns(cmd));
  if (decode && runs) {
    hits.push({
      rule: R.SHELL_DECODE,
      i,
      message: `\`${decode[0].trim()}\` output is run by a shell or interpreter.`,
      evidence: short(cmd.trim())
    });
  } else if (runs && fetches) {
    const url = URL_IN_TEXT.exec(cmd)?.[0] ?? '';
    const { host, rest } = url.includes('://') ? hostOf(url) : { host: url.split(/[:/]/)[0], rest: '' };
    const cls = classifyHost(host, rest);
    if (cls !== 'local')
      hits.push({
        rule: BEHAVIOUR_RULES.DOWNLOAD_EXEC,
        i,
        message: `A download${host ? ` from ${host}` : ''} is piped into a shell or interpreter.`,
        evidence: short(cmd.trim()),
        // A project's own scripts on GitHub (raw files on a branch) run whatever the branch holds next: medium.
        severity:
          cls === 'exfil' || cls === 'ip' || cls === 'cheap'
            ? 'critical'
            : isTrustedHost(host)
              ? 'low'
              : /^(?:raw\.githubusercontent|github)\.com$/.test(host)
                ? 'medium'
                : 'high',
        properties: { host }
      });
  } else if (fetches && s.t.kind.shell) {
    plainHttpHits(s, i, cmd, hits);
  }
  indexHits(s, i, cmd, hits);
  if (s.t.kind.shell) installUrlHits(s, i, cmd, hits);
}

/** Where a pip, uv or pipx command starts installing: what follows are requirements and options. */
const INSTALL =
  /\b(?:pip\d?(?:\.\d+)?(?:\.exe)?\s+install|uv\s+(?:pip\s+install|add|tool\s+(?:install|run)|run)|uvx|pipx\s+(?:install|inject|run|runpip\s+\S+\s+install))\b/g;
/** Options whose value is not a requirement (an index, a requirement file, a directory, a platform…). */
const NOT_REQUIREMENT =
  /^(?:-[ifrctp]|--(?:index-url|extra-index-url|index|default-index|find-links|requirement|constraints?|trusted-host|python|target|prefix|root|cert|client-cert|proxy|cache-dir|src|upgrade-strategy|platform|python-version|implementation|abi|only-binary|no-binary|report|log|exclude-newer|index-strategy|resolution|prerelease|overrides?|config-file|directory|project|package|suffix))$/;
const URL_OR_VCS = /^(?:(?:git|hg|svn|bzr)\+)?(?:https?|ssh|git):\/\//i;
const VERSION_TAG = /^v?\d+(?:\.\d+)+(?:[.-]?[a-z]+\d*)?$/i;
const COMMIT_VARIABLE = /^(?:\$\{\{\s*github\.(?:sha|event\.pull_request\.head\.sha)\s*\}\}|\$\{?GITHUB_SHA\}?)$/;

/** The requirement a command-line argument names when it is a URL or VCS source (`git+https://…@ref`, `pkg @ https://…`). */
function urlRequirement(arg: string): Requirement | undefined {
  try {
    if (URL_OR_VCS.test(arg)) return parseUrlRequirement(arg);
    if (/^[A-Za-z0-9][\w.-]*(?:\[[^\]]*\])?\s*@\s*(?:(?:git|hg|svn|bzr)\+)?(?:https?|ssh|git):\/\//i.test(arg))
      return parsePep508(arg);
  } catch {
    // Not a requirement pip would read either.
  }
  return undefined;
}

/**
 * How far a URL or VCS requirement of an install command can move: low when pinned (a full commit, a release
 * tag, an archive with its hash or on PyPI's file host), medium when a branch, no ref or an archive anyone can
 * replace. Undefined for what is no remote source (a local host, a URL built from variables).
 */
function installUrlSeverity(req: Requirement): { severity: 'low' | 'medium'; source: string; pin: string } | undefined {
  const url = req.vcs?.url ?? req.url ?? '';
  const { host, rest } = hostOf(url.replace(/^\w+\+/, ''));
  if (!host || /[$`{]/.test(host + rest) || classifyHost(host, rest) === 'local') return undefined;
  if (req.vcs) {
    const ref = req.vcs.ref;
    if (req.vcs.commit || (ref && COMMIT_VARIABLE.test(ref)))
      return { severity: 'low', source: req.vcs.url, pin: `commit ${ref}` };
    if (ref && VERSION_TAG.test(ref)) return { severity: 'low', source: req.vcs.url, pin: `tag ${ref}` };
    return { severity: 'medium', source: req.vcs.url, pin: ref ? `branch or tag ${ref}` : 'the default branch' };
  }
  if (/#(?:.*&)?(?:sha256|sha384|sha512)=[0-9a-f]{32,}/i.test(url))
    return { severity: 'low', source: url.split('#')[0], pin: 'a hash' };
  if (/^files\.pythonhosted\.org$/.test(host)) return { severity: 'low', source: url, pin: "PyPI's file host" };
  if (/\/[0-9a-f]{40}(?:\.(?:zip|tar\.gz))?(?:$|[/?#])/i.test(rest))
    return { severity: 'low', source: url, pin: 'a commit' };
  return { severity: 'medium', source: url, pin: 'nothing' };
}

/**
 * URL and VCS requirements of pip, uv and pipx commands in shell text (`--with git+…`, `pkg @ https://…`):
 * in a change, medium unless pinned; in a tree, low (an inventory of what CI installs from outside the index).
 */
function installUrlHits(s: Scan, i: number, cmd: string, hits: Hit[]): void {
  if (!/:\/\//.test(cmd)) return;
  for (const m of cmd.matchAll(INSTALL)) {
    const tail = cmd.slice(m.index + m[0].length).split(/&&|\|\||[;|\n]/)[0];
    const args = [...tail.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((a) => a[1] ?? a[2] ?? a[3]);
    // `uv run`, `uvx`, `pipx run`: the positional arguments are the command's, only `--with`/`--from`/`--spec` install.
    const runs = /\brun$|^uvx$/.test(m[0]);
    for (let k = 0; k < args.length; k++) {
      let arg = args[k];
      if (NOT_REQUIREMENT.test(arg)) {
        k++;
        continue;
      }
      const option = /^--(?:with|spec|from|editable|with-editable)(?:=(.*))?$/.exec(arg);
      if (option) arg = option[1] ?? args[++k] ?? '';
      else if (arg.startsWith('-') || runs) continue;
      const req = urlRequirement(arg);
      if (!req) continue;
      const judged = installUrlSeverity(req);
      if (!judged) continue;
      hits.push({
        rule: R.DIRECT_URL,
        i,
        message: `\`${m[0]}\` installs ${req.vcs ? `${req.vcs.type} ${req.vcs.url}` : req.url} (pinned to ${judged.pin}) instead of a release from the index.`,
        evidence: short(arg, 200),
        // In a tree, the inventory of what CI installs from development branches (upstream `main` in
        // pre-release jobs): low. A change that adds one is the alarm.
        severity: s.mode === 'file' ? 'low' : judged.severity,
        properties: { value: judged.source }
      });
    }
  }
}

const PLAIN_HTTP = /\bhttp:\/\/[^\s"'`)<>|;]+/gi;
/** A download saved or handed on (not a request whose answer is only looked at): curl with an output or a pipe. */
const SAVES =
  /\b(?:wget|aria2c|certutil|DownloadFile|Start-BitsTransfer)\b|\b(?:Invoke-WebRequest|iwr|Invoke-RestMethod|irm)\b[^\n]*-OutFile\b|\bcurl\b[^\n]*(?:\s-[a-zA-Z]*[oO]\b|\s--output\b|\s--remote-name|>\s*[^\s&]|\|\s*(?:tar|bsdtar|gunzip|gzip|unzip|bunzip2|xz|zcat|tee)\b)/i;
/** Checksum or signature verification of a downloaded file. */
const VERIFIES =
  /\b(?:sha(?:1|224|256|384|512)sum|shasum|md5sum|b2sum|cksum|Get-FileHash|hashlib|CertUtil\s+-hashfile|gpg\s+(?:--\S+\s+)*--verify|gpgv|cosign\s+verify|minisign|openssl\s+(?:dgst|sha\d+))\b|--hash[=\s]|--checksum|EXPECTED_HASH|URL_HASH|sha256\s*[:=]/i;
/** Names that never leave the machine or the documentation: RFC 2606/6761 reserved domains. */
const RESERVED = /(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost|local|internal)$/i;
/** Where Python code is a CI or build script, whose downloads feed what is built or shipped. */
const BUILD_SCRIPT =
  /(?:^|\/)(?:setup\.py|noxfile\.py|tasks\.py|fabfile\.py)$|(?:^|\/)(?:ci|\.ci|tools|scripts|build_tools|buildscripts|build-support|devtools|continuous_integration|\.github|\.circleci|\.azure-pipelines)\//;

/** The `http://` URLs a download command fetches whose host is a real, remote name (not a variable, loopback or reserved). */
function plainHttpUrls(cmd: string): { url: string; host: string }[] {
  const out: { url: string; host: string }[] = [];
  for (const m of cmd.matchAll(PLAIN_HTTP)) {
    // A proxy is no download source.
    if (/(?:-x|--proxy|-Proxy|_proxy=|_PROXY=)\s*["']?$/.test(cmd.slice(Math.max(0, m.index - 12), m.index))) continue;
    const { host, rest } = hostOf(m[0]);
    if (!host || /[$%{}]/.test(host) || RESERVED.test(host) || classifyHost(host, rest) === 'local') continue;
    out.push({ url: m[0], host });
  }
  return out;
}

/** Is a checksum or signature verified within `WINDOW` lines of line i, in the text at hand (the added lines in a PR)? */
function verifiedNear(s: Scan, i: number): boolean {
  for (let k = Math.max(0, i - WINDOW); k <= Math.min(s.t.count - 1, i + WINDOW); k++)
    if (s.t.lineLength(k) <= 4000 && VERIFIES.test(s.t.line(k))) return true;
  return false;
}

/** A shell download from `http://`: medium, low when a checksum is verified nearby. */
function plainHttpHits(s: Scan, i: number, cmd: string, hits: Hit[]): void {
  if (!/http:\/\//i.test(cmd) || !SAVES.test(cmd)) return;
  const at = DOWNLOADER.exec(cmd)?.index ?? 0;
  for (const { url, host } of plainHttpUrls(cmd.slice(at))) {
    // The line that holds the URL: a continued command is read from each of its lines, reported once.
    let k = i;
    while (k < i + 20 && k + 1 < s.t.count && !s.t.line(k).includes(url)) k++;
    if (!s.t.line(k).includes(url)) k = i;
    const verified = verifiedNear(s, k);
    hits.push({
      rule: R.PLAIN_HTTP_DOWNLOAD,
      i: k,
      message: `\`${short(url, 100)}\` is downloaded over plain HTTP${verified ? '; a checksum or signature check follows nearby' : ', and nothing nearby verifies a checksum'}.`,
      evidence: short(url, 200),
      severity: verified ? 'low' : 'medium',
      properties: { host }
    });
  }
}

/** Python build and CI scripts: a network call (urlretrieve, urlopen, requests) on a literal `http://` URL. */
function plainHttpCallHits(s: Scan, hits: Hit[]): void {
  if (s.t.kind.lang !== 'python' || s.t.kind.test || !BUILD_SCRIPT.test(s.t.path)) return;
  for (const c of s.calls) {
    if (!(c.cap & CAP.NET)) continue;
    const text = s.t.joined.slice(c.open, argsEnd(s.t.joined, c.open, 600));
    for (const { url, host } of plainHttpUrls(text)) {
      const verified = verifiedNear(s, c.i);
      hits.push({
        rule: R.PLAIN_HTTP_DOWNLOAD,
        i: c.i,
        message: `${c.name}() fetches \`${short(url, 100)}\` over plain HTTP${verified ? '; a checksum is computed nearby' : ', and nothing nearby verifies a checksum'}.`,
        evidence: short(url, 200),
        severity: verified ? 'low' : 'medium',
        properties: { host }
      });
    }
  }
}

const INDEX_OPTION =
  /(?:^|[\s"'[,])(--extra-index-url|--index-url|--default-index|--index|--find-links|--trusted-host|-i|-f)(?:\s*=\s*|\s*["']?\s*,?\s*["']?\s+|\s+)["']?(\$\{\{[^}]*\}\}|[^\s"',\\\]]+)/g;
const INDEX_ENV =
  /\b(PIP_INDEX_URL|PIP_EXTRA_INDEX_URL|PIP_FIND_LINKS|PIP_TRUSTED_HOST|UV_INDEX_URL|UV_EXTRA_INDEX_URL|UV_INDEX|UV_DEFAULT_INDEX|UV_FIND_LINKS)\b\s*(?:[:=]|\s)\s*["']?([^\s"']+)/g;
const PIP_CONFIG =
  /\bpip\d?\s+config\s+set\s+(?:\w+\.)?(extra-index-url|index-url|find-links|trusted-host)\s+["']?([^\s"']+)/g;
const PIP_OR_UV = /\bpip\d?(?:\.exe)?\b|\buv\b|\bpip\.main\b/;

/**
 * An index the file names: PyPI itself is none; a well-known project index
 * (PyTorch, NVIDIA, scientific-python nightlies) is low; an extra index on
 * another host is high when a change adds it and medium as part of an
 * existing tree (inventory to review); an index from a variable is unknown.
 */
function indexSeverity(option: string, value: string, mode: Scan['mode']): 'low' | 'medium' | 'high' | undefined {
  if (/^\$|^\{\{|\$\{\{/.test(value)) return mode === 'added' ? 'medium' : 'low';
  // A `file:` URL is a folder on the runner (geopandas' wheel cache `file://$HOME/.cache/pip/wheels`), like a bare path.
  if (!/:\/\//.test(value) || /^file:/i.test(value))
    return /find[-_]links/i.test(option) || option === '-f' ? undefined : 'low';
  const { host, rest } = hostOf(value);
  // A host the shell fills in (`https://$HOST/simple`) is a variable's value: unknown, as a variable is.
  if (/[$`{]/.test(host)) return mode === 'added' ? 'medium' : 'low';
  if (/^(?:pypi\.org|files\.pythonhosted\.org)$/.test(host)) return undefined;
  if (classifyHost(host, rest) === 'local') return 'low';
  if (host === 'test.pypi.org') return 'medium';
  if (isTrustedHost(host)) return 'low';
  const adds =
    /extra|find-links|^-f$|trusted|FIND|EXTRA|TRUSTED/.test(option) || option === 'UV_INDEX' || option === '--index';
  return adds && mode === 'added' ? 'high' : 'medium';
}

const VARIABLE_REF =
  /^(?:\$\{\{\s*env\.([A-Za-z_]\w*)\s*\}\}|\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)|\$env:([A-Za-z_]\w*))([^$]*)$/;
const SEVERITY_ORDER = ['low', 'medium', 'high'] as const;

/**
 * The literal URLs a variable reference (`${{ env.X }}`, `$X`, `${X}`, `$env:X`, with an optional literal suffix)
 * stands for in `text`: `X: https://…` (workflow, job or step `env:`), `X=https://…` (`export`, `ENV`, `ARG`,
 * `set`, `>> $GITHUB_ENV`) and `$env:X = "https://…"`. Empty when the value is no such reference, or the text
 * defines the variable nowhere, or only from other variables, secrets or expressions (then nobody can tell).
 */
export function resolveIndexVariable(value: string, text: string): string[] {
  const ref = VARIABLE_REF.exec(value);
  if (!ref) return [];
  const name = ref[1] ?? ref[2] ?? ref[3] ?? ref[4];
  if (!text.includes(name)) return [];
  const definition = new RegExp(
    `(?:^|[\\s;&"'(])(?:export\\s+|ENV\\s+|ARG\\s+|set\\s+|\\$env:)?${name}\\s*(?::(?!:)|=)[ \\t]*["']?([a-z][a-z0-9+.-]*:\\/\\/[^\\s"'\`$]+)`,
    'gm'
  );
  const urls = new Set<string>();
  for (const m of text.matchAll(definition)) urls.add(m[1] + ref[5]);
  return [...urls];
}

/** The severity of an index option whose value is read from the file's own definitions, judged as a literal. */
function resolvedSeverity(option: string, urls: string[], mode: Scan['mode']): 'low' | 'medium' | 'high' | undefined {
  let worst = -1;
  for (const url of urls) worst = Math.max(worst, SEVERITY_ORDER.indexOf(indexSeverity(option, url, mode)!));
  return worst < 0 ? undefined : SEVERITY_ORDER[worst];
}

/**
 * A `deps/index-url` finding of a change whose value is a variable the added lines did not define, judged again
 * with the whole file (`text`, the head side): a variable defined there as a literal URL is judged as that URL.
 * Undefined when the file does not resolve it (the finding stands); `severity` undefined when the URL is PyPI.
 */
export function judgeIndexVariable(
  option: string,
  value: string,
  text: string
): { severity: 'low' | 'medium' | 'high' | undefined; urls: string[] } | undefined {
  const urls = resolveIndexVariable(value, text);
  return urls.length ? { severity: resolvedSeverity(option, urls, 'added'), urls } : undefined;
}

const INDEX_STRATEGY =
  /(UV_INDEX_STRATEGY|--index-strategy|index-strategy)["']?\s*[:=\s]\s*["']?(unsafe-(?:best|first)-match)\b/g;

/**
 * uv's `unsafe-best-match` (and `unsafe-first-match`) strategy: uv's guard against dependency confusion (take a
 * package from the first index that has it) turned off, so a name on PyPI can win over the project's index. Low:
 * it adds no source; the index it is set beside is judged by its host (nibabel sets it for the nightly wheels'
 * channel, as pip behaves by default).
 */
function strategyHit(_s: Scan, i: number, option: string, value: string): Hit {
  const best = value === 'unsafe-best-match';
  return {
    rule: R.INDEX_URL,
    i,
    message: `\`${option}=${value}\` turns off uv's first-index rule: ${best ? 'the highest version of a name on any index wins, as with pip' : 'every version of a name on any index may be chosen'}, so a package registered on PyPI can replace one of the project's own index (dependency confusion).`,
    evidence: `${option} ${value}`,
    severity: 'low',
    properties: { option, value }
  };
}

function indexHits(s: Scan, i: number, cmd: string, hits: Hit[]): void {
  if (!/index|INDEX|find-links|FIND_LINKS|trusted-host|TRUSTED_HOST|\s-[if]\s/.test(cmd)) return;
  for (const m of cmd.matchAll(INDEX_STRATEGY)) hits.push(strategyHit(s, i, m[1], m[2]));
  const pip = PIP_OR_UV.test(cmd);
  const found: [string, string][] = [];
  for (const m of cmd.matchAll(INDEX_OPTION)) {
    if ((m[1].length <= 2 || m[1] === '--index' || m[1] === '--default-index') && !pip) continue;
    if (!pip && !s.t.kind.shell) continue;
    found.push([m[1], m[2]]);
  }
  for (const m of cmd.matchAll(INDEX_ENV)) found.push([m[1], m[2]]);
  for (const m of cmd.matchAll(PIP_CONFIG)) found.push([m[1], m[2]]);
  for (const [option, value] of found) {
    // A variable the file itself sets to a literal URL is judged as that URL (numba's `-i ${{ env.WHEELS_INDEX_URL }}`).
    const urls = resolveIndexVariable(value, s.t.joined);
    const severity = urls.length ? resolvedSeverity(option, urls, s.mode) : indexSeverity(option, value, s.mode);
    if (!severity) continue;
    const shown = urls.length ? ` (${short(urls.join(', '), 120)}, set in this file)` : '';
    hits.push({
      rule: R.INDEX_URL,
      i,
      message: `\`${option} ${short(value, 80)}\`${shown} adds a package source.`,
      evidence: `${option} ${value}`,
      severity,
      properties: urls.length ? { option, value: urls[0], variable: value } : { option, value }
    });
  }
}

const CONTINUED = /\\\s*$/;
const MAGIC = /^\s*(?:!|%(?:pip|conda|system|sx|%bash|%sh|%script))/;

/** Every shell command of the file: its lines (continuations joined), notebook shell magics, process-call strings. */
export function shellHits(s: Scan): Hit[] {
  const hits: Hit[] = [];
  const t = s.t;
  if (t.kind.shell) {
    for (let i = 0; i < t.count; i++) {
      if (t.lineLength(i) > 8000) continue;
      let line = t.line(i);
      if (/^\s*#/.test(line)) continue;
      let k = i;
      while (CONTINUED.test(line) && k < i + 20 && k + 1 < t.count) line = line.replace(CONTINUED, ' ') + t.line(++k);
      commandHits(s, i, line, hits);
    }
  } else if (t.kind.lang === 'notebook') {
    for (let i = 0; i < t.count; i++) {
      if (t.lineLength(i) > 8000 || !/"\s*[!%]/.test(t.line(i))) continue;
      const code = codeLine(s, i);
      if (code && MAGIC.test(code)) commandHits(s, i, code.replace(MAGIC, ''), hits);
    }
  } else if (/(?:^|\/)(?:pip\.conf|pip\.ini|uv\.toml|pyproject\.toml)$/.test(t.path)) {
    configIndexHits(s, hits);
  }
  plainHttpCallHits(s, hits);
  for (const c of s.calls) {
    if (!(c.cap & CAP.SPAWN)) continue;
    const text = t.joined.slice(c.open, argsEnd(t.joined, c.open, 3000));
    commandHits(s, c.i, commandOf(s, c.i, text), hits);
  }
  return dedupe(hits);
}

/** The command a process call runs: its string arguments joined, plus strings assigned to names it uses. */
function commandOf(s: Scan, i: number, args: string): string {
  let cmd = args.replace(/["'`]\s*,\s*["'`]/g, ' ').replace(/\\n/g, '\n');
  const names = new Set(args.match(/\b[A-Za-z_]\w*\b/g) ?? []);
  for (let k = i - 1; k >= Math.max(0, i - WINDOW); k--) {
    if (s.t.lineLength(k) > 4000) continue;
    const line = s.t.line(k);
    const name = assignedName(line);
    if (name && names.has(name)) cmd += `\n${line.slice(line.indexOf('=') + 1)}`;
  }
  return cmd;
}

const CONFIG_LINE =
  /^\s*(extra-index-url|index-url|extra_index_url|index_url|find-links|default-index|url)\s*=\s*\[?\s*["']?([^\s"',\]]+)/;

/** pip.conf / pip.ini / uv.toml / pyproject `[tool.uv]`: index settings. */
function configIndexHits(s: Scan, hits: Hit[]): void {
  let section = '';
  for (let i = 0; i < s.t.count; i++) {
    const line = s.t.line(i);
    const head = /^\s*\[\[?([^\]]+)\]\]?/.exec(line);
    if (head) {
      section = head[1].trim();
      continue;
    }
    const strategy = /^\s*index-strategy\s*=\s*["'](unsafe-(?:best|first)-match)["']/.exec(line);
    if (strategy && (s.t.kind.name !== 'pyproject.toml' || section === 'tool.uv'))
      hits.push(strategyHit(s, i, 'index-strategy', strategy[1]));
    const m = CONFIG_LINE.exec(line);
    if (!m) continue;
    const pyproject = s.t.kind.name === 'pyproject.toml';
    if (pyproject && !/^tool\.(?:uv|pip)/.test(section)) continue;
    if (m[1] === 'url' && !/index/.test(section)) continue;
    const option = m[1] === 'url' ? `[[${section}]] url` : m[1].replace('_', '-');
    const severity = indexSeverity(
      option.includes('url') && section.includes('index') ? 'extra-index' : option,
      m[2],
      s.mode
    );
    if (severity)
      hits.push({
        rule: R.INDEX_URL,
        i,
        message: `\`${option} = ${short(m[2], 80)}\` adds a package source.`,
        evidence: `${option} ${m[2]}`,
        severity,
        properties: { option, value: m[2] }
      });
  }
}

function dedupe(hits: Hit[]): Hit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const k = `${h.rule.id}\0${h.i}\0${h.evidence ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
