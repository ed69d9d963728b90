// Loopback fake of PyPI's read APIs: the JSON API, the Integrity API (PEP 740),
// the Simple API (PEP 503 HTML / PEP 691 JSON) and file downloads, following
// pypi/warehouse's views (legacy/api/json.py, api/integrity.py, api/simple.py,
// packaging/utils.py). See docs/fakes/pypi.md for the contract kept and what is
// not modelled.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { blake2b } from '@noble/hashes/blake2.js';
import { startServer, parseArgs, runUntilSignalled } from '../common.mjs';
import { normalizeName, parseVersion, compareParsed, canonicalizeVersion, isPrerelease } from './packaging.mjs';
import { resolveWorld, loadWorldFile, parseDistFilename } from './world.mjs';

/** Simple API version served: 1.3 adds PEP 740's `provenance` key. PEP 792 (1.4) is not modelled. */
export const SIMPLE_API_VERSION = '1.3';
const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
const SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html';
const INTEGRITY_JSON = 'application/vnd.pypi.integrity.v1+json';
const DEFAULT_UPLOAD_TIME = '2024-01-01T00:00:00.000000Z';

/**
 * Server-driven content negotiation as WebOb's `acceptable_offers` does it (what
 * warehouse calls): every offer gets the q of the most specific matching media
 * range; q=0 drops it; ties keep the server's order. No header = all offers.
 * @returns {string[]} acceptable offers, best first
 */
