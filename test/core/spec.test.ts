import { describe, expect, it } from '@jest/globals';
import { SPEC_CLAUSES, isSpecClause, specLabel } from '../../packages/core/src/spec';

describe('SPEC clauses', () => {
  const ids = Object.keys(SPEC_CLAUSES);

  it('every id is S6-n or S8-n, and numbers run from 1 without gaps', () => {
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^S(6|8)-\d+$/);
    for (const spec of ['S6', 'S8']) {
      const nums = ids.filter((id) => id.startsWith(`${spec}-`)).map((id) => Number(id.split('-')[1]));
      expect(nums.sort((a, b) => a - b)).toEqual(nums.map((_, i) => i + 1));
    }
  });

  it('labels name their SPEC and contain their id', () => {
    for (const id of ids) {
      if (!isSpecClause(id)) throw new Error(id);
      expect(specLabel(id)).toContain(`(${id})`);
      expect(SPEC_CLAUSES[id].startsWith(`SPEC ${id.slice(1, 2)}:`)).toBe(true);
    }
  });

  it('isSpecClause accepts only known ids', () => {
    expect(isSpecClause('S8-9')).toBe(true);
    expect(isSpecClause('S8-99')).toBe(false);
    expect(isSpecClause('toString')).toBe(false);
  });
});
