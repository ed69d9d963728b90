// What malicious packages do once they run, at the level of GuardDog's
// source-code rules: run what they download, send out environment variables,
// credentials or host details, talk to paste sites and tunnels, start hidden
// processes, and execute code read out of an image. Every rule pairs a
// capability with a threat; a capability alone (a download, a subprocess, an
// exec) is ordinary scientific code and raises nothing.
import { defineRules } from '../rules';
import { CAP, type Call, callText } from './calls';
import { WINDOW, sourcesOf } from './flows';
import { type Hit } from './hit';
import { Literals } from '../literals';
import { type HostClass, classifyHost, hostOf, isPublicResolver } from './hosts';
import { REFS } from './refs';
import { type Scan, codeLine, inComment, near } from './scan';
import { assignedName, argsEnd, atModuleLevel, isIdentChar } from './syntax';

export const BEHAVIOUR_RULES = defineRules({
  DOWNLOAD_EXEC: {
    id: 'code/download-exec',
    title: 'Downloaded code is executed',
    severity: 'critical',
    why: 'Running what a URL serves (exec of a response, `curl | sh`, a downloaded file made executable and started) lets whoever controls that URL run anything, now or later; it is how most malicious packages fetch their second stage.',
    remediation:
      'Vendor the code, or download a pinned release and verify its checksum before running it; never pipe a download into an interpreter.',
    spec: ['S8-16'],
    references: [REFS.TJ, REFS.GUARDDOG]
  },
  EXFILTRATION: {
    id: 'code/exfiltration',
    title: 'Environment, credentials or host details sent over the network',
    severity: 'high',
    why: 'Code that reads environment variables, credential files (~/.ssh, ~/.aws, .npmrc, .pypirc, browser stores) or host details and sends them to a server is stealing them: CI secrets and tokens live there.',
    remediation:
      'Remove the code and rotate every secret the environment held where it ran; telemetry, if any, must be opt-in and send no environment.',
    spec: ['S6-7', 'S8-16'],
    references: [REFS.GHOST, REFS.GUARDDOG]
  },
  SHADY_LINK: {
    id: 'code/shady-link',
    title: 'URL of a paste site, webhook, tunnel or raw IP in code',
    severity: 'medium',
    why: 'Paste sites, request bins, tunnels (ngrok, trycloudflare), Discord and Telegram bot endpoints, dynamic DNS and raw IP addresses are where malware sends stolen data or fetches payloads; real projects use their own domains. URLs in comments and docstrings are not counted.',
    remediation: 'Replace the URL with the project’s own, documented endpoint, or remove the code.',
    spec: ['S8-16'],
    references: [REFS.GHOST, REFS.GUARDDOG]
  },
  SILENT_PROCESS: {
    id: 'code/silent-process',
    title: 'Process started hidden and detached',
    severity: 'medium',
    why: 'A process whose output goes to /dev/null and which outlives its parent (start_new_session, detached, nohup … &, hidden window) is how droppers keep running unseen; at import time or in an install hook it runs on every user.',
    remediation: 'Start processes in the foreground with visible output, from an explicit function, never at import.',
    spec: ['S8-16'],
    references: [REFS.SHAI_HULUD, REFS.GUARDDOG]
  },
  STEGANOGRAPHY: {
    id: 'code/steganography',
    title: 'Code read out of an image is executed',
    severity: 'critical',
    why: 'Executing data decoded from an image (LSB steganography libraries, a downloaded PNG) hides the payload in a file nobody reads as code.',
    remediation: 'Remove the code; there is no honest reason to execute the content of an image.',
    spec: ['S8-16'],
    references: [REFS.GUARDDOG]
  }
});
const R = BEHAVIOUR_RULES;

