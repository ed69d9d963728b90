// The PR's 0-10 risk score: each finding weighs severity × confidence, the
// same finding repeated across files (one Dependabot bump in 8 workflows)
// counts once with diminishing weight, weak signals are capped so a pile of
// them cannot look like an attack, and chains of families that make up an
// attack (GuardDog v3's "capability + threat") add on top: obfuscation +
// execution, a build change + network, a new workflow + secrets + an outside
// host, an install hook beside an obfuscated script. Who the author is to the
// ecosystem scales the findings on sensitive paths and build files, never the
// opaque, obfuscated, malicious or injected content a trusted account can also
// bring (xz).
import { type Confidence, type Finding, type Severity, isActive } from '@security-actions/core';
import type { Standing } from '@security-actions/core/trust';
import { isSensitive } from './meta';
import { REGISTRY } from './rules';

const SEVERITY: Record<Severity, number> = { critical: 4, high: 2.5, medium: 1.2, low: 0.4, info: 0.1 };
const CONFIDENCE: Record<Confidence, number> = { high: 1, medium: 0.7, low: 0.35 };
/** Most that low-specificity findings (low/info severity or low confidence) can add together. */
const WEAK_CAP = 1;
/** Each further copy of the same finding (same rule and evidence, another file) weighs this much of the one before. */
const REPEAT = 0.5;

/** The factor on sensitive-path and build findings by the author's standing (docs/pr-anomaly-scan.md). */
export const AUTHOR_FACTOR: Record<Standing, number> = {
  none: 1.5,
  unknown: 1,
  far: 1,
  bot: 1,
  near: 0.7,
  maintainer: 0.5
};

/** Content a trusted account can bring as well as anyone (xz's maintainer did): never weighed by the author. */
const UNWEIGHED_GROUPS = new Set(['binary', 'obfuscation', 'unicode', 'secrets', 'code']);
const UNWEIGHED_RULES =
  /injection|^meta\/(branch-name-shell|unverified-bot-identity)$|^workflow\/(secrets-to-outside-host|runner-registration|all-secrets)$/;
const AUTHOR_RULES = new Set(['meta/new-author-sensitive-paths', 'meta/governance-edit', 'meta/ide-autorun']);

/** Whether who the author is scales this finding: sensitive paths and build files, short of the content above. */
export function weighedByAuthor(f: Finding): boolean {
  const group = REGISTRY.get(f.ruleId)?.group ?? '';
  if (UNWEIGHED_GROUPS.has(group) || UNWEIGHED_RULES.test(f.ruleId)) return false;
  // xz's maintainer broke the Landlock test and shipped the backdoored m4: sabotage of the build is not weighed either.
  if (f.ruleId === 'build/feature-test' || (f.ruleId === 'build/autotools' && f.severity === 'critical')) return false;
  return (
    ['build', 'workflow', 'deps'].includes(group) ||
    AUTHOR_RULES.has(f.ruleId) ||
    (f.location?.file !== undefined && isSensitive(f.location.file))
  );
}

export interface Score {
  score: number;
  band: 'none' | 'low' | 'elevated' | 'high' | 'critical';
  chains: string[];
  /** The author's factor and how many findings it scaled (none when 1). */
  author?: { standing: Standing; factor: number; findings: number };
}

export function riskScore(findings: Finding[], standing?: Standing): Score {
  const active = findings.filter(isActive);
  const factor = standing ? AUTHOR_FACTOR[standing] : 1;
  let scaled = 0;
  let strong = 0;
  let weak = 0;
  const weighed = active.map((f) => {
    const by = factor !== 1 && weighedByAuthor(f) ? factor : 1;
    if (by !== 1) scaled++;
    return { f, w: SEVERITY[f.severity] * CONFIDENCE[f.confidence] * by };
  });
  // The heaviest copy of each repeated finding counts in full, each further one half the one before.
  const copies = new Map<string, number>();
  for (const { f, w } of weighed.sort((a, b) => b.w - a.w)) {
    const key = `${f.ruleId}\0${f.evidence ?? f.message}`;
    const n = copies.get(key) ?? 0;
    copies.set(key, n + 1);
    const counted = w * REPEAT ** n;
    if (f.severity === 'low' || f.severity === 'info' || f.confidence === 'low') weak += counted;
    else strong += counted;
  }
  const family = (f: Finding) => REGISTRY.get(f.ruleId)?.group;
  const has = (pred: (f: Finding) => boolean) => active.some(pred);
  const chains: string[] = [];
  const is = (...ids: string[]) => has((f) => ids.includes(f.ruleId));
  if (
    is('obfuscation/encoded-exec', 'obfuscation/bundled-js-payload', 'obfuscation/shell-decode-exec') ||
    (has((f) => family(f) === 'obfuscation' && f.severity !== 'low' && f.severity !== 'info') &&
      is('build/import-time-process', 'code/silent-process', 'code/install-hook'))
  ) {
    chains.push('obfuscated data reaches code execution');
  }
  if (
    has((f) => family(f) === 'build' && f.properties?.network === true) ||
    has((f) => f.ruleId === 'code/install-hook' && f.severity === 'high') ||
    (has((f) => family(f) === 'build') && is('workflow/secrets-to-outside-host'))
  ) {
    chains.push('build change with network access');
  }
  // Shai-Hulud: a lifecycle script beside a large obfuscated script it runs.
  if (is('code/install-hook') && is('obfuscation/minified-js', 'obfuscation/packer'))
    chains.push('install hook beside an obfuscated script');
  // tj-actions: a new exec sink in an action's bundle, in a commit that poses as a bot.
  if (is('code/dist-exec-sink') && is('meta/unverified-bot-identity'))
    chains.push('bundle gains an exec sink under a false bot identity');
  if (
    has((f) => f.ruleId === 'workflow/secrets-to-outside-host') ||
    (has((f) => f.ruleId === 'workflow/all-secrets') && has((f) => f.ruleId === 'workflow/dangerous-trigger'))
  ) {
    chains.push('workflow sends secrets out');
  }
  if (has((f) => family(f) === 'binary') && has((f) => f.ruleId === 'build/autotools'))
    chains.push('opaque test data with a build-script change (xz)');
  if (has((f) => f.ruleId === 'meta/branch-name-shell' && f.severity === 'critical'))
    chains.push('command in branch name');
  const raw = strong + Math.min(weak, WEAK_CAP) + 2.5 * chains.length;
  // Saturating: the first strong signals move the score most; 10 is reserved for chained evidence.
  const score = Math.round(Math.min(10, 10 * (1 - Math.exp(-raw / 5))) * 10) / 10;
  const band = score === 0 ? 'none' : score < 2 ? 'low' : score < 5 ? 'elevated' : score < 8 ? 'high' : 'critical';
  return { score, band, chains, ...(standing && scaled ? { author: { standing, factor, findings: scaled } } : {}) };
}
