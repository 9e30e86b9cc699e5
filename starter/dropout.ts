/**
 * Inverted dropout: keep each unit with probability keepProb and scale the kept
 * ones by 1 / keepProb during training, so nothing changes at test time.
 * Do not modify the inputs: x, dout and mask stay as they were (the grader
 * checks); the Random is there to be drawn from.
 */
import { NotImplementedError } from './provided/errors.js';
import { Matrix, mul } from './provided/matrix.js';
import type { Random } from './provided/random.js';

/**
 * Inputs: x, N x M; keepProb in (0, 1]; rng. Draw u = rng.uniform() once per
 * element in row-major order; the mask element is 1 / keepProb where u < keepProb, else 0.
 * Returns: { out = x o mask, mask }, both N x M.
 */
export function dropoutForward(x: Matrix, keepProb: number, rng: Random): { out: Matrix; mask: Matrix } {
  // YOUR CODE HERE
  throw new NotImplementedError('dropoutForward');
}

/**
 * Inputs: dout, N x M; mask from dropoutForward. Returns: dx = dout o mask, N x M.
 */
export function dropoutBackward(dout: Matrix, mask: Matrix): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('dropoutBackward');
}
