// Bots a project relies on, known by their account ids. The `[bot]` suffix
// belongs to GitHub Apps and the id of an App's bot account never changes,
// so a login with the known id (from the event's `user.id` or the API) is
// that bot; the name alone is not proof (tj-actions' commit posed as Renovate).
const KNOWN: Record<string, { id: number; name: string }> = {
  'dependabot[bot]': { id: 49699333, name: 'Dependabot' },
  'renovate[bot]': { id: 29139614, name: 'Renovate' },
  'pre-commit-ci[bot]': { id: 66853113, name: 'pre-commit.ci' },
  'github-actions[bot]': { id: 41898282, name: 'GitHub Actions' }
};

/** The bot's name when `login` is a known bot and `id` is its account id. */
export function knownBot(login: string, id: number | undefined): string | undefined {
  const k = KNOWN[login.toLowerCase()];
  return k && k.id === id ? k.name : undefined;
}
