import { describe, expect, it } from 'vitest';
import { splitDataset, subset, truncate } from '../../starter/provided/data/split.js';
import type { Dataset } from '../../starter/provided/data/types.js';
import { Matrix } from '../../starter/provided/matrix.js';
import { Random } from '../../starter/provided/random.js';

/** Row i is (i, 10 i) and its label is i % 3, so a pair can be checked after any shuffle. */
function tagged(n: number): Dataset {
  return { X: Matrix.fromRows(Array.from({ length: n }, (_, i) => [i, 10 * i])), y: Array.from({ length: n }, (_, i) => i % 3), classes: 3 };
}

describe('splitDataset', () => {
  it('keeps every X row with its label and uses each example exactly once', () => {
    const { train, test } = splitDataset(tagged(50), 0.2, new Random('s'));
    expect(test.X.rows).toBe(10);
    expect(train.X.rows).toBe(40);
    expect(test.y).toHaveLength(10);
    expect(train.classes).toBe(3);
    const seen: number[] = [];
    for (const part of [train, test]) {
      for (let k = 0; k < part.X.rows; k++) {
        const i = part.X.get(k, 0);
        expect(part.X.get(k, 1)).toBe(10 * i);
        expect(part.y[k]).toBe(i % 3);
        seen.push(i);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('shuffles, and the same seed gives the same split', () => {
    const a = splitDataset(tagged(50), 0.2, new Random('s'));
    const b = splitDataset(tagged(50), 0.2, new Random('s'));
    expect(a.test.y).toEqual(b.test.y);
    expect(Array.from(a.train.X.data)).toEqual(Array.from(b.train.X.data));
    const order = Array.from({ length: 40 }, (_, k) => a.train.X.get(k, 0));
    expect(order).not.toEqual([...order].sort((x, y) => x - y));
  });

  it('refuses fractions that leave a side empty', () => {
    expect(() => splitDataset(tagged(10), 0, new Random('s'))).toThrow(RangeError);
    expect(() => splitDataset(tagged(10), 0.01, new Random('s'))).toThrow(/empty/);
  });
});

describe('subset and truncate', () => {
  it('subset picks the rows and labels in the order given', () => {
    const s = subset(tagged(10), [7, 2]);
    expect(s.X.toRows()).toEqual([[7, 70], [2, 20]]);
    expect(s.y).toEqual([1, 2]);
  });

  it('truncate keeps the first n, or everything when n is larger or missing', () => {
    const d = tagged(10);
    expect(truncate(d, 3).y).toEqual([0, 1, 2]);
    expect(truncate(d, 3).X.rows).toBe(3);
    expect(truncate(d, 99)).toBe(d);
    expect(truncate(d)).toBe(d);
  });
});
