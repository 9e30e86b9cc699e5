/**
 * PROVIDED HELPER: do not edit. The grader always uses its own copy of this file.
 *
 * Splitting and slicing data sets. Rows of X and entries of y always move
 * together: shuffling X without y is a classic bug this file never makes.
 */
import type { Random } from '../random.js';
import type { Dataset, Split } from './types.js';

/** The examples at the given indices, in that order (X rows and labels together). */
export function subset(data: Dataset, indices: readonly number[]): Dataset {
  return { X: data.X.pickRows(indices), y: indices.map((i) => data.y[i]), classes: data.classes };
}

/** The first n examples (all of them when n is undefined or larger), for quick runs on less data. */
export function truncate(data: Dataset, n?: number): Dataset {
  if (n === undefined || n >= data.y.length) return data;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`truncate: size must be a positive integer, got ${n}`);
  return subset(data, Array.from({ length: n }, (_, i) => i));
}

/**
 * A seeded random split: round(N * testFraction) examples go to test, the rest
 * to train, both in the permutation's order. The same seed gives the same split.
 */
export function splitDataset(data: Dataset, testFraction: number, rng: Random): Split {
  const n = data.y.length;
  if (data.X.rows !== n) {
    throw new RangeError(`splitDataset: X has ${data.X.rows} rows but y has ${n} labels`);
  }
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`splitDataset: testFraction must be strictly between 0 and 1, got ${testFraction}`);
  }
  const nTest = Math.round(n * testFraction);
  if (nTest < 1 || nTest > n - 1) {
    throw new RangeError(`splitDataset: ${n} examples with testFraction ${testFraction} leave an empty train or test set`);
  }
  const order = rng.permutation(n);
  return { train: subset(data, order.slice(nTest)), test: subset(data, order.slice(0, nTest)) };
}
