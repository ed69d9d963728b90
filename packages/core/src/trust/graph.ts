// What the run knows about people, and the shortest chains from the
// ecosystem's maintainers to an author. Maintainers are the config's roots
// and anyone GitHub shows with push access to an ecosystem repository: who
// merged a PR there (merging needs it) or reviewed one with
// `authorCanPushToRepository`. Edges run from a person to someone whose PRs
// they merged or approved, and from a voucher to whom they vouch for. Paths
// are found backwards from the author, breadth first, so the first starts
// reached are the nearest; a vouch by someone no path reaches adds nothing.
import type { Checked, Edge, History, PathStart, Revocation, TrustPath, Vouch, VouchStatus } from './types';
import { vouchInvalidity } from './vouches';

const key = (login: string) => login.toLowerCase();

export class Knowledge {
  readonly roots = new Map<string, { login: string; source: string }>();
  /** Push access seen: login → repositories. */
  readonly maintainers = new Map<string, { login: string; repos: Set<string> }>();
  /** Histories fetched, or why not. */
  readonly histories = new Map<string, Checked<History>>();
  vouches: Vouch[] = [];
  revocations: Revocation[] = [];

  constructor(roots: { login: string; source: string }[]) {
    for (const r of roots) this.roots.set(key(r.login), r);
  }

  private maintainerOf(login: string, repo: string): void {
    const m = this.maintainers.get(key(login)) ?? { login, repos: new Set<string>() };
    m.repos.add(repo);
    this.maintainers.set(key(login), m);
  }

  addHistory(login: string, h: Checked<History>): void {
    this.histories.set(key(login), h);
    if (!h.ok) return;
    for (const p of h.value.merged) {
      if (p.mergedBy) this.maintainerOf(p.mergedBy, p.repo);
      for (const a of p.approvers) if (a.canPush) this.maintainerOf(a.login, p.repo);
    }
    for (const r of h.value.reviewed) if (r.canPush) this.maintainerOf(login, r.repo);
  }

  /** Why someone may start a path, if they may. */
  start(login: string): PathStart | undefined {
    const root = this.roots.get(key(login));
    if (root) return { login: root.login, kind: 'root', where: [root.source] };
    const m = this.maintainers.get(key(login));
    return m ? { login: m.login, kind: 'maintainer', where: [...m.repos].sort() } : undefined;
  }

  /** The vouches for `login` with whether each counts on `day` by its dates and revocations. */
  vouchesFor(login: string, day: string): { vouch: Vouch; invalid?: ReturnType<typeof vouchInvalidity> }[] {
    return this.vouches
      .filter((v) => key(v.for) === key(login))
      .map((vouch) => ({ vouch, invalid: vouchInvalidity(vouch, this.revocations, day) }));
  }

  /** Edges into `login` known so far: from its history (when fetched) and from the vouch files. */
  incoming(login: string, day: string): Edge[] {
    const edges: Edge[] = [];
    const h = this.histories.get(key(login));
    if (h?.ok) {
      const atLeast = h.value.mergedTotal > h.value.merged.length;
      const agg = new Map<string, Edge>();
      const add = (from: string, kind: 'merged' | 'approved', repo: string, at: string) => {
        if (key(from) === key(login)) return;
        const k = `${kind}:${key(from)}`;
        const e = agg.get(k) ?? { from, to: login, kind, repos: [], count: 0, atLeast, since: at };
        e.count++;
        if (!e.repos.includes(repo)) e.repos.push(repo);
        if (at < e.since) e.since = at;
        agg.set(k, e);
      };
      for (const p of h.value.merged) {
        if (p.mergedBy) add(p.mergedBy, 'merged', p.repo, p.mergedAt);
        for (const a of p.approvers) add(a.login, 'approved', p.repo, p.mergedAt);
      }
      // Merges first, then the most PRs: the strongest evidence leads.
      edges.push(
        ...[...agg.values()].sort((a, b) => (a.kind === b.kind ? b.count - a.count : a.kind === 'merged' ? -1 : 1))
      );
    }
    for (const { vouch, invalid } of this.vouchesFor(login, day)) {
      if (!invalid)
        edges.push({
          from: vouch.by,
          to: login,
          kind: 'vouched',
          repos: [],
          count: 1,
          atLeast: false,
          since: vouch.since,
          vouch
        });
    }
    return edges;
  }
}

export interface Search {
  /** The shortest paths found, one per start (at most `limit`). */
  paths: TrustPath[];
  /**
   * People within reach whose history is needed to go on (not fetched yet). With paths found, only
   * those nearer the target than the paths' starts: through them a shorter path may exist.
   */
  unexplored: string[];
  /** The same people whose history could not be read, with why. */
  failed: { login: string; reason: string }[];
}

/** Breadth-first from `target` backwards, at most `maxDepth` hops. */
export function shortestPaths(k: Knowledge, target: string, maxDepth: number, day: string, limit = 3): Search {
  const self = k.start(target);
  if (self) return { paths: [{ start: self, steps: [] }], unexplored: [], failed: [] };
  /** For each person reached, the edge towards the target. */
  const next = new Map<string, Edge>([[key(target), { from: target, to: target } as Edge]]);
  let level = [target];
  const unexplored: string[] = [];
  const failed: Search['failed'] = [];
  for (let depth = 1; depth <= maxDepth && level.length; depth++) {
    const found: TrustPath[] = [];
    const upcoming: string[] = [];
    const [missing, broken] = [unexplored.length, failed.length];
    for (const person of level) {
      const h = k.histories.get(key(person));
      if (!h) unexplored.push(person);
      else if (!h.ok) failed.push({ login: person, reason: h.reason });
      for (const e of k.incoming(person, day)) {
        if (next.has(key(e.from))) continue;
        next.set(key(e.from), e);
        const start = k.start(e.from);
        if (start) found.push({ start, steps: chain(next, e.from, target) });
        else upcoming.push(e.from);
      }
    }
    // People of this level lead to paths no shorter than those found here.
    if (found.length)
      return {
        paths: found.slice(0, limit),
        unexplored: unexplored.slice(0, missing),
        failed: failed.slice(0, broken)
      };
    level = upcoming;
  }
  return { paths: [], unexplored, failed };
}

function chain(next: Map<string, Edge>, from: string, target: string): Edge[] {
  const steps: Edge[] = [];
  let at = from;
  while (key(at) !== key(target)) {
    const e = next.get(key(at))!;
    steps.push(e);
    at = e.to;
  }
  return steps;
}

/** Each vouch for `login` and whether it counted: its dates, its revocations, and whether a path reaches the voucher. */
export function vouchStatuses(k: Knowledge, login: string, maxDepth: number, day: string): VouchStatus[] {
  return k.vouchesFor(login, day).map(({ vouch, invalid }) => {
    if (invalid) return { vouch, ...invalid };
    const s = shortestPaths(k, vouch.by, maxDepth - 1, day, 1);
    if (s.paths.length) return { vouch, status: 'counted' };
    if (s.unexplored.length || s.failed.length)
      return {
        vouch,
        status: 'not checked',
        detail: `the history of ${[...s.unexplored, ...s.failed.map((f) => f.login)].map((l) => `@${l}`).join(', ')} was not read`
      };
    return { vouch, status: 'voucher not trusted', detail: `no path from the maintainers reaches @${vouch.by}` };
  });
}