export function acceptableOffers(header, offers) {
  if (!header || !header.trim()) return [...offers];
  const ranges = header.split(',').map((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
  });
  const scored = offers.map((offer, i) => {
    const [t] = offer.split('/');
    let best = { specificity: -1, q: 0 };
    for (const r of ranges) {
      const specificity = r.type === offer ? 2 : r.type === `${t}/*` ? 1 : r.type === '*/*' ? 0 : -1;
      if (specificity > best.specificity) best = { specificity, q: r.q };
    }
    return { offer, q: best.q, i };
  });
  return scored
    .filter((s) => s.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((s) => s.offer);
}

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** Indexes a resolved world: digests, sizes, download paths; rejects what PyPI could not hold. */
function buildIndex(world) {
  const projects = new Map();
  const downloads = new Map();
  world.projects.forEach((p, n) => {
    const key = normalizeName(p.name);
    if (projects.has(key)) throw new Error(`world: two projects normalise to ${key}`);
    const releases = p.releases.map((r) => {
      const parsed = parseVersion(r.version);
      if (!parsed) throw new Error(`world: ${p.name} ${r.version} is not a PEP 440 version`);
      const files = r.files.map((f) => {
        const { name, version, packagetype, python_version } = parseDistFilename(f.filename);
        // PyPI refuses uploads whose filename does not match the project and version.
        if (normalizeName(name) !== key || canonicalizeVersion(version) !== canonicalizeVersion(r.version)) {
          throw new Error(`world: ${f.filename} does not belong to ${p.name} ${r.version}`);
        }
        const blake = Buffer.from(blake2b(f.content, { dkLen: 32 })).toString('hex');
        const digests = {
          blake2b_256: blake,
          md5: createHash('md5').update(f.content).digest('hex'),
          sha256: createHash('sha256').update(f.content).digest('hex'),
          ...f.digests
        };
        // files.pythonhosted.org layout: /packages/<b2[0:2]>/<b2[2:4]>/<b2[4:]>/<filename>
        const downloadPath = `/packages/${blake.slice(0, 2)}/${blake.slice(2, 4)}/${blake.slice(4)}/${f.filename}`;
        const file = { ...f, packagetype, python_version, digests, downloadPath };
        downloads.set(downloadPath, file);
        return file;
      });
      return { ...r, parsed, files };
    });
    projects.set(key, {
      ...p,
      normalized: key,
      lastSerial: p.lastSerial ?? 1000 + n,
      ownership: p.ownership ?? { roles: [], organization: null },
      releases: releases.sort((a, b) => compareParsed(a.parsed, b.parsed))
    });
  });
  return { projects, downloads };
}

/**
 * Starts the fake.
 * @param {{world: import('./world.mjs').World, port?: number, latencyMs?: number,
 *          faults?: import('../common.mjs').Fault[]}} opts  world paths resolve against the cwd
 */
export async function startFakePyPI({ world, port = 0, latencyMs = 0, faults = [] }) {
  const { projects, downloads } = buildIndex(resolveWorld(world));
  let base = '';
  const notFound = { status: 404, body: { message: 'Not Found' } };
  const serial = (p) => ({ 'x-pypi-last-serial': String(p.lastSerial) });

  const fileJson = (r, f) => {
    const upload = f.upload_time ?? DEFAULT_UPLOAD_TIME;
    return {
      comment_text: '',
      'core-metadata': false,
      digests: f.digests,
      downloads: -1,
      filename: f.filename,
      has_sig: false,
      md5_digest: f.digests.md5,
      packagetype: f.packagetype,
      python_version: f.python_version,
      requires_python: r.requires_python ?? null,
      size: f.content.length,
      upload_time: upload.slice(0, 19),
      upload_time_iso_8601: upload,
      url: base + f.downloadPath,
      yanked: Boolean(r.yanked),
      yanked_reason: r.yanked_reason || null
    };
  };

  // warehouse legacy/api/json.py `_json_data`: `releases` only on the project route.
  const jsonData = (p, r, allReleases) => ({
    info: {
      author: '',
      author_email: '',
      bugtrack_url: null,
      classifiers: [],
      description: '',
      description_content_type: null,
      docs_url: null,
      download_url: '',
      downloads: { last_day: -1, last_month: -1, last_week: -1 },
      dynamic: null,
      home_page: '',
      keywords: '',
      license: '',
      license_expression: null,
      license_files: null,
      maintainer: '',
      maintainer_email: '',
      name: p.name,
      package_url: `${base}/project/${p.name}/`,
      platform: null,
      project_url: `${base}/project/${p.name}/`,
      project_urls: null,
      provides_extra: null,
      release_url: `${base}/project/${p.name}/${r.version}/`,
      requires_dist: null,
      requires_python: r.requires_python ?? null,
      summary: '',
      version: r.version,
      yanked: Boolean(r.yanked),
      yanked_reason: r.yanked_reason || null,
      ...r.info
    },
    last_serial: p.lastSerial,
    ...(allReleases
      ? { releases: Object.fromEntries(p.releases.map((x) => [x.version, x.files.map((f) => fileJson(x, f))])) }
      : {}),
    urls: r.files.map((f) => fileJson(r, f)),
    vulnerabilities: r.vulnerabilities ?? [],
    ownership: p.ownership
  });

  // warehouse `release_factory`: match on the canonical version; an exact match
  // decides between releases that canonicalise alike.
  const findRelease = (p, version) => {
    const canonical = canonicalizeVersion(version);
    const hits = p.releases.filter((r) => canonicalizeVersion(r.version) === canonical);
    return hits.length > 1 ? hits.find((r) => r.version === version) : hits[0];
  };

  // warehouse `latest_release_factory`: not yanked first, then final before
  // pre-release, then the highest version.
  const latest = (p) =>
    [...p.releases].sort(
      (a, b) =>
        Number(Boolean(a.yanked)) - Number(Boolean(b.yanked)) ||
        Number(isPrerelease(a.parsed)) - Number(isPrerelease(b.parsed)) ||
        compareParsed(b.parsed, a.parsed)
    )[0];

  const provenanceURL = (p, r, f) =>
    f.provenance ? `${base}/integrity/${p.normalized}/${r.version}/${encodeURIComponent(f.filename)}/provenance` : null;

  const simpleDetail = (p, req) => {
    const type = acceptableOffers(req.headers.accept, ['text/html', SIMPLE_HTML, SIMPLE_JSON])[0] ?? 'text/html';
    const files = p.releases.flatMap((r) =>
      [...r.files].sort((a, b) => a.filename.localeCompare(b.filename)).map((f) => ({ r, f }))
    );
    const headers = { 'content-type': type, vary: 'Accept', ...serial(p) };
    if (type === SIMPLE_JSON) {
      return {
        status: 200,
        headers,
        body: JSON.stringify({
          meta: { 'api-version': SIMPLE_API_VERSION, '_last-serial': p.lastSerial },
          name: p.normalized,
          versions: p.releases.map((r) => r.version),
          'alternate-locations': [],
          files: files.map(({ r, f }) => ({
            filename: f.filename,
            url: base + f.downloadPath,
            hashes: { sha256: f.digests.sha256 },
            'requires-python': r.requires_python ?? null,
            size: f.content.length,
            'upload-time': f.upload_time ?? DEFAULT_UPLOAD_TIME,
            yanked: r.yanked && r.yanked_reason ? r.yanked_reason : Boolean(r.yanked),
            'data-dist-info-metadata': false,
            'core-metadata': false,
            provenance: provenanceURL(p, r, f)
          }))
        })
      };
    }
    const links = files.map(({ r, f }) => {
      const attrs = [`href="${escapeHtml(`${base}${f.downloadPath}#sha256=${f.digests.sha256}`)}"`];
      if (r.requires_python) attrs.push(`data-requires-python="${escapeHtml(r.requires_python)}"`);
      if (r.yanked) attrs.push(`data-yanked="${escapeHtml(r.yanked_reason ?? '')}"`);
      const prov = provenanceURL(p, r, f);
      if (prov) attrs.push(`data-provenance="${escapeHtml(prov)}"`);
      return `    <a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a><br />`;
    });
    const html = [
      '<!DOCTYPE html>',
      '<html>',
      '  <head>',
      `    <meta name="pypi:repository-version" content="${SIMPLE_API_VERSION}">`,
      `    <title>Links for ${escapeHtml(p.normalized)}</title>`,
      '  </head>',
      '  <body>',
      `    <h1>Links for ${escapeHtml(p.normalized)}</h1>`,
      ...links,
      '  </body>',
      '</html>',
      ''
    ].join('\n');
    return { status: 200, headers, body: html };
  };

  const simpleIndex = (req) => {
    const type = acceptableOffers(req.headers.accept, ['text/html', SIMPLE_HTML, SIMPLE_JSON])[0] ?? 'text/html';
    const all = [...projects.values()].sort((a, b) => a.normalized.localeCompare(b.normalized));
    const top = Math.max(0, ...all.map((p) => p.lastSerial));
    const headers = { 'content-type': type, vary: 'Accept', 'x-pypi-last-serial': String(top) };
    if (type === SIMPLE_JSON) {
      const projectsJson = all.map((p) => ({ name: p.name, '_last-serial': p.lastSerial }));
      return {
        status: 200,
        headers,
        body: JSON.stringify({
          meta: { 'api-version': SIMPLE_API_VERSION, '_last-serial': top },
          projects: projectsJson
        })
      };
    }
    const links = all.map((p) => `    <a href="/simple/${p.normalized}/">${escapeHtml(p.name)}</a>`);
    const html = ['<!DOCTYPE html>', '<html>', '  <body>', ...links, '  </body>', '</html>', ''].join('\n');
    return { status: 200, headers, body: html };
  };

  const redirect = (location) => ({ status: 301, headers: { location: base + location } });

  /** @type {(req: import('node:http').IncomingMessage, url: URL) => object} */
  const handle = (req, url) => {
    if (req.method !== 'GET') return { status: 405, body: { message: 'Method Not Allowed' } };
    const segs = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const download = downloads.get(url.pathname);
    if (download)
      return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: download.content };

    // /pypi/<name>/json and /pypi/<name>/<version>/json, each with or without a trailing slash
    if (segs[0] === 'pypi' && (segs.at(-1) === 'json' || (segs.at(-1) === '' && segs.at(-2) === 'json'))) {
      const rest = segs.slice(1, segs.at(-1) === '' ? -2 : -1);
      if (rest.length < 1 || rest.length > 2) return notFound;
      const p = projects.get(normalizeName(rest[0]));
      if (!p) return notFound;
      const r = rest.length === 2 ? findRelease(p, rest[1]) : latest(p);
      if (!r) return notFound;
      if (rest[0] !== p.normalized) {
        return redirect(`/pypi/${[p.normalized, ...rest.slice(1)].map(encodeURIComponent).join('/')}/json`);
      }
      return { status: 200, headers: serial(p), body: jsonData(p, r, rest.length === 1) };
    }

    if (segs[0] === 'simple') {
      if (segs.length === 2 && segs[1] === '') return simpleIndex(req);
      const p = projects.get(normalizeName(segs[1]));
      if (!p || segs.length > 3 || (segs.length === 3 && segs[2] !== '')) {
        return { status: 404, headers: { 'content-type': 'text/html' }, body: '404 Not Found' };
      }
      // PEP 503: URLs end in "/" and unnormalised names redirect to the normalised one.
      if (segs[1] !== p.normalized || segs.length === 2) return redirect(`/simple/${p.normalized}/`);
      return simpleDetail(p, req);
    }

    if (segs[0] === 'integrity' && segs.length === 5 && segs[4] === 'provenance') {
      const p = projects.get(normalizeName(segs[1]));
      const r = p && findRelease(p, segs[2]);
      const f = r?.files.find((x) => x.filename === segs[3]);
      if (!f) return notFound;
      const type = acceptableOffers(req.headers.accept, [INTEGRITY_JSON, 'application/json'])[0];
      if (!type) return { status: 406, body: { message: 'Request not acceptable' } };
      const headers = { 'content-type': type, vary: 'Accept' };
      if (!f.provenance)
        return { status: 404, headers, body: JSON.stringify({ message: `No provenance available for ${f.filename}` }) };
      return { status: 200, headers, body: JSON.stringify(f.provenance) };
    }
    return notFound;
  };

  const server = await startServer(handle, { port, latencyMs, faults, name: 'fake-pypi' });
  base = server.url;
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args.world !== 'string') {
    console.error('usage: node test/fakes/pypi/server.mjs --world FILE [--port N] [--latency-ms N]');
    process.exit(2);
  }
  const fake = await startFakePyPI({
    world: loadWorldFile(args.world),
    port: Number(args.port ?? 0),
    latencyMs: Number(args['latency-ms'] ?? 0)
  });
  console.log(fake.url);
  runUntilSignalled(fake);
}
