// Vouch files: `trust.yml` in an organisation's `.github` repository, read at
// a commit the PR under scan cannot change. Validated against the core's JSON
// Schema (packages/core/schema/trust.schema.json); a bad file is one line
// naming its file and line. Whether a vouch counts on a day: inside
// since..expires, and not withdrawn by a later revocation.
import type { ValidateFunction } from 'ajv';
import * as generated from '../../schema/trust.validate.mjs';
import { fileError } from '../errors';
import { lineAt, schemaError } from '../schema-errors';
import { isCalendarDate } from '../suppress';
import { parseYamlFile, yamlData } from '../yaml';
import type { Revocation, Vouch } from './types';

export interface VouchFile {
  vouches: Vouch[];
  revocations: Revocation[];
}

// Generated from the schema by scripts/config-schema.mjs (see ../config.ts).
const validate = generated.validate as ValidateFunction;

/** Parses and validates a vouch file; throws a UserError naming `file:line`. */
export function parseVouchFile(text: string, file: string): VouchFile {
  const y = parseYamlFile(text, file);
  const data = (yamlData(y) ?? {}) as {
    vouches?: Omit<Vouch, 'source'>[];
    revocations?: Omit<Revocation, 'source'>[];
  };
  if (!validate(data)) throw schemaError(y, validate.errors ?? []);
  const at = (path: (string | number)[]) => `${file}:${lineAt(y, path) ?? 1}`;
  const dates = (key: 'vouches' | 'revocations', i: number, entry: object) => {
    for (const field of ['since', 'expires'] as const) {
      const d = (entry as Record<string, string | undefined>)[field];
      if (d !== undefined && !isCalendarDate(d))
        throw fileError(
          file,
          lineAt(y, [key, i, field]),
          `${key}.${i}.${field}: '${d}' is not a real date (YYYY-MM-DD)`
        );
    }
  };
  const vouches = (data.vouches ?? []).map((v, i) => {
    dates('vouches', i, v);
    if (v.expires !== undefined && v.expires < v.since)
      throw fileError(file, lineAt(y, ['vouches', i, 'expires']), `vouches.${i}: expires before it starts`);
    return { ...v, source: at(['vouches', i]) };
  });
  const revocations = (data.revocations ?? []).map((r, i) => {
    dates('revocations', i, r);
    return { ...r, source: at(['revocations', i]) };
  });
  return { vouches, revocations };
}

const same = (a?: string, b?: string) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** Why a vouch does not count on `day` (YYYY-MM-DD), or undefined when it does. */
export function vouchInvalidity(
  v: Vouch,
  revocations: Revocation[],
  day: string
): { status: 'expired' | 'revoked' | 'not yet valid'; detail: string } | undefined {
  if (same(v.by, v.for)) return { status: 'revoked', detail: 'a vouch for oneself counts for nothing' };
  if (v.since > day) return { status: 'not yet valid', detail: `counts from ${v.since}` };
  if (v.expires !== undefined && v.expires < day) return { status: 'expired', detail: `expired ${v.expires}` };
  const r = revocations.find(
    (x) => same(x.for, v.for) && (x.by === undefined || same(x.by, v.by)) && x.since >= v.since && x.since <= day
  );
  return r ? { status: 'revoked', detail: `revoked ${r.since} (${r.source}): ${r.why}` } : undefined;
}
