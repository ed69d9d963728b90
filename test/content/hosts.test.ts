// Host classification: the suffix sets that replaced three large alternations (compiled on every start) must
// answer exactly as those expressions did, on the listed domains, their subdomains, look-alikes and odd input.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { classifyHost, isTrustedHost } from '../../packages/core/src/content/hosts';

// The expressions as they were at commit da6adf9 (packages/core/src/content/hosts.ts): the oracle.
const EXFIL =
  /(?:^|\.)(?:bit\.ly|tinyurl\.com|is\.gd|cutt\.ly|appdomain\.cloud|ngrok\.io|ngrok\.app|ngrok-free\.(?:app|dev)|ngrok\.dev|termbin\.com|localhost\.run|serveo\.net|webhook\.(?:site|cool)|webhook-test\.com|requestbin\.(?:com|net)|requestcatcher\.com|hookbin\.com|pipedream\.net|oastify\.com|burpcollaborator\.(?:me|net)|trycloudflare\.com|oast\.(?:pro|live|site|online|fun|me)|interact\.sh|ply\.gg|dnslog\.cn|typedwebhook\.tools|beeceptor\.com|transfer\.sh|filetransfer\.io|sendspace\.com|paste\.ee|pastebin\.com|hastebin\.com|ghostbin\.(?:site|co)|rentry\.co|0x0\.st|files\.catbox\.moe|catbox\.moe|anonfiles\.com|gofile\.io|ipinfo\.io|checkip\.dyndns\.org|ip\.me|jsonip\.com|ipify\.org|ifconfig\.me|icanhazip\.com|api\.telegram\.org|canarytokens\.com|plesk\.page)$/i;
const CHEAP =
  /(?:^|\.)(?:duckdns\.org|no-ip\.(?:com|org|biz)|ddns\.net|hopto\.org|zapto\.org|sytes\.net|serveftp\.com|servehttp\.com|myftp\.(?:biz|org)|dynu\.net|freedns\.afraid\.org|mooo\.com|dyndns\.org|[^./]+\.(?:tk|ml|ga|cf|gq|xyz|top|pw|icu|cam|sbs|quest|bid|click|buzz|rest|monster|zip|mov|link|club|date|uno|mw|bd|ke|cd|ws|stream))$/i;
const TRUSTED =
  /^(?:(?:[a-z0-9-]+\.)*(?:github\.com|githubusercontent\.com|pypi\.org|pythonhosted\.org|python\.org|astral\.sh|python-poetry\.org|rustup\.rs|rust-lang\.org|nodesource\.com|nodejs\.org|npmjs\.org|yarnpkg\.com|docker\.com|mamba\.pm|anaconda\.(?:org|com)|conda\.io|conda-forge\.org|pytorch\.org|nvidia\.com|pyg\.org|googleapis\.com|google\.com|microsoft\.com|apple\.com|debian\.org|ubuntu\.com|fedoraproject\.org|codecov\.io|cli\.github\.com|deno\.land|bun\.sh|sdkman\.io|get\.pnpm\.io|brew\.sh|cmake\.org|kitware\.com|scientific-python\.org|prefix\.dev|pixi\.sh|vtk\.org|riverbankcomputing\.com|chaquo\.com|jax-releases|intel\.com|openmmlab\.com))$/i;

/** What classifyHost answered for a name (not an IP, not local) with the expressions. */
function oracle(host: string): string {
  if (EXFIL.test(host)) return 'exfil';
  if (/^api\.telegram\.org$/.test(host) || /(?:^|\.)discord(?:app)?\.com$/.test(host)) return 'other';
  return CHEAP.test(host) ? 'cheap' : 'other';
}

/** Every domain the three expressions name, alternatives expanded. */
function listed(re: RegExp): string[] {
  const body = re.source.replace(/^.*?\(\?:(?=[a-z0-9])/, '').replace(/\)\)?\$$/, '');
  const out: string[] = [];
  for (const alt of body.split(/\|(?![^(]*\))/)) {
    const m = /^(.*)\\\.\(\?:([^)]*)\)$/.exec(alt);
    const names = m ? m[2].split('|').map((t) => `${m[1]}.${t}`) : [alt];
    out.push(...names.map((n) => n.replace(/\\\./g, '.')));
  }
  return out.filter((n) => /^[a-z0-9.-]+$/.test(n));
}

const DOMAINS = [...listed(EXFIL), ...listed(CHEAP), ...listed(TRUSTED)];
const VARIANTS = (d: string) => [
  d,
  d.toUpperCase(),
  `www.${d}`,
  `a.b-c.${d}`,
  `x${d}`,
  `${d}.evil.com`,
  `a_b.${d}`,
  `a..${d}`,
  `.${d}`,
  `a/b.${d}`,
  `gist.${d}`,
  d.slice(d.indexOf('.') + 1)
];

function ours(host: string): string {
  const c = classifyHost(host);
  return c === 'exfil' || c === 'cheap' ? c : 'other';
}

describe('host classification (suffix sets)', () => {
  it('reads every listed domain out of the oracle expressions', () => {
    expect(DOMAINS.length).toBeGreaterThan(100);
    expect(DOMAINS).toEqual(expect.arrayContaining(['ngrok-free.dev', 'oast.online', 'myftp.org', 'anaconda.com']));
  });

  it('answers as the expressions did on listed domains, subdomains, look-alikes and odd names', () => {
    const hosts = [...DOMAINS.flatMap(VARIANTS), 'evil.tk', 'tk', '.tk', 'a..tk', 'a/b.tk', 'x.y.ZIP', 'discord.com'];
    for (const h of hosts) {
      expect([h, ours(h)]).toEqual([h, oracle(h)]);
      expect([h, isTrustedHost(h)]).toEqual([
        h,
        TRUSTED.test(h) && !/^(?:gist\.githubusercontent|raw\.githubusercontent|gist\.github)\.com$/.test(h)
      ]);
    }
  });

  it('answers as the expressions did on random names', () => {
    const label = fc.stringMatching(/^[a-zA-Z0-9_-]{0,6}$/);
    const tail = fc.constantFrom(...DOMAINS, 'tk', 'com', 'org', 'io', 'moe', 'xyz');
    fc.assert(
      fc.property(fc.array(label, { maxLength: 3 }), tail, (labels, t) => {
        const h = [...labels, t].join('.');
        expect(ours(h)).toBe(oracle(h));
        expect(isTrustedHost(h)).toBe(
          TRUSTED.test(h) && !/^(?:gist\.githubusercontent|raw\.githubusercontent|gist\.github)\.com$/.test(h)
        );
      }),
      { numRuns: 3000 }
    );
  });
});
