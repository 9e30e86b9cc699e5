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
import { Matrix, addRowVector, matmul, sumRows } from '../starter/provided/matrix.js';

/**
 * Affine forward z = X W + b.
 * Inputs: x, N x D; W, D x M; b, 1 x M. Returns: z, N x M.
 */
export function affineForward(x: Matrix, W: Matrix, b: Matrix): Matrix {
  // BEGIN SOLUTION
  return addRowVector(matmul(x, W), b);
  // END SOLUTION
}

/**
 * Affine backward: dx = dout W^T, dW = x^T dout, db = sum over rows of dout.
 * Inputs: dout = dL/dz, N x M; x, N x D; W, D x M.
 * Returns: { dx: N x D, dW: D x M (same shape as W), db: 1 x M }.
 */
export function affineBackward(dout: Matrix, x: Matrix, W: Matrix): { dx: Matrix; dW: Matrix; db: Matrix } {
  // BEGIN SOLUTION
  const dx = matmul(dout, W, false, true);
  const dW = matmul(x, dout, true, false);
  const db = sumRows(dout);
  return { dx, dW, db };
  // END SOLUTION
}

/**
 * Numerically stable softmax of each row: p_k = e^(s_k - max) / sum_j e^(s_j - max).
 * Subtracting the row maximum changes nothing mathematically but keeps e^1000 from overflowing.
 * Inputs: scores, N x C. Returns: probabilities, N x C, each row sums to 1.
 */
export function softmax(scores: Matrix): Matrix {
  // BEGIN SOLUTION
  const { rows, cols } = scores;
  const p = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, scores.data[i * cols + j]);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(scores.data[i * cols + j] - max);
      p.data[i * cols + j] = e;
      sum += e;
    }
    for (let j = 0; j < cols; j++) p.data[i * cols + j] /= sum;
  }
  return p;
  // END SOLUTION
}

/**
 * Softmax cross-entropy with the natural log, averaged over the batch:
 * L = -(1/N) sum_n ln p[n, y_n], and dL/ds = (p - onehot(y)) / N.
 * (The lecture slide's 0.89 for p = 0.13 is a base-10 log; here -ln 0.13 = 2.04.)
 * Inputs: scores, N x C; y, N class indices. Returns: { loss (a number), dscores: N x C }.
 */
export function softmaxCrossEntropy(scores: Matrix, y: readonly number[]): { loss: number; dscores: Matrix } {
  // BEGIN SOLUTION
  const { rows: N, cols: C } = scores;
  const p = softmax(scores);
  let loss = 0;
  for (let n = 0; n < N; n++) {
    // -ln p[n, y] = log-sum-exp(s_n) - s[n, y], computed shifted so that it stays finite
    let max = -Infinity;
    for (let j = 0; j < C; j++) max = Math.max(max, scores.data[n * C + j]);
    let sum = 0;
    for (let j = 0; j < C; j++) sum += Math.exp(scores.data[n * C + j] - max);
    loss += max + Math.log(sum) - scores.data[n * C + y[n]];
    p.data[n * C + y[n]] -= 1;
  }
  loss /= N;
  for (let i = 0; i < p.data.length; i++) p.data[i] /= N;
  return { loss, dscores: p };
  // END SOLUTION
}
