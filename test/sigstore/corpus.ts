// Real Sigstore bundles from ../shared/corpora, each with what it verifies
// against (artifact, trusted root, signer policy), and the damage done to them
// by the mutation and fuzz tests. Not a test file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Artifact, SignerPolicy } from '@security-actions/core/sigstore';
import { REPO_ROOT } from '../harness/run-action';

export const CORPORA = resolve(REPO_ROOT, '..', 'shared', 'corpora');
const CASES = join(CORPORA, 'sigstore-conformance', 'bundle-verify');
const JS = join(CORPORA, 'sigstore-js-bundles');
const PYPI = join(CORPORA, 'pypi-attestations');
const BEACON =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const GITHUB = 'https://token.actions.githubusercontent.com';

export interface BaseCase {
  name: string;
  /** The bundle file, as read. */
  file: string;
  text: string;
  artifact: Artifact;
  /** The artifact's file, for the CLI (or a digest). */
  target: string;
  policy: SignerPolicy;
  /** trusted_root.json; the embedded public-good root when absent. */
  root?: string;
  key?: string;
}

/** Conformance cases that must verify, sigstore-js bundles, and PyPI attestations as the bundles they stand for. */
export function baseCases(): BaseCase[] {
  const out: BaseCase[] = [];
  for (const name of readdirSync(CASES).sort()) {
    const dir = join(CASES, name);
    if (name.endsWith('_fail') || !existsSync(join(dir, 'bundle.sigstore.json'))) continue;
    const at = (f: string) => join(dir, f);
    const target = existsSync(at('artifact')) ? at('artifact') : join(CASES, 'a.txt');
    const key = existsSync(at('key.pub')) ? readFileSync(at('key.pub'), 'utf8') : undefined;
    const read = (f: string) => (existsSync(at(f)) ? readFileSync(at(f), 'utf8').trim() : undefined);
    out.push({
      name: `conformance/${name}`,
      file: at('bundle.sigstore.json'),
      text: readFileSync(at('bundle.sigstore.json'), 'utf8'),
      artifact: { bytes: readFileSync(target) },
      target,
      policy: key ? { key } : { identity: read('identity') ?? BEACON, issuer: read('issuer') ?? GITHUB },
      root: existsSync(at('trusted_root.json')) ? at('trusted_root.json') : undefined,
      key
    });
  }
  const statement = JSON.parse(readFileSync(join(JS, 'statement.json'), 'utf8'));
  const digest = `sha512:${statement.subject[0].digest.sha512}`;
  for (const f of readdirSync(JS)
    .filter((x) => x.endsWith('.sigstore'))
    .sort()) {
    out.push({
      name: `sigstore-js/${f}`,
      file: join(JS, f),
      text: readFileSync(join(JS, f), 'utf8'),
      artifact: { digest },
      target: digest,
      policy: { identity: 'brian@dehamer.com', issuer: 'https://github.com/login/oauth' }
    });
  }
  for (const f of readdirSync(PYPI)
    .filter((x) => x.endsWith('.publish.attestation'))
    .sort()) {
    const dist = join(PYPI, f.replace(/\.publish\.attestation$/, ''));
    if (!existsSync(dist)) continue; // the staging-signed one ships without its wheel
    const a = JSON.parse(readFileSync(join(PYPI, f), 'utf8'));
    // PEP 740: an attestation is a v0.3 DSSE bundle with its fields renamed.
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: {
        certificate: { rawBytes: a.verification_material.certificate },
        tlogEntries: [a.verification_material.transparency_entries[0]]
      },
      dsseEnvelope: {
        payload: a.envelope.statement,
        payloadType: 'application/vnd.in-toto+json',
        signatures: [{ sig: a.envelope.signature }]
      }
    };
    out.push({
      name: `pypi/${f}`,
      file: join(PYPI, f),
      text: JSON.stringify(bundle),
      artifact: { bytes: readFileSync(dist) },
      target: dist,
      policy: { oidcIssuer: f.startsWith('gitlab') ? 'https://gitlab.com' : GITHUB }
    });
  }
  return out;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Path = (string | number)[];