/** Exec and process sinks fed by a download or an image; downloads written, made executable and run. */
export function downloadHits(s: Scan): Hit[] {
  const hits: Hit[] = [];
  for (const c of s.calls) {
    if (!(c.cap & (CAP.EXEC | CAP.SPAWN))) continue;
    const src = sourcesOf(s, c);
    const image = src.find((x) => x.kind === 'image');
    const net = src.find((x) => x.kind === 'network');
    if (image)
      hits.push({
        rule: R.STEGANOGRAPHY,
        i: c.i,
        message: `${c.name}() runs data read from an image (line ${s.t.lineNo(image.i)}).`
      });
    else if (net)
      hits.push({
        rule: R.DOWNLOAD_EXEC,
        i: c.i,
        message: `${c.name}() runs what a network call returns (line ${s.t.lineNo(net.i)}).`,
        severity: net.via === 'arg' ? 'critical' : 'high'
      });
  }
  // Download → file → chmod/run: the file write is the line reviewers must see.
  for (const w of s.calls) {
    if (!(w.cap & CAP.WRITE)) continue;
    const fetched = w.cap & CAP.NET || near(s.calls, w.i, 15, CAP.NET).some((n) => n.i <= w.i);
    if (!fetched) continue;
    const paths = firstArgs(callText(s.t, w, 300));
    const run = s.calls.find(
      (c) =>
        c.i >= w.i &&
        c.i <= w.i + 15 &&
        c !== w &&
        c.cap & (CAP.CHMOD | CAP.SPAWN) &&
        runsPath(callText(s.t, c, 300), paths, c)
    );
    if (run)
      hits.push({
        rule: R.DOWNLOAD_EXEC,
        i: w.i,
        message: `A download is written to a file that line ${s.t.lineNo(run.i)} ${run.cap & CAP.CHMOD ? 'makes executable' : 'runs'}.`,
        severity: 'high'
      });
  }
  return hits;
}

