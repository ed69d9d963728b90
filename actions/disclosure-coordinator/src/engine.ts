// The coordinator's engine, pure over the injected GitHub clients and a clock:
// scope (tracked organizations and repositories), every advisory of that scope,
// the service levels, then (only when an advisory names a Python package that
// is in embargo or recently published) the ecosystem map, who is affected,
// collaborator proposals during the embargo and notices after publication;
// private vulnerability reporting and unannounced security fixes come last.
// Each step checks the rate budget first; what did not fit is "not checked".
import pLimit from 'p-limit';
import {
  type Finding,
  type NotChecked,
  type Rule,
  compareStrings,
  createFinding,
  describeApiError
} from '@security-actions/core';
import { Budget, OUT_OF_BUDGET, globMatcher, listAdvisories, orgRepos, parseAdvisory, repoInfo } from './github';
import { type RepoDependencies, readDependencies } from './ecosystem';
import { affectedEntries, packageRisks } from './affected';
import { coordinateEmbargo } from './coordinate';
import { notifyRepo } from './notify';
import { OPEN_STATES, ageDays, checkReleases, checkReporting, trackAdvisory } from './track';
import { REGISTRY, RULES } from './rules';
import type { Advisory, Affected, CoordinatorIO, DependencyEntry, DisclosureConfig, Sink, TrackedRepo } from './types';

export interface CoordinatorOptions {
  now: Date;
  config: DisclosureConfig;
  /** Add allowed collaborators and open notices; otherwise both are only proposed. */
  apply: boolean;
  /** The repository the coordinator runs in: neither tracked nor notified. */
  self?: string;
  /** Requests kept in reserve: the run stops spending below it. */
  reserve?: number;
}

/** One advisory on the dashboard. */
export interface AdvisoryRow {
  ghsa: string;
  repo: string;
  url: string;
  state: string;
  ageDays: number;
  privateFork: boolean;
  cve: boolean;
  /** Downstream repositories that must act, and how many were notified or invited. */
  affected: number;
  notified: number;
  invited: number;
}

export interface CoordinatorResult {
  rules: Rule[];
  findings: Finding[];
  notChecked: NotChecked[];
  notes: string[];
  stats: Record<string, number>;
  advisories: AdvisoryRow[];
  target: string;
}

const DAY = 86_400_000;
const EXPOSURE_RULE = {
  'pins-affected': RULES.pinsAffected,
  'range-excludes-fix': RULES.rangeExcludesFix,
  'range-allows-affected': RULES.rangeAllowsAffected
} as const;

