/**
 * Weight penalties. They apply to the weight matrices only, never to biases.
 * Do not modify the inputs: return new gradient matrices and leave the weights
 * as they were; the grader checks them after every call.
 */
import { Matrix, map, scale } from '../starter/provided/matrix.js';

/**
 * L2 penalty (lambda / 2) sum ||W||^2 over all weight matrices; its gradient is lambda W.
 * Mind the 1/2: it is what makes the gradient lambda W and not 2 lambda W.
 * Inputs: weights, a list of matrices (any shapes); lambda >= 0.
 * Returns: { loss (a number), grads: one matrix per weight, same shapes }.
 */
export function l2Penalty(weights: readonly Matrix[], lambda: number): { loss: number; grads: Matrix[] } {
  // BEGIN SOLUTION
  let sq = 0;
  for (const W of weights) for (const w of W.data) sq += w * w;
  return { loss: 0.5 * lambda * sq, grads: weights.map((W) => scale(W, lambda)) };
  // END SOLUTION
}

/**
 * L1 penalty lambda sum |W| over all weight matrices; its gradient is lambda sign(W).
 * Inputs: weights, a list of matrices; lambda >= 0.
 * Returns: { loss (a number), grads: one matrix per weight, same shapes }.
 */
export function l1Penalty(weights: readonly Matrix[], lambda: number): { loss: number; grads: Matrix[] } {
  // BEGIN SOLUTION
  let abs = 0;
  for (const W of weights) for (const w of W.data) abs += Math.abs(w);
  return { loss: lambda * abs, grads: weights.map((W) => map(W, (w) => lambda * Math.sign(w))) };
  // END SOLUTION
}
