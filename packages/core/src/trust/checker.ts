// Who an author is to the ecosystem, within a few requests: one GraphQL
// request for the author's account, contributions and ecosystem history, one
// REST request for their public organisation memberships, and, only when no
// path is found yet, one request for the people standing between them and
// the maintainers (vouchers, reviewers). The vouch files are read once per
// run. Everything read is cached for the run; a request budget per author and
// for the run, and GitHub's rate limit, stop the walk. What could not be read
// is "not checked" with the reason, never "trusted" and never "no history".
import { oneLine } from '../errors';
import { knownBot } from './bots';
import { activity, commitFacts, signingFacts } from './facts';
import { Knowledge, shortestPaths, vouchStatuses } from './graph';
import {
  type CommitSignature,
  type PersonQuery,
  ShapeError,
  type UserAnswer,
  personFields,
  readCount,
  readMerged,
  readReviewed,
  readUser,
  readVouchFile,
  scopeChunks,
  vouchFileField
} from './queries';
import {
  type Account,
  type Checked,
  type Ecosystem,
  type GivenReview,
  type History,
  type MergedPull,
  type Standing,
  type TrustIO,
  type TrustReport,
  checked,
  notChecked
} from './types';
import { type Budget, Requests, both, chunks, section } from './requests';
import { parseVouchFile } from './vouches';

export interface CheckerOptions {
  /** The repository the PR is for (`owner/name`): part of the ecosystem, and counted on its own. */
  repo?: string;
  /** The PR's base commit: the vouch file is read there when the PR is for that `.github` repository. */
  baseSha?: string;
  /** Requests per author (default 3). */
  perAuthor?: number;
  /** Requests for the whole run, vouch files included (default: no limit). */
  maxRequests?: number;
  /** Stop before GitHub's GraphQL points fall below this (default 100). */
  minRatePoints?: number;
}

/** People whose history one request reads while following paths. */
const BATCH = 10;
/** PRs listed per search: the author's, and each other person's. */
const FIRST_AUTHOR = 50;
const FIRST_OTHER = 20;

const DAY_MS = 86_400_000;

export class TrustChecker {
  readonly knowledge: Knowledge;
  private readonly api: Requests;
  private readonly scope: string[];
  private readonly ecosystem: Set<string>;
  private vouchesRead?: Promise<Checked<true>>;

  constructor(
    private readonly io: TrustIO,
    readonly eco: Ecosystem,
    private readonly opts: CheckerOptions = {}
  ) {
    this.knowledge = new Knowledge(eco.roots);
    const repos = [...eco.repositories, ...(opts.repo ? [opts.repo] : [])];
    this.scope = scopeChunks(eco.orgs, repos);
    this.ecosystem = new Set([...eco.orgs.map((o) => `${o.toLowerCase()}/`), ...repos.map((r) => r.toLowerCase())]);
    this.api = new Requests(io, {
      perAuthor: opts.perAuthor ?? 3,
      maxRequests: opts.maxRequests,
      minRatePoints: opts.minRatePoints ?? 100
    });
  }

  /** Requests sent in the run: the vouch files and every author's. */
  get requests(): number {
    return this.api.count;
  }

  inEcosystem(repo: string): boolean {
    const r = repo.toLowerCase();
    return this.ecosystem.has(r) || this.ecosystem.has(`${r.split('/')[0]}/`);
  }

  /** The author's facts and paths. `hint`: the event's `user.id` and `user.type`, which are GitHub's word. */
  async check(login: string, hint: { id?: number; type?: string } = {}): Promise<TrustReport> {
    const now = this.io.now();
    const day = now.toISOString().slice(0, 10);
    const budget = this.api.author();
    const pending = notChecked('not read');
    const report: TrustReport = {
      login,
      at: now.toISOString(),
      ecosystem: { orgs: this.eco.orgs, repositories: this.eco.repositories },
      ...(this.opts.repo ? { repo: this.opts.repo } : {}),
      account: pending,
      memberships: pending,
      merged: pending,
      reviews: pending,
      commits: pending,
      signing: pending,
      vouches: pending,
      paths: pending,
      standing: 'unknown',
      requests: 0,
      notes: []
    };
    if (hint.type === 'Bot') return this.bot(report, login, hint.id, budget);

    const vouchFiles = await this.readVouches();
    const years = this.years(now);
    const q: PersonQuery = {
      alias: 'a',
      login,
      full: true,
      scope: this.scope,
      repo: this.opts.repo,
      years,
      first: FIRST_AUTHOR
    };
    const [sent, orgs] = await Promise.all([
      this.api.graphql([personFields(q)], budget),
      this.memberships(login, budget)
    ]);
    report.memberships = orgs;
    if (typeof sent === 'string') {
      for (const k of ['account', 'merged', 'reviews', 'commits', 'signing', 'paths'] as const)
        report[k] = notChecked(sent);
      this.knowledge.addHistory(login, notChecked(sent));
    } else {
      const user = section(sent, 'au', (x) =>
        readUser(
          x,
          years.map((y) => y.year)
        )
      );
      if (!user.ok && sent.errors.some((e) => e.path?.[0] === 'au' && e.type === 'NOT_FOUND'))
        return this.notAUser(report, login, budget);
      const merged = chunks(sent, 'am', this.scope.length, (x) => readMerged(x, login), NO_MERGES);
      const reviewed = chunks(sent, 'ar', this.scope.length, readReviewed, NO_REVIEWS);
      const here = (a: string) => (this.opts.repo ? section(sent, a, readCount) : checked(undefined));
      const [hm, hr] = [here('ahm'), here('ahr')];
      report.account = user.ok ? checked(this.account(user.value, now)) : user;
      report.commits = user.ok ? checked(commitFacts(user.value, (r) => this.inEcosystem(r), this.opts.repo)) : user;
      report.merged = both(merged, hm, (m, h) =>
        activity(
          m.pulls.map((p) => ({ repo: p.repo, at: p.mergedAt })),
          m.total,
          h
        )
      );
      report.reviews = both(reviewed, hr, (r, h) => activity(r.reviews, r.total, h));
      report.signing = merged.ok ? checked(signingFacts(merged.value.commits, now)) : merged;
      this.knowledge.addHistory(login, history(merged, reviewed));
    }
    await this.paths(report, login, day, vouchFiles, budget);
    report.requests = budget.used;
    return report;
  }

