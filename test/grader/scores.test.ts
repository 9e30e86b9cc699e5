/** sumScores: full marks add up to exactly the part's points; true fractions stay as they are. */
import { describe, expect, it } from 'vitest';
import { sumScores } from '../../grader/status.js';

describe('sumScores', () => {
  it('adds the network part weights back up to exactly 15', () => {
    const weights = [1, 3, 1, 3, 1, 1, 3, 3, 3, 3, 1];
    const total = weights.reduce((s, w) => s + w, 0);
    const shares = weights.map((w) => (15 * w) / total);
    expect(shares.reduce((s, x) => s + x, 0)).not.toBe(15);
    expect(sumScores(shares)).toBe(15);
  });

  it('leaves a true fraction and an empty list alone', () => {
    const third = 10 / 9;
    expect(sumScores([third, third, third])).toBe(third + third + third);
    expect(sumScores([0.25, 0.5])).toBe(0.75);
    expect(sumScores([])).toBe(0);
  });
});
