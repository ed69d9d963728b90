// Loopback fake of the OpenSSF Best Practices badge app (bestpractices.dev):
// its project search `GET /projects.json?url=URL`, which answers a JSON list of
// the projects whose repo_url or homepage_url is that URL (the real app also
// matches home pages, so clients must compare repo_url), each with the fields
// of the app's projects JSON (id, name, homepage_url, repo_url, badge_level
// in_progress | passing | silver | gold, tiered_percentage, dates).
import { startServer } from '../common.mjs';

const norm = (u) =>
  String(u ?? '')
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '');

/**
 * @param {{ world?: { projects?: { id: number, name?: string, repo_url?: string, homepage_url?: string, badge_level?: string }[] }, faults?: object[] }} [opts]
 */
export async function startFakeBestPractices({ world = {}, faults = [] } = {}) {
  const projects = (world.projects ?? []).map((p) => ({
    name: p.name ?? `project ${p.id}`,
    description: '',
    homepage_url: p.homepage_url ?? null,
    repo_url: p.repo_url ?? null,
    tiered_percentage: { in_progress: 50, passing: 100, silver: 200, gold: 300 }[p.badge_level] ?? 0,
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
    ...p
  }));
  return startServer(
    (req, url) => {
      if (req.method !== 'GET' || url.pathname !== '/projects.json')
        return { status: 404, body: { error: 'Not Found' } };
      const q = url.searchParams.get('url');
      const found = q
        ? projects.filter((p) => norm(p.repo_url) === norm(q) || norm(p.homepage_url) === norm(q))
        : projects;
      return { status: 200, body: found };
    },
    { name: 'bestpractices', faults }
  );
}
