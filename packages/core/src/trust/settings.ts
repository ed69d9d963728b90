// The ecosystem from the config file's `trust:` section (validated by the
// config schema) and what the caller adds: the `trusted-orgs` input, the
// CLI's flags. And the I/O the model needs, over the suite's GitHub client.
import type { GitHubClient } from '../github';
import type { Ecosystem, TrustIO } from './types';

export const DEFAULT_VOUCH_FILE = 'trust.yml';

/** A GitHub login or organisation name (a bot's `[bot]` suffix allowed), and `owner/name`. */
export const isLogin = (s: string) => /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/.test(s);
export const isRepoName = (s: string) =>
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/[A-Za-z0-9._-]{1,100}$/.test(s);

interface Section {
  orgs?: string[];
  repositories?: string[];
  roots?: string[];
  'vouch-file'?: string;
  'max-depth'?: number;
  years?: number;
}

const unique = (xs: string[]) => [...new Map(xs.map((x) => [x.toLowerCase(), x])).values()];

/** `section`: the config's `trust:`; `source`: the file it came from, named beside each root. */
export function ecosystemFrom(
  section: Record<string, unknown> | undefined,
  extra: { orgs?: string[]; repositories?: string[]; roots?: string[]; rootsSource?: string; source?: string } = {}
): Ecosystem {
  const s = (section ?? {}) as Section;
  return {
    orgs: unique([...(s.orgs ?? []), ...(extra.orgs ?? [])]),
    repositories: unique([...(s.repositories ?? []), ...(extra.repositories ?? [])]),
    roots: [
      ...(s.roots ?? []).map((login) => ({ login, source: extra.source ?? 'the config file' })),
      ...(extra.roots ?? []).map((login) => ({ login, source: extra.rootsSource ?? 'the command line' }))
    ],
    vouchFile: s['vouch-file'] ?? DEFAULT_VOUCH_FILE,
    maxDepth: s['max-depth'] ?? 3,
    years: s.years ?? 5
  };
}

/** The model's I/O over a client from `createGitHubClient`. */
export function clientIO(client: GitHubClient, now: () => Date = () => new Date()): TrustIO {
  return {
    graphql: (query, variables) => client.graphql(query, variables),
    rest: (route, params) => client.rest.request(route, params),
    now
  };
}
