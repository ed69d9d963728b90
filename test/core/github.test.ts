import { describe, expect, it } from '@jest/globals';
import { apiUrlsFromEnv, describeApiError } from '../../packages/core/src/github';

describe('apiUrlsFromEnv', () => {
  it('defaults to github.com', () => {
    expect(apiUrlsFromEnv({})).toEqual({
      apiUrl: 'https://api.github.com',
      graphqlUrl: 'https://api.github.com/graphql'
    });
  });

  it('derives the GHES GraphQL endpoint next to /api/v3 and drops trailing slashes', () => {
    expect(apiUrlsFromEnv({ GITHUB_API_URL: 'https://ghes.example/api/v3/' })).toEqual({
      apiUrl: 'https://ghes.example/api/v3',
      graphqlUrl: 'https://ghes.example/api/graphql'
    });
  });

  it('uses GITHUB_GRAPHQL_URL when the runner sets it', () => {
    expect(
      apiUrlsFromEnv({ GITHUB_API_URL: 'https://ghes.example/api/v3', GITHUB_GRAPHQL_URL: 'https://gql.example/x' })
        .graphqlUrl
    ).toBe('https://gql.example/x');
  });
});

describe('describeApiError', () => {
  const err = (status: number | undefined, message: string, headers: Record<string, string> = {}) =>
    Object.assign(new Error(message), { status, response: { headers } });

  it('words each failure as a not-checked reason', () => {
    expect(describeApiError(err(401, 'Bad credentials'))).toMatch(/401/);
    expect(describeApiError(err(403, 'API rate limit exceeded for installation'))).toMatch(/rate limit/);
    expect(describeApiError(err(429, 'secondary rate limit'))).toMatch(/rate limit.*429/);
    expect(describeApiError(err(403, 'Resource not accessible by integration'), 'administration: read')).toBe(
      'needs administration: read (GitHub answered 403)'
    );
    expect(describeApiError(err(403, 'nope', { 'x-accepted-github-permissions': 'members=read' }))).toBe(
      'needs members=read (GitHub answered 403)'
    );
    expect(describeApiError(err(404, 'Not Found'), 'secrets: read')).toBe('needs secrets: read (GitHub answered 404)');
    expect(describeApiError(err(404, 'Not Found'))).toBe('not found (404)');
    expect(describeApiError(err(502, 'Bad gateway'))).toMatch(/502/);
    expect(describeApiError(err(undefined, 'getaddrinfo ENOTFOUND api.github.com\nmore'))).toBe(
      'GitHub API unreachable: getaddrinfo ENOTFOUND api.github.com'
    );
  });
});