export async function coordinate(io: CoordinatorIO, opts: CoordinatorOptions): Promise<CoordinatorResult> {
  const { config, now } = opts;
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const notes: string[] = [];
  const sink: Sink = {
    findings,
    add: (rule, input) => findings.push(createFinding(rule, input)),
    skip: (check, reason, target) => notChecked.push({ check, reason, target }),
    note: (m) => notes.push(m)
  };
  const budget = new Budget(io.remaining, opts.reserve ?? 50);
  const excluded = globMatcher(config.exclude);
  const isSelf = (name: string) => name.toLowerCase() === opts.self?.toLowerCase();
  const stats: Record<string, number> = {};

  // 1. Scope.
  const tracked = new Map<string, TrackedRepo>();
  const orgOf = new Map<string, string>();
  for (const org of config.orgs) {
    try {
      for (const r of await orgRepos(io.api, org).catch((e: unknown) => budget.fail(e))) {
        if (r.archived || r.fork || excluded(r.fullName) || isSelf(r.fullName)) continue;
        tracked.set(r.fullName.toLowerCase(), r);
        orgOf.set(r.fullName.toLowerCase(), org);
      }
    } catch (e) {
      const missing = (e as { status?: number }).status === 404;
      sink.skip(
        'tracking',
        `organization not tracked: ${missing ? 'not found (or not visible to the token)' : describeApiError(e, 'metadata: read')}`,
        org
      );
    }
  }
  for (const name of config.repositories) {
    if (tracked.has(name.toLowerCase()) || excluded(name) || isSelf(name)) continue;
    try {
      const r = await repoInfo(io.api, name).catch((e: unknown) => budget.fail(e));
      if (!r.archived) tracked.set(r.fullName.toLowerCase(), r);
    } catch (e) {
      sink.skip('tracking', `repository not tracked: ${describeApiError(e, 'metadata: read')}`, name);
    }
  }

  // 2. Advisories: one list per organization, else one per repository.
  const raw: unknown[] = [];
  const perRepo = [...tracked.values()].filter((r) => !orgOf.has(r.fullName.toLowerCase()));
  for (const org of config.orgs) {
    try {
      raw.push(...(await listAdvisories(io.api, { org }).catch((e: unknown) => budget.fail(e))));
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status !== 403 && status !== 404) {
        sink.skip('advisories', `not read: ${describeApiError(e)}`, org);
        continue;
      }
      // Per repository, GitHub answers a token without repository security advisories: read with the
      // published advisories only, and a token with it with all: the answer cannot tell the two apart.
      sink.skip(
        'advisories',
        `unpublished advisories (reports, drafts) may be missing: the organization's list was refused (needs repository security advisories: write, or an owner), so they were read per repository, where only a token with repository security advisories: read sees them`,
        org
      );
      perRepo.push(...[...tracked.values()].filter((r) => orgOf.get(r.fullName.toLowerCase()) === org));
    }
  }
  const limit = pLimit(8);
  await Promise.all(
    perRepo.map((r) =>
      limit(async () => {
        if (!budget.allows()) return sink.skip('advisories', OUT_OF_BUDGET, r.fullName);
        try {
          raw.push(...(await listAdvisories(io.api, { repo: r.fullName }).catch((e: unknown) => budget.fail(e))));
        } catch (e) {
          sink.skip(
            'advisories',
            `not read: ${describeApiError(e, 'repository security advisories: read')}`,
            r.fullName
          );
        }
      })
    )
  );
  const advisories: Advisory[] = [];
  for (const x of raw) {
    const a = parseAdvisory(x);
    if (typeof a === 'string') sink.skip('advisories', `not checked: ${a}`);
    else if (tracked.has(a.repo.toLowerCase())) advisories.push(a);
  }
  advisories.sort((a, b) => compareStrings(a.repo, b.repo) || compareStrings(a.ghsa, b.ghsa));

  // 3. Service levels and disclosure hygiene.
  for (const a of advisories) trackAdvisory(a, tracked.get(a.repo.toLowerCase()), { now, config, sink });

  // 4. Who is affected, for drafts and recently published advisories that name a Python package.
  const inFollowUp = (a: Advisory) =>
    a.state === 'published' &&
    !!a.publishedAt &&
    now.getTime() - Date.parse(a.publishedAt) <= config.serviceLevels.followUp * DAY;
  const followed = advisories.filter((a) => a.state === 'draft' || inFollowUp(a));
  const risks = new Map(followed.map((a) => [a, packageRisks(a)] as const));
  for (const [a, r] of risks) for (const p of r.problems) sink.skip('downstream', `not checked: ${p}`, a.repo);
  const rows = new Map<Advisory, AdvisoryRow>();
  for (const a of advisories.filter((x) => OPEN_STATES.has(x.state) || inFollowUp(x)))
    rows.set(a, {
      ghsa: a.ghsa,
      repo: a.repo,
      url: a.url,
      state: a.state,
      ageDays: ageDays(a.createdAt, now),
      privateFork: !!a.privateFork,
      cve: !!a.cveId,
      affected: 0,
      notified: 0,
      invited: 0
    });
  const mapped = followed.filter((a) => risks.get(a)!.risks.length);
  if (!mapped.length) {
    notes.push(
      'No draft or recently published advisory names a Python package with a range: the ecosystem was not mapped.'
    );
  } else {
    const entries = await mapEcosystem(io, tracked, { config, budget, sink, isSelf, excluded, stats });
    for (const a of mapped) {
      const { affected, unevaluated } = affectedEntries(a, risks.get(a)!.risks, entries);
      for (const u of unevaluated)
        sink.skip('downstream', `not checked for ${a.ghsa}: ${u.reason}`, `${u.entry.repo} ${u.entry.file}`);
      for (const x of affected) addExposure(x, sink);
      const byRepo = new Map<string, Affected[]>();
      for (const x of affected) byRepo.set(x.repo, [...(byRepo.get(x.repo) ?? []), x]);
      const row = rows.get(a)!;
      row.affected = [...byRepo.values()].filter((xs) => xs.some((x) => x.exposure !== 'range-allows-affected')).length;
      if (a.state === 'draft') {
        const out = await coordinateEmbargo(a, affected, { api: io.api, config, apply: opts.apply, budget, sink });
        row.invited = out.invited.length;
      } else {
        for (const [repo, xs] of byRepo) {
          if (isSelf(repo)) continue;
          const r = await notifyRepo(a, repo, xs, {
            writer: io.writer,
            apply: opts.apply,
            sink,
            pullRequests: config.pullRequests ? { repoEntries: entries.filter((e) => e.repo === repo) } : undefined
          });
          if (
            ['created', 'updated', 'unchanged', 'closed'].includes(r) &&
            xs.some((x) => x.exposure !== 'range-allows-affected')
          )
            row.notified++;
          if (r === 'created') stats['notices opened'] = (stats['notices opened'] ?? 0) + 1;
        }
      }
    }
  }

  // 5. Reporting channels and unannounced fixes of the tracked repositories.
  const repos = [...tracked.values()];
  await checkReporting(io.api, repos, budget, sink);
  await checkReleases(io.api, repos, advisories, { now, config, budget, sink });

  if (budget.exhausted)
    notes.push('The API rate budget ran out: what is listed as not checked for that reason was not read this run.');
  Object.assign(stats, {
    'repositories tracked': tracked.size,
    advisories: advisories.length,
    'open advisories': [...rows.values()].filter((r) => OPEN_STATES.has(r.state)).length
  });
  return {
    rules: REGISTRY.list(),
    findings,
    notChecked,
    notes,
    stats,
    advisories: [...rows.values()],
    target: [...config.orgs, ...config.repositories].join(', ')
  };
}

