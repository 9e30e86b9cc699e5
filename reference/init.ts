/**
 * Weight initialisation. Never all zeros: every unit of a layer would stay identical.
 * Draw the numbers in row-major order (W[0][0], W[0][1], ...), one draw per element,
 * so that the same seed gives the same weights as the grader's.
 * Do not modify the inputs: sizes stays as it was (the grader checks); the
 * Random is there to be drawn from.
 */
import { Matrix } from '../starter/provided/matrix.js';
import type { Random } from '../starter/provided/random.js';

export type InitScheme = 'xavier_uniform' | 'glorot_normal' | 'he_normal';

/**
 * Xavier/Glorot uniform: W ~ U[-U, U] with U = sqrt(6 / (fanIn + fanOut)),
 * each element (2 u - 1) U with u = rng.uniform().
 * Returns: W, fanIn x fanOut.
 */
export function xavierUniform(fanIn: number, fanOut: number, rng: Random): Matrix {
  // BEGIN SOLUTION
  const U = Math.sqrt(6 / (fanIn + fanOut));
  const W = new Matrix(fanIn, fanOut);
  for (let i = 0; i < W.data.length; i++) W.data[i] = (2 * rng.uniform() - 1) * U;
  return W;
  // END SOLUTION
}

/**
 * Glorot normal: each element std * rng.normal() with std = sqrt(2 / (fanIn + fanOut)).
 * Returns: W, fanIn x fanOut.
 */
export function glorotNormal(fanIn: number, fanOut: number, rng: Random): Matrix {
  // BEGIN SOLUTION
  const std = Math.sqrt(2 / (fanIn + fanOut));
  const W = new Matrix(fanIn, fanOut);
  for (let i = 0; i < W.data.length; i++) W.data[i] = std * rng.normal();
  return W;
  // END SOLUTION
}

/**
 * He normal, for ReLU layers: each element std * rng.normal() with std = sqrt(2 / fanIn).
 * Returns: W, fanIn x fanOut.
 */
export function heNormal(fanIn: number, fanOut: number, rng: Random): Matrix {
  // BEGIN SOLUTION
  const std = Math.sqrt(2 / fanIn);
  const W = new Matrix(fanIn, fanOut);
  for (let i = 0; i < W.data.length; i++) W.data[i] = std * rng.normal();
  return W;
  // END SOLUTION
}

/**
 * Parameters of an MLP with layer sizes [D, H1, ..., C]: layer k has W[k] of
 * sizes[k] x sizes[k+1], drawn with the scheme (layer 0 first), and b[k] = 0, 1 x sizes[k+1].
 * Returns: { W: [...], b: [...] }, one entry per layer.
 */
export function initMLP(sizes: readonly number[], scheme: InitScheme, rng: Random): { W: Matrix[]; b: Matrix[] } {
  // BEGIN SOLUTION
  const draw = { xavier_uniform: xavierUniform, glorot_normal: glorotNormal, he_normal: heNormal }[scheme];
  const W: Matrix[] = [];
  const b: Matrix[] = [];
  for (let k = 0; k + 1 < sizes.length; k++) {
    W.push(draw(sizes[k], sizes[k + 1], rng));
    b.push(Matrix.zeros(1, sizes[k + 1]));
  }
  return { W, b };
  // END SOLUTION
}
