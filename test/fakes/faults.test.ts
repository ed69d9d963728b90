import { describe, expect, it } from '@jest/globals';
import { faultMatches } from './common.mjs';

describe('fault matching', () => {
  it('matches method and prefix', () => {
    expect(faultMatches({ match: 'GET /repos/*' }, 'GET', '/repos/a/b')).toBe(true);
    expect(faultMatches({ match: 'POST /repos/*' }, 'GET', '/repos/a/b')).toBe(false);
    expect(faultMatches({ match: '/rate_limit' }, 'GET', '/rate_limit')).toBe(true);
  });
});
