// The fake GitHub holds every REST exchange to GitHub's OpenAPI description
// while tests run: the request body a client sent (against the operation's
// `requestBody`) and the answer the fake gave (against its response schema,
// no undeclared property). Violations are collected here, process-wide, and
// test/contract.ts fails the test during which they happened. Injected faults
// (../common.mjs) break the contract on purpose and are never checked.
import { requestProblems, responseProblems } from './openapi.mjs';

const KEY = Symbol.for('security-actions.fake-github.contract');
/** @type {{ violations: string[] }} */
const store = (globalThis[KEY] ??= { violations: [] });

/** Whether fakes check the contract unless told otherwise: on, except with FAKE_GITHUB_CONTRACT=off. */
export const CONTRACT_DEFAULT = process.env.FAKE_GITHUB_CONTRACT !== 'off';

/**
 * Checks one exchange with a documented route. `requestBody` is the parsed
 * JSON body (undefined when none, or for uploads), checked when `request`;
 * the response body is checked when it is JSON (downloads are bytes).
 */
export function checkExchange(method, template, requestBody, response, request = true) {
  const where = `${method} ${template} → ${response.status}`;
  const problems = request ? requestProblems(method, template, requestBody) : [];
  const body = response.body;
  if (body === undefined || (typeof body === 'object' && !Buffer.isBuffer(body)))
    problems.push(...responseProblems(method, template, response.status, body));
  for (const p of problems) store.violations.push(`${where}: ${p}`);
}

/** The violations recorded since the last call, removed. */
export function takeViolations() {
  return store.violations.splice(0);
}