  /** What was not read for an account that is not a person, with why. */
  private done(report: TrustReport, why: string, budget: Budget): TrustReport {
    for (const k of ['account', 'memberships', 'merged', 'reviews', 'commits', 'signing', 'vouches', 'paths'] as const)
      if (!report[k].ok && report[k].reason === 'not read') report[k] = notChecked(why);
    report.requests = budget.used;
    return report;
  }

  /** Follows paths from the author, reading the people on the way in batches while the budget lasts. */
  private async paths(report: TrustReport, login: string, day: string, files: Checked<true>, budget: Budget) {
    const k = this.knowledge;
    const depth = this.eco.maxDepth;
    let search = shortestPaths(k, login, depth, day);
    const more = async (people: string[]) => {
      const todo = people.filter((p) => !k.histories.has(p.toLowerCase())).slice(0, BATCH);
      return todo.length > 0 && (await this.histories(todo, budget));
    };
    while (search.unexplored.length && (await more(search.unexplored))) search = shortestPaths(k, login, depth, day);
    // The vouches for the author say whether each counted; that needs their authors' histories too.
    const vouchers = k
      .vouchesFor(login, day)
      .filter((v) => !v.invalid)
      .flatMap((v) => shortestPaths(k, v.vouch.by, depth - 1, day).unexplored);
    if (files.ok && vouchers.length && (await more(vouchers))) search = shortestPaths(k, login, depth, day);
    report.vouches = files.ok ? checked(vouchStatuses(k, login, depth, day)) : files;

    const missing = [...search.unexplored.map((l) => `@${l}`), ...search.failed.map((f) => `@${f.login}`)];
    const why = search.failed[0]?.reason ?? budget.reason ?? this.api.stopped ?? 'not read';
    if (search.paths.length) {
      report.paths = checked(search.paths);
      if (missing.length) report.notes.push(`A shorter path may pass through ${missing.join(', ')}, not read: ${why}.`);
    } else if (missing.length) {
      report.paths = notChecked(`the history of ${missing.join(', ')} was not read: ${why}`);
    } else if (!files.ok) {
      report.paths = notChecked(`the vouch files could not be read: ${files.reason}`);
    } else {
      report.paths = checked([]);
    }
    report.standing = standing(report.paths);
  }

  /** Reads the ecosystem history of `people` in one request; false when it could not be sent. */
  private async histories(people: string[], budget: Budget): Promise<boolean> {
    const qs = people.map((login, i) => ({
      alias: `p${i}`,
      login,
      full: false,
      scope: this.scope,
      first: FIRST_OTHER
    }));
    const sent = await this.api.graphql(qs.map(personFields), budget);
    if (typeof sent === 'string' && budget.reason === sent) return false;
    for (const q of qs) {
      if (typeof sent === 'string') this.knowledge.addHistory(q.login, notChecked(sent));
      else {
        const merged = chunks(sent, `${q.alias}m`, this.scope.length, (x) => readMerged(x, q.login), NO_MERGES);
        const reviewed = chunks(sent, `${q.alias}r`, this.scope.length, readReviewed, NO_REVIEWS);
        this.knowledge.addHistory(q.login, history(merged, reviewed));
      }
    }
    return true;
  }

  private readVouches(): Promise<Checked<true>> {
    return (this.vouchesRead ??= this.vouchFiles());
  }

