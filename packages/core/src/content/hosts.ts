// Where a URL points, as far as the content rules care: services malware uses
// to receive stolen data or serve payloads (GuardDog's shady-links lists,
// plus webhook and dynamic-DNS services seen in incidents), public IP
// literals, and the well-known hosts whose installers and package indexes
// scientific projects use every day.

export type HostClass =
  /** Paste, webhook, tunnel and messenger-API endpoints, IP-lookup services. */
  | 'exfil'
  /** A public IP address instead of a name. */
  | 'ip'
  /** Dynamic DNS and free or abused top-level domains. */
  | 'cheap'
  /** Loopback, private networks, link-local, metadata service. */
  | 'local'
  | 'other';

/**
 * A test of "this host is one of `domains` or a subdomain of one", by looking each dot-suffix up in a set: the
 * same answers as one big alternation anchored at a label, without compiling it on every start (2–3 ms each).
 */
function domainSet(domains: string[], subdomain = /^/): (host: string) => boolean {
  const set = new Set(domains);
  return (host) => {
    const h = host.toLowerCase();
    if (set.has(h)) return true;
    for (let dot = h.indexOf('.'); dot >= 0; dot = h.indexOf('.', dot + 1))
      if (set.has(h.slice(dot + 1))) return subdomain.test(h.slice(0, dot + 1));
    return false;
  };
}

const isExfil = domainSet([
  ...['bit.ly', 'tinyurl.com', 'is.gd', 'cutt.ly', 'appdomain.cloud', 'ngrok.io', 'ngrok.app', 'ngrok-free.app'],
  ...['ngrok-free.dev', 'ngrok.dev', 'termbin.com', 'localhost.run', 'serveo.net', 'webhook.site', 'webhook.cool'],
  ...['webhook-test.com', 'requestbin.com', 'requestbin.net', 'requestcatcher.com', 'hookbin.com', 'pipedream.net'],
  ...['oastify.com', 'burpcollaborator.me', 'burpcollaborator.net', 'trycloudflare.com', 'oast.pro', 'oast.live'],
  ...['oast.site', 'oast.online', 'oast.fun', 'oast.me', 'interact.sh', 'ply.gg', 'dnslog.cn', 'typedwebhook.tools'],
  ...['beeceptor.com', 'transfer.sh', 'filetransfer.io', 'sendspace.com', 'paste.ee', 'pastebin.com', 'hastebin.com'],
  ...['ghostbin.site', 'ghostbin.co', 'rentry.co', '0x0.st', 'files.catbox.moe', 'catbox.moe', 'anonfiles.com'],
  ...['gofile.io', 'ipinfo.io', 'checkip.dyndns.org', 'ip.me', 'jsonip.com', 'ipify.org', 'ifconfig.me'],
  ...['icanhazip.com', 'api.telegram.org', 'canarytokens.com', 'plesk.page']
]);
const EXFIL_PATH = /^(?:(?:canary\.|ptb\.)?discord(?:app)?\.com\/api\/webhooks|hooks\.slack\.com\/services)/i;
const isDynamicDns = domainSet([
  ...['duckdns.org', 'no-ip.com', 'no-ip.org', 'no-ip.biz', 'ddns.net', 'hopto.org', 'zapto.org', 'sytes.net'],
  ...['serveftp.com', 'servehttp.com', 'myftp.biz', 'myftp.org', 'dynu.net', 'freedns.afraid.org', 'mooo.com'],
  'dyndns.org'
]);
/** Free or much-abused top-level domains: a name under one of them (not the bare TLD). */
const CHEAP_TLDS = new Set([
  ...'tk ml ga cf gq xyz top pw icu cam sbs quest bid click'.split(' '),
  ...'buzz rest monster zip mov link club date uno mw bd ke cd ws stream'.split(' ')
]);
const isCheap = (host: string): boolean => {
  if (isDynamicDns(host)) return true;
  const dot = host.lastIndexOf('.');
  const label = dot > 0 ? host.slice(host.lastIndexOf('.', dot - 1) + 1, dot) : '';
  return label !== '' && !label.includes('/') && CHEAP_TLDS.has(host.slice(dot + 1).toLowerCase());
};
const PRIVATE_V4 = /^(?:127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.|0\.0\.0\.0$|255\.255\.255\.255$)/;
const WELL_KNOWN_IP = /^(?:1\.1\.1\.1|8\.8\.8\.8|8\.8\.4\.4|9\.9\.9\.9|1\.0\.0\.1)$/;

/** Host (and the start of the path) of a URL beginning at `scheme://`. */
export function hostOf(url: string): { host: string; rest: string } {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s"'`]*@)?(\[[0-9a-f:.]+\]|[^/:\s"'`?#)\]]+)(?::\d+)?([^\s"'`]*)/i.exec(url);
  return m ? { host: m[1].toLowerCase(), rest: m[2] } : { host: '', rest: '' };
}

export const isPublicResolver = (host: string): boolean => WELL_KNOWN_IP.test(host);

export function classifyHost(host: string, rest = ''): HostClass {
  if (!host) return 'other';
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host.endsWith('.local'))
    return 'local';
  if (host.startsWith('[')) return /^\[(?:::1?\]|::\]|fe80:|fc|fd)/i.test(host) ? 'local' : 'ip';
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) {
    if (PRIVATE_V4.test(host)) return 'local';
    // Public resolvers (1.1.1.1, 8.8.8.8) appear in connectivity checks: not shady, but not local either.
    return WELL_KNOWN_IP.test(host) ? 'other' : 'ip';
  }
  if (isExfil(host) || EXFIL_PATH.test(host + rest)) return 'exfil';
  if (/^api\.telegram\.org$/.test(host) || /(?:^|\.)discord(?:app)?\.com$/.test(host)) {
    return /\/(?:api\/webhooks|bot\d)/.test(rest) ? 'exfil' : 'other';
  }
  if (isCheap(host)) return 'cheap';
  return 'other';
}

/**
 * Hosts whose install scripts and package indexes are part of ordinary
 * scientific CI: piping their installers to a shell, or adding their index,
 * is worth a note, not an alarm.
 */
const isTrusted = domainSet(
  [
    ...['github.com', 'githubusercontent.com', 'pypi.org', 'pythonhosted.org', 'python.org', 'astral.sh'],
    ...['python-poetry.org', 'rustup.rs', 'rust-lang.org', 'nodesource.com', 'nodejs.org', 'npmjs.org', 'yarnpkg.com'],
    ...['docker.com', 'mamba.pm', 'anaconda.org', 'anaconda.com', 'conda.io', 'conda-forge.org', 'pytorch.org'],
    ...['nvidia.com', 'pyg.org', 'googleapis.com', 'google.com', 'microsoft.com', 'apple.com', 'debian.org'],
    ...['ubuntu.com', 'fedoraproject.org', 'codecov.io', 'cli.github.com', 'deno.land', 'bun.sh', 'sdkman.io'],
    ...['get.pnpm.io', 'brew.sh', 'cmake.org', 'kitware.com', 'scientific-python.org', 'prefix.dev', 'pixi.sh'],
    ...['vtk.org', 'riverbankcomputing.com', 'chaquo.com', 'jax-releases', 'intel.com', 'openmmlab.com']
  ],
  /^(?:[a-z0-9-]+\.)*$/
);

export function isTrustedHost(host: string): boolean {
  // Gists and raw files are anyone's content, served from GitHub's hosts (tj-actions fetched its dumper from a gist).
  return isTrusted(host) && !/^(?:gist\.githubusercontent|raw\.githubusercontent|gist\.github)\.com$/.test(host);
}
