// The OpenSSF Best Practices badge service (bestpractices.dev): its project
// search by URL, `GET /projects.json?url=…`, answers a JSON list of projects
// (`id`, `badge_level`, `repo_url`, …).
import { HttpClient, ServiceError, pLimit } from '@security-actions/core';
import type { BestPracticesLookup } from './types';

export class BestPracticesClient implements BestPracticesLookup {
  private readonly base: string;
  // A public service: a few requests at a time, whatever the audit's concurrency.
  private readonly limit = pLimit(4);

  constructor(
    baseUrl: string,
    private readonly http = new HttpClient('OpenSSF Best Practices')
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  async projects(repoUrl: string) {
    const res = await this.limit(() =>
      this.http.json<unknown>(`${this.base}/projects.json?url=${encodeURIComponent(repoUrl)}`, {
        headers: { accept: 'application/json' }
      })
    );
    const body = res.body;
    if (!Array.isArray(body) || !body.every((p) => p && typeof p === 'object' && typeof p.id === 'number'))
      throw new ServiceError('OpenSSF Best Practices answered projects.json without a list of projects', res.status);
    return body as { id: number; badge_level?: string; repo_url?: string }[];
  }
}
