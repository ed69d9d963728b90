// The inline-ignore pre-test is asked of every added text; it must say yes wherever the marker is.
import { describe, expect, it } from '@jest/globals';
import { mayHoldIgnore } from '../../actions/pr-anomaly-scan/src/suppressions';
import { piecesText, seeded } from '../helpers/random';

describe('mayHoldIgnore', () => {
  it('is text.includes("pr-anomaly-scan:") on random texts of near misses', () => {
    const rnd = seeded(15);
    const pieces = [
      'pr-anomaly-scan:',
      'pr-anomaly-scan: ignore[secrets/credential] test key\n',
      'anomaly-scan:',
      'r-anomaly-scan:',
      'pr-anomaly-scan',
      'pr_anomaly-scan:',
      '-scan:',
      '-scan:-scan:',
      'pr-anomaly',
      'x = 1\n',
      'é',
      '# noqa\n',
      ' '
    ];
    let yes = 0;
    for (let n = 0; n < 5000; n++) {
      const text = piecesText(rnd, pieces, 8);
      const want = text.includes('pr-anomaly-scan:');
      yes += want ? 1 : 0;
      expect([text, mayHoldIgnore(text)]).toEqual([text, want]);
    }
    expect(yes).toBeGreaterThan(500); // both answers are drawn often
    expect(yes).toBeLessThan(4500);
  });
});
