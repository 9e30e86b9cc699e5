/**
 * Gradient checking: compare an analytic gradient with a numerical one.
 * Do not modify the inputs: relError leaves a and b as they were, and
 * numericalGradient may change x only while it runs (see there); the grader
 * checks them after every call.
 */
import { Matrix } from '../starter/provided/matrix.js';

/**
 * Central-difference gradient of a scalar function f at x:
 * df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps).
 * Perturb x in place one element at a time and put every element back as it was
 * (const old = x.data[i]; ... x.data[i] = old): when the function returns, x must hold
 * what it held before, which the grader checks (up to rounding in the last bits).
 * Inputs: f, a function of x returning a number; x, any shape; eps (1e-5 in float64).
 * Returns: the gradient, same shape as x.
 */
export function numericalGradient(f: (x: Matrix) => number, x: Matrix, eps = 1e-5): Matrix {
  // BEGIN SOLUTION
  const grad = new Matrix(x.rows, x.cols);
  for (let i = 0; i < x.data.length; i++) {
    const old = x.data[i];
    x.data[i] = old + eps;
    const plus = f(x);
    x.data[i] = old - eps;
    const minus = f(x);
    x.data[i] = old;
    grad.data[i] = (plus - minus) / (2 * eps);
  }
  return grad;
  // END SOLUTION
}

/**
 * Largest element-wise relative error max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|).
 * A correct backward pass gives about 1e-7 or less in float64.
 * Inputs: a and b of the same shape. Returns: a number.
 */
export function relError(a: Matrix, b: Matrix): number {
  // BEGIN SOLUTION
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`relError: shapes ${a.shape} and ${b.shape} differ`);
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i], y = b.data[i];
    worst = Math.max(worst, Math.abs(x - y) / Math.max(1e-8, Math.abs(x) + Math.abs(y)));
  }
  return worst;
  // END SOLUTION
}
