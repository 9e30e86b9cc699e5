/**
 * Weight initialisation. Never all zeros: every unit of a layer would stay identical.
 * Draw the numbers in row-major order (W[0][0], W[0][1], ...), one draw per element,
 * so that the same seed gives the same weights as the grader's.
 * Do not modify the inputs: sizes stays as it was (the grader checks); the
 * Random is there to be drawn from.
 */
import { NotImplementedError } from './provided/errors.js';
import { Matrix } from './provided/matrix.js';
import type { Random } from './provided/random.js';

export type InitScheme = 'xavier_uniform' | 'glorot_normal' | 'he_normal';

/**
 * Xavier/Glorot uniform: W ~ U[-U, U] with U = sqrt(6 / (fanIn + fanOut)),
 * each element (2 u - 1) U with u = rng.uniform().
 * Returns: W, fanIn x fanOut.
 */
export function xavierUniform(fanIn: number, fanOut: number, rng: Random): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('xavierUniform');
}

/**
 * Glorot normal: each element std * rng.normal() with std = sqrt(2 / (fanIn + fanOut)).
 * Returns: W, fanIn x fanOut.
 */
export function glorotNormal(fanIn: number, fanOut: number, rng: Random): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('glorotNormal');
}

/**
 * He normal, for ReLU layers: each element std * rng.normal() with std = sqrt(2 / fanIn).
 * Returns: W, fanIn x fanOut.
 */
export function heNormal(fanIn: number, fanOut: number, rng: Random): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('heNormal');
}

/**
 * Parameters of an MLP with layer sizes [D, H1, ..., C]: layer k has W[k] of
 * sizes[k] x sizes[k+1], drawn with the scheme (layer 0 first), and b[k] = 0, 1 x sizes[k+1].
 * Returns: { W: [...], b: [...] }, one entry per layer.
 */
export function initMLP(sizes: readonly number[], scheme: InitScheme, rng: Random): { W: Matrix[]; b: Matrix[] } {
  // YOUR CODE HERE
  throw new NotImplementedError('initMLP');
}
