// GitHub-shaped faults for startFakeGitHub's `faults`, `setFaults` and `addFault`
// (the fault model of ../common.mjs). Each helper returns a plain fault object;
// `match` is "METHOD /path/prefix*" (or a ^regexp), `times` defaults to 1.
import { STATUS_CODES } from 'node:http';

/**
 * @typedef {object} FaultOptions
 * @property {string} [match]  "METHOD /path/prefix*" or a ^regexp; every request when absent
 * @property {number} [times]  how many matching requests fail (default 1)
 */

const SECONDARY_DOCS =
  'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
export const PRIMARY_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

/**
 * Secondary rate limit: 403 (or 429) with `retry-after` and GitHub's message, which is
 * how clients (e.g. @octokit/plugin-throttling) recognise it.
 * @param {FaultOptions & { retryAfter?: number, status?: 403|429 }} [o]
 */
export function secondaryRateLimit({ match, times = 1, retryAfter = 60, status = 403 } = {}) {
  return {
    match,
    times,
    status,
    headers: { 'retry-after': String(retryAfter) },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
        'If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
      documentation_url: SECONDARY_DOCS,
      status: String(status)
    }
  };
}

/**
 * 429 Too Many Requests with `retry-after`: GitHub's other form of the secondary limit.
 * @param {FaultOptions & { retryAfter?: number }} [o]
 */
export const tooManyRequests = (o = {}) => secondaryRateLimit({ ...o, status: 429 });

/**
 * Primary rate limit hit: 403, `x-ratelimit-remaining: 0` and a reset `resetInSeconds` from now.
 * (To exhaust the limit through use instead, set the world's `rate_limit.core.remaining`.)
 * @param {FaultOptions & { resetInSeconds?: number, limit?: number, resource?: string }} [o]
 */
export function primaryRateLimit({ match, times = 1, resetInSeconds = 60, limit = 5000, resource = 'core' } = {}) {
  return {
    match,
    times,
    status: 403,
    headers: {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': String(limit),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
      'x-ratelimit-resource': resource
    },
    body: { message: 'API rate limit exceeded for user ID 1.', documentation_url: PRIMARY_DOCS, status: '403' }
  };
}

/**
 * A 5xx answer (default 502) with GitHub's short JSON error body.
 * @param {FaultOptions & { status?: number }} [o]
 */
export function serverError({ match, times = 1, status = 502 } = {}) {
  return { match, times, status, body: { message: STATUS_CODES[status] ?? 'Server Error' } };
}

/**
 * The real response, cut off halfway through its body.
 * @param {FaultOptions} [o]
 */
export const truncatedBody = ({ match, times = 1 } = {}) => ({ match, times, kind: 'truncate' });

/**
 * The connection is reset before any response.
 * @param {FaultOptions} [o]
 */
export const connectionReset = ({ match, times = 1 } = {}) => ({ match, times, kind: 'reset' });

/**
 * Extra latency on matching requests (they still succeed).
 * @param {{ match?: string, ms: number }} o
 */
export const latency = ({ match, ms }) => ({ match, latencyMs: ms });