/** Reads every downstream repository's dependencies (tracked repositories and the configured list). */
async function mapEcosystem(
  io: CoordinatorIO,
  tracked: Map<string, TrackedRepo>,
  c: {
    config: DisclosureConfig;
    budget: Budget;
    sink: Sink;
    isSelf: (n: string) => boolean;
    excluded: (n: string) => boolean;
    stats: Record<string, number>;
  }
): Promise<DependencyEntry[]> {
  const targets = new Map<string, { files?: string[] }>();
  if (c.config.mapOrgs) for (const r of tracked.values()) targets.set(r.fullName.toLowerCase(), {});
  for (const d of c.config.downstream)
    if (!c.excluded(d.repo) && !c.isSelf(d.repo)) targets.set(d.repo.toLowerCase(), { files: d.files });
  const names = new Map([...tracked.values()].map((r) => [r.fullName.toLowerCase(), r.fullName]));
  for (const d of c.config.downstream) names.set(d.repo.toLowerCase(), d.repo);
  const limit = pLimit(8);
  const maps: RepoDependencies[] = [];
  await Promise.all(
    [...targets].map(([key, t]) =>
      limit(async () => {
        const repo = names.get(key)!;
        // A listing, a few files and the SBOM: stop before the budget cannot cover a typical repository.
        if (!c.budget.allows(4)) return c.sink.skip('downstream', OUT_OF_BUDGET, repo);
        const deps = await readDependencies(io.api, repo, { files: t.files, sbom: c.config.sbom, budget: c.budget });
        for (const p of deps.problems) c.sink.skip('downstream', `not checked: ${p}`, repo);
        maps.push(deps);
      })
    )
  );
  c.stats['downstream repositories mapped'] = maps.length;
  c.stats['dependency files read'] = maps.reduce((n, m) => n + m.files.length, 0);
  c.stats['SBOMs read'] = maps.filter((m) => m.sbom === 'read').length;
  const off = maps.filter((m) => m.sbom === 'off').length;
  if (c.config.sbom && off)
    c.sink.note(
      `${off} downstream repositor${off === 1 ? 'y has' : 'ies have'} no dependency graph: mapped from their files only.`
    );
  return maps.flatMap((m) => m.entries);
}

function addExposure(x: Affected, sink: Sink): void {
  const e = x.entry;
  const where = `${e.file}${e.line ? `:${e.line}` : ''}`;
  const req = e.text ?? `${e.name}${e.specifier}`;
  const fix = x.patched.length ? `patched: ${x.patched.join(', ')}` : 'no patched release named yet';
  const what = {
    'pins-affected': `pins ${e.name} ${e.version}, which`,
    'range-excludes-fix': `requires ${e.name}${e.specifier}, which admits no patched release but versions that`,
    'range-allows-affected': `requires ${e.name}${e.specifier}, which still admits versions that`
  }[x.exposure];
  sink.add(EXPOSURE_RULE[x.exposure], {
    message: `${x.repo}: ${where} ${what} ${x.advisory.ghsa} (${x.advisory.repo}, ${x.advisory.state}) affects (${x.range}; ${fix}).`,
    evidence: req,
    key: `${x.advisory.ghsa}\0${x.repo}\0${where}\0${e.name}`,
    properties: {
      repo: x.repo,
      advisory: x.advisory.ghsa,
      upstream: x.advisory.repo,
      file: e.file,
      ...(e.line ? { line: e.line } : {}),
      package: e.name,
      requirement: e.specifier,
      patched: x.patched
    }
  });
}
