/**
 * The affine layer and the softmax cross-entropy loss.
 *
 * Conventions: a batch X is N x D (one example per row), W is D x M, b is 1 x M,
 * labels y are class indices 0..C-1, and the loss is the MEAN over the batch.
 * Work in float64 (Float64Array, plain JS numbers); float32 (Math.fround, Float32Array)
 * loses precision the grader detects.
 * Do not modify the inputs: return new matrices and leave x, W, b, dout, scores
 * and y as they were (shift a copy of the scores, never the scores themselves);
 * the grader checks them after every call.
 */
import { NotImplementedError } from './provided/errors.js';
import { Matrix, addRowVector, matmul, sumRows } from './provided/matrix.js';

/**
 * Affine forward z = X W + b.
 * Inputs: x, N x D; W, D x M; b, 1 x M. Returns: z, N x M.
 */
export function affineForward(x: Matrix, W: Matrix, b: Matrix): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('affineForward');
}

/**
 * Affine backward: dx = dout W^T, dW = x^T dout, db = sum over rows of dout.
 * Inputs: dout = dL/dz, N x M; x, N x D; W, D x M.
 * Returns: { dx: N x D, dW: D x M (same shape as W), db: 1 x M }.
 */
export function affineBackward(dout: Matrix, x: Matrix, W: Matrix): { dx: Matrix; dW: Matrix; db: Matrix } {
  // YOUR CODE HERE
  throw new NotImplementedError('affineBackward');
}

/**
 * Numerically stable softmax of each row: p_k = e^(s_k - max) / sum_j e^(s_j - max).
 * Subtracting the row maximum changes nothing mathematically but keeps e^1000 from overflowing.
 * Inputs: scores, N x C. Returns: probabilities, N x C, each row sums to 1.
 */
export function softmax(scores: Matrix): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('softmax');
}

/**
 * Softmax cross-entropy with the natural log, averaged over the batch:
 * L = -(1/N) sum_n ln p[n, y_n], and dL/ds = (p - onehot(y)) / N.
 * (The lecture slide's 0.89 for p = 0.13 is a base-10 log; here -ln 0.13 = 2.04.)
 * Inputs: scores, N x C; y, N class indices. Returns: { loss (a number), dscores: N x C }.
 */
export function softmaxCrossEntropy(scores: Matrix, y: readonly number[]): { loss: number; dscores: Matrix } {
  // YOUR CODE HERE
  throw new NotImplementedError('softmaxCrossEntropy');
}