  private async vouchFiles(): Promise<Checked<true>> {
    const { orgs, vouchFile } = this.eco;
    if (!orgs.length) return checked(true);
    const ref = (org: string) =>
      this.opts.baseSha && this.opts.repo?.toLowerCase() === `${org}/.github`.toLowerCase()
        ? this.opts.baseSha
        : 'HEAD';
    const sent = await this.api.graphql(
      orgs.map((org, i) => vouchFileField(`v${i}`, org, ref(org), vouchFile)),
      this.api.run
    );
    if (typeof sent === 'string') return notChecked(sent);
    const problems: string[] = [];
    orgs.forEach((org, i) => {
      const err = sent.errors.find((e) => e.path?.[0] === `v${i}`);
      // No `.github` repository: the organisation keeps no vouches.
      if (err?.type === 'NOT_FOUND') return;
      if (err) return void problems.push(`${org}/.github: ${err.message}`);
      const file = `${org}/.github/${vouchFile}`;
      try {
        const text = readVouchFile(sent.data[`v${i}`]);
        if (text === null) return;
        const parsed = parseVouchFile(text, file);
        this.knowledge.vouches.push(...parsed.vouches);
        this.knowledge.revocations.push(...parsed.revocations);
      } catch (e) {
        problems.push(e instanceof ShapeError ? `${file}: ${e.message}` : oneLine(e));
      }
    });
    return problems.length ? notChecked(problems.join('; ')) : checked(true);
  }

  private async memberships(login: string, budget: Budget): Promise<Checked<string[]>> {
    if (!this.eco.orgs.length) return checked([]);
    // REST: the only API that lists public memberships alone, whoever asks.
    const r = await this.api.rest('GET /users/{username}/orgs', { username: login, per_page: 100 }, budget);
    if (typeof r === 'string') return notChecked(r);
    if (!Array.isArray(r)) return notChecked("no organisation list in GitHub's answer");
    const orgs = new Set(this.eco.orgs.map((o) => o.toLowerCase()));
    return checked(
      r.flatMap((o) => {
        const name = (o as { login?: unknown }).login;
        return typeof name === 'string' && orgs.has(name.toLowerCase()) ? [name] : [];
      })
    );
  }

  /** GraphQL `user` knows people only: a bot, an organisation or a deleted account is told apart by REST. */
  private async notAUser(report: TrustReport, login: string, budget: Budget): Promise<TrustReport> {
    const r = await this.api.rest('GET /users/{username}', { username: login }, budget);
    if (r === 404) {
      report.account = checked({ kind: 'missing' });
      report.paths = checked([]);
      report.standing = 'none';
      return this.done(report, `GitHub has no account @${login}`, budget);
    }
    if (typeof r === 'string' || !r || typeof r !== 'object') {
      report.account = notChecked(typeof r === 'string' ? r : "no account in GitHub's answer");
      return this.done(report, `the account of @${login} could not be read`, budget);
    }
    const u = r as { type?: unknown; id?: unknown };
    if (u.type === 'Bot') return this.bot(report, login, typeof u.id === 'number' ? u.id : undefined, budget);
    report.account = checked({ kind: u.type === 'Organization' ? 'organization' : 'user' });
    return this.done(report, `@${login} is not a person GitHub's GraphQL API answers for (${String(u.type)})`, budget);
  }

  private bot(report: TrustReport, login: string, id: number | undefined, budget: Budget): TrustReport {
    const name = knownBot(login, id);
    report.account = checked({ kind: 'bot', ...(id === undefined ? {} : { id }), ...(name ? { knownBot: name } : {}) });
    report.standing = name ? 'bot' : 'unknown';
    const why = name
      ? `${name}, a bot verified by its account id: not a person, so paths do not apply`
      : `@${login} is a GitHub App's bot but not a known one (or its id does not match): its trust is not checked`;
    return this.done(report, why, budget);
  }

  private account(u: UserAnswer, now: Date): Account {
    return {
      kind: 'user',
      id: u.id,
      createdAt: u.createdAt,
      ageDays: Math.floor((now.getTime() - Date.parse(u.createdAt)) / DAY_MS)
    };
  }

  /** One window a year, this year's ending now (GitHub's contributions span at most a year). */
  private years(now: Date) {
    const year = now.getUTCFullYear();
    return Array.from({ length: this.eco.years }, (_, i) => year - i).map((y) => ({
      year: y,
      from: `${y}-01-01T00:00:00Z`,
      to: y === year ? now.toISOString() : `${y}-12-31T23:59:59Z`
    }));
  }
}

const NO_MERGES = { total: 0, pulls: [], commits: [] };
const NO_REVIEWS = { total: 0, reviews: [] };

function history(
  merged: Checked<{ total: number; pulls: MergedPull[]; commits: CommitSignature[] }>,
  reviewed: Checked<{ total: number; reviews: GivenReview[] }>
): Checked<History> {
  return both(merged, reviewed, (m, r) => ({
    merged: m.pulls,
    mergedTotal: m.total,
    reviewed: r.reviews,
    reviewedTotal: r.total
  }));
}

function standing(paths: Checked<{ steps: unknown[] }[]>): Standing {
  if (!paths.ok) return 'unknown';
  if (!paths.value.length) return 'none';
  const hops = Math.min(...paths.value.map((p) => p.steps.length));
  return hops === 0 ? 'maintainer' : hops <= 2 ? 'near' : 'far';
}