/** The first two arguments of a call (a file write names its path in one of them). */
function firstArgs(text: string): string[] {
  const m = /\(\s*([^,()]{1,100}?)\s*(?:,\s*([^,()]{1,100}?)\s*)?[,)]/.exec(text);
  return m
    ? [m[1], m[2]].filter((a): a is string => !!a && a.length > 1 && !/^\w+\s*=/.test(a) && !/:\/\//.test(a))
    : [];
}

const RUN_VERB = /(?:chmod|start|sh|bash|python\d?|node|powershell|cmd\s*\/c|Start-Process)\s+[^"'\]]*$/;

/** The call runs (or makes executable) one of the paths: as its command, or after chmod/start/sh. */
function runsPath(text: string, paths: string[], c: Call): boolean {
  if (c.cap & CAP.CHMOD) return !paths.length || paths.some((p) => text.includes(p.replace(/^f?['"]|['"]$/g, '')));
  const args = text.slice(text.indexOf('(') + 1);
  for (const raw of paths) {
    const p = raw.replace(/^f?['"]|['"]$/g, '');
    const at = args.indexOf(p);
    if (at < 0) continue;
    const before = args.slice(0, at);
    if (/^\s*(?:\[\s*)?f?['"]?\s*(?:\.\/|\{)?$/.test(before) || RUN_VERB.test(before)) return true;
  }
  return false;
}

// Sensitive sources, matched on the few lines a network call's window holds.
const ENV_ALL =
  /\b(?:os\.)?environ(?:\.(?:items|copy|keys|values)\(\))?(?=\s*(?:[,)}\]]|$))|\bprocess(?:\.env|\[['"]env['"]\])(?=\s*(?:[,)}\]]|$))|\bObject\.(?:keys|entries|values|assign)\([^)]*process\.env|\.\.\.process\.env\b/;
const SECRET_ENV =
  /(?:getenv|environ\.get|environ\[|process\.env\.|process\.env\[|ENV\[)\s*\(?\s*['"]?([A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL|SESSION)[A-Z0-9_]*)/;
const CREDENTIALS =
  /\.ssh\/|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|\.aws\/(?:credentials|config)|\.npmrc\b|\.pypirc\b|\.netrc\b|\.git-credentials|\.docker\/config\.json|\.kube\/config|\/etc\/(?:passwd|shadow)\b|Login Data|Local State|Web Data|key4\.db|logins\.json|Local Storage[\\/]+leveldb|browser_cookie3|[\\/]Cookies['"]|\.config\/gcloud|wallet\.dat|\.bash_history|\.zsh_history/;
const HOST_INFO =
  /\b(?:getuser|getlogin|gethostname|userInfo|homedir|networkInterfaces|getfqdn|getcwd)\s*\(|\b(?:platform\.(?:node|uname)|os\.(?:uname|hostname))\s*\(|\bwhoami\b/;
const AUTH_PARTS =
  /\b(?:headers|auth)\s*[=:]\s*(?:\{[^{}]*\}|\([^()]*\)|\[[^[\]]*\]|[\w.]+)|['"]?Authorization['"]?\s*:\s*[^,}]+/gi;
const DNS_CALL = /^(?:gethostbyname|gethostbyname_ex|getaddrinfo|query|resolve|lookup)$/;
const DATA_IN_DOMAIN =
  /\{[^}]+\}\.[a-z0-9-]+\.[a-z]{2,}|\+\s*['"]\.[a-z0-9-]+\.[a-z]{2,}['"]|\$\{[^}]+\}\.[a-z0-9-]+\.[a-z]{2,}/i;
const AUTH_CONTEXT = /headers|authorization|auth\s*=|bearer|token\s+\{|['"]token\s/i;

type Sensitive = 'credentials' | 'secret' | 'environment' | 'host';

/** What every match of the four expressions above holds: most lines hold none, and one pass tells. */
export const SOURCE_LITERALS = new Literals([
  ...['environ', 'process.env', "process['env']", 'process["env"]', 'getenv', 'ENV['],
  ...['.ssh/', 'id_', '.aws/', '.npmrc', '.pypirc', '.netrc', '.git-credentials', '.docker/', '.kube/', '/etc/'],
  ...['Login Data', 'Local State', 'Web Data', 'key4.db', 'logins.json', 'Local Storage', 'browser_cookie3'],
  ...['Cookies', '.config/gcloud', 'wallet.dat', '.bash_history', '.zsh_history'],
  ...['getuser', 'getlogin', 'gethostname', 'userInfo', 'homedir', 'networkInterfaces', 'getfqdn', 'getcwd'],
  ...['platform.node', 'platform.uname', 'os.uname', 'os.hostname', 'whoami']
]);
function sensitiveIn(text: string): Sensitive | undefined {
  if (!SOURCE_LITERALS.in(text)) return undefined;
  if (CREDENTIALS.test(text)) return 'credentials';
  const secret = SECRET_ENV.exec(text);
  if (secret && !AUTH_CONTEXT.test(text)) return 'secret';
  if (ENV_ALL.test(text)) return 'environment';
  if (HOST_INFO.test(text)) return 'host';
  return undefined;
}

/** A network call whose payload, URL or DNS name carries environment, secrets, credentials or host details. */
/** A call whose first argument is a literal path on the client's own host (`"/api/x"`, not `"//host/x"`). */
const RELATIVE_REQUEST = /^[^(]*\(\s*[rRfFbBuU]?["'`]\/(?!\/)/;

export function exfiltrationHits(s: Scan): Hit[] {
  const hits: Hit[] = [];
  const sends = s.calls.filter((c) => c.cap & CAP.NET);
  for (const c of sends) {
    // Credentials handed to the service they authenticate to (headers, auth=) are not exfiltration.
    const stmt = callText(s.t, c, 1500).replace(AUTH_PARTS, '');
    const dns = DNS_CALL.test(c.name);
    // A DNS lookup leaks data only inside a name under someone's domain (`f"{key}.evil.com"`), not the host's own name.
    if (dns && !DATA_IN_DOMAIN.test(stmt)) continue;
    let what = sensitiveIn(stmt);
    let from = c.i;
    if (!what) {
      const tainted = taintBefore(s, c);
      for (const [name, t] of tainted)
        if (mentions(stmt.slice(stmt.indexOf('(')), name)) {
          what = t.what;
          from = t.i;
          break;
        }
    }
    if (!what || (what === 'host' && /^(?:connect|create_connection)$/.test(c.name))) continue;
    const url = /[a-z]+:\/\/[^\s"'`]+/i.exec(stmt)?.[0];
    const host = url ? classifyHost(hostOf(url).host, hostOf(url).rest) : 'other';
    if (host === 'local') continue;
    // A request to a literal path (`client.post("/oauth2/token", …)`) goes to the service its client was made for,
    // as a credential does when it authenticates there (jupyterhub's OAuth example service); a payload names a host.
    const ownService = !url && RELATIVE_REQUEST.test(stmt);
    const serious = what !== 'host' || host === 'exfil' || host === 'ip';
    hits.push({
      rule: R.EXFILTRATION,
      i: c.i,
      message: `${c.qual ? `${c.qual}.` : ''}${c.name}() sends ${what === 'host' ? 'host details (user, host name)' : what === 'environment' ? 'the whole environment' : what === 'secret' ? 'a secret environment variable' : 'credential files'}${from !== c.i ? ` read on line ${s.t.lineNo(from)}` : ''}${ownService ? ', to a path of the service its client was made for' : ''}.`,
      severity: ownService
        ? 'low'
        : what === 'credentials' || what === 'secret'
          ? 'critical'
          : serious
            ? 'high'
            : 'medium',
      properties: { data: what, host: ownService ? 'client' : host }
    });
  }
  if (!sends.length) {
    // The whole environment serialised, or a credential store opened, with no send in sight: threat signals, weak alone.
    for (const c of s.calls) {
      if (!(c.cap & CAP.READ)) continue;
      const text = callText(s.t, c, 400);
      if (CREDENTIALS.test(text) || CREDENTIALS.test(s.t.line(c.i)))
        hits.push({
          rule: R.EXFILTRATION,
          i: c.i,
          message: 'A credential file or browser store is read.',
          severity: 'low'
        });
    }
    for (const c of s.calls)
      if (c.cap & CAP.ENV && codeLine(s, c.i) !== undefined)
        hits.push({ rule: R.EXFILTRATION, i: c.i, message: 'The whole environment is serialised.', severity: 'low' });
  }
  return hits;
}

/** `text` uses the identifier `name` (JavaScript names may hold `$`, which a regex would read as an anchor). */
function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = text.charCodeAt(at - 1);
    const after = text.charCodeAt(at + name.length);
    if (!isIdentChar(before) && !isIdentChar(after)) return true;
  }
  return false;
}

// What each code line of a scan holds, computed once: the windows of neighbouring calls overlap.
const lineSources = new WeakMap<Scan, Map<number, Sensitive | undefined>>();
function sensitiveLine(s: Scan, i: number, line: string): Sensitive | undefined {
  let known = lineSources.get(s);
  if (!known) lineSources.set(s, (known = new Map()));
  if (!known.has(i)) known.set(i, sensitiveIn(line));
  return known.get(i);
}

/**
 * The lines that hold a source literal, found in one pass over the whole text (no literal holds a newline, so
 * each one found lies within a line): no other line can be sensitive. Undefined for a notebook, whose code
 * lines are unescaped JSON strings (`.ssh\/` reads `.ssh/`), so only the line as code tells. Exported for its test.
 */
const literalLines = new WeakMap<Scan, Set<number> | undefined>();
export function sourceLines(s: Scan): Set<number> | undefined {
  if (literalLines.has(s)) return literalLines.get(s);
  let lines: Set<number> | undefined;
  if (s.t.kind.lang !== 'notebook') {
    lines = new Set();
    const j = s.t.joined;
    for (let at = SOURCE_LITERALS.end(j); at !== -1;) {
      const i = s.t.indexAt(at);
      lines.add(i);
      at = SOURCE_LITERALS.end(j, s.t.starts[i + 1]);
    }
  }
  literalLines.set(s, lines);
  return lines;
}

/** Names assigned sensitive data (or data derived from it) in the lines before call c. */
function taintBefore(s: Scan, c: Call): Map<string, { what: Sensitive; i: number }> {
  const tainted = new Map<string, { what: Sensitive; i: number }>();
  const sources = sourceLines(s);
  // A text without a source taints nothing; in one with some, a line without one is read only for names already tainted.
  if (sources && !sources.size) return tainted;
  for (let i = Math.max(0, c.i - WINDOW); i < c.i; i++) {
    if (sources && !sources.has(i) && !tainted.size) continue;
    if (s.t.lineLength(i) > 2000) continue;
    const line = codeLine(s, i);
    if (!line) continue;
    let what = sources && !sources.has(i) ? undefined : sensitiveLine(s, i, line);
    if (!what) for (const [n, t] of tainted) if (mentions(line, n)) what = t.what;
    if (!what) continue;
    // `x = <source>`; a callback receiving the data (`(err, data) =>`); or the dict or call being built around it.
    const name =
      assignedName(line) ??
      /\(\s*\w+\s*,\s*(\w+)\s*\)\s*=>|function\s*\(\s*\w+\s*,\s*(\w+)\s*\)/.exec(line)?.slice(1).find(Boolean) ??
      openedAbove(s, i);
    if (name && !tainted.has(name)) tainted.set(name, { what, i });
  }
  return tainted;
}

/** The name assigned an open bracket (`data = {`, `info = (`) that line i continues. */
function openedAbove(s: Scan, i: number): string | undefined {
  for (let k = i - 1; k >= Math.max(0, i - 12); k--) {
    const line = s.t.line(k);
    const n = assignedName(line);
    if (n && /[{[(]\s*$/.test(line)) return n;
    if (n) return undefined;
  }
  return undefined;
}

const URL_CHARS = /[a-z][a-z0-9+.-]*:\/\/(?:\[[0-9a-fA-F:.]+\])?[^\s"'`<>)\]]*/iy;

/** A character of a URL scheme (`[a-z0-9+.-]`, either case). */
const isSchemeChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;

type UrlFacts = { host: string; resolver: boolean; plain: HostClass } | null;
/**
 * A URL's host, whether it is a public resolver and its class, or null for a scheme the rule does not read:
 * pure in the URL, and a project names the same URLs again and again, so each is worked out once. Short URLs
 * only, each copied out of the text it was found in (a slice would keep the whole file alive).
 */
const urlFacts = new Map<string, UrlFacts>();
const MAX_CACHED_URL = 256;
function factsOf(found: string): UrlFacts {
  const known = urlFacts.get(found);
  if (known !== undefined) return known;
  const cached = found.length <= MAX_CACHED_URL;
  // UTF-16 both ways: a copy of the same code units (UTF-8 would replace a lone surrogate).
  const url = cached ? Buffer.from(found, 'utf16le').toString('utf16le') : found;
  let facts: UrlFacts = null;
  if (/^(?:https?|wss?|ftp|tcp|udp):/i.test(url)) {
    const { host, rest } = hostOf(url);
    facts = { host, resolver: isPublicResolver(host), plain: classifyHost(host, rest) };
  }
  if (cached) {
    if (urlFacts.size >= 10_000) urlFacts.clear();
    urlFacts.set(url, facts);
  }
  return facts;
}

/** URLs to exfiltration services, raw IPs and cheap domains in code (never in comments or docstrings). */
export function shadyLinkHits(s: Scan): Hit[] {
  const hits: Hit[] = [];
  const j = s.t.joined;
  let last = -1;
  for (let at = j.indexOf('://'); at !== -1; at = j.indexOf('://', at + 3)) {
    let b = at;
    while (b > 0 && isSchemeChar(j.charCodeAt(b - 1)) && at - b < 12) b--;
    // A test and a slice: no match array for each of the many URLs.
    URL_CHARS.lastIndex = b;
    const facts = URL_CHARS.test(j) ? factsOf(j.slice(b, URL_CHARS.lastIndex)) : null;
    if (!facts) continue;
    const { host, resolver, plain } = facts;
    // Nearly every URL names an ordinary host: that is settled before its line is looked for, or its code and comments read.
    if (!resolver && (plain === 'other' || plain === 'local')) continue;
    const i = s.t.indexAt(at);
    if (i === last) continue;
    if (codeLine(s, i) === undefined || inComment(s, i, b - s.t.starts[i])) continue;
    // The call the URL is passed to, looked for only when it matters (it measures every call's arguments).
    const inside = s.calls.find(
      (c) => c.cap & (CAP.NET | CAP.SPAWN | CAP.EXEC) && c.open < at && argsEnd(j, c.open, 1500) > at
    );
    // A public resolver's address is a connectivity check, unless data is sent to it.
    const cls = inside && resolver ? 'ip' : plain;
    if (cls === 'other' || cls === 'local') continue;
    last = i;
    const nearby = !inside && near(s.calls, i, WINDOW, CAP.NET | CAP.SPAWN | CAP.EXEC).length > 0;
    const severity =
      cls === 'exfil' ? (inside || nearby ? 'high' : 'medium') : inside ? 'high' : nearby ? 'medium' : 'low';
    hits.push({
      rule: R.SHADY_LINK,
      i,
      message: `${cls === 'exfil' ? 'Paste, webhook or tunnel service' : cls === 'ip' ? 'Raw IP address' : 'Dynamic-DNS or throwaway domain'} \`${host}\`${inside ? ` passed to ${inside.name}()` : nearby ? ' near network or process calls' : ''}.`,
      severity,
      properties: { host, class: cls }
    });
  }
  return hits;
}

const SILENCE =
  /stdout\s*=\s*(?:subprocess\.|sp\.)?DEVNULL[\s\S]*stderr\s*=\s*(?:subprocess\.|sp\.)?(?:DEVNULL|STDOUT)|stderr\s*=\s*(?:subprocess\.|sp\.)?DEVNULL[\s\S]*stdout\s*=\s*(?:subprocess\.|sp\.)?DEVNULL|stdio\s*:\s*['"]ignore['"]|>\s*\/dev\/null\s+2>&1|&>\s*\/dev\/null|>\s*NUL\b/;
const DETACH =
  /start_new_session\s*=\s*True|preexec_fn\s*=\s*os\.(?:setsid|setpgrp)|creationflags\s*=|DETACHED_PROCESS|CREATE_NO_WINDOW|detached\s*:\s*true|windowsHide\s*:\s*true|\bnohup\b|-WindowStyle\s+Hidden|\bstart\s+\/[Bb]\b|pythonw|[^&]&\s*['"]/i;
const IMPORT_TIME = /(?:^|\/)(?:__init__\.py|setup\.py|[^/]+\.pth)$/;

/** Processes started with their output discarded and detached from the parent. */
export function silentProcessHits(s: Scan): Hit[] {
  const hits: Hit[] = [];
  for (const c of s.calls) {
    if (!(c.cap & CAP.SPAWN)) continue;
    const end = argsEnd(s.t.joined, c.open, 1500);
    const stmt = s.t.joined.slice(c.start, Math.min(s.t.joined.length, end + 12));
    const silent = SILENCE.test(stmt);
    const detached = DETACH.test(stmt) || /^\s*\)?\.unref\(\)/.test(s.t.joined.slice(end, end + 12));
    if (!silent && !detached) continue;
    if (!silent && !/DETACHED_PROCESS|CREATE_NO_WINDOW|Hidden|pythonw/i.test(stmt)) continue;
    const py = s.t.kind.lang === 'python';
    const importTime = py && (IMPORT_TIME.test(s.t.path) || atModuleLevel(s.t, c.i));
    const severity = importTime ? 'high' : silent && detached ? 'medium' : 'low';
    hits.push({
      rule: R.SILENT_PROCESS,
      i: c.i,
      message: `${c.name}() starts a process ${silent ? 'with its output discarded' : ''}${silent && detached ? ' and ' : ''}${detached ? 'detached or hidden' : ''}${importTime ? ', at import or install time' : ''}.`,
      severity
    });
  }
  return hits;
}
