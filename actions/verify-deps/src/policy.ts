// The verify-deps policy: the `verify-deps:` section of the shared config
// file, or a separate YAML file named by the `policy` input (the file wins
// key by key). Parsed here with errors naming file and line.
import {
  type Severity,
  type SuppressionEntry,
  type TrustedPublisher,
  fileError,
  isCalendarDate,
  normalizeName,
  parseYamlFile,
  yamlData
} from '@security-actions/core';

export interface Policy {
  /** Expected Trusted Publisher per normalised package name. */
  publishers: Record<string, TrustedPublisher[]>;
  /** Owners (case-insensitive) whose actions may be pinned to a tag, and the severity that gets. */
  allowTags: { owner: string; severity: Severity }[];
  /**
   * The `ignore` entries, for the shared runner to apply: `id` matches the
   * finding's `advisories` (the advisory and its aliases), `package` its
   * `package` (PEP 503 names, or an action's `owner/repo`).
   */
  ignores: SuppressionEntry[];
  /** Minimum age in days of a locked release; 0 = off. */
  cooldownDays: number;
  /** Direct dependencies never reported as typosquats. */
  typosquatAllow: Set<string>;
  /** Repository-level provenance mode; the stricter of this and the input applies. */
  provenance?: ProvenanceMode;
}

export const EMPTY_POLICY: Policy = {
  publishers: {},
  allowTags: [],
  ignores: [],
  cooldownDays: 0,
  typosquatAllow: new Set()
};

const KEYS = ['provenance', 'publishers', 'allow-tags', 'ignore', 'cooldown-days', 'typosquat-allow'];
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

