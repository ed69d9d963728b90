// Fails the test during which a fake GitHub saw a REST exchange that breaks
// GitHub's OpenAPI description (test/fakes/github/contract.mjs): a request
// body GitHub would refuse, or an answer GitHub would never give.
import { afterEach } from '@jest/globals';
import { takeViolations } from './fakes/github/contract.mjs';

afterEach(() => {
  const violations = takeViolations();
  if (violations.length)
    throw new Error(
      `the fake GitHub saw ${violations.length} exchange(s) outside GitHub's OpenAPI description:\n${violations.join('\n')}`
    );
});