/** Every path in a JSON value (the root excluded), parents before children. */
export function paths(v: Json, at: Path = []): Path[] {
  if (!v || typeof v !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return keys.flatMap((k) => [[...at, k], ...paths((v as Record<string, Json>)[k], [...at, k])]);
}

export function get(v: Json, path: Path): Json {
  return path.reduce<Json>((o, k) => (o as Record<string, Json>)?.[k], v);
}

/** A copy of `v` with the value at `path` replaced (`undefined`: deleted). */
export function set(v: Json, path: Path, value: Json | undefined): Json {
  const copy = structuredClone(v);
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json> | Json[];
  const k = path[path.length - 1];
  if (value !== undefined) (parent as Record<string | number, Json>)[k] = value;
  else if (Array.isArray(parent)) parent.splice(k as number, 1);
  else delete parent[k];
  return copy;
}

const BASE64 = /^[A-Za-z0-9+/_-]{12,}={0,2}$/;
export const isBase64 = (v: Json): v is string => typeof v === 'string' && BASE64.test(v);

export interface Mutant {
  what: string;
  /** The mutated bundle, as text (may not be JSON). */
  text: string;
}

/** Damage to the bytes a base64 string stands for, re-encoded, and to the string itself. */
function base64Damage(s: string): [string, string][] {
  const bytes = Buffer.from(s, 'base64');
  const flip = (i: number) => {
    const b = Buffer.from(bytes);
    b[i] ^= 0x01;
    return b.toString('base64');
  };
  return [
    ['byte flipped at the start', flip(0)],
    ['byte flipped in the middle', flip(bytes.length >> 1)],
    ['byte flipped at the end', flip(bytes.length - 1)],
    ['bytes cut in half', bytes.subarray(0, bytes.length >> 1).toString('base64')],
    ['last byte dropped', bytes.subarray(0, -1).toString('base64')],
    ['text cut mid-character', s.slice(0, Math.floor(s.length / 2) + 1)],
    ['not base64', `${s.slice(0, 8)}!!${s.slice(8)}`],
    ['empty', '']
  ];
}

const REPLACEMENTS: [string, Json][] = [
  ['null', null],
  ['a number', 7],
  ['an empty string', ''],
  ['an empty list', []],
  ['an empty object', {}],
  ['true', true],
  ['a short string', 'x']
];

/**
 * The mutants of one bundle: every field deleted, every value given another
 * type (one replacement per field, in turn), every base64 value damaged, and
 * the text truncated and flipped at a few places.
 */
export function mutants(text: string): Mutant[] {
  const json = JSON.parse(text) as Json;
  const out: Mutant[] = [];
  paths(json).forEach((p, i) => {
    const at = p.join('.');
    out.push({ what: `${at} deleted`, text: JSON.stringify(set(json, p, undefined)) });
    const [name, value] = REPLACEMENTS[i % REPLACEMENTS.length];
    out.push({ what: `${at} replaced by ${name}`, text: JSON.stringify(set(json, p, value)) });
    const v = get(json, p);
    if (isBase64(v))
      for (const [how, damaged] of base64Damage(v))
        out.push({ what: `${at}: ${how}`, text: JSON.stringify(set(json, p, damaged)) });
  });
  for (const f of [0.1, 0.5, 0.9]) {
    const at = Math.floor(text.length * f);
    out.push({ what: `text truncated at ${at}`, text: text.slice(0, at) });
    const flipped = Buffer.from(text);
    flipped[at] ^= 0x20;
    out.push({ what: `text byte ${at} flipped`, text: flipped.toString('latin1') });
  }
  return out;
}

/** The signed content and signer of a bundle, decoded: a mutant whose material differs must never verify. */
export function material(bundle: unknown): string {
  const b = (bundle ?? {}) as Record<string, any>;
  const dec = (s: unknown) => (typeof s === 'string' ? Buffer.from(s, 'base64').toString('hex') : JSON.stringify(s));
  const vm = b.verificationMaterial ?? {};
  const cert = vm.certificate?.rawBytes ?? vm.x509CertificateChain?.certificates?.[0]?.rawBytes;
  const content = b.messageSignature
    ? [dec(b.messageSignature.messageDigest?.digest), dec(b.messageSignature.signature)]
    : [
        dec(b.dsseEnvelope?.payload),
        JSON.stringify(b.dsseEnvelope?.payloadType),
        ...(b.dsseEnvelope?.signatures ?? []).map((s: any) => dec(s?.sig))
      ];
  const bodies = (b.verificationMaterial?.tlogEntries ?? []).map((e: any) => dec(e?.canonicalizedBody));
  return JSON.stringify([dec(cert), ...content, ...bodies]);
}