/** Reads a policy from plain data (already parsed); `where(path)` gives a line for errors. */
export function policyFromData(
  data: unknown,
  file: string,
  lineOf: (path: (string | number)[]) => number | undefined
): Policy {
  const fail = (path: (string | number)[], msg: string) => fileError(file, lineOf(path), `${path.join('.')}: ${msg}`);
  const policy: Policy = { publishers: {}, allowTags: [], ignores: [], cooldownDays: 0, typosquatAllow: new Set() };
  if (data === null || data === undefined) return policy;
  if (typeof data !== 'object' || Array.isArray(data)) throw fileError(file, 1, 'the policy must be a mapping');
  const d = data as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!KEYS.includes(k)) throw fail([k], `unknown key (allowed: ${KEYS.join(', ')})`);
  const pubs = d.publishers ?? {};
  if (typeof pubs !== 'object' || Array.isArray(pubs))
    throw fail(['publishers'], 'must map package names to publishers');
  for (const [pkg, v] of Object.entries(pubs as Record<string, unknown>)) {
    const list = Array.isArray(v) ? v : [v];
    policy.publishers[normalizeName(pkg)] = list.map((p, i) => {
      if (!p || typeof p !== 'object') throw fail(['publishers', pkg, i], 'must be a mapping with kind and repository');
      const e = p as Record<string, unknown>;
      for (const k of Object.keys(e))
        if (!['kind', 'repository', 'workflow', 'environment'].includes(k))
          throw fail(['publishers', pkg, k], 'unknown key (kind, repository, workflow, environment)');
      if (typeof e.repository !== 'string' || !e.repository)
        throw fail(['publishers', pkg], "needs 'repository' (owner/name or the GitLab project path)");
      return {
        kind: typeof e.kind === 'string' ? e.kind : 'GitHub',
        repository: e.repository,
        workflow: e.workflow as string | undefined,
        environment: e.environment as string | undefined
      };
    });
  }
  const tags = d['allow-tags'] ?? [];
  if (!Array.isArray(tags)) throw fail(['allow-tags'], 'must be a list of owners or {owner, severity}');
  policy.allowTags = tags.map((t, i) => {
    if (typeof t === 'string') return { owner: t.toLowerCase(), severity: 'low' as Severity };
    const o = t as Record<string, unknown>;
    if (typeof o?.owner !== 'string') throw fail(['allow-tags', i], "needs 'owner'");
    const sev = o.severity ?? 'low';
    if (!SEVERITIES.includes(String(sev)))
      throw fail(['allow-tags', i, 'severity'], `must be one of ${SEVERITIES.join(', ')}`);
    return { owner: o.owner.toLowerCase(), severity: sev as Severity };
  });
  const ign = d.ignore ?? [];
  if (!Array.isArray(ign)) throw fail(['ignore'], 'must be a list');
  policy.ignores = ign.map((x, i) => {
    const o = (x ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!['id', 'rule', 'package', 'reason', 'expires'].includes(k))
        throw fail(['ignore', i, k], 'unknown key (id, rule, package, reason, expires)');
    if (typeof o.reason !== 'string' || o.reason.trim().length < 5)
      throw fail(['ignore', i], "needs a 'reason' (at least 5 characters)");
    if (!o.id && !o.rule && !o.package) throw fail(['ignore', i], "needs 'id', 'rule' or 'package'");
    const expires =
      o.expires instanceof Date ? o.expires.toISOString().slice(0, 10) : (o.expires as string | undefined);
    if (expires !== undefined && !isCalendarDate(String(expires)))
      throw fail(['ignore', i, 'expires'], `'${String(expires)}' is not a real date (YYYY-MM-DD)`);
    const properties: Record<string, string> = {};
    if (o.id) properties.advisories = String(o.id);
    if (o.package !== undefined && o.package !== '') properties.package = String(o.package);
    return {
      ...(o.rule ? { rule: String(o.rule) } : {}),
      ...(Object.keys(properties).length ? { properties } : {}),
      reason: o.reason,
      expires,
      source: `${file}:${lineOf(['ignore', i]) ?? 1}`
    };
  });
  const cd = d['cooldown-days'] ?? 0;
  if (typeof cd !== 'number' || !Number.isInteger(cd) || cd < 0)
    throw fail(['cooldown-days'], 'must be a whole number of days');
  policy.cooldownDays = cd;
  const allow = d['typosquat-allow'] ?? [];
  if (!Array.isArray(allow) || allow.some((a) => typeof a !== 'string'))
    throw fail(['typosquat-allow'], 'must be a list of package names');
  policy.typosquatAllow = new Set((allow as string[]).map(normalizeName));
  if (d.provenance !== undefined) {
    if (!['require', 'warn', 'off'].includes(String(d.provenance)))
      throw fail(['provenance'], 'must be require, warn or off');
    policy.provenance = d.provenance as Policy['provenance'];
  }
  return policy;
}

/** Parses a policy YAML file (same keys as the config section). */
export function parsePolicyFile(text: string, file: string): Policy {
  const y = parseYamlFile(text, file);
  const data = yamlData(y);
  return policyFromData(data, file, (path) => {
    const node = y.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? y.lineCounter.linePos(node.range[0]).line : undefined;
  });
}

/** The policy file's entries win; lists are concatenated. */
export function mergePolicies(base: Policy, over: Policy): Policy {
  return {
    publishers: { ...base.publishers, ...over.publishers },
    allowTags: [...over.allowTags, ...base.allowTags],
    ignores: [...base.ignores, ...over.ignores],
    cooldownDays: over.cooldownDays || base.cooldownDays,
    typosquatAllow: new Set([...base.typosquatAllow, ...over.typosquatAllow]),
    provenance: over.provenance ?? base.provenance
  };
}

const STRICTNESS = ['off', 'warn', 'require'] as const;
/** `require`: missing provenance is high; `warn`: informational; `off`: not checked. */
export type ProvenanceMode = (typeof STRICTNESS)[number];

/** The stricter of two provenance modes: a repository's config can demand `require`, a workflow cannot weaken it. */
export function stricterProvenance(a: ProvenanceMode, b?: ProvenanceMode): ProvenanceMode {
  return b && STRICTNESS.indexOf(b) > STRICTNESS.indexOf(a) ? b : a;
}
